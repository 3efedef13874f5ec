// Internal to ingest/: the working representation of one article shared by
// all stages (text, tagger, lemmatizer, gazetteer, relations, coreference).
// The article text is never rewritten; tokens point into it by byte offset
// and carry a normalized form.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace kg::ingest {

// Penn Treebank tags (the tagger's XPOS, nlp/, mapped by PosFromPenn), plus
// kNone for tokens that have not been tagged yet. Punctuation has the
// classes the relation rules were written for (kPP ... kRRB).
enum class Pos : uint8_t {
  kNone = 0,
  kCC,
  kCD,
  kDET,
  kEX,
  kFW,
  kIN,
  kJJ,
  kJJR,
  kJJS,
  kLS,
  kMD,
  kNN,
  kNNP,
  kNNPS,
  kNNS,
  kPDT,
  kPOS,
  kPRP,
  kPRPS,
  kRB,
  kRBR,
  kRBS,
  kRP,
  kSYM,
  kTO,
  kUH,
  kVB,
  kVBD,
  kVBG,
  kVBN,
  kVBP,
  kVBZ,
  kWDT,
  kWP,
  kWPS,
  kWRB,
  // Punctuation classes.
  kPP,   // Sentence-final punctuation . ! ?
  kPPC,  // Comma.
  kPPD,  // Dollar sign.
  kPPL,  // Left bracket / opening quote.
  kPPR,  // Right bracket / closing quote.
  kPPS,  // Colon, semicolon, dash, ellipsis.
  kLRB,
  kRRB,
};

// Lingua tag name ("nnp", "vbd", "ppc", ...) -> Pos; kNone when unknown.
Pos PosFromName(std::string_view name);
// Penn Treebank tag as the UD treebanks write it ("NNP", "-LRB-", ",",
// "HYPH") -> Pos; kNone when unknown.
Pos PosFromPenn(std::string_view xpos);
std::string_view PosName(Pos pos);

inline bool IsVerb(Pos p) { return p >= Pos::kVB && p <= Pos::kVBZ; }
inline bool IsNoun(Pos p) {
  return p == Pos::kNN || p == Pos::kNNS || p == Pos::kNNP || p == Pos::kNNPS;
}
inline bool IsProperNoun(Pos p) { return p == Pos::kNNP || p == Pos::kNNPS; }
inline bool IsAdjective(Pos p) { return p == Pos::kJJ || p == Pos::kJJR || p == Pos::kJJS; }
inline bool IsPunct(Pos p) { return p >= Pos::kPP; }

enum TokenFlag : uint16_t {
  kCapitalized = 1 << 0,  // First letter upper case.
  kAllCaps = 1 << 1,      // Two or more letters, all upper case.
  kHasDigit = 1 << 2,
  kPunctuation = 1 << 3,  // No letters or digits.
  kOpenQuote = 1 << 4,    // " “ ‘ « opening a quotation.
  kCloseQuote = 1 << 5,   // " ” ’ » closing a quotation.
  kSentenceStart = 1 << 6,
  kSpaceBefore = 1 << 7,  // White space precedes the token.
  kDateline = 1 << 8,     // Part of a dateline ("BRUSSELS (Reuters) -"); outside any sentence.
};

// Why a sentence was skipped (Sentence::skipped).
enum class SkipReason : uint8_t {
  kNone = 0,
  kTooLong,    // Longer than TextOptions::max_sentence_bytes.
  kNoLetters,  // Junk: no letter at all.
};
// Stable name for reports: "sentence too long", "no letters" ("" for kNone).
std::string_view SkipReasonName(SkipReason reason);

struct Token {
  uint32_t begin = 0;  // Byte offsets [begin, end) into Document::text.
  uint32_t end = 0;
  std::string norm;   // NFKC, curly quotes and dashes folded to ASCII.
  std::string lower;  // Lower-cased norm; the key for dictionaries.
  std::string lemma;  // Set by the lemmatizer; empty until then.
  Pos pos = Pos::kNone;
  uint16_t flags = 0;
  // Dependency tree of the sentence (nlp/), set for parsed sentences only
  // (Sentence::parsed): the head's token index, or -1 for the sentence's
  // root; the UD relation to it ("nsubj", "obl:agent"; points into the
  // parser model, which outlives every Document).
  int32_t head = -1;
  std::string_view deprel;
  uint8_t upos = 0;       // nlp::Upos of the token.
  std::string_view xpos;  // The tagger's Penn tag ("NNP", "-LRB-"; in the model).

  bool Has(TokenFlag f) const { return (flags & f) != 0; }
};

struct Sentence {
  uint32_t first_token = 0;  // Token range [first_token, last_token).
  uint32_t last_token = 0;
  uint32_t begin = 0;  // Byte range in Document::text.
  uint32_t end = 0;
  uint32_t paragraph = 0;  // Index of the \n-separated paragraph.
  bool headline = false;   // A title-like line: no final punctuation, short.
  bool skipped = false;    // Too long or junk; see skip_reason.
  bool parsed = false;     // Tokens carry head/deprel (PipelineOptions::parse).
  SkipReason skip_reason =
      SkipReason::kNone;  // Set when skipped; skipped sentences have no tokens.
};

struct Document {
  std::string_view text;  // The article text (owned by the caller).
  std::vector<Token> tokens;
  std::vector<Sentence> sentences;

  // Code-point offset of byte offset `byte` in `text` (for output spans).
  uint32_t CodePointOffset(uint32_t byte) const;
  // Fills the table CodePointOffset uses; called once the text is set.
  void IndexCodePoints();

  void Clear();

 private:
  std::vector<uint32_t> cp_at_byte_;  // Code points before every 64th byte (text.cc).
};

}  // namespace kg::ingest
