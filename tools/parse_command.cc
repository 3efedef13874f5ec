// `kg parse`: tags and parses sentences with the language layer (nlp/) and
// writes CoNLL-U. With --conllu it reads CoNLL-U, keeps sentences, comments,
// multiword tokens and word forms, and replaces LEMMA, UPOS, XPOS, FEATS,
// HEAD, DEPREL and DEPS with predictions (the evaluation interface).
#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>

#include "ingest/article_reader.h"
#include "ingest/parse_output.h"
#include "nlp/analyzer.h"
#include "nlp/conllu.h"
#include "tools/commands.h"

namespace kg::tools {
namespace {

struct ParseFlags {
  std::vector<std::string> inputs;
  std::string conllu;
  std::string output = "-";
  std::string tagger, parser;
};

// stdout for "-", else the file (nullptr and a message when it cannot be created).
std::ostream* OpenOutput(const std::string& path, std::ofstream* file) {
  if (path == "-") return &std::cout;
  file->open(path, std::ios::binary | std::ios::trunc);
  if (!*file) {
    PrintError("parse", path + ": cannot create");
    return nullptr;
  }
  return file;
}

int RunParseConllu(const nlp::Analyzer& analyzer, const ParseFlags& f, bool quiet) {
  std::ifstream file;
  std::istream* in = &std::cin;
  if (f.conllu != "-") {
    file.open(f.conllu, std::ios::binary);
    if (!file) {
      PrintError("parse", f.conllu + ": cannot open");
      return kExitFailure;
    }
    in = &file;
  }
  std::ofstream out_file;
  std::ostream* out = OpenOutput(f.output, &out_file);
  if (out == nullptr) return kExitFailure;
  const auto start = std::chrono::steady_clock::now();
  nlp::ConlluReader reader(*in, f.conllu == "-" ? "<stdin>" : f.conllu);
  nlp::ConlluSentence sentence;
  nlp::AnalyzerScratch scratch;
  std::vector<std::string_view> forms;
  std::vector<nlp::AnalyzedWord> words;
  std::string buffer;
  int64_t sentences = 0, total_words = 0;
  while (true) {
    auto more = reader.Next(&sentence);
    if (!more.ok()) {
      PrintError("parse", more.status().message());
      return kExitFailure;
    }
    if (!*more) break;
    forms.clear();
    for (const auto& w : sentence.words) forms.push_back(w.form);
    analyzer.Analyze(forms, &words, &scratch);
    for (size_t i = 0; i < words.size(); ++i) {
      nlp::ConlluWord& w = sentence.words[i];
      w.lemma = "_";
      w.upos = std::string(nlp::UposName(words[i].upos));
      w.xpos = std::string(words[i].xpos);
      w.feats = "_";
      w.head = words[i].head;
      w.deprel = std::string(words[i].deprel);
      w.deps = "_";
    }
    buffer.clear();
    nlp::AppendConllu(sentence, &buffer);
    out->write(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    ++sentences;
    total_words += static_cast<int64_t>(words.size());
  }
  out->flush();
  if (!*out) {
    PrintError("parse", f.output + ": write failed");
    return kExitFailure;
  }
  if (!quiet) {
    const double s =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::fprintf(stderr, "kg parse: %lld sentences, %lld words in %.2f s (%.0f words/s)\n",
                 static_cast<long long>(sentences), static_cast<long long>(total_words), s,
                 s > 0 ? static_cast<double>(total_words) / s : 0.0);
  }
  return kExitOk;
}

// Articles (JSON Lines, text files or -): the pipeline's own sentences.
int RunParseArticles(const nlp::Analyzer& analyzer, const ParseFlags& f, bool quiet) {
  std::ofstream out_file;
  std::ostream* out = OpenOutput(f.output, &out_file);
  if (out == nullptr) return kExitFailure;
  auto parser = ArticleParser::Create(analyzer, PipelineOptions{});
  if (!parser.ok()) {
    PrintError("parse", parser.status().message());
    return kExitFailure;
  }
  int64_t articles = 0, rejected = 0;
  std::string buffer, error;
  Article article;
  for (const std::string& path : f.inputs) {
    auto reader = ArticleReader::Open(path);
    if (!reader.ok()) {
      PrintError("parse", reader.status().message());
      return kExitFailure;
    }
    while (true) {
      const ReadOutcome outcome = (*reader)->Next(&article, &error);
      if (outcome == ReadOutcome::kEnd) break;
      if (outcome == ReadOutcome::kRejected) {
        std::fprintf(stderr, "%s: %s\n", (*reader)->Location().c_str(), error.c_str());
        ++rejected;
        continue;
      }
      buffer.clear();
      Status s = (*parser)->AppendConllu(article, &buffer);
      if (!s.ok()) {
        std::fprintf(stderr, "%s: %s\n", (*reader)->Location().c_str(), s.message().c_str());
        ++rejected;
        continue;
      }
      out->write(buffer.data(), static_cast<std::streamsize>(buffer.size()));
      ++articles;
    }
  }
  out->flush();
  if (!*out) {
    PrintError("parse", f.output + ": write failed");
    return kExitFailure;
  }
  if (!quiet) {
    std::fprintf(stderr, "kg parse: %lld articles parsed, %lld rejected\n",
                 static_cast<long long>(articles), static_cast<long long>(rejected));
  }
  return rejected > 0 ? kExitPartial : kExitOk;
}

}  // namespace

void RegisterParseCommand(CLI::App& app, GlobalOptions& global, int* exit_code) {
  auto flags = std::make_shared<ParseFlags>();
  CLI::App* cmd = app.add_subcommand(
      "parse",
      "Tag and dependency-parse sentences; write CoNLL-U (UPOS, Penn XPOS, head, UD "
      "relation)");
  cmd->add_option("inputs", flags->inputs,
                  "Articles: JSON Lines (id, text, ...), .txt files, or - for stdin; written "
                  "as CoNLL-U with the pipeline's sentences and tokens (offsets in MISC)");
  cmd->add_option("--conllu", flags->conllu,
                  "Read CoNLL-U instead (- for stdin): keep its words, predict the other columns");
  cmd->add_option("-o,--output", flags->output, "Output file (default: stdout)");
  cmd->add_option("--tagger", flags->tagger, "Tagger model (default: DATA_DIR/models/tagger.kgm)");
  cmd->add_option("--parser", flags->parser, "Parser model (default: DATA_DIR/models/parser.kgm)");
  cmd->callback([flags, &global, exit_code]() {
    const std::string data_dir =
        global.data_dir.empty() ? std::string(KG_DEFAULT_DATA_DIR) : global.data_dir;
    const std::string models = data_dir + "/" + std::string(nlp::kModelFolder) + "/";
    const std::string tagger =
        flags->tagger.empty() ? models + std::string(nlp::kTaggerModelFile) : flags->tagger;
    const std::string parser =
        flags->parser.empty() ? models + std::string(nlp::kParserModelFile) : flags->parser;
    if (flags->conllu.empty() == flags->inputs.empty()) {
      PrintError("parse", "give either article files or --conllu FILE");
      *exit_code = kExitUsage;
      return;
    }
    auto analyzer = nlp::Analyzer::Load(tagger, parser);
    if (!analyzer.ok()) {
      PrintError("parse", analyzer.status().message());
      *exit_code = kExitFailure;
      return;
    }
    *exit_code = flags->conllu.empty() ? RunParseArticles(**analyzer, *flags, global.quiet)
                                       : RunParseConllu(**analyzer, *flags, global.quiet);
  });
}

}  // namespace kg::tools
