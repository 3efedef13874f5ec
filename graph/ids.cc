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
  std::string out;
  AppendNormalizedName(&out, name);
  return out;
}

void AppendNormalizedName(std::string* dst, std::string_view name) {
  std::string folded;
  if (!IsAscii(name)) {
    icu::UnicodeString::fromUTF8(icu::StringPiece(name.data(), static_cast<int32_t>(name.size())))
        .foldCase()
        .toUTF8String(folded);
    name = folded;
  }
  dst->reserve(dst->size() + name.size());
  const size_t start = dst->size();
  bool pending_space = false;
  for (char c : name) {
    if (IsAsciiSpace(c)) {
      pending_space = dst->size() > start;
      continue;
    }
    if (pending_space) dst->push_back(' ');
    pending_space = false;
    dst->push_back((c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c);
  }
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
