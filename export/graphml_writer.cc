// GraphML through Boost.Graph's write_graphml. Each key is declared with its
// attr.type (string, long, double, boolean); edge documents are read from
// the store lazily, one edge at a time, while the file is written.
// GCC 12 at -O3 reports a false maybe-uninitialized inside Boost's
// adjacency_list edge iterator (a boost::optional) when edges(g) is walked.
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/graphml.hpp>
#include <boost/property_map/dynamic_property_map.hpp>
#include <boost/property_map/function_property_map.hpp>
#include <exception>
#include <ostream>

#include "export/exporter.h"
#include "export/internal.h"

namespace kg::exporter {
namespace {

using MlGraph =
    boost::adjacency_list<boost::vecS, boost::vecS, boost::directedS, boost::no_property, size_t>;
using Vertex = MlGraph::vertex_descriptor;
using Edge = MlGraph::edge_descriptor;

std::string Join(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& item : items) {
    if (!out.empty()) out += ';';
    out += item;
  }
  return out;
}

}  // namespace

Status WriteGraphml(const GraphReader& reader, const Subgraph& graph, const WriteOptions& options,
                    std::ostream& out) {
  (void)options;
  MlGraph g(graph.nodes.size());
  for (size_t i = 0; i < graph.edges.size(); ++i) {
    boost::add_edge(graph.edges[i].source, graph.edges[i].target, i, g);
  }
  KG_ASSIGN_OR_RETURN(DocumentIds docs, DocumentIds::Load(reader));
  Status first_error;

  auto node = [&graph](auto field) {
    return boost::make_function_property_map<Vertex>(
        [&graph, field](Vertex v) { return field(graph.nodes[v]); });
  };
  auto edge = [&graph, &g](auto field) {
    return boost::make_function_property_map<Edge>(
        [&graph, &g, field](Edge e) { return field(graph.edges[g[e]]); });
  };
  boost::dynamic_properties dp;
  dp.property("actor_id", node([](const ExportNode& n) { return internal::HexId(n.id); }));
  dp.property("label", node([](const ExportNode& n) { return SanitizeText(n.name); }));
  dp.property("code", node([](const ExportNode& n) { return SanitizeText(n.code); }));
  dp.property("type", node([](const ExportNode& n) { return std::string(ActorTypeName(n.type)); }));
  dp.property("aliases", node([](const ExportNode& n) { return SanitizeText(Join(n.aliases)); }));
  dp.property("degree", node([](const ExportNode& n) { return static_cast<long>(n.degree()); }));
  dp.property("out_events",
              node([](const ExportNode& n) { return static_cast<long>(n.out_events); }));
  dp.property("in_events",
              node([](const ExportNode& n) { return static_cast<long>(n.in_events); }));

  dp.property("relation", edge([](const ExportEdge& e) { return SanitizeText(e.relation); }));
  dp.property("label",
              edge([](const ExportEdge& e) { return SanitizeText(internal::EdgeLabel(e)); }));
  dp.property("count", edge([](const ExportEdge& e) { return static_cast<long>(e.count); }));
  dp.property("negated", edge([](const ExportEdge& e) { return e.negated; }));
  dp.property("cameo", edge([](const ExportEdge& e) { return SanitizeText(e.cameo); }));
  dp.property("quad_class",
              edge([](const ExportEdge& e) { return std::string(QuadClassName(e.quad)); }));
  dp.property("color",
              edge([](const ExportEdge& e) { return std::string(QuadClassColor(e.quad)); }));
  dp.property("goldstein", edge([](const ExportEdge& e) { return e.goldstein; }));
  dp.property("first_date",
              edge([](const ExportEdge& e) { return internal::DateText(e.first_date); }));
  dp.property("last_date",
              edge([](const ExportEdge& e) { return internal::DateText(e.last_date); }));
  dp.property("documents", boost::make_function_property_map<Edge>([&](Edge e) {
                Result<std::vector<std::string>> ids = EdgeDocuments(reader, graph, g[e], docs);
                if (!ids.ok()) {
                  if (first_error.ok()) first_error = ids.status();
                  return std::string();
                }
                return SanitizeText(Join(*ids));
              }));
  try {
    boost::write_graphml(out, g, dp, /*ordered_vertices=*/true);
  } catch (const std::exception& e) {
    return Status::Internal(std::string("writing GraphML: ") + e.what());
  }
  KG_RETURN_IF_ERROR(first_error);
  return internal::StreamStatus(out, "GraphML");
}

}  // namespace kg::exporter
