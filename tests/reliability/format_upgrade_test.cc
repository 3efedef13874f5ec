// GraphStore::UpgradeFormat and `kg optimize --upgrade`: a store written in
// format version 2 (one events entry per event) is refused by Open with the
// remedy named, and converted in place to the current format (one run per
// document) with every record unchanged; an interrupted upgrade is finished
// by a rerun, and a damaged event stops it without changing the version.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "graph/graph_store.h"
#include "graph/ids.h"
#include "graph/key_codec.h"
#include "tests/reliability/reliability_util.h"
#include "tests/test_util.h"

namespace kg {
namespace {

using kg::testing::RawStore;
using kg::testing::TempDir;

// Writes `docs` documents with 0-4 events each; returns the events written.
size_t WriteDocs(const std::string& path, int docs) {
  auto store = kg::testing::OpenTestStore(path);
  if (!store) return 0;
  const char* actors[] = {"USA", "Russia", "Syria", "John Kerry"};
  size_t written = 0;
  for (int d = 0; d < docs; ++d) {
    DocumentMeta meta;
    meta.id = "doc-" + std::to_string(d);
    meta.date = 17000 + d;
    meta.content_hash = 1000 + static_cast<uint64_t>(d);
    std::vector<Event> events;
    for (int e = 0; e < d % 5; ++e) {
      Event ev;
      ev.source = {actors[e % 4], actors[e % 4], ""};
      const char* target = actors[(e % 4 + 1 + d % 3) % 4];  // Never the source.
      ev.target = {target, target, ""};
      ev.relation = e % 2 ? "accuse" : "criticize";
      ev.negated = e == 3;
      ev.mentions = {{static_cast<uint32_t>(e), 0, 5, "quote"}};
      events.push_back(ev);
    }
    auto outcome = store->PutDocument(meta, events, {});
    EXPECT_TRUE(outcome.ok()) << outcome.status().ToString();
    written += events.size();
  }
  return written;
}

// Rewrites the store's events in format version 2, one entry per event,
// except the first `keep_runs` runs (an upgrade interrupted after them).
void DowngradeToVersion2(const std::string& path, size_t keep_runs = 0) {
  RawStore raw(path);
  size_t seen = 0;
  for (const auto& [key, run] : raw.Entries(codec::kEventsCf)) {
    if (seen++ < keep_runs) continue;
    raw.Delete(codec::kEventsCf, key);
    auto split = codec::DecodeEventRun(key, run, [&](StoredEvent&& e) {
      raw.Put(codec::kEventsCf, codec::EventKeyBytes(e.key), codec::EncodeStoredEvent(e));
      return true;
    });
    ASSERT_TRUE(split.ok()) << split.status().ToString();
  }
  raw.Put(rocksdb::kDefaultColumnFamilyName, std::string(codec::kFormatVersionKey), "2");
}

size_t EventEntries(const std::string& path) {
  RawStore raw(path);
  return raw.Entries(codec::kEventsCf).size();
}

StoreOptions OptionsFor(const std::string& path) {
  StoreOptions options;
  options.path = path;
  options.create_if_missing = false;
  return options;
}

TEST(FormatUpgradeTest, Version2IsRefusedThenConvertedWithEveryRecordUnchanged) {
  TempDir dir;
  const std::string path = dir.Sub("store");
  const size_t events = WriteDocs(path, 40);  // 32 documents with events, 8 without.
  const std::string before = kg::testing::DumpStoreAt(path);
  ASSERT_FALSE(before.empty());
  DowngradeToVersion2(path);
  ASSERT_EQ(EventEntries(path), events);

  auto refused = GraphStore::Open(OptionsFor(path));
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), StatusCode::kIncompatible);
  EXPECT_NE(refused.status().message().find("format version 2"), std::string::npos);
  EXPECT_NE(refused.status().message().find("kg optimize --upgrade"), std::string::npos);
  StoreOptions read_only = OptionsFor(path);
  read_only.read_only = true;
  auto refused_reader = GraphStore::Open(read_only);
  ASSERT_FALSE(refused_reader.ok());
  EXPECT_EQ(refused_reader.status().message(), refused.status().message());
  auto not_by_reader = GraphStore::UpgradeFormat(read_only);
  ASSERT_FALSE(not_by_reader.ok());
  EXPECT_EQ(not_by_reader.status().code(), StatusCode::kInvalidArgument);

  auto upgraded = GraphStore::UpgradeFormat(OptionsFor(path));
  ASSERT_TRUE(upgraded.ok()) << upgraded.status().ToString();
  EXPECT_EQ(upgraded->from_version, 2);
  EXPECT_EQ(upgraded->to_version, codec::kFormatVersion);
  EXPECT_EQ(upgraded->events, events);
  EXPECT_EQ(upgraded->runs, 32u);
  EXPECT_EQ(EventEntries(path), 32u);
  EXPECT_EQ(kg::testing::DumpStoreAt(path), before);
  EXPECT_EQ(kg::testing::CheckStoreAt(path), "");

  auto again = GraphStore::UpgradeFormat(OptionsFor(path));
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(again->from_version, codec::kFormatVersion);
  EXPECT_EQ(again->events, 0u);
}

TEST(FormatUpgradeTest, InterruptedUpgradeIsFinishedByRunningItAgain) {
  TempDir dir;
  const std::string path = dir.Sub("store");
  const size_t events = WriteDocs(path, 30);
  const std::string before = kg::testing::DumpStoreAt(path);
  DowngradeToVersion2(path, /*keep_runs=*/7);
  ASSERT_GT(EventEntries(path), 7u);

  const auto result = kg::testing::RunCommand(
      kg::testing::KgBinary() + " --db " + kg::testing::ShellQuote(path) + " optimize --upgrade");
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(
      result.err.find("upgraded format version 2 -> " + std::to_string(codec::kFormatVersion)),
      std::string::npos)
      << result.err;
  EXPECT_EQ(result.err.find(" " + std::to_string(events) + " events"), std::string::npos)
      << "the runs kept were converted again: " << result.err;
  EXPECT_EQ(kg::testing::DumpStoreAt(path), before);
  EXPECT_EQ(kg::testing::CheckStoreAt(path), "");

  const auto current = kg::testing::RunCommand(
      kg::testing::KgBinary() + " --db " + kg::testing::ShellQuote(path) + " optimize --upgrade");
  EXPECT_EQ(current.exit_code, 0) << current.err;
  EXPECT_NE(current.err.find("is current"), std::string::npos) << current.err;
}

TEST(FormatUpgradeTest, DamagedEventStopsTheUpgradeAndKeepsVersion2) {
  TempDir dir;
  const std::string path = dir.Sub("store");
  WriteDocs(path, 10);
  DowngradeToVersion2(path);
  {
    RawStore raw(path);
    raw.Put(codec::kEventsCf, codec::EventKeyBytes(EventKey{DocKeyFor("doc-7"), 1}), "garbage");
  }
  auto upgraded = GraphStore::UpgradeFormat(OptionsFor(path));
  ASSERT_FALSE(upgraded.ok());
  EXPECT_EQ(upgraded.status().code(), StatusCode::kCorruption);
  EXPECT_NE(upgraded.status().message().find("event #1"), std::string::npos)
      << upgraded.status().ToString();
  auto refused = GraphStore::Open(OptionsFor(path));
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("format version 2"), std::string::npos);
}

TEST(FormatUpgradeTest, OtherVersionsAndMissingStoresAreRefused) {
  TempDir dir;
  const std::string path = dir.Sub("store");
  WriteDocs(path, 3);
  {
    RawStore raw(path);
    raw.Put(rocksdb::kDefaultColumnFamilyName, std::string(codec::kFormatVersionKey), "1");
  }
  auto old = GraphStore::UpgradeFormat(OptionsFor(path));
  ASSERT_FALSE(old.ok());
  EXPECT_EQ(old.status().code(), StatusCode::kIncompatible);
  EXPECT_NE(old.status().message().find("re-ingest"), std::string::npos);

  auto missing = GraphStore::UpgradeFormat(OptionsFor(dir.Sub("none")));
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace kg
