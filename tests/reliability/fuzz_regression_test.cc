// Inputs that crashed a fuzz target (fuzz/README.md), kept as regression
// tests; each also sits in the target's seed corpus.
#include <gtest/gtest.h>

#include "graph/graph_store.h"
#include "query/query.h"
#include "tests/test_util.h"

namespace kg {
namespace {

// fuzz_query: a SHORTEST pattern of a single node read past the planner's
// node list (heap-buffer-overflow in Planner::OrderOperators).
TEST(FuzzRegressionTest, ShortestOverASingleNodeIsAnError) {
  testing::TempDir dir;
  StoreOptions options;
  options.path = dir.Sub("db");
  auto store = GraphStore::Open(options);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  Event ev;
  ev.source = {"Bashar al-Assad", "Bashar al-Assad", "SYRGOV"};
  ev.relation = "praise";
  ev.target = {"Russia", "Russia", "RUS"};
  ev.mentions = {{0, 0, 5, "q"}};
  DocumentMeta meta;
  meta.id = "d1";
  meta.content_hash = 1;
  ASSERT_TRUE((*store)->PutDocument(meta, {ev}, {}).ok());
  auto reader = (*store)->NewReader();
  for (const char* text : {"MATCH p = SHORTEST ( {name: 'Bashar al-Assad'}) RETURN p",
                           "MATCH p = SHORTEST (a {name: 'Russia'}) RETURN p"}) {
    auto r = query::RunQuery(*reader, text, query::QueryOptions());
    ASSERT_FALSE(r.ok()) << text;
    EXPECT_TRUE(r.status().IsInvalidArgument()) << r.status().ToString();
    EXPECT_NE(r.status().message().find("SHORTEST needs a path between two nodes"),
              std::string::npos)
        << r.status().message();
  }
}

}  // namespace
}  // namespace kg
