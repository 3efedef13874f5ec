// `kg import`: load event tables (our edge TSV/JSONL, GDELT exports) into the
// store through the bulk (SST) path.
#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>

#include "graph/graph_store.h"
#include "ingest/event_table.h"
#include "tools/commands.h"

namespace kg::tools {
namespace {

struct ImportFlags {
  std::vector<std::string> files;
  std::string format = "auto";
  size_t chunk_events = BulkLoadOptions().chunk_events;
  int threads = BulkLoadOptions().threads;
  size_t max_errors_shown = 20;
  bool no_topology = false;
};

}  // namespace

void RegisterImportCommand(CLI::App& app, GlobalOptions& global, int* exit_code) {
  auto flags = std::make_shared<ImportFlags>();
  CLI::App* cmd = app.add_subcommand(
      "import",
      "Load event tables (edge TSV/JSONL, GDELT 1.0/2.0 exports) into the store in one atomic "
      "bulk load");
  cmd->add_option("files", flags->files, "Table files; - for stdin")->required();
  cmd->add_option("--format", flags->format, "auto, tsv, jsonl or gdelt")
      ->capture_default_str()
      ->check(CLI::IsMember({"auto", "tsv", "jsonl", "gdelt"}));
  cmd->add_option("--chunk", flags->chunk_events,
                  "Events per round (bounds memory: ~40 bytes each); a load of one round writes "
                  "files that need no compaction")
      ->capture_default_str()
      ->check(CLI::Range(size_t{1000}, size_t{100'000'000}));
  cmd->add_option("-j,--threads", flags->threads, "Threads sorting and writing SST files")
      ->capture_default_str()
      ->check(CLI::Range(1, 64));
  cmd->add_option("--max-errors-shown", flags->max_errors_shown,
                  "Rejected rows printed on stderr (all are counted)")
      ->capture_default_str();
  cmd->add_flag("--no-topology", flags->no_topology,
                "Leave the stored topology out of date (paths, neighbourhoods and counts then scan "
                "the edge indexes until kg optimize)");
  cmd->callback([&global, flags, exit_code]() {
    const auto start = std::chrono::steady_clock::now();
    auto format = ingest::ParseTableFormat(flags->format);
    if (!format.ok()) {
      PrintError("import", format.status().message());
      *exit_code = kExitUsage;
      return;
    }
    const std::string data_dir =
        global.data_dir.empty() ? std::string(KG_DEFAULT_DATA_DIR) : global.data_dir;
    auto coder = ingest::CameoCoder::Load(data_dir);
    if (!coder.ok()) {
      PrintError("import", coder.status().message());
      *exit_code = kExitFailure;
      return;
    }
    StoreOptions store_options;
    store_options.path = global.db_path;
    auto store = GraphStore::Open(store_options);
    if (!store.ok()) {
      PrintError("import", store.status().message());
      *exit_code = kExitFailure;
      return;
    }
    BulkLoadOptions bulk_options;
    bulk_options.chunk_events = flags->chunk_events;
    bulk_options.threads = flags->threads;
    bulk_options.topology = !flags->no_topology;
    auto writer = (*store)->NewBulkWriter(bulk_options);
    if (!writer.ok()) {
      PrintError("import", writer.status().message());
      *exit_code = kExitFailure;
      return;
    }
    uint64_t rows = 0, rejected = 0, skipped = 0, shown = 0;
    auto last_progress = start;
    // Rows are parsed on a background thread while this one hands them over.
    ingest::TableBatchReader reader(flags->files, *format, &*coder);
    std::vector<BulkWriter::Row> batch_rows;
    std::vector<const ingest::TableBatchReader::Item*> row_items;
    while (const ingest::TableBatchReader::Batch* batch = reader.Next()) {
      batch_rows.clear();
      row_items.clear();
      for (const ingest::TableBatchReader::Item& item : batch->items) {
        if (item.file_error) {
          PrintError("import", item.error);
          ++rejected;
        } else if (item.outcome == ingest::RowOutcome::kSkipped) {
          ++skipped;
        } else if (item.outcome == ingest::RowOutcome::kRejected) {
          ++rejected;
          if (shown++ < flags->max_errors_shown) {
            std::fprintf(stderr, "%s:%zu: %s\n", flags->files[item.file].c_str(), item.line,
                         item.error.c_str());
          }
        } else {
          batch_rows.push_back(ingest::BulkRowOf(batch->rows[item.row]));
          row_items.push_back(&item);
        }
      }
      size_t failed = 0;
      Status s = (*writer)->AppendEvents(batch_rows, &failed);
      if (!s.ok()) {
        const ingest::TableBatchReader::Item& item = *row_items[failed];
        PrintError("import",
                   flags->files[item.file] + ":" + std::to_string(item.line) + ": " + s.message());
        *exit_code = kExitFailure;
        return;
      }
      rows += batch_rows.size();
      if (!global.quiet) {
        const auto now = std::chrono::steady_clock::now();
        if (now - last_progress > std::chrono::seconds(2)) {
          last_progress = now;
          const double secs = std::chrono::duration<double>(now - start).count();
          std::fprintf(stderr, "kg import: %llu rows (%.0f rows/s)\r",
                       static_cast<unsigned long long>(rows), rows / secs);
        }
      }
    }
    const uint64_t bytes = reader.bytes_read();
    auto stats = (*writer)->Finish();
    if (!stats.ok()) {
      PrintError("import", stats.status().message());
      *exit_code = kExitFailure;
      return;
    }
    if (!flags->no_topology && !stats->topology_written) {
      Status refreshed = RefreshTopologyAfterWrite(**store, "import", global.quiet, rows);
      if (!refreshed.ok()) {
        PrintError("import", refreshed.message());
        *exit_code = kExitFailure;
        return;
      }
    }
    const double secs =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (!global.quiet) {
      std::fprintf(stderr,
                   "kg import: %llu edges from %.1f MB in %.2f s (%.0f edges/s): %llu documents "
                   "new, %llu replaced; %llu actors; %llu SST files (%.1f M entries, %.1f MB, "
                   "uncompressed until kg optimize --compact) in %llu chunks; "
                   "waited %.2f s for sorting+writing, ingest %.2f s\n",
                   static_cast<unsigned long long>(rows), bytes / 1e6, secs,
                   secs > 0 ? rows / secs : 0.0,
                   static_cast<unsigned long long>(stats->documents_added),
                   static_cast<unsigned long long>(stats->documents_replaced),
                   static_cast<unsigned long long>(stats->actors),
                   static_cast<unsigned long long>(stats->sst_files), stats->sst_entries / 1e6,
                   stats->sst_bytes / 1e6, static_cast<unsigned long long>(stats->chunks),
                   stats->sort_write_seconds, stats->ingest_seconds);
      if (skipped > 0) {
        std::fprintf(stderr, "kg import: %llu rows skipped (one-sided events without two actors)\n",
                     static_cast<unsigned long long>(skipped));
      }
    }
    if (rejected > 0) {
      std::fprintf(stderr, "kg import: %llu rows rejected\n",
                   static_cast<unsigned long long>(rejected));
    }
    *exit_code = rejected > 0 ? kExitPartial : kExitOk;
  });
}

}  // namespace kg::tools
