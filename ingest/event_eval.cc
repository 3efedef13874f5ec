#include "ingest/event_eval.h"

#include <unicode/bytestream.h>
#include <unicode/casemap.h>
#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <functional>
#include <set>
#include <sstream>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "ingest/eval_records.h"
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
// Records are read with UTF-8 validation: score.py's load() fails on
// malformed UTF-8 too, where the older formats' reader lets it through.

// ---------------------------------------------------------------------------
// Python string semantics. score.py tokenises with re \w+ and str.lower(),
// drops str.isdigit() tokens, and upper-cases actor codes with str.upper();
// these reproduce them (full Unicode case mapping, as Python does) so that a
// non-ASCII mention tokenises the same way in both scorers.

std::string PyLower(std::string_view s) {
  std::string out;
  icu::StringByteSink<std::string> sink(&out);
  UErrorCode status = U_ZERO_ERROR;
  icu::CaseMap::utf8ToLower("", 0, icu::StringPiece(s.data(), static_cast<int32_t>(s.size())), sink,
                            nullptr, status);
  return U_SUCCESS(status) ? out : std::string(s);
}

std::string PyUpper(std::string_view s) {
  std::string out;
  icu::StringByteSink<std::string> sink(&out);
  UErrorCode status = U_ZERO_ERROR;
  icu::CaseMap::utf8ToUpper("", 0, icu::StringPiece(s.data(), static_cast<int32_t>(s.size())), sink,
                            nullptr, status);
  return U_SUCCESS(status) ? out : std::string(s);
}

// Python's \w for str patterns: str.isalnum() (letters, and characters with
// a numeric type) or '_'. Combining marks are not word characters there.
bool IsPyWordChar(UChar32 c) {
  if (c == '_') return true;
  if (U_GET_GC_MASK(c) & U_GC_L_MASK) return true;
  return u_getIntPropertyValue(c, UCHAR_NUMERIC_TYPE) != U_NT_NONE;
}

// str.isdigit(): non-empty and every character of numeric type decimal or digit.
bool IsPyDigits(std::string_view s) {
  if (s.empty()) return false;
  int32_t i = 0;
  const int32_t n = static_cast<int32_t>(s.size());
  while (i < n) {
    UChar32 c;
    U8_NEXT(s.data(), i, n, c);
    int32_t type = c < 0 ? U_NT_NONE : u_getIntPropertyValue(c, UCHAR_NUMERIC_TYPE);
    if (type != U_NT_DECIMAL && type != U_NT_DIGIT) return false;
  }
  return true;
}

// The first `count` code points of s from code point `from` (Python s[from:from+count]).
std::string CodePointSlice(std::string_view s, size_t from, size_t count) {
  int32_t i = 0, begin = -1;
  const int32_t n = static_cast<int32_t>(s.size());
  size_t cp = 0;
  while (i < n && cp < from + count) {
    if (cp == from) begin = i;
    U8_FWD_1(s.data(), i, n);
    ++cp;
  }
  if (begin < 0) return "";
  return std::string(s.substr(static_cast<size_t>(begin), static_cast<size_t>(i - begin)));
}

const std::unordered_set<std::string_view>& StopWords() {
  static const auto* const kStop = new std::unordered_set<std::string_view>{
      "the",  "a",    "an",    "of",    "his",     "her",  "its",  "their", "our",   "my",   "your",
      "this", "that", "these", "those", "to",      "in",   "on",   "at",    "for",   "by",   "with",
      "and",  "or",   "from",  "some",  "several", "many", "more", "than",  "least", "about"};
  return *kStop;
}

bool IsPronoun(std::string_view t) {
  static const auto* const kPron = new std::unordered_set<std::string_view>{
      "he",  "she",   "it", "they", "him", "her", "them", "his",
      "its", "their", "we", "us",   "i",   "you", "who",  "which"};
  return kPron->count(t) > 0;
}

using TokenSet = std::set<std::string>;

// score.py ctoks(): lower-cased \w+ tokens minus stop words and digit strings.
TokenSet ContentTokens(std::string_view s) {
  TokenSet out;
  const int32_t n = static_cast<int32_t>(s.size());
  int32_t i = 0, start = -1;
  auto flush = [&](int32_t end) {
    if (start < 0) return;
    std::string t = PyLower(s.substr(static_cast<size_t>(start), static_cast<size_t>(end - start)));
    start = -1;
    if (StopWords().count(t) == 0 && !IsPyDigits(t)) out.insert(std::move(t));
  };
  while (i < n) {
    int32_t at = i;
    UChar32 c;
    U8_NEXT(s.data(), i, n, c);
    if (c >= 0 && IsPyWordChar(c)) {
      if (start < 0) start = at;
    } else {
      flush(at);
    }
  }
  flush(n);
  return out;
}

bool Intersects(const TokenSet& a, const TokenSet& b) {
  for (const auto& t : a) {
    if (b.count(t) > 0) return true;
  }
  return false;
}

// The field getters treat an absent field and null alike, as score.py's
// `.get(key) or default` does; a value of another type is an error (where
// score.py would crash or silently coerce).

Result<std::string> OptString(const Loc& loc, const rapidjson::Value& obj, const char* key,
                              std::string_view what) {
  const rapidjson::Value* v = Find(obj, key);
  if (v == nullptr || v->IsNull()) return std::string();
  if (!v->IsString()) {
    return loc.Error(std::string(what) + ": field \"" + key + "\" must be a string");
  }
  return std::string(v->GetString(), v->GetStringLength());
}

Result<bool> OptBool(const Loc& loc, const rapidjson::Value& obj, const char* key,
                     std::string_view what) {
  const rapidjson::Value* v = Find(obj, key);
  if (v == nullptr || v->IsNull()) return false;
  if (!v->IsBool()) {
    return loc.Error(std::string(what) + ": field \"" + key + "\" must be true or false");
  }
  return v->GetBool();
}

// An array field; nullptr when absent or null.
Result<const rapidjson::Value*> OptArray(const Loc& loc, const rapidjson::Value& obj,
                                         const char* key, std::string_view what) {
  const rapidjson::Value* v = Find(obj, key);
  if (v == nullptr || v->IsNull()) return static_cast<const rapidjson::Value*>(nullptr);
  if (!v->IsArray()) {
    return loc.Error(std::string(what) + ": field \"" + key + "\" must be an array");
  }
  return v;
}

struct Span {
  int64_t begin = 0, end = 0;
  bool present = false;  // score.py skips the sentence test for a missing or empty span.
};

// score.py's overlap(): a[0] < b[1] and b[0] < a[1].
bool Overlaps(const Span& a, const Span& b) { return a.begin < b.end && b.begin < a.end; }

Result<Span> OptSpan(const Loc& loc, const rapidjson::Value& obj, const char* key,
                     std::string_view what) {
  KG_ASSIGN_OR_RETURN(const rapidjson::Value* v, OptArray(loc, obj, key, what));
  Span s;
  if (v == nullptr || v->Empty()) return s;
  if (v->Size() != 2 || !(*v)[0].IsInt64() || !(*v)[1].IsInt64()) {
    return loc.Error(std::string(what) + ": field \"" + key + "\" must be [begin, end]");
  }
  s.begin = (*v)[0].GetInt64();
  s.end = (*v)[1].GetInt64();
  s.present = true;
  return s;
}

Result<std::string> RequiredId(const Loc& loc, const rapidjson::Value& obj, std::string_view what) {
  const rapidjson::Value* v = Find(obj, "id");
  if (v == nullptr || !v->IsString()) {
    return loc.Error(std::string(what) + ": field \"id\" must be a string");
  }
  return std::string(v->GetString(), v->GetStringLength());
}

// Rejects a repeated id: score.py would silently keep the last record, which
// is always a mistake in a gold or prediction file.
class IdSet {
 public:
  Status Add(const Loc& loc, const std::string& id) {
    auto [it, inserted] = lines_.emplace(id, loc.line);
    if (inserted) return Status::Ok();
    return loc.Error("duplicate id \"" + id + "\" (first at line " + std::to_string(it->second) +
                     ")");
  }

 private:
  std::unordered_map<std::string, size_t> lines_;
};

// ---------------------------------------------------------------------------
// Predictions: only what the two scorers read.

struct PredActor {
  bool present = false;  // score.py: `if not actor` (null, absent or {}).
  std::string text, name, code;
  TokenSet text_tokens, all_tokens;  // ctoks(text), ctoks(text) | ctoks(name).
};

struct PredEvent {
  PredActor source, target;
  Span span;
};

struct PredDoc {
  std::vector<PredEvent> events;  // Non-negated only (score.py events_of).
  bool used = false;
};

Result<PredActor> ParsePredActor(const Loc& loc, const rapidjson::Value& ev, const char* key) {
  PredActor a;
  const rapidjson::Value* v = Find(ev, key);
  if (v == nullptr || v->IsNull()) return a;
  std::string what = std::string("event ") + key;
  if (!v->IsObject()) return loc.Error(what + " must be an object");
  a.present = v->MemberCount() > 0;
  KG_ASSIGN_OR_RETURN(a.text, OptString(loc, *v, "text", what));
  KG_ASSIGN_OR_RETURN(a.name, OptString(loc, *v, "name", what));
  KG_ASSIGN_OR_RETURN(a.code, OptString(loc, *v, "code", what));
  a.text_tokens = ContentTokens(a.text);
  a.all_tokens = a.text_tokens;
  TokenSet name_tokens = ContentTokens(a.name);
  a.all_tokens.insert(name_tokens.begin(), name_tokens.end());
  return a;
}

struct PredSet {
  std::unordered_map<std::string, PredDoc> by_id;
};

Result<PredSet> LoadPredictions(std::string_view jsonl, std::string_view name) {
  PredSet set;
  IdSet ids;
  Status st = ForEachRecord(
      jsonl, name, /*validate_utf8=*/true, [&](const Loc& loc, const rapidjson::Value& obj) {
        KG_ASSIGN_OR_RETURN(std::string id, RequiredId(loc, obj, "prediction"));
        KG_RETURN_IF_ERROR(ids.Add(loc, id));
        PredDoc doc;
        KG_ASSIGN_OR_RETURN(const rapidjson::Value* events,
                            OptArray(loc, obj, "events", "prediction"));
        if (events != nullptr) {
          for (const auto& ev : events->GetArray()) {
            if (!ev.IsObject()) return loc.Error("prediction: every event must be an object");
            KG_ASSIGN_OR_RETURN(bool negated, OptBool(loc, ev, "negated", "event"));
            if (negated) continue;
            PredEvent e;
            KG_ASSIGN_OR_RETURN(e.source, ParsePredActor(loc, ev, "source"));
            KG_ASSIGN_OR_RETURN(e.target, ParsePredActor(loc, ev, "target"));
            KG_ASSIGN_OR_RETURN(e.span, OptSpan(loc, ev, "span", "event"));
            doc.events.push_back(std::move(e));
          }
        }
        set.by_id.emplace(std::move(id), std::move(doc));
        return Status::Ok();
      });
  if (!st.ok()) return st;
  return set;
}

// ---------------------------------------------------------------------------
// Report helpers.

std::string ActorLabel(const PredActor& a) {
  if (!a.present) return "(none)";
  std::string s = Clip(a.text.empty() ? a.name : a.text, 40);
  if (!a.code.empty()) s += " [" + a.code + "]";
  return s;
}

// The predictions a miss had to choose from, for the listing.
std::string Candidates(const std::vector<const PredEvent*>& cands) {
  if (cands.empty()) return "no candidate event";
  std::string s = std::to_string(cands.size()) + " candidate(s): ";
  const size_t shown = std::min<size_t>(cands.size(), 3);
  for (size_t i = 0; i < shown; ++i) {
    if (i > 0) s += "; ";
    s += ActorLabel(cands[i]->source) + " -> " + ActorLabel(cands[i]->target);
  }
  if (cands.size() > shown) s += "; ...";
  return s;
}

// Per-family tallies in first-seen order; score.py lists them by gold count,
// ties in first-seen order (a stable sort).
class Families {
 public:
  void Add(const std::string& name, bool hit) {
    auto [it, inserted] = index_.emplace(name, list_.size());
    if (inserted) list_.push_back(EvalReport::Family{name, 0, 0});
    EvalReport::Family& f = list_[it->second];
    f.matched += hit ? 1 : 0;
    ++f.gold;
  }
  std::vector<EvalReport::Family> Sorted() const {
    std::vector<EvalReport::Family> out = list_;
    std::stable_sort(out.begin(), out.end(),
                     [](const auto& a, const auto& b) { return a.gold > b.gold; });
    return out;
  }

 private:
  std::unordered_map<std::string, size_t> index_;
  std::vector<EvalReport::Family> list_;
};

std::string FamilyList(const std::vector<EvalReport::Family>& families, size_t max) {
  std::string s;
  for (size_t i = 0; i < families.size() && i < max; ++i) {
    if (i > 0) s += " ";
    s += families[i].name + "=" + std::to_string(families[i].matched) + "/" +
         std::to_string(families[i].gold);
  }
  return s;
}

// The events of the prediction for `id` (none when there is no record).
const std::vector<PredEvent>& EventsFor(PredSet& preds, const std::string& id, EvalReport* report) {
  static const auto* const kNone = new std::vector<PredEvent>();
  auto it = preds.by_id.find(id);
  if (it == preds.by_id.end()) {
    ++report->documents_without_pred;
    return *kNone;
  }
  it->second.used = true;
  return it->second.events;
}

void FinishCounts(const PredSet& preds, size_t tp, size_t gold, size_t predicted,
                  EvalReport* report) {
  for (const auto& [id, doc] : preds.by_id) {
    if (!doc.used) ++report->unused_pred_records;
  }
  report->matched = tp;
  report->gold = gold;
  report->predicted = predicted;
  // As score.py: recall is 0 without gold; precision is not defined.
  report->recall = gold == 0 ? 0.0 : static_cast<double>(tp) / static_cast<double>(gold);
}

// ---------------------------------------------------------------------------
// spans: WikiEvents and RAMS.

struct SpansEvent {
  std::string type, source, target, sentence;
  std::vector<TokenSet> source_strings, target_strings;  // ctoks of gold_strings(), non-empty.
  Span sentence_span;
  bool cross_sentence = false, symmetric = false;
};

struct SpansDoc {
  std::string id;
  std::vector<SpansEvent> events;
};

// score.py gold_strings(): the mention, its informative coreferent and the
// coreference cluster; strings without a content word never match, so they
// are dropped here once.
Result<std::vector<TokenSet>> GoldStrings(const Loc& loc, const rapidjson::Value& ev,
                                          const std::string& side, std::string* mention) {
  std::vector<TokenSet> out;
  auto add = [&](const std::string& s) {
    TokenSet t = ContentTokens(s);
    if (!t.empty()) out.push_back(std::move(t));
  };
  KG_ASSIGN_OR_RETURN(*mention, OptString(loc, ev, side.c_str(), "gold event"));
  add(*mention);
  std::string informative_key = side + "_informative";
  KG_ASSIGN_OR_RETURN(std::string informative,
                      OptString(loc, ev, informative_key.c_str(), "gold event"));
  add(informative);
  std::string aliases_key = side + "_aliases";
  KG_ASSIGN_OR_RETURN(const rapidjson::Value* aliases,
                      OptArray(loc, ev, aliases_key.c_str(), "gold event"));
  if (aliases != nullptr) {
    for (const auto& a : aliases->GetArray()) {
      if (a.IsNull()) continue;
      if (!a.IsString()) return loc.Error("gold event: \"" + aliases_key + "\" must hold strings");
      add(std::string(a.GetString(), a.GetStringLength()));
    }
  }
  return out;
}

// ev.get("type", "?"): absent is "?", null is not a type.
Result<std::string> EventType(const Loc& loc, const rapidjson::Value& ev) {
  const rapidjson::Value* v = Find(ev, "type");
  if (v == nullptr) return std::string("?");
  if (!v->IsString()) return loc.Error("gold event: field \"type\" must be a string");
  return std::string(v->GetString(), v->GetStringLength());
}

Result<std::vector<SpansDoc>> LoadSpansGold(std::string_view jsonl, std::string_view name) {
  std::vector<SpansDoc> docs;
  IdSet ids;
  Status st = ForEachRecord(
      jsonl, name, /*validate_utf8=*/true, [&](const Loc& loc, const rapidjson::Value& obj) {
        SpansDoc doc;
        KG_ASSIGN_OR_RETURN(doc.id, RequiredId(loc, obj, "gold record"));
        KG_RETURN_IF_ERROR(ids.Add(loc, doc.id));
        KG_ASSIGN_OR_RETURN(const rapidjson::Value* events,
                            OptArray(loc, obj, "events", "gold record"));
        if (events != nullptr) {
          for (const auto& ev : events->GetArray()) {
            if (!ev.IsObject()) return loc.Error("gold record: every event must be an object");
            SpansEvent e;
            KG_ASSIGN_OR_RETURN(e.type, EventType(loc, ev));
            KG_ASSIGN_OR_RETURN(e.source_strings, GoldStrings(loc, ev, "source", &e.source));
            KG_ASSIGN_OR_RETURN(e.target_strings, GoldStrings(loc, ev, "target", &e.target));
            KG_ASSIGN_OR_RETURN(e.sentence_span, OptSpan(loc, ev, "sentence_span", "gold event"));
            KG_ASSIGN_OR_RETURN(e.sentence, OptString(loc, ev, "sentence_text", "gold event"));
            KG_ASSIGN_OR_RETURN(e.cross_sentence, OptBool(loc, ev, "cross_sentence", "gold event"));
            KG_ASSIGN_OR_RETURN(e.symmetric, OptBool(loc, ev, "symmetric", "gold event"));
            doc.events.push_back(std::move(e));
          }
        }
        docs.push_back(std::move(doc));
        return Status::Ok();
      });
  if (!st.ok()) return st;
  return docs;
}

// score.py end_match(): a content word shared with some gold string; a
// shared pronoun counts only when the predicted mention is itself a pronoun.
bool EndMatch(const PredActor& a, const std::vector<TokenSet>& gold) {
  if (!a.present) return false;
  const bool text_is_pronoun = std::all_of(a.text_tokens.begin(), a.text_tokens.end(),
                                           [](const std::string& t) { return IsPronoun(t); });
  for (const TokenSet& g : gold) {
    bool common = false;
    for (const auto& t : a.all_tokens) {
      if (g.count(t) == 0) continue;
      if (!IsPronoun(t)) return true;
      common = true;
    }
    if (common && text_is_pronoun) return true;
  }
  return false;
}

EvalReport ScoreSpans(const std::vector<SpansDoc>& gold, PredSet& preds,
                      const EvalOptions& options) {
  EvalReport report;
  report.format = GoldFormat::kSpans;
  report.documents = gold.size();
  ErrorList misses("missed pairs", options);
  Families families;
  size_t n_gold = 0, tp = 0, n_pred = 0;
  for (const SpansDoc& doc : gold) {
    const std::vector<PredEvent>& pe = EventsFor(preds, doc.id, &report);
    n_pred += pe.size();
    if (!pe.empty()) ++report.documents_with_events;
    for (const SpansEvent& ev : doc.events) {
      ++n_gold;
      std::vector<const PredEvent*> cands;
      for (const PredEvent& p : pe) {
        if (ev.cross_sentence || !ev.sentence_span.present || !p.span.present ||
            Overlaps(p.span, ev.sentence_span)) {
          cands.push_back(&p);
        }
      }
      bool hit = std::any_of(cands.begin(), cands.end(), [&](const PredEvent* p) {
        return (EndMatch(p->source, ev.source_strings) && EndMatch(p->target, ev.target_strings)) ||
               (ev.symmetric && EndMatch(p->source, ev.target_strings) &&
                EndMatch(p->target, ev.source_strings));
      });
      tp += hit ? 1 : 0;
      std::string lower = PyLower(ev.type);
      families.Add(lower.substr(0, lower.find('.')), hit);
      if (!hit) {
        misses.Add("[" + doc.id + "] " + ev.type + ": \"" + Clip(ev.source, 40) + "\" " +
                   (ev.symmetric ? "<->" : "->") + " \"" + Clip(ev.target, 40) + "\"; " +
                   Candidates(cands) + "  \"" + Clip(ev.sentence, 120) + "\"");
      }
    }
  }
  FinishCounts(preds, tp, n_gold, n_pred, &report);
  report.families = families.Sorted();

  std::string& t = report.text;
  t = "kg eval: WikiEvents/RAMS event pairs (score.py spans; recall only)\n";
  t += DocumentsLine(report);
  // score.py's summary line, character for character (top six families).
  t += "pairs recall=" + Fixed3(report.recall) + " (" + std::to_string(tp) + "/" +
       std::to_string(n_gold) + ") pred-events=" + std::to_string(n_pred) +
       " docs-with-events=" + std::to_string(report.documents_with_events) + "/" +
       std::to_string(gold.size()) + " [" + FamilyList(report.families, 6) + "]\n";
  misses.AppendTo(&t);
  return report;
}

// ---------------------------------------------------------------------------
// acled: ACLED notes.

struct AcledEnd {
  std::string name, name_country;
  TokenSet distinct;  // ctoks(name) - GENERIC.
  int64_t inter = 0;  // ACLED actor type 1-8; 0 when absent (score.py: None).
};

struct AcledEvent {
  std::string type;
  AcledEnd source, target;
  bool symmetric = false;
};

struct AcledDoc {
  std::string id, iso3, text;
  std::vector<AcledEvent> events;
};

const std::unordered_set<std::string_view>& GenericWords() {
  static const auto* const kGeneric = new std::unordered_set<std::string_view>{
      "military",  "forces",     "force",   "of",     "unidentified", "armed",  "group", "groups",
      "civilians", "protesters", "rioters", "police", "syria",        "syrian", "yemen", "iraq",
      "iran",      "the",        "al",      "and",    "or",           "allied"};
  return *kGeneric;
}

Result<AcledEnd> ParseAcledEnd(const Loc& loc, const rapidjson::Value& ev,
                               const std::string& side) {
  AcledEnd end;
  // ev["source"]: required by score.py (a KeyError there), null allowed.
  if (Find(ev, side.c_str()) == nullptr) {
    return loc.Error("gold event: missing field \"" + side + "\"");
  }
  KG_ASSIGN_OR_RETURN(end.name, OptString(loc, ev, side.c_str(), "gold event"));
  std::string country_key = side + "_name_country";
  KG_ASSIGN_OR_RETURN(end.name_country, OptString(loc, ev, country_key.c_str(), "gold event"));
  std::string inter_key = side + "_inter";
  const rapidjson::Value* inter = Find(ev, inter_key.c_str());
  if (inter != nullptr && !inter->IsNull()) {
    if (!inter->IsInt64()) return loc.Error("gold event: \"" + inter_key + "\" must be an integer");
    end.inter = inter->GetInt64();
  }
  for (const auto& t : ContentTokens(end.name)) {
    if (GenericWords().count(t) == 0) end.distinct.insert(t);
  }
  return end;
}

Result<std::vector<AcledDoc>> LoadAcledGold(std::string_view jsonl, std::string_view name) {
  std::vector<AcledDoc> docs;
  IdSet ids;
  Status st = ForEachRecord(
      jsonl, name, /*validate_utf8=*/true, [&](const Loc& loc, const rapidjson::Value& obj) {
        AcledDoc doc;
        KG_ASSIGN_OR_RETURN(doc.id, RequiredId(loc, obj, "gold record"));
        KG_RETURN_IF_ERROR(ids.Add(loc, doc.id));
        KG_ASSIGN_OR_RETURN(doc.iso3, OptString(loc, obj, "iso3", "gold record"));
        KG_ASSIGN_OR_RETURN(doc.text, OptString(loc, obj, "text", "gold record"));
        KG_ASSIGN_OR_RETURN(const rapidjson::Value* events,
                            OptArray(loc, obj, "events", "gold record"));
        if (events != nullptr) {
          for (const auto& ev : events->GetArray()) {
            if (!ev.IsObject()) return loc.Error("gold record: every event must be an object");
            AcledEvent e;
            KG_ASSIGN_OR_RETURN(e.type, EventType(loc, ev));
            KG_ASSIGN_OR_RETURN(e.source, ParseAcledEnd(loc, ev, "source"));
            KG_ASSIGN_OR_RETURN(e.target, ParseAcledEnd(loc, ev, "target"));
            KG_ASSIGN_OR_RETURN(e.symmetric, OptBool(loc, ev, "symmetric", "gold event"));
            doc.events.push_back(std::move(e));
          }
        }
        docs.push_back(std::move(doc));
        return Status::Ok();
      });
  if (!st.ok()) return st;
  return docs;
}

// score.py iso3_of(): lower-cased country names of Debian's iso-codes (when
// installed; the package is a kg dependency) with a few overrides for the
// names ACLED uses. Read at each evaluation: it is small, and reading it the
// way score.py does keeps both scorers on the same table on any machine.
constexpr const char* kIsoCodesPath = "/usr/share/iso-codes/json/iso_3166-1.json";

// score.py's additions to the iso-codes names, which win over them.
constexpr std::pair<std::string_view, const char*> kCountryOverrides[] = {
    {"syria", "SYR"},
    {"iran", "IRN"},
    {"russia", "RUS"},
    {"united states", "USA"},
    {"turkey", "TUR"},
    {"palestine", "PSE"},
    {"israel", "ISR"},
    {"yemen", "YEM"},
    {"iraq", "IRQ"},
    {"saudi arabia", "SAU"},
    {"united arab emirates", "ARE"},
    {"lebanon", "LBN"},
    {"jordan", "JOR"},
    {"bahrain", "BHR"},
    {"kuwait", "KWT"},
    {"qatar", "QAT"},
    {"oman", "OMN"},
    {"egypt", "EGY"},
    {"united kingdom", "GBR"},
    {"france", "FRA"}};

Result<std::unordered_map<std::string, std::string>> LoadCountryTable() {
  std::unordered_map<std::string, std::string> table;
  std::ifstream in(kIsoCodesPath, std::ios::binary);
  if (in) {
    std::ostringstream ss;
    ss << in.rdbuf();
    const std::string json = ss.str();
    rapidjson::Document doc;
    doc.Parse(json.data(), json.size());
    const rapidjson::Value* list = doc.HasParseError() ? nullptr : Find(doc, "3166-1");
    if (list == nullptr || !list->IsArray()) {
      return Status::InvalidArgument(std::string(kIsoCodesPath) + ": not an iso-codes table");
    }
    for (const auto& c : list->GetArray()) {
      const rapidjson::Value* alpha3 = Find(c, "alpha_3");
      if (alpha3 == nullptr || !alpha3->IsString()) continue;
      for (const char* key : {"name", "common_name", "official_name"}) {
        const rapidjson::Value* v = Find(c, key);
        if (v == nullptr || !v->IsString() || v->GetStringLength() == 0) continue;
        table[PyLower(std::string_view(v->GetString(), v->GetStringLength()))] =
            alpha3->GetString();
      }
    }
  }
  for (const auto& [name, code] : kCountryOverrides) table[std::string(name)] = code;
  return table;
}

// Three-letter prefixes that are role or sector codes, not countries.
bool IsoLike(std::string_view c) {
  static const auto* const kNotIso = new std::unordered_set<std::string_view>{
      "IGO", "NGO", "REB", "MIL", "GOV", "CVL", "COP", "OPP", "INS", "UAF", "JUD", "LEG", "MED",
      "BUS", "EDU", "SPY", "IMG", "REF", "MNC", "AGR", "HLH", "LAB", "ELI", "RAD", "MUS", "CHR"};
  return kNotIso->count(c) == 0;
}

bool RoleIn(const std::string& role, std::initializer_list<std::string_view> roles) {
  return std::find(roles.begin(), roles.end(), role) != roles.end();
}

// score.py acled_match(): is the predicted actor compatible with one ACLED
// actor of a note in country `note_iso3`?
bool AcledMatch(const PredActor& a, const AcledEnd& g, const std::string& note_iso3,
                const std::unordered_map<std::string, std::string>& countries) {
  if (!a.present) return false;
  const std::string c = PyUpper(a.code);
  std::string cc, role;
  const bool country_prefix =
      c.size() >= 3 &&
      std::all_of(c.begin(), c.begin() + 3, [](char ch) { return ch >= 'A' && ch <= 'Z'; }) &&
      IsoLike(std::string_view(c).substr(0, 3));
  if (country_prefix) {
    cc = c.substr(0, 3);
    role = CodePointSlice(c, 3, 3);
  } else {
    role = CodePointSlice(c, 0, 3);
  }
  // A named group: a distinctive word of its ACLED name in the mention or name.
  if (Intersects(g.distinct, a.all_tokens)) return true;
  std::string want;
  auto it = countries.find(PyLower(g.name_country));
  if (it != countries.end()) {
    want = it->second;
  } else if (g.inter >= 2 && g.inter <= 7) {
    want = note_iso3;  // Non-state actors belong to the note's country.
  }
  if (!cc.empty() && !want.empty() && cc != want) return false;
  if (cc.empty() && g.inter == 8) return false;
  switch (g.inter) {
    case 1:
      return RoleIn(role, {"GOV", "MIL", "COP", "SPY", "JUD", "LEG", "PRE", "MOD", ""});
    case 2:
    case 3:
    case 4:
      return !RoleIn(role, {"CVL", "GOV", "COP", "JUD", "LEG", "BUS", "MED", "EDU"});
    case 5:
    case 6:
      return RoleIn(role, {"OPP", "CVL", "REB", "LAB", "EDU", ""});
    case 7:
      return !RoleIn(role, {"GOV", "MIL", "COP", "REB", "INS", "SPY"});
    default:
      return !cc.empty();  // 8, external forces: the country must agree.
  }
}

Result<EvalReport> ScoreAcled(const std::vector<AcledDoc>& gold, PredSet& preds,
                              const EvalOptions& options) {
  KG_ASSIGN_OR_RETURN(auto countries, LoadCountryTable());
  EvalReport report;
  report.format = GoldFormat::kAcled;
  report.documents = gold.size();
  ErrorList misses("missed pairs", options);
  Families families;
  size_t n = 0, tp = 0, n_pred = 0;
  for (const AcledDoc& doc : gold) {
    const std::vector<PredEvent>& pe = EventsFor(preds, doc.id, &report);
    n_pred += pe.size();
    if (!pe.empty()) ++report.documents_with_events;
    for (const AcledEvent& ev : doc.events) {
      ++n;
      auto match = [&](const PredActor& p, const AcledEnd& g) {
        return AcledMatch(p, g, doc.iso3, countries);
      };
      bool hit = std::any_of(pe.begin(), pe.end(), [&](const PredEvent& p) {
        return (match(p.source, ev.source) && match(p.target, ev.target)) ||
               (ev.symmetric && match(p.source, ev.target) && match(p.target, ev.source));
      });
      tp += hit ? 1 : 0;
      families.Add(ev.type.substr(0, ev.type.find('-')), hit);
      if (!hit) {
        std::vector<const PredEvent*> cands;
        for (const PredEvent& p : pe) cands.push_back(&p);
        misses.Add("[" + doc.id + "] " + ev.type + ": " + ev.source.name +
                   (ev.symmetric ? " <-> " : " -> ") + ev.target.name + "; " + Candidates(cands) +
                   "  \"" + Clip(doc.text, 120) + "\"");
      }
    }
  }
  FinishCounts(preds, tp, n, n_pred, &report);
  report.families = families.Sorted();

  const size_t without = gold.size() - report.documents_with_events;
  std::string& t = report.text;
  t = "kg eval: ACLED actor pairs (score.py acled; recall only)\n";
  t += DocumentsLine(report);
  // score.py's summary line, character for character (all families).
  t += "acled pair recall=" + Fixed3(report.recall) + " (" + std::to_string(tp) + "/" +
       std::to_string(n) + ") pred-events=" + std::to_string(n_pred) +
       " notes-without-event=" + std::to_string(without) + "/" + std::to_string(gold.size()) +
       " [" + FamilyList(report.families, report.families.size()) + "]\n";
  misses.AppendTo(&t);
  return report;
}

}  // namespace

Result<EvalReport> EvaluateEventPairs(std::string_view gold_jsonl, std::string_view pred_jsonl,
                                      GoldFormat format, const EvalOptions& options,
                                      std::string_view gold_name, std::string_view pred_name) {
  if (format == GoldFormat::kSpans) {
    KG_ASSIGN_OR_RETURN(auto gold, LoadSpansGold(gold_jsonl, gold_name));
    KG_ASSIGN_OR_RETURN(PredSet preds, LoadPredictions(pred_jsonl, pred_name));
    return ScoreSpans(gold, preds, options);
  }
  if (format == GoldFormat::kAcled) {
    KG_ASSIGN_OR_RETURN(auto gold, LoadAcledGold(gold_jsonl, gold_name));
    KG_ASSIGN_OR_RETURN(PredSet preds, LoadPredictions(pred_jsonl, pred_name));
    return ScoreAcled(gold, preds, options);
  }
  return Status::Internal("EvaluateEventPairs: not an event-pair format");
}

GoldFormat EventPairFormatOfRecord(const rapidjson::Value& record) {
  const rapidjson::Value* events = Find(record, "events");
  if (events == nullptr || !events->IsArray() || Find(record, "triples") != nullptr) {
    return GoldFormat::kAuto;
  }
  for (const auto& ev : events->GetArray()) {
    // ACLED actor types; WikiEvents and RAMS pairs carry sentence spans and
    // role pairs, which kg extract output (the only other "events" records
    // kg reads) never does.
    if (Find(ev, "source_inter") != nullptr || Find(ev, "target_inter") != nullptr) {
      return GoldFormat::kAcled;
    }
    if (Find(ev, "sentence_span") != nullptr || Find(ev, "role_pair") != nullptr) {
      return GoldFormat::kSpans;
    }
  }
  // An ACLED note without an event still names its country.
  if (Find(record, "iso3") != nullptr) return GoldFormat::kAcled;
  return GoldFormat::kAuto;
}

}  // namespace kg
