// `kg ingest` and `kg extract`: run the pipeline over articles, into the
// store or to stdout as JSON Lines.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <fstream>
#include <iostream>

#include "graph/graph_store.h"
#include "graph/ids.h"
#include "ingest/extraction_json.h"
#include "tools/article_driver.h"
#include "tools/commands.h"

namespace kg::tools {
namespace {

struct PipelineFlags {
  std::vector<std::string> files;
  std::vector<std::string> actor_files;
  std::vector<std::string> verb_files;
  DriverOptions driver;
  bool trace = false;
  bool open_triples = false;
  bool bulk = false;
  bool no_topology = false;
  std::string parse = "none";
};

void AddPipelineFlags(CLI::App* cmd, PipelineFlags* flags) {
  cmd->add_option("files", flags->files, "JSON Lines (.jsonl) or text (.txt) files; - for stdin")
      ->required();
  cmd->add_option("--actors", flags->actor_files,
                  "Extra actor dictionary (our TSV, or TABARI/PETRARCH .actors); repeatable");
  cmd->add_option("--verbs", flags->verb_files,
                  "Extra verb dictionary (our TSV, or TABARI/PETRARCH .verbs); repeatable");
  cmd->add_option("-j,--threads", flags->driver.threads, "Worker threads (output order is fixed)")
      ->capture_default_str()
      ->check(CLI::Range(1, 256));
  cmd->add_option("--max-record-bytes", flags->driver.max_record_bytes,
                  "Reject input records longer than this")
      ->capture_default_str();
  cmd->add_option("--parse", flags->parse,
                  "Sentences given a dependency tree: none (the relation rules do not read "
                  "trees yet), candidates (two actor mentions and a verb) or all")
      ->capture_default_str()
      ->check(CLI::IsMember({"candidates", "all", "none"}));
}

Result<std::unique_ptr<Pipeline>> MakePipeline(const GlobalOptions& global,
                                               const PipelineFlags& flags) {
  PipelineOptions options =
      MakePipelineOptions(global.data_dir, flags.actor_files, flags.verb_files);
  options.trace = flags.trace;
  options.open_triples = flags.open_triples;
  options.parse = flags.parse == "all"    ? PipelineOptions::ParseMode::kAll
                  : flags.parse == "none" ? PipelineOptions::ParseMode::kNone
                                          : PipelineOptions::ParseMode::kCandidates;
  return Pipeline::Create(options);
}

void PrintSummary(const char* verb, const DriverSummary& s, const std::string& extra) {
  std::fprintf(stderr, "kg %s: %llu documents, %llu sentences, %llu events%s in %.2f s", verb,
               static_cast<unsigned long long>(s.articles),
               static_cast<unsigned long long>(s.stats.sentences),
               static_cast<unsigned long long>(s.events), extra.c_str(), s.seconds);
  if (s.seconds > 0) std::fprintf(stderr, " (%.0f sentences/s)", s.stats.sentences / s.seconds);
  std::fprintf(stderr, "\n");
  if (s.rejected > 0) {
    std::fprintf(stderr, "kg %s: %llu records rejected:", verb,
                 static_cast<unsigned long long>(s.rejected));
    for (const auto& [reason, n] : s.reject_reasons) {
      std::fprintf(stderr, " %s (%llu);", reason.c_str(), static_cast<unsigned long long>(n));
    }
    std::fprintf(stderr, "\n");
  }
  uint64_t skipped = 0;
  for (const auto& [reason, n] : s.stats.skipped) skipped += n;
  if (skipped > 0) {
    std::fprintf(stderr, "kg %s: %llu sentences skipped:", verb,
                 static_cast<unsigned long long>(skipped));
    for (const auto& [reason, n] : s.stats.skipped) {
      std::fprintf(stderr, " %s (%llu);", reason.c_str(), static_cast<unsigned long long>(n));
    }
    std::fprintf(stderr, "\n");
  }
  if (s.interrupted) {
    std::fprintf(stderr, "kg %s: interrupted; stopped after the last complete batch\n", verb);
  }
}

int ExitCodeFor(const DriverSummary& s) {
  if (s.interrupted) return kExitFailure;
  return s.rejected > 0 ? kExitPartial : kExitOk;
}

std::vector<ActorRecord> ActorsOf(const Extraction& x) { return x.actors; }

}  // namespace

void RegisterIngestCommand(CLI::App& app, GlobalOptions& global, int* exit_code) {
  auto flags = std::make_shared<PipelineFlags>();
  CLI::App* cmd = app.add_subcommand(
      "ingest", "Extract events from articles and store them (atomic and idempotent per document)");
  AddPipelineFlags(cmd, flags.get());
  cmd->add_flag("--bulk", flags->bulk,
                "Write through sorted SST files ingested atomically at the end (for large "
                "corpora; nothing is visible until the run completes)");
  cmd->add_flag("--no-topology", flags->no_topology,
                "Leave the stored topology out of date (paths, neighbourhoods and counts then scan "
                "the edge indexes until kg optimize); saves its rebuild on a large store");
  cmd->callback([&global, flags, exit_code]() {
    auto pipeline = MakePipeline(global, *flags);
    if (!pipeline.ok()) {
      PrintError("ingest", pipeline.status().message());
      *exit_code = kExitFailure;
      return;
    }
    StoreOptions store_options;
    store_options.path = global.db_path;
    auto store = GraphStore::Open(store_options);
    if (!store.ok()) {
      PrintError("ingest", store.status().message());
      *exit_code = kExitFailure;
      return;
    }
    std::unique_ptr<BulkWriter> bulk;
    if (flags->bulk) {
      BulkLoadOptions bulk_options;
      bulk_options.topology = !flags->no_topology;
      auto writer = (*store)->NewBulkWriter(bulk_options);
      if (!writer.ok()) {
        PrintError("ingest", writer.status().message());
        *exit_code = kExitFailure;
        return;
      }
      bulk = std::move(writer).value();
    }
    uint64_t added = 0, unchanged = 0, replaced = 0;
    flags->driver.progress = !global.quiet;
    auto summary =
        RunDriver(**pipeline, flags->files, flags->driver,
                  [&](const Article& article, const Extraction& x) -> Status {
                    DocumentMeta meta;
                    meta.id = article.id;
                    meta.title = article.title;
                    meta.source = article.source;
                    meta.date = article.date;
                    meta.content_hash = Hash64(article.title + '\x1f' + article.text);
                    meta.sentences = static_cast<uint32_t>(x.stats.sentences);
                    KG_ASSIGN_OR_RETURN(IngestOutcome outcome,
                                        bulk ? bulk->PutDocument(meta, x.events, ActorsOf(x))
                                             : (*store)->PutDocument(meta, x.events, ActorsOf(x)));
                    switch (outcome.action) {
                      case IngestAction::kAdded:
                        ++added;
                        break;
                      case IngestAction::kUnchanged:
                        ++unchanged;
                        break;
                      case IngestAction::kReplaced:
                        ++replaced;
                        break;
                    }
                    return Status::Ok();
                  });
    bool topology_written = false;
    if (bulk && summary.ok()) {  // Also after Ctrl-C: keep the completed batches.
      auto stats = bulk->Finish();
      if (!stats.ok()) {
        PrintError("ingest", stats.status().message());
        *exit_code = kExitFailure;
        return;
      }
      topology_written = stats->topology_written;
    }
    Status flushed = (*store)->Flush();
    if (flushed.ok() && summary.ok() && !flags->no_topology && !topology_written) {
      flushed = RefreshTopologyAfterWrite(**store, "ingest", global.quiet, summary->events);
    }
    if (!summary.ok()) {
      PrintError("ingest", summary.status().message());
      *exit_code = kExitFailure;
      return;
    }
    if (!flushed.ok()) {
      PrintError("ingest", flushed.message());
      *exit_code = kExitFailure;
      return;
    }
    PrintSummary("ingest", *summary,
                 " (" + std::to_string(added) + " new, " + std::to_string(replaced) +
                     " replaced, " + std::to_string(unchanged) + " unchanged)");
    *exit_code = ExitCodeFor(*summary);
  });
}

void RegisterExtractCommand(CLI::App& app, GlobalOptions& global, int* exit_code) {
  auto flags = std::make_shared<PipelineFlags>();
  auto unknown_path = std::make_shared<std::string>();
  CLI::App* cmd = app.add_subcommand(
      "extract", "Extract events without a store: one JSON object per article on stdout");
  AddPipelineFlags(cmd, flags.get());
  cmd->add_option("--unknown", *unknown_path,
                  "Write verbs seen between two actors but missing from the dictionary "
                  "(TSV: verb, count) to this file");
  cmd->add_flag(
      "--open", flags->open_triples,
      "Also write open subject-relation-object triples over any noun phrases (\"triples\")");
  cmd->add_flag("--trace", flags->trace,
                "Print each sentence's tokens (tag, lemma) and actor mentions to stderr");
  cmd->callback([&global, flags, unknown_path, exit_code]() {
    auto pipeline = MakePipeline(global, *flags);
    if (!pipeline.ok()) {
      PrintError("extract", pipeline.status().message());
      *exit_code = kExitFailure;
      return;
    }
    flags->driver.progress = !global.quiet;
    std::string line;
    auto summary =
        RunDriver(**pipeline, flags->files, flags->driver,
                  [&](const Article&, const Extraction& x) -> Status {
                    line = ExtractionToJson(x);
                    line.push_back('\n');
                    if (std::fwrite(line.data(), 1, line.size(), stdout) != line.size()) {
                      return Status::IoError("writing to stdout failed");
                    }
                    return Status::Ok();
                  });
    std::fflush(stdout);
    if (!summary.ok()) {
      PrintError("extract", summary.status().message());
      *exit_code = kExitFailure;
      return;
    }
    if (!unknown_path->empty()) {
      std::ofstream out(*unknown_path);
      std::vector<std::pair<uint64_t, std::string>> sorted;
      for (const auto& [verb, n] : summary->stats.unknown_verbs) sorted.emplace_back(n, verb);
      std::sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) {
        return a.first != b.first ? a.first > b.first : a.second < b.second;
      });
      out << "verb\tcount\n";
      for (const auto& [n, verb] : sorted) out << verb << '\t' << n << '\n';
      if (!out) {
        PrintError("extract", "cannot write " + *unknown_path);
        *exit_code = kExitFailure;
        return;
      }
    }
    if (!global.quiet) PrintSummary("extract", *summary, "");
    *exit_code = ExitCodeFor(*summary);
  });
}

}  // namespace kg::tools
