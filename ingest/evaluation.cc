#include "ingest/evaluation.h"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <functional>
#include <map>
#include <set>
#include <sstream>
#include <unordered_map>
#include <utility>
#include <vector>

#include "ingest/ascii.h"
#include "ingest/eval_records.h"
#include "ingest/event_eval.h"
#include "rapidjson/document.h"
#include "rapidjson/error/en.h"

namespace kg {
namespace {

using ingest::evalrec::Clip;
using ingest::evalrec::DocumentsLine;
using ingest::evalrec::ErrorList;
using ingest::evalrec::Find;
using ingest::evalrec::Fixed3;
using ingest::evalrec::ForEachRecord;
using ingest::evalrec::Loc;

// ---------------------------------------------------------------------------
// Small helpers.

std::string Lower(std::string_view s) { return ingest::AsciiLower(s); }
std::string Upper(std::string_view s) { return ingest::AsciiUpper(s); }

double Ratio(size_t num, size_t den) {
  return den == 0 ? 0.0 : static_cast<double>(num) / static_cast<double>(den);
}

Score MakeScore(size_t gold, size_t predicted, size_t matched) {
  Score s;
  s.gold = gold;
  s.predicted = predicted;
  s.matched = matched;
  s.precision = Ratio(matched, predicted);
  s.recall = Ratio(matched, gold);
  s.f1 = (s.precision + s.recall) > 0 ? 2 * s.precision * s.recall / (s.precision + s.recall) : 0.0;
  return s;
}

std::string ScoreLine(const Score& s) {
  return "P=" + Fixed3(s.precision) + " R=" + Fixed3(s.recall) + " F1=" + Fixed3(s.f1) +
         "  (matched " + std::to_string(s.matched) + ", gold " + std::to_string(s.gold) +
         ", predicted " + std::to_string(s.predicted) + ")";
}

// Byte offset of each code point of `text`, plus text.size() at the end.
std::vector<size_t> CodePointOffsets(std::string_view text) {
  std::vector<size_t> offsets;
  offsets.reserve(text.size() + 1);
  for (size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) offsets.push_back(i);
  }
  offsets.push_back(text.size());
  return offsets;
}

// Number of leading code points that Python's str.strip() would remove
// (ASCII and the common Unicode white space).
uint32_t LeadingWhitespace(std::string_view text) {
  uint32_t n = 0;
  size_t i = 0;
  while (i < text.size()) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f' || c == 0x1c ||
        c == 0x1d || c == 0x1e || c == 0x1f) {
      ++i;
      ++n;
      continue;
    }
    std::string_view rest = text.substr(i);
    static const char* const kSpaces[] = {
        "\xC2\x85",     "\xC2\xA0",     "\xE2\x80\x80", "\xE2\x80\x81", "\xE2\x80\x82",
        "\xE2\x80\x83", "\xE2\x80\x84", "\xE2\x80\x85", "\xE2\x80\x86", "\xE2\x80\x87",
        "\xE2\x80\x88", "\xE2\x80\x89", "\xE2\x80\x8A", "\xE2\x80\xA8", "\xE2\x80\xA9",
        "\xE2\x80\xAF", "\xE2\x81\x9F", "\xE3\x80\x80", "\xE1\x9A\x80"};
    bool found = false;
    for (const char* sp : kSpaces) {
      std::string_view v(sp);
      if (rest.substr(0, v.size()) == v) {
        i += v.size();
        ++n;
        found = true;
        break;
      }
    }
    if (!found) break;
  }
  return n;
}

Result<std::string> GetString(const Loc& loc, const rapidjson::Value& obj, const char* key,
                              std::string_view what, bool required) {
  const rapidjson::Value* v = Find(obj, key);
  if (v == nullptr || v->IsNull()) {
    if (required) return loc.Error(std::string(what) + ": missing field \"" + key + "\"");
    return std::string();
  }
  if (!v->IsString())
    return loc.Error(std::string(what) + ": field \"" + key + "\" must be a string");
  return std::string(v->GetString(), v->GetStringLength());
}

Result<bool> GetBool(const Loc& loc, const rapidjson::Value& obj, const char* key,
                     std::string_view what) {
  const rapidjson::Value* v = Find(obj, key);
  if (v == nullptr || v->IsNull()) return false;
  if (!v->IsBool())
    return loc.Error(std::string(what) + ": field \"" + key + "\" must be true or false");
  return v->GetBool();
}

Result<const rapidjson::Value*> GetArray(const Loc& loc, const rapidjson::Value& obj,
                                         const char* key, std::string_view what, bool required) {
  const rapidjson::Value* v = Find(obj, key);
  if (v == nullptr || v->IsNull()) {
    if (required) return loc.Error(std::string(what) + ": missing field \"" + key + "\"");
    return static_cast<const rapidjson::Value*>(nullptr);
  }
  if (!v->IsArray())
    return loc.Error(std::string(what) + ": field \"" + key + "\" must be an array");
  return v;
}

struct Span {
  uint32_t begin = 0, end = 0;
};

bool Overlaps(const Span& a, const Span& b) {
  return std::max(a.begin, b.begin) < std::min(a.end, b.end);
}
bool Overlaps(const std::vector<Span>& a, const std::vector<Span>& b) {
  for (const Span& x : a) {
    for (const Span& y : b) {
      if (Overlaps(x, y)) return true;
    }
  }
  return false;
}

Result<Span> ParseSpan(const Loc& loc, const rapidjson::Value& v, std::string_view what) {
  if (!v.IsArray() || v.Size() != 2 || !v[0].IsUint() || !v[1].IsUint() ||
      v[0].GetUint() > v[1].GetUint()) {
    return loc.Error(std::string(what) + ": a span must be [begin, end] with 0 <= begin <= end");
  }
  return Span{v[0].GetUint(), v[1].GetUint()};
}

// Optional single span field ("cue_span": [b, e]); empty vector when absent.
Result<std::vector<Span>> GetSpan(const Loc& loc, const rapidjson::Value& obj, const char* key,
                                  std::string_view what, bool required) {
  std::vector<Span> out;
  const rapidjson::Value* v = Find(obj, key);
  if (v == nullptr || v->IsNull()) {
    if (required) return loc.Error(std::string(what) + ": missing field \"" + key + "\"");
    return out;
  }
  KG_ASSIGN_OR_RETURN(Span s, ParseSpan(loc, *v, std::string(what) + " \"" + key + "\""));
  if (s.end > s.begin) out.push_back(s);
  return out;
}

// List-of-spans field ("relation_spans": [[b, e], ...]).
Result<std::vector<Span>> GetSpanList(const Loc& loc, const rapidjson::Value& obj, const char* key,
                                      std::string_view what) {
  std::vector<Span> out;
  KG_ASSIGN_OR_RETURN(const rapidjson::Value* arr, GetArray(loc, obj, key, what, false));
  if (arr == nullptr) return out;
  for (const auto& item : arr->GetArray()) {
    KG_ASSIGN_OR_RETURN(Span s, ParseSpan(loc, item, std::string(what) + " \"" + key + "\""));
    if (s.end > s.begin) out.push_back(s);
  }
  return out;
}

// ---------------------------------------------------------------------------
// Maximum bipartite matching (Kuhn). Left vertices are tried in `order`; a
// left vertex once matched stays matched, so vertices earlier in the order
// get priority.

class Matcher {
 public:
  Matcher(const std::vector<std::vector<size_t>>& adj, size_t right_count)
      : adj_(adj), left_to_right_(adj.size(), kNone), right_to_left_(right_count, kNone) {}

  void Run(const std::vector<size_t>& order) {
    for (size_t left : order) {
      seen_.assign(right_to_left_.size(), false);
      Augment(left);
    }
  }

  static constexpr size_t kNone = static_cast<size_t>(-1);
  const std::vector<size_t>& left_to_right() const { return left_to_right_; }
  const std::vector<size_t>& right_to_left() const { return right_to_left_; }

 private:
  bool Augment(size_t left) {
    for (size_t right : adj_[left]) {
      if (seen_[right]) continue;
      seen_[right] = true;
      if (right_to_left_[right] == kNone || Augment(right_to_left_[right])) {
        right_to_left_[right] = left;
        left_to_right_[left] = right;
        return true;
      }
    }
    return false;
  }

  const std::vector<std::vector<size_t>>& adj_;
  std::vector<size_t> left_to_right_;
  std::vector<size_t> right_to_left_;
  std::vector<bool> seen_;
};

std::vector<size_t> Iota(size_t n) {
  std::vector<size_t> v(n);
  for (size_t i = 0; i < n; ++i) v[i] = i;
  return v;
}

// Scores a gold subset: the matching is computed on the subset only, and
// unmatched predictions that would match an excluded gold item are ignored.
struct SubsetResult {
  size_t gold = 0, predicted = 0, matched = 0;
  std::vector<bool> false_alarm;  // Per prediction: counted and unmatched.
};
SubsetResult ScoreSubset(const std::vector<std::vector<size_t>>& adj, size_t pred_count,
                         const std::vector<bool>& in_subset) {
  std::vector<std::vector<size_t>> sub(adj.size());
  std::vector<bool> neutral(pred_count, false);
  SubsetResult r;
  for (size_t g = 0; g < adj.size(); ++g) {
    if (in_subset[g]) {
      sub[g] = adj[g];
      ++r.gold;
    } else {
      for (size_t p : adj[g]) neutral[p] = true;
    }
  }
  Matcher m(sub, pred_count);
  m.Run(Iota(adj.size()));
  r.false_alarm.assign(pred_count, false);
  for (size_t p = 0; p < pred_count; ++p) {
    if (m.right_to_left()[p] != Matcher::kNone) {
      ++r.matched;
      ++r.predicted;
    } else if (!neutral[p]) {
      ++r.predicted;
      r.false_alarm[p] = true;
    }
  }
  return r;
}

// ---------------------------------------------------------------------------
// Predictions (`kg extract` output).

struct PredActor {
  std::string text, name, code;
  const std::string& Label() const { return name.empty() ? text : name; }
  const std::string& Surface() const { return text.empty() ? name : text; }
};

struct PredEvent {
  PredActor source, target;
  std::string relation, cameo, attributed_to, quote;
  bool negated = false;
};

struct PredAttribution {
  std::string speaker, cue;
  std::vector<Span> cue_span, content_span, speaker_span;
};

struct PredDoc {
  std::string id;
  size_t line = 0;
  std::vector<PredEvent> events;
  std::vector<PredAttribution> attributions;
  bool used = false;
};

Result<PredActor> ParseActor(const Loc& loc, const rapidjson::Value& ev, const char* key) {
  const rapidjson::Value* v = Find(ev, key);
  std::string what = std::string("event ") + key;
  if (v == nullptr || v->IsNull())
    return loc.Error("event: missing field \"" + std::string(key) + "\"");
  PredActor a;
  if (v->IsString()) {  // Tolerate a bare name.
    a.name = a.text = v->GetString();
    return a;
  }
  if (!v->IsObject()) return loc.Error(what + " must be an object");
  KG_ASSIGN_OR_RETURN(a.text, GetString(loc, *v, "text", what, false));
  KG_ASSIGN_OR_RETURN(a.name, GetString(loc, *v, "name", what, false));
  KG_ASSIGN_OR_RETURN(a.code, GetString(loc, *v, "code", what, false));
  if (a.text.empty() && a.name.empty()) return loc.Error(what + ": needs \"text\" or \"name\"");
  return a;
}

Status ParsePredRecord(const Loc& loc, const rapidjson::Value& obj, GoldFormat format,
                       PredDoc* doc) {
  KG_ASSIGN_OR_RETURN(doc->id, GetString(loc, obj, "id", "prediction", true));
  doc->line = loc.line;
  bool need_events = format != GoldFormat::kPolnear;
  KG_ASSIGN_OR_RETURN(const rapidjson::Value* events,
                      GetArray(loc, obj, "events", "prediction", need_events));
  if (events != nullptr) {
    for (const auto& ev : events->GetArray()) {
      if (!ev.IsObject()) return loc.Error("prediction: every event must be an object");
      PredEvent e;
      KG_ASSIGN_OR_RETURN(e.source, ParseActor(loc, ev, "source"));
      KG_ASSIGN_OR_RETURN(e.target, ParseActor(loc, ev, "target"));
      KG_ASSIGN_OR_RETURN(e.relation, GetString(loc, ev, "relation", "event", true));
      KG_ASSIGN_OR_RETURN(e.cameo, GetString(loc, ev, "cameo", "event", false));
      KG_ASSIGN_OR_RETURN(e.negated, GetBool(loc, ev, "negated", "event"));
      KG_ASSIGN_OR_RETURN(e.attributed_to, GetString(loc, ev, "attributed_to", "event", false));
      KG_ASSIGN_OR_RETURN(e.quote, GetString(loc, ev, "quote", "event", false));
      if (e.quote.empty()) {
        KG_ASSIGN_OR_RETURN(const rapidjson::Value* mentions,
                            GetArray(loc, ev, "mentions", "event", false));
        if (mentions != nullptr && !mentions->Empty() && (*mentions)[0].IsObject()) {
          KG_ASSIGN_OR_RETURN(e.quote, GetString(loc, (*mentions)[0], "quote", "mention", false));
        }
      }
      doc->events.push_back(std::move(e));
    }
  }
  // Open IE triples (kg extract --open) are what CaRB scores, when present.
  KG_ASSIGN_OR_RETURN(const rapidjson::Value* triples,
                      GetArray(loc, obj, "triples", "prediction", false));
  if (format == GoldFormat::kCarb && triples != nullptr) {
    doc->events.clear();
    for (const auto& tr : triples->GetArray()) {
      if (!tr.IsObject()) return loc.Error("prediction: every triple must be an object");
      PredEvent e;
      KG_ASSIGN_OR_RETURN(e.source.text, GetString(loc, tr, "subject", "triple", true));
      KG_ASSIGN_OR_RETURN(e.relation, GetString(loc, tr, "relation", "triple", true));
      KG_ASSIGN_OR_RETURN(e.target.text, GetString(loc, tr, "object", "triple", false));
      e.source.name = e.source.text;
      e.target.name = e.target.text;
      doc->events.push_back(std::move(e));
    }
  }
  bool need_attr = format == GoldFormat::kPolnear;
  KG_ASSIGN_OR_RETURN(const rapidjson::Value* attrs,
                      GetArray(loc, obj, "attributions", "prediction", need_attr));
  if (attrs != nullptr) {
    for (const auto& at : attrs->GetArray()) {
      if (!at.IsObject()) return loc.Error("prediction: every attribution must be an object");
      PredAttribution a;
      const rapidjson::Value* sp = Find(at, "speaker");
      if (sp != nullptr && sp->IsObject()) {
        KG_ASSIGN_OR_RETURN(a.speaker, GetString(loc, *sp, "text", "attribution speaker", false));
        if (a.speaker.empty()) {
          KG_ASSIGN_OR_RETURN(a.speaker, GetString(loc, *sp, "name", "attribution speaker", false));
        }
      } else if (sp != nullptr && sp->IsString()) {
        a.speaker = sp->GetString();
      }
      KG_ASSIGN_OR_RETURN(a.cue, GetString(loc, at, "cue", "attribution", false));
      KG_ASSIGN_OR_RETURN(a.cue_span, GetSpan(loc, at, "cue_span", "attribution", need_attr));
      KG_ASSIGN_OR_RETURN(a.content_span, GetSpan(loc, at, "content_span", "attribution", false));
      KG_ASSIGN_OR_RETURN(a.speaker_span, GetSpan(loc, at, "speaker_span", "attribution", false));
      doc->attributions.push_back(std::move(a));
    }
  }
  return Status::Ok();
}

struct PredSet {
  std::vector<PredDoc> docs;
  std::unordered_map<std::string, size_t> by_id;

  // Finds the prediction for a gold id: exact, else with or without a
  // "polnear-" prefix. *prefixed is set when the prediction id is the gold id
  // plus the prefix (the whitespace-stripped corpus copy of a PolNeAR text).
  PredDoc* Lookup(const std::string& gold_id, bool* prefixed) {
    *prefixed = false;
    auto it = by_id.find(gold_id);
    if (it != by_id.end()) return &docs[it->second];
    static constexpr std::string_view kPrefix = "polnear-";
    it = by_id.find(std::string(kPrefix) + gold_id);
    if (it != by_id.end()) {
      *prefixed = true;
      return &docs[it->second];
    }
    if (gold_id.compare(0, kPrefix.size(), kPrefix) == 0) {
      it = by_id.find(gold_id.substr(kPrefix.size()));
      if (it != by_id.end()) return &docs[it->second];
    }
    return nullptr;
  }
};

Result<PredSet> LoadPredictions(std::string_view jsonl, std::string_view name, GoldFormat format) {
  PredSet set;
  Status st = ForEachRecord(jsonl, name, /*validate_utf8=*/false,
                            [&](const Loc& loc, const rapidjson::Value& obj) {
                              PredDoc doc;
                              KG_RETURN_IF_ERROR(ParsePredRecord(loc, obj, format, &doc));
                              auto [it, inserted] = set.by_id.emplace(doc.id, set.docs.size());
                              if (!inserted) {
                                return loc.Error("duplicate id \"" + doc.id + "\" (first at line " +
                                                 std::to_string(set.docs[it->second].line) + ")");
                              }
                              set.docs.push_back(std::move(doc));
                              return Status::Ok();
                            });
  if (!st.ok()) return st;
  return set;
}

// Remembers ids to reject duplicates in gold files.
class IdSet {
 public:
  Status Add(const Loc& loc, const std::string& id) {
    auto [it, inserted] = lines_.emplace(id, loc.line);
    if (!inserted) {
      return loc.Error("duplicate id \"" + id + "\" (first at line " + std::to_string(it->second) +
                       ")");
    }
    return Status::Ok();
  }

 private:
  std::unordered_map<std::string, size_t> lines_;
};

std::string Quoted(std::string_view s) { return "\"" + Clip(s) + "\""; }

void FillHeadline(EvalReport* report, const Score& s) {
  report->precision = s.precision;
  report->recall = s.recall;
  report->f1 = s.f1;
  report->gold = s.gold;
  report->predicted = s.predicted;
  report->matched = s.matched;
}

void CountUnusedPreds(const PredSet& preds, EvalReport* report) {
  for (const auto& d : preds.docs) {
    if (!d.used) ++report->unused_pred_records;
  }
}

// ---------------------------------------------------------------------------
// Seed format.

struct SeedTriple {
  std::string source_name, source_code, relation, cameo, target_name, target_code, evidence;
  std::vector<std::string> roots;
  bool must = false;
};

struct SeedDoc {
  std::string id;
  std::vector<SeedTriple> triples;
};

// The country part of an actor code: the first three letters, or the whole
// code for IGOs and NGOs ("IGOUNO").
std::string CountryPart(std::string_view code) {
  std::string up = Upper(code);
  if (up.rfind("IGO", 0) == 0 || up.rfind("NGO", 0) == 0) return up;
  return up.substr(0, 3);
}

std::string CameoRoot(std::string_view cameo) { return std::string(cameo.substr(0, 2)); }

Result<std::pair<std::string, std::string>> ParseGoldActor(const Loc& loc,
                                                           const rapidjson::Value& triple,
                                                           const char* key) {
  const rapidjson::Value* v = Find(triple, key);
  std::string what = std::string("gold triple ") + key;
  if (v == nullptr || !v->IsObject()) return loc.Error(what + ": missing or not an object");
  KG_ASSIGN_OR_RETURN(std::string name, GetString(loc, *v, "name", what, false));
  KG_ASSIGN_OR_RETURN(std::string code, GetString(loc, *v, "code", what, true));
  if (code.empty()) return loc.Error(what + ": empty \"code\"");
  return std::make_pair(name, code);
}

Result<std::vector<SeedDoc>> LoadSeedGold(std::string_view jsonl, std::string_view name) {
  std::vector<SeedDoc> docs;
  IdSet ids;
  Status st = ForEachRecord(
      jsonl, name, /*validate_utf8=*/false, [&](const Loc& loc, const rapidjson::Value& obj) {
        SeedDoc doc;
        KG_ASSIGN_OR_RETURN(doc.id, GetString(loc, obj, "id", "gold record", true));
        KG_RETURN_IF_ERROR(ids.Add(loc, doc.id));
        KG_ASSIGN_OR_RETURN(const rapidjson::Value* triples,
                            GetArray(loc, obj, "triples", "gold record", true));
        for (const auto& t : triples->GetArray()) {
          if (!t.IsObject()) return loc.Error("gold record: every triple must be an object");
          SeedTriple g;
          KG_ASSIGN_OR_RETURN(auto src, ParseGoldActor(loc, t, "source"));
          KG_ASSIGN_OR_RETURN(auto tgt, ParseGoldActor(loc, t, "target"));
          g.source_name = src.first;
          g.source_code = src.second;
          g.target_name = tgt.first;
          g.target_code = tgt.second;
          KG_ASSIGN_OR_RETURN(g.relation, GetString(loc, t, "relation", "gold triple", false));
          KG_ASSIGN_OR_RETURN(g.cameo, GetString(loc, t, "cameo", "gold triple", true));
          if (g.cameo.size() < 2)
            return loc.Error("gold triple: \"cameo\" needs at least two digits");
          KG_ASSIGN_OR_RETURN(g.evidence, GetString(loc, t, "evidence", "gold triple", false));
          KG_ASSIGN_OR_RETURN(std::string level, GetString(loc, t, "level", "gold triple", false));
          if (level.empty() || level == "must") {
            g.must = true;
          } else if (level != "may") {
            return loc.Error("gold triple: \"level\" must be \"must\" or \"may\", not \"" + level +
                             "\"");
          }
          g.roots.push_back(CameoRoot(g.cameo));
          KG_ASSIGN_OR_RETURN(const rapidjson::Value* any,
                              GetArray(loc, t, "cameo_any", "gold triple", false));
          if (any != nullptr) {
            for (const auto& a : any->GetArray()) {
              if (!a.IsString() || a.GetStringLength() < 2) {
                return loc.Error("gold triple: \"cameo_any\" must hold CAMEO codes as strings");
              }
              g.roots.push_back(CameoRoot(a.GetString()));
            }
          }
          doc.triples.push_back(std::move(g));
        }
        docs.push_back(std::move(doc));
        return Status::Ok();
      });
  if (!st.ok()) return st;
  return docs;
}

bool SeedMatches(const SeedTriple& g, const PredEvent& p) {
  if (p.cameo.size() < 2) return false;
  if (CountryPart(p.source.code) != CountryPart(g.source_code)) return false;
  if (CountryPart(p.target.code) != CountryPart(g.target_code)) return false;
  std::string root = CameoRoot(p.cameo);
  return std::find(g.roots.begin(), g.roots.end(), root) != g.roots.end();
}

std::string DescribeGold(const SeedTriple& g) {
  return g.source_name + " [" + g.source_code + "] -" + g.relation + "/" + g.cameo + "-> " +
         g.target_name + " [" + g.target_code + "]";
}

std::string DescribePred(const PredEvent& p) {
  std::string s = p.source.Label() + " [" + p.source.code + "] -" + p.relation;
  if (!p.cameo.empty()) s += "/" + p.cameo;
  s += "-> " + p.target.Label() + " [" + p.target.code + "]";
  if (!p.attributed_to.empty()) s += " {by: " + p.attributed_to + "}";
  return s;
}

EvalReport EvaluateSeed(const std::vector<SeedDoc>& gold, PredSet& preds,
                        const EvalOptions& options) {
  EvalReport report;
  report.format = GoldFormat::kSeed;
  ErrorList misses("Misses (gold triples not predicted)", options);
  ErrorList alarms("False alarms (predicted events not in the gold)", options);
  size_t all_gold = 0, all_pred = 0, all_matched = 0;
  size_t sub_gold = 0, sub_pred = 0, sub_matched = 0;
  for (const SeedDoc& doc : gold) {
    ++report.documents;
    bool prefixed = false;
    PredDoc* pd = preds.Lookup(doc.id, &prefixed);
    std::vector<const PredEvent*> events;
    if (pd == nullptr) {
      ++report.documents_without_pred;
    } else {
      pd->used = true;
      for (const auto& e : pd->events) {
        if (e.negated) {
          ++report.negated_skipped;
        } else {
          events.push_back(&e);
        }
      }
    }
    std::vector<std::vector<size_t>> adj(doc.triples.size());
    std::vector<size_t> order;
    std::vector<bool> is_must(doc.triples.size());
    for (size_t g = 0; g < doc.triples.size(); ++g) {
      is_must[g] = doc.triples[g].must;
      if (doc.triples[g].must) order.push_back(g);
      for (size_t p = 0; p < events.size(); ++p) {
        if (SeedMatches(doc.triples[g], *events[p])) adj[g].push_back(p);
      }
    }
    for (size_t g = 0; g < doc.triples.size(); ++g) {
      if (!doc.triples[g].must) order.push_back(g);
    }
    Matcher m(adj, events.size());
    m.Run(order);
    all_gold += doc.triples.size();
    all_pred += events.size();
    for (size_t g = 0; g < doc.triples.size(); ++g) {
      bool hit = m.left_to_right()[g] != Matcher::kNone;
      if (hit) ++all_matched;
      if (doc.triples[g].must) {
        ++report.must_gold;
        if (hit) ++report.must_matched;
      }
      if (!hit && (!options.must_only || doc.triples[g].must)) {
        const SeedTriple& t = doc.triples[g];
        misses.Add("[" + doc.id + "] " + (t.must ? "must " : "may  ") + DescribeGold(t) +
                   (t.evidence.empty() ? "" : "  " + Quoted(t.evidence)));
      }
    }
    // False alarms: unmatched predictions. With must_only, the matching is
    // redone on the "must" triples and predictions of "may" triples are ignored.
    SubsetResult sub;
    if (options.must_only) sub = ScoreSubset(adj, events.size(), is_must);
    for (size_t p = 0; p < events.size(); ++p) {
      bool alarm = options.must_only ? sub.false_alarm[p] : m.right_to_left()[p] == Matcher::kNone;
      if (alarm) {
        alarms.Add("[" + doc.id + "] " + DescribePred(*events[p]) +
                   (events[p]->quote.empty() ? "" : "  " + Quoted(events[p]->quote)));
      }
    }
    sub_gold += sub.gold;
    sub_pred += sub.predicted;
    sub_matched += sub.matched;
  }
  CountUnusedPreds(preds, &report);
  Score all = MakeScore(all_gold, all_pred, all_matched);
  Score must = MakeScore(sub_gold, sub_pred, sub_matched);
  FillHeadline(&report, options.must_only ? must : all);
  report.must_recall = Ratio(report.must_matched, report.must_gold);

  std::string& t = report.text;
  t = "kg eval: seed gold\n";
  t += DocumentsLine(report);
  t += "all levels:  " + ScoreLine(all) + "\n";
  t += "must recall: " + std::to_string(report.must_matched) + "/" +
       std::to_string(report.must_gold) + " = " + Fixed3(report.must_recall) + "\n";
  if (options.must_only) t += "must only:   " + ScoreLine(must) + "\n";
  if (report.negated_skipped > 0) {
    t += "negated predictions not counted: " + std::to_string(report.negated_skipped) + "\n";
  }
  t += "match rule: source country part + CAMEO root (or cameo_any) + target country part\n";
  misses.AppendTo(&t);
  alarms.AppendTo(&t);
  return report;
}

// ---------------------------------------------------------------------------
// CaRB format.

struct CarbTuple {
  std::string subject, relation, object;
  std::vector<std::string> extra_args;
};

struct CarbDoc {
  std::string id, text;
  std::vector<CarbTuple> tuples;
};

Result<std::vector<CarbDoc>> LoadCarbGold(std::string_view jsonl, std::string_view name) {
  std::vector<CarbDoc> docs;
  IdSet ids;
  Status st = ForEachRecord(
      jsonl, name, /*validate_utf8=*/false, [&](const Loc& loc, const rapidjson::Value& obj) {
        CarbDoc doc;
        KG_ASSIGN_OR_RETURN(doc.id, GetString(loc, obj, "id", "gold record", true));
        KG_RETURN_IF_ERROR(ids.Add(loc, doc.id));
        KG_ASSIGN_OR_RETURN(doc.text, GetString(loc, obj, "text", "gold record", false));
        KG_ASSIGN_OR_RETURN(const rapidjson::Value* triples,
                            GetArray(loc, obj, "triples", "gold record", true));
        for (const auto& t : triples->GetArray()) {
          if (!t.IsObject()) return loc.Error("gold record: every triple must be an object");
          CarbTuple c;
          KG_ASSIGN_OR_RETURN(c.subject, GetString(loc, t, "subject", "gold triple", true));
          KG_ASSIGN_OR_RETURN(c.relation, GetString(loc, t, "relation", "gold triple", true));
          KG_ASSIGN_OR_RETURN(c.object, GetString(loc, t, "object", "gold triple", true));
          KG_ASSIGN_OR_RETURN(const rapidjson::Value* extra,
                              GetArray(loc, t, "extra_args", "gold triple", false));
          if (extra != nullptr) {
            for (const auto& a : extra->GetArray()) {
              if (!a.IsString()) return loc.Error("gold triple: \"extra_args\" must hold strings");
              c.extra_args.emplace_back(a.GetString(), a.GetStringLength());
            }
          }
          doc.tuples.push_back(std::move(c));
        }
        docs.push_back(std::move(doc));
        return Status::Ok();
      });
  if (!st.ok()) return st;
  return docs;
}

// Lower-cased word tokens: runs of ASCII letters/digits or non-ASCII bytes.
std::vector<std::string> Words(std::string_view s) {
  std::vector<std::string> out;
  std::string cur;
  for (char ch : s) {
    unsigned char c = static_cast<unsigned char>(ch);
    if (std::isalnum(c) || c >= 0x80) {
      cur += static_cast<char>(std::tolower(c));
    } else if (!cur.empty()) {
      out.push_back(std::move(cur));
      cur.clear();
    }
  }
  if (!cur.empty()) out.push_back(std::move(cur));
  return out;
}

bool IsIn(std::string_view w, std::initializer_list<std::string_view> list) {
  return std::find(list.begin(), list.end(), w) != list.end();
}

bool IsArticle(std::string_view w) { return IsIn(w, {"a", "an", "the"}); }

bool IsAuxiliary(std::string_view w) {
  return IsIn(w, {"be", "is", "are", "was", "were", "been", "being", "am", "s", "has", "have",
                  "had", "having", "do", "does", "did", "done"});
}

bool IsModal(std::string_view w) {
  return IsIn(w, {"can", "could", "will", "would", "may", "might", "must", "shall", "should", "ll",
                  "d", "to"});
}

bool IsFunctionWord(std::string_view w) {
  return IsArticle(w) || IsAuxiliary(w) || IsModal(w) ||
         IsIn(w, {"of",   "in",    "on",     "at",     "by",   "for",   "with",    "from",  "into",
                  "onto", "as",    "than",   "such",   "like", "about", "between", "among", "under",
                  "over", "after", "before", "during", "that", "this",  "these",   "those", "not",
                  "no",   "n",     "t",      "and",    "or",   "its",   "their",   "his",   "her",
                  "it",   "also",  "up",     "out",    "off"});
}

bool IsAdverbLike(std::string_view w) {
  return (w.size() > 4 && w.substr(w.size() - 2) == "ly") ||
         IsIn(w, {"not", "never", "also", "still", "often", "only", "further", "then", "later",
                  "already", "even", "just", "now", "soon", "once", "again", "always", "n", "t"});
}

bool LooksLikeParticiple(std::string_view w) {
  auto ends = [&](std::string_view suf) {
    return w.size() > suf.size() + 1 && w.substr(w.size() - suf.size()) == suf;
  };
  if (ends("ed") || ends("en") || ends("ing")) return true;
  return IsIn(
      w,
      {"held",   "made",   "built", "born",  "told",    "said",       "sent",   "led",     "left",
       "kept",   "hit",    "set",   "put",   "brought", "bought",     "fought", "thought", "taught",
       "caught", "won",    "begun", "run",   "come",    "become",     "grown",  "drawn",   "known",
       "shown",  "seen",   "done",  "found", "paid",    "laid",       "met",    "lost",    "sold",
       "shot",   "struck", "spent", "read",  "heard",   "cut",        "let",    "sought",  "meant",
       "felt",   "dealt",  "built", "hung",  "stood",   "understood", "won",    "spun",    "sunk",
       "split",  "spread", "quit",  "bid",   "cast",    "cost",       "hurt",   "shut"});
}

std::string Stem(std::string_view word) {
  static const std::map<std::string_view, std::string_view> kIrregular = {
      {"said", "say"},     {"says", "say"},      {"told", "tell"},     {"held", "hold"},
      {"made", "make"},    {"took", "take"},     {"taken", "take"},    {"gave", "give"},
      {"given", "give"},   {"went", "go"},       {"gone", "go"},       {"won", "win"},
      {"met", "meet"},     {"fought", "fight"},  {"brought", "bring"}, {"became", "become"},
      {"began", "begin"},  {"begun", "begin"},   {"led", "lead"},      {"left", "leave"},
      {"sent", "send"},    {"struck", "strike"}, {"shot", "shoot"},    {"sought", "seek"},
      {"threw", "throw"},  {"thrown", "throw"},  {"wrote", "write"},   {"written", "write"},
      {"spoke", "speak"},  {"spoken", "speak"},  {"saw", "see"},       {"seen", "see"},
      {"knew", "know"},    {"known", "know"},    {"came", "come"},     {"ran", "run"},
      {"broke", "break"},  {"broken", "break"},  {"drew", "draw"},     {"drawn", "draw"},
      {"kept", "keep"},    {"lost", "lose"},     {"paid", "pay"},      {"sold", "sell"},
      {"stood", "stand"},  {"found", "find"},    {"built", "build"},   {"bought", "buy"},
      {"taught", "teach"}, {"thought", "think"}, {"caught", "catch"},  {"grew", "grow"},
      {"grown", "grow"},   {"shown", "show"},    {"ate", "eat"},       {"fell", "fall"},
      {"felt", "feel"},    {"heard", "hear"},    {"meant", "mean"},    {"spent", "spend"}};
  auto it = kIrregular.find(word);
  std::string w(it != kIrregular.end() ? it->second : word);
  auto strip = [&](std::string_view suf) {
    if (w.size() >= suf.size() + 3 && w.compare(w.size() - suf.size(), suf.size(), suf) == 0) {
      w.resize(w.size() - suf.size());
      return true;
    }
    return false;
  };
  if (w.size() > 4 && w.compare(w.size() - 3, 3, "ies") == 0) {
    w.resize(w.size() - 3);
    w += "i";
  } else if (w.size() > 4 && w.compare(w.size() - 3, 3, "ied") == 0) {
    w.resize(w.size() - 3);
    w += "i";
  } else if (!strip("ing") && !strip("ed") && !strip("es") && !strip("s")) {
    strip("e");
  }
  if (w.size() > 1 && w.back() == 'y') w.back() = 'i';
  // "stopp" -> "stop", "accuse"/"accus" stay; collapse a doubled final consonant.
  if (w.size() > 3 && w[w.size() - 1] == w[w.size() - 2] &&
      !IsIn(std::string_view(&w[w.size() - 1], 1), {"a", "e", "i", "o", "u", "l", "s"})) {
    w.pop_back();
  }
  if (w.size() > 3 && w.back() == 'e') w.pop_back();
  return w;
}

bool RelationMatches(std::string_view pred, std::string_view gold) {
  if (TokenOverlap(pred, gold) >= 0.5) return true;
  std::set<std::string> gold_stems;
  for (const auto& w : Words(gold)) {
    if (!IsFunctionWord(w)) gold_stems.insert(Stem(w));
  }
  for (const auto& w : Words(pred)) {
    if (!IsFunctionWord(w) && gold_stems.count(Stem(w)) > 0) return true;
  }
  return false;
}

bool CarbMatches(const CarbTuple& g, const PredEvent& p) {
  if (TokenOverlap(p.source.Surface(), g.subject) < 0.5) return false;
  if (!RelationMatches(p.relation, g.relation)) return false;
  const std::string& obj = p.target.Surface();
  if (Words(g.object).empty() && g.extra_args.empty()) return Words(obj).empty();
  if (TokenOverlap(obj, g.object) >= 0.5) return true;
  for (const auto& a : g.extra_args) {
    if (TokenOverlap(obj, a) >= 0.5) return true;
  }
  return false;
}

EvalReport EvaluateCarb(const std::vector<CarbDoc>& gold, PredSet& preds,
                        const EvalOptions& options) {
  EvalReport report;
  report.format = GoldFormat::kCarb;
  ErrorList misses("Misses (gold tuples not predicted)", options);
  ErrorList alarms("False alarms (predicted events matching no gold tuple)", options);
  size_t all_gold = 0, all_pred = 0, all_matched = 0;
  SubsetResult verb_total;
  for (const CarbDoc& doc : gold) {
    ++report.documents;
    bool prefixed = false;
    PredDoc* pd = preds.Lookup(doc.id, &prefixed);
    std::vector<const PredEvent*> events;
    if (pd == nullptr) {
      ++report.documents_without_pred;
    } else {
      pd->used = true;
      for (const auto& e : pd->events) events.push_back(&e);
    }
    std::vector<std::vector<size_t>> adj(doc.tuples.size());
    std::vector<bool> verb(doc.tuples.size());
    for (size_t g = 0; g < doc.tuples.size(); ++g) {
      verb[g] = IsVerbLikeRelation(doc.tuples[g].relation);
      for (size_t p = 0; p < events.size(); ++p) {
        if (CarbMatches(doc.tuples[g], *events[p])) adj[g].push_back(p);
      }
    }
    Matcher m(adj, events.size());
    m.Run(Iota(doc.tuples.size()));
    all_gold += doc.tuples.size();
    all_pred += events.size();
    for (size_t g = 0; g < doc.tuples.size(); ++g) {
      if (m.left_to_right()[g] != Matcher::kNone) {
        ++all_matched;
      } else {
        const CarbTuple& t = doc.tuples[g];
        misses.Add("[" + doc.id + "] (" + t.subject + " ; " + t.relation + " ; " + t.object + ")" +
                   (verb[g] ? "" : "  [non-verb]") + "  " + Quoted(doc.text));
      }
    }
    for (size_t p = 0; p < events.size(); ++p) {
      if (m.right_to_left()[p] == Matcher::kNone) {
        const PredEvent& e = *events[p];
        alarms.Add("[" + doc.id + "] (" + e.source.Surface() + " ; " + e.relation + " ; " +
                   e.target.Surface() + ")  " + Quoted(doc.text));
      }
    }
    SubsetResult v = ScoreSubset(adj, events.size(), verb);
    verb_total.gold += v.gold;
    verb_total.predicted += v.predicted;
    verb_total.matched += v.matched;
  }
  CountUnusedPreds(preds, &report);
  Score all = MakeScore(all_gold, all_pred, all_matched);
  FillHeadline(&report, all);
  report.carb_verb = MakeScore(verb_total.gold, verb_total.predicted, verb_total.matched);

  std::string& t = report.text;
  t = "kg eval: CaRB gold (lenient token overlap >= 0.5 per part)\n";
  t += DocumentsLine(report);
  t += "all tuples:  " + ScoreLine(all) + "\n";
  t += "verb tuples: " + ScoreLine(report.carb_verb) + "\n";
  misses.AppendTo(&t);
  alarms.AppendTo(&t);
  return report;
}

// ---------------------------------------------------------------------------
// PolNeAR format.

struct PolnearTriple {
  std::string subject, relation, object;
  std::vector<Span> subject_spans, relation_spans, object_spans;
  bool no_source = false;
};

struct PolnearDoc {
  std::string id, text;
  std::vector<PolnearTriple> triples;
};

Result<std::vector<PolnearDoc>> LoadPolnearGold(std::string_view jsonl, std::string_view name) {
  std::vector<PolnearDoc> docs;
  IdSet ids;
  Status st = ForEachRecord(
      jsonl, name, /*validate_utf8=*/false, [&](const Loc& loc, const rapidjson::Value& obj) {
        PolnearDoc doc;
        KG_ASSIGN_OR_RETURN(doc.id, GetString(loc, obj, "id", "gold record", true));
        KG_RETURN_IF_ERROR(ids.Add(loc, doc.id));
        KG_ASSIGN_OR_RETURN(doc.text, GetString(loc, obj, "text", "gold record", true));
        KG_ASSIGN_OR_RETURN(const rapidjson::Value* triples,
                            GetArray(loc, obj, "triples", "gold record", true));
        for (const auto& t : triples->GetArray()) {
          if (!t.IsObject()) return loc.Error("gold record: every triple must be an object");
          PolnearTriple p;
          KG_ASSIGN_OR_RETURN(p.subject, GetString(loc, t, "subject", "gold triple", false));
          KG_ASSIGN_OR_RETURN(p.relation, GetString(loc, t, "relation", "gold triple", false));
          KG_ASSIGN_OR_RETURN(p.object, GetString(loc, t, "object", "gold triple", false));
          if (Find(t, "relation_spans") == nullptr) {
            return loc.Error("gold triple: missing field \"relation_spans\"");
          }
          KG_ASSIGN_OR_RETURN(p.subject_spans, GetSpanList(loc, t, "subject_spans", "gold triple"));
          KG_ASSIGN_OR_RETURN(p.relation_spans,
                              GetSpanList(loc, t, "relation_spans", "gold triple"));
          KG_ASSIGN_OR_RETURN(p.object_spans, GetSpanList(loc, t, "object_spans", "gold triple"));
          KG_ASSIGN_OR_RETURN(p.no_source, GetBool(loc, t, "no_source", "gold triple"));
          doc.triples.push_back(std::move(p));
        }
        docs.push_back(std::move(doc));
        return Status::Ok();
      });
  if (!st.ok()) return st;
  return docs;
}

// The text of code-point span `s` with some context, for error listings.
std::string SpanContext(const std::string& text, const std::vector<size_t>& cp, const Span& s) {
  size_t n = cp.size() - 1;
  size_t b = std::min<size_t>(s.begin, n), e = std::min<size_t>(s.end, n);
  size_t cb = b > 50 ? b - 50 : 0, ce = std::min(n, e + 50);
  std::string out = Clip(text.substr(cp[cb], cp[b] - cp[cb]), 1000);
  out += "[[" + Clip(text.substr(cp[b], cp[e] - cp[b]), 1000) + "]]";
  out += Clip(text.substr(cp[e], cp[ce] - cp[e]), 1000);
  return "\"" + out + "\"";
}

EvalReport EvaluatePolnear(const std::vector<PolnearDoc>& gold, PredSet& preds,
                           const EvalOptions& options) {
  EvalReport report;
  report.format = GoldFormat::kPolnear;
  ErrorList misses("Misses (gold cues not predicted)", options);
  ErrorList alarms("False alarms (predicted cues overlapping no gold cue)", options);
  size_t all_gold = 0, all_pred = 0, all_matched = 0;
  size_t cue_hit = 0, cue_prec_hit = 0, source_hit = 0, content_hit = 0;
  for (const PolnearDoc& doc : gold) {
    ++report.documents;
    bool prefixed = false;
    PredDoc* pd = preds.Lookup(doc.id, &prefixed);
    std::vector<PredAttribution> attrs;
    if (pd == nullptr) {
      ++report.documents_without_pred;
    } else {
      pd->used = true;
      attrs = pd->attributions;
      if (prefixed) {
        // The "polnear-" corpus copy of the text is whitespace-stripped:
        // shift its offsets back onto this text.
        uint32_t shift = LeadingWhitespace(doc.text);
        for (auto& a : attrs) {
          for (auto* spans : {&a.cue_span, &a.content_span, &a.speaker_span}) {
            for (auto& s : *spans) {
              s.begin += shift;
              s.end += shift;
            }
          }
        }
      }
    }
    std::vector<size_t> cp = CodePointOffsets(doc.text);
    std::vector<const PolnearTriple*> cues;
    for (const auto& t : doc.triples) {
      if (!t.relation_spans.empty()) cues.push_back(&t);
    }
    std::vector<std::vector<size_t>> adj(cues.size());
    for (size_t g = 0; g < cues.size(); ++g) {
      const PolnearTriple& t = *cues[g];
      bool any_cue = false, any_source = false, any_content = false;
      for (size_t p = 0; p < attrs.size(); ++p) {
        if (!Overlaps(t.relation_spans, attrs[p].cue_span)) continue;
        adj[g].push_back(p);
        any_cue = true;
        if (Overlaps(t.subject_spans, attrs[p].speaker_span)) any_source = true;
        if (Overlaps(t.object_spans, attrs[p].content_span)) any_content = true;
      }
      ++report.gold_cues;
      if (any_cue) ++cue_hit;
      if (!t.no_source && !t.subject_spans.empty()) {
        ++report.gold_sources;
        if (any_source) ++source_hit;
      }
      if (!t.object_spans.empty()) {
        ++report.gold_contents;
        if (any_content) ++content_hit;
      }
      if (!any_cue) {
        misses.Add("[" + doc.id + "] cue \"" + Clip(t.relation, 60) + "\" source \"" +
                   Clip(t.subject, 60) + "\"  " + SpanContext(doc.text, cp, t.relation_spans[0]));
      }
    }
    for (const auto& a : attrs) {
      ++report.predicted_cues;
      bool hit = false;
      for (const auto* t : cues) {
        if (Overlaps(t->relation_spans, a.cue_span)) hit = true;
      }
      if (hit) {
        ++cue_prec_hit;
      } else {
        std::string where = a.cue_span.empty() ? std::string("(no cue span)")
                                               : SpanContext(doc.text, cp, a.cue_span[0]);
        alarms.Add("[" + doc.id + "] cue \"" + Clip(a.cue, 60) + "\" speaker \"" +
                   Clip(a.speaker, 60) + "\"  " + where);
      }
    }
    Matcher m(adj, attrs.size());
    m.Run(Iota(cues.size()));
    all_gold += cues.size();
    all_pred += attrs.size();
    for (size_t g = 0; g < cues.size(); ++g) {
      if (m.left_to_right()[g] != Matcher::kNone) ++all_matched;
    }
  }
  CountUnusedPreds(preds, &report);
  Score all = MakeScore(all_gold, all_pred, all_matched);
  FillHeadline(&report, all);
  report.cue_recall = Ratio(cue_hit, report.gold_cues);
  report.cue_precision = Ratio(cue_prec_hit, report.predicted_cues);
  report.source_recall = Ratio(source_hit, report.gold_sources);
  report.content_recall = Ratio(content_hit, report.gold_contents);

  auto frac = [](size_t a, size_t b) {
    return std::to_string(a) + "/" + std::to_string(b) + " = " + Fixed3(Ratio(a, b));
  };
  std::string& t = report.text;
  t = "kg eval: PolNeAR attribution gold (span overlap)\n";
  t += DocumentsLine(report);
  t += "attributions (one-to-one by cue): " + ScoreLine(all) + "\n";
  t += "cue recall:     " + frac(cue_hit, report.gold_cues) + "\n";
  t += "cue precision:  " + frac(cue_prec_hit, report.predicted_cues) + "\n";
  t += "source recall:  " + frac(source_hit, report.gold_sources) + "\n";
  t += "content recall: " + frac(content_hit, report.gold_contents) + "\n";
  misses.AppendTo(&t);
  alarms.AppendTo(&t);
  return report;
}

// ---------------------------------------------------------------------------
// Format detection.

// Returns the format a record tells, or kAuto when it cannot tell.
GoldFormat FormatOfRecord(const rapidjson::Value& obj) {
  const rapidjson::Value* triples = Find(obj, "triples");
  if (triples != nullptr && triples->IsArray()) {
    for (const auto& t : triples->GetArray()) {
      if (!t.IsObject()) continue;
      if (Find(t, "relation_spans") != nullptr || Find(t, "subject_spans") != nullptr) {
        return GoldFormat::kPolnear;
      }
      const rapidjson::Value* src = Find(t, "source");
      if ((src != nullptr && src->IsObject()) || Find(t, "cameo") != nullptr) {
        return GoldFormat::kSeed;
      }
      const rapidjson::Value* subj = Find(t, "subject");
      if (subj != nullptr && subj->IsString()) return GoldFormat::kCarb;
    }
  }
  return EventPairFormatOfRecord(obj);
}

GoldFormat FormatFromFields(const rapidjson::Value& obj) {
  if (Find(obj, "annotator") != nullptr || Find(obj, "other_annotators") != nullptr) {
    return GoldFormat::kPolnear;
  }
  // Event-pair gold with no telling record (no events at all): spans and
  // ACLED records look alike then, so the user must say which.
  if (Find(obj, "events") != nullptr && Find(obj, "triples") == nullptr) return GoldFormat::kAuto;
  if (Find(obj, "text") == nullptr) return GoldFormat::kSeed;
  if (Find(obj, "title") != nullptr || Find(obj, "source") != nullptr) return GoldFormat::kPolnear;
  return GoldFormat::kCarb;
}

Result<std::string> ReadWholeFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::IoError("cannot open " + path);
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) return Status::IoError("cannot read " + path);
  return ss.str();
}

}  // namespace

std::string_view GoldFormatName(GoldFormat format) {
  switch (format) {
    case GoldFormat::kAuto:
      return "auto";
    case GoldFormat::kSeed:
      return "seed";
    case GoldFormat::kCarb:
      return "carb";
    case GoldFormat::kPolnear:
      return "polnear";
    case GoldFormat::kSpans:
      return "spans";
    case GoldFormat::kAcled:
      return "acled";
  }
  return "auto";
}

std::optional<GoldFormat> ParseGoldFormat(std::string_view name) {
  std::string n = Lower(name);
  for (GoldFormat f : {GoldFormat::kAuto, GoldFormat::kSeed, GoldFormat::kCarb,
                       GoldFormat::kPolnear, GoldFormat::kSpans, GoldFormat::kAcled}) {
    if (n == GoldFormatName(f)) return f;
  }
  return std::nullopt;
}

double TokenOverlap(std::string_view a, std::string_view b) {
  auto content = [](std::string_view s) {
    std::vector<std::string> all = Words(s);
    std::vector<std::string> kept;
    for (auto& w : all) {
      if (!IsArticle(w)) kept.push_back(w);
    }
    return kept.empty() ? all : kept;
  };
  std::vector<std::string> wa = content(a), wb = content(b);
  if (wa.empty() && wb.empty()) return 1.0;
  if (wa.empty() || wb.empty()) return 0.0;
  std::map<std::string, int> counts;
  for (const auto& w : wb) ++counts[w];
  size_t common = 0;
  for (const auto& w : wa) {
    auto it = counts.find(w);
    if (it != counts.end() && it->second > 0) {
      --it->second;
      ++common;
    }
  }
  return std::max(Ratio(common, wa.size()), Ratio(common, wb.size()));
}

bool IsVerbLikeRelation(std::string_view relation) {
  std::vector<std::string> w = Words(relation);
  size_t i = 0;
  auto skip_adverbs = [&] {
    while (i < w.size() && (IsAdverbLike(w[i]) || IsModal(w[i]))) ++i;
  };
  skip_adverbs();
  if (i >= w.size()) return false;
  if (IsAuxiliary(w[i])) {
    // "is", "has a", "is in": copula or possession; "was held", "has
    // executed", "is being built": a verb phrase.
    while (i < w.size() && (IsAuxiliary(w[i]) || IsAdverbLike(w[i]))) ++i;
    return i < w.size() && LooksLikeParticiple(w[i]);
  }
  return !IsFunctionWord(w[i]);
}

Result<GoldFormat> DetectGoldFormat(std::string_view gold_jsonl, std::string_view name) {
  GoldFormat found = GoldFormat::kAuto;
  GoldFormat first_fields = GoldFormat::kAuto;
  bool any = false;
  // Stops the scan once a record tells the format.
  Status stop = Status::Aborted("found");
  Status st = ForEachRecord(gold_jsonl, name, /*validate_utf8=*/false,
                            [&](const Loc&, const rapidjson::Value& obj) {
                              if (!any) {
                                any = true;
                                first_fields = FormatFromFields(obj);
                              }
                              found = FormatOfRecord(obj);
                              return found == GoldFormat::kAuto ? Status::Ok() : stop;
                            });
  if (!st.ok() && st.code() != StatusCode::kAborted) return st;
  if (found != GoldFormat::kAuto) return found;
  if (!any) return Status::InvalidArgument(std::string(name) + ": no gold records");
  if (first_fields == GoldFormat::kAuto) {
    return Status::InvalidArgument(std::string(name) +
                                   ": cannot tell the gold format (no record has a gold event); "
                                   "give --format spans or --format acled");
  }
  return first_fields;
}

Result<EvalReport> EvaluateJsonLines(std::string_view gold_jsonl, std::string_view pred_jsonl,
                                     const EvalOptions& options, std::string_view gold_name,
                                     std::string_view pred_name) {
  GoldFormat format = options.format;
  if (format == GoldFormat::kAuto) {
    KG_ASSIGN_OR_RETURN(format, DetectGoldFormat(gold_jsonl, gold_name));
  }
  // The event-pair scorers read predictions as score.py does (event_eval.h).
  if (format == GoldFormat::kSpans || format == GoldFormat::kAcled) {
    return EvaluateEventPairs(gold_jsonl, pred_jsonl, format, options, gold_name, pred_name);
  }
  KG_ASSIGN_OR_RETURN(PredSet preds, LoadPredictions(pred_jsonl, pred_name, format));
  switch (format) {
    case GoldFormat::kSeed: {
      KG_ASSIGN_OR_RETURN(auto gold, LoadSeedGold(gold_jsonl, gold_name));
      return EvaluateSeed(gold, preds, options);
    }
    case GoldFormat::kCarb: {
      KG_ASSIGN_OR_RETURN(auto gold, LoadCarbGold(gold_jsonl, gold_name));
      return EvaluateCarb(gold, preds, options);
    }
    case GoldFormat::kPolnear: {
      KG_ASSIGN_OR_RETURN(auto gold, LoadPolnearGold(gold_jsonl, gold_name));
      return EvaluatePolnear(gold, preds, options);
    }
    case GoldFormat::kAuto:
    case GoldFormat::kSpans:
    case GoldFormat::kAcled:
      break;
  }
  return Status::Internal("gold format not resolved");
}

Result<EvalReport> RunEvaluation(const EvalOptions& options) {
  if (options.gold_path.empty()) return Status::InvalidArgument("no gold file given");
  if (options.pred_path.empty()) return Status::InvalidArgument("no prediction file given");
  KG_ASSIGN_OR_RETURN(std::string gold, ReadWholeFile(options.gold_path));
  KG_ASSIGN_OR_RETURN(std::string pred, ReadWholeFile(options.pred_path));
  return EvaluateJsonLines(gold, pred, options, options.gold_path, options.pred_path);
}

}  // namespace kg
