#include "ingest/parse_output.h"

#include "ingest/document.h"
#include "ingest/language.h"
#include "ingest/lemmatizer.h"
#include "ingest/text.h"

namespace kg {

ArticleParser::ArticleParser(const nlp::Analyzer& analyzer, const PipelineOptions& options,
                             std::unique_ptr<ingest::Lemmatizer> lemmatizer)
    : analyzer_(analyzer), options_(options), lemmatizer_(std::move(lemmatizer)) {}
ArticleParser::~ArticleParser() = default;

Result<std::unique_ptr<ArticleParser>> ArticleParser::Create(const nlp::Analyzer& analyzer,
                                                             const PipelineOptions& options) {
  KG_ASSIGN_OR_RETURN(auto lemmatizer, ingest::Lemmatizer::Load(options.wordnet_dir));
  return std::unique_ptr<ArticleParser>(
      new ArticleParser(analyzer, options, std::move(lemmatizer)));
}

Status ArticleParser::AppendConllu(const Article& article, std::string* out) const {
  const nlp::Analyzer& analyzer = analyzer_;
  const PipelineOptions& options = options_;
  KG_RETURN_IF_ERROR(CheckArticleText(article, options));
  ingest::Document doc;
  doc.text = article.text;
  ingest::TextOptions text_options;
  text_options.max_sentence_bytes = options.max_sentence_bytes;
  ingest::SplitAndTokenize(text_options, &doc);
  int written = 0;
  for (ingest::Sentence& sent : doc.sentences) {
    if (sent.skipped || sent.first_token == sent.last_token) continue;
    ingest::TagSentence(analyzer, &doc, &sent);
    lemmatizer_->Lemmatize(&doc, sent.first_token, sent.last_token);
    ingest::ParseSentence(analyzer, &doc, &sent);
    std::string text(doc.text.substr(sent.begin, sent.end - sent.begin));
    for (char& c : text) {
      if (c == '\n' || c == '\r' || c == '\t') c = ' ';
    }
    out->append("# sent_id = " + article.id + "-" + std::to_string(++written) + "\n");
    out->append("# text = " + text + "\n");
    for (uint32_t t = sent.first_token; t < sent.last_token; ++t) {
      const ingest::Token& tok = doc.tokens[t];
      std::string form(doc.text.substr(tok.begin, tok.end - tok.begin));
      for (char& c : form) {
        if (c == '\t' || c == '\n' || c == '\r' || c == ' ') c = '_';
      }
      const int head = tok.head < 0 ? 0 : tok.head - static_cast<int>(sent.first_token) + 1;
      const bool space_after =
          t + 1 < sent.last_token && doc.tokens[t + 1].Has(ingest::kSpaceBefore);
      // Proper nouns keep their case in UD lemmas; the pipeline's are lower-case.
      std::string lemma = static_cast<nlp::Upos>(tok.upos) == nlp::Upos::kPROPN ? form
                          : tok.lemma.empty()                                   ? std::string("_")
                                                                                : tok.lemma;
      for (char& c : lemma) {
        if (c == '\t' || c == '\n' || c == '\r' || c == ' ') c = '_';
      }
      out->append(std::to_string(t - sent.first_token + 1) + "\t" + form + "\t" + lemma + "\t" +
                  std::string(nlp::UposName(static_cast<nlp::Upos>(tok.upos))) + "\t" +
                  std::string(tok.xpos) + "\t_\t" + std::to_string(head) + "\t" +
                  std::string(tok.deprel) +
                  "\t_\tTokenRange=" + std::to_string(doc.CodePointOffset(tok.begin)) + ":" +
                  std::to_string(doc.CodePointOffset(tok.end)) +
                  (space_after || t + 1 == sent.last_token ? "" : "|SpaceAfter=No") + "\n");
    }
    out->push_back('\n');
  }
  return Status::Ok();
}

}  // namespace kg
