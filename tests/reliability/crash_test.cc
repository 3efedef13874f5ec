// Crash test: `kg ingest` is started again and again on one corpus and killed
// with SIGKILL at random moments; after every kill the store must pass
// CheckStore, and once an ingest finally runs to completion the store must
// have exactly the content (DumpStore) of a store built without interruption.
//
// Environment (defaults give the short CI run; see tests/reliability/README.md):
//   KG_CRASH_KILLS     kills per test (default 20)
//   KG_CRASH_ARTICLES  synthetic corpus size (default 2000)
//   KG_CRASH_CORPUS    use this JSON Lines file instead of a synthetic corpus
//   KG_CRASH_SEED      seed of the kill schedule (default: random, printed)
#include <gtest/gtest.h>
#include <signal.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <random>
#include <thread>

#include "graph/graph_store.h"
#include "tests/reliability/reliability_util.h"
#include "tests/test_util.h"

namespace kg {
namespace {

using kg::testing::ChildProcess;
using kg::testing::KgArgs;
using kg::testing::TempDir;

size_t EnvSize(const char* name, size_t fallback) {
  const char* v = std::getenv(name);
  return v != nullptr && *v != '\0' ? static_cast<size_t>(std::strtoull(v, nullptr, 10)) : fallback;
}

// The first line where two dumps differ, for the failure message.
std::string FirstDifference(const std::string& a, const std::string& b) {
  size_t line = 1, start = 0;
  const size_t n = std::min(a.size(), b.size());
  for (size_t i = 0; i < n; ++i) {
    if (a[i] != b[i]) {
      auto line_of = [&](const std::string& s) {
        return s.substr(start, s.find('\n', start) - start);
      };
      return "line " + std::to_string(line) + ":\n  reference: " + line_of(a) +
             "\n  resumed:   " + line_of(b);
    }
    if (a[i] == '\n') {
      ++line;
      start = i + 1;
    }
  }
  return a.size() == b.size()
             ? "none"
             : "one dump is a prefix of the other (line " + std::to_string(line) + ")";
}

bool KgSupports(const std::string& flag) {
  auto r = testing::RunCommand(testing::ShellQuote(testing::KgBinary()) + " ingest --help");
  return r.out.find(flag) != std::string::npos;
}

class CrashTest : public ::testing::Test {
 protected:
  void SetUp() override {
    corpus_ = std::getenv("KG_CRASH_CORPUS") ? std::getenv("KG_CRASH_CORPUS") : "";
    if (corpus_.empty()) {
      corpus_ = dir_.Sub("corpus.jsonl");
      testing::WriteSyntheticCorpus(corpus_, EnvSize("KG_CRASH_ARTICLES", 2000), 42);
    }
    kills_ = EnvSize("KG_CRASH_KILLS", 20);
    seed_ = static_cast<uint32_t>(EnvSize("KG_CRASH_SEED", std::random_device{}()));
    std::printf("crash test: corpus %s, %zu kills, KG_CRASH_SEED=%u\n", corpus_.c_str(), kills_,
                seed_);
  }

  // Runs `kg ingest` to completion; returns its wall time in ms.
  int64_t IngestFully(const std::string& db, const std::vector<std::string>& extra,
                      const std::string& corpus = "") {
    std::vector<std::string> args = {"-q", "ingest", corpus.empty() ? corpus_ : corpus};
    args.insert(args.end(), extra.begin(), extra.end());
    const int64_t start = testing::NowMs();
    ChildProcess child(KgArgs(db, args), dir_.Sub("out.txt"), dir_.Sub("err.txt"));
    const int code = child.Wait();
    EXPECT_TRUE(code == 0 || code == 3)
        << "exit " << code << ": " << testing::ReadFile(dir_.Sub("err.txt"));
    return testing::NowMs() - start;
  }

  // Kills ingests of `db` with SIGKILL until kills_ kills have hit a running
  // ingest, checking the store after each one. Kills come in cycles of up
  // to 20 on a fresh store (made by `prepare`): kill j of a cycle comes at a
  // random moment of the j-th of 20 equal slices of an uninterrupted run
  // (full_ms), so the kills spread over the whole corpus (every run re-reads
  // it from the start and skips what is stored). A cycle ends when an ingest
  // finishes before its kill or after 20 kills; the store is then resumed to
  // completion and must have the content `reference_dump`.
  void KillCheckResume(const std::string& db, const std::vector<std::string>& extra,
                       int64_t full_ms, const std::function<void()>& prepare,
                       const std::string& reference_dump) {
    constexpr size_t kPerCycle = 20;
    std::mt19937 rng(seed_);
    const int64_t slice = std::max<int64_t>(1, full_ms / static_cast<int64_t>(kPerCycle));
    size_t killed = 0, attempts = 0, cycles = 0;
    while (killed < kills_ && attempts < 3 * kills_) {
      std::filesystem::remove_all(db);
      prepare();
      ++cycles;
      for (size_t j = 0; j < kPerCycle && killed < kills_; ++j) {
        ++attempts;
        std::vector<std::string> args = {"-q", "ingest", corpus_};
        // Vary the worker count: batches then commit in different rhythms.
        if (rng() % 2) args.insert(args.end(), {"-j", "2"});
        args.insert(args.end(), extra.begin(), extra.end());
        const int64_t delay = slice * static_cast<int64_t>(j) + static_cast<int64_t>(rng() % slice);
        ChildProcess child(KgArgs(db, args), dir_.Sub("out.txt"), dir_.Sub("err.txt"));
        ASSERT_TRUE(child.started());
        const int64_t until = testing::NowMs() + delay;
        while (testing::NowMs() < until && child.Running()) {
          std::this_thread::sleep_for(std::chrono::milliseconds(2));
        }
        const bool hit = child.Running();
        if (hit) child.Signal(SIGKILL);
        const int code = child.Wait();
        ASSERT_TRUE(code == 128 + SIGKILL || code == 0 || code == 3)
            << "cycle " << cycles << " kill " << j << ": exit " << code << ": "
            << testing::ReadFile(dir_.Sub("err.txt"));
        CheckReport report;
        const std::string problems = testing::CheckStoreAt(db, &report);
        ASSERT_EQ(problems, "") << "cycle " << cycles << " kill " << j << " at " << delay
                                << " ms (KG_CRASH_SEED=" << seed_ << ")";
        if (!hit) break;  // This run finished: the cycle is over.
        ++killed;
        std::printf("cycle %zu kill %2zu at %5lld ms: %s\n", cycles, j,
                    static_cast<long long>(delay), report.Summary().c_str());
      }
      IngestFully(db, extra);
      ASSERT_EQ(testing::CheckStoreAt(db), "");
      const std::string dump = testing::DumpStoreAt(db);
      if (dump != reference_dump) {
        testing::WriteFile(dir_.Sub("reference.dump"), reference_dump);
        testing::WriteFile(dir_.Sub("resumed.dump"), dump);
        FAIL() << "cycle " << cycles << ": content differs from the uninterrupted store, first "
               << "difference at " << FirstDifference(reference_dump, dump)
               << " (KG_CRASH_SEED=" << seed_ << ")";
      }
    }
    std::printf(
        "crash test: %zu kills during an ingest in %zu cycles (%zu runs); after every "
        "cycle the resumed store had content identical to the uninterrupted one "
        "(%zu dump bytes)\n",
        killed, cycles, attempts, reference_dump.size());
    EXPECT_EQ(killed, kills_) << "too many runs finished before their kill";
  }

  static bool CreateEmptyStore(const std::string& db) {
    StoreOptions options;
    options.path = db;
    auto store = GraphStore::Open(options);
    EXPECT_TRUE(store.ok()) << store.status().ToString();
    return store.ok();
  }

  TempDir dir_;
  std::string corpus_;
  size_t kills_ = 20;
  uint32_t seed_ = 0;
};

TEST_F(CrashTest, KilledIngestResumesToIdenticalContent) {
  const std::string reference = dir_.Sub("reference.db");
  const std::string crashed = dir_.Sub("crashed.db");
  const int64_t full_ms = IngestFully(reference, {}) * 9 / 10;
  ASSERT_EQ(testing::CheckStoreAt(reference), "");
  // A second run finds every document stored and changes nothing.
  const std::string reference_dump = testing::DumpStoreAt(reference);
  IngestFully(reference, {});
  ASSERT_EQ(testing::DumpStoreAt(reference), reference_dump)
      << "a repeated ingest changed the store";
  // Kills while the store is being created are StoreCreationSurvivesKills'.
  KillCheckResume(
      crashed, {}, full_ms, [&] { ASSERT_TRUE(CreateEmptyStore(crashed)); }, reference_dump);
}

TEST_F(CrashTest, KilledBulkIngestResumesToIdenticalContent) {
  if (!KgSupports("--bulk")) GTEST_SKIP() << "kg ingest has no --bulk";
  const std::string reference = dir_.Sub("reference.db");
  const std::string crashed = dir_.Sub("crashed.db");
  // Every other document first through PutDocument, so that bulk loads meet
  // stored documents; then bulk loads of the whole corpus killed at random
  // moments, including while their files are ingested.
  const std::string half = dir_.Sub("half.jsonl");
  {
    std::ifstream in(corpus_);
    std::ofstream out(half);
    std::string line;
    for (size_t n = 0; std::getline(in, line); ++n) {
      if (n % 2 == 0) out << line << '\n';
    }
  }
  // The reference sees the same sequence without interruption and without
  // --bulk (actor records depend on the order documents arrive in).
  IngestFully(reference, {}, half);
  IngestFully(reference, {});
  ASSERT_EQ(testing::CheckStoreAt(reference), "");
  const int64_t bulk_ms = IngestFully(dir_.Sub("timing.db"), {"--bulk"}) * 9 / 10;
  KillCheckResume(
      crashed, {"--bulk"}, bulk_ms, [&] { IngestFully(crashed, {}, half); },
      testing::DumpStoreAt(reference));
}

// A kill while `kg ingest` creates a new store (its column families are
// created one by one, then the format version is written) must leave a store
// that the next ingest opens, not one refused as "not a kg store".
TEST_F(CrashTest, StoreCreationSurvivesKills) {
  const std::string tiny = dir_.Sub("tiny.jsonl");
  testing::WriteSyntheticCorpus(tiny, 5, 1);
  // How long until a fresh store exists with its format version.
  int64_t created_ms = 0;
  {
    const std::string db = dir_.Sub("timing.db");
    const int64_t start = testing::NowMs();
    ChildProcess child(KgArgs(db, {"-q", "ingest", tiny}), dir_.Sub("out.txt"),
                       dir_.Sub("err.txt"));
    ASSERT_EQ(child.Wait(), 0) << testing::ReadFile(dir_.Sub("err.txt"));
    created_ms = testing::NowMs() - start;
  }
  std::mt19937 rng(seed_);
  int opened_later = 0;
  for (size_t k = 0; k < kills_; ++k) {
    const std::string db = dir_.Sub("fresh" + std::to_string(k) + ".db");
    ChildProcess child(KgArgs(db, {"-q", "ingest", tiny}), dir_.Sub("out.txt"),
                       dir_.Sub("err.txt"));
    const int64_t until = testing::NowMs() + static_cast<int64_t>(rng() % (created_ms + 1));
    while (testing::NowMs() < until && child.Running()) {
      std::this_thread::sleep_for(std::chrono::microseconds(200));
    }
    child.Signal(SIGKILL);
    child.Wait();
    if (!std::filesystem::exists(db)) continue;
    ++opened_later;
    auto resumed =
        testing::RunCommand(testing::ShellQuote(testing::KgBinary()) + " --db " +
                            testing::ShellQuote(db) + " -q ingest " + testing::ShellQuote(tiny));
    ASSERT_EQ(resumed.exit_code, 0)
        << "kill " << k << " (KG_CRASH_SEED=" << seed_ << "): " << resumed.err;
    ASSERT_EQ(testing::CheckStoreAt(db), "");
  }
  std::printf("store creation: %d of %zu kills left a directory that later ingests completed\n",
              opened_later, kills_);
}

}  // namespace
}  // namespace kg
