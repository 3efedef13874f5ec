// Throughput of the lexical layer: SplitAndTokenize (bytes/s), tagging with
// the nlp/ tagger (tokens/s), Lemmatizer::Lemmatize (tokens/s) and the actor gazetteer's
// longest-match Gazetteer::FindMentions over the curated dictionaries of
// data/ (tokens/s), plus building its tries. Uses the first 2 MB of
// ../shared/corpus/reuters21578.jsonl texts when present, else a synthetic
// news-like text.
#include <benchmark/benchmark.h>

#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "ingest/dictionary.h"
#include "ingest/gazetteer.h"
#include "ingest/language.h"
#include "ingest/lemmatizer.h"
#include "ingest/text.h"
#include "nlp/analyzer.h"

namespace kg::ingest {
namespace {

std::string SyntheticText() {
  static const char* kSentences[] = {
      "WASHINGTON, Oct 4 - U.S. Secretary of State John Kerry has criticized Russia for its "
      "support of Syrian President Bashar al-Assad.",
      "Lt. Col. John Smith said the Russian Defense Ministry would deploy S-300 systems near "
      "Hmeimim \xE2\x80\x93 Syria\xE2\x80\x99s main air base.",
      "\xE2\x80\x9CWe don't accept this,\xE2\x80\x9D Pentagon spokesman John Kirby told "
      "reporters on Tuesday, accusing Moscow of shelling war-torn Aleppo.",
      "Some 400,000 people have fled the fighting, about 3.5 percent of the population, the "
      "U.N. said in a statement.",
      "Russia blamed the US for the failure of the talks"};
  std::string text;
  for (int i = 0; text.size() < (2u << 20); ++i) {
    text += kSentences[i % 5];
    text += (i % 4 == 3) ? "\n" : " ";
  }
  return text;
}

// Extracts "text" fields from JSON Lines without a JSON library (only the
// escapes \n, \", \\ and \uXXXX are decoded; good enough for a benchmark).
std::string CorpusText() {
  std::ifstream in(std::string(KG_SOURCE_DIR) + "/../shared/corpus/reuters21578.jsonl");
  if (!in) return SyntheticText();
  std::string out, line;
  while (out.size() < (2u << 20) && std::getline(in, line)) {
    const size_t k = line.find("\"text\": \"");
    if (k == std::string::npos) continue;
    for (size_t i = k + 9; i < line.size() && line[i] != '"'; ++i) {
      if (line[i] != '\\' || i + 1 >= line.size()) {
        out += line[i];
        continue;
      }
      const char e = line[++i];
      if (e == 'n') {
        out += '\n';
      } else if (e == 'u' && i + 4 < line.size()) {
        const unsigned cp = std::stoul(line.substr(i + 1, 4), nullptr, 16);
        i += 4;
        if (cp < 0x80) {
          out += static_cast<char>(cp);
        } else if (cp < 0x800) {
          out += static_cast<char>(0xC0 | (cp >> 6));
          out += static_cast<char>(0x80 | (cp & 0x3F));
        } else if (cp < 0xD800 || cp > 0xDFFF) {
          out += static_cast<char>(0xE0 | (cp >> 12));
          out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
          out += static_cast<char>(0x80 | (cp & 0x3F));
        }
      } else {
        out += e;
      }
    }
    out += "\n\n";
  }
  return out.empty() ? SyntheticText() : out;
}

const std::string& Text() {
  static const std::string text = CorpusText();
  return text;
}

void BM_SplitAndTokenize(benchmark::State& state) {
  const std::string& text = Text();
  Document doc;
  for (auto _ : state) {
    doc.Clear();
    doc.text = text;
    SplitAndTokenize(TextOptions{}, &doc);
    benchmark::DoNotOptimize(doc.tokens.data());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * text.size()));
  state.counters["tokens"] = static_cast<double>(doc.tokens.size());
}
BENCHMARK(BM_SplitAndTokenize)->Unit(benchmark::kMillisecond);

void BM_IsValidUtf8(benchmark::State& state) {
  const std::string& text = Text();
  for (auto _ : state) benchmark::DoNotOptimize(IsValidUtf8(text));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * text.size()));
}
BENCHMARK(BM_IsValidUtf8)->Unit(benchmark::kMillisecond);

// The shipped language models (data/models), loaded once.
const nlp::Analyzer* Analyzer() {
  static const auto analyzer = [] {
    auto a = nlp::Analyzer::LoadFromDir(std::string(KG_DEFAULT_DATA_DIR) + "/models");
    return a.ok() ? std::move(*a) : nullptr;
  }();
  return analyzer.get();
}

void TagAll(Document* doc) {
  for (Sentence& s : doc->sentences) TagSentence(*Analyzer(), doc, &s);
}

// Tagging the pipeline's tokens (ingest/language.h), tokens/s.
void BM_Tag(benchmark::State& state) {
  if (Analyzer() == nullptr) {
    state.SkipWithError("cannot load data/models");
    return;
  }
  Document doc;
  doc.text = Text();
  SplitAndTokenize(TextOptions{}, &doc);
  for (auto _ : state) TagAll(&doc);
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * doc.tokens.size()));
}
BENCHMARK(BM_Tag)->Unit(benchmark::kMillisecond);

void BM_Lemmatize(benchmark::State& state) {
  auto lem = Lemmatizer::Load("/usr/share/wordnet");
  if (Analyzer() == nullptr || !lem.ok()) {
    state.SkipWithError("cannot load the tagger or WordNet");
    return;
  }
  Document doc;
  doc.text = Text();
  SplitAndTokenize(TextOptions{}, &doc);
  TagAll(&doc);
  const auto n = static_cast<uint32_t>(doc.tokens.size());
  for (auto _ : state) (*lem)->Lemmatize(&doc, 0, n);
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * n));
}
BENCHMARK(BM_Lemmatize)->Unit(benchmark::kMillisecond);

// Loading the tagger and parser models (target: < 0.3 s).
void BM_LoadLanguageModels(benchmark::State& state) {
  for (auto _ : state) {
    auto a = nlp::Analyzer::LoadFromDir(std::string(KG_DEFAULT_DATA_DIR) + "/models");
    benchmark::DoNotOptimize(a.ok());
  }
}
BENCHMARK(BM_LoadLanguageModels)->Unit(benchmark::kMillisecond)->Iterations(3);

void BM_LoadLemmatizer(benchmark::State& state) {
  for (auto _ : state) {
    auto l = Lemmatizer::Load("/usr/share/wordnet");
    benchmark::DoNotOptimize(l.ok());
  }
}
BENCHMARK(BM_LoadLemmatizer)->Unit(benchmark::kMillisecond)->Iterations(3);

// The data/ dictionaries, a gazetteer over them and Text() tokenized and
// tagged (the gazetteer reads part-of-speech tags, as in Pipeline::Process);
// built once, as the framework calls a benchmark several times. Null when the
// dictionaries or the tagger cannot be loaded.
struct GazetteerInput {
  Dictionaries dicts;
  std::unique_ptr<Gazetteer> gazetteer;
  Document doc;
};

const GazetteerInput* LoadGazetteerInput() {
  static const std::unique_ptr<GazetteerInput> input = []() -> std::unique_ptr<GazetteerInput> {
    auto dicts = LoadDictionaries(KG_DEFAULT_DATA_DIR, {}, {});
    if (!dicts.ok() || Analyzer() == nullptr) return nullptr;
    auto in = std::make_unique<GazetteerInput>();
    in->dicts = std::move(dicts).value();
    in->gazetteer = std::make_unique<Gazetteer>(in->dicts);
    in->doc.text = Text();
    SplitAndTokenize(TextOptions{}, &in->doc);
    TagAll(&in->doc);
    return in;
  }();
  return input.get();
}

void BM_GazetteerFindMentions(benchmark::State& state) {
  const GazetteerInput* in = LoadGazetteerInput();
  if (in == nullptr) {
    state.SkipWithError("cannot load the dictionaries or the tagger");
    return;
  }
  const Date date = *ParseDictionaryDate("2015-10-01");
  std::vector<ActorMention> mentions;
  for (auto _ : state) {
    mentions.clear();
    for (uint32_t s = 0; s < in->doc.sentences.size(); ++s) {
      if (!in->doc.sentences[s].skipped) in->gazetteer->FindMentions(in->doc, s, date, &mentions);
    }
    benchmark::DoNotOptimize(mentions.data());
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * in->doc.tokens.size()));
  state.counters["mentions"] = static_cast<double>(mentions.size());
}
BENCHMARK(BM_GazetteerFindMentions)->Unit(benchmark::kMillisecond);

// Building the tries from loaded dictionaries (once per Pipeline).
void BM_GazetteerBuild(benchmark::State& state) {
  const GazetteerInput* in = LoadGazetteerInput();
  if (in == nullptr) {
    state.SkipWithError("cannot load the dictionaries or the tagger");
    return;
  }
  for (auto _ : state) {
    const Gazetteer gazetteer(in->dicts);
    benchmark::DoNotOptimize(&gazetteer);
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * in->dicts.actors.size()));
}
BENCHMARK(BM_GazetteerBuild)->Unit(benchmark::kMillisecond)->Iterations(5);

}  // namespace
}  // namespace kg::ingest
