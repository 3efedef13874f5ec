// The relation lemmas and CAMEO codes the synthetic benchmark graphs draw
// from (bm_graph.cc, bm_query.cc): every quad class, verbal and material.
#pragma once

#include <cstddef>

namespace kg::bench {

inline constexpr const char* kRelations[][2] = {
    {"say", "010"},         {"appeal", "020"},     {"express intent", "030"},
    {"meet", "040"},        {"praise", "051"},     {"cooperate", "061"},
    {"provide aid", "070"}, {"yield", "080"},      {"investigate", "090"},
    {"demand", "100"},      {"disapprove", "110"}, {"criticize", "111"},
    {"accuse", "112"},      {"reject", "120"},     {"threaten", "130"},
    {"protest", "140"},     {"mobilize", "150"},   {"suspend relations", "161"},
    {"coerce", "170"},      {"arrest", "173"},     {"assault", "180"},
    {"attack", "183"},      {"fight", "190"},      {"bomb", "195"}};
inline constexpr size_t kNumRelations = sizeof(kRelations) / sizeof(kRelations[0]);

}  // namespace kg::bench
