// `kg check`: verifies a store's invariants (graph/store_check.h) on a
// read-only snapshot and lists every problem found; `--dump FILE` also writes
// the canonical dump used to compare two stores.
#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>

#include "graph/graph_store.h"
#include "graph/store_check.h"
#include "tools/commands.h"

namespace kg::tools {
namespace {

struct CheckFlags {
  size_t max_listed = 100;
  std::string dump_path;
};

}  // namespace

void RegisterCheckCommand(CLI::App& app, GlobalOptions& global, int* exit_code) {
  auto flags = std::make_shared<CheckFlags>();
  CLI::App* cmd = app.add_subcommand(
      "check",
      "Verify a store: index orders agree, no orphan edges, documents complete or absent, "
      "counts equal a recount; exit 1 when problems are found");
  cmd->add_option("--max-problems", flags->max_listed, "List at most this many problems")
      ->capture_default_str();
  cmd->add_option("--dump", flags->dump_path,
                  "Also write every record in a canonical text form to FILE (- for stdout), "
                  "for comparing two stores with diff");
  cmd->callback([&global, flags, exit_code]() {
    StoreOptions options;
    options.path = global.db_path;
    options.read_only = true;
    auto store = GraphStore::Open(options);
    if (!store.ok()) {
      PrintError("check", store.status().message());
      *exit_code = kExitFailure;
      return;
    }
    auto reader = (*store)->NewReader();
    CheckOptions check_options;
    check_options.max_listed = flags->max_listed;
    auto report = CheckStore(*reader, check_options);
    if (!report.ok()) {
      PrintError("check", report.status().message());
      *exit_code = kExitFailure;
      return;
    }
    if (!flags->dump_path.empty()) {
      Status dumped;
      if (flags->dump_path == "-") {
        dumped = DumpStore(*reader, std::cout);
      } else {
        std::ofstream out(flags->dump_path, std::ios::binary | std::ios::trunc);
        dumped = out ? DumpStore(*reader, out)
                     : Status::IoError("cannot write '" + flags->dump_path + "'");
      }
      if (!dumped.ok()) {
        PrintError("check", dumped.message());
        *exit_code = kExitFailure;
        return;
      }
    }
    // Problems go to stdout (they are the command's result); the dump, when
    // it goes to stdout, comes first.
    for (const std::string& line : report->problems) std::printf("%s\n", line.c_str());
    if (report->problem_count > report->problems.size()) {
      std::printf("... and %llu more\n",
                  static_cast<unsigned long long>(report->problem_count - report->problems.size()));
    }
    if (report->clean()) {
      if (!global.quiet) {
        std::fprintf(stderr, "kg check: %s: ok (%s)\n", global.db_path.c_str(),
                     report->Summary().c_str());
      }
      *exit_code = kExitOk;
    } else {
      std::fprintf(stderr, "kg check: %s: %llu problems found (%s)\n", global.db_path.c_str(),
                   static_cast<unsigned long long>(report->problem_count),
                   report->Summary().c_str());
      *exit_code = kExitFailure;
    }
  });
}

void RegisterOptimizeCommand(CLI::App& app, GlobalOptions& global, int* exit_code) {
  auto compact = std::make_shared<bool>(false);
  auto upgrade = std::make_shared<bool>(false);
  CLI::App* cmd = app.add_subcommand(
      "optimize",
      "Rebuild the stored topology that paths, neighbourhoods and counts read, when writes made "
      "with --no-topology left it out of date; with --compact also compress the files a bulk "
      "load (kg import, kg ingest --bulk) left uncompressed");
  cmd->add_flag("--compact", *compact,
                "Rewrite uncompressed column families with LZ4 (about half the disk space after "
                "a bulk load; takes roughly as long as the load)");
  cmd->add_flag("--upgrade", *upgrade,
                "First convert a store written by an older kg (format version 2) to the current "
                "format in place; interrupted, it is finished by running it again");
  cmd->callback([&global, exit_code, compact, upgrade]() {
    StoreOptions options;
    options.path = global.db_path;
    options.create_if_missing = false;
    if (*upgrade) {
      const auto start = std::chrono::steady_clock::now();
      Result<FormatUpgrade> done = GraphStore::UpgradeFormat(options);
      if (!done.ok()) {
        PrintError("optimize", done.status().message());
        *exit_code = kExitFailure;
        return;
      }
      if (!global.quiet && done->from_version == done->to_version) {
        std::fprintf(stderr, "kg optimize: format version %d is current\n", done->to_version);
      } else if (!global.quiet) {
        std::fprintf(
            stderr,
            "kg optimize: upgraded format version %d -> %d: %llu events into %llu runs "
            "in %.2f s\n",
            done->from_version, done->to_version, static_cast<unsigned long long>(done->events),
            static_cast<unsigned long long>(done->runs),
            std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
      }
    }
    auto store = GraphStore::Open(options);
    Status s = store.ok() ? RefreshTopologyOf(**store, "optimize", global.quiet) : store.status();
    if (s.ok() && *compact) {
      const auto start = std::chrono::steady_clock::now();
      Result<CompactStats> stats = (*store)->Compact();
      s = stats.status();
      if (s.ok() && !global.quiet) {
        const double seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        if (stats->column_families_compacted == 0) {
          std::fprintf(stderr, "kg optimize: nothing to compact (%.1f MB)\n",
                       static_cast<double>(stats->bytes_before) / 1e6);
        } else {
          std::fprintf(
              stderr, "kg optimize: compacted %d column families: %.1f MB -> %.1f MB in %.2f s\n",
              stats->column_families_compacted, static_cast<double>(stats->bytes_before) / 1e6,
              static_cast<double>(stats->bytes_after) / 1e6, seconds);
        }
      }
    }
    if (s.ok()) s = (*store)->Flush();
    if (!s.ok()) {
      PrintError("optimize", s.message());
      *exit_code = kExitFailure;
      return;
    }
    *exit_code = kExitOk;
  });
}

}  // namespace kg::tools
