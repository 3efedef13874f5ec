// Subcommands of the kg CLI. Each Register* function adds one subcommand to
// the app and arranges for its exit code to be stored in *exit_code when run.
// Conventions: one-line "kg <cmd>: error: ..." messages on stderr, exit 0 on
// success, 1 on failure, 2 on usage errors, 3 when some input records were
// rejected but the rest succeeded.
#pragma once

#include <string>

#include "graph/graph_store.h"

namespace CLI {
class App;
}

namespace kg::tools {

// Options every subcommand shares.
struct GlobalOptions {
  std::string db_path = "./kg.db";  // --db
  std::string data_dir;             // --data-dir (default: built-in data/)
  bool quiet = false;               // --quiet: no progress on stderr
};

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;
inline constexpr int kExitUsage = 2;
inline constexpr int kExitPartial = 3;

void RegisterIngestCommand(CLI::App& app, GlobalOptions& global, int* exit_code);
void RegisterExtractCommand(CLI::App& app, GlobalOptions& global, int* exit_code);
void RegisterStatsCommand(CLI::App& app, GlobalOptions& global, int* exit_code);
void RegisterQueryCommands(CLI::App& app, GlobalOptions& global, int* exit_code);
void RegisterExportCommand(CLI::App& app, GlobalOptions& global, int* exit_code);
void RegisterEvalCommand(CLI::App& app, GlobalOptions& global, int* exit_code);
void RegisterImportCommand(CLI::App& app, GlobalOptions& global, int* exit_code);
void RegisterCheckCommand(CLI::App& app, GlobalOptions& global, int* exit_code);
void RegisterBackupCommand(CLI::App& app, GlobalOptions& global, int* exit_code);

void RegisterOptimizeCommand(CLI::App& app, GlobalOptions& global, int* exit_code);
void RegisterTrainCommand(CLI::App& app, GlobalOptions& global, int* exit_code);
void RegisterParseCommand(CLI::App& app, GlobalOptions& global, int* exit_code);

// Rebuilds the store's topology (graph/topology.h) when a write made it
// stale, reporting the time on stderr unless quiet.
Status RefreshTopologyOf(GraphStore& store, const std::string& command, bool quiet);
// The same after a write of `events_written` events, but only when the
// rebuild is cheap next to the write: a store of at most 2 M events, or a
// write of at least a tenth of them. Otherwise it says that kg optimize
// will do it (queries stay correct on the edge indexes meanwhile).
Status RefreshTopologyAfterWrite(GraphStore& store, const std::string& command, bool quiet,
                                 uint64_t events_written);

// Prints "kg <command>: error: <message>" to stderr.
void PrintError(const std::string& command, const std::string& message);

}  // namespace kg::tools
