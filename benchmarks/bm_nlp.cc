// Throughput of the language layer (nlp/), one thread: the tagger alone,
// the parser alone (on the tagger's tags) and both together, in words/s
// (the "items_per_second" counter). Sentences: UD English EWT test from
// ../shared/ud when present, else the hand-written fixtures of
// tests/fixtures/nlp. Models: data/models (or the folder $KG_NLP_MODEL_DIR).
// Also the time of one 1,000-word sentence without punctuation against 50
// sentences of 20 words, to show that parsing stays linear.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <string>
#include <vector>

#include "nlp/analyzer.h"
#include "nlp/conllu.h"

namespace kg::nlp {
namespace {

struct Corpus {
  std::vector<std::vector<std::string>> sentences;
  size_t words = 0;
};

const Corpus& TestCorpus() {
  static const Corpus corpus = [] {
    Corpus c;
    const std::string dir = KG_SOURCE_DIR;
    for (const std::string& path : {dir + "/../shared/ud/UD_English-EWT/en_ewt-ud-test.conllu",
                                    dir + "/tests/fixtures/nlp/constructions.conllu"}) {
      auto sentences = ReadConlluFile(path);
      if (!sentences.ok()) continue;
      for (const auto& s : *sentences) {
        std::vector<std::string> forms;
        for (const auto& w : s.words) forms.push_back(w.form);
        c.words += forms.size();
        c.sentences.push_back(std::move(forms));
      }
      break;
    }
    return c;
  }();
  return corpus;
}

const Analyzer* Models() {
  static const std::unique_ptr<Analyzer> analyzer = [] {
    const char* env = std::getenv("KG_NLP_MODEL_DIR");
    const std::string dir = env ? env : std::string(KG_SOURCE_DIR) + "/data/models";
    auto loaded = Analyzer::LoadFromDir(dir);
    return loaded.ok() ? std::move(*loaded) : nullptr;
  }();
  return analyzer.get();
}

void RunOver(benchmark::State& state, bool tag, bool parse) {
  const Analyzer* analyzer = Models();
  const Corpus& corpus = TestCorpus();
  if (analyzer == nullptr || corpus.sentences.empty()) {
    state.SkipWithError("no models in data/models or no sentences");
    return;
  }
  AnalyzerScratch scratch;
  std::vector<std::vector<std::string_view>> forms;
  for (const auto& s : corpus.sentences) forms.emplace_back(s.begin(), s.end());
  // Tags for the parser-only run.
  std::vector<std::vector<ParserWord>> tagged;
  std::vector<AnalyzedWord> out;
  for (const auto& f : forms) {
    analyzer->TagOnly(f, &out, &scratch);
    std::vector<ParserWord> words;
    for (size_t i = 0; i < f.size(); ++i) words.push_back({f[i], out[i].upos, out[i].xpos});
    tagged.push_back(std::move(words));
  }
  std::vector<int> heads;
  std::vector<uint16_t> labels;
  for (auto _ : state) {
    for (size_t k = 0; k < forms.size(); ++k) {
      if (tag && parse) {
        analyzer->Analyze(forms[k], &out, &scratch);
      } else if (tag) {
        analyzer->TagOnly(forms[k], &out, &scratch);
      } else {
        heads.resize(forms[k].size());
        labels.resize(forms[k].size());
        analyzer->parser().Parse(tagged[k], heads, labels, scratch.parser.get());
      }
      benchmark::DoNotOptimize(out.data());
    }
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()) *
                          static_cast<int64_t>(corpus.words));
}

void BM_NlpTagger(benchmark::State& state) { RunOver(state, true, false); }
void BM_NlpParser(benchmark::State& state) { RunOver(state, false, true); }
void BM_NlpTagAndParse(benchmark::State& state) { RunOver(state, true, true); }
BENCHMARK(BM_NlpTagger)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_NlpParser)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_NlpTagAndParse)->Unit(benchmark::kMillisecond);

// state.range(0) words per sentence, 1,000 words per iteration in all.
void BM_NlpSentenceLength(benchmark::State& state) {
  const Analyzer* analyzer = Models();
  if (analyzer == nullptr) {
    state.SkipWithError("no models in data/models");
    return;
  }
  const size_t length = static_cast<size_t>(state.range(0));
  static const char* kWords[] = {"the",    "army", "said",   "rebels", "attacked", "a",
                                 "convoy", "near", "Aleppo", "and",    "killed",   "soldiers"};
  std::vector<std::string_view> forms;
  for (size_t i = 0; i < length; ++i) forms.push_back(kWords[i % 12]);
  AnalyzerScratch scratch;
  std::vector<AnalyzedWord> out;
  for (auto _ : state) {
    for (size_t done = 0; done < 1000; done += length) {
      analyzer->Analyze(forms, &out, &scratch);
      benchmark::DoNotOptimize(out.data());
    }
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()) * 1000);
}
BENCHMARK(BM_NlpSentenceLength)->Arg(20)->Arg(1000)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace kg::nlp
