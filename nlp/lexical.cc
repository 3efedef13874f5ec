#include "nlp/lexical.h"

#include "nlp/hashing.h"

namespace kg::nlp {
namespace {

bool IsUpper(char c) { return c >= 'A' && c <= 'Z'; }
bool IsLower(char c) { return c >= 'a' && c <= 'z'; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Hash of the last `n` code points of s (or all of s).
uint64_t Suffix(std::string_view s, int n, uint64_t salt) {
  size_t i = s.size();
  for (int k = 0; k < n && i > 0; ++k) {
    --i;
    while (i > 0 && (static_cast<unsigned char>(s[i]) & 0xC0) == 0x80) --i;
  }
  return Mix(salt, HashBytes(s.substr(i)));
}

uint64_t Prefix(std::string_view s, int n, uint64_t salt) {
  size_t i = 0;
  for (int k = 0; k < n && i < s.size(); ++k) {
    ++i;
    while (i < s.size() && (static_cast<unsigned char>(s[i]) & 0xC0) == 0x80) ++i;
  }
  return Mix(salt, HashBytes(s.substr(0, i)));
}

}  // namespace

void NormalizeWord(std::string_view form, std::string* out) {
  out->assign(form);
  for (char& c : *out) {
    if (IsUpper(c)) {
      c = static_cast<char>(c - 'A' + 'a');
    } else if (IsDigit(c)) {
      c = '0';
    }
  }
}

void ComputeAtoms(std::string_view form, std::string* scratch, WordAtoms* out) {
  NormalizeWord(form, scratch);
  out->lower = HashBytes(*scratch);
  out->prefix1 = Prefix(*scratch, 1, 11);
  out->prefix3 = Prefix(*scratch, 3, 13);
  out->suffix1 = Suffix(*scratch, 1, 21);
  out->suffix2 = Suffix(*scratch, 2, 22);
  out->suffix3 = Suffix(*scratch, 3, 23);
  out->suffix4 = Suffix(*scratch, 4, 24);
  // Shape: X for upper, x for lower, d for digit, the byte itself otherwise;
  // a run of one class is cut after 3 characters; non-ASCII letters are 'u'.
  std::string& shape = *scratch;
  shape.clear();
  uint8_t flags = 0;
  bool letters = false, all_upper = true;
  char last = 0;
  int run = 0;
  for (size_t i = 0; i < form.size(); ++i) {
    const char c = form[i];
    char k;
    if (IsUpper(c)) {
      k = 'X';
      letters = true;
      flags |= kHasUpper;
      if (i == 0) flags |= kInitialUpper;
    } else if (IsLower(c)) {
      k = 'x';
      letters = true;
      all_upper = false;
    } else if (IsDigit(c)) {
      k = 'd';
      flags |= kHasDigit;
    } else if (static_cast<unsigned char>(c) >= 0x80) {
      if ((static_cast<unsigned char>(c) & 0xC0) == 0x80) continue;  // Continuation byte.
      k = 'u';
      letters = true;
    } else {
      k = c;
      if (c == '-') flags |= kHasHyphen;
    }
    run = (k == last) ? run + 1 : 1;
    last = k;
    if (run <= 3) shape.push_back(k);
  }
  if (!letters) flags |= kNoLetter;
  if (letters && all_upper && (flags & kHasUpper)) flags |= kAllUpper;
  out->shape = Mix(31, HashBytes(shape));
  out->flags = flags;
}

}  // namespace kg::nlp
