// Content-derived identifiers and the normalisation they are computed on.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "graph/types.h"

namespace kg {

// 64-bit XXH3 hash; stable across platforms and releases of kg.
uint64_t Hash64(std::string_view bytes);

// Lower-cases (Unicode case folding), collapses runs of white space into one
// space and trims. Used for actor names, aliases and relation lemmas.
std::string NormalizeName(std::string_view name);
// Appends NormalizeName(name) to *dst; ASCII names need no allocation (the
// bulk loader normalizes every actor name once).
void AppendNormalizedName(std::string* dst, std::string_view name);

ActorId ActorIdFor(std::string_view canonical_name);
RelationId RelationIdFor(std::string_view relation);
DocKey DocKeyFor(std::string_view doc_id);

}  // namespace kg
