// Fuzzes the event-table importer's reader (ingest/event_table.h): TSV, JSON
// Lines and GDELT rows. The first byte picks the declared format and file
// name, the rest is the file. Every row must come back as a row, a rejection
// or a skip; accepted rows must be storable (both actors and a relation).
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>

#include "fuzz/fuzz_util.h"
#include "ingest/event_table.h"

namespace {

const kg::ingest::CameoCoder* g_coder = nullptr;

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  auto coder = kg::ingest::CameoCoder::Load(KG_DEFAULT_DATA_DIR);
  if (!coder.ok()) {
    std::fprintf(stderr, "fuzz: %s\n", coder.status().ToString().c_str());
    std::abort();
  }
  g_coder = new kg::ingest::CameoCoder(std::move(coder).value());
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  static constexpr struct {
    kg::ingest::TableFormat format;
    const char* suffix;
  } kModes[] = {
      {kg::ingest::TableFormat::kAuto, ".tsv"},    {kg::ingest::TableFormat::kTsv, ".tsv"},
      {kg::ingest::TableFormat::kJsonl, ".jsonl"}, {kg::ingest::TableFormat::kGdelt, ".csv"},
      {kg::ingest::TableFormat::kAuto, ".jsonl"},  {kg::ingest::TableFormat::kAuto, ".CSV"},
      {kg::ingest::TableFormat::kAuto, ".export"}, {kg::ingest::TableFormat::kAuto, ".txt"},
  };
  const auto& mode = kModes[data[0] % (sizeof(kModes) / sizeof(kModes[0]))];
  const std::string path = kg::fuzz::WriteScratch(data + 1, size - 1, mode.suffix);
  auto reader = kg::ingest::EventTableReader::Open(path, mode.format, g_coder);
  if (!reader.ok()) return 0;
  kg::ingest::TableRow row;
  std::string error;
  for (int rows = 0; rows < 10000; ++rows) {
    const kg::ingest::RowOutcome outcome = (*reader)->Next(&row, &error);
    if (outcome == kg::ingest::RowOutcome::kEnd) break;
    if (outcome != kg::ingest::RowOutcome::kRow) continue;
    if (row.doc.id.empty() || row.event.source.name.empty() || row.event.target.name.empty() ||
        row.event.relation.empty()) {
      __builtin_trap();
    }
  }
  return 0;
}
