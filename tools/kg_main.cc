// kg: knowledge-graph builder for conflict reporting. Entry point of the CLI;
// each subcommand lives in its own *_command.cc file.
#include <CLI/CLI.hpp>
#include <cstdlib>
#include <iostream>

#include "tools/commands.h"

int main(int argc, char** argv) {
  CLI::App app{
      "kg: build and query a knowledge graph of actors and events from news articles.\n"
      "Typical use: kg ingest articles.jsonl && kg query \"MATCH (a)-[r:accuse]->(b) RETURN "
      "a.name, b.name\""};
  app.require_subcommand(1);
  app.fallthrough();  // Global options may follow the subcommand: kg ingest -q FILE.
  app.set_version_flag("--version", "kg 0.1.0");

  kg::tools::GlobalOptions global;
  if (const char* env = std::getenv("KG_DATA_DIR")) global.data_dir = env;
  app.add_option("--db", global.db_path, "Store directory")->capture_default_str();
  app.add_option("--data-dir", global.data_dir,
                 "Dictionary folder (default: $KG_DATA_DIR or the built-in data/)");
  app.add_flag("-q,--quiet", global.quiet, "No progress output on stderr");

  int exit_code = kg::tools::kExitOk;
  kg::tools::RegisterIngestCommand(app, global, &exit_code);
  kg::tools::RegisterExtractCommand(app, global, &exit_code);
  kg::tools::RegisterQueryCommands(app, global, &exit_code);
  kg::tools::RegisterExportCommand(app, global, &exit_code);
  kg::tools::RegisterStatsCommand(app, global, &exit_code);
  kg::tools::RegisterEvalCommand(app, global, &exit_code);
  kg::tools::RegisterImportCommand(app, global, &exit_code);
  kg::tools::RegisterCheckCommand(app, global, &exit_code);
  kg::tools::RegisterBackupCommand(app, global, &exit_code);
  kg::tools::RegisterOptimizeCommand(app, global, &exit_code);
  kg::tools::RegisterTrainCommand(app, global, &exit_code);
  kg::tools::RegisterParseCommand(app, global, &exit_code);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? kg::tools::kExitOk : kg::tools::kExitUsage;
  }
  return exit_code;
}
