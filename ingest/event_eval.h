// `kg eval --format spans|acled`: recall of actor -> actor pairs in `kg
// extract` output against the event-pair tuning sets (WikiEvents and RAMS:
// "spans"; ACLED notes: "acled").
//
// The numbers must agree exactly with the project's reference scorer,
// shared/eval/score.py (score_spans, score_acled), so that scores quoted
// from either tool are comparable; the matching rules below are that
// scorer's, including its quirks (a lenient content-word match, first-come
// family tallies, the iso-codes country table). In short:
//  - spans: a gold pair {"source", "source_informative"?, "source_aliases"?,
//    same for "target", "sentence_span"?, "cross_sentence"?, "symmetric"?,
//    "type"} is found when a non-negated predicted event overlapping the gold
//    sentence (anywhere for cross-sentence pairs, or when either span is
//    missing) shares a content word between its source mention or name and
//    one of the gold source strings, and likewise for the target.
//  - acled: a gold pair {"source", "target", "*_inter", "*_name_country"?,
//    "symmetric"?, "type"} in a note {"iso3"?} is found when some non-negated
//    predicted event of the note has a source compatible with actor1 and a
//    target compatible with actor2 (country and role of the actor code, or a
//    distinctive word of the ACLED name).
// Only recall is defined: the gold sets annotate one event per window or
// note, not every event in the text.
#pragma once

#include <string_view>

#include "graph/status.h"
#include "ingest/evaluation.h"
#include "rapidjson/fwd.h"

namespace kg {

// Scores `pred_jsonl` (kg extract output) against `gold_jsonl` in `format`
// (kSpans or kAcled). Errors carry "<name>:<line>: reason".
Result<EvalReport> EvaluateEventPairs(std::string_view gold_jsonl, std::string_view pred_jsonl,
                                      GoldFormat format, const EvalOptions& options,
                                      std::string_view gold_name, std::string_view pred_name);

// For format detection: kAcled or kSpans when a gold record has the shape of
// that set (its gold events carry ACLED actor types, or sentence spans and
// role pairs), kAuto when the record does not tell (e.g. no events).
GoldFormat EventPairFormatOfRecord(const rapidjson::Value& record);

}  // namespace kg
