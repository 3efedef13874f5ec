#include "graph/topology.h"

#include <gtest/gtest.h>

#include "graph/graph_store.h"
#include "graph/ids.h"
#include "graph/key_codec.h"
#include "graph/store_check.h"
#include "tests/test_util.h"

namespace kg {
namespace {

using kg::testing::TempDir;

// Ids chosen so that their order is known: a < b < c, r1 < r2.
constexpr ActorId kA = 10, kB = 20, kC = 30;
constexpr RelationId kR1 = 5, kR2 = 7;

std::vector<TopologyTriple> SmallTriples() {
  return {{kA, kR1, kB, 2, 1}, {kA, kR1, kC, 1, 1}, {kA, kR2, kB, 3, 3}, {kC, kR1, kA, 1, 0}};
}

TEST(TopologyTest, NumbersActorsAndRelationsInIdOrder) {
  auto t = Topology::FromTriples(SmallTriples(), 9);
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  const Topology& topo = **t;
  EXPECT_EQ(topo.generation(), 9u);
  ASSERT_EQ(topo.num_actors(), 3u);
  EXPECT_EQ(topo.actor(0), kA);
  EXPECT_EQ(topo.actor(2), kC);
  EXPECT_EQ(*topo.IndexOf(kB), 1u);
  EXPECT_FALSE(topo.IndexOf(99).has_value());
  EXPECT_EQ(topo.num_relations(), 2u);
  EXPECT_EQ(*topo.RelationIndexOf(kR2), 1u);
  EXPECT_FALSE(topo.RelationIndexOf(6).has_value());
  EXPECT_EQ(topo.num_links(), 4u);
}

TEST(TopologyTest, LinksInBothDirectionsSortedByRelationThenActor) {
  auto t = Topology::FromTriples(SmallTriples(), 1);
  ASSERT_TRUE(t.ok());
  const Topology& topo = **t;
  auto out_a = topo.Out(0);
  ASSERT_EQ(out_a.size(), 3u);
  EXPECT_EQ(out_a[0], (TopologyLink{1, 0, 2, 1}));  // a -r1-> b
  EXPECT_EQ(out_a[1], (TopologyLink{2, 0, 1, 1}));  // a -r1-> c
  EXPECT_EQ(out_a[2], (TopologyLink{1, 1, 3, 3}));  // a -r2-> b
  auto in_b = topo.In(1);
  ASSERT_EQ(in_b.size(), 2u);
  EXPECT_EQ(in_b[0], (TopologyLink{0, 0, 2, 1}));
  EXPECT_EQ(in_b[1], (TopologyLink{0, 1, 3, 3}));
  auto in_a = topo.In(0);
  ASSERT_EQ(in_a.size(), 1u);
  EXPECT_EQ(in_a[0], (TopologyLink{2, 0, 1, 0}));  // c -r1-> a, negated only
  EXPECT_TRUE(topo.Out(1).empty());
  // Degrees count asserted events, like the store's degree counters.
  EXPECT_EQ(topo.OutDegree(0), 5);
  EXPECT_EQ(topo.InDegree(1), 4);
  EXPECT_EQ(topo.InDegree(0), 0);
  EXPECT_EQ(topo.OutDegree(2), 0);
}

TEST(TopologyTest, RejectsUnsortedOrDuplicateTriples) {
  auto unsorted = SmallTriples();
  std::swap(unsorted[0], unsorted[2]);
  EXPECT_EQ(Topology::FromTriples(unsorted, 1).status().code(), StatusCode::kInvalidArgument);
  auto duplicate = SmallTriples();
  duplicate.insert(duplicate.begin(), duplicate[0]);
  EXPECT_EQ(Topology::FromTriples(duplicate, 1).status().code(), StatusCode::kInvalidArgument);
}

TEST(TopologyTest, EmptyGraphHasNoActors) {
  auto t = Topology::FromTriples({}, 0);
  ASSERT_TRUE(t.ok());
  EXPECT_EQ((*t)->num_actors(), 0u);
  EXPECT_FALSE((*t)->IndexOf(kA).has_value());
}

TEST(TopologyCodecTest, RoundTripsAndRejectsDamage) {
  auto t = Topology::FromTriples(SmallTriples(), 42);
  ASSERT_TRUE(t.ok());
  const std::string bytes = codec::EncodeTopology((*t)->csr());
  auto decoded = codec::DecodeTopology(bytes);
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  EXPECT_EQ(*decoded, (*t)->csr());
  EXPECT_EQ(codec::DecodeTopology(bytes.substr(0, bytes.size() - 1)).status().code(),
            StatusCode::kCorruption);
  EXPECT_EQ(codec::DecodeTopology(bytes + "x").status().code(), StatusCode::kCorruption);
  EXPECT_EQ(codec::DecodeTopology("KGT0" + bytes.substr(4)).status().code(),
            StatusCode::kCorruption);
  // A link pointing past the last actor decodes but does not validate.
  TopologyCsr bad = *decoded;
  bad.out_links[0].other = 3;
  EXPECT_EQ(Topology::FromCsr(bad).status().code(), StatusCode::kCorruption);

  codec::TopologyMeta meta{7, 2, 123};
  auto meta_back = codec::DecodeTopologyMeta(codec::EncodeTopologyMeta(meta));
  ASSERT_TRUE(meta_back.ok());
  EXPECT_EQ(meta_back->generation, 7u);
  EXPECT_EQ(meta_back->chunks, 2u);
  EXPECT_EQ(meta_back->bytes, 123u);
  EXPECT_LT(codec::TopologyChunkKey(1), codec::TopologyChunkKey(256));
}

Event Ev(const std::string& src, const std::string& rel, const std::string& dst,
         bool negated = false) {
  Event ev;
  ev.source = {src, src, ""};
  ev.relation = rel;
  ev.target = {dst, dst, ""};
  ev.negated = negated;
  return ev;
}

DocumentMeta Doc(const std::string& id, uint64_t hash) {
  DocumentMeta m;
  m.id = id;
  m.date = 17000;
  m.content_hash = hash;
  return m;
}

const Topology* Current(const GraphReader& reader) {
  auto t = reader.GetTopology();
  EXPECT_TRUE(t.ok()) << t.status().ToString();
  return t.ok() ? t->get() : nullptr;
}

TEST(StoreTopologyTest, CurrentOnlyUntilTheNextWrite) {
  TempDir dir;
  auto store = kg::testing::OpenTestStore(dir.Sub("db"));
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store
                  ->PutDocument(Doc("d1", 1),
                                {Ev("US", "accuse", "Russia"), Ev("US", "accuse", "Russia"),
                                 Ev("US", "accuse", "Russia", true), Ev("Russia", "deny", "US")},
                                {})
                  .ok());
  EXPECT_EQ(Current(*store->NewReader()), nullptr);  // Never built.

  auto rebuilt = store->RefreshTopology();
  ASSERT_TRUE(rebuilt.ok()) << rebuilt.status().ToString();
  EXPECT_TRUE(*rebuilt);
  EXPECT_FALSE(*store->RefreshTopology());  // Already current: nothing to do.
  auto before_write = store->NewReader();
  EXPECT_EQ(before_write->LoadedTopology(), nullptr);  // Nothing read yet.
  const Topology* topo = Current(*before_write);
  ASSERT_NE(topo, nullptr);
  EXPECT_EQ(before_write->LoadedTopology().get(), topo);
  const uint32_t us = *topo->IndexOf(ActorIdFor("US"));
  const uint32_t accuse = *topo->RelationIndexOf(RelationIdFor("accuse"));
  auto out = topo->Out(us);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].relation, accuse);
  EXPECT_EQ(out[0].events, 3u);
  EXPECT_EQ(out[0].asserted, 2u);
  auto degree = before_write->GetDegree(ActorIdFor("US"));
  ASSERT_TRUE(degree.ok());
  EXPECT_EQ(topo->OutDegree(us), degree->first);

  ASSERT_TRUE(store->PutDocument(Doc("d2", 2), {Ev("China", "praise", "Russia")}, {}).ok());
  EXPECT_EQ(Current(*store->NewReader()), nullptr);  // Stale after a write...
  EXPECT_NE(Current(*before_write), nullptr);        // ...but not for an older snapshot.
  ASSERT_TRUE(store->PutDocument(Doc("d2", 2), {Ev("China", "praise", "Russia")}, {}).ok());
  ASSERT_TRUE(*store->RefreshTopology());
  auto after = store->NewReader();
  ASSERT_NE(Current(*after), nullptr);  // The reader keeps what it loaded.
  EXPECT_EQ(Current(*after)->num_actors(), 3u);
  // An unchanged document is no write: the topology stays current.
  ASSERT_TRUE(store->PutDocument(Doc("d2", 2), {Ev("China", "praise", "Russia")}, {}).ok());
  EXPECT_NE(Current(*store->NewReader()), nullptr);

  ASSERT_TRUE(store->DeleteDocument("d2").ok());
  EXPECT_EQ(Current(*store->NewReader()), nullptr);
  ASSERT_TRUE(*store->RefreshTopology());
  auto report = CheckStore(*store->NewReader(), CheckOptions());
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->clean()) << report->problems.at(0);
  EXPECT_EQ(report->topology_links, 2u);
}

TEST(StoreTopologyTest, BulkLoadMakesItStaleAndItSurvivesReopening) {
  TempDir dir;
  {
    auto store = kg::testing::OpenTestStore(dir.Sub("db"));
    ASSERT_NE(store, nullptr);
    ASSERT_TRUE(store->PutDocument(Doc("d1", 1), {Ev("US", "accuse", "Russia")}, {}).ok());
    ASSERT_TRUE(*store->RefreshTopology());
    auto writer = store->NewBulkWriter(BulkLoadOptions());
    ASSERT_TRUE(writer.ok());
    ASSERT_TRUE((*writer)->AppendEvent(Doc("t1", 0), Ev("Iran", "threaten", "Israel")).ok());
    ASSERT_TRUE((*writer)->Finish().ok());
    EXPECT_EQ(Current(*store->NewReader()), nullptr);
    ASSERT_TRUE(*store->RefreshTopology());
  }
  StoreOptions options;
  options.path = dir.Sub("db");
  options.read_only = true;
  auto store = GraphStore::Open(options);
  ASSERT_TRUE(store.ok());
  auto reader = (*store)->NewReader();
  const Topology* topo = Current(*reader);
  ASSERT_NE(topo, nullptr);
  EXPECT_EQ(topo->num_actors(), 4u);
  EXPECT_EQ(topo->num_links(), 2u);
  EXPECT_EQ((*store)->RefreshTopology().status().code(), StatusCode::kInvalidArgument);
}

TEST(StoreTopologyTest, LargeTopologySpansSeveralChunks) {
  TempDir dir;
  auto store = kg::testing::OpenTestStore(dir.Sub("db"));
  ASSERT_NE(store, nullptr);
  auto writer = store->NewBulkWriter(BulkLoadOptions());
  ASSERT_TRUE(writer.ok());
  // 300k distinct triples: 4.8 MB of links, more than one 4 MiB chunk.
  for (int i = 0; i < 300000; ++i) {
    ASSERT_TRUE((*writer)
                    ->AppendEvent(Doc("t", 0),
                                  Ev("a" + std::to_string(i % 1000), "r", "b" + std::to_string(i)))
                    .ok());
  }
  auto stats = (*writer)->Finish();
  ASSERT_TRUE(stats.ok());
  EXPECT_TRUE(stats->topology_written);  // A fresh store: the load wrote it.
  EXPECT_FALSE(*store->RefreshTopology());
  auto reader = store->NewReader();
  const Topology* topo = Current(*reader);
  ASSERT_NE(topo, nullptr);
  EXPECT_EQ(topo->num_links(), 300000u);
  // Rebuilt from the edge index, it reads back the same.
  ASSERT_TRUE(store->PutDocument(Doc("u", 0), {Ev("a1", "r", "b1")}, {}).ok());
  ASSERT_TRUE(store->DeleteDocument("u").ok());
  ASSERT_TRUE(*store->RefreshTopology());
  auto rebuilt = store->NewReader();
  const Topology* again = Current(*rebuilt);
  ASSERT_NE(again, nullptr);
  EXPECT_EQ(again->csr().out_links, topo->csr().out_links);
  EXPECT_EQ(again->csr().out_offsets, topo->csr().out_offsets);
  EXPECT_EQ(topo->Out(*topo->IndexOf(ActorIdFor("a7"))).size(), 300u);
}

}  // namespace
}  // namespace kg
