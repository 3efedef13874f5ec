// Cytoscape.js elements JSON: {"elements":{"nodes":[{"data":{...}}],"edges":[...]}}.
#include <rapidjson/ostreamwrapper.h>
#include <rapidjson/prettywriter.h>

#include <ostream>

#include "export/exporter.h"
#include "export/internal.h"

namespace kg::exporter {

Status WriteCytoscape(const GraphReader& reader, const Subgraph& graph, std::ostream& out) {
  KG_ASSIGN_OR_RETURN(DocumentIds docs, DocumentIds::Load(reader));
  rapidjson::OStreamWrapper stream(out);
  rapidjson::PrettyWriter<rapidjson::OStreamWrapper> w(stream);
  w.SetIndent(' ', 1);
  w.SetFormatOptions(rapidjson::kFormatSingleLineArray);
  auto str = [&w](std::string_view key, std::string_view value) {
    w.Key(key.data(), static_cast<rapidjson::SizeType>(key.size()));
    const std::string clean = SanitizeText(value);
    w.String(clean.data(), static_cast<rapidjson::SizeType>(clean.size()));
  };
  auto strings = [&w](std::string_view key, const std::vector<std::string>& values) {
    w.Key(key.data(), static_cast<rapidjson::SizeType>(key.size()));
    w.StartArray();
    for (const std::string& v : values) {
      const std::string clean = SanitizeText(v);
      w.String(clean.data(), static_cast<rapidjson::SizeType>(clean.size()));
    }
    w.EndArray();
  };

  w.StartObject();
  w.Key("elements");
  w.StartObject();
  w.Key("nodes");
  w.StartArray();
  for (size_t i = 0; i < graph.nodes.size(); ++i) {
    const ExportNode& n = graph.nodes[i];
    w.StartObject();
    w.Key("data");
    w.StartObject();
    str("id", "n" + std::to_string(i));
    str("actor_id", internal::HexId(n.id));
    str("label", n.name);
    str("code", n.code);
    str("type", ActorTypeName(n.type));
    strings("aliases", n.aliases);
    w.Key("degree");
    w.Int64(n.degree());
    w.Key("out_events");
    w.Int64(n.out_events);
    w.Key("in_events");
    w.Int64(n.in_events);
    w.Key("centre");
    w.Bool(n.centre);
    w.EndObject();
    w.EndObject();
  }
  w.EndArray();
  w.Key("edges");
  w.StartArray();
  for (size_t i = 0; i < graph.edges.size(); ++i) {
    const ExportEdge& e = graph.edges[i];
    KG_ASSIGN_OR_RETURN(std::vector<std::string> documents, EdgeDocuments(reader, graph, i, docs));
    w.StartObject();
    w.Key("data");
    w.StartObject();
    str("id", "e" + std::to_string(i));
    str("source", "n" + std::to_string(e.source));
    str("target", "n" + std::to_string(e.target));
    str("relation", e.relation);
    str("label", internal::EdgeLabel(e));
    w.Key("count");
    w.Int64(e.count);
    w.Key("negated");
    w.Bool(e.negated);
    str("cameo", e.cameo);
    str("quad_class", QuadClassName(e.quad));
    str("color", QuadClassColor(e.quad));
    w.Key("goldstein");
    w.Double(e.goldstein);
    str("first_date", internal::DateText(e.first_date));
    str("last_date", internal::DateText(e.last_date));
    strings("documents", documents);
    w.EndObject();
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  w.EndObject();
  out << '\n';
  return internal::StreamStatus(out, "Cytoscape JSON");
}

}  // namespace kg::exporter
