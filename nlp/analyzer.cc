#include "nlp/analyzer.h"

namespace kg::nlp {

Result<std::unique_ptr<Analyzer>> Analyzer::Load(const std::string& tagger_path,
                                                 const std::string& parser_path) {
  KG_ASSIGN_OR_RETURN(auto tagger, Tagger::Load(tagger_path));
  KG_ASSIGN_OR_RETURN(auto parser, Parser::Load(parser_path));
  return std::make_unique<Analyzer>(std::move(tagger), std::move(parser));
}

Result<std::unique_ptr<Analyzer>> Analyzer::LoadFromDir(const std::string& model_dir) {
  return Load(model_dir + "/" + std::string(kTaggerModelFile),
              model_dir + "/" + std::string(kParserModelFile));
}

void Analyzer::TagOnly(std::span<const std::string_view> forms, std::vector<AnalyzedWord>* out,
                       AnalyzerScratch* s) const {
  const size_t n = forms.size();
  out->resize(n);
  s->tags.resize(n);
  tagger_->Tag(forms, s->tags, s->tagger.get());
  for (size_t i = 0; i < n; ++i) {
    AnalyzedWord& w = (*out)[i];
    w = AnalyzedWord{};
    w.tag = s->tags[i];
    w.upos = tagger_->upos(w.tag);
    w.xpos = tagger_->xpos(w.tag);
  }
}

void Analyzer::Analyze(std::span<const std::string_view> forms, std::vector<AnalyzedWord>* out,
                       AnalyzerScratch* s) const {
  TagOnly(forms, out, s);
  ParseTagged(forms, out, s);
}

void Analyzer::ParseTagged(std::span<const std::string_view> forms, std::vector<AnalyzedWord>* out,
                           AnalyzerScratch* s) const {
  const size_t n = forms.size();
  s->words.resize(n);
  for (size_t i = 0; i < n; ++i) s->words[i] = {forms[i], (*out)[i].upos, (*out)[i].xpos};
  s->heads.assign(n, 0);
  s->labels.assign(n, 0);
  parser_->Parse(s->words, s->heads, s->labels, s->parser.get());
  for (size_t i = 0; i < n; ++i) {
    AnalyzedWord& w = (*out)[i];
    w.head = s->heads[i];
    w.label = s->labels[i];
    w.deprel = parser_->label_name(w.label);
  }
}

}  // namespace kg::nlp
