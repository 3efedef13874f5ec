// The synthetic events the microbenchmark graphs are made of (bm_graph.cc,
// bm_query.cc): Zipf-like actors and relations from every CAMEO quad class.
#pragma once

#include <algorithm>
#include <cstddef>
#include <random>
#include <string>

#include "graph/types.h"

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

inline std::string ActorName(size_t i) { return "Actor " + std::to_string(i); }

// Zipf-like actor choice: index = floor(n * u^3) puts most events on a few hubs.
inline size_t SkewedActor(std::mt19937_64& rng, size_t n) {
  std::uniform_real_distribution<double> u(0.0, 1.0);
  const double x = u(rng);
  return std::min(n - 1, static_cast<size_t>(static_cast<double>(n) * x * x * x));
}

// One event between two distinct skewed actors of `actors`, with a uniform
// relation; every 50th `serial` is negated. Mentions are the caller's.
inline Event RandomEvent(std::mt19937_64& rng, size_t actors, size_t serial) {
  std::uniform_int_distribution<size_t> rel_dist(0, kNumRelations - 1);
  Event ev;
  const size_t s = SkewedActor(rng, actors);
  size_t t = SkewedActor(rng, actors);
  if (t == s) t = (t + 1) % actors;
  ev.source.name = ActorName(s);
  ev.target.name = ActorName(t);
  const auto& rel = kRelations[rel_dist(rng)];
  ev.relation = rel[0];
  ev.cameo = rel[1];
  ev.negated = (serial % 50) == 0;
  return ev;
}

}  // namespace kg::bench
