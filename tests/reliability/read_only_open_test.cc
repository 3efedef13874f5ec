// Read-only opens beside a writer that flushes its column families one at a
// time and retires write-ahead logs: every store a read-only open returns
// holds whole documents (regression: a `kg check` beside `kg ingest` once
// found events whose document record was missing).
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
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

TEST(ReadOnlyOpenTest, OpensBesideAFlushingWriterSeeWholeDocuments) {
  TempDir dir;
  const std::string path = dir.Sub("kg.db");
  auto writer = kg::testing::OpenTestStore(path);
  ASSERT_NE(writer, nullptr);

  // The writer replaces 400 documents over and over (the store stays small,
  // so opens and checks stay fast) and flushes every ten documents, then
  // pauses for a few read-only opens' time (measured first: sanitizer builds
  // open ten times slower) so that some opens fit between two flushes.
  // Without the open's guard the first or second open after a flush saw a
  // document in some column families and not in others.
  auto put = [&](int d) {
    DocumentMeta meta;
    meta.id = "doc-" + std::to_string(d % 400);
    meta.date = 17000 + d % 300;
    meta.content_hash = 1000 + static_cast<uint64_t>(d);
    auto outcome = writer->PutDocument(meta, EventsOf(d), {});
    return outcome.ok() && d % 10 == 0 ? writer->Flush() : outcome.status();
  };
  for (int d = 1; d <= 400; ++d) ASSERT_TRUE(put(d).ok());
  ASSERT_TRUE(writer->Flush().ok());
  const int64_t open_start = testing::NowMs();
  ASSERT_NE(kg::testing::OpenTestStore(path, /*read_only=*/true), nullptr);
  const auto pause =
      std::chrono::milliseconds(std::clamp<int64_t>(4 * (testing::NowMs() - open_start), 20, 1000));

  std::atomic<bool> stop = false;
  std::atomic<bool> write_failed = false;
  std::atomic<int> written = 0;
  Status write_status;  // Read after the join.
  std::thread write_thread([&] {
    for (int d = 401; !stop; ++d) {
      write_status = put(d);
      if (!write_status.ok()) {
        write_failed = true;
        return;
      }
      written.fetch_add(1);
      if (d % 10 == 0) std::this_thread::sleep_for(pause);
    }
  });

  int opens = 0, failed_opens = 0;
  std::string first_problem;
  const int64_t until = testing::NowMs() + 30000;
  // At least 25 opens spread over at least 20 flushes.
  while ((opens < 25 || written < 200) && first_problem.empty() && !write_failed &&
         testing::NowMs() < until) {
    StoreOptions options;
    options.path = path;
    options.read_only = true;
    auto store = GraphStore::Open(options);
    if (!store.ok()) {
      ++failed_opens;
      continue;
    }
    ++opens;
    auto report = CheckStore(*(*store)->NewReader());
    if (!report.ok()) {
      first_problem = report.status().ToString();
    } else if (!report->clean()) {
      first_problem = report->problems.front();
    }
  }
  stop = true;
  write_thread.join();
  EXPECT_EQ(first_problem, "") << "after " << opens << " consistent opens";
  EXPECT_TRUE(write_status.ok()) << write_status.ToString();
  std::printf("%d read-only opens checked clean, %d failed, %d documents written, %lld ms pauses\n",
              opens, failed_opens, written.load(), static_cast<long long>(pause.count()));
  EXPECT_GE(opens, 10);
}

}  // namespace
}  // namespace kg
