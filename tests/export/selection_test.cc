#include "export/selection.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "export/exporter.h"
#include "graph/date.h"
#include "graph/ids.h"
#include "tests/export/export_fixture.h"

namespace kg::exporter {
namespace {

using testing::ExportFixture;

class SelectionTest : public ExportFixture {
 protected:
  Subgraph Select(const SelectionOptions& options) {
    auto graph = SelectSubgraph(*reader_, options);
    EXPECT_TRUE(graph.ok()) << graph.status().ToString();
    return graph.ok() ? std::move(graph).value() : Subgraph{};
  }
  static std::set<std::string> Names(const Subgraph& g) {
    std::set<std::string> names;
    for (const ExportNode& n : g.nodes) names.insert(n.name);
    return names;
  }
  static const ExportEdge* Find(const Subgraph& g, const std::string& source,
                                const std::string& relation, const std::string& target) {
    for (const ExportEdge& e : g.edges) {
      if (g.nodes[e.source].name == source && e.relation == relation &&
          g.nodes[e.target].name == target) {
        return &e;
      }
    }
    return nullptr;
  }
};

TEST(QuadClassTest, MapsCameoRoots) {
  EXPECT_EQ(QuadClassOf("010"), QuadClass::kVerbalCooperation);
  EXPECT_EQ(QuadClassOf("046"), QuadClass::kVerbalCooperation);
  EXPECT_EQ(QuadClassOf("057"), QuadClass::kVerbalCooperation);
  EXPECT_EQ(QuadClassOf("06"), QuadClass::kMaterialCooperation);
  EXPECT_EQ(QuadClassOf("0871"), QuadClass::kMaterialCooperation);
  EXPECT_EQ(QuadClassOf("09"), QuadClass::kVerbalConflict);
  EXPECT_EQ(QuadClassOf("112"), QuadClass::kVerbalConflict);
  EXPECT_EQ(QuadClassOf("138"), QuadClass::kVerbalConflict);
  EXPECT_EQ(QuadClassOf("14"), QuadClass::kMaterialConflict);
  EXPECT_EQ(QuadClassOf("195"), QuadClass::kMaterialConflict);
  EXPECT_EQ(QuadClassOf("204"), QuadClass::kMaterialConflict);
  EXPECT_EQ(QuadClassOf(""), QuadClass::kUnknown);
  EXPECT_EQ(QuadClassOf("1"), QuadClass::kUnknown);
  EXPECT_EQ(QuadClassOf("00"), QuadClass::kUnknown);
  EXPECT_EQ(QuadClassOf("21"), QuadClass::kUnknown);
  EXPECT_EQ(QuadClassOf("ab"), QuadClass::kUnknown);
  EXPECT_EQ(QuadClassName(QuadClass::kMaterialConflict), "material-conflict");
}

TEST_F(SelectionTest, WholeGraphCollapsesParallelEvents) {
  Subgraph g = Select({});
  // 11 asserted events; Kerry->accuse->Russia appears in two documents.
  EXPECT_EQ(g.nodes.size(), 9u);
  EXPECT_EQ(g.edges.size(), 10u);
  const ExportEdge* kerry = Find(g, "John Kerry", "accuse", "Russia");
  ASSERT_NE(kerry, nullptr);
  EXPECT_EQ(kerry->count, 2);
  EXPECT_EQ(kerry->cameo, "112");
  EXPECT_EQ(kerry->quad, QuadClass::kVerbalConflict);
  EXPECT_EQ(FormatIsoDate(kerry->first_date), "2016-10-04");
  EXPECT_EQ(FormatIsoDate(kerry->last_date), "2016-10-07");
  auto docs = DocumentIds::Load(*reader_);
  ASSERT_TRUE(docs.ok());
  auto ids = EdgeDocuments(*reader_, g, static_cast<size_t>(kerry - g.edges.data()), *docs);
  ASSERT_TRUE(ids.ok());
  EXPECT_EQ(*ids, (std::vector<std::string>{"seed-1", "seed-2"}));
  // Negated events are excluded by default.
  EXPECT_EQ(Find(g, "Russia", "bomb", "Syria"), nullptr);
  // Nodes sorted by name, edges by (source, target, relation).
  EXPECT_TRUE(
      std::is_sorted(g.nodes.begin(), g.nodes.end(),
                     [](const ExportNode& a, const ExportNode& b) { return a.name < b.name; }));
  for (size_t i = 1; i < g.edges.size(); ++i) {
    EXPECT_LE(std::tie(g.edges[i - 1].source, g.edges[i - 1].target),
              std::tie(g.edges[i].source, g.edges[i].target));
  }
  int64_t degree_sum = 0;
  for (const ExportNode& n : g.nodes) degree_sum += n.degree();
  EXPECT_EQ(degree_sum, 2 * 11);
}

TEST_F(SelectionTest, IncludeNegatedMakesSeparateEdges) {
  SelectionOptions options;
  options.include_negated = true;
  Subgraph g = Select(options);
  const ExportEdge* bomb = Find(g, "Russia", "bomb", "Syria");
  ASSERT_NE(bomb, nullptr);
  EXPECT_TRUE(bomb->negated);
  EXPECT_EQ(bomb->quad, QuadClass::kMaterialConflict);
}

TEST_F(SelectionTest, RelationAndCameoClassFilters) {
  SelectionOptions options;
  options.relations = {"Accuse"};  // Normalized like the store.
  Subgraph g = Select(options);
  EXPECT_EQ(g.edges.size(), 4u);
  for (const ExportEdge& e : g.edges) EXPECT_EQ(e.relation, "accuse");

  options = {};
  options.cameo_classes = {"cooperation"};
  g = Select(options);
  for (const ExportEdge& e : g.edges) {
    EXPECT_TRUE(e.quad == QuadClass::kVerbalCooperation ||
                e.quad == QuadClass::kMaterialCooperation)
        << e.relation;
  }
  EXPECT_EQ(g.edges.size(), 3u);  // negotiate, support, provide aid.

  options.cameo_classes = {"material-conflict", "13"};
  g = Select(options);
  std::set<std::string> relations;
  for (const ExportEdge& e : g.edges) relations.insert(e.relation);
  EXPECT_EQ(relations, (std::set<std::string>{"suspend relations", "threaten"}));

  options.cameo_classes = {"unknown"};
  g = Select(options);
  ASSERT_EQ(g.edges.size(), 1u);
  EXPECT_EQ(g.edges[0].relation, "warn");

  options.cameo_classes = {"hostile"};
  auto bad = SelectSubgraph(*reader_, options);
  ASSERT_FALSE(bad.ok());
  EXPECT_TRUE(bad.status().IsInvalidArgument());
}

TEST_F(SelectionTest, DateRangeExcludesUndatedAndOutOfRange) {
  SelectionOptions options;
  options.date_from = ParseIsoDate("2016-10-05").value();
  options.date_to = ParseIsoDate("2016-10-31").value();
  Subgraph g = Select(options);
  EXPECT_EQ(g.edges.size(), 3u);  // The seed-2 document only.
  const ExportEdge* kerry = Find(g, "John Kerry", "accuse", "Russia");
  ASSERT_NE(kerry, nullptr);
  EXPECT_EQ(kerry->count, 1);

  options.date_from = options.date_to + 1;
  EXPECT_FALSE(SelectSubgraph(*reader_, options).ok());
}

TEST_F(SelectionTest, MinCountAndTop) {
  SelectionOptions options;
  options.min_count = 2;
  Subgraph g = Select(options);
  ASSERT_EQ(g.edges.size(), 1u);
  EXPECT_EQ(g.nodes.size(), 2u);

  options = {};
  options.top = 2;
  g = Select(options);
  // Russia (7 events) and the United States (4) have the highest degree.
  EXPECT_EQ(Names(g), (std::set<std::string>{"Russia", "United States"}));
  EXPECT_EQ(g.edges.size(), 3u);  // suspend relations, negotiate, accuse.
}

TEST_F(SelectionTest, EgoNetworkByHops) {
  SelectionOptions options;
  options.around = {"Kerry"};  // Alias.
  options.hops = 0;
  Subgraph g = Select(options);
  EXPECT_EQ(Names(g), (std::set<std::string>{"John Kerry"}));
  EXPECT_TRUE(g.edges.empty());
  ASSERT_EQ(g.nodes.size(), 1u);
  EXPECT_TRUE(g.nodes[0].centre);

  options.hops = 1;
  g = Select(options);
  EXPECT_EQ(Names(g), (std::set<std::string>{"John Kerry", "Russia", "Bashar al-Assad"}));
  // Induced subgraph: the rim-to-rim edge Russia -> Assad is included.
  EXPECT_NE(Find(g, "Russia", "support", "Bashar al-Assad"), nullptr);
  EXPECT_EQ(g.edges.size(), 3u);

  options.hops = 2;
  g = Select(options);
  EXPECT_EQ(Names(g), (std::set<std::string>{"John Kerry", "Russia", "Bashar al-Assad",
                                             "John Kirby", "United States"}));
  // Each event counted once even when both ends were scanned.
  const ExportEdge* us_ru = Find(g, "United States", "suspend relations", "Russia");
  ASSERT_NE(us_ru, nullptr);
  EXPECT_EQ(us_ru->count, 1);
  EXPECT_EQ(Find(g, "John Kerry", "accuse", "Russia")->count, 2);
  // Every edge of the induced subgraph on these five actors.
  EXPECT_EQ(g.edges.size(), 7u);

  options.around = {"Nobody At All"};
  auto missing = SelectSubgraph(*reader_, options);
  ASSERT_FALSE(missing.ok());
  EXPECT_TRUE(missing.status().IsNotFound());
}

TEST_F(SelectionTest, EgoNetworkMatchesInducedWholeGraph) {
  // For every actor and radius, the ego selection equals the whole graph
  // restricted to the BFS ball (computed here independently).
  Subgraph whole = Select({});
  for (const ExportNode& centre : whole.nodes) {
    for (int hops = 0; hops <= 3; ++hops) {
      std::set<size_t> ball = {static_cast<size_t>(&centre - whole.nodes.data())};
      for (int h = 0; h < hops; ++h) {
        std::set<size_t> next = ball;
        for (const ExportEdge& e : whole.edges) {
          if (ball.count(e.source)) next.insert(e.target);
          if (ball.count(e.target)) next.insert(e.source);
        }
        ball = next;
      }
      std::multiset<std::tuple<std::string, std::string, std::string, int64_t>> expected, actual;
      for (const ExportEdge& e : whole.edges) {
        if (ball.count(e.source) && ball.count(e.target)) {
          expected.emplace(whole.nodes[e.source].name, e.relation, whole.nodes[e.target].name,
                           e.count);
        }
      }
      SelectionOptions options;
      options.around = {centre.name};
      options.hops = hops;
      Subgraph ego = Select(options);
      for (const ExportEdge& e : ego.edges) {
        actual.emplace(ego.nodes[e.source].name, e.relation, ego.nodes[e.target].name, e.count);
      }
      EXPECT_EQ(actual, expected) << centre.name << " hops " << hops;
      EXPECT_EQ(ego.nodes.size(), ball.size()) << centre.name << " hops " << hops;
    }
  }
}

TEST_F(SelectionTest, ExplicitEventList) {
  std::vector<EventKey> keys;
  ASSERT_TRUE(reader_
                  ->ScanDocumentEvents("seed-2",
                                       [&](const StoredEvent& e) {
                                         keys.push_back(e.key);
                                         return true;
                                       })
                  .ok());
  ASSERT_EQ(keys.size(), 3u);
  SelectionOptions options;
  options.events = keys;
  options.events->push_back(keys[0]);  // Duplicates count once.
  Subgraph g = Select(options);
  EXPECT_EQ(g.edges.size(), 3u);
  ASSERT_EQ(g.edge_events.size(), 3u);
  const ExportEdge* kerry = Find(g, "John Kerry", "accuse", "Russia");
  ASSERT_NE(kerry, nullptr);
  EXPECT_EQ(kerry->count, 1);
  int visited = 0;
  ASSERT_TRUE(ForEachEdgeEvent(*reader_, g, static_cast<size_t>(kerry - g.edges.data()),
                               [&](const EdgeEntry& e) {
                                 EXPECT_EQ(e.event.doc, DocKeyFor("seed-2"));
                                 ++visited;
                                 return true;
                               })
                  .ok());
  EXPECT_EQ(visited, 1);

  options.around = {"Russia"};
  EXPECT_TRUE(SelectSubgraph(*reader_, options).status().IsInvalidArgument());
}

TEST_F(SelectionTest, StreamingVisitsEveryEventOnce) {
  int64_t n = 0;
  ASSERT_TRUE(ForEachSelectedEvent(*reader_, {}, [&](const EdgeEntry&) {
                ++n;
                return true;
              }).ok());
  EXPECT_EQ(n, 11);
  SelectionOptions options;
  options.around = {"Russia"};
  options.min_count = 2;
  n = 0;
  ASSERT_TRUE(ForEachSelectedEvent(*reader_, options, [&](const EdgeEntry&) {
                ++n;
                return true;
              }).ok());
  EXPECT_EQ(n, 2);
}

}  // namespace
}  // namespace kg::exporter
