// DOT through Boost.Graph's write_graphviz with our own attribute writers:
// Boost's escape_dot_string leaves keywords bare and backslashes undoubled,
// so every attribute value goes through DotQuote instead.
// GCC 12 at -O3 reports a false maybe-uninitialized inside Boost's
// adjacency_list edge iterator (a boost::optional) when edges(g) is walked.
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"

#include <algorithm>
#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/graphviz.hpp>
#include <boost/property_map/function_property_map.hpp>
#include <cmath>
#include <ostream>

#include "export/exporter.h"
#include "export/internal.h"

namespace kg::exporter {
namespace {

// Vertices are node indices; each edge carries its index into Subgraph::edges.
using DotGraph =
    boost::adjacency_list<boost::vecS, boost::vecS, boost::directedS, boost::no_property, size_t>;

std::string_view TypeFill(ActorType type) {
  switch (type) {
    case ActorType::kCountry:
      return "#dbe8f6";
    case ActorType::kPerson:
      return "#fdebd0";
    case ActorType::kOrganization:
      return "#e6ddf1";
    case ActorType::kGroup:
      return "#f5dcdc";
    case ActorType::kPlace:
      return "#e1f0e1";
    case ActorType::kUnknown:
      break;
  }
  return "#eeeeee";
}

double Log2p1(int64_t n) { return std::log2(1.0 + static_cast<double>(std::max<int64_t>(n, 0))); }

class NodeWriter {
 public:
  explicit NodeWriter(const Subgraph& graph) : graph_(graph) {}
  void operator()(std::ostream& out, size_t v) const {
    const ExportNode& n = graph_.nodes[v];
    const std::string label = DotQuote(n.code.empty() ? n.name : n.name + "\n" + n.code);
    const double scale = Log2p1(n.degree());
    out << " [label=" << label << ", tooltip="
        << DotQuote(n.name + " (" + std::string(ActorTypeName(n.type)) + "), " +
                    std::to_string(n.degree()) + (n.degree() == 1 ? " event" : " events"))
        << ", fillcolor=" << DotQuote(TypeFill(n.type))
        << ", width=" << DotQuote(internal::FormatFixed(0.75 + 0.25 * scale, 2))
        << ", fontsize=" << DotQuote(internal::FormatFixed(std::min(10.0 + 1.5 * scale, 24.0), 1));
    if (n.centre) out << ", penwidth=\"2.5\"";
    out << "]";
  }

 private:
  const Subgraph& graph_;
};

class EdgeWriter {
 public:
  EdgeWriter(const Subgraph& graph, const DotGraph& g) : graph_(graph), g_(g) {}
  void operator()(std::ostream& out, const DotGraph::edge_descriptor& d) const {
    const ExportEdge& e = graph_.edges[g_[d]];
    const std::string color(QuadClassColor(e.quad));
    std::string tip = graph_.nodes[e.source].name + (e.negated ? " did not " : " ") + e.relation +
                      " " + graph_.nodes[e.target].name + ": " + std::to_string(e.count) +
                      (e.count == 1 ? " event" : " events");
    if (e.first_date != kUnknownDate) {
      tip += ", " + internal::DateText(e.first_date);
      if (e.last_date != e.first_date) tip += " to " + internal::DateText(e.last_date);
    }
    if (!e.cameo.empty())
      tip += ", CAMEO " + e.cameo + " (" + std::string(QuadClassName(e.quad)) + ")";
    out << "[label=" << DotQuote(internal::EdgeLabel(e)) << ", tooltip=" << DotQuote(tip)
        << ", color=" << DotQuote(color) << ", fontcolor=" << DotQuote(color) << ", penwidth="
        << DotQuote(internal::FormatFixed(
               std::min(1.0 + 1.5 * std::log2(static_cast<double>(e.count)), 8.0), 2));
    if (e.negated) out << ", style=\"dashed\"";
    out << "]";
  }

 private:
  const Subgraph& graph_;
  const DotGraph& g_;
};

class GraphWriter {
 public:
  GraphWriter(const Subgraph& graph, const WriteOptions& options)
      : graph_(graph), options_(options) {}
  void operator()(std::ostream& out) const {
    out << "// " << SanitizeText(options_.title) << ": " << graph_.nodes.size() << " actors, "
        << graph_.edges.size() << " edges. Colours: CAMEO quad class (greens cooperation, "
        << "orange/red conflict, grey unknown).\n"
        << "graph [charset=\"UTF-8\", rankdir=\"LR\", overlap=\"false\", splines=\"true\", "
           "nodesep=\"0.4\", ranksep=\"0.9\", fontname=\"Helvetica\"];\n"
        << "node [shape=\"ellipse\", style=\"filled\", color=\"#555555\", "
           "fontname=\"Helvetica\"];\n"
        << "edge [fontname=\"Helvetica\", fontsize=\"10\", arrowsize=\"0.8\"];\n";
  }

 private:
  const Subgraph& graph_;
  const WriteOptions& options_;
};

std::string VertexId(size_t v) { return "n" + std::to_string(v); }

}  // namespace

Status WriteDot(const Subgraph& graph, const WriteOptions& options, std::ostream& out) {
  DotGraph g(graph.nodes.size());
  for (size_t i = 0; i < graph.edges.size(); ++i) {
    boost::add_edge(graph.edges[i].source, graph.edges[i].target, i, g);
  }
  boost::write_graphviz(
      out, g, NodeWriter(graph), EdgeWriter(graph, g), GraphWriter(graph, options),
      boost::make_function_property_map<size_t>([](size_t v) { return VertexId(v); }));
  return internal::StreamStatus(out, "DOT");
}

}  // namespace kg::exporter
