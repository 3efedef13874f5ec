#include "graph/store_check.h"

#include <algorithm>
#include <array>
#include <cinttypes>
#include <cstdio>
#include <map>
#include <optional>
#include <set>
#include <tuple>
#include <unordered_map>
#include <unordered_set>

#include "graph/date.h"
#include "graph/ids.h"

namespace kg {
namespace {

constexpr std::array<EdgeIndex, 3> kIndexes = {EdgeIndex::kBySource, EdgeIndex::kByTarget,
                                               EdgeIndex::kByRelation};

std::string_view ShortIndexName(EdgeIndex index) {
  switch (index) {
    case EdgeIndex::kBySource:
      return "edges_out";
    case EdgeIndex::kByTarget:
      return "edges_in";
    case EdgeIndex::kByRelation:
      return "edges_rel";
  }
  return "?";
}

std::string Hex(uint64_t v) {
  char buf[19];
  std::snprintf(buf, sizeof buf, "0x%016" PRIx64, v);
  return buf;
}

std::string DateText(Date d) { return d == kUnknownDate ? "unknown" : FormatIsoDate(d); }

std::string DoubleText(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

// Escapes a string so that a dump line stays one line with tab-separated fields.
std::string Escape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (unsigned char c : s) {
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      default:
        if (c < 0x20 || c == 0x7f) {
          char buf[5];
          std::snprintf(buf, sizeof buf, "\\x%02x", c);
          out += buf;
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  return out;
}

// "date 2016-10-04 vs 2016-10-05; negated 1 vs 0" for the fields that differ.
std::string DescribeDifference(const EdgeEntry& stored, const EdgeEntry& expected) {
  std::string out;
  auto add = [&](std::string_view field, const std::string& a, const std::string& b) {
    if (a == b) return;
    if (!out.empty()) out += "; ";
    out += std::string(field) + " " + a + " in the index vs " + b + " in the event";
  };
  add("source", Hex(stored.source), Hex(expected.source));
  add("relation", Hex(stored.relation), Hex(expected.relation));
  add("target", Hex(stored.target), Hex(expected.target));
  add("date", DateText(stored.date), DateText(expected.date));
  add("cameo", "'" + stored.cameo + "'", "'" + expected.cameo + "'");
  add("goldstein", DoubleText(stored.goldstein), DoubleText(expected.goldstein));
  add("negated", std::to_string(stored.negated), std::to_string(expected.negated));
  add("attributed_to", Hex(stored.attributed_to), Hex(expected.attributed_to));
  return out;
}

struct EventInfo {
  EdgeEntry expected;
  uint8_t seen[3] = {0, 0, 0};  // Entries found per index.
};

class Checker {
 public:
  Checker(const GraphReader& reader, const CheckOptions& options)
      : reader_(reader), options_(options) {}

  Result<CheckReport> Run() {
    KG_RETURN_IF_ERROR(LoadNames());
    KG_RETURN_IF_ERROR(CheckDocuments());
    KG_RETURN_IF_ERROR(CheckEvents());
    for (EdgeIndex index : kIndexes) KG_RETURN_IF_ERROR(CheckIndex(index));
    ReportMissingIndexEntries();
    KG_RETURN_IF_ERROR(CheckPairCounts());
    KG_RETURN_IF_ERROR(CheckActors());
    KG_RETURN_IF_ERROR(CheckRelations());
    KG_RETURN_IF_ERROR(CheckStats());
    KG_RETURN_IF_ERROR(CheckTopology());
    return std::move(report_);
  }

 private:
  void Problem(std::string line) {
    ++report_.problem_count;
    if (report_.problems.size() < options_.max_listed) report_.problems.push_back(std::move(line));
  }

  // Decode failures become problems; anything else aborts the check.
  Status Absorb(const Status& s, std::string_view what) {
    if (s.ok()) return s;
    if (s.code() == StatusCode::kCorruption || s.code() == StatusCode::kInvalidArgument) {
      Problem(std::string(what) + ": scan stopped at undecodable data: " + s.message());
      return Status::Ok();
    }
    return s.WithContext(what);
  }

  std::string DocLabel(DocKey key) const {
    auto it = doc_ids_.find(key);
    if (it != doc_ids_.end()) return "document '" + it->second + "'";
    return "document key " + Hex(key);
  }
  std::string EventLabel(const EventKey& key) const {
    return DocLabel(key.doc) + " event #" + std::to_string(key.ordinal);
  }
  std::string ActorLabel(ActorId id) const {
    auto it = actor_names_.find(id);
    return it != actor_names_.end() ? "'" + it->second + "' (" + Hex(id) + ")" : Hex(id);
  }
  std::string RelationLabel(RelationId id) const {
    auto it = relation_names_.find(id);
    return it != relation_names_.end() ? "'" + it->second + "' (" + Hex(id) + ")" : Hex(id);
  }
  std::string EdgeLabel(const EdgeEntry& e) const {
    return ActorLabel(e.source) + " -" + RelationLabel(e.relation) + "-> " + ActorLabel(e.target) +
           " on " + DateText(e.date);
  }

  Status LoadNames() {
    KG_RETURN_IF_ERROR(Absorb(reader_.ScanActors([&](const ActorRecord& a) {
      actor_names_.emplace(a.id, a.name);
      actors_.push_back(a);
      return true;
    }),
                              "actors"));
    KG_RETURN_IF_ERROR(Absorb(reader_.ScanRelations([&](RelationId id, const std::string& name) {
      relation_names_.emplace(id, name);
      return true;
    }),
                              "relations"));
    report_.actors = actors_.size();
    report_.relations = relation_names_.size();
    return Status::Ok();
  }

  Status CheckDocuments() {
    std::vector<DocumentMeta> docs;
    KG_RETURN_IF_ERROR(Absorb(reader_.ScanDocuments([&](const DocumentMeta& m) {
      docs.push_back(m);
      return true;
    }),
                              "docs"));
    report_.documents = docs.size();
    for (const DocumentMeta& m : docs) {
      const DocKey key = DocKeyFor(m.id);
      if (!doc_ids_.emplace(key, m.id).second) {
        Problem("docs: two records name document '" + m.id + "'");
        continue;
      }
      doc_dates_[key] = m.date;
      // The record must be stored under the key its id hashes to.
      auto found = reader_.GetDocument(m.id);
      if (!found.ok()) {
        KG_RETURN_IF_ERROR(Absorb(found.status(), "docs"));
      } else if (!*found || !(**found == m)) {
        Problem("docs: record of document '" + m.id + "' is not stored under its key " + Hex(key));
      }
    }
    return Status::Ok();
  }

  Status CheckEvents() {
    std::optional<DocKey> current;
    uint32_t next_ordinal = 0;
    Status scanned = reader_.ScanEvents([&](const StoredEvent& ev) {
      ++report_.events;
      const std::string label = EventLabel(ev.key);
      if (!current || *current != ev.key.doc) {
        current = ev.key.doc;
        next_ordinal = 0;
        if (!doc_ids_.count(ev.key.doc)) {
          Problem("events: " + label + " (document id '" + ev.doc_id +
                  "') has no docs record: the document is incomplete");
        }
      }
      if (ev.key.ordinal != next_ordinal) {
        Problem("events: " + label + ": ordinals are not contiguous (expected #" +
                std::to_string(next_ordinal) + ")");
      }
      next_ordinal = ev.key.ordinal + 1;
      if (DocKeyFor(ev.doc_id) != ev.key.doc) {
        Problem("events: " + label + " names document '" + ev.doc_id + "' whose key is " +
                Hex(DocKeyFor(ev.doc_id)));
      }
      auto date = doc_dates_.find(ev.key.doc);
      if (date != doc_dates_.end() && date->second != ev.date) {
        Problem("events: " + label + " has date " + DateText(ev.date) + " but its document has " +
                DateText(date->second));
      }
      if (ActorIdFor(ev.event.source.name) != ev.source_id) {
        Problem("events: " + label + ": source id " + Hex(ev.source_id) + " is not the id of '" +
                ev.event.source.name + "'");
      }
      if (ActorIdFor(ev.event.target.name) != ev.target_id) {
        Problem("events: " + label + ": target id " + Hex(ev.target_id) + " is not the id of '" +
                ev.event.target.name + "'");
      }
      if (RelationIdFor(ev.event.relation) != ev.relation_id) {
        Problem("events: " + label + ": relation id " + Hex(ev.relation_id) +
                " is not the id of '" + ev.event.relation + "'");
      }
      referenced_actors_.emplace(ev.source_id, ev.event.source.name);
      referenced_actors_.emplace(ev.target_id, ev.event.target.name);
      referenced_relations_.emplace(ev.relation_id, NormalizeName(ev.event.relation));
      if (!ev.event.negated) {
        ++pairs_[{ev.relation_id, ev.source_id, ev.target_id}];
        ++degrees_[ev.source_id].first;
        ++degrees_[ev.target_id].second;
      }
      EventInfo info;
      info.expected = IndexEntryOf(ev);
      events_.emplace_back(ev.key, std::move(info));
      return true;
    });
    KG_RETURN_IF_ERROR(Absorb(scanned, "events"));
    // Each document holds exactly the number of events its record says (a
    // replaced document whose new events never arrived shows up here).
    std::map<DocKey, uint32_t> seen;
    for (const auto& [key, info] : events_) ++seen[key.doc];
    for (const auto& [key, id] : doc_ids_) {
      auto recorded = reader_.GetDocumentEventCount(id);
      if (!recorded.ok()) {
        KG_RETURN_IF_ERROR(Absorb(recorded.status(), "docs"));
        continue;
      }
      uint32_t have = seen.count(key) ? seen[key] : 0;
      if (*recorded && **recorded != have) {
        Problem("docs: document '" + id + "' records " + std::to_string(**recorded) +
                " events but " + std::to_string(have) + " are stored");
      }
    }
    std::sort(events_.begin(), events_.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
    for (size_t i = 1; i < events_.size(); ++i) {
      if (events_[i].first == events_[i - 1].first) {
        Problem("events: " + EventLabel(events_[i].first) + " appears twice");
      }
    }
    return Status::Ok();
  }

  EventInfo* FindEvent(const EventKey& key) {
    auto it = std::lower_bound(events_.begin(), events_.end(), key,
                               [](const auto& a, const EventKey& k) { return a.first < k; });
    if (it == events_.end() || it->first != key) return nullptr;
    return &it->second;
  }

  Status CheckIndex(EdgeIndex index) {
    const size_t slot = static_cast<size_t>(index);
    const std::string name(ShortIndexName(index));
    Status scanned = reader_.ScanIndex(index, [&](const EdgeEntry& e) {
      ++report_.index_entries;
      EventInfo* info = FindEvent(e.event);
      if (info == nullptr) {
        Problem(name + ": orphan entry for " + EventLabel(e.event) + " (" + EdgeLabel(e) +
                "): no such event");
        return true;
      }
      if (++info->seen[slot] > 1) {
        Problem(name + ": more than one entry for " + EventLabel(e.event) + " (" + EdgeLabel(e) +
                ")");
      }
      if (!(e == info->expected)) {
        Problem(name + ": entry for " + EventLabel(e.event) +
                " disagrees with the event: " + DescribeDifference(e, info->expected));
      }
      return true;
    });
    return Absorb(scanned, name);
  }

  void ReportMissingIndexEntries() {
    for (const auto& [key, info] : events_) {
      for (EdgeIndex index : kIndexes) {
        if (info.seen[static_cast<size_t>(index)] == 0) {
          Problem(std::string(ShortIndexName(index)) + ": no entry for " + EventLabel(key) + " (" +
                  EdgeLabel(info.expected) + ")");
        }
      }
    }
  }

  Status CheckPairCounts() {
    auto expected = pairs_;
    Status scanned = reader_.ScanPairCounts(std::nullopt, [&](const PairCount& pc) {
      ++report_.pair_counts;
      const std::string label = "pair count " + ActorLabel(pc.source) + " -" +
                                RelationLabel(pc.relation) + "-> " + ActorLabel(pc.target);
      auto it = expected.find({pc.relation, pc.source, pc.target});
      const int64_t want = it == expected.end() ? 0 : it->second;
      if (pc.count != want) {
        Problem("counts: " + label + " is " + std::to_string(pc.count) + " but " +
                std::to_string(want) + " asserted events have that pair");
      }
      if (it != expected.end()) expected.erase(it);
      return true;
    });
    KG_RETURN_IF_ERROR(Absorb(scanned, "counts"));
    for (const auto& [pair, n] : expected) {
      const auto& [relation, source, target] = pair;
      Problem("counts: pair count " + ActorLabel(source) + " -" + RelationLabel(relation) + "-> " +
              ActorLabel(target) + " is missing (0) but " + std::to_string(n) +
              " asserted events have that pair");
    }
    // Degrees of every stored actor and every referenced one.
    std::set<ActorId> ids;
    for (const ActorRecord& a : actors_) ids.insert(a.id);
    for (const auto& [id, name] : referenced_actors_) ids.insert(id);
    for (ActorId id : ids) {
      auto degree = reader_.GetDegree(id);
      if (!degree.ok()) {
        KG_RETURN_IF_ERROR(Absorb(degree.status(), "counts"));
        continue;
      }
      auto it = degrees_.find(id);
      const std::pair<int64_t, int64_t> want =
          it == degrees_.end() ? std::pair<int64_t, int64_t>{0, 0} : it->second;
      if (degree->first != want.first) {
        Problem("counts: out-degree of " + ActorLabel(id) + " is " + std::to_string(degree->first) +
                " but the recount is " + std::to_string(want.first));
      }
      if (degree->second != want.second) {
        Problem("counts: in-degree of " + ActorLabel(id) + " is " + std::to_string(degree->second) +
                " but the recount is " + std::to_string(want.second));
      }
    }
    return Status::Ok();
  }

  Status CheckActors() {
    for (const ActorRecord& a : actors_) {
      if (ActorIdFor(a.name) != a.id) {
        Problem("actors: record '" + a.name + "' has id " + Hex(a.id) + " but its name hashes to " +
                Hex(ActorIdFor(a.name)));
      }
      std::vector<std::string> names = a.aliases;
      names.push_back(a.name);
      for (const std::string& alias : names) {
        auto found = reader_.FindActorsByAlias(alias);
        if (!found.ok()) {
          KG_RETURN_IF_ERROR(Absorb(found.status(), "names"));
          continue;
        }
        if (std::find(found->begin(), found->end(), a.id) == found->end()) {
          Problem("names: alias '" + alias + "' does not find actor " + ActorLabel(a.id));
        }
      }
    }
    for (const auto& [id, name] : referenced_actors_) {
      if (actor_names_.count(id)) continue;
      auto found = reader_.GetActor(id);
      if (!found.ok()) {
        KG_RETURN_IF_ERROR(Absorb(found.status(), "actors"));
      } else if (!*found) {
        Problem("actors: events reference '" + name + "' (" + Hex(id) + ") but it has no record");
      }
    }
    return Status::Ok();
  }

  Status CheckRelations() {
    for (const auto& [id, name] : relation_names_) {
      if (RelationIdFor(name) != id) {
        Problem("relations: record '" + name + "' has id " + Hex(id) + " but its name hashes to " +
                Hex(RelationIdFor(name)));
      }
    }
    for (const auto& [id, name] : referenced_relations_) {
      auto found = reader_.GetRelationName(id);
      if (!found.ok()) {
        KG_RETURN_IF_ERROR(Absorb(found.status(), "relations"));
      } else if (!*found) {
        Problem("relations: events use relation '" + name + "' (" + Hex(id) +
                ") but it has no record");
      } else if (**found != name) {
        Problem("relations: record " + Hex(id) + " is named '" + **found +
                "' but events call it '" + name + "'");
      }
    }
    return Status::Ok();
  }

  Status CheckStats() {
    auto stats = reader_.Stats();
    if (!stats.ok()) return Absorb(stats.status(), "stats");
    if (stats->documents != static_cast<int64_t>(report_.documents)) {
      Problem("counts: store total 'documents' is " + std::to_string(stats->documents) + " but " +
              std::to_string(report_.documents) + " documents are stored");
    }
    if (stats->events != static_cast<int64_t>(report_.events)) {
      Problem("counts: store total 'events' is " + std::to_string(stats->events) + " but " +
              std::to_string(report_.events) + " events are stored");
    }
    return Status::Ok();
  }

  // A topology the reader would use must equal one rebuilt from edges_out.
  Status CheckTopology() {
    auto stored = reader_.GetTopology();
    if (!stored.ok()) return Absorb(stored.status(), "topology");
    if (*stored == nullptr) return Status::Ok();
    std::vector<ActorId> actors;
    for (const ActorRecord& a : actors_) actors.push_back(a.id);
    std::sort(actors.begin(), actors.end());
    std::vector<RelationId> relations;
    for (const auto& [id, name] : relation_names_) relations.push_back(id);
    TopologyBuilder builder(std::move(actors), std::move(relations), (*stored)->generation());
    Status added;
    EdgeScanSpec all;
    all.decode_value = false;
    KG_RETURN_IF_ERROR(reader_.ScanEdges(all, [&](const EdgeEntry& e) {
      added = builder.AddEvent(e.source, e.relation, e.target, e.negated);
      return added.ok();
    }));
    if (!added.ok()) return Absorb(added, "topology");
    auto rebuilt = builder.Finish();
    if (!rebuilt.ok()) return Absorb(rebuilt.status(), "topology");
    report_.topology_links = (*stored)->num_links();
    if (!((*rebuilt)->csr() == (*stored)->csr())) {
      Problem("topology: the stored topology (" + std::to_string((*stored)->num_links()) +
              " links) differs from the edges (" + std::to_string((*rebuilt)->num_links()) +
              " links); run kg optimize");
    }
    return Status::Ok();
  }

  const GraphReader& reader_;
  const CheckOptions& options_;
  CheckReport report_;

  std::unordered_map<DocKey, std::string> doc_ids_;
  std::unordered_map<DocKey, Date> doc_dates_;
  std::unordered_map<ActorId, std::string> actor_names_;
  std::vector<ActorRecord> actors_;
  std::map<RelationId, std::string> relation_names_;
  std::vector<std::pair<EventKey, EventInfo>> events_;
  std::map<ActorId, std::string> referenced_actors_;
  std::map<RelationId, std::string> referenced_relations_;
  std::map<std::tuple<RelationId, ActorId, ActorId>, int64_t> pairs_;
  std::unordered_map<ActorId, std::pair<int64_t, int64_t>> degrees_;
};

std::string RefText(const ActorRef& ref) {
  return Escape(ref.text) + "\t" + Escape(ref.name) + "\t" + Escape(ref.code);
}

std::string EdgeText(const EdgeEntry& e) {
  return Hex(e.source) + "\t" + Hex(e.relation) + "\t" + Hex(e.target) + "\t" + DateText(e.date) +
         "\t" + Hex(e.event.doc) + "\t" + std::to_string(e.event.ordinal) + "\t" + Escape(e.cameo) +
         "\t" + DoubleText(e.goldstein) + "\t" + std::to_string(e.negated) + "\t" +
         Hex(e.attributed_to);
}

}  // namespace

std::string CheckReport::Summary() const {
  return std::to_string(documents) + " documents, " + std::to_string(events) + " events, " +
         std::to_string(index_entries) + " index entries, " + std::to_string(pair_counts) +
         " pair counts, " + std::to_string(actors) + " actors, " + std::to_string(relations) +
         " relations" +
         (topology_links > 0 ? ", " + std::to_string(topology_links) + " topology links" : "");
}

Result<CheckReport> CheckStore(const GraphReader& reader, const CheckOptions& options) {
  Checker checker(reader, options);
  return checker.Run();
}

Status DumpStore(const GraphReader& reader, std::ostream& out) {
  KG_ASSIGN_OR_RETURN(StoreStats stats, reader.Stats());
  out << "stats\tdocuments=" << stats.documents << "\tevents=" << stats.events
      << "\tactors=" << stats.actors << "\trelations=" << stats.relations << '\n';
  // Scans run in key order and every key is derived from content, so scan
  // order is already canonical.
  KG_RETURN_IF_ERROR(reader.ScanDocuments([&](const DocumentMeta& m) {
    out << "doc\t" << Escape(m.id) << '\t' << Escape(m.title) << '\t' << Escape(m.source) << '\t'
        << DateText(m.date) << '\t' << Hex(m.content_hash) << '\t' << m.sentences << '\n';
    return true;
  }));
  KG_RETURN_IF_ERROR(reader.ScanEvents([&](const StoredEvent& ev) {
    const Event& e = ev.event;
    out << "event\t" << Escape(ev.doc_id) << '\t' << ev.key.ordinal << '\t' << DateText(ev.date)
        << '\t' << RefText(e.source) << '\t' << Escape(e.relation) << '\t' << Escape(e.cameo)
        << '\t' << DoubleText(e.goldstein) << '\t' << RefText(e.target) << '\t' << e.negated << '\t'
        << Escape(e.modality) << '\t'
        << (e.attributed_to ? "@" + Escape(*e.attributed_to) : std::string("-"));
    for (const Mention& m : e.mentions) {
      out << '\t' << m.sentence << ':' << m.begin << '-' << m.end << ':' << Escape(m.quote);
    }
    out << '\n';
    return true;
  }));
  for (EdgeIndex index : kIndexes) {
    const std::string name(ShortIndexName(index));
    KG_RETURN_IF_ERROR(reader.ScanIndex(index, [&](const EdgeEntry& e) {
      out << name << '\t' << EdgeText(e) << '\n';
      return true;
    }));
  }
  std::vector<ActorId> actor_ids;
  KG_RETURN_IF_ERROR(reader.ScanActors([&](const ActorRecord& a) {
    actor_ids.push_back(a.id);
    out << "actor\t" << Hex(a.id) << '\t' << Escape(a.name) << '\t' << Escape(a.code) << '\t'
        << ActorTypeName(a.type);
    for (const std::string& alias : a.aliases) out << '\t' << Escape(alias);
    out << '\n';
    return true;
  }));
  KG_RETURN_IF_ERROR(reader.ScanRelations([&](RelationId id, const std::string& name) {
    out << "relation\t" << Hex(id) << '\t' << Escape(name) << '\n';
    return true;
  }));
  KG_RETURN_IF_ERROR(reader.ScanPairCounts(std::nullopt, [&](const PairCount& pc) {
    out << "pair\t" << Hex(pc.relation) << '\t' << Hex(pc.source) << '\t' << Hex(pc.target) << '\t'
        << pc.count << '\n';
    return true;
  }));
  for (ActorId id : actor_ids) {
    KG_ASSIGN_OR_RETURN(auto degree, reader.GetDegree(id));
    out << "degree\t" << Hex(id) << '\t' << degree.first << '\t' << degree.second << '\n';
  }
  out.flush();
  if (!out) return Status::IoError("writing the dump failed");
  return Status::Ok();
}

}  // namespace kg
