// Internal to ingest/: ASCII-only string helpers for file formats and gold
// data (codes, headers, flags), where Unicode case folding is not wanted.
#pragma once

#include <string>
#include <string_view>

namespace kg::ingest {

inline std::string AsciiLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + ('a' - 'A'));
  }
  return out;
}

inline std::string AsciiUpper(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - ('a' - 'A'));
  }
  return out;
}

}  // namespace kg::ingest
