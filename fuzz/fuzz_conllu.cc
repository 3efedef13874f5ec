// Fuzzes the CoNLL-U reader and the language layer behind `kg parse
// --conllu`: every sentence the reader accepts is tagged and parsed with the
// shipped models, the result must be one well-formed tree, and writing and
// re-reading it must give the same sentence.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

#include "nlp/analyzer.h"
#include "nlp/conllu.h"

namespace {

const kg::nlp::Analyzer* g_analyzer = nullptr;

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  auto analyzer = kg::nlp::Analyzer::LoadFromDir(std::string(KG_DEFAULT_DATA_DIR) + "/models");
  if (!analyzer.ok()) {
    std::fprintf(stderr, "fuzz: cannot load the models: %s\n",
                 analyzer.status().ToString().c_str());
    std::abort();
  }
  g_analyzer = std::move(analyzer).value().release();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto sentences =
      kg::nlp::ParseConllu(std::string_view(reinterpret_cast<const char*>(data), size), "fuzz");
  if (!sentences.ok()) return 0;
  kg::nlp::AnalyzerScratch scratch;
  std::vector<kg::nlp::AnalyzedWord> words;
  for (kg::nlp::ConlluSentence& s : *sentences) {
    if (s.words.size() > 2000) continue;
    std::vector<std::string_view> forms;
    for (const auto& w : s.words) forms.push_back(w.form);
    g_analyzer->Analyze(forms, &words, &scratch);
    for (size_t i = 0; i < words.size(); ++i) {
      s.words[i].head = words[i].head;
      s.words[i].deprel = std::string(words[i].deprel);
    }
    if (!kg::nlp::TreeProblem(s).empty()) std::abort();
    std::string text;
    kg::nlp::AppendConllu(s, &text);
    auto again = kg::nlp::ParseConllu(text, "again");
    if (!again.ok() || again->size() != 1 || (*again)[0].words.size() != s.words.size()) {
      std::abort();
    }
  }
  return 0;
}
