// neo4j-admin import CSV: nodes.csv and relationships.csv with typed headers.
// Fields are double-quoted (quotes doubled); line breaks become spaces so the
// default --multiline-fields=false import works; ';' inside array elements
// becomes ',' because Neo4j has no escape for its array delimiter.
#include <cctype>
#include <filesystem>
#include <fstream>

#include "export/exporter.h"
#include "export/internal.h"

namespace kg::exporter {
namespace {

std::string CsvField(std::string_view text) {
  std::string out = "\"";
  for (char c : SanitizeText(text)) {
    if (c == '"') {
      out += "\"\"";
    } else if (c == '\n' || c == '\t') {
      out += ' ';
    } else {
      out += c;
    }
  }
  out += '"';
  return out;
}

std::string CsvArray(const std::vector<std::string>& items) {
  std::string joined;
  for (const std::string& item : items) {
    if (!joined.empty()) joined += ';';
    for (char c : item) joined += c == ';' ? ',' : c;
  }
  return CsvField(joined);
}

// Relationship type: upper case, runs of non-alphanumerics as one '_'.
std::string RelationshipType(std::string_view relation) {
  std::string out;
  for (unsigned char c : relation) {
    if (std::isalnum(c) || c >= 0x80) {
      out += static_cast<char>(std::toupper(c));
    } else if (!out.empty() && out.back() != '_') {
      out += '_';
    }
  }
  while (!out.empty() && out.back() == '_') out.pop_back();
  return out.empty() ? "RELATED" : SanitizeText(out);
}

std::string Label(ActorType type) {
  std::string name(ActorTypeName(type));
  if (type == ActorType::kUnknown) return "Actor";
  name[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(name[0])));
  return "Actor;" + name;
}

}  // namespace

Status WriteNeo4jCsv(const GraphReader& reader, const Subgraph& graph, const std::string& dir) {
  const std::filesystem::path base(dir);
  const std::string nodes_path = (base / "nodes.csv").string();
  const std::string rels_path = (base / "relationships.csv").string();
  {
    std::ofstream out(nodes_path, std::ios::binary | std::ios::trunc);
    if (!out) return Status::IoError("cannot write '" + nodes_path + "'");
    out << "id:ID,name,code,type,aliases:string[],degree:int,out_events:int,in_events:int,:LABEL\n";
    for (const ExportNode& n : graph.nodes) {
      out << internal::HexId(n.id) << ',' << CsvField(n.name) << ',' << CsvField(n.code) << ','
          << ActorTypeName(n.type) << ',' << CsvArray(n.aliases) << ',' << n.degree() << ','
          << n.out_events << ',' << n.in_events << ',' << Label(n.type) << '\n';
    }
    out.flush();
    KG_RETURN_IF_ERROR(internal::StreamStatus(out, nodes_path));
  }
  KG_ASSIGN_OR_RETURN(DocumentIds docs, DocumentIds::Load(reader));
  std::ofstream out(rels_path, std::ios::binary | std::ios::trunc);
  if (!out) return Status::IoError("cannot write '" + rels_path + "'");
  out << ":START_ID,:END_ID,:TYPE,relation,count:int,negated:boolean,cameo,quad_class,"
         "goldstein:double,first_date:date,last_date:date,documents:string[]\n";
  for (size_t i = 0; i < graph.edges.size(); ++i) {
    const ExportEdge& e = graph.edges[i];
    KG_ASSIGN_OR_RETURN(std::vector<std::string> documents, EdgeDocuments(reader, graph, i, docs));
    out << internal::HexId(e.source_id) << ',' << internal::HexId(e.target_id) << ','
        << CsvField(RelationshipType(e.relation)) << ',' << CsvField(e.relation) << ',' << e.count
        << ',' << (e.negated ? "true" : "false") << ',' << CsvField(e.cameo) << ','
        << QuadClassName(e.quad) << ',' << internal::FormatFixed(e.goldstein, 2) << ','
        << internal::DateText(e.first_date) << ',' << internal::DateText(e.last_date) << ','
        << CsvArray(documents) << '\n';
  }
  out.flush();
  return internal::StreamStatus(out, rels_path);
}

}  // namespace kg::exporter
