// Reliability of a running `kg ingest`: Ctrl-C stops cleanly and the ingest
// resumes without duplicates, readers in other processes only ever see whole
// documents, `kg backup` copies a store that is being written, and a full
// disk ends the ingest with one clear error and an intact store.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/mount.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <thread>

#include "tests/reliability/reliability_util.h"
#include "tests/test_util.h"

namespace kg {
namespace {

using kg::testing::ChildProcess;
using kg::testing::KgArgs;
using kg::testing::ReadFile;
using kg::testing::TempDir;

namespace fs = std::filesystem;

class IngestReliabilityTest : public ::testing::Test {
 protected:
  // A corpus that takes a few seconds to ingest, even in a Release build.
  std::string BigCorpus(size_t articles = 12000) {
    std::string path = dir_.Sub("big.jsonl");
    if (!fs::exists(path)) testing::WriteSyntheticCorpus(path, articles, 7);
    return path;
  }
  // Waits until the store has at least one document visible to a read-only
  // opener (or the child exits); returns false on timeout.
  bool WaitForDocuments(ChildProcess& child, const std::string& db, int64_t timeout_ms = 60000) {
    const int64_t until = testing::NowMs() + timeout_ms;
    while (testing::NowMs() < until && child.Running()) {
      StoreOptions options;
      options.path = db;
      options.read_only = true;
      auto store = GraphStore::Open(options);
      if (store.ok()) {
        auto stats = (*store)->NewReader()->Stats();
        if (stats.ok() && stats->documents > 0) return true;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return false;
  }

  TempDir dir_;
  std::string db_ = dir_.Sub("kg.db");
  std::string out_ = dir_.Sub("out.txt");
  std::string err_ = dir_.Sub("err.txt");
};

TEST_F(IngestReliabilityTest, CtrlCStopsAfterTheBatchAndIngestResumesWithoutDuplicates) {
  const std::string corpus = BigCorpus();
  {
    ChildProcess child(KgArgs(db_, {"ingest", corpus}), out_, err_);
    ASSERT_TRUE(WaitForDocuments(child, db_)) << ReadFile(err_);
    child.Signal(SIGINT);
    EXPECT_EQ(child.Wait(), 1) << ReadFile(err_);
  }
  const std::string err = ReadFile(err_);
  EXPECT_NE(err.find("kg ingest: interrupted; stopped after the last complete batch"),
            std::string::npos)
      << err;
  CheckReport report;
  ASSERT_EQ(testing::CheckStoreAt(db_, &report), "");
  ASSERT_GT(report.documents, 0u);
  ASSERT_LT(report.documents, 12000u) << "the ingest should have been stopped early";

  // Resume: what is stored is skipped, the rest added, nothing twice.
  auto resumed =
      testing::RunCommand(testing::ShellQuote(testing::KgBinary()) + " --db " +
                          testing::ShellQuote(db_) + " -q ingest " + testing::ShellQuote(corpus));
  ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
  const std::string expected = std::to_string(12000 - report.documents) + " new, 0 replaced, " +
                               std::to_string(report.documents) + " unchanged";
  EXPECT_NE(resumed.err.find(expected), std::string::npos) << expected << " in " << resumed.err;
  CheckReport final_report;
  ASSERT_EQ(testing::CheckStoreAt(db_, &final_report), "");
  EXPECT_EQ(final_report.documents, 12000u);
}

TEST_F(IngestReliabilityTest, ReadersInOtherProcessesSeeOnlyWholeDocuments) {
  // Large enough that the ingest outlasts several full checks of the growing
  // store even on a loaded machine (12,000 articles gave 2 snapshots once,
  // 24,000 gave 4-7; each read-only open replays the writer's logs and is
  // retried while the writer flushes).
  const std::string corpus = BigCorpus(36000);
  ChildProcess child(KgArgs(db_, {"-q", "ingest", corpus}), out_, err_);
  ASSERT_TRUE(WaitForDocuments(child, db_)) << ReadFile(err_);
  int snapshots = 0, failed_opens = 0, cli_runs = 0;
  int64_t last_documents = 0;
  while (child.Running()) {
    StoreOptions options;
    options.path = db_;
    options.read_only = true;
    auto store = GraphStore::Open(options);
    if (!store.ok()) {
      // A read-only open can race with the writer deleting obsolete files;
      // failing to open is allowed, seeing a partial document is not.
      ++failed_opens;
      continue;
    }
    auto reader = (*store)->NewReader();
    auto report = CheckStore(*reader);
    ASSERT_TRUE(report.ok()) << report.status().ToString();
    ASSERT_TRUE(report->clean()) << "snapshot " << snapshots << ": " << report->problems.front();
    // Every document the snapshot sees has all its events: the per-document
    // scans add up to the store total.
    int64_t sum = 0;
    Status s = reader->ScanDocuments([&](const DocumentMeta& meta) {
      EXPECT_TRUE(reader
                      ->ScanDocumentEvents(meta.id,
                                           [&](const StoredEvent&) {
                                             ++sum;
                                             return true;
                                           })
                      .ok());
      return true;
    });
    ASSERT_TRUE(s.ok()) << s.ToString();
    auto stats = reader->Stats();
    ASSERT_TRUE(stats.ok());
    EXPECT_EQ(sum, stats->events);
    EXPECT_GE(stats->documents, last_documents) << "snapshots go forward";
    last_documents = stats->documents;
    ++snapshots;
    if (snapshots % 4 == 0) {
      // The CLI readers too: kg check and kg stats beside the writer.
      auto check = testing::RunCommand(testing::ShellQuote(testing::KgBinary()) + " --db " +
                                       testing::ShellQuote(db_) + " check");
      auto stats_cli = testing::RunCommand(testing::ShellQuote(testing::KgBinary()) + " --db " +
                                           testing::ShellQuote(db_) + " stats --json");
      if (check.exit_code == 0) ++cli_runs;
      // Failing to open is allowed; finding a problem is not.
      EXPECT_TRUE(check.exit_code == 0 ||
                  (check.out.empty() && check.err.find("kg check: error:") != std::string::npos))
          << check.out << check.err;
      EXPECT_TRUE(stats_cli.exit_code == 0 || stats_cli.err.find("error") != std::string::npos);
    }
  }
  EXPECT_EQ(child.Wait(), 0) << ReadFile(err_);
  std::printf(
      "%d consistent snapshots, %d failed opens, %d kg check runs passed, last saw %lld "
      "documents\n",
      snapshots, failed_opens, cli_runs, static_cast<long long>(last_documents));
  EXPECT_GE(snapshots, 3);
}

TEST_F(IngestReliabilityTest, BackupDuringIngestOpensAndPassesCheck) {
  const std::string corpus = BigCorpus();
  const std::string backup = dir_.Sub("backup.db");
  ChildProcess child(KgArgs(db_, {"-q", "ingest", corpus}), out_, err_);
  ASSERT_TRUE(WaitForDocuments(child, db_)) << ReadFile(err_);
  auto r = testing::RunCommand(testing::ShellQuote(testing::KgBinary()) + " --db " +
                               testing::ShellQuote(db_) + " backup " + testing::ShellQuote(backup));
  const bool was_running = child.Running();
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("checked)"), std::string::npos) << r.err;
  EXPECT_EQ(child.Wait(), 0) << ReadFile(err_);
  EXPECT_TRUE(was_running) << "the backup should overlap the ingest; make the corpus larger";
  auto check = testing::RunCommand(testing::ShellQuote(testing::KgBinary()) + " --db " +
                                   testing::ShellQuote(backup) + " check");
  EXPECT_EQ(check.exit_code, 0) << check.out << check.err;
  // The copy is a store of its own: it can be written, and resuming into it
  // gives the full corpus.
  auto resumed = testing::RunCommand(testing::ShellQuote(testing::KgBinary()) + " --db " +
                                     testing::ShellQuote(backup) + " -q ingest " +
                                     testing::ShellQuote(corpus));
  EXPECT_EQ(resumed.exit_code, 0) << resumed.err;
  EXPECT_EQ(testing::DumpStoreAt(backup), testing::DumpStoreAt(db_));
  // An existing target is refused.
  auto again =
      testing::RunCommand(testing::ShellQuote(testing::KgBinary()) + " --db " +
                          testing::ShellQuote(db_) + " backup " + testing::ShellQuote(backup));
  EXPECT_EQ(again.exit_code, 1);
  EXPECT_NE(again.err.find("already exists"), std::string::npos) << again.err;
}

TEST_F(IngestReliabilityTest, FullDiskEndsIngestWithOneClearErrorAndAnIntactStore) {
  const std::string mount_point = dir_.Sub("small");
  fs::create_directories(mount_point);
  if (mount("tmpfs", mount_point.c_str(), "tmpfs", 0, "size=6m") != 0) {
    GTEST_SKIP() << "cannot mount a small tmpfs here (needs root): " << std::strerror(errno);
  }
  struct Unmount {
    std::string path;
    ~Unmount() { umount2(path.c_str(), MNT_DETACH); }
  } unmount{mount_point};
  const std::string corpus = BigCorpus();
  const std::string db = mount_point + "/kg.db";
  auto r =
      testing::RunCommand(testing::ShellQuote(testing::KgBinary()) + " --db " +
                          testing::ShellQuote(db) + " -q ingest " + testing::ShellQuote(corpus));
  EXPECT_EQ(r.exit_code, 1) << r.err;
  // One line, naming the cause.
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  EXPECT_EQ(r.err.rfind("kg ingest: error: ", 0), 0u) << r.err;
  EXPECT_NE(r.err.find("No space left on device"), std::string::npos) << r.err;
  // The store as left on the full disk, copied where there is room, opens and
  // passes the checks; an ingest into the copy completes it.
  const std::string copy = dir_.Sub("copy.db");
  fs::copy(db, copy, fs::copy_options::recursive);
  CheckReport report;
  EXPECT_EQ(testing::CheckStoreAt(copy, &report), "");
  std::printf("full disk: the store kept %llu documents\n",
              static_cast<unsigned long long>(report.documents));
  auto resumed =
      testing::RunCommand(testing::ShellQuote(testing::KgBinary()) + " --db " +
                          testing::ShellQuote(copy) + " -q ingest " + testing::ShellQuote(corpus));
  EXPECT_EQ(resumed.exit_code, 0) << resumed.err;
  EXPECT_EQ(testing::CheckStoreAt(copy), "");
  // On the full disk itself, a read-only check works too.
  auto check = testing::RunCommand(testing::ShellQuote(testing::KgBinary()) + " --db " +
                                   testing::ShellQuote(db) + " check");
  EXPECT_EQ(check.exit_code, 0) << check.out << check.err;
}

}  // namespace
}  // namespace kg
