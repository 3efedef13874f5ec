// Unit tests of the query engine: lexer/parser errors, planner choices,
// cursors and budgets, formatters, and the CLI commands end to end.
#include <gtest/gtest.h>

#include <map>
#include <tuple>

#include "query/algorithms.h"
#include "query/lexer.h"
#include "query/parser.h"
#include "query/query.h"
#include "tests/query/fixture_loader.h"

namespace kg::query {
namespace {

TEST(LexerTest, TokensAndRanges) {
  auto toks = Lex("MATCH (a)-[r:accuse*1..4]->(b) WHERE r.goldstein <= -2.5 RETURN 'it''s'");
  ASSERT_TRUE(toks.ok()) << toks.status().ToString();
  std::vector<std::string> texts;
  for (const auto& t : *toks) texts.push_back(t.text);
  const std::vector<std::string> want = {"MATCH",     "(",      "a", ")",   "-",      "[",    "r",
                                         ":",         "accuse", "*", "1",   "..",     "4",    "]",
                                         "->",        "(",      "b", ")",   "WHERE",  "r",    ".",
                                         "goldstein", "<=",     "-", "2.5", "RETURN", "it's", ""};
  EXPECT_EQ(texts, want);
  EXPECT_EQ((*toks)[24].kind, TokenKind::kFloat);
}

TEST(LexerTest, UnterminatedStringPointsAtItsStart) {
  auto toks = Lex("MATCH (a)\nWHERE a.name = 'Kerry");
  ASSERT_FALSE(toks.ok());
  EXPECT_TRUE(toks.status().IsInvalidArgument());
  EXPECT_EQ(toks.status().message(),
            "line 2, column 16: unterminated string: expected a closing '\n  WHERE a.name = "
            "'Kerry\n                 ^");
}

TEST(ParserTest, SyntaxErrorOnSecondLineHasCaret) {
  auto q = Parse("MATCH (a)-[r:accuse]->(b)\nWHERE r.date >= '2016-10-01'\nRETURN a.name,, b.name");
  ASSERT_FALSE(q.ok());
  EXPECT_EQ(q.status().message(),
            "line 3, column 15: expected an expression, found ','\n  RETURN a.name,, b.name\n      "
            "          ^");
}

TEST(ParserTest, MissingClosingBracket) {
  auto q = Parse("MATCH (a)-[r:accuse->(b) RETURN a");
  ASSERT_FALSE(q.ok());
  EXPECT_NE(q.status().message().find(
                "line 1, column 20: expected ']' to close the relationship pattern"),
            std::string::npos)
      << q.status().message();
}

TEST(ParserTest, MissingMatch) {
  auto q = Parse("RETURN 1");
  ASSERT_FALSE(q.ok());
  EXPECT_NE(q.status().message().find("a query starts with MATCH, found 'RETURN'"),
            std::string::npos);
}

TEST(ParserTest, ShapesOfPatterns) {
  auto q = Parse(
      "EXPLAIN MATCH p = ALL SHORTEST (a:Person {name: 'X'})-[*..3]-(b), "
      "(b)<-[s:accuse|`blame`]-(c) "
      "WHERE NOT s.negated RETURN DISTINCT a.name AS n, count(DISTINCT c) ORDER BY n DESC LIMIT "
      "5;");
  ASSERT_TRUE(q.ok()) << q.status().ToString();
  EXPECT_TRUE(q->explain);
  ASSERT_EQ(q->patterns.size(), 2u);
  EXPECT_EQ(q->patterns[0].selector, PathSelector::kAllShortest);
  EXPECT_EQ(q->patterns[0].path_var, "p");
  EXPECT_EQ(q->patterns[0].nodes[0].label, "Person");
  EXPECT_TRUE(q->patterns[0].rels[0].variable_length);
  EXPECT_EQ(q->patterns[0].rels[0].min_hops, 1);
  EXPECT_EQ(q->patterns[0].rels[0].max_hops, 3);
  EXPECT_EQ(q->patterns[0].rels[0].direction, RelDirection::kBoth);
  EXPECT_EQ(q->patterns[1].rels[0].direction, RelDirection::kIn);
  EXPECT_EQ(q->patterns[1].rels[0].types, (std::vector<std::string>{"accuse", "blame"}));
  EXPECT_TRUE(q->distinct);
  EXPECT_EQ(q->items[0].alias, "n");
  EXPECT_EQ(q->items[1].alias, "count(DISTINCT c)");
  EXPECT_TRUE(q->items[1].expr->distinct);
  EXPECT_TRUE(q->order_by[0].descending);
  EXPECT_EQ(q->limit, 5);
}

TEST(ParserTest, NoExceptionOnGarbage) {
  for (std::string text :
       {"", "(", "MATCH", "MATCH (", "MATCH (a)-", "MATCH (a)-[", "MATCH (a)-[*",
        "MATCH (a) RETURN", "MATCH (a) RETURN count(", "MATCH (a {name:}) RETURN a",
        "MATCH (a) RETURN a LIMIT x", "MATCH (a) RETURN a ORDER", "\xff\xfe",
        "MATCH (a)-[*5..2]->(b) RETURN b"}) {
    auto q = Parse(text);
    EXPECT_FALSE(q.ok()) << text;
    EXPECT_TRUE(q.status().IsInvalidArgument()) << text;
  }
}

TEST(FormatTest, TableJsonTsv) {
  ResultTable t;
  t.columns = {"name", "n"};
  t.rows.push_back({Value::String("Kerry"), Value::Int(2)});
  t.rows.push_back({Value::String("Bashar\tal-Assad"), Value::Null()});
  EXPECT_EQ(FormatTable(t),
            "name            | n\n"
            "----------------+--\n"
            "Kerry           | 2\n"
            "Bashar al-Assad |\n"
            "(2 rows)\n");
  EXPECT_EQ(FormatJsonLines(t),
            "{\"name\":\"Kerry\",\"n\":2}\n{\"name\":\"Bashar\\tal-Assad\",\"n\":null}\n");
  EXPECT_EQ(FormatTsv(t), "name\tn\nKerry\t2\nBashar al-Assad\t\n");
  t.next_cursor = "c1ab";
  EXPECT_NE(FormatJsonLines(t).find("{\"_next_cursor\":\"c1ab\"}\n"), std::string::npos);
  EXPECT_NE(FormatTable(t).find("--after c1ab"), std::string::npos);
}

TEST(ValueTest, OrderAcrossKinds) {
  EXPECT_LT(Value::Null(), Value::Bool(false));
  EXPECT_LT(Value::Bool(true), Value::Int(-5));
  EXPECT_EQ(Value::Int(2), Value::Double(2.0));
  EXPECT_LT(Value::Double(2.5), Value::Int(3));
  EXPECT_LT(Value::Int(3), Value::String(""));
  EXPECT_LT(Value::String("b"), Value::List({}));
  EXPECT_EQ(Value::Double(-1.0 / 3).ToString(), "-0.333333");
  EXPECT_EQ(Value::List({Value::Int(1), Value::String("x")}).ToString(), "[1, x]");
}

TEST(QuadClassTest, CameoRoots) {
  EXPECT_EQ(QuadClassOfCameo("040"), QuadClass::kVerbalCooperation);
  EXPECT_EQ(QuadClassOfCameo("0511"), QuadClass::kVerbalCooperation);
  EXPECT_EQ(QuadClassOfCameo("070"), QuadClass::kMaterialCooperation);
  EXPECT_EQ(QuadClassOfCameo("112"), QuadClass::kVerbalConflict);
  EXPECT_EQ(QuadClassOfCameo("138"), QuadClass::kVerbalConflict);
  EXPECT_EQ(QuadClassOfCameo("190"), QuadClass::kMaterialConflict);
  EXPECT_EQ(QuadClassOfCameo("20"), QuadClass::kMaterialConflict);
  EXPECT_FALSE(QuadClassOfCameo("").has_value());
  EXPECT_FALSE(QuadClassOfCameo("21").has_value());
  EXPECT_FALSE(QuadClassOfCameo("x1").has_value());
}

class QueryStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    StoreOptions options;
    options.path = dir_.Sub("db");
    auto store = GraphStore::Open(options);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(store).value();
    ASSERT_EQ(kg::testing::LoadFixture(store_.get(),
                                       kg::testing::SourcePath("tests/golden/queries/fixture.tsv")),
              "");
    reader_ = store_->NewReader();
  }
  kg::testing::TempDir dir_;
  std::unique_ptr<GraphStore> store_;
  std::unique_ptr<GraphReader> reader_;
};

TEST_F(QueryStoreTest, PagesCoverEveryRowExactlyOnce) {
  const std::string q = "MATCH (a)-[r]->(b) RETURN a.name, b.name";
  QueryOptions all;
  auto full = RunQuery(*reader_, q, all);
  ASSERT_TRUE(full.ok());
  ASSERT_EQ(full->rows.size(), 15u);
  for (size_t page : {1u, 2u, 4u, 7u}) {
    QueryOptions options;
    options.row_limit = page;
    std::vector<std::vector<Value>> rows;
    for (int guard = 0; guard < 100; ++guard) {
      auto r = RunQuery(*reader_, q, options);
      ASSERT_TRUE(r.ok()) << r.status().ToString();
      rows.insert(rows.end(), r->rows.begin(), r->rows.end());
      if (r->next_cursor.empty()) break;
      options.after = r->next_cursor;
    }
    EXPECT_EQ(rows, full->rows) << "page size " << page;
  }
}

TEST_F(QueryStoreTest, CursorOfAnotherQueryIsRejected) {
  QueryOptions options;
  options.row_limit = 2;
  auto first = RunQuery(*reader_, "MATCH (a)-[r]->(b) RETURN a.name", options);
  ASSERT_TRUE(first.ok());
  ASSERT_FALSE(first->next_cursor.empty());
  options.after = first->next_cursor;
  auto other = RunQuery(*reader_, "MATCH (a)-[r]->(b) RETURN b.name", options);
  ASSERT_FALSE(other.ok());
  EXPECT_NE(other.status().message().find("different query"), std::string::npos);
  options.after = "c1zz";
  auto bad = RunQuery(*reader_, "MATCH (a)-[r]->(b) RETURN a.name", options);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("invalid --after cursor"), std::string::npos);
}

TEST_F(QueryStoreTest, UnknownActorErrorPointsAtTheName) {
  auto r = RunQuery(*reader_, "MATCH (a)-[r]->(b)\nWHERE b.name = 'Rusia'\nRETURN a.name",
                    QueryOptions());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(),
            "line 2, column 16: unknown actor 'Rusia'; did you mean 'Russia'?\n  WHERE b.name = "
            "'Rusia'\n                 ^");
}

TEST_F(QueryStoreTest, WorkBudgetStopsExplosiveQueries) {
  QueryOptions options;
  options.work_budget = 50;
  auto r = RunQuery(*reader_, "MATCH (a)-[*1..6]-(b) RETURN count(*)", options);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kResourceExhausted);
}

TEST_F(QueryStoreTest, ExplainQueryMatchesExplainPrefix) {
  const std::string q = "MATCH (a)-[r:accuse]->(b {name: 'Russia'}) RETURN a.name";
  auto plan = ExplainQuery(*reader_, q, QueryOptions());
  ASSERT_TRUE(plan.ok());
  EXPECT_NE(plan->find("edges_in (target, relation, source, date), prefix relation, target"),
            std::string::npos)
      << *plan;
  auto table = RunQuery(*reader_, "EXPLAIN " + q, QueryOptions());
  ASSERT_TRUE(table.ok());
  EXPECT_EQ(table->columns, std::vector<std::string>{"plan"});
}

TEST_F(QueryStoreTest, PlannerPrefersTheSmallerCandidateSet) {
  // Two pinned ends: the one with a single actor anchors, the other is checked.
  auto plan = ExplainQuery(
      *reader_, "MATCH (a)-[r]->(b {name: 'Syria'}) WHERE a.code STARTS WITH 'USA' RETURN a.name",
      QueryOptions());
  ASSERT_TRUE(plan.ok());
  EXPECT_NE(plan->find("1. BindNode (b): 1 candidate"), std::string::npos) << *plan;
  EXPECT_NE(plan->find("incoming via edges_in"), std::string::npos) << *plan;
}

TEST_F(QueryStoreTest, HopsCapForAlgorithms) {
  QueryOptions budget;
  budget.max_hops = 3;
  PathOptions p;
  p.max_hops = 5;
  auto r = FindPaths(*reader_, "Kerry", "Assad", p, budget);
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.status().IsInvalidArgument());
  auto info = BuildProjectionInfo(*reader_, SubgraphFilter(), QueryOptions());
  ASSERT_TRUE(info.ok());
  EXPECT_EQ(info->vertices, 11u);
  EXPECT_EQ(info->events, 15u);  // Every asserted event; the negated one is left out.
}

// Counting queries answered from the pair-count index must give exactly the
// rows of the edge-scan plan. `WHERE r.negated = false` keeps the same
// meaning (asserted events only) but forces the edge-scan plan.
TEST_F(QueryStoreTest, PairCountPlanMatchesEdgeScans) {
  const std::vector<std::pair<std::string, std::string>> shapes = {
      {"MATCH (a)-[r:accuse]->(b)", "RETURN count(*) AS n"},
      {"MATCH (a)-[r]->(b)", "RETURN count(*) AS n, count(r) AS m, count(DISTINCT a) AS d"},
      {"MATCH (a)-[r:accuse]->(b)", "RETURN a.name AS name, count(*) AS n ORDER BY n DESC, name"},
      {"MATCH (a)-[r:accuse]->(b)",
       "RETURN a.name AS name, count(*) AS n ORDER BY n DESC, name LIMIT 1"},
      {"MATCH (a)-[r:accuse|blame]->(b)", "RETURN b.name, count(DISTINCT a) AS n ORDER BY n"},
      {"MATCH (a)<-[r:accuse]-(b)", "RETURN a, count(*) AS n ORDER BY n DESC LIMIT 2"},
      {"MATCH (a)-[r]->(b)", "RETURN b.code, count(*) AS n ORDER BY n DESC LIMIT 3"},
      {"MATCH (a:Person)-[r]->(b)", "RETURN a.name, b.name, count(*) AS n"},
      {"MATCH (a)-[r:no_such_relation]->(b)", "RETURN count(*) AS n"},
  };
  for (const auto& [match, ret] : shapes) {
    const std::string fast = match + " " + ret;
    const std::string slow = match + " WHERE r.negated = false " + ret;
    auto plan = ExplainQuery(*reader_, fast, QueryOptions());
    ASSERT_TRUE(plan.ok()) << plan.status().ToString();
    if (fast.find("no_such_relation") == std::string::npos) {
      EXPECT_NE(plan->find("CountPairs"), std::string::npos) << fast << "\n" << *plan;
    }
    auto slow_plan = ExplainQuery(*reader_, slow, QueryOptions());
    ASSERT_TRUE(slow_plan.ok());
    EXPECT_EQ(slow_plan->find("CountPairs"), std::string::npos) << *slow_plan;
    auto a = RunQuery(*reader_, fast, QueryOptions());
    auto b = RunQuery(*reader_, slow, QueryOptions());
    ASSERT_TRUE(a.ok()) << a.status().ToString();
    ASSERT_TRUE(b.ok()) << b.status().ToString();
    EXPECT_EQ(a->rows, b->rows) << fast;
    EXPECT_EQ(a->columns, b->columns);
  }
}

TEST_F(QueryStoreTest, TopologyCountPlanMatchesEdgeScans) {
  ASSERT_TRUE(*store_->RefreshTopology());
  auto reader = store_->NewReader();
  QueryOptions indexes;
  indexes.use_topology = false;
  // With a current topology pinned nodes and negated events are counted from
  // it too; every answer equals the edge-index plan's.
  for (const char* q : {
           "MATCH (a)-[r:accuse]->(b) RETURN count(*) AS n",
           "MATCH (a)-[r]->(b) RETURN count(*) AS n, count(DISTINCT a) AS d",
           "MATCH (a)-[r:accuse]->(b) RETURN a.name AS name, count(*) AS n ORDER BY n DESC, name "
           "LIMIT 2",
           "MATCH (a)-[r:accuse]->(b {name: 'Russia'}) RETURN count(DISTINCT a) AS n",
           "MATCH (a {name: 'John Kerry'})-[r]->(b) RETURN b.name, count(*) AS n ORDER BY n DESC",
           "MATCH (a)<-[r]-(b {name: 'John Kerry'}) RETURN a.name, count(*) AS n",
           "MATCH (a)-[r:accuse|blame]->(b) WHERE r.negated IN [true, false] RETURN count(*) AS n",
           "MATCH (a:Person)-[r]->(b) RETURN a.name, count(*) AS n",
       }) {
    auto plan = ExplainQuery(*reader, q, QueryOptions());
    ASSERT_TRUE(plan.ok()) << q << ": " << plan.status().ToString();
    auto fast = RunQuery(*reader, q, QueryOptions());
    auto slow = RunQuery(*reader, q, indexes);
    ASSERT_TRUE(fast.ok()) << q << ": " << fast.status().ToString();
    ASSERT_TRUE(slow.ok()) << q << ": " << slow.status().ToString();
    EXPECT_EQ(fast->rows, slow->rows) << q << "\n" << *plan;
    EXPECT_FALSE(fast->rows.empty()) << q;
    if (std::string(q).find("IN [") == std::string::npos) {
      EXPECT_NE(plan->find("topology"), std::string::npos) << q << "\n" << *plan;
    }
    auto index_plan = ExplainQuery(*reader, q, indexes);
    ASSERT_TRUE(index_plan.ok());
    EXPECT_EQ(index_plan->find("topology"), std::string::npos) << *index_plan;
  }
}

TEST_F(QueryStoreTest, SmallSearchesDoNotLoadTheTopology) {
  ASSERT_TRUE(*store_->RefreshTopology());
  auto reader = store_->NewReader();
  PathOptions path;
  ASSERT_TRUE(FindPaths(*reader, "John Kerry", "Bashar al-Assad", path, QueryOptions()).ok());
  NeighborOptions one_ring;
  ASSERT_TRUE(Neighbors(*reader, "Russia", one_ring, QueryOptions()).ok());
  ASSERT_TRUE(
      RunQuery(*reader, "MATCH (a)-[r]->(b {name: 'Russia'}) RETURN count(*)", QueryOptions())
          .ok());
  EXPECT_EQ(reader->LoadedTopology(), nullptr);
  // Unpinned counts and multi-hop neighbourhoods load it; then every search uses it.
  auto plan = ExplainQuery(*reader, "MATCH (a)-[r]->(b) RETURN count(*)", QueryOptions());
  ASSERT_TRUE(plan.ok());
  EXPECT_NE(plan->find("topology"), std::string::npos) << *plan;
  EXPECT_NE(reader->LoadedTopology(), nullptr);
  auto pinned =
      ExplainQuery(*reader, "MATCH (a)-[r]->(b {name: 'Russia'}) RETURN count(*)", QueryOptions());
  ASSERT_TRUE(pinned.ok());
  EXPECT_NE(pinned->find("topology"), std::string::npos) << *pinned;
}

TEST_F(QueryStoreTest, NeighbourCountsMatchTheRows) {
  ASSERT_TRUE(*store_->RefreshTopology());
  auto with_topology = store_->NewReader();
  QueryOptions indexes;
  indexes.use_topology = false;
  for (Direction direction : {Direction::kOut, Direction::kIn, Direction::kBoth}) {
    for (const std::vector<std::string>& relations :
         {std::vector<std::string>{}, std::vector<std::string>{"accuse", "fight"}}) {
      NeighborOptions rows;
      rows.hops = 2;
      rows.direction = direction;
      rows.filter.relations = relations;
      NeighborOptions counts = rows;
      counts.count_only = true;
      auto full = Neighbors(*with_topology, "Russia", rows, indexes);
      ASSERT_TRUE(full.ok()) << full.status().ToString();
      std::map<int64_t, int64_t> per_ring;
      for (const auto& row : full->rows) ++per_ring[row[2].AsInt()];
      for (const QueryOptions& options : {indexes, QueryOptions()}) {
        auto summary = Neighbors(*with_topology, "Russia", counts, options);
        ASSERT_TRUE(summary.ok()) << summary.status().ToString();
        ASSERT_EQ(summary->columns, (std::vector<std::string>{"hops", "actors"}));
        std::map<int64_t, int64_t> got;
        for (const auto& row : summary->rows) got[row[0].AsInt()] = row[1].AsInt();
        EXPECT_EQ(got, per_ring) << "direction " << static_cast<int>(direction) << ", "
                                 << relations.size() << " relations, topology "
                                 << options.use_topology;
      }
      if (relations.empty() && direction == Direction::kBoth) {
        EXPECT_FALSE(per_ring.empty());
      }
    }
  }
}

TEST_F(QueryStoreTest, PairCountPlanOnlyWhenTheIndexHoldsTheAnswer) {
  // Negated events are asserted-only in the index: a query reading r.negated,
  // date bounds, pinned nodes, two relationships or undirected patterns and
  // aggregates other than counts keep the edge-scan plan.
  for (const char* q : {
           "MATCH (a)-[r:accuse]->(b) WHERE r.negated RETURN count(*)",
           "MATCH (a)-[r:accuse]->(b) WHERE r.date >= '2016-10-01' RETURN count(*)",
           "MATCH (a)-[r:accuse]->(b {name: 'Russia'}) RETURN count(DISTINCT a)",
           "MATCH (a)-[r:accuse]-(b) RETURN count(*)",
           "MATCH (a)-[r:accuse]->(b)-[s]->(c) RETURN count(*)",
           "MATCH (a)-[r:accuse]->(b) RETURN collect(a.name)",
           "MATCH (a)-[r:accuse]->(b) RETURN r.cameo, count(*)",
           "MATCH (a)-[r:accuse]->(a) RETURN count(*)",
       }) {
    auto plan = ExplainQuery(*reader_, q, QueryOptions());
    ASSERT_TRUE(plan.ok()) << q << ": " << plan.status().ToString();
    EXPECT_EQ(plan->find("CountPairs"), std::string::npos) << q << "\n" << *plan;
  }
  // Negated events are not counted: d2's negated accusation is left out.
  auto all = RunQuery(*reader_, "MATCH (a)-[r:accuse]->(b) RETURN count(*)", QueryOptions());
  auto with_negated = RunQuery(
      *reader_, "MATCH (a)-[r:accuse]->(b) WHERE r.negated OR NOT r.negated RETURN count(*)",
      QueryOptions());
  ASSERT_TRUE(all.ok() && with_negated.ok());
  EXPECT_EQ(all->rows[0][0].AsInt() + 1, with_negated->rows[0][0].AsInt());
}

TEST_F(QueryStoreTest, ReaderDegreesActorsAndKeyOnlyScans) {
  std::map<ActorId, int64_t> degrees;
  ASSERT_TRUE(reader_
                  ->ScanDegrees(true,
                                [&](ActorId id, int64_t n) {
                                  degrees[id] = n;
                                  return true;
                                })
                  .ok());
  ASSERT_FALSE(degrees.empty());
  for (const auto& [id, n] : degrees) {
    auto d = reader_->GetDegree(id);
    ASSERT_TRUE(d.ok());
    EXPECT_EQ(d->first, n);
  }
  std::vector<ActorId> ids;
  for (const auto& [id, n] : degrees) ids.push_back(id);
  ids.push_back(12345);  // Absent.
  auto recs = reader_->GetActors(ids);
  ASSERT_TRUE(recs.ok());
  ASSERT_EQ(recs->size(), ids.size());
  for (size_t i = 0; i + 1 < ids.size(); ++i) {
    ASSERT_TRUE((*recs)[i].has_value());
    auto one = reader_->GetActor(ids[i]);
    ASSERT_TRUE(one.ok() && one->has_value());
    EXPECT_EQ((*recs)[i]->name, (*one)->name);
  }
  EXPECT_FALSE(recs->back().has_value());
  // Key-only scans see the same edges and negation flags as full decodes.
  EdgeScanSpec full, keys;
  keys.decode_value = false;
  std::vector<std::tuple<ActorId, RelationId, ActorId, bool>> a, b;
  ASSERT_TRUE(reader_
                  ->ScanEdges(full,
                              [&](const EdgeEntry& e) {
                                a.emplace_back(e.source, e.relation, e.target, e.negated);
                                return true;
                              })
                  .ok());
  ASSERT_TRUE(reader_
                  ->ScanEdges(keys,
                              [&](const EdgeEntry& e) {
                                b.emplace_back(e.source, e.relation, e.target, e.negated);
                                EXPECT_TRUE(e.cameo.empty());
                                return true;
                              })
                  .ok());
  EXPECT_EQ(a, b);
  // Nested scans of one index (as the executor does) each see every edge.
  size_t outer = 0, inner = 0;
  ASSERT_TRUE(reader_
                  ->ScanEdges(keys,
                              [&](const EdgeEntry&) {
                                ++outer;
                                EXPECT_TRUE(reader_
                                                ->ScanEdges(keys,
                                                            [&](const EdgeEntry&) {
                                                              ++inner;
                                                              return true;
                                                            })
                                                .ok());
                                return true;
                              })
                  .ok());
  EXPECT_EQ(outer, a.size());
  EXPECT_EQ(inner, a.size() * a.size());
}

// The CLI: exit codes, one-line errors, JSON Lines when stdout is not a terminal.
class QueryCliTest : public QueryStoreTest {
 protected:
  kg::testing::CommandResult Kg(const std::string& args) {
    store_.reset();
    reader_.reset();
    return kg::testing::RunCommand(kg::testing::ShellQuote(kg::testing::KgBinary()) + " --db " +
                                   kg::testing::ShellQuote(dir_.Sub("db")) + " " + args);
  }
};

TEST_F(QueryCliTest, QueryPrintsJsonLinesWhenPiped) {
  auto r = Kg("query \"MATCH (a {name: 'Kerry'})-[r:accuse]->(b) RETURN b.name, count(*) AS n\"");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "{\"b.name\":\"Russia\",\"n\":2}\n");
}

TEST_F(QueryCliTest, EvidenceAndTable) {
  auto r = Kg("query --format table --evidence \"MATCH (a {name: 'UN'})-[r]->(b) RETURN b.name\"");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("United Nations accuse Syria."), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("(1 row)"), std::string::npos) << r.out;
}

TEST_F(QueryCliTest, SyntaxErrorIsUsageErrorWithCaret) {
  auto r = Kg("query \"MATCH (a RETURN a\"");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err.rfind("kg query: error: line 1, column 10: expected ')'", 0), 0u) << r.err;
  EXPECT_NE(r.err.find("^"), std::string::npos);
}

TEST_F(QueryCliTest, PathNeighborsTopRank) {
  auto path = Kg("path 'John Kerry' 'Bashar al-Assad' --max-hops 4 --format tsv");
  EXPECT_EQ(path.exit_code, 0) << path.err;
  EXPECT_EQ(path.out, "path\thops\nJohn Kerry -[accuse]-> Russia <-[praise]- Bashar al-Assad\t2\n");
  auto nb = Kg("neighbors Russia --hops 1 --relation accuse --format tsv");
  EXPECT_EQ(nb.exit_code, 0) << nb.err;
  EXPECT_NE(nb.out.find("John Kerry\tUSAGOV\t1\tJohn Kerry\t[accuse]\t2"), std::string::npos)
      << nb.out;
  auto top = Kg("top --relation accuse --limit 1 --format tsv");
  EXPECT_EQ(top.exit_code, 0) << top.err;
  EXPECT_EQ(top.out, "source\trelation\ttarget\tevents\nJohn Kerry\taccuse\tRussia\t2\n");
  auto rank = Kg("rank --by betweenness --relation-class conflict --limit 1 --format tsv");
  EXPECT_EQ(rank.exit_code, 0) << rank.err;
  EXPECT_EQ(rank.out, "rank\tactor\tcode\tscore\n1\tRussia\tRUS\t12.0\n");
  auto unknown = Kg("path Kery Assad");
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_NE(unknown.err.find("kg path: error: unknown actor 'Kery'"), std::string::npos)
      << unknown.err;
}

TEST_F(QueryCliTest, MissingStoreFails) {
  auto r = kg::testing::RunCommand(kg::testing::ShellQuote(kg::testing::KgBinary()) + " --db " +
                                   kg::testing::ShellQuote(dir_.Sub("nope")) +
                                   " query 'MATCH (a) RETURN a'");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("kg query: error: no kg store"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace kg::query
