#include "graph/graph_store.h"

#include <gtest/gtest.h>
#include <rocksdb/db.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <thread>

#include "graph/ids.h"
#include "graph/key_codec.h"
#include "tests/test_util.h"

namespace kg {
namespace {

using kg::testing::TempDir;

Event MakeEvent(const std::string& src, const std::string& src_code, const std::string& rel,
                const std::string& cameo, const std::string& dst, const std::string& dst_code,
                bool negated = false) {
  Event ev;
  ev.source = {src, src, src_code};
  ev.relation = rel;
  ev.cameo = cameo;
  ev.goldstein = -2.0;
  ev.target = {dst, dst, dst_code};
  ev.negated = negated;
  ev.mentions = {{0, 0, 10, "quote of " + rel}};
  return ev;
}

DocumentMeta Meta(const std::string& id, uint64_t hash, Date date = 17078) {
  DocumentMeta m;
  m.id = id;
  m.title = "t";
  m.source = "test";
  m.date = date;
  m.content_hash = hash;
  m.sentences = 3;
  return m;
}

std::vector<EdgeEntry> AllEdges(const GraphReader& reader, EdgeScanSpec spec = {}) {
  std::vector<EdgeEntry> out;
  EXPECT_TRUE(reader
                  .ScanEdges(spec,
                             [&](const EdgeEntry& e) {
                               out.push_back(e);
                               return true;
                             })
                  .ok());
  return out;
}

int64_t PairCountOf(const GraphReader& reader, const std::string& rel, const std::string& s,
                    const std::string& t) {
  int64_t count = 0;
  EXPECT_TRUE(reader
                  .ScanPairCounts(RelationIdFor(rel),
                                  [&](const PairCount& pc) {
                                    if (pc.source == ActorIdFor(s) && pc.target == ActorIdFor(t))
                                      count = pc.count;
                                    return true;
                                  })
                  .ok());
  return count;
}

class GraphStoreTest : public ::testing::Test {
 protected:
  TempDir dir_;
  std::string path_ = dir_.Sub("db");
};

TEST_F(GraphStoreTest, PutDocumentIndexesEdgesInAllThreeOrders) {
  auto store = kg::testing::OpenTestStore(path_);
  std::vector<Event> events = {
      MakeEvent("John Kerry", "USAGOV", "criticize", "111", "Russia", "RUS"),
      MakeEvent("Russia", "RUS", "blame", "112", "United States", "USA")};
  auto outcome = store->PutDocument(Meta("d1", 1), events, {});
  ASSERT_TRUE(outcome.ok()) << outcome.status().ToString();
  EXPECT_EQ(outcome->action, IngestAction::kAdded);
  EXPECT_EQ(outcome->events_written, 2u);

  auto reader = store->NewReader();
  EdgeScanSpec by_source;
  by_source.source = ActorIdFor("John Kerry");
  auto out = AllEdges(*reader, by_source);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].target, ActorIdFor("Russia"));
  EXPECT_EQ(out[0].cameo, "111");
  EXPECT_EQ(ChooseEdgeIndex(by_source), EdgeIndex::kBySource);

  EdgeScanSpec by_target;
  by_target.target = ActorIdFor("Russia");
  EXPECT_EQ(AllEdges(*reader, by_target).size(), 1u);
  EXPECT_EQ(ChooseEdgeIndex(by_target), EdgeIndex::kByTarget);

  EdgeScanSpec by_rel;
  by_rel.relation = RelationIdFor("blame");
  auto blamed = AllEdges(*reader, by_rel);
  ASSERT_EQ(blamed.size(), 1u);
  EXPECT_EQ(blamed[0].target, ActorIdFor("United States"));

  auto ev = reader->GetEvent(out[0].event);
  ASSERT_TRUE(ev.ok());
  ASSERT_TRUE(ev->has_value());
  EXPECT_EQ((*ev)->event.relation, "criticize");
  EXPECT_EQ((*ev)->doc_id, "d1");
  EXPECT_EQ((*ev)->event.mentions[0].quote, "quote of criticize");

  auto stats = reader->Stats();
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(stats->documents, 1);
  EXPECT_EQ(stats->events, 2);
  EXPECT_EQ(stats->actors, 3);
  EXPECT_EQ(stats->relations, 2);
  EXPECT_EQ(PairCountOf(*reader, "criticize", "John Kerry", "Russia"), 1);
}

TEST_F(GraphStoreTest, ReingestSameContentChangesNothing) {
  auto store = kg::testing::OpenTestStore(path_);
  std::vector<Event> events = {MakeEvent("A", "AAA", "accuse", "112", "B", "BBB")};
  ASSERT_TRUE(store->PutDocument(Meta("d1", 7), events, {}).ok());
  auto again = store->PutDocument(Meta("d1", 7), events, {});
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->action, IngestAction::kUnchanged);
  auto reader = store->NewReader();
  EXPECT_EQ(AllEdges(*reader).size(), 1u);
  EXPECT_EQ(reader->Stats()->events, 1);
  EXPECT_EQ(reader->Stats()->documents, 1);
  EXPECT_EQ(PairCountOf(*reader, "accuse", "A", "B"), 1);
}

TEST_F(GraphStoreTest, ChangedDocumentReplacesItsOldEvents) {
  auto store = kg::testing::OpenTestStore(path_);
  ASSERT_TRUE(store
                  ->PutDocument(Meta("d1", 1),
                                {MakeEvent("A", "AAA", "accuse", "112", "B", "BBB"),
                                 MakeEvent("A", "AAA", "praise", "051", "C", "CCC")},
                                {})
                  .ok());
  ASSERT_TRUE(
      store->PutDocument(Meta("d2", 2), {MakeEvent("A", "AAA", "accuse", "112", "B", "BBB")}, {})
          .ok());
  auto replaced =
      store->PutDocument(Meta("d1", 99), {MakeEvent("C", "CCC", "attack", "190", "B", "BBB")}, {});
  ASSERT_TRUE(replaced.ok());
  EXPECT_EQ(replaced->action, IngestAction::kReplaced);
  EXPECT_EQ(replaced->events_removed, 2u);
  auto reader = store->NewReader();
  EXPECT_EQ(AllEdges(*reader).size(), 2u);  // d2's accuse + d1's new attack.
  EXPECT_EQ(PairCountOf(*reader, "accuse", "A", "B"), 1);
  EXPECT_EQ(PairCountOf(*reader, "praise", "A", "C"), 0);
  EXPECT_EQ(PairCountOf(*reader, "attack", "C", "B"), 1);
  EXPECT_EQ(reader->Stats()->events, 2);
  EXPECT_EQ(reader->Stats()->documents, 2);
  auto degree = reader->GetDegree(ActorIdFor("A"));
  ASSERT_TRUE(degree.ok());
  EXPECT_EQ(degree->first, 1);
}

TEST_F(GraphStoreTest, DeleteDocumentRemovesEverything) {
  auto store = kg::testing::OpenTestStore(path_);
  ASSERT_TRUE(
      store->PutDocument(Meta("d1", 1), {MakeEvent("A", "AAA", "accuse", "112", "B", "BBB")}, {})
          .ok());
  ASSERT_TRUE(store->DeleteDocument("d1").ok());
  EXPECT_TRUE(store->DeleteDocument("d1").IsNotFound());
  auto reader = store->NewReader();
  EXPECT_TRUE(AllEdges(*reader).empty());
  EXPECT_EQ(reader->Stats()->events, 0);
  EXPECT_EQ(reader->Stats()->documents, 0);
  EXPECT_FALSE(reader->GetDocument("d1")->has_value());
}

TEST_F(GraphStoreTest, NegatedEventsAreStoredButNotCounted) {
  auto store = kg::testing::OpenTestStore(path_);
  ASSERT_TRUE(
      store
          ->PutDocument(Meta("d1", 1),
                        {MakeEvent("A", "AAA", "accuse", "112", "B", "BBB", /*negated=*/true)}, {})
          .ok());
  auto reader = store->NewReader();
  EXPECT_EQ(AllEdges(*reader).size(), 1u);
  EdgeScanSpec asserted;
  asserted.include_negated = false;
  EXPECT_TRUE(AllEdges(*reader, asserted).empty());
  EXPECT_EQ(PairCountOf(*reader, "accuse", "A", "B"), 0);
}

TEST_F(GraphStoreTest, DateRangeScanOnFullyBoundPrefix) {
  auto store = kg::testing::OpenTestStore(path_);
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(store
                    ->PutDocument(Meta("d" + std::to_string(i), i + 1, 100 + i * 10),
                                  {MakeEvent("A", "AAA", "accuse", "112", "B", "BBB")}, {})
                    .ok());
  }
  auto reader = store->NewReader();
  EdgeScanSpec spec;
  spec.source = ActorIdFor("A");
  spec.relation = RelationIdFor("accuse");
  spec.target = ActorIdFor("B");
  spec.date_from = 110;
  spec.date_to = 130;
  auto edges = AllEdges(*reader, spec);
  ASSERT_EQ(edges.size(), 3u);
  EXPECT_EQ(edges.front().date, 110);
  EXPECT_EQ(edges.back().date, 130);
  spec.source.reset();  // Target-first index, date filtered after the prefix.
  EXPECT_EQ(AllEdges(*reader, spec).size(), 3u);
}

TEST_F(GraphStoreTest, ReaderSnapshotDoesNotSeeLaterDocuments) {
  auto store = kg::testing::OpenTestStore(path_);
  ASSERT_TRUE(
      store->PutDocument(Meta("d1", 1), {MakeEvent("A", "AAA", "accuse", "112", "B", "BBB")}, {})
          .ok());
  auto reader = store->NewReader();
  ASSERT_TRUE(store
                  ->PutDocument(Meta("d2", 2),
                                {MakeEvent("C", "CCC", "accuse", "112", "B", "BBB"),
                                 MakeEvent("C", "CCC", "attack", "190", "A", "AAA")},
                                {})
                  .ok());
  EXPECT_EQ(AllEdges(*reader).size(), 1u);
  EXPECT_EQ(reader->Stats()->events, 1);
  EXPECT_EQ(AllEdges(*store->NewReader()).size(), 3u);
}

TEST_F(GraphStoreTest, ConcurrentReadersNeverSeeHalfADocument) {
  auto store = kg::testing::OpenTestStore(path_);
  std::atomic<bool> done{false};
  std::atomic<int> violations{0};
  std::thread reader_thread([&] {
    while (!done.load()) {
      auto reader = store->NewReader();
      // Every document holds exactly 3 events; any snapshot must see a multiple of 3.
      size_t n = AllEdges(*reader).size();
      if (n % 3 != 0) ++violations;
      auto stats = reader->Stats();
      if (stats.ok() && stats->events != static_cast<int64_t>(n)) ++violations;
    }
  });
  for (int i = 0; i < 200; ++i) {
    std::string id = "doc" + std::to_string(i % 50);
    ASSERT_TRUE(
        store
            ->PutDocument(Meta(id, i + 1),
                          {MakeEvent("A" + std::to_string(i), "AAA", "accuse", "112", "B", "BBB"),
                           MakeEvent("B", "BBB", "blame", "112", "C", "CCC"),
                           MakeEvent("C", "CCC", "attack", "190", "A", "AAA")},
                          {})
            .ok());
  }
  done = true;
  reader_thread.join();
  EXPECT_EQ(violations.load(), 0);
}

TEST_F(GraphStoreTest, ActorsMergeAliasesAndResolveByAlias) {
  auto store = kg::testing::OpenTestStore(path_);
  ActorRecord us{0, "United States", "USA", ActorType::kCountry, {"US", "U.S.", "Washington"}};
  ASSERT_TRUE(
      store
          ->PutDocument(Meta("d1", 1),
                        {MakeEvent("United States", "USA", "accuse", "112", "Russia", "RUS")}, {us})
          .ok());
  ActorRecord more{0, "United States", "USA", ActorType::kCountry, {"America"}};
  ASSERT_TRUE(store->PutDocument(Meta("d2", 2), {}, {more}).ok());
  auto reader = store->NewReader();
  for (const char* alias : {"US", "washington", "United  States", "america"}) {
    auto ids = reader->FindActorsByAlias(alias);
    ASSERT_TRUE(ids.ok());
    ASSERT_EQ(ids->size(), 1u) << alias;
    EXPECT_EQ((*ids)[0], ActorIdFor("United States"));
  }
  EXPECT_TRUE(reader->FindActorsByAlias("usa")->empty());
  auto actor = reader->GetActor(ActorIdFor("United States"));
  ASSERT_TRUE(actor.ok() && actor->has_value());
  EXPECT_EQ((*actor)->aliases.size(), 4u);
  EXPECT_EQ((*actor)->type, ActorType::kCountry);
}

TEST_F(GraphStoreTest, ReopenKeepsDataAndReadOnlyRejectsWrites) {
  {
    auto store = kg::testing::OpenTestStore(path_);
    ASSERT_TRUE(
        store->PutDocument(Meta("d1", 1), {MakeEvent("A", "AAA", "accuse", "112", "B", "BBB")}, {})
            .ok());
  }
  auto ro = kg::testing::OpenTestStore(path_, /*read_only=*/true);
  ASSERT_NE(ro, nullptr);
  EXPECT_EQ(AllEdges(*ro->NewReader()).size(), 1u);
  EXPECT_FALSE(ro->PutDocument(Meta("d2", 2), {}, {}).ok());
  auto doc = ro->NewReader()->GetDocument("d1");
  ASSERT_TRUE(doc.ok() && doc->has_value());
  EXPECT_EQ((*doc)->source, "test");
}

TEST_F(GraphStoreTest, SecondWriterGetsAClearLockError) {
  auto first = kg::testing::OpenTestStore(path_);
  StoreOptions options;
  options.path = path_;
  auto second = GraphStore::Open(options);
  ASSERT_FALSE(second.ok());
  EXPECT_NE(second.status().message().find("locked"), std::string::npos)
      << second.status().ToString();
}

TEST_F(GraphStoreTest, RejectsForeignDirectoriesAndFiles) {
  testing::WriteFile(dir_.Sub("plain_file"), "x");
  StoreOptions options;
  options.path = dir_.Sub("plain_file");
  EXPECT_FALSE(GraphStore::Open(options).ok());
  std::filesystem::create_directories(dir_.Sub("nonempty"));
  testing::WriteFile(dir_.Sub("nonempty/notes.txt"), "x");
  options.path = dir_.Sub("nonempty");
  auto s = GraphStore::Open(options);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), StatusCode::kIncompatible);
  options.path = dir_.Sub("missing");
  options.read_only = true;
  EXPECT_TRUE(GraphStore::Open(options).status().IsNotFound());
}

TEST_F(GraphStoreTest, IncompatibleFormatVersionIsRefusedClearly) {
  { kg::testing::OpenTestStore(path_); }
  {
    // Rewrite the version key as a future kg would.
    std::vector<std::string> names;
    ASSERT_TRUE(rocksdb::DB::ListColumnFamilies(rocksdb::DBOptions(), path_, &names).ok());
    std::vector<rocksdb::ColumnFamilyDescriptor> cfs;
    for (const auto& name : names) cfs.emplace_back(name, rocksdb::ColumnFamilyOptions());
    std::vector<rocksdb::ColumnFamilyHandle*> handles;
    rocksdb::DB* raw = nullptr;
    ASSERT_TRUE(rocksdb::DB::Open(rocksdb::DBOptions(), path_, cfs, &handles, &raw).ok());
    ASSERT_TRUE(
        raw->Put(rocksdb::WriteOptions(), std::string(codec::kFormatVersionKey), "999").ok());
    for (auto* h : handles) ASSERT_TRUE(raw->DestroyColumnFamilyHandle(h).ok());
    delete raw;
  }
  StoreOptions options;
  options.path = path_;
  auto reopened = GraphStore::Open(options);
  ASSERT_FALSE(reopened.ok());
  EXPECT_EQ(reopened.status().code(), StatusCode::kIncompatible);
  EXPECT_NE(reopened.status().message().find("format version 999"), std::string::npos)
      << reopened.status().message();
}

TEST_F(GraphStoreTest, UncreatableDirectoryFailsClearly) {
  // A path below a regular file cannot be created, even by root.
  testing::WriteFile(dir_.Sub("file"), "x");
  StoreOptions options;
  options.path = dir_.Sub("file/db");
  auto s = GraphStore::Open(options);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.status().message().find("file/db"), std::string::npos) << s.status().ToString();
}

TEST_F(GraphStoreTest, FullIndexScansAgreeAndCheckpointCopiesTheStore) {
  auto store = kg::testing::OpenTestStore(path_);
  ASSERT_TRUE(store
                  ->PutDocument(Meta("d1", 1),
                                {MakeEvent("A", "AAA", "accuse", "112", "B", "BBB"),
                                 MakeEvent("B", "BBB", "attack", "190", "C", "CCC")},
                                {})
                  .ok());
  auto reader = store->NewReader();
  for (EdgeIndex index : {EdgeIndex::kBySource, EdgeIndex::kByTarget, EdgeIndex::kByRelation}) {
    size_t n = 0;
    ASSERT_TRUE(reader->ScanIndex(index, [&](const EdgeEntry&) { return ++n, true; }).ok());
    EXPECT_EQ(n, 2u);
  }
  size_t events = 0;
  ASSERT_TRUE(reader
                  ->ScanEvents([&](const StoredEvent& e) {
                    EXPECT_EQ(e.doc_id, "d1");
                    return ++events, true;
                  })
                  .ok());
  EXPECT_EQ(events, 2u);
  std::string copy = dir_.Sub("backup");
  ASSERT_TRUE(store->Checkpoint(copy).ok());
  auto backup = kg::testing::OpenTestStore(copy, /*read_only=*/true);
  ASSERT_NE(backup, nullptr);
  EXPECT_EQ(AllEdges(*backup->NewReader()).size(), 2u);
  EXPECT_FALSE(store->Checkpoint(copy).ok()) << "an existing directory is refused";
}

}  // namespace
}  // namespace kg
