// `kg backup DIR`: a consistent copy of the store (a RocksDB checkpoint,
// hard-linking files where possible), taken while readers or a running
// `kg ingest` use the store, then verified with the checks of `kg check`.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <filesystem>

#include "graph/graph_store.h"
#include "graph/store_check.h"
#include "tools/commands.h"

namespace kg::tools {
namespace {

struct BackupFlags {
  std::string dir;
  bool no_check = false;
};

// Opens the store for the checkpoint: read-write when nobody writes (so the
// memtable is flushed into the copy), else read-only beside the writer.
Result<std::unique_ptr<GraphStore>> OpenForBackup(const std::string& path) {
  StoreOptions options;
  options.path = path;
  options.create_if_missing = false;
  auto store = GraphStore::Open(options);
  if (store.ok() || store.status().code() != StatusCode::kIoError) return store;
  options.read_only = true;
  auto read_only = GraphStore::Open(options);
  if (read_only.ok()) return read_only;
  return store.status();
}

}  // namespace

void RegisterBackupCommand(CLI::App& app, GlobalOptions& global, int* exit_code) {
  auto flags = std::make_shared<BackupFlags>();
  CLI::App* cmd = app.add_subcommand(
      "backup",
      "Write a consistent copy of the store to DIR (which must not exist) while it stays in "
      "use, then check the copy");
  cmd->add_option("dir", flags->dir, "Backup directory (must not exist)")->required();
  cmd->add_flag("--no-check", flags->no_check, "Skip verifying the copy with kg check");
  cmd->callback([&global, flags, exit_code]() {
    std::error_code ec;
    if (std::filesystem::exists(flags->dir, ec)) {
      PrintError("backup", "'" + flags->dir + "' already exists; choose a new directory");
      *exit_code = kExitFailure;
      return;
    }
    auto store = OpenForBackup(global.db_path);
    if (!store.ok()) {
      PrintError("backup", store.status().message());
      *exit_code = kExitFailure;
      return;
    }
    Status s = (*store)->Checkpoint(flags->dir);
    store->reset();
    if (!s.ok()) {
      PrintError("backup", s.message());
      *exit_code = kExitFailure;
      return;
    }
    std::string summary;
    if (!flags->no_check) {
      StoreOptions options;
      options.path = flags->dir;
      options.read_only = true;
      auto copy = GraphStore::Open(options);
      if (!copy.ok()) {
        PrintError("backup",
                   "the copy in '" + flags->dir + "' does not open: " + copy.status().message());
        *exit_code = kExitFailure;
        return;
      }
      auto report = CheckStore(*(*copy)->NewReader());
      if (!report.ok() || !report->clean()) {
        PrintError("backup",
                   "the copy in '" + flags->dir + "' fails kg check: " +
                       (report.ok() ? report->problems.front() : report.status().message()));
        *exit_code = kExitFailure;
        return;
      }
      summary = " (" + report->Summary() + "; checked)";
    }
    if (!global.quiet) {
      std::fprintf(stderr, "kg backup: wrote %s%s\n", flags->dir.c_str(), summary.c_str());
    }
    *exit_code = kExitOk;
  });
}

}  // namespace kg::tools
