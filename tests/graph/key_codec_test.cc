#include "graph/key_codec.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "graph/date.h"
#include "graph/ids.h"

namespace kg::codec {
namespace {

TEST(KeyCodecTest, Fixed64RoundTripAndOrder) {
  std::vector<uint64_t> values = {0, 1, 255, 256, 65535, 1ull << 32, UINT64_MAX - 1, UINT64_MAX};
  std::vector<std::string> encoded;
  for (uint64_t v : values) {
    std::string s;
    PutFixed64BE(&s, v);
    ASSERT_EQ(s.size(), 8u);
    EXPECT_EQ(DecodeFixed64BE(s.data()), v);
    encoded.push_back(s);
  }
  EXPECT_TRUE(std::is_sorted(encoded.begin(), encoded.end()));
}

TEST(KeyCodecTest, DatesSortAsBytesIncludingNegativeAndUnknown) {
  std::vector<Date> dates = {kUnknownDate, -719468, -1, 0, 1, 6000, 17078, INT32_MAX};
  std::vector<std::string> encoded;
  for (Date d : dates) {
    std::string s;
    PutDate(&s, d);
    EXPECT_EQ(DecodeDate(s.data()), d);
    encoded.push_back(s);
  }
  EXPECT_TRUE(std::is_sorted(encoded.begin(), encoded.end()));
}

TEST(KeyCodecTest, OrderedInt64SortsNegativeBeforePositive) {
  std::mt19937_64 rng(42);
  std::vector<int64_t> values = {INT64_MIN, -5, -1, 0, 1, 5, INT64_MAX};
  for (int i = 0; i < 200; ++i) values.push_back(static_cast<int64_t>(rng()));
  std::vector<std::pair<std::string, int64_t>> encoded;
  for (int64_t v : values) {
    std::string s;
    PutInt64Ordered(&s, v);
    EXPECT_EQ(DecodeInt64Ordered(s.data()), v);
    encoded.emplace_back(s, v);
  }
  std::sort(encoded.begin(), encoded.end());
  for (size_t i = 1; i < encoded.size(); ++i) EXPECT_LE(encoded[i - 1].second, encoded[i].second);
}

EdgeEntry SampleEdge() {
  EdgeEntry e;
  e.source = 0x1122334455667788ull;
  e.relation = 42;
  e.target = 0xFFEEDDCCBBAA9988ull;
  e.date = -3;
  e.event = EventKey{0xABCDEFull, 7};
  e.cameo = "112";
  e.goldstein = -2.5;
  e.negated = true;
  e.attributed_to = 99;
  return e;
}

TEST(KeyCodecTest, EdgeKeyRoundTripInEveryOrder) {
  const EdgeEntry e = SampleEdge();
  for (EdgeOrder order : {EdgeOrder::kOut, EdgeOrder::kIn, EdgeOrder::kRel}) {
    std::string key = EdgeKey(order, e);
    ASSERT_EQ(key.size(), kEdgeKeySize);
    EdgeEntry back;
    ASSERT_TRUE(DecodeEdgeKey(order, key, &back).ok());
    EXPECT_EQ(back.source, e.source);
    EXPECT_EQ(back.relation, e.relation);
    EXPECT_EQ(back.target, e.target);
    EXPECT_EQ(back.date, e.date);
    EXPECT_EQ(back.event, e.event);
  }
  EdgeEntry value_back;
  ASSERT_TRUE(DecodeEdgeValue(EncodeEdgeValue(e), &value_back).ok());
  EXPECT_EQ(value_back.cameo, "112");
  EXPECT_DOUBLE_EQ(value_back.goldstein, -2.5);
  EXPECT_TRUE(value_back.negated);
  EXPECT_EQ(value_back.attributed_to, 99u);
}

TEST(KeyCodecTest, EdgeKeysGroupBySourceThenRelationThenTargetThenDate) {
  EdgeEntry a = SampleEdge(), b = SampleEdge();
  b.date = a.date + 1;
  EXPECT_LT(EdgeKey(EdgeOrder::kOut, a), EdgeKey(EdgeOrder::kOut, b));
  b = a;
  b.target = a.target - 1;
  b.date = a.date + 100;
  EXPECT_GT(EdgeKey(EdgeOrder::kOut, a), EdgeKey(EdgeOrder::kOut, b));
  std::string prefix = EdgePrefix({a.source, a.relation});
  EXPECT_EQ(EdgeKey(EdgeOrder::kOut, a).compare(0, prefix.size(), prefix), 0);
  EXPECT_EQ(EdgeKey(EdgeOrder::kIn, a).substr(0, 8), EdgePrefix({a.target}));
}

TEST(KeyCodecTest, DecodeRejectsWrongSizes) {
  EdgeEntry e;
  EXPECT_FALSE(DecodeEdgeKey(EdgeOrder::kOut, "short", &e).ok());
  EXPECT_FALSE(DecodeEdgeValue("", &e).ok());
  EXPECT_FALSE(DecodeEventKey("123").ok());
  EXPECT_FALSE(DecodeCounter("1234").ok());
  EXPECT_FALSE(DecodeNameKey("x").ok());
}

TEST(KeyCodecTest, StoredEventRoundTrip) {
  StoredEvent s;
  s.doc_id = "doc-1";
  s.date = 17078;
  s.source_id = 1;
  s.relation_id = 2;
  s.target_id = 3;
  s.event.source = {"US Secretary of State John Kerry", "John Kerry", "USAGOV"};
  s.event.relation = "criticize";
  s.event.cameo = "111";
  s.event.goldstein = -2.0;
  s.event.target = {"Russia", "Russia", "RUS"};
  s.event.negated = false;
  s.event.modality = "could";
  s.event.attributed_to = "Maria Zakharova";
  s.event.mentions = {{0, 0, 62, "quote one"}, {3, 100, 140, "quote \xE2\x80\x9Ctwo\xE2\x80\x9D"}};
  auto back = DecodeStoredEvent(EncodeStoredEvent(s));
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(*back, s);
  std::string truncated = EncodeStoredEvent(s);
  for (size_t cut = 0; cut < truncated.size(); cut += 7) {
    EXPECT_FALSE(DecodeStoredEvent(truncated.substr(0, cut)).ok()) << cut;
  }
}

TEST(KeyCodecTest, EventRunRoundTripAndLookup) {
  std::vector<StoredEvent> events(3);
  std::vector<std::string> encoded;
  for (size_t i = 0; i < events.size(); ++i) {
    events[i].key = EventKey{42, static_cast<uint32_t>(5 + i)};  // A run starting at #5.
    events[i].doc_id = "doc-42";
    events[i].date = 17078;
    events[i].event.source = {"Kerry", "John Kerry", "USAGOV"};
    events[i].event.relation = i == 1 ? "accuse" : "criticize";
    events[i].event.target = {"Russia", "Russia", "RUS"};
    events[i].event.mentions = {{static_cast<uint32_t>(i), 0, 10, "quote"}};
    encoded.push_back(EncodeStoredEvent(events[i]));
  }
  const std::string key = EventKeyBytes(events[0].key);
  const std::string run = EncodeEventRun(encoded);

  std::vector<StoredEvent> back;
  auto all = DecodeEventRun(key, run, [&](StoredEvent&& e) {
    back.push_back(std::move(e));
    return true;
  });
  ASSERT_TRUE(all.ok()) << all.status().ToString();
  EXPECT_TRUE(*all);
  EXPECT_EQ(back, events);
  size_t visited = 0;
  auto stopped = DecodeEventRun(key, run, [&](StoredEvent&&) { return ++visited < 2; });
  ASSERT_TRUE(stopped.ok());
  EXPECT_FALSE(*stopped);
  EXPECT_EQ(visited, 2u);

  for (const StoredEvent& e : events) {
    auto one = DecodeRunEvent(key, run, e.key.ordinal);
    ASSERT_TRUE(one.ok()) << one.status().ToString();
    ASSERT_TRUE(one->has_value());
    EXPECT_EQ(**one, e);
  }
  for (uint32_t outside : {0u, 4u, 8u, 1000u}) {
    auto none = DecodeRunEvent(key, run, outside);
    ASSERT_TRUE(none.ok());
    EXPECT_FALSE(none->has_value()) << outside;
  }
  // The builder used by the bulk loader gives the same bytes.
  std::string built = "stale";
  StartEventRun(&built);
  for (const std::string& e : encoded) AppendRunEvent(&built, e);
  FinishEventRun(&built, static_cast<uint32_t>(encoded.size()));
  EXPECT_EQ(built, run);
  EXPECT_EQ(EncodeEventRun({}).size(), 5u);

  auto ignore = [](StoredEvent&&) { return true; };
  for (size_t cut = 0; cut < run.size(); ++cut) {
    EXPECT_FALSE(DecodeEventRun(key, run.substr(0, cut), ignore).ok()) << cut;
  }
  EXPECT_FALSE(DecodeEventRun(key, run + "x", ignore).ok());
  EXPECT_FALSE(DecodeEventRun(key, EncodeStoredEvent(events[0]), ignore).ok());
  EXPECT_FALSE(DecodeEventRun("short", run, ignore).ok());
  std::string wrong_count = run;
  wrong_count[4] = 9;
  EXPECT_FALSE(DecodeEventRun(key, wrong_count, ignore).ok());
  EXPECT_FALSE(DecodeRunEvent(key, run.substr(0, run.size() - 3), 7).ok());
}

TEST(KeyCodecTest, DocAndActorRecordsRoundTrip) {
  DocRecord d;
  d.meta = {"id-1", "Title", "Reuters", -100, 0xDEADBEEFull, 12};
  d.event_count = 5;
  auto d2 = DecodeDocRecord(EncodeDocRecord(d));
  ASSERT_TRUE(d2.ok());
  EXPECT_EQ(d2->meta, d.meta);
  EXPECT_EQ(d2->event_count, 5u);

  ActorRecord a{7, "Russia", "RUS", ActorType::kCountry, {"Russian Federation", "Moscow"}};
  auto a2 = DecodeActorRecord(EncodeActorRecord(a));
  ASSERT_TRUE(a2.ok());
  EXPECT_EQ(*a2, a);
  EXPECT_FALSE(DecodeActorRecord(EncodeDocRecord(d)).ok());
}

TEST(KeyCodecTest, NameKeysGroupByAliasWithoutPrefixCollisions) {
  // "us" must not scan "usa": the 0x00 separator ends the alias.
  std::string us = NamePrefix("us");
  EXPECT_NE(NameKey("usa", 1).compare(0, us.size(), us), 0);
  auto id = DecodeNameKey(NameKey("united states", 12345));
  ASSERT_TRUE(id.ok());
  EXPECT_EQ(*id, 12345u);
}

TEST(KeyCodecTest, AppendingEncodersGiveTheSameBytesAfterWhatIsThere) {
  const ActorRecord a{7, "Russia", "RUS", ActorType::kCountry, {"Russian Federation"}};
  std::string out = "xyz";
  AppendActorRecord(&out, a.id, a.name, a.code, a.type, a.aliases);
  EXPECT_EQ(out, "xyz" + EncodeActorRecord(a));
  out = "xyz";
  AppendNameKey(&out, "united states", 12345);
  EXPECT_EQ(out, "xyz" + NameKey("united states", 12345));
  char key[kDocKeySize];
  EncodeActorKeyTo(0x0102030405060708ull, key);
  EXPECT_EQ(std::string(key, sizeof key), ActorKey(0x0102030405060708ull));
}

TEST(IdsTest, NormalizeNameFoldsCaseCollapsesSpacesAndAppends) {
  EXPECT_EQ(NormalizeName("  John\t KERRY \n"), "john kerry");
  EXPECT_EQ(NormalizeName("\xC3\x89MILE Zola"), "\xC3\xA9mile zola");  // É folds to é.
  EXPECT_EQ(NormalizeName(""), "");
  std::string out = "prefix:";
  AppendNormalizedName(&out, "  Bashar  AL-Assad ");
  EXPECT_EQ(out, "prefix:bashar al-assad");
  EXPECT_EQ(ActorIdFor("Bashar al-Assad"), ActorIdFor(" bashar  AL-ASSAD"));
}

TEST(KeyCodecTest, CountersAndPairCountKeys) {
  for (int64_t v : {int64_t{0}, int64_t{-1}, int64_t{1} << 40, INT64_MIN}) {
    auto back = DecodeCounter(EncodeCounter(v));
    ASSERT_TRUE(back.ok());
    EXPECT_EQ(*back, v);
  }
  RelationId r;
  ActorId s, t;
  ASSERT_TRUE(DecodePairCountKey(PairCountKey(3, 4, 5), &r, &s, &t).ok());
  EXPECT_EQ(r, 3u);
  EXPECT_EQ(s, 4u);
  EXPECT_EQ(t, 5u);
  EXPECT_EQ(PairCountKey(3, 4, 5).substr(0, 9), PairCountPrefix(3));
}

TEST(KeyCodecTest, PrefixSuccessor) {
  EXPECT_EQ(PrefixSuccessor("ab"), "ac");
  EXPECT_EQ(PrefixSuccessor(std::string("a\xff", 2)), "b");
  EXPECT_EQ(PrefixSuccessor(std::string("\xff\xff", 2)), "");
  EXPECT_EQ(PrefixSuccessor(""), "");
}

TEST(DateTest, ParsesIsoFormsAndRejectsBadDates) {
  EXPECT_EQ(*ParseIsoDate("1970-01-01"), 0);
  EXPECT_EQ(*ParseIsoDate("2016-10-04"), 17078);
  EXPECT_EQ(*ParseIsoDate("2016-10-04T12:30:00Z"), 17078);
  EXPECT_EQ(*ParseIsoDate("20161004"), 17078);
  EXPECT_EQ(*ParseIsoDate("1969-12-31"), -1);
  EXPECT_EQ(*ParseIsoDate("1987-02-26T15:01:01"), DaysFromCivil(1987, 2, 26));
  EXPECT_FALSE(ParseIsoDate("2016-02-30").ok());
  EXPECT_FALSE(ParseIsoDate("2016-13-01").ok());
  EXPECT_FALSE(ParseIsoDate("yesterday").ok());
  EXPECT_FALSE(ParseIsoDate("").ok());
  EXPECT_TRUE(ParseIsoDate("2016-02-29").ok());
  EXPECT_EQ(FormatIsoDate(17078), "2016-10-04");
  EXPECT_EQ(FormatIsoDate(-1), "1969-12-31");
  EXPECT_EQ(FormatIsoDate(kUnknownDate), "");
  for (Date d = -700000; d < 2900000; d += 997) EXPECT_EQ(*ParseIsoDate(FormatIsoDate(d)), d);
}

}  // namespace
}  // namespace kg::codec
