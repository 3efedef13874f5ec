// Sentence splitting and tokenization (see text.h).
//
// Per line: ICU proposes sentence boundaries, a merge step removes the ones
// that follow an abbreviation, each sentence is tokenized by a hand-written
// scanner (ASCII fast paths, ICU only for non-ASCII properties and NFKC),
// and a split step cuts after an ambiguous abbreviation ("U.S.") followed by
// a typical sentence starter ("He"). Datelines are then flagged and headlines
// detected.
#include "ingest/text.h"

#include <unicode/brkiter.h>
#include <unicode/bytestream.h>
#include <unicode/casemap.h>
#include <unicode/filteredbrk.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utext.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <limits>
#include <memory>
#include <string>
#include <vector>

namespace kg::ingest {

// ---------------------------------------------------------------------------
// Document members declared in document.h.

namespace {
constexpr uint32_t kCheckpointShift = 6;  // One checkpoint every 64 bytes.
inline bool IsContinuation(unsigned char c) { return (c & 0xC0) == 0x80; }
}  // namespace

void Document::IndexCodePoints() {
  const size_t n = std::min<size_t>(text.size(), std::numeric_limits<uint32_t>::max());
  cp_at_byte_.clear();
  cp_at_byte_.reserve((n >> kCheckpointShift) + 1);
  uint32_t count = 0;
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  for (size_t i = 0; i < n; ++i) {
    if ((i & ((1u << kCheckpointShift) - 1)) == 0) cp_at_byte_.push_back(count);
    count += !IsContinuation(p[i]);
  }
  if ((n & ((1u << kCheckpointShift) - 1)) == 0) cp_at_byte_.push_back(count);
}

uint32_t Document::CodePointOffset(uint32_t byte) const {
  const size_t b = std::min<size_t>(byte, text.size());
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  size_t from = 0;
  uint32_t count = 0;
  const size_t k = b >> kCheckpointShift;
  if (k < cp_at_byte_.size()) {
    from = k << kCheckpointShift;
    count = cp_at_byte_[k];
  }
  for (size_t i = from; i < b; ++i) count += !IsContinuation(p[i]);
  return count;
}

void Document::Clear() {
  text = {};
  tokens.clear();
  sentences.clear();
  cp_at_byte_.clear();
}

std::string_view SkipReasonName(SkipReason reason) {
  switch (reason) {
    case SkipReason::kNone:
      return "";
    case SkipReason::kTooLong:
      return "sentence too long";
    case SkipReason::kNoLetters:
      return "no letters";
  }
  return "";
}

namespace {

// ---------------------------------------------------------------------------
// UTF-8 decoding.

constexpr int32_t kInvalid = -1;

// Decodes the code point at p[0..n), n >= 1. Sets *len to its byte length
// (1 for an invalid byte) and returns kInvalid for ill-formed input.
inline int32_t Decode(const unsigned char* p, size_t n, size_t* len) {
  const unsigned char c = p[0];
  *len = 1;
  if (c < 0x80) return c;
  if (c < 0xC2) return kInvalid;
  if (c < 0xE0) {
    if (n < 2 || !IsContinuation(p[1])) return kInvalid;
    *len = 2;
    return ((c & 0x1F) << 6) | (p[1] & 0x3F);
  }
  if (c < 0xF0) {
    if (n < 3 || !IsContinuation(p[1]) || !IsContinuation(p[2])) return kInvalid;
    if (c == 0xE0 && p[1] < 0xA0) return kInvalid;   // Overlong.
    if (c == 0xED && p[1] >= 0xA0) return kInvalid;  // Surrogate.
    *len = 3;
    return ((c & 0x0F) << 12) | ((p[1] & 0x3F) << 6) | (p[2] & 0x3F);
  }
  if (c < 0xF5) {
    if (n < 4 || !IsContinuation(p[1]) || !IsContinuation(p[2]) || !IsContinuation(p[3])) {
      return kInvalid;
    }
    if (c == 0xF0 && p[1] < 0x90) return kInvalid;   // Overlong.
    if (c == 0xF4 && p[1] >= 0x90) return kInvalid;  // Above U+10FFFF.
    *len = 4;
    return ((c & 0x07) << 18) | ((p[1] & 0x3F) << 12) | ((p[2] & 0x3F) << 6) | (p[3] & 0x3F);
  }
  return kInvalid;
}

// ---------------------------------------------------------------------------
// Character classes.

enum : uint8_t {
  kClsSpace = 1,  // ASCII white space and NUL.
  kClsDigit = 2,
  kClsUpper = 4,
  kClsLower = 8,
  kClsAlnum = kClsDigit | kClsUpper | kClsLower,
};

constexpr std::array<uint8_t, 128> MakeAsciiClasses() {
  std::array<uint8_t, 128> t{};
  t[0] = t[' '] = t['\t'] = t['\n'] = t['\v'] = t['\f'] = t['\r'] = kClsSpace;
  for (int c = '0'; c <= '9'; ++c) t[c] = kClsDigit;
  for (int c = 'A'; c <= 'Z'; ++c) t[c] = kClsUpper;
  for (int c = 'a'; c <= 'z'; ++c) t[c] = kClsLower;
  return t;
}
constexpr std::array<uint8_t, 128> kAscii = MakeAsciiClasses();

inline bool IsUnicodeSpace(int32_t cp) {
  return cp == 0x85 || cp == 0xA0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200B) ||
         cp == 0x2028 || cp == 0x2029 || cp == 0x202F || cp == 0x205F || cp == 0x3000 ||
         cp == 0xFEFF;
}

// Letters, digits and combining marks continue a word.
inline bool IsWordCp(int32_t cp) {
  if (cp < 0x80) return cp >= 0 && (kAscii[cp] & kClsAlnum) != 0;
  return (U_GET_GC_MASK(cp) & (U_GC_L_MASK | U_GC_N_MASK | U_GC_M_MASK)) != 0;
}
inline bool IsLetterCp(int32_t cp) {
  if (cp < 0x80) return cp >= 0 && (kAscii[cp] & (kClsUpper | kClsLower)) != 0;
  return (U_GET_GC_MASK(cp) & U_GC_L_MASK) != 0;
}

// Decodes the code point at `pos` of s (s.size() > pos).
inline int32_t CpAt(std::string_view s, size_t pos, size_t* len) {
  return Decode(reinterpret_cast<const unsigned char*>(s.data()) + pos, s.size() - pos, len);
}
inline bool WordAt(std::string_view s, size_t pos, size_t end) {
  if (pos >= end) return false;
  const auto c = static_cast<unsigned char>(s[pos]);
  if (c < 0x80) return (kAscii[c] & kClsAlnum) != 0;
  size_t len;
  return IsWordCp(CpAt(s.substr(0, end), pos, &len));
}
inline bool DigitAt(std::string_view s, size_t pos, size_t end) {
  return pos < end && static_cast<unsigned char>(s[pos]) < 0x80 &&
         (kAscii[static_cast<unsigned char>(s[pos])] & kClsDigit) != 0;
}
inline bool LetterAt(std::string_view s, size_t pos, size_t end) {
  if (pos >= end) return false;
  const auto c = static_cast<unsigned char>(s[pos]);
  if (c < 0x80) return (kAscii[c] & (kClsUpper | kClsLower)) != 0;
  size_t len;
  return IsLetterCp(CpAt(s.substr(0, end), pos, &len));
}
// True when the code point at pos (< end) is white space; *len gets its size.
inline bool SpaceAt(std::string_view s, size_t pos, size_t end, size_t* len) {
  const auto c = static_cast<unsigned char>(s[pos]);
  *len = 1;
  if (c < 0x80) return (kAscii[c] & kClsSpace) != 0;
  const int32_t cp = CpAt(s.substr(0, end), pos, len);
  return IsUnicodeSpace(cp);
}
// True when the code point ending right before `pos` is white space.
bool SpaceBefore(std::string_view s, size_t pos) {
  if (pos == 0) return false;
  size_t start = pos - 1;
  while (start > 0 && pos - start < 4 && IsContinuation(static_cast<unsigned char>(s[start]))) {
    --start;
  }
  size_t len;
  return SpaceAt(s, start, pos, &len) && start + len == pos;
}

inline char AsciiLower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; }

// Copies s lower-cased into buf (ASCII only); returns "" when s does not fit
// or is not ASCII.
std::string_view LowerAscii(std::string_view s, char* buf, size_t cap) {
  if (s.size() > cap) return {};
  for (size_t i = 0; i < s.size(); ++i) {
    if (static_cast<unsigned char>(s[i]) >= 0x80) return {};
    buf[i] = AsciiLower(s[i]);
  }
  return {buf, s.size()};
}

// ---------------------------------------------------------------------------
// Abbreviations.

// Sorted lists, lower case, without the final period.
// Titles never end a sentence.
constexpr std::string_view kTitles[] = {
    "adm",  "brig", "capt", "cmdr", "col", "cpl",    "dr",  "fr",  "ft",  "gen", "gens",
    "gov",  "hon",  "insp", "lt",   "maj", "messrs", "mr",  "mrs", "ms",  "mt",  "pres",
    "prof", "rep",  "reps", "rev",  "sen", "sens",   "sgt", "st",  "supt"};
// Month abbreviations end a sentence only before a sentence starter.
constexpr std::string_view kMonths[] = {"apr", "aug", "dec", "feb", "jan", "jul",
                                        "jun", "mar", "nov", "oct", "sep", "sept"};
// Other abbreviations that may also end a sentence.
constexpr std::string_view kAmbiguousAbbrevs[] = {"approx", "assn", "bros", "co",  "corp", "dept",
                                                  "e.g",    "est",  "etc",  "i.e", "inc",  "jr",
                                                  "ltd",    "sr",   "univ", "vol", "vs"};
// Capitalized words that typically begin a sentence (lower-cased here).
constexpr std::string_view kStarters[] = {
    "a",       "after",  "also",   "although", "an",    "and",       "as",      "at",
    "because", "before", "both",   "but",      "by",    "despite",   "during",  "each",
    "earlier", "for",    "from",   "he",       "her",   "his",       "however", "i",
    "if",      "in",     "it",     "its",      "last",  "later",     "many",    "meanwhile",
    "more",    "most",   "my",     "no",       "now",   "officials", "on",      "one",
    "or",      "our",    "over",   "she",      "since", "so",        "some",    "still",
    "such",    "that",   "the",    "their",    "then",  "there",     "these",   "they",
    "this",    "those",  "though", "to",       "two",   "under",     "unlike",  "we",
    "what",    "when",   "where",  "which",    "while", "who",       "why",     "with",
    "yet",     "you"};

bool InList(std::string_view lower, const std::string_view* begin, const std::string_view* end) {
  return std::binary_search(begin, end, lower);
}
template <size_t N>
bool InList(std::string_view lower, const std::string_view (&list)[N]) {
  return InList(lower, list, list + N);
}

enum class AbbrevKind { kNone, kTitle, kMonth, kNumber, kAmbiguous };

// Classifies `word` (without its final period) as an abbreviation.
AbbrevKind ClassifyAbbrev(std::string_view word) {
  if (word.empty() || word.size() > 8) return AbbrevKind::kNone;
  char buf[8];
  const std::string_view lower = LowerAscii(word, buf, sizeof(buf));
  if (lower.empty()) return AbbrevKind::kNone;
  if (InList(lower, kTitles)) return AbbrevKind::kTitle;
  if (InList(lower, kMonths)) return AbbrevKind::kMonth;
  if (lower == "no" || lower == "nos") return AbbrevKind::kNumber;
  if (InList(lower, kAmbiguousAbbrevs)) return AbbrevKind::kAmbiguous;
  // A single letter (an initial) or a dotted acronym: U.S, a.m, U.N.
  bool letters_only = true;
  size_t run = 0;
  size_t dots = 0;
  for (char c : word) {
    if (c == '.') {
      if (run == 0) return AbbrevKind::kNone;
      ++dots;
      run = 0;
    } else if ((kAscii[static_cast<unsigned char>(c)] & (kClsUpper | kClsLower)) != 0) {
      if (++run > 2) letters_only = false;
    } else {
      return AbbrevKind::kNone;
    }
  }
  if (!letters_only) return AbbrevKind::kNone;
  if (dots > 0) return AbbrevKind::kAmbiguous;
  if (word.size() == 1 && (kAscii[static_cast<unsigned char>(word[0])] & kClsUpper) != 0) {
    return AbbrevKind::kAmbiguous;  // An initial: "John F. Kennedy".
  }
  return AbbrevKind::kNone;
}

bool IsStarter(std::string_view word) {
  if (word.empty() || (kAscii[static_cast<unsigned char>(word[0]) & 0x7F] & kClsUpper) == 0 ||
      static_cast<unsigned char>(word[0]) >= 0x80) {
    return false;
  }
  char buf[12];
  const std::string_view lower = LowerAscii(word, buf, sizeof(buf));
  return !lower.empty() && InList(lower, kStarters);
}

// Whether a sentence continues after abbreviation `abbr` (no final period)
// when the next word is `next` ("" when unknown).
bool ContinuesAfter(AbbrevKind kind, std::string_view abbr, std::string_view next) {
  if (kind == AbbrevKind::kNone) return false;
  const bool next_digit = !next.empty() &&
                          (kAscii[static_cast<unsigned char>(next[0]) & 0x7F] & kClsDigit) != 0 &&
                          static_cast<unsigned char>(next[0]) < 0x80;
  const bool next_lower = !next.empty() && static_cast<unsigned char>(next[0]) < 0x80 &&
                          (kAscii[static_cast<unsigned char>(next[0])] & kClsLower) != 0;
  switch (kind) {
    case AbbrevKind::kTitle:
      return true;
    case AbbrevKind::kNumber:
      return next_digit;
    case AbbrevKind::kMonth:
      return next_digit || next_lower || !IsStarter(next);
    case AbbrevKind::kAmbiguous: {
      char buf[8];
      const std::string_view lower = LowerAscii(abbr, buf, sizeof(buf));
      if (lower == "vs" || lower == "e.g" || lower == "i.e") return true;
      return next_digit || next_lower || !IsStarter(next);
    }
    case AbbrevKind::kNone:
      break;
  }
  return false;
}

// ---------------------------------------------------------------------------
// ICU sentence iterator, one per thread.

class SentenceBreaker {
 public:
  SentenceBreaker() {
    UErrorCode status = U_ZERO_ERROR;
    const icu::Locale locale("en_US@ss=standard");
    std::unique_ptr<icu::BreakIterator> base(
        icu::BreakIterator::createSentenceInstance(locale, status));
    if (U_FAILURE(status) || !base) return;
    std::unique_ptr<icu::FilteredBreakIteratorBuilder> builder(
        icu::FilteredBreakIteratorBuilder::createInstance(locale, status));
    if (U_SUCCESS(status) && builder) {
      auto suppress = [&](std::string_view w) {
        std::string s(w);
        s += '.';
        if (!s.empty()) s[0] = static_cast<char>(s[0] - 32 * (s[0] >= 'a' && s[0] <= 'z'));
        builder->suppressBreakAfter(icu::UnicodeString::fromUTF8(s), status);
      };
      for (std::string_view w : kTitles) suppress(w);
      for (std::string_view w : kMonths) suppress(w);
      builder->suppressBreakAfter(icu::UnicodeString::fromUTF8("vs."), status);
      if (U_SUCCESS(status)) {
        icu::BreakIterator* wrapped = builder->wrapIteratorWithFilter(base.release(), status);
        if (U_SUCCESS(status) && wrapped) {
          iter_.reset(wrapped);
          return;
        }
        delete wrapped;
        return;  // base was adopted (and freed) by the builder.
      }
    }
    iter_ = std::move(base);
  }

  // Appends the boundaries strictly inside line (offsets relative to it).
  void Boundaries(std::string_view line, std::vector<uint32_t>* out) {
    out->clear();
    if (iter_) {
      UErrorCode status = U_ZERO_ERROR;
      UText ut = UTEXT_INITIALIZER;
      utext_openUTF8(&ut, line.data(), static_cast<int64_t>(line.size()), &status);
      if (U_SUCCESS(status)) {
        iter_->setText(&ut, status);
        if (U_SUCCESS(status)) {
          for (int32_t b = iter_->next(); b != icu::BreakIterator::DONE; b = iter_->next()) {
            if (b > 0 && static_cast<size_t>(b) < line.size()) out->push_back(b);
          }
        }
        // The iterator keeps its own shallow clone; the next call replaces it.
        utext_close(&ut);
        return;
      }
      utext_close(&ut);
    }
    // Fallback without ICU data: break after . ! ? followed by a space.
    for (size_t i = 0; i + 1 < line.size(); ++i) {
      const char c = line[i];
      if ((c == '.' || c == '!' || c == '?') && line[i + 1] == ' ') out->push_back(i + 1);
    }
  }

 private:
  std::unique_ptr<icu::BreakIterator> iter_;
};

SentenceBreaker& ThreadBreaker() {
  thread_local SentenceBreaker breaker;
  return breaker;
}

// ---------------------------------------------------------------------------
// Normalization.

const icu::Normalizer2* Nfkc() {
  static const icu::Normalizer2* nfkc = [] {
    UErrorCode status = U_ZERO_ERROR;
    const icu::Normalizer2* n = icu::Normalizer2::getNFKCInstance(status);
    return U_SUCCESS(status) ? n : nullptr;
  }();
  return nfkc;
}

// ASCII replacement for typographic punctuation, or "" to keep the code point.
std::string_view FoldPunct(int32_t cp) {
  switch (cp) {
    case 0x2018:
    case 0x2019:
    case 0x201A:
    case 0x201B:
    case 0x2032:
    case 0x02BC:
      return "'";
    case 0x201C:
    case 0x201D:
    case 0x201E:
    case 0x201F:
    case 0x00AB:
    case 0x00BB:
    case 0x2033:
      return "\"";
    case 0x2010:
    case 0x2011:
    case 0x2012:
    case 0x2013:
    case 0x2212:
    case 0xFE63:
      return "-";
    case 0x2014:
    case 0x2015:
      return "--";
    case 0x2026:
      return "...";
    default:
      return {};
  }
}

bool IsAscii(std::string_view s) {
  for (char c : s) {
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  }
  return true;
}

// Sets norm and lower of `tok` from its raw bytes.
void Normalize(std::string_view raw, Token* tok) {
  if (IsAscii(raw)) {
    tok->norm.assign(raw);
  } else {
    std::string folded;
    folded.reserve(raw.size());
    bool ascii = true;
    for (size_t i = 0; i < raw.size();) {
      size_t len;
      const int32_t cp = CpAt(raw, i, &len);
      const std::string_view rep =
          cp == kInvalid ? std::string_view("\xEF\xBF\xBD") : FoldPunct(cp);
      if (!rep.empty()) {
        folded.append(rep);
        ascii = ascii && cp != kInvalid;
      } else {
        folded.append(raw.substr(i, len));
        ascii = ascii && cp < 0x80;
      }
      i += len;
    }
    tok->norm.clear();
    const icu::Normalizer2* nfkc = Nfkc();
    if (ascii || nfkc == nullptr) {
      tok->norm = std::move(folded);
    } else {
      UErrorCode status = U_ZERO_ERROR;
      icu::StringByteSink<std::string> sink(&tok->norm);
      nfkc->normalizeUTF8(0, folded, sink, nullptr, status);
      if (U_FAILURE(status)) tok->norm = std::move(folded);
    }
  }
  const std::string& norm = tok->norm;
  if (IsAscii(norm)) {
    tok->lower.resize(norm.size());
    for (size_t i = 0; i < norm.size(); ++i) tok->lower[i] = AsciiLower(norm[i]);
  } else {
    tok->lower.clear();
    UErrorCode status = U_ZERO_ERROR;
    icu::StringByteSink<std::string> sink(&tok->lower);
    icu::CaseMap::utf8Fold(0, norm, sink, nullptr, status);
    if (U_FAILURE(status)) tok->lower = norm;
  }
}

bool HasLetter(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    size_t len;
    if (IsLetterCp(CpAt(s, i, &len))) return true;
    i += len;
  }
  return false;
}

// Sets the orthographic flags of `tok` from its norm.
uint16_t ShapeFlags(std::string_view norm) {
  uint16_t flags = 0;
  size_t letters = 0, uppers = 0, lowers = 0;
  bool first_letter_seen = false;
  bool digit = false;
  for (size_t i = 0; i < norm.size();) {
    const auto c = static_cast<unsigned char>(norm[i]);
    if (c < 0x80) {
      const uint8_t cls = kAscii[c];
      if (cls & (kClsUpper | kClsLower)) {
        ++letters;
        if (cls & kClsUpper) {
          ++uppers;
          if (!first_letter_seen) flags |= kCapitalized;
        } else {
          ++lowers;
        }
        first_letter_seen = true;
      } else if (cls & kClsDigit) {
        digit = true;
      }
      ++i;
      continue;
    }
    size_t len;
    const int32_t cp = CpAt(norm, i, &len);
    i += len;
    if (cp == kInvalid) continue;
    if (IsLetterCp(cp)) {
      ++letters;
      const bool up = u_isupper(cp) || u_istitle(cp);
      if (up) {
        ++uppers;
        if (!first_letter_seen) flags |= kCapitalized;
      } else if (u_islower(cp)) {
        ++lowers;
      }
      first_letter_seen = true;
    } else if (u_isdigit(cp)) {
      digit = true;
    }
  }
  if (digit) flags |= kHasDigit;
  if (letters >= 2 && lowers == 0 && uppers >= 2) flags |= kAllCaps;
  if (letters == 0 && !digit) flags |= kPunctuation;
  return flags;
}

// ---------------------------------------------------------------------------
// Tokenizer.

struct Scanner {
  std::string_view text;
  std::vector<Token>* tokens;
  bool quote_open = false;  // Double-quote state within the paragraph.

  void Emit(size_t begin, size_t end, bool space_before, uint16_t extra) {
    Token& tok = tokens->emplace_back();
    tok.begin = static_cast<uint32_t>(begin);
    tok.end = static_cast<uint32_t>(end);
    Normalize(text.substr(begin, end - begin), &tok);
    tok.flags = ShapeFlags(tok.norm) | extra;
    if (space_before) tok.flags |= kSpaceBefore;
  }

  // Scans a word starting at i; returns its end. May extend to a URL/email.
  size_t ScanWord(size_t i, size_t end) const {
    size_t j = i;
    while (true) {
      // Word characters.
      while (j < end) {
        const auto c = static_cast<unsigned char>(text[j]);
        if (c < 0x80) {
          if ((kAscii[c] & kClsAlnum) == 0) break;
          ++j;
        } else {
          size_t len;
          const int32_t cp = CpAt(text.substr(0, end), j, &len);
          if (!IsWordCp(cp)) break;
          j += len;
        }
      }
      if (j >= end) return j;
      const char c = text[j];
      const bool prev_digit = DigitAt(text, j - 1, end);
      switch (c) {
        case '-':
        case '.':
          if (WordAt(text, j + 1, end)) {
            ++j;
            continue;
          }
          return j;
        case ',':
          if (prev_digit && DigitAt(text, j + 1, end) && DigitAt(text, j + 2, end) &&
              DigitAt(text, j + 3, end) && !DigitAt(text, j + 4, end)) {
            ++j;
            continue;
          }
          return j;
        case ':':
        case '/':
          if (prev_digit && DigitAt(text, j + 1, end)) {
            ++j;
            continue;
          }
          if (c == ':' && j + 2 < end && text[j + 1] == '/' && text[j + 2] == '/') {
            return ScanUrl(i, end);
          }
          return j;
        case '@':
          if (WordAt(text, j + 1, end)) return ScanUrl(i, end);
          return j;
        case '&':
          if ((kAscii[static_cast<unsigned char>(text[j - 1]) & 0x7F] & kClsUpper) != 0 &&
              j + 1 < end && static_cast<unsigned char>(text[j + 1]) < 0x80 &&
              (kAscii[static_cast<unsigned char>(text[j + 1])] & kClsUpper) != 0) {
            ++j;
            continue;
          }
          return j;
        case '\'':
          if (LetterAt(text, j + 1, end)) {
            ++j;
            continue;
          }
          return j;
        case '\xE2':
          // U+2019 right single quotation mark used as an apostrophe.
          if (j + 2 < end && text[j + 1] == '\x80' && text[j + 2] == '\x99' &&
              LetterAt(text, j + 3, end)) {
            j += 3;
            continue;
          }
          return j;
        default:
          return j;
      }
    }
  }

  // A URL or e-mail address from i to the next white space, minus trailing
  // punctuation.
  size_t ScanUrl(size_t i, size_t end) const {
    size_t j = i;
    while (j < end) {
      size_t len;
      if (SpaceAt(text, j, end, &len)) break;
      const auto c = static_cast<unsigned char>(text[j]);
      if (c == '"' || c == '<' || c == '>') break;
      if (c >= 0x80) {
        const int32_t cp = CpAt(text.substr(0, end), j, &len);
        if (!FoldPunct(cp).empty()) break;  // Curly quotes, dashes.
      }
      j += len;
    }
    while (j > i) {
      const char c = text[j - 1];
      if (c == '.' || c == ',' || c == ';' || c == ':' || c == '!' || c == '?' || c == ')' ||
          c == ']' || c == '}' || c == '\'') {
        --j;
      } else {
        break;
      }
    }
    return j;
  }

  // Length of the clitic at the end of word [b, e) ("'s", "n't", ...), or 0.
  size_t CliticLength(size_t b, size_t e) const {
    // Find the last apostrophe (ASCII or U+2019).
    size_t a = e;
    size_t alen = 0;
    for (size_t k = e; k > b; --k) {
      if (text[k - 1] == '\'') {
        a = k - 1;
        alen = 1;
        break;
      }
      if (k >= b + 3 && text[k - 1] == '\x99' && text[k - 2] == '\x80' && text[k - 3] == '\xE2') {
        a = k - 3;
        alen = 3;
        break;
      }
      if (e - k > 3) return 0;  // Clitics are short.
    }
    if (alen == 0 || a == b) return 0;
    char buf[4];
    const std::string_view suffix = LowerAscii(text.substr(a + alen, e - a - alen), buf, 3);
    if (suffix == "s" || suffix == "m" || suffix == "d" || suffix == "ll" || suffix == "re" ||
        suffix == "ve") {
      return e - a;
    }
    if (suffix == "t" && a > b + 1 && (text[a - 1] == 'n' || text[a - 1] == 'N')) {
      return e - a + 1;
    }
    return 0;
  }

  // Tokenizes [begin, end), appending to *tokens.
  void Tokenize(size_t begin, size_t end) {
    size_t i = begin;
    bool space = SpaceBefore(text, begin);
    while (i < end) {
      const auto c = static_cast<unsigned char>(text[i]);
      size_t len = 1;
      int32_t cp = c;
      if (c < 0x80) {
        if (kAscii[c] & kClsSpace) {
          ++i;
          space = true;
          continue;
        }
      } else {
        cp = CpAt(text.substr(0, end), i, &len);
        if (IsUnicodeSpace(cp)) {
          i += len;
          space = true;
          continue;
        }
      }
      const size_t start = i;
      if (IsWordCp(cp)) {
        size_t e = ScanWord(i, end);
        // "www.example.com" without a scheme.
        if (e - start == 3 && e < end && text[e] == '.' && LowerIs(start, "www")) {
          e = ScanUrl(start, end);
        } else if (e < end && text[e] == '.') {
          // Keep the period of abbreviations: "U.S.", "Mr.", "Jan.", "No. 5".
          const std::string_view w = text.substr(start, e - start);
          const AbbrevKind kind = ClassifyAbbrev(w);
          bool take = kind != AbbrevKind::kNone;
          if (kind == AbbrevKind::kNumber) {
            size_t k = e + 1;
            while (k < end && text[k] == ' ') ++k;
            take = DigitAt(text, k, end);
          }
          if (take) ++e;
        }
        const size_t clitic = CliticLength(start, e);
        if (clitic > 0) {
          Emit(start, e - clitic, space, 0);
          Emit(e - clitic, e, false, 0);
        } else {
          Emit(start, e, space, 0);
        }
        i = e;
        space = false;
        continue;
      }
      // Punctuation and symbols.
      size_t e = i + len;
      uint16_t quote = 0;
      if (c == '.' && e < end && text[e] == '.') {
        while (e < end && text[e] == '.') ++e;
      } else if (c == '-') {
        while (e < end && text[e] == '-') ++e;
      } else if (c == '`') {
        while (e < end && text[e] == '`') ++e;
        quote = kOpenQuote;
      } else if (c == '\'' && e < end && text[e] == '\'') {
        ++e;
        quote = kCloseQuote;
      } else if (c == '"') {
        quote = StraightQuote(start, e, end, space);
      } else if (c == '\'') {
        const bool before_open = space || start == begin || IsOpener(text[start - 1]);
        quote = (before_open && LetterAt(text, e, end)) ? kOpenQuote : kCloseQuote;
      } else if (cp == 0x201C || cp == 0x00AB || cp == 0x201E || cp == 0x2018) {
        quote = kOpenQuote;
        if (cp != 0x2018) quote_open = true;
      } else if (cp == 0x201D || cp == 0x00BB) {
        quote = kCloseQuote;
        quote_open = false;
      } else if (cp == 0x2019) {
        quote = kCloseQuote;
      } else if (c >= 0x80 && cp != kInvalid) {
        // Keep emoji sequences together: variation selectors, ZWJ, skin tones.
        while (e < end) {
          size_t l2;
          const int32_t next = CpAt(text.substr(0, end), e, &l2);
          if (next == 0xFE0F || next == 0xFE0E || (next >= 0x1F3FB && next <= 0x1F3FF) ||
              (next >= 0xE0020 && next <= 0xE007F) ||
              (next != kInvalid && (U_GET_GC_MASK(next) & U_GC_M_MASK) != 0)) {
            e += l2;
          } else if (next == 0x200D && e + l2 < end) {
            size_t l3;
            const int32_t joined = CpAt(text.substr(0, end), e + l2, &l3);
            if (joined == kInvalid || IsWordCp(joined) || IsUnicodeSpace(joined)) break;
            e += l2 + l3;
          } else {
            break;
          }
        }
      }
      Emit(start, e, space, quote);
      i = e;
      space = false;
    }
  }

  static bool IsOpener(char c) { return c == '(' || c == '[' || c == '{' || c == '"'; }

  bool LowerIs(size_t pos, std::string_view word) const {
    for (size_t k = 0; k < word.size(); ++k) {
      if (AsciiLower(text[pos + k]) != word[k]) return false;
    }
    return true;
  }

  // Decides whether a straight double quote at [start, e) opens or closes.
  uint16_t StraightQuote(size_t start, size_t e, size_t end, bool space) {
    const bool before = space || start == 0 || IsOpener(text[start - 1]) ||
                        text[start - 1] == '\n' || SpaceBefore(text, start);
    size_t len;
    const bool after = e >= end || SpaceAt(text, e, end, &len) ||
                       (text[e] == '.' || text[e] == ',' || text[e] == ')' || text[e] == ';' ||
                        text[e] == '?' || text[e] == '!');
    bool open;
    if (before && !after) {
      open = true;
    } else if (!before && after) {
      open = false;
    } else {
      open = !quote_open;
    }
    quote_open = open;
    return open ? kOpenQuote : kCloseQuote;
  }
};

// ---------------------------------------------------------------------------
// Sentence assembly.

// The word right before `pos` (back to white space, at most 24 bytes), with
// leading brackets/quotes removed.
std::string_view WordBefore(std::string_view line, size_t pos) {
  size_t e = pos;
  while (e > 0 && (kAscii[static_cast<unsigned char>(line[e - 1]) & 0x7F] & kClsSpace) &&
         static_cast<unsigned char>(line[e - 1]) < 0x80) {
    --e;
  }
  size_t b = e;
  while (b > 0 && e - b < 24 &&
         !(static_cast<unsigned char>(line[b - 1]) < 0x80 &&
           (kAscii[static_cast<unsigned char>(line[b - 1])] & kClsSpace))) {
    --b;
  }
  while (b < e && (line[b] == '(' || line[b] == '"' || line[b] == '\'' || line[b] == '[')) ++b;
  return line.substr(b, e - b);
}

// The word starting at or after `pos` (letters/digits only, at most 24 bytes),
// skipping white space and opening quotes/brackets.
std::string_view WordAfter(std::string_view line, size_t pos) {
  size_t b = pos;
  size_t len = 1;
  while (b < line.size() && b - pos < 24) {
    const auto c = static_cast<unsigned char>(line[b]);
    if (c < 0x80 && (kAscii[c] & kClsAlnum)) break;
    if (c >= 0x80) {
      const int32_t cp = CpAt(line, b, &len);
      if (IsWordCp(cp)) break;
      b += len;
    } else {
      ++b;
    }
  }
  size_t e = b;
  while (e < line.size() && e - b < 24 && static_cast<unsigned char>(line[e]) < 0x80 &&
         (kAscii[static_cast<unsigned char>(line[e])] & kClsAlnum)) {
    ++e;
  }
  return line.substr(b, e - b);
}

bool IsDash(const Token& t) { return t.norm == "-" || t.norm == "--"; }
bool IsTerminal(const Token& t) {
  const std::string& n = t.norm;
  if (n.empty()) return false;
  return n.back() == '.' || n == "!" || n == "?" || n == ":" || n == ";";
}

// Months (full or abbreviated) and news-agency words help recognize datelines.
bool IsMonthWord(std::string_view w) {
  static constexpr std::string_view kMonthWords[] = {
      "apr", "april",   "aug",      "august", "dec",     "december", "feb",  "february",
      "jan", "january", "jul",      "july",   "jun",     "june",     "mar",  "march",
      "may", "nov",     "november", "oct",    "october", "sep",      "sept", "september"};
  char buf[10];
  std::string_view lower = LowerAscii(w, buf, sizeof(buf));
  if (!lower.empty() && lower.back() == '.') lower.remove_suffix(1);
  return !lower.empty() && InList(lower, kMonthWords);
}

// Finds a dateline at the start of token range [first, last): returns the
// index of its final dash, or `last` when there is none.
uint32_t FindDateline(const std::vector<Token>& tokens, uint32_t first, uint32_t last,
                      uint32_t paragraph) {
  if (last - first < 3) return last;
  const Token& t0 = tokens[first];
  if (!t0.Has(kCapitalized)) return last;
  bool paren = false;
  bool comma = false;
  uint32_t depth = 0;
  const uint32_t limit = std::min(last - 1, first + 12);
  for (uint32_t i = first + 1; i < limit; ++i) {
    const Token& t = tokens[i];
    if (IsDash(t) && depth == 0) {
      const bool caps_start = t0.Has(kAllCaps);
      if (paren || (caps_start && comma) || (caps_start && paragraph == 0 && i - first <= 3)) {
        return i;
      }
      return last;
    }
    if (t.norm == "(") {
      ++depth;
      paren = true;
    } else if (t.norm == ")") {
      if (depth == 0) return last;
      --depth;
    } else if (t.norm == ",") {
      comma = true;
    } else if (t.norm != "/" && t.norm != "." && !t.Has(kCapitalized) && !t.Has(kHasDigit) &&
               !IsMonthWord(t.norm)) {
      return last;
    }
  }
  return last;
}

struct LineState {
  std::vector<uint32_t> bounds;
};

}  // namespace

bool IsValidUtf8(std::string_view text) {
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const size_t n = text.size();
  size_t i = 0;
  while (i < n) {
    // ASCII fast path, 8 bytes at a time.
    while (i + 8 <= n) {
      uint64_t w;
      std::memcpy(&w, p + i, 8);
      if (w & 0x8080808080808080ull) break;
      i += 8;
    }
    if (i >= n) break;
    if (p[i] < 0x80) {
      ++i;
      continue;
    }
    size_t len;
    if (Decode(p + i, n - i, &len) == kInvalid) return false;
    i += len;
  }
  return true;
}

void SplitAndTokenize(const TextOptions& options, Document* doc) {
  doc->tokens.clear();
  doc->sentences.clear();
  std::string_view text = doc->text;
  if (text.size() >= std::numeric_limits<uint32_t>::max()) {
    text = text.substr(0, std::numeric_limits<uint32_t>::max() - 1);
  }
  doc->IndexCodePoints();
  if (text.empty()) return;
  doc->tokens.reserve(text.size() / 5 + 16);
  doc->sentences.reserve(text.size() / 100 + 4);

  SentenceBreaker& breaker = ThreadBreaker();
  thread_local LineState state;
  std::vector<uint32_t>& bounds = state.bounds;
  Scanner scanner{text, &doc->tokens};
  const size_t max_bytes = std::max<size_t>(options.max_sentence_bytes, 1);

  uint32_t paragraph = 0;
  size_t line_start = 0;
  while (line_start < text.size()) {
    const void* nl = std::memchr(text.data() + line_start, '\n', text.size() - line_start);
    const size_t line_end =
        nl ? static_cast<size_t>(static_cast<const char*>(nl) - text.data()) : text.size();
    // Trim the line.
    size_t lb = line_start, le = line_end;
    size_t len;
    while (lb < le && SpaceAt(text, lb, le, &len)) lb += len;
    while (le > lb) {
      size_t k = le - 1;
      while (k > lb && le - k < 4 && IsContinuation(static_cast<unsigned char>(text[k]))) --k;
      if (SpaceAt(text, k, le, &len) && k + len == le) {
        le = k;
      } else {
        break;
      }
    }
    line_start = line_end + 1;
    if (lb == le) continue;

    const std::string_view line = text.substr(lb, le - lb);
    scanner.quote_open = false;
    const size_t first_sentence = doc->sentences.size();

    // Candidate boundaries from ICU, then the abbreviation merge.
    breaker.Boundaries(line, &bounds);
    size_t keep = 0;
    for (size_t k = 0; k < bounds.size(); ++k) {
      const uint32_t b = bounds[k];
      std::string_view prev = WordBefore(line, b);
      while (!prev.empty() && (prev.back() == '"' || prev.back() == '\'' || prev.back() == ')')) {
        prev.remove_suffix(1);
      }
      // ICU breaks after the white space that follows a sentence; a boundary
      // with no space before it lies inside a URL or similar chunk.
      bool merge = !SpaceBefore(line, b);
      if (!merge && !prev.empty() && prev.back() == '.' && prev.size() > 1) {
        const std::string_view abbr = prev.substr(0, prev.size() - 1);
        const std::string_view next = WordAfter(line, b);
        const AbbrevKind kind = ClassifyAbbrev(abbr);
        merge = ContinuesAfter(kind, abbr, next);
      }
      if (!merge) bounds[keep++] = b;
    }
    bounds.resize(keep);
    bounds.push_back(static_cast<uint32_t>(line.size()));

    size_t seg_start = 0;
    for (uint32_t b : bounds) {
      // Trim the segment.
      size_t sb = lb + seg_start, se = lb + b;
      seg_start = b;
      while (sb < se && SpaceAt(text, sb, se, &len)) sb += len;
      while (se > sb) {
        size_t k = se - 1;
        while (k > sb && se - k < 4 && IsContinuation(static_cast<unsigned char>(text[k]))) --k;
        if (SpaceAt(text, k, se, &len) && k + len == se) {
          se = k;
        } else {
          break;
        }
      }
      if (sb == se) continue;
      const auto first_token = static_cast<uint32_t>(doc->tokens.size());
      if (se - sb > max_bytes) {
        Sentence& s = doc->sentences.emplace_back();
        s.first_token = s.last_token = first_token;
        s.begin = static_cast<uint32_t>(sb);
        s.end = static_cast<uint32_t>(se);
        s.paragraph = paragraph;
        s.skipped = true;
        s.skip_reason = SkipReason::kTooLong;
        continue;
      }
      scanner.Tokenize(sb, se);
      const auto last_token = static_cast<uint32_t>(doc->tokens.size());
      bool letters = false;
      for (uint32_t t = first_token; t < last_token && !letters; ++t) {
        letters = HasLetter(doc->tokens[t].norm);
      }
      if (!letters) {
        doc->tokens.resize(first_token);
        Sentence& s = doc->sentences.emplace_back();
        s.first_token = s.last_token = first_token;
        s.begin = static_cast<uint32_t>(sb);
        s.end = static_cast<uint32_t>(se);
        s.paragraph = paragraph;
        s.skipped = true;
        s.skip_reason = SkipReason::kNoLetters;
        continue;
      }
      // Split after an ambiguous abbreviation followed by a sentence starter
      // (ICU's own suppressions may have hidden the break).
      uint32_t piece = first_token;
      for (uint32_t t = first_token + 1; t <= last_token; ++t) {
        bool cut = t == last_token;
        if (!cut && t + 1 < last_token) {
          const Token& tok = doc->tokens[t];
          if (tok.norm.size() > 1 && tok.norm.back() == '.') {
            const std::string_view abbr(tok.norm.data(), tok.norm.size() - 1);
            const AbbrevKind kind = ClassifyAbbrev(abbr);
            cut = kind != AbbrevKind::kNone && kind != AbbrevKind::kTitle &&
                  !ContinuesAfter(kind, abbr, doc->tokens[t + 1].norm);
            if (cut) ++t;  // Cut after the abbreviation.
          }
        }
        if (!cut) continue;
        Sentence& s = doc->sentences.emplace_back();
        s.first_token = piece;
        s.last_token = t;
        s.begin = doc->tokens[piece].begin;
        s.end = doc->tokens[t - 1].end;
        s.paragraph = paragraph;
        piece = t;
      }
    }

    // Datelines, sentence starts and headlines.
    const size_t n_sent = doc->sentences.size() - first_sentence;
    if (n_sent > 0) {
      Sentence& s0 = doc->sentences[first_sentence];
      if (!s0.skipped) {
        const uint32_t dash = FindDateline(doc->tokens, s0.first_token, s0.last_token, paragraph);
        if (dash < s0.last_token) {
          for (uint32_t t = s0.first_token; t <= dash; ++t) doc->tokens[t].flags |= kDateline;
          s0.first_token = dash + 1;
          s0.begin = doc->tokens[dash + 1].begin;
        }
      }
    }
    for (size_t k = first_sentence; k < doc->sentences.size(); ++k) {
      Sentence& s = doc->sentences[k];
      if (s.first_token < s.last_token) doc->tokens[s.first_token].flags |= kSentenceStart;
    }
    if (n_sent == 1) {
      Sentence& s = doc->sentences[first_sentence];
      if (!s.skipped && s.last_token - s.first_token <= 30) {
        // Look through closing quotes and brackets for the final punctuation.
        uint32_t t = s.last_token;
        while (t > s.first_token + 1 &&
               (doc->tokens[t - 1].Has(kCloseQuote) || doc->tokens[t - 1].norm == ")")) {
          --t;
        }
        s.headline = !IsTerminal(doc->tokens[t - 1]);
      }
    }
    ++paragraph;
  }
}

}  // namespace kg::ingest
