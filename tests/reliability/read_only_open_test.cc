// Read-only opens and backups beside a writer that flushes its column
// families one at a time and retires write-ahead logs: every store a
// read-only open returns, and every copy a backup through it writes, holds
// whole documents (regression: a `kg check` beside `kg ingest` once found
// events whose document record was missing).
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <thread>

#include "graph/graph_store.h"
#include "graph/store_check.h"
#include "tests/reliability/reliability_util.h"
#include "tests/test_util.h"

namespace kg {
namespace {

using kg::testing::TempDir;

std::vector<Event> EventsOf(int doc) {
  const char* actors[] = {"USA", "Russia", "Syria", "John Kerry", "Iran", "Turkey"};
  std::vector<Event> events;
  for (int e = 0; e < 4; ++e) {
    Event ev;
    const char* source = actors[(doc + e) % 6];
    const char* target = actors[(doc + e + 1 + doc % 4) % 6];
    ev.source = {source, source, ""};
    ev.target = {target, target, ""};
    ev.relation = e % 2 ? "accuse" : "criticize";
    ev.mentions = {{static_cast<uint32_t>(e), 0, 40,
                    std::string(source) + " said something about " + target + " in document " +
                        std::to_string(doc)}};
    events.push_back(ev);
  }
  return events;
}

StoreOptions ReadOnly(const std::string& path) {
  StoreOptions options;
  options.path = path;
  options.read_only = true;
  return options;
}

// A writer in this process that replaces 400 documents over and over (the
// store stays small, so opens and checks stay fast) and flushes every ten
// documents, then pauses for a few read-only opens' time (measured first:
// sanitizer builds open ten times slower) so that some opens fit between two
// flushes.
class FlushingWriterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    writer_ = kg::testing::OpenTestStore(path_);
    ASSERT_NE(writer_, nullptr);
    for (int d = 1; d <= 400; ++d) ASSERT_TRUE(Put(d).ok());
    ASSERT_TRUE(writer_->Flush().ok());
    const int64_t open_start = testing::NowMs();
    ASSERT_NE(kg::testing::OpenTestStore(path_, /*read_only=*/true), nullptr);
    pause_ = std::chrono::milliseconds(
        std::clamp<int64_t>(4 * (testing::NowMs() - open_start), 20, 1000));
    thread_ = std::thread([this] {
      for (int d = 401; !stop_; ++d) {
        write_status_ = Put(d);
        if (!write_status_.ok()) {
          write_failed_ = true;
          return;
        }
        written_.fetch_add(1);
        if (d % 10 == 0) std::this_thread::sleep_for(pause_);
      }
    });
  }
  void TearDown() override { StopWriter(); }

  void StopWriter() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
  }
  // Until `rounds` read-only rounds are done over at least 20 flushes, or a
  // problem, or 30 s.
  bool KeepGoing(int rounds_done, int rounds, const std::string& problem) const {
    return (rounds_done < rounds || written_ < 200) && problem.empty() && !write_failed_ &&
           testing::NowMs() < until_;
  }
  // The first problem CheckStore finds in `store`, or "".
  static std::string FirstProblem(const GraphStore& store) {
    auto report = CheckStore(*store.NewReader());
    if (!report.ok()) return report.status().ToString();
    return report->clean() ? "" : report->problems.front();
  }

  TempDir dir_;
  const std::string path_ = dir_.Sub("kg.db");
  std::unique_ptr<GraphStore> writer_;
  std::chrono::milliseconds pause_{20};
  std::atomic<bool> stop_ = false;
  std::atomic<bool> write_failed_ = false;
  std::atomic<int> written_ = 0;
  Status write_status_;  // Read after StopWriter.
  const int64_t until_ = testing::NowMs() + 30000;

 private:
  Status Put(int d) {
    DocumentMeta meta;
    meta.id = "doc-" + std::to_string(d % 400);
    meta.date = 17000 + d % 300;
    meta.content_hash = 1000 + static_cast<uint64_t>(d);
    auto outcome = writer_->PutDocument(meta, EventsOf(d), {});
    return outcome.ok() && d % 10 == 0 ? writer_->Flush() : outcome.status();
  }

  std::thread thread_;
};

// Without the open's guard the first or second open after a flush saw a
// document in some column families and not in others.
TEST_F(FlushingWriterTest, ReadOnlyOpensSeeWholeDocuments) {
  int opens = 0, failed_opens = 0;
  std::string first_problem;
  while (KeepGoing(opens, 25, first_problem)) {
    auto store = GraphStore::Open(ReadOnly(path_));
    if (!store.ok()) {
      ++failed_opens;
      continue;
    }
    ++opens;
    first_problem = FirstProblem(**store);
  }
  StopWriter();
  EXPECT_EQ(first_problem, "") << "after " << opens << " consistent opens";
  EXPECT_TRUE(write_status_.ok()) << write_status_.ToString();
  std::printf("%d read-only opens checked clean, %d failed, %d documents written, %lld ms pauses\n",
              opens, failed_opens, written_.load(), static_cast<long long>(pause_.count()));
  EXPECT_GE(opens, 10);
}

// A backup taken through a read-only handle (kg backup beside a writer) is a
// whole store too: the copy opens and passes CheckStore.
TEST_F(FlushingWriterTest, BackupsBesideTheWriterAreWholeStores) {
  int backups = 0, failed = 0;
  std::string first_problem;
  while (KeepGoing(backups, 10, first_problem)) {
    auto store = GraphStore::Open(ReadOnly(path_));
    if (!store.ok()) {
      ++failed;
      continue;
    }
    const std::string copy = dir_.Sub("backup-" + std::to_string(backups + failed));
    if (!(*store)->Checkpoint(copy).ok()) {
      ++failed;
      continue;
    }
    ++backups;
    auto copied = GraphStore::Open(ReadOnly(copy));
    first_problem = copied.ok() ? FirstProblem(**copied) : copied.status().ToString();
  }
  StopWriter();
  EXPECT_EQ(first_problem, "") << "after " << backups << " whole backups";
  EXPECT_TRUE(write_status_.ok()) << write_status_.ToString();
  std::printf("%d backups checked clean, %d failed, %d documents written\n", backups, failed,
              written_.load());
  EXPECT_GE(backups, 5);
}

// Nobody writes a damaged store, so its MANIFEST does not change during the
// open: the error is reported from the first attempt, not after retries as a
// busy store.
TEST(ReadOnlyOpenTest, DamagedStoreReportsItsErrorAtOnce) {
  TempDir dir;
  const std::string path = dir.Sub("kg.db");
  {
    auto store = kg::testing::OpenTestStore(path);
    ASSERT_NE(store, nullptr);
    DocumentMeta meta;
    meta.id = "doc";
    ASSERT_TRUE(store->PutDocument(meta, EventsOf(1), {}).ok());
    ASSERT_TRUE(store->Flush().ok());
  }
  std::string table;
  for (const auto& entry : std::filesystem::directory_iterator(path)) {
    if (entry.path().extension() == ".sst") table = entry.path().string();
  }
  ASSERT_NE(table, "");
  std::filesystem::remove(table);
  auto store = GraphStore::Open(ReadOnly(path));
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), StatusCode::kCorruption) << store.status().ToString();
  EXPECT_NE(store.status().message().find(std::filesystem::path(table).stem().string()),
            std::string::npos)
      << store.status().ToString();
  EXPECT_EQ(store.status().message().find("changed during"), std::string::npos)
      << store.status().ToString();
}

}  // namespace
}  // namespace kg
