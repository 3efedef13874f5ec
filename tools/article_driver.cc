#include "tools/article_driver.h"

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <thread>

#include "ingest/article_reader.h"

namespace kg::tools {
namespace {

std::atomic<bool> g_stop_requested{false};

extern "C" void OnStopSignal(int) { g_stop_requested.store(true); }

struct Slot {
  std::string location;  // FILE:LINE of the record.
  Article article;
  Extraction extraction;
  Status status;
};

}  // namespace

PipelineOptions MakePipelineOptions(const std::string& data_dir,
                                    const std::vector<std::string>& actor_files,
                                    const std::vector<std::string>& verb_files) {
  PipelineOptions options;
  options.data_dir = data_dir.empty() ? std::string(KG_DEFAULT_DATA_DIR) : data_dir;
  options.extra_actor_files = actor_files;
  options.extra_verb_files = verb_files;
  return options;
}

Result<DriverSummary> RunDriver(const Pipeline& pipeline, const std::vector<std::string>& files,
                                const DriverOptions& options, const ExtractionSink& sink) {
  DriverSummary summary;
  const auto start = std::chrono::steady_clock::now();
  auto last_progress = start;
  g_stop_requested.store(false);
  struct sigaction old_int {
  }, old_term{};
  if (options.handle_signals) {
    struct sigaction sa {};
    sa.sa_handler = OnStopSignal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, &old_int);
    sigaction(SIGTERM, &sa, &old_term);
  }
  const int threads = std::max(1, options.threads);
  std::vector<Slot> batch;
  batch.reserve(options.batch_size);

  auto reject = [&](const std::string& where, const std::string& reason) {
    std::fprintf(stderr, "%s: %s\n", where.c_str(), reason.c_str());
    ++summary.rejected;
    std::string tally = reason.substr(0, reason.find(" at column"));
    ++summary.reject_reasons[tally];
  };

  auto flush_batch = [&]() -> Status {
    if (batch.empty()) return Status::Ok();
    std::atomic<size_t> next{0};
    auto work = [&]() {
      for (size_t i = next++; i < batch.size(); i = next++) {
        batch[i].status = pipeline.Process(batch[i].article, &batch[i].extraction);
      }
    };
    if (threads == 1 || batch.size() == 1) {
      work();
    } else {
      std::vector<std::thread> pool;
      for (int t = 0; t < threads; ++t) pool.emplace_back(work);
      for (auto& th : pool) th.join();
    }
    for (Slot& slot : batch) {
      if (!slot.status.ok()) {
        reject(slot.location, slot.status.message());
        continue;
      }
      ++summary.articles;
      summary.events += slot.extraction.events.size();
      summary.stats.Add(slot.extraction.stats);
      KG_RETURN_IF_ERROR(sink(slot.article, slot.extraction));
    }
    batch.clear();
    auto now = std::chrono::steady_clock::now();
    if (options.progress && now - last_progress > std::chrono::seconds(2)) {
      last_progress = now;
      double secs = std::chrono::duration<double>(now - start).count();
      std::fprintf(stderr, "\r%llu articles, %llu sentences, %llu events (%.0f sentences/s)   ",
                   static_cast<unsigned long long>(summary.articles),
                   static_cast<unsigned long long>(summary.stats.sentences),
                   static_cast<unsigned long long>(summary.events),
                   summary.stats.sentences / std::max(secs, 1e-9));
      std::fflush(stderr);
    }
    return Status::Ok();
  };

  Status status;
  for (const std::string& path : files) {
    if (g_stop_requested.load()) break;
    ReaderOptions reader_options;
    reader_options.max_record_bytes = options.max_record_bytes;
    auto reader = ArticleReader::Open(path, reader_options);
    if (!reader.ok()) {
      reject(path, reader.status().message());
      continue;
    }
    size_t records_in_file = 0;
    while (status.ok() && !g_stop_requested.load()) {
      batch.emplace_back();
      std::string error;
      ReadOutcome outcome = (*reader)->Next(&batch.back().article, &error);
      if (outcome != ReadOutcome::kArticle) batch.pop_back();
      if (outcome == ReadOutcome::kEnd) break;
      ++records_in_file;
      if (outcome == ReadOutcome::kRejected) {
        reject((*reader)->Location(), error);
        continue;
      }
      batch.back().location = (*reader)->Location();
      if (batch.size() >= options.batch_size) status = flush_batch();
    }
    if (records_in_file == 0 && status.ok()) reject(path, "empty file (no records)");
    if (!status.ok()) break;
  }
  if (status.ok()) status = flush_batch();
  summary.interrupted = g_stop_requested.load();
  if (options.progress && summary.articles > 0) std::fprintf(stderr, "\n");
  if (options.handle_signals) {
    sigaction(SIGINT, &old_int, nullptr);
    sigaction(SIGTERM, &old_term, nullptr);
  }
  summary.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (!status.ok()) return status;
  return summary;
}

}  // namespace kg::tools
