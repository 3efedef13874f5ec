// `kg parse` on articles: the pipeline's own sentences and tokens, tagged
// and parsed by the language layer (nlp/), written as CoNLL-U.
#pragma once

#include <string>

#include "graph/status.h"
#include "ingest/pipeline.h"
#include "nlp/analyzer.h"

namespace kg {

// Appends the article's sentences: "# sent_id = ID-N" (N from 1), "# text"
// (the sentence as in the article, line breaks as spaces), one line per
// token with FORM (the token's text), UPOS, XPOS, HEAD and DEPREL, and MISC
// "TokenRange=B:E" (code-point offsets into the article text, end
// exclusive) plus "SpaceAfter=No" where no space follows. Datelines and
// skipped sentences (too long, no letters) are not written. Fails only for
// text that is not UTF-8 or larger than `max_article_bytes`.
Status AppendArticleConllu(const nlp::Analyzer& analyzer, const Article& article,
                           const PipelineOptions& options, std::string* out);

}  // namespace kg
