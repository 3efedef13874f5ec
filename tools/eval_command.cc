// `kg eval`: scores `kg extract` output against a gold file.
#include <CLI/CLI.hpp>
#include <cstdio>

#include "ingest/evaluation.h"
#include "nlp/conllu.h"
#include "nlp/evaluate.h"
#include "tools/commands.h"

namespace kg::tools {
namespace {

// kg eval --conllu GOLD PRED: tagging and attachment scores.
int RunConlluEval(const std::string& gold_path, const std::string& pred_path) {
  auto gold = nlp::ReadConlluFile(gold_path);
  if (!gold.ok()) {
    PrintError("eval", gold.status().message());
    return kExitFailure;
  }
  auto pred = nlp::ReadConlluFile(pred_path);
  if (!pred.ok()) {
    PrintError("eval", pred.status().message());
    return kExitFailure;
  }
  auto scores = nlp::ScoreConllu(*gold, *pred, pred_path);
  if (!scores.ok()) {
    PrintError("eval", scores.status().message());
    return kExitFailure;
  }
  std::printf("sentences %lld, words %lld\n", static_cast<long long>(scores->sentences),
              static_cast<long long>(scores->words));
  std::printf("UPOS  %6.2f\nXPOS  %6.2f\nUAS   %6.2f\nLAS   %6.2f\n", scores->Percent(scores->upos),
              scores->Percent(scores->xpos), scores->Percent(scores->uas),
              scores->Percent(scores->las));
  return kExitOk;
}

}  // namespace

void RegisterEvalCommand(CLI::App& app, GlobalOptions&, int* exit_code) {
  auto options = std::make_shared<EvalOptions>();
  auto format = std::make_shared<std::string>("auto");
  CLI::App* cmd = app.add_subcommand(
      "eval",
      "Precision/recall of `kg extract` output against gold (seed, CaRB, PolNeAR, or the "
      "WikiEvents/RAMS and ACLED event-pair sets)");
  auto conllu = std::make_shared<std::string>();
  cmd->add_option("--gold", options->gold_path, "Gold JSON Lines file");
  cmd->add_option("--conllu", *conllu,
                  "Gold CoNLL-U: score PRED (kg parse --conllu output) by UPOS, XPOS, UAS and "
                  "LAS over all words (LAS on the universal part of the relation)");
  cmd->add_option("pred", options->pred_path,
                  "Predictions: the JSON Lines output of kg extract, or CoNLL-U with --conllu")
      ->required();
  cmd->add_option("--format", *format,
                  "Gold format: auto, seed, carb, polnear, spans (WikiEvents, RAMS) or acled; "
                  "spans and acled give pair recall as shared/eval/score.py does")
      ->capture_default_str();
  cmd->add_flag("--must-only", options->must_only, "Seed gold: score only level=must triples");
  cmd->add_option("--max-listed", options->max_listed,
                  "List at most this many misses and false alarms")
      ->capture_default_str();
  cmd->callback([options, format, conllu, exit_code]() {
    if (!conllu->empty()) {
      if (!options->gold_path.empty()) {
        PrintError("eval", "--gold and --conllu cannot be combined");
        *exit_code = kExitUsage;
        return;
      }
      *exit_code = RunConlluEval(*conllu, options->pred_path);
      return;
    }
    if (options->gold_path.empty()) {
      PrintError("eval", "give the gold file with --gold (extraction) or --conllu (parsing)");
      *exit_code = kExitUsage;
      return;
    }
    auto parsed = ParseGoldFormat(*format);
    if (!parsed) {
      PrintError("eval",
                 "unknown --format '" + *format + "' (auto, seed, carb, polnear, spans, acled)");
      *exit_code = kExitUsage;
      return;
    }
    options->format = *parsed;
    auto report = RunEvaluation(*options);
    if (!report.ok()) {
      PrintError("eval", report.status().message());
      *exit_code = kExitFailure;
      return;
    }
    std::fputs(report->text.c_str(), stdout);
    *exit_code = kExitOk;
  });
}

}  // namespace kg::tools
