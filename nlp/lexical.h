// Internal to nlp/: what the tagger and the parser know of a word form,
// computed once per word: hashes of its normalised form, affixes and shape.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace kg::nlp {

struct WordAtoms {
  uint64_t lower = 0;  // Lower-cased form with every digit turned into '0'.
  uint64_t shape = 0;  // Xxxx / dd-dd / x.x. style shape, runs capped at 3.
  uint64_t prefix1 = 0, prefix3 = 0;
  uint64_t suffix1 = 0, suffix2 = 0, suffix3 = 0, suffix4 = 0;
  uint8_t flags = 0;  // WordFlag bits.
};

enum WordFlag : uint8_t {
  kHasUpper = 1,
  kAllUpper = 2,
  kHasDigit = 4,
  kHasHyphen = 8,
  kNoLetter = 16,
  kInitialUpper = 32,
};

// Lower-cased (ASCII letters only; other bytes kept) with digits as '0'.
void NormalizeWord(std::string_view form, std::string* out);

// Fills *out from `form`; `scratch` is reused between calls.
void ComputeAtoms(std::string_view form, std::string* scratch, WordAtoms* out);

}  // namespace kg::nlp
