// CheckStore and DumpStore: a store built through GraphStore is clean; each
// kind of damage, made with a raw RocksDB handle, is reported precisely; and
// `kg check` turns the report into exit codes.
#include "graph/store_check.h"

#include <gtest/gtest.h>

#include <span>
#include <sstream>

#include "graph/ids.h"
#include "graph/key_codec.h"
#include "tests/reliability/reliability_util.h"
#include "tests/test_util.h"

namespace kg {
namespace {

using kg::testing::RawStore;
using kg::testing::TempDir;

Event MakeEvent(const std::string& src, const std::string& rel, const std::string& dst,
                bool negated = false) {
  Event ev;
  ev.source = {src, src, "S" + src.substr(0, 2)};
  ev.relation = rel;
  ev.cameo = "111";
  ev.goldstein = -2.0;
  ev.target = {dst, dst, ""};
  ev.negated = negated;
  ev.mentions = {{0, 0, 10, src + " " + rel + " " + dst}};
  return ev;
}

DocumentMeta Meta(const std::string& id, uint64_t hash) {
  DocumentMeta m;
  m.id = id;
  m.title = "title of " + id;
  m.source = "test";
  m.date = 17078;
  m.content_hash = hash;
  m.sentences = 3;
  return m;
}

EdgeEntry EntryOf(const std::string& doc, uint32_t ordinal, const Event& ev) {
  EdgeEntry e;
  e.source = ActorIdFor(ev.source.name);
  e.relation = RelationIdFor(ev.relation);
  e.target = ActorIdFor(ev.target.name);
  e.date = 17078;
  e.event = EventKey{DocKeyFor(doc), ordinal};
  e.cameo = ev.cameo;
  e.goldstein = ev.goldstein;
  e.negated = ev.negated;
  return e;
}

class StoreCheckTest : public ::testing::Test {
 protected:
  void SetUp() override {
    StoreOptions options;
    options.path = path_;
    auto store = GraphStore::Open(options);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    auto put = [&](const std::string& id, const std::vector<Event>& events) {
      auto r = (*store)->PutDocument(Meta(id, Hash64(id)), events, {});
      ASSERT_TRUE(r.ok()) << r.status().ToString();
    };
    put("d1", {events_[0], events_[1], events_[2]});
    put("d2", {events_[3]});
    put("d3", {});
    ASSERT_TRUE((*store)->Flush().ok());
  }

  // The problems CheckStore reports on the store, one per line.
  std::string Problems(CheckReport* report = nullptr) {
    return testing::CheckStoreAt(path_, report);
  }

  TempDir dir_;
  std::string path_ = dir_.Sub("db");
  std::vector<Event> events_ = {MakeEvent("Russia", "accuse", "Turkey"),
                                MakeEvent("Russia", "criticize", "Syria"),
                                MakeEvent("Iran", "accuse", "Turkey", /*negated=*/true),
                                MakeEvent("Russia", "accuse", "Turkey")};
};

TEST_F(StoreCheckTest, StoreBuiltThroughGraphStoreIsClean) {
  CheckReport report;
  EXPECT_EQ(Problems(&report), "");
  EXPECT_TRUE(report.clean());
  EXPECT_EQ(report.documents, 3u);
  EXPECT_EQ(report.events, 4u);
  EXPECT_EQ(report.index_entries, 12u);
  EXPECT_EQ(report.pair_counts, 2u);  // Russia-accuse-Turkey (2), Russia-criticize-Syria.
  EXPECT_EQ(report.actors, 4u);
  EXPECT_EQ(report.relations, 2u);
}

TEST_F(StoreCheckTest, ReplacedAndDeletedDocumentsStayClean) {
  {
    StoreOptions options;
    options.path = path_;
    auto store = GraphStore::Open(options);
    ASSERT_TRUE(store.ok());
    ASSERT_TRUE((*store)->PutDocument(Meta("d1", 99), {events_[3]}, {}).ok());
    ASSERT_TRUE((*store)->DeleteDocument("d2").ok());
  }
  CheckReport report;
  EXPECT_EQ(Problems(&report), "");
  EXPECT_EQ(report.events, 1u);
  EXPECT_EQ(report.documents, 2u);
}

TEST_F(StoreCheckTest, MissingIndexEntryIsNamed) {
  {
    RawStore raw(path_);
    raw.Delete(codec::kEdgesInCf,
               codec::EdgeKey(codec::EdgeOrder::kIn, EntryOf("d1", 1, events_[1])));
  }
  const std::string problems = Problems();
  EXPECT_NE(problems.find("edges_in: no entry for document 'd1' event #1 ('Russia'"),
            std::string::npos)
      << problems;
  EXPECT_EQ(std::count(problems.begin(), problems.end(), '\n'), 1) << problems;
}

TEST_F(StoreCheckTest, OrphanIndexEntryIsNamed) {
  {
    RawStore raw(path_);
    EdgeEntry orphan = EntryOf("d2", 7, events_[0]);
    raw.Put(codec::kEdgesOutCf, codec::EdgeKey(codec::EdgeOrder::kOut, orphan),
            codec::EncodeEdgeValue(orphan));
  }
  const std::string problems = Problems();
  EXPECT_NE(problems.find("edges_out: orphan entry for document 'd2' event #7"), std::string::npos)
      << problems;
  EXPECT_NE(problems.find("no such event"), std::string::npos) << problems;
}

TEST_F(StoreCheckTest, IndexValueThatDisagreesWithTheEventIsNamed) {
  {
    RawStore raw(path_);
    EdgeEntry changed = EntryOf("d1", 0, events_[0]);
    changed.goldstein = 7.0;
    changed.negated = true;
    raw.Put(codec::kEdgesRelCf, codec::EdgeKey(codec::EdgeOrder::kRel, changed),
            codec::EncodeEdgeValue(changed));
  }
  const std::string problems = Problems();
  EXPECT_NE(problems.find("edges_rel: entry for document 'd1' event #0 disagrees with the event: "
                          "goldstein 7 in the index vs -2 in the event; negated 1 in the index vs "
                          "0 in the event"),
            std::string::npos)
      << problems;
}

TEST_F(StoreCheckTest, WrongCountersAreNamed) {
  {
    RawStore raw(path_);
    raw.Put(
        codec::kCountsCf,
        codec::PairCountKey(RelationIdFor("accuse"), ActorIdFor("Russia"), ActorIdFor("Turkey")),
        codec::EncodeCounter(5));
    raw.Put(codec::kCountsCf, codec::DegreeKey(false, ActorIdFor("Syria")),
            codec::EncodeCounter(3));
    raw.Put(codec::kCountsCf, codec::StatKey("events"), codec::EncodeCounter(40));
  }
  const std::string problems = Problems();
  EXPECT_NE(problems.find("counts: pair count 'Russia' (0x"), std::string::npos) << problems;
  EXPECT_NE(problems.find("-> 'Turkey' (0x"), std::string::npos) << problems;
  EXPECT_NE(problems.find("is 5 but 2 asserted events have that pair"), std::string::npos)
      << problems;
  EXPECT_NE(problems.find("counts: in-degree of 'Syria'"), std::string::npos) << problems;
  EXPECT_NE(problems.find("is 3 but the recount is 1"), std::string::npos) << problems;
  EXPECT_NE(problems.find("counts: store total 'events' is 40 but 4 events are stored"),
            std::string::npos)
      << problems;
}

TEST_F(StoreCheckTest, MissingPairCounterIsNamed) {
  {
    RawStore raw(path_);
    raw.Delete(codec::kCountsCf, codec::PairCountKey(RelationIdFor("criticize"),
                                                     ActorIdFor("Russia"), ActorIdFor("Syria")));
  }
  const std::string problems = Problems();
  EXPECT_NE(problems.find("-> 'Syria' (0x"), std::string::npos) << problems;
  EXPECT_NE(problems.find("is missing (0) but 1 asserted events have that pair"), std::string::npos)
      << problems;
}

TEST_F(StoreCheckTest, DocumentWithoutItsRecordIsIncomplete) {
  {
    RawStore raw(path_);
    raw.Delete(codec::kDocsCf, codec::DocKeyBytes(DocKeyFor("d2")));
  }
  const std::string problems = Problems();
  EXPECT_NE(problems.find("(document id 'd2') has no docs record: the document is incomplete"),
            std::string::npos)
      << problems;
  EXPECT_NE(problems.find("store total 'documents' is 3 but 2 documents are stored"),
            std::string::npos)
      << problems;
}

TEST_F(StoreCheckTest, MissingEventBreaksOrdinalsAndOrphansItsEdges) {
  {
    // d1's run keeps event #0; its events from #2 on become a run of their own.
    RawStore raw(path_);
    const std::string key = codec::EventKeyBytes(EventKey{DocKeyFor("d1"), 0});
    std::vector<std::string> events;
    auto decoded = codec::DecodeEventRun(key, raw.Get(codec::kEventsCf, key), [&](StoredEvent&& e) {
      events.push_back(codec::EncodeStoredEvent(e));
      return true;
    });
    ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
    ASSERT_GE(events.size(), 3u);
    raw.Put(codec::kEventsCf, key, codec::EncodeEventRun(std::span(events).first(1)));
    raw.Put(codec::kEventsCf, codec::EventKeyBytes(EventKey{DocKeyFor("d1"), 2}),
            codec::EncodeEventRun(std::span(events).subspan(2)));
  }
  CheckReport report;
  const std::string problems = Problems(&report);
  EXPECT_NE(
      problems.find("events: document 'd1' event #2: ordinals are not contiguous (expected #1)"),
      std::string::npos)
      << problems;
  for (const char* index : {"edges_out", "edges_in", "edges_rel"}) {
    EXPECT_NE(problems.find(std::string(index) + ": orphan entry for document 'd1' event #1"),
              std::string::npos)
        << problems;
  }
  EXPECT_GE(report.problem_count, 5u);
}

TEST_F(StoreCheckTest, OverlappingEventRunsAreNamed) {
  {
    // A second run of d1 starting at #1 repeats the events the first holds.
    RawStore raw(path_);
    const std::string key = codec::EventKeyBytes(EventKey{DocKeyFor("d1"), 0});
    std::vector<std::string> events;
    auto decoded = codec::DecodeEventRun(key, raw.Get(codec::kEventsCf, key), [&](StoredEvent&& e) {
      if (e.key.ordinal >= 1) events.push_back(codec::EncodeStoredEvent(e));
      return true;
    });
    ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
    raw.Put(codec::kEventsCf, codec::EventKeyBytes(EventKey{DocKeyFor("d1"), 1}),
            codec::EncodeEventRun(events));
  }
  const std::string problems = Problems();
  EXPECT_NE(
      problems.find("events: document 'd1' event #1: ordinals are not contiguous (expected #"),
      std::string::npos)
      << problems;
  EXPECT_NE(problems.find("store total 'events'"), std::string::npos) << problems;
}

TEST_F(StoreCheckTest, MissingActorRelationAndAliasAreNamed) {
  {
    RawStore raw(path_);
    raw.Delete(codec::kActorsCf, codec::ActorKey(ActorIdFor("Syria")));
    raw.Delete(codec::kRelationsCf, codec::RelationKey(RelationIdFor("criticize")));
    raw.Delete(codec::kNamesCf, codec::NameKey(NormalizeName("Turkey"), ActorIdFor("Turkey")));
  }
  const std::string problems = Problems();
  EXPECT_NE(problems.find("actors: events reference 'Syria'"), std::string::npos) << problems;
  EXPECT_NE(problems.find("relations: events use relation 'criticize'"), std::string::npos)
      << problems;
  EXPECT_NE(problems.find("names: alias 'Turkey' does not find actor 'Turkey'"), std::string::npos)
      << problems;
}

TEST_F(StoreCheckTest, UndecodableValueIsAProblemNotACrash) {
  {
    RawStore raw(path_);
    raw.Put(codec::kEventsCf, codec::EventKeyBytes(EventKey{DocKeyFor("d2"), 0}), "garbage");
  }
  CheckReport report;
  const std::string problems = Problems(&report);
  EXPECT_NE(problems.find("events: scan stopped at undecodable data"), std::string::npos)
      << problems;
}

TEST_F(StoreCheckTest, ProblemListIsCapped) {
  {
    RawStore raw(path_);
    for (uint32_t i = 10; i < 30; ++i) {
      EdgeEntry orphan = EntryOf("d3", i, events_[0]);
      raw.Put(codec::kEdgesOutCf, codec::EdgeKey(codec::EdgeOrder::kOut, orphan),
              codec::EncodeEdgeValue(orphan));
    }
  }
  StoreOptions options;
  options.path = path_;
  options.read_only = true;
  auto store = GraphStore::Open(options);
  ASSERT_TRUE(store.ok());
  CheckOptions check;
  check.max_listed = 5;
  auto report = CheckStore(*(*store)->NewReader(), check);
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->problems.size(), 5u);
  EXPECT_EQ(report->problem_count, 20u);
}

TEST_F(StoreCheckTest, DumpIsIdenticalForIdenticalContentAndDiffersOtherwise) {
  TempDir other;
  const std::string copy = other.Sub("db");
  {
    StoreOptions options;
    options.path = copy;
    auto store = GraphStore::Open(options);
    ASSERT_TRUE(store.ok());
    // Same documents in another order, one written twice.
    ASSERT_TRUE((*store)->PutDocument(Meta("d3", Hash64("d3")), {}, {}).ok());
    ASSERT_TRUE((*store)->PutDocument(Meta("d2", Hash64("d2")), {events_[3]}, {}).ok());
    ASSERT_TRUE(
        (*store)
            ->PutDocument(Meta("d1", Hash64("d1")), {events_[0], events_[1], events_[2]}, {})
            .ok());
    ASSERT_TRUE((*store)->PutDocument(Meta("d2", Hash64("d2")), {events_[3]}, {}).ok());
  }
  const std::string a = testing::DumpStoreAt(path_);
  const std::string b = testing::DumpStoreAt(copy);
  EXPECT_EQ(a, b);
  EXPECT_NE(a.find("stats\tdocuments=3\tevents=4\tactors=4\trelations=2\n"), std::string::npos)
      << a;
  EXPECT_NE(a.find("event\td1\t1\t2016-10-04\tRussia\tRussia\tSRu\tcriticize\t111\t-2\tSyria"),
            std::string::npos)
      << a;
  {
    StoreOptions options;
    options.path = copy;
    auto store = GraphStore::Open(options);
    ASSERT_TRUE(store.ok());
    ASSERT_TRUE((*store)->PutDocument(Meta("d2", 5), {events_[1]}, {}).ok());
  }
  EXPECT_NE(a, testing::DumpStoreAt(copy));
}

class CheckCommandTest : public StoreCheckTest {
 protected:
  testing::CommandResult Kg(const std::string& args) {
    return testing::RunCommand(testing::ShellQuote(testing::KgBinary()) + " --db " +
                               testing::ShellQuote(path_) + " " + args);
  }
};

TEST_F(CheckCommandTest, CleanStoreExitsZeroAndDamagedStoreOne) {
  auto ok = Kg("check");
  EXPECT_EQ(ok.exit_code, 0) << ok.err;
  EXPECT_EQ(ok.out, "");
  EXPECT_NE(ok.err.find(": ok (3 documents, 4 events, 12 index entries"), std::string::npos)
      << ok.err;
  {
    RawStore raw(path_);
    raw.Delete(codec::kEdgesInCf,
               codec::EdgeKey(codec::EdgeOrder::kIn, EntryOf("d2", 0, events_[3])));
  }
  auto bad = Kg("check");
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_NE(bad.out.find("edges_in: no entry for document 'd2' event #0"), std::string::npos)
      << bad.out;
  EXPECT_NE(bad.err.find("1 problems found"), std::string::npos) << bad.err;
}

TEST_F(CheckCommandTest, DumpOptionWritesTheCanonicalDump) {
  const std::string file = dir_.Sub("dump.txt");
  auto r = Kg("check --dump " + testing::ShellQuote(file));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(testing::ReadFile(file), testing::DumpStoreAt(path_));
  auto missing = testing::RunCommand(testing::ShellQuote(testing::KgBinary()) + " --db " +
                                     testing::ShellQuote(dir_.Sub("nope")) + " check");
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_NE(missing.err.find("kg check: error: no kg store"), std::string::npos) << missing.err;
}

}  // namespace
}  // namespace kg
