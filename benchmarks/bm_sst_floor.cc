// Baseline for the bulk loader: RocksDB's SstFileWriter alone, with the
// loader's table settings (block-based, format 5, 16 KiB blocks,
// uncompressed), writing keys in order. A bulk load cannot be faster than
// writing its entries this way; benchmarks/run_import.sh runs this in the
// same script as each import and reports import time / (entries x this
// cost over the loader's two threads), a ratio that the shared machine's
// drifting speed affects far less than the import time alone.
//
// Arg: value bytes. 40-byte keys (an edge index key) and 19-byte values (an
// edge value) are the common entry; 100-byte values are about one stored
// event, 330-byte ones a run of a document's three; /19 and /330 together
// give the cost per entry and per byte that run_import.sh uses.
#include <benchmark/benchmark.h>
#include <rocksdb/options.h>
#include <rocksdb/sst_file_writer.h>
#include <rocksdb/table.h>
#include <unistd.h>

#include <cstdint>
#include <cstring>
#include <filesystem>
#include <string>

namespace {

void BM_SstFileWriterFloor(benchmark::State& state) {
  constexpr size_t kEntries = 1'000'000;
  constexpr size_t kKeyBytes = 40;
  const std::string value(static_cast<size_t>(state.range(0)), 'v');
  rocksdb::Options options;
  options.compression = rocksdb::kNoCompression;
  rocksdb::BlockBasedTableOptions table;
  table.format_version = 5;
  table.block_size = 16 * 1024;
  options.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
  const std::string path = (std::filesystem::temp_directory_path() /
                            ("kg_bm_sst_floor_" + std::to_string(::getpid()) + ".sst"))
                               .string();
  char key[kKeyBytes] = {};
  for (auto _ : state) {
    rocksdb::SstFileWriter writer(rocksdb::EnvOptions(), options);
    if (!writer.Open(path).ok()) {
      state.SkipWithError("cannot create the SST file");
      break;
    }
    for (uint64_t i = 0; i < kEntries; ++i) {
      // Big-endian counters at the front and the back: increasing keys that
      // share a prefix with their predecessor, like an edge index's.
      const uint64_t lead = __builtin_bswap64(i / 8), tail = __builtin_bswap64(i);
      std::memcpy(key, &lead, sizeof lead);
      std::memcpy(key + kKeyBytes - sizeof tail, &tail, sizeof tail);
      if (!writer.Put(rocksdb::Slice(key, kKeyBytes), value).ok()) {
        state.SkipWithError("SstFileWriter::Put failed");
        break;
      }
    }
    rocksdb::ExternalSstFileInfo info;
    if (!writer.Finish(&info).ok()) state.SkipWithError("SstFileWriter::Finish failed");
  }
  std::filesystem::remove(path);
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * kEntries));
}
BENCHMARK(BM_SstFileWriterFloor)->Arg(19)->Arg(100)->Arg(330)->Unit(benchmark::kMillisecond);

}  // namespace
