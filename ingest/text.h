// The first lexical stage of ingest: validates UTF-8, splits an article into
// paragraphs and sentences, and tokenizes each sentence (Penn Treebank style,
// with "U.S.", "al-Assad", "S-300", "400,000" and URLs kept whole).
//
// Sentences come from ICU's sentence BreakIterator (en_US@ss=standard plus
// extra abbreviation suppressions), corrected by a merge/split step for the
// abbreviations ICU still gets wrong. Every '\n' ends a sentence. Datelines
// ("BRUSSELS (Reuters) -") are flagged kDateline and left outside sentences.
#pragma once

#include <cstddef>
#include <string_view>

#include "ingest/document.h"

namespace kg::ingest {

struct TextOptions {
  // Sentences longer than this many bytes are marked skipped (kTooLong) and
  // get no tokens. Default: 2000.
  size_t max_sentence_bytes = 2000;
};

// True when `text` is well-formed UTF-8 (no overlong forms, surrogates or
// code points above U+10FFFF). NUL bytes are valid.
bool IsValidUtf8(std::string_view text);

// Fills doc->tokens and doc->sentences from doc->text (previous contents are
// cleared, capacity kept) and indexes code points. doc->text should be valid
// UTF-8 (check IsValidUtf8 first); invalid bytes become one-byte punctuation
// tokens. Never throws; linear time in the text size. Texts of 4 GiB or more
// are cut at the last byte uint32_t offsets can address.
//
// Paragraph numbers count the non-blank lines. Skipped sentences have an
// empty token range.
void SplitAndTokenize(const TextOptions& options, Document* doc);

}  // namespace kg::ingest
