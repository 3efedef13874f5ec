// A small store shared by the export tests: the seed article's actors (Kerry,
// Kirby, Russia, United States, Syria, Assad), parallel events across two
// documents, a negated event, an uncoded relation, an undated document and
// actors whose names stress every format's escaping.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "graph/date.h"
#include "graph/graph_store.h"
#include "tests/test_util.h"

namespace kg::exporter::testing {

inline Event MakeEvent(const std::string& source, const std::string& source_code,
                       const std::string& relation, const std::string& cameo, double goldstein,
                       const std::string& target, const std::string& target_code,
                       const std::string& quote, uint32_t sentence, bool negated = false) {
  Event e;
  e.source = ActorRef{source, source, source_code};
  e.relation = relation;
  e.cameo = cameo;
  e.goldstein = goldstein;
  e.target = ActorRef{target, target, target_code};
  e.negated = negated;
  e.mentions.push_back(Mention{sentence, 0, static_cast<uint32_t>(quote.size()), quote});
  return e;
}

inline DocumentMeta MakeDoc(const std::string& id, const std::string& title,
                            const std::string& date) {
  DocumentMeta meta;
  meta.id = id;
  meta.title = title;
  meta.source = "fixture";
  meta.date = date.empty() ? kUnknownDate : ParseIsoDate(date).value();
  meta.content_hash = 1;
  meta.sentences = 5;
  return meta;
}

inline ActorRecord MakeActor(const std::string& name, const std::string& code, ActorType type,
                             std::vector<std::string> aliases = {}) {
  ActorRecord a;
  a.name = name;
  a.code = code;
  a.type = type;
  a.aliases = std::move(aliases);
  return a;
}

// Names that break naive writers: quotes, a backslash before the closing
// quote, a DOT keyword, non-ASCII, markup, a CSV/array delimiter.
inline const char kOddName[] = "Strict \"Hardliners\" \\";
inline const char kKeywordName[] = "node";
inline const char kUnicodeName[] = "Société <Générale>; & Co";

inline void FillFixture(GraphStore& store) {
  const std::vector<ActorRecord> actors = {
      MakeActor("John Kerry", "USAGOV", ActorType::kPerson,
                {"Kerry", "US Secretary of State John Kerry"}),
      MakeActor("John Kirby", "USAGOV", ActorType::kPerson, {"Kirby"}),
      MakeActor("Russia", "RUS", ActorType::kCountry, {"Moscow"}),
      MakeActor("United States", "USA", ActorType::kCountry, {"US", "Washington"}),
      MakeActor("Syria", "SYR", ActorType::kCountry, {"Damascus"}),
      MakeActor("Bashar al-Assad", "SYRGOV", ActorType::kPerson, {"Assad"}),
      MakeActor(kOddName, "REB", ActorType::kGroup),
      MakeActor(kKeywordName, "", ActorType::kUnknown),
      MakeActor(kUnicodeName, "FRABUS", ActorType::kOrganization),
  };
  std::vector<Event> seed1 = {
      MakeEvent("John Kerry", "USAGOV", "accuse", "112", -2.0, "Russia", "RUS",
                "Kerry accused Russia of war crimes in Aleppo.", 1),
      MakeEvent("John Kerry", "USAGOV", "accuse", "112", -2.0, "Bashar al-Assad", "SYRGOV",
                "Kerry accused the Assad regime of targeting hospitals.", 2),
      MakeEvent("United States", "USA", "suspend relations", "161", -4.0, "Russia", "RUS",
                "The United States suspended talks with Russia on Syria.", 0),
      MakeEvent("Russia", "RUS", "support", "07", 7.0, "Bashar al-Assad", "SYRGOV",
                "Russia has backed Assad with air power.", 3),
      MakeEvent("Russia", "RUS", "bomb", "195", -10.0, "Syria", "SYR",
                "Russia denied bombing the aid convoy in Syria.", 4, /*negated=*/true),
  };
  seed1[2].attributed_to = "John Kirby";
  std::vector<Event> seed2 = {
      MakeEvent("John Kerry", "USAGOV", "accuse", "112", -2.0, "Russia", "RUS",
                "Kerry again accused Russia, saying \"</script>\" tags won't hide it.", 0),
      MakeEvent("John Kirby", "USAGOV", "accuse", "112", -2.0, "Russia", "RUS",
                "Kirby accused Moscow of \"irresponsible\" actions.", 1),
      MakeEvent("Russia", "RUS", "accuse", "112", -2.0, "United States", "USA",
                "Moscow accused Washington of backing terrorists.", 2),
  };
  std::vector<Event> talks = {
      MakeEvent("United States", "USA", "negotiate", "046", 7.0, "Russia", "RUS",
                "The United States and Russia negotiated a ceasefire in Geneva.", 0),
  };
  std::vector<Event> odd = {
      MakeEvent(kOddName, "REB", "threaten", "138", -7.0, kKeywordName, "",
                "The \"Hardliners\" \\ faction threatened the node.", 0),
      MakeEvent(kUnicodeName, "FRABUS", "provide aid", "07", 7.0, "Syria", "SYR",
                "Société Générale sent aid to Syria.", 1),
  };
  std::vector<Event> undated = {
      MakeEvent("Syria", "SYR", "warn", "", 0.0, "United States", "USA",
                "Damascus warned Washington.", 0),
  };
  ASSERT_TRUE(
      store
          .PutDocument(MakeDoc("seed-1", "US suspends Syria talks with Russia", "2016-10-04"),
                       seed1, actors)
          .ok());
  ASSERT_TRUE(
      store.PutDocument(MakeDoc("seed-2", "Kerry: \"war crimes\"", "2016-10-07"), seed2, {}).ok());
  ASSERT_TRUE(store.PutDocument(MakeDoc("talks-1", "Geneva talks", "2016-09-09"), talks, {}).ok());
  ASSERT_TRUE(store.PutDocument(MakeDoc("odd-1", "Odd names", "2016-11-01"), odd, {}).ok());
  ASSERT_TRUE(store.PutDocument(MakeDoc("undated-1", "Undated", ""), undated, {}).ok());
  ASSERT_TRUE(store.Flush().ok());
}

// Opens a fresh store in a temp dir and fills it once per test suite.
class ExportFixture : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new kg::testing::TempDir();
    StoreOptions options;
    options.path = dir_->Sub("db");
    auto store = GraphStore::Open(options);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = store->release();
    FillFixture(*store_);
  }
  static void TearDownTestSuite() {
    delete store_;
    store_ = nullptr;
    delete dir_;
    dir_ = nullptr;
  }
  void SetUp() override { reader_ = store_->NewReader(); }

  static std::string DbPath() { return dir_->Sub("db"); }

  static kg::testing::TempDir* dir_;
  static GraphStore* store_;
  std::unique_ptr<GraphReader> reader_;
};

inline kg::testing::TempDir* ExportFixture::dir_ = nullptr;
inline GraphStore* ExportFixture::store_ = nullptr;

}  // namespace kg::exporter::testing
