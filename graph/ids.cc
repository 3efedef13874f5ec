#include "graph/ids.h"

#include <unicode/unistr.h>
#include <xxhash.h>

namespace kg {
namespace {

bool IsAsciiSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

bool IsAscii(std::string_view s) {
  for (unsigned char c : s) {
    if (c >= 0x80) return false;
  }
  return true;
}

}  // namespace

uint64_t Hash64(std::string_view bytes) { return XXH3_64bits(bytes.data(), bytes.size()); }

std::string NormalizeName(std::string_view name) {
  std::string folded;
  if (IsAscii(name)) {
    folded.reserve(name.size());
    for (char c : name) folded.push_back((c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c);
  } else {
    icu::UnicodeString::fromUTF8(icu::StringPiece(name.data(), static_cast<int32_t>(name.size())))
        .foldCase()
        .toUTF8String(folded);
  }
  std::string out;
  out.reserve(folded.size());
  bool pending_space = false;
  for (char c : folded) {
    if (IsAsciiSpace(c)) {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) out.push_back(' ');
    pending_space = false;
    out.push_back(c);
  }
  return out;
}

// Distinct seeds per kind keep actor, relation and document ids independent.
ActorId ActorIdFor(std::string_view canonical_name) {
  std::string norm = NormalizeName(canonical_name);
  return XXH3_64bits_withSeed(norm.data(), norm.size(), 0xA5A5);
}

RelationId RelationIdFor(std::string_view relation) {
  std::string norm = NormalizeName(relation);
  return XXH3_64bits_withSeed(norm.data(), norm.size(), 0x5E1A);
}

DocKey DocKeyFor(std::string_view doc_id) {
  return XXH3_64bits_withSeed(doc_id.data(), doc_id.size(), 0xD0C);
}

}  // namespace kg
