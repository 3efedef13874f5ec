// `kg eval`: scores `kg extract` output against a gold file.
#include <CLI/CLI.hpp>
#include <cstdio>

#include "ingest/evaluation.h"
#include "tools/commands.h"

namespace kg::tools {

void RegisterEvalCommand(CLI::App& app, GlobalOptions&, int* exit_code) {
  auto options = std::make_shared<EvalOptions>();
  auto format = std::make_shared<std::string>("auto");
  CLI::App* cmd = app.add_subcommand(
      "eval",
      "Precision/recall of `kg extract` output against gold (seed, CaRB or PolNeAR format)");
  cmd->add_option("--gold", options->gold_path, "Gold JSON Lines file")->required();
  cmd->add_option("pred", options->pred_path, "Predictions: the JSON Lines output of kg extract")
      ->required();
  cmd->add_option("--format", *format, "Gold format: auto, seed, carb or polnear")
      ->capture_default_str();
  cmd->add_flag("--must-only", options->must_only, "Seed gold: score only level=must triples");
  cmd->add_option("--max-listed", options->max_listed,
                  "List at most this many misses and false alarms")
      ->capture_default_str();
  cmd->callback([options, format, exit_code]() {
    auto parsed = ParseGoldFormat(*format);
    if (!parsed) {
      PrintError("eval", "unknown --format '" + *format + "' (auto, seed, carb, polnear)");
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
