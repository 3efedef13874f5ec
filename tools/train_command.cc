// `kg train tagger|parser`: trains the language layer's models from CoNLL-U
// treebanks (nlp/). The same files, options and seed give byte-identical
// model files.
#include <sys/resource.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <iostream>

#include "nlp/parser.h"
#include "nlp/tagger.h"
#include "nlp/treebank.h"
#include "tools/commands.h"

namespace kg::tools {
namespace {

struct TrainFlags {
  std::vector<std::string> ud, dev;
  std::string out, tagger;
  int epochs = 0;  // 0: the model's default.
  int tagger_epochs = 0;
  int folds = 5;
  double prune = -1;  // <0: the model's default.
  std::vector<double> prune_sweep;
  uint64_t seed = 1;
};

double PeakRssMb() {
  struct rusage usage {};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;
}

int RunTrain(const std::string& what, const TrainFlags& f, bool quiet) {
  const auto start = std::chrono::steady_clock::now();
  std::ostream* log = quiet ? nullptr : &std::cerr;
  auto data = nlp::LoadTreebanks(f.ud, /*need_trees=*/what == "parser");
  if (!data.ok()) {
    PrintError("train", data.status().message());
    return kExitFailure;
  }
  auto dev = nlp::LoadTreebanks(f.dev, /*need_trees=*/what == "parser");
  if (!dev.ok()) {
    PrintError("train", dev.status().message());
    return kExitFailure;
  }
  nlp::TaggerTrainOptions tagger_options;
  tagger_options.seed = f.seed;
  if (what == "tagger" && f.epochs > 0) tagger_options.epochs = f.epochs;
  if (what == "parser" && f.tagger_epochs > 0) tagger_options.epochs = f.tagger_epochs;
  Status saved;
  size_t features = 0, bytes = 0;
  if (what == "tagger") {
    if (f.prune >= 0) tagger_options.prune_fraction = f.prune;
    auto tagger = nlp::Tagger::Train(*data, *dev, tagger_options, log);
    if (!tagger.ok()) {
      PrintError("train", tagger.status().message());
      return kExitFailure;
    }
    features = (*tagger)->num_features();
    bytes = (*tagger)->weight_bytes();
    saved = (*tagger)->Save(f.out);
  } else {
    nlp::ParserTrainOptions options;
    options.seed = f.seed;
    if (f.epochs > 0) options.epochs = f.epochs;
    if (f.prune >= 0) options.prune_fraction = f.prune;
    options.prune_sweep = f.prune_sweep;
    if (f.folds >= 2) {
      Status s = nlp::JackknifeTags(&*data, f.folds, tagger_options, log);
      if (!s.ok()) {
        PrintError("train", s.message());
        return kExitFailure;
      }
    }
    if (!dev->empty()) {
      if (f.tagger.empty()) {
        if (log) *log << "parser: dev sentences keep their gold tags (no --tagger given)\n";
      } else {
        auto tagger = nlp::Tagger::Load(f.tagger);
        if (!tagger.ok()) {
          PrintError("train", tagger.status().message());
          return kExitFailure;
        }
        nlp::TagTreebank(**tagger, &*dev);
      }
    }
    auto parser = nlp::Parser::Train(*data, *dev, options, log);
    if (!parser.ok()) {
      PrintError("train", parser.status().message());
      return kExitFailure;
    }
    features = (*parser)->num_features();
    bytes = (*parser)->weight_bytes();
    saved = (*parser)->Save(f.out);
  }
  if (!saved.ok()) {
    PrintError("train", saved.message());
    return kExitFailure;
  }
  if (!quiet) {
    std::fprintf(stderr,
                 "kg train %s: wrote %s (%zu features, %.1f MiB of weights) in %.1f s, peak RSS "
                 "%.0f MB\n",
                 what.c_str(), f.out.c_str(), features, static_cast<double>(bytes) / 1048576.0,
                 std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(),
                 PeakRssMb());
  }
  return kExitOk;
}

}  // namespace

void RegisterTrainCommand(CLI::App& app, GlobalOptions& global, int* exit_code) {
  CLI::App* cmd = app.add_subcommand(
      "train", "Train the part-of-speech tagger or the dependency parser from CoNLL-U treebanks");
  cmd->require_subcommand(1);
  for (const std::string what : {"tagger", "parser"}) {
    auto flags = std::make_shared<TrainFlags>();
    CLI::App* sub = cmd->add_subcommand(
        what, what == "tagger" ? "Train the tagger (UPOS + Penn XPOS)"
                               : "Train the labelled dependency parser (on jackknifed tags)");
    sub->add_option("--ud", flags->ud, "Training treebank(s), CoNLL-U")->required();
    sub->add_option("-o,--output", flags->out, "Model file to write")->required();
    sub->add_option("--dev", flags->dev, "Development treebank(s): accuracy logged");
    sub->add_option("--epochs", flags->epochs,
                    what == "tagger" ? "Passes over the data (default 10)"
                                     : "Passes over the data (default 9)");
    sub->add_option("--seed", flags->seed, "Shuffle/exploration seed")->capture_default_str();
    sub->add_option("--prune", flags->prune,
                    what == "tagger"
                        ? "Drop weights below this fraction of the largest (default 1e-4)"
                        : "Drop weights below this fraction of the largest (default 0.01)");
    if (what == "parser") {
      sub->add_option("--folds", flags->folds,
                      "Jackknife folds for the training tags (0/1: gold tags)")
          ->capture_default_str();
      sub->add_option("--tagger-epochs", flags->tagger_epochs,
                      "Epochs of the jackknife taggers (default: the tagger's)");
      sub->add_option("--tagger", flags->tagger, "Tagger model that tags the --dev sentences");
      sub->add_option("--prune-sweep", flags->prune_sweep,
                      "Log dev scores and model size at each of these prune fractions");
    }
    sub->callback(
        [what, flags, &global, exit_code]() { *exit_code = RunTrain(what, *flags, global.quiet); });
  }
}

}  // namespace kg::tools
