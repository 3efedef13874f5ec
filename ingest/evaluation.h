// Evaluation of `kg extract` output against gold annotations (`kg eval`).
//
// Five gold formats are understood, one JSON object per line:
//  - seed:    {"id", "triples": [{"source": {"name","code"}, "relation", "cameo",
//              "cameo_any"?, "target": {...}, "evidence", "level": "must"|"may"}]}
//             Coded events; matched on actor country part + CAMEO root.
//  - CaRB:    {"id", "text", "triples": [{"subject", "relation", "object"}]}
//             Open-IE tuples; matched leniently by token overlap.
//  - PolNeAR: {"id", "text", "triples": [{"subject_spans", "relation_spans",
//              "object_spans", "no_source"?, ...}]}
//             Attributions (source, cue, content); matched by span overlap.
//  - spans:   WikiEvents / RAMS {"id", "text", "events": [{"source", "target",
//             "sentence_span", ...}]} and
//  - acled:   ACLED notes {"id", "text", "iso3", "events": [{"source",
//             "source_inter", ...}]}: actor -> actor pairs, recall only, scored
//             exactly as shared/eval/score.py does (event_eval.h).
//
// Predictions are the JSON Lines written by `kg extract`: one object per
// article, {"id", "events": [...], "attributions": [...]}. Spans are
// [begin, end) in Unicode code points of the article text.
//
// Seed, CaRB and PolNeAR matching is one-to-one: every gold item matches at
// most one prediction and vice versa (a maximum bipartite matching per
// article).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "graph/status.h"

namespace kg {

enum class GoldFormat { kAuto, kSeed, kCarb, kPolnear, kSpans, kAcled };

// "auto", "seed", "carb", "polnear", "spans", "acled".
std::string_view GoldFormatName(GoldFormat format);
// Inverse of GoldFormatName (case-insensitive); nullopt when unknown.
std::optional<GoldFormat> ParseGoldFormat(std::string_view name);

struct EvalOptions {
  std::string gold_path;
  std::string pred_path;
  GoldFormat format = GoldFormat::kAuto;
  // List missed gold items and false alarms (with their quotes) in the text.
  bool list_errors = true;
  // At most this many misses and this many false alarms are listed.
  size_t max_listed = 50;
  // Seed only: score only gold triples of level "must". Predictions that
  // match a "may" triple are then neither correct nor false alarms.
  bool must_only = false;
};

// Precision / recall / F1 of one comparison.
struct Score {
  size_t gold = 0;
  size_t predicted = 0;
  size_t matched = 0;
  double precision = 0.0;  // matched / predicted (0 when nothing predicted).
  double recall = 0.0;     // matched / gold (0 when there is no gold).
  double f1 = 0.0;
};

struct EvalReport {
  GoldFormat format = GoldFormat::kAuto;  // The format actually used.
  // Headline numbers. Seed: all levels (or must only with must_only).
  // CaRB: all tuples. PolNeAR: attributions matched one-to-one by cue overlap.
  double precision = 0.0, recall = 0.0, f1 = 0.0;
  size_t gold = 0, predicted = 0, matched = 0;

  size_t documents = 0;               // Gold records scored.
  size_t documents_without_pred = 0;  // Gold records with no prediction record.
  size_t unused_pred_records = 0;     // Prediction records whose id is not in the gold.

  // Seed: the "must" triples (recall only; precision is not defined for them).
  size_t must_gold = 0, must_matched = 0;
  double must_recall = 0.0;
  // Seed: predictions not counted because they are negated.
  size_t negated_skipped = 0;

  // CaRB: the same scores restricted to gold tuples whose relation is a verb
  // phrase (not a bare "is", "has a", "is in", ...). Predictions that match
  // only non-verb tuples are ignored.
  Score carb_verb;

  // PolNeAR: per-part figures.
  double cue_recall = 0.0;      // Gold cues overlapped by some predicted cue.
  double cue_precision = 0.0;   // Predicted cues overlapping some gold cue.
  double source_recall = 0.0;   // Gold sources overlapped by the speaker of an
                                // attribution whose cue overlaps the gold cue.
  double content_recall = 0.0;  // Same for contents.
  size_t gold_cues = 0, gold_sources = 0, gold_contents = 0, predicted_cues = 0;

  // spans / ACLED: only recall, gold, matched and predicted (non-negated
  // events of the gold documents) of the headline are set. Also: documents
  // whose prediction has an event, and recall per event family ("conflict",
  // "Battle"), most gold pairs first.
  size_t documents_with_events = 0;
  struct Family {
    std::string name;
    size_t matched = 0, gold = 0;
  };
  std::vector<Family> families;

  std::string text;  // Human-readable report, including misses and false alarms.
};

// Reads both files and scores them. Errors name the file and line at fault
// (malformed JSON, missing or mistyped fields, undetectable format).
Result<EvalReport> RunEvaluation(const EvalOptions& options);

// Same, on in-memory JSON Lines; `gold_name` and `pred_name` label errors.
Result<EvalReport> EvaluateJsonLines(std::string_view gold_jsonl, std::string_view pred_jsonl,
                                     const EvalOptions& options,
                                     std::string_view gold_name = "gold",
                                     std::string_view pred_name = "pred");

// Guesses the gold format from the first record that tells (a record with at
// least one triple or gold event, or else the first record's fields). Errors
// carry "<name>:<line>"; event-pair gold without any event is an error.
Result<GoldFormat> DetectGoldFormat(std::string_view gold_jsonl, std::string_view name = "gold");

// Exposed for tests: the CaRB relation test ("was held" yes, "is in" no).
bool IsVerbLikeRelation(std::string_view relation);
// Exposed for tests: lenient token overlap of two phrases in [0, 1]:
// max(|common| / |a|, |common| / |b|) over lower-cased word tokens.
double TokenOverlap(std::string_view a, std::string_view b);

}  // namespace kg
