// Fuzzes the article readers and the extraction pipeline: the input is one
// JSON Lines or text file (the first byte picks which, the rest is the file);
// every record the reader accepts goes through Pipeline::Process, which
// tags and parses every sentence. Neither may
// crash, hang or leak; bad records and articles are errors, not crashes.
#include <cstdint>
#include <cstdlib>
#include <memory>

#include "fuzz/fuzz_util.h"
#include "ingest/article_reader.h"
#include "ingest/pipeline.h"

namespace {

const kg::Pipeline* g_pipeline = nullptr;

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  kg::PipelineOptions options;
  options.data_dir = KG_DEFAULT_DATA_DIR;
  options.parse = kg::PipelineOptions::ParseMode::kAll;  // Trees for junk text too.
  auto pipeline = kg::Pipeline::Create(options);
  if (!pipeline.ok()) {
    std::fprintf(stderr, "fuzz: cannot create the pipeline: %s\n",
                 pipeline.status().ToString().c_str());
    std::abort();
  }
  g_pipeline = std::move(pipeline).value().release();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const bool text = (data[0] & 1) != 0;
  const std::string path = kg::fuzz::WriteScratch(data + 1, size - 1, text ? ".txt" : ".jsonl");
  kg::ReaderOptions reader_options;
  reader_options.max_record_bytes = 1 << 16;  // Exercise the cap.
  auto reader = kg::ArticleReader::Open(path, reader_options);
  if (!reader.ok()) return 0;
  kg::Article article;
  kg::Extraction extraction;
  std::string error;
  for (int records = 0; records < 64; ++records) {
    kg::ReadOutcome outcome = (*reader)->Next(&article, &error);
    if (outcome == kg::ReadOutcome::kEnd) break;
    if (outcome == kg::ReadOutcome::kRejected) continue;
    kg::Status s = g_pipeline->Process(article, &extraction);
    if (!s.ok()) continue;
    // Every event the pipeline returns is storable: both actors and a relation.
    for (const kg::Event& ev : extraction.events) {
      if (ev.source.name.empty() || ev.target.name.empty() || ev.relation.empty() ||
          ev.mentions.empty()) {
        __builtin_trap();
      }
    }
  }
  return 0;
}
