// JSON Lines: one object per selected event with its full provenance,
// streamed from index scans and point lookups (no per-event state is kept).
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <functional>
#include <ostream>

#include "export/exporter.h"
#include "export/internal.h"
#include "graph/ids.h"

namespace kg::exporter {
namespace {

class LineWriter {
 public:
  void Str(std::string_view key, std::string_view value) {
    Key(key);
    const std::string clean = SanitizeText(value);
    w_.String(clean.data(), static_cast<rapidjson::SizeType>(clean.size()));
  }
  void Key(std::string_view key) {
    w_.Key(key.data(), static_cast<rapidjson::SizeType>(key.size()));
  }
  void Actor(std::string_view key, const ActorRef& ref, ActorId id) {
    Key(key);
    w_.StartObject();
    Str("id", internal::HexId(id));
    Str("name", ref.name);
    Str("code", ref.code);
    Str("text", ref.text);
    w_.EndObject();
  }
  rapidjson::Writer<rapidjson::StringBuffer>& w() { return w_; }
  void Reset() {
    buffer_.Clear();
    w_.Reset(buffer_);
  }
  std::string_view Text() const { return {buffer_.GetString(), buffer_.GetSize()}; }

 private:
  rapidjson::StringBuffer buffer_;
  rapidjson::Writer<rapidjson::StringBuffer> w_{buffer_};
};

using StoredEventVisitor = std::function<bool(const StoredEvent&)>;

// Visits the selected events with their full payload. The common case (the
// whole graph, filtered per event only) reads the events column document by
// document, a sequential scan; otherwise it walks the edge indexes and looks
// each event up.
Status ForEachSelectedStoredEvent(const GraphReader& reader, const SelectionOptions& selection,
                                  const StoredEventVisitor& visit) {
  const bool sequential = selection.around.empty() && selection.min_count <= 1 &&
                          selection.top == 0 && !selection.events && selection.relations.empty();
  if (sequential) {
    KG_ASSIGN_OR_RETURN(EventFilter filter, MakeEventFilter(selection));
    Status inner;
    bool stopped = false;
    KG_RETURN_IF_ERROR(reader.ScanDocuments([&](const DocumentMeta& meta) {
      if (meta.date < filter.date_from || meta.date > filter.date_to) return true;
      inner = reader.ScanDocumentEvents(meta.id, [&](const StoredEvent& event) {
        if (!filter.Matches(IndexEntryOf(event))) return true;
        if (!visit(event)) stopped = true;
        return !stopped;
      });
      return inner.ok() && !stopped;
    }));
    return inner;
  }
  Status error;
  KG_RETURN_IF_ERROR(ForEachSelectedEvent(reader, selection, [&](const EdgeEntry& entry) {
    Result<std::optional<StoredEvent>> got = reader.GetEvent(entry.event);
    if (!got.ok()) {
      error = got.status();
      return false;
    }
    return !got->has_value() || visit(**got);
  }));
  return error;
}

}  // namespace

Result<int64_t> WriteJsonLines(const GraphReader& reader, const SelectionOptions& selection,
                               std::ostream& out) {
  int64_t lines = 0;
  Status error;
  LineWriter line;
  KG_RETURN_IF_ERROR(ForEachSelectedStoredEvent(reader, selection, [&](const StoredEvent& s) {
    const Event& ev = s.event;
    line.Reset();
    auto& w = line.w();
    w.StartObject();
    line.Str("doc_id", s.doc_id);
    line.Key("ordinal");
    w.Uint(s.key.ordinal);
    line.Str("date", internal::DateText(s.date));
    line.Actor("source", ev.source, s.source_id);
    line.Str("relation", ev.relation);
    line.Str("cameo", ev.cameo);
    line.Str("quad_class", QuadClassName(QuadClassOf(ev.cameo)));
    line.Key("goldstein");
    w.Double(ev.goldstein);
    line.Actor("target", ev.target, s.target_id);
    line.Key("negated");
    w.Bool(ev.negated);
    line.Key("attributed_to");
    if (ev.attributed_to) {
      const std::string clean = SanitizeText(*ev.attributed_to);
      w.String(clean.data(), static_cast<rapidjson::SizeType>(clean.size()));
    } else {
      w.Null();
    }
    line.Key("mentions");
    w.StartArray();
    for (const Mention& m : ev.mentions) {
      w.StartObject();
      line.Key("sentence");
      w.Uint(m.sentence);
      line.Key("begin");
      w.Uint(m.begin);
      line.Key("end");
      w.Uint(m.end);
      line.Str("quote", m.quote);
      w.EndObject();
    }
    w.EndArray();
    w.EndObject();
    out << line.Text() << '\n';
    ++lines;
    if (out.fail()) {
      error = Status::IoError("writing JSON Lines failed");
      return false;
    }
    return true;
  }));
  KG_RETURN_IF_ERROR(error);
  return lines;
}

}  // namespace kg::exporter
