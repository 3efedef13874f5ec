// Internal to ingest/: the bridge from the pipeline's tokens to the language
// layer (nlp/). The tokenizer already splits clitics the way UD does ("do" +
// "n't", "ca" + "n't", "Russia" + "'s") and keeps "U.S." and "400,000"
// whole as UD does, so a sentence's tokens are the tagger's and the
// parser's words, one to one, and offsets stay those of the tokens. Where UD
// English splits further and we do not ("war-torn" is one token, EWT writes
// war - torn; "cannot" is one token, EWT writes can + not), the models see
// an unsplit word and tag it from its affixes and shape (kg parse: "war-torn"
// ADJ amod, "cannot" AUX aux). The models read the tokens' normalised forms
// (ASCII quotes and dashes).
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
