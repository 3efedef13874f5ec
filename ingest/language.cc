#include "ingest/language.h"

#include <string_view>
#include <vector>

namespace kg::ingest {

namespace {

struct Scratch {
  nlp::AnalyzerScratch analyzer;
  std::vector<std::string_view> forms;
  std::vector<nlp::AnalyzedWord> words;
};

Scratch& ThreadScratch() {
  thread_local Scratch scratch;
  return scratch;
}

void Forms(const Document& doc, const Sentence& sent, std::vector<std::string_view>* forms) {
  forms->clear();
  for (uint32_t t = sent.first_token; t < sent.last_token; ++t) {
    forms->push_back(doc.tokens[t].norm);
  }
}

}  // namespace

void TagSentence(const nlp::Analyzer& analyzer, Document* doc, Sentence* sent) {
  Scratch& s = ThreadScratch();
  Forms(*doc, *sent, &s.forms);
  analyzer.TagOnly(s.forms, &s.words, &s.analyzer);
  for (size_t i = 0; i < s.words.size(); ++i) {
    Token& token = doc->tokens[sent->first_token + i];
    token.pos = PosFromPenn(s.words[i].xpos);
    token.upos = static_cast<uint8_t>(s.words[i].upos);
    token.xpos = s.words[i].xpos;
    token.head = -1;
    token.deprel = {};
  }
  sent->parsed = false;
}

void ParseSentence(const nlp::Analyzer& analyzer, Document* doc, Sentence* sent) {
  Scratch& s = ThreadScratch();
  Forms(*doc, *sent, &s.forms);
  s.words.resize(s.forms.size());
  for (size_t i = 0; i < s.words.size(); ++i) {
    const Token& token = doc->tokens[sent->first_token + i];
    s.words[i].upos = static_cast<nlp::Upos>(token.upos);
    s.words[i].xpos = token.xpos;
  }
  analyzer.ParseTagged(s.forms, &s.words, &s.analyzer);
  for (size_t i = 0; i < s.words.size(); ++i) {
    Token& token = doc->tokens[sent->first_token + i];
    token.head =
        s.words[i].head > 0 ? static_cast<int32_t>(sent->first_token) + s.words[i].head - 1 : -1;
    token.deprel = s.words[i].deprel;
  }
  sent->parsed = true;
}

}  // namespace kg::ingest
