// HTML: one self-contained page. The selected graph goes into a JSON data
// block (with "</" escaped so no string can close the script element), the
// viewer's CSS and JS are inlined from html_viewer.cc. No network access.
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <map>
#include <ostream>
#include <unordered_map>

#include "export/exporter.h"
#include "export/html_viewer.h"
#include "export/internal.h"

namespace kg::exporter {
namespace {

using JsonWriter = rapidjson::Writer<rapidjson::StringBuffer>;

void Str(JsonWriter& w, std::string_view key, std::string_view value) {
  w.Key(key.data(), static_cast<rapidjson::SizeType>(key.size()));
  const std::string clean = SanitizeText(value);
  w.String(clean.data(), static_cast<rapidjson::SizeType>(clean.size()));
}

std::string HtmlEscape(std::string_view text) {
  std::string out;
  for (char c : SanitizeText(text)) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

// Titles of the documents quoted in the page, looked up once each.
class TitleCache {
 public:
  explicit TitleCache(const GraphReader& reader) : reader_(reader) {}
  Result<std::string> Get(const std::string& doc_id) {
    auto it = titles_.find(doc_id);
    if (it != titles_.end()) return it->second;
    KG_ASSIGN_OR_RETURN(std::optional<DocumentMeta> meta, reader_.GetDocument(doc_id));
    std::string title = meta ? meta->title : "";
    titles_.emplace(doc_id, title);
    return title;
  }

 private:
  const GraphReader& reader_;
  std::unordered_map<std::string, std::string> titles_;
};

Status WriteEdge(const GraphReader& reader, const Subgraph& graph, size_t index,
                 const WriteOptions& options, TitleCache* titles, JsonWriter& w) {
  const ExportEdge& e = graph.edges[index];
  std::map<Date, int64_t> dates;
  std::vector<EventKey> quoted;
  KG_RETURN_IF_ERROR(ForEachEdgeEvent(reader, graph, index, [&](const EdgeEntry& entry) {
    ++dates[entry.date];
    if (quoted.size() < options.max_quotes_per_edge) quoted.push_back(entry.event);
    return true;
  }));
  w.StartObject();
  w.Key("s");
  w.Uint64(e.source);
  w.Key("t");
  w.Uint64(e.target);
  Str(w, "rel", e.relation);
  w.Key("neg");
  w.Bool(e.negated);
  w.Key("count");
  w.Int64(e.count);
  Str(w, "cameo", e.cameo);
  Str(w, "quad", QuadClassName(e.quad));
  Str(w, "color", QuadClassColor(e.quad));
  w.Key("goldstein");
  w.Double(e.goldstein);
  Str(w, "first", internal::DateText(e.first_date));
  Str(w, "last", internal::DateText(e.last_date));
  w.Key("dates");
  w.StartArray();
  for (const auto& [date, n] : dates) {
    w.StartArray();
    const std::string text = internal::DateText(date);
    w.String(text.data(), static_cast<rapidjson::SizeType>(text.size()));
    w.Int64(n);
    w.EndArray();
  }
  w.EndArray();
  w.Key("ev");
  w.StartArray();
  for (const EventKey& key : quoted) {
    KG_ASSIGN_OR_RETURN(std::optional<StoredEvent> event, reader.GetEvent(key));
    if (!event) continue;
    KG_ASSIGN_OR_RETURN(std::string title, titles->Get(event->doc_id));
    for (const Mention& m : event->event.mentions) {
      w.StartObject();
      Str(w, "date", internal::DateText(event->date));
      Str(w, "doc", event->doc_id);
      Str(w, "title", title);
      w.Key("sentence");
      w.Uint(m.sentence);
      Str(w, "quote", m.quote);
      if (event->event.attributed_to) Str(w, "speaker", *event->event.attributed_to);
      w.EndObject();
    }
  }
  w.EndArray();
  w.Key("more");
  w.Int64(e.count - static_cast<int64_t>(quoted.size()));
  // Distinct documents, counted without keeping their ids.
  std::vector<DocKey> docs;
  KG_RETURN_IF_ERROR(ForEachEdgeEvent(reader, graph, index, [&](const EdgeEntry& entry) {
    docs.push_back(entry.event.doc);
    return true;
  }));
  std::sort(docs.begin(), docs.end());
  w.Key("docs");
  w.Uint64(static_cast<uint64_t>(std::unique(docs.begin(), docs.end()) - docs.begin()));
  w.EndObject();
  return Status::Ok();
}

}  // namespace

Status WriteHtml(const GraphReader& reader, const Subgraph& graph, const WriteOptions& options,
                 std::ostream& out) {
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  w.StartObject();
  Str(w, "title", options.title);
  w.Key("quads");
  w.StartArray();
  for (QuadClass q :
       {QuadClass::kVerbalCooperation, QuadClass::kMaterialCooperation, QuadClass::kVerbalConflict,
        QuadClass::kMaterialConflict, QuadClass::kUnknown}) {
    w.StartObject();
    Str(w, "name", QuadClassName(q));
    Str(w, "color", QuadClassColor(q));
    w.EndObject();
  }
  w.EndArray();
  w.Key("types");
  w.StartObject();
  for (const auto& [type, color] : {std::pair{ActorType::kCountry, "#dbe8f6"},
                                    {ActorType::kPerson, "#fdebd0"},
                                    {ActorType::kOrganization, "#e6ddf1"},
                                    {ActorType::kGroup, "#f5dcdc"},
                                    {ActorType::kPlace, "#e1f0e1"},
                                    {ActorType::kUnknown, "#eeeeee"}}) {
    Str(w, ActorTypeName(type), color);
  }
  w.EndObject();
  w.Key("nodes");
  w.StartArray();
  for (const ExportNode& n : graph.nodes) {
    w.StartObject();
    Str(w, "name", n.name);
    Str(w, "code", n.code);
    Str(w, "type", ActorTypeName(n.type));
    w.Key("aliases");
    w.StartArray();
    for (const std::string& alias : n.aliases) {
      const std::string clean = SanitizeText(alias);
      w.String(clean.data(), static_cast<rapidjson::SizeType>(clean.size()));
    }
    w.EndArray();
    w.Key("degree");
    w.Int64(n.degree());
    w.Key("centre");
    w.Bool(n.centre);
    w.EndObject();
  }
  w.EndArray();
  w.Key("edges");
  w.StartArray();
  TitleCache titles(reader);
  for (size_t i = 0; i < graph.edges.size(); ++i) {
    KG_RETURN_IF_ERROR(WriteEdge(reader, graph, i, options, &titles, w));
  }
  w.EndArray();
  w.EndObject();

  std::string json(buffer.GetString(), buffer.GetSize());
  for (size_t pos = json.find("</"); pos != std::string::npos; pos = json.find("</", pos + 3)) {
    json.replace(pos, 2, "<\\/");
  }
  const std::string title = HtmlEscape(options.title);
  out << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      << "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      << "<title>" << title << "</title>\n<style>" << internal::kViewerCss << "</style>\n</head>\n"
      << "<body>\n<header><h1>" << title << "</h1><span id=\"kg-status\">" << graph.nodes.size()
      << " actors, " << graph.edges.size() << " edges (script not run)</span></header>\n"
      << "<main>\n<aside id=\"kg-controls\">\n"
      << "<h2>Dates</h2><div class=\"muted\" id=\"kg-date-range\"></div>\n"
      << "<label>From <input type=\"date\" id=\"kg-from\"></label>\n"
      << "<label>To <input type=\"date\" id=\"kg-to\"></label>\n"
      << "<h2>CAMEO class</h2><div id=\"kg-quads\"></div>\n"
      << "<h2>Relations</h2><div><button id=\"kg-rel-all\" type=\"button\">all</button>"
      << "<button id=\"kg-rel-none\" type=\"button\">none</button></div><div "
         "id=\"kg-relations\"></div>\n"
      << "<h2>View</h2><button id=\"kg-reset\" type=\"button\">Fit to window</button>\n"
      << "<p class=\"muted\">Scroll to zoom, drag to pan, drag an actor to move it.</p>\n"
      << "</aside>\n<div id=\"kg-canvas\">\n"
      << "<svg id=\"kg-graph\" xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-label=\""
      << title << "\"><defs id=\"kg-defs\"></defs><g id=\"kg-viewport\"><g id=\"kg-edges\"></g>"
      << "<g id=\"kg-nodes\"></g></g></svg>\n<div id=\"kg-tooltip\" hidden></div>\n</div>\n"
      << "<aside id=\"kg-details\"><h2>Details</h2><div id=\"kg-detail-body\"><p class=\"muted\">"
      << "Hover an edge to preview it; click an edge or an actor to read the evidence.</p></div>"
      << "</aside>\n</main>\n<noscript>This page needs JavaScript to draw the graph.</noscript>\n"
      << "<script type=\"application/json\" id=\"kg-data\">" << json << "</script>\n"
      << "<script>" << internal::kViewerJs << "</script>\n</body>\n</html>\n";
  return internal::StreamStatus(out, "HTML");
}

}  // namespace kg::exporter
