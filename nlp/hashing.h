// Internal to nlp/: portable 64-bit hashing of words and feature templates.
// Values are the same on every platform and compiler (model files store
// features only as these hashes), so nothing here may depend on
// std::hash, pointer values or the host's endianness.
#pragma once

#include <cstdint>
#include <string_view>

namespace kg::nlp {

// Hash of a byte string (XXH3-64, seed 0).
uint64_t HashBytes(std::string_view bytes);

// Mixes one more value into a running feature hash (a multiply-xorshift
// step in the style of MurmurHash3's finalizer; bijective in `h` for a
// fixed `v`).
inline uint64_t Mix(uint64_t h, uint64_t v) {
  h ^= v + 0x9E3779B97F4A7C15ull + (h << 6) + (h >> 2);
  h ^= h >> 33;
  h *= 0xFF51AFD7ED558CCDull;
  h ^= h >> 29;
  return h;
}

// Key of feature template `t` over up to three atoms.
inline uint64_t FeatureKey(uint32_t t, uint64_t a) { return Mix(Mix(0x5851F42D4C957F2Dull, t), a); }
inline uint64_t FeatureKey(uint32_t t, uint64_t a, uint64_t b) { return Mix(FeatureKey(t, a), b); }
inline uint64_t FeatureKey(uint32_t t, uint64_t a, uint64_t b, uint64_t c) {
  return Mix(FeatureKey(t, a, b), c);
}

}  // namespace kg::nlp
