// Internal to ingest/: the bridge from the pipeline's tokens to the language
// layer (nlp/). The tokenizer already splits words the way UD does ("do" +
// "n't", "Russia" + "'s"), so a sentence's tokens are the tagger's and the
// parser's words; they read the tokens' normalised forms (ASCII quotes and
// dashes), and offsets stay those of the tokens.
#pragma once

#include "ingest/document.h"
#include "nlp/analyzer.h"

namespace kg::ingest {

// Tags the sentence's tokens (Token::pos as the Penn tag, Token::upos,
// Token::xpos). Thread-safe: scratch space is per thread.
void TagSentence(const nlp::Analyzer& analyzer, Document* doc, Sentence* sent);

// Gives a sentence tagged by TagSentence its dependency tree (Token::head,
// Token::deprel; Sentence::parsed).
void ParseSentence(const nlp::Analyzer& analyzer, Document* doc, Sentence* sent);

}  // namespace kg::ingest
