// Runs every tests/golden/queries/*.test file against the fixture graph of
// tests/golden/queries/fixture.tsv. File format (one directive per line):
//   # comment
//   -CASE name                   starts a case (options reset)
//   -OPTIONS k=v ...             limit=N evidence max_hops=N max_work=N timeout_ms=N
//   -STATEMENT query text        a query (one line)
//   -NEXTPAGE                    re-run the previous statement with its cursor
//   -ALGO name k=v;k=v           path(from,to,max_hops,all,weighted,direction,relation,class)
//                                neighbors(actor,hops,direction,relation,class),
//                                top(relation,limit), rank(by,relation,class,limit)
//   ---- N                       then N expected rows, tab-separated (Value::ToString)
//   ---- error                   then one line: a substring of the expected error message
//   -HEADER col<TAB>col          optional, before ----: expected column names
//   -CURSOR yes|no               optional, before ----: whether a next-page cursor is expected
// Every file runs twice: on the edge indexes and on a store whose topology is
// current (graph/topology.h), which must give the same rows; EXPLAIN output
// and work-budget cases are only checked on the edge indexes, since the
// topology plans and charges differently.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "query/algorithms.h"
#include "query/query.h"
#include "tests/query/fixture_loader.h"

namespace kg::query {
namespace {

using kg::testing::SplitOn;

class GoldenQueryTest : public ::testing::TestWithParam<bool> {
 protected:
  static void SetUpTestSuite() {
    dir_ = new kg::testing::TempDir();
    for (int i = 0; i < 2; ++i) {
      StoreOptions options;
      options.path = dir_->Sub(i == 0 ? "db" : "db-topology");
      auto store = GraphStore::Open(options);
      ASSERT_TRUE(store.ok()) << store.status().ToString();
      stores_[i] = std::move(store).value().release();
      const std::string err = kg::testing::LoadFixture(
          stores_[i], kg::testing::SourcePath("tests/golden/queries/fixture.tsv"));
      ASSERT_EQ(err, "");
    }
    auto rebuilt = stores_[1]->RefreshTopology();
    ASSERT_TRUE(rebuilt.ok() && *rebuilt);
  }
  static void TearDownTestSuite() {
    for (GraphStore*& store : stores_) {
      delete store;
      store = nullptr;
    }
    delete dir_;
    dir_ = nullptr;
  }
  static kg::testing::TempDir* dir_;
  static GraphStore* stores_[2];
};

kg::testing::TempDir* GoldenQueryTest::dir_ = nullptr;
GraphStore* GoldenQueryTest::stores_[2] = {nullptr, nullptr};

std::map<std::string, std::string> ParsePairs(const std::string& text, char sep) {
  std::map<std::string, std::string> out;
  for (const auto& part : SplitOn(text, sep)) {
    if (part.empty()) continue;
    const size_t eq = part.find('=');
    if (eq == std::string::npos) {
      out[part] = "1";
    } else {
      out[part.substr(0, eq)] = part.substr(eq + 1);
    }
  }
  return out;
}

SubgraphFilter FilterOf(std::map<std::string, std::string>& kv) {
  SubgraphFilter f;
  if (kv.count("relation")) f.relations = SplitOn(kv["relation"], ',');
  if (kv.count("class")) f.relation_class = kv["class"];
  if (kv.count("negated")) f.include_negated = true;
  return f;
}

Direction DirectionOf(const std::string& d) {
  if (d == "out") return Direction::kOut;
  if (d == "in") return Direction::kIn;
  return Direction::kBoth;
}

Result<ResultTable> RunAlgo(const GraphReader& reader, const std::string& spec,
                            const QueryOptions& options) {
  const size_t space = spec.find(' ');
  const std::string name = spec.substr(0, space);
  auto kv = ParsePairs(space == std::string::npos ? "" : spec.substr(space + 1), ';');
  if (name == "path") {
    PathOptions p;
    p.filter = FilterOf(kv);
    if (kv.count("max_hops")) p.max_hops = std::stoi(kv["max_hops"]);
    p.all = kv.count("all") > 0;
    p.weighted = kv.count("weighted") > 0;
    if (kv.count("direction")) p.direction = DirectionOf(kv["direction"]);
    return FindPaths(reader, kv["from"], kv["to"], p, options);
  }
  if (name == "neighbors") {
    NeighborOptions n;
    n.filter = FilterOf(kv);
    if (kv.count("hops")) n.hops = std::stoi(kv["hops"]);
    if (kv.count("direction")) n.direction = DirectionOf(kv["direction"]);
    return Neighbors(reader, kv["actor"], n, options);
  }
  if (name == "top") {
    TopOptions t;
    t.relation = kv["relation"];
    if (kv.count("limit")) t.limit = std::stoul(kv["limit"]);
    return TopPairs(reader, t, options);
  }
  if (name == "rank") {
    RankOptions r;
    r.filter = FilterOf(kv);
    auto m = ParseRankMeasure(kv.count("by") ? kv["by"] : "degree");
    if (!m) return Status::InvalidArgument("bad measure");
    r.measure = *m;
    if (kv.count("limit")) r.limit = std::stoul(kv["limit"]);
    return RankActors(reader, r, options);
  }
  return Status::InvalidArgument("unknown -ALGO " + name);
}

std::string Join(const std::vector<std::string>& parts, const std::string& sep) {
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) out += (i ? sep : "") + parts[i];
  return out;
}

TEST_P(GoldenQueryTest, AllFiles) {
  const bool with_topology = GetParam();
  // KG_GOLDEN_DIR runs the .test files of another folder (for writing new cases).
  const char* override_dir = std::getenv("KG_GOLDEN_DIR");
  const std::filesystem::path dir =
      override_dir != nullptr ? override_dir : kg::testing::SourcePath("tests/golden/queries");
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() == ".test") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  ASSERT_FALSE(files.empty());
  auto reader = stores_[with_topology ? 1 : 0]->NewReader();
  auto topology = reader->GetTopology();
  ASSERT_TRUE(topology.ok());
  ASSERT_EQ(*topology != nullptr, with_topology);
  int cases = 0;
  for (const auto& file : files) {
    std::vector<std::string> lines;
    {
      std::istringstream in(kg::testing::ReadFile(file.string()));
      std::string line;
      while (std::getline(in, line)) lines.push_back(line);
    }
    std::string case_name, statement, algo, header, cursor_expect, previous_cursor;
    QueryOptions options;
    bool next_page = false;
    for (size_t i = 0; i < lines.size(); ++i) {
      const std::string& line = lines[i];
      const std::string where =
          file.filename().string() + ":" + std::to_string(i + 1) + " [" + case_name + "]";
      if (line.empty() || line[0] == '#') continue;
      if (line.starts_with("-CASE")) {
        case_name = line.size() > 6 ? line.substr(6) : "";
        options = QueryOptions();
        algo.clear();
        header.clear();
        cursor_expect.clear();
        next_page = false;
      } else if (line.starts_with("-OPTIONS ")) {
        auto kv = ParsePairs(line.substr(9), ' ');
        if (kv.count("limit")) options.row_limit = std::stoul(kv["limit"]);
        if (kv.count("evidence")) options.evidence = true;
        if (kv.count("max_hops")) options.max_hops = std::stoi(kv["max_hops"]);
        if (kv.count("max_work")) options.work_budget = std::stoull(kv["max_work"]);
        if (kv.count("timeout_ms")) options.time_budget_ms = std::stoll(kv["timeout_ms"]);
      } else if (line.starts_with("-STATEMENT ")) {
        statement = line.substr(11);
        algo.clear();
        next_page = false;
      } else if (line.starts_with("-NEXTPAGE")) {
        next_page = true;
      } else if (line.starts_with("-ALGO ")) {
        algo = line.substr(6);
        statement.clear();
      } else if (line.starts_with("-HEADER ")) {
        header = line.substr(8);
      } else if (line.starts_with("-CURSOR ")) {
        cursor_expect = line.substr(8);
      } else if (line.starts_with("----")) {
        ++cases;
        QueryOptions run = options;
        if (next_page) run.after = previous_cursor;
        Result<ResultTable> result =
            algo.empty() ? RunQuery(*reader, statement, run) : RunAlgo(*reader, algo, run);
        const std::string expect = line.size() > 5 ? line.substr(5) : "";
        const bool skip = with_topology && (statement.starts_with("EXPLAIN") ||
                                            options.work_budget != QueryOptions().work_budget);
        if (expect == "error") {
          ++i;
          if (skip) continue;
          const std::string want = i < lines.size() ? lines[i] : "";
          EXPECT_FALSE(result.ok()) << where << ": expected an error containing '" << want << "'";
          if (!result.ok()) {
            EXPECT_NE(result.status().message().find(want), std::string::npos)
                << where << ": error was:\n"
                << result.status().message();
          }
          continue;
        }
        const size_t n = std::stoul(expect);
        std::vector<std::string> want(
            lines.begin() + static_cast<std::ptrdiff_t>(i + 1),
            lines.begin() + static_cast<std::ptrdiff_t>(std::min(lines.size(), i + 1 + n)));
        i += n;
        if (skip) continue;
        if (!result.ok()) {
          ADD_FAILURE() << where << ": " << result.status().ToString();
          continue;
        }
        std::vector<std::string> got;
        for (const auto& row : result->rows) {
          std::vector<std::string> cells;
          for (const auto& v : row) cells.push_back(v.ToString());
          got.push_back(Join(cells, "\t"));
        }
        if (std::getenv("KG_GOLDEN_PRINT") != nullptr) {
          std::printf("%s\n---- %zu\n%s%s", where.c_str(), got.size(), Join(got, "\n").c_str(),
                      got.empty() ? "" : "\n");
          for (const auto& note : result->notes) std::printf("  note: %s\n", note.c_str());
          std::printf("  columns: %s\n", Join(result->columns, " | ").c_str());
        }
        EXPECT_EQ(Join(got, "\n"), Join(want, "\n")) << where << "\nquery: " << statement << algo;
        if (!header.empty()) {
          EXPECT_EQ(Join(result->columns, "\t"), header) << where;
        }
        if (cursor_expect == "yes") {
          EXPECT_FALSE(result->next_cursor.empty()) << where;
        }
        if (cursor_expect == "no") {
          EXPECT_TRUE(result->next_cursor.empty()) << where;
        }
        previous_cursor = result->next_cursor;
        header.clear();
        cursor_expect.clear();
      }
    }
  }
  EXPECT_GT(cases, 0);
}

INSTANTIATE_TEST_SUITE_P(EdgeIndexesAndTopology, GoldenQueryTest, ::testing::Bool(),
                         [](const ::testing::TestParamInfo<bool>& param_info) {
                           return param_info.param ? std::string("Topology")
                                                   : std::string("EdgeIndexes");
                         });

}  // namespace
}  // namespace kg::query
