// `kg query`, `kg path`, `kg neighbors`, `kg top` and `kg rank`: read-only
// questions to the store, answered by the query engine (query/).
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <memory>
#include <string>

#include "graph/date.h"
#include "graph/graph_store.h"
#include "query/algorithms.h"
#include "query/query.h"
#include "tools/commands.h"

namespace kg::tools {
namespace {

constexpr const char* kFormatHelp =
    "Output format: table (aligned, for people), json (JSON Lines: one object per row, then "
    "{\"_next_cursor\": ...} when more rows follow) or tsv (header + rows). Default: table when "
    "stdout is a terminal, json otherwise";

// Options shared by the five commands.
struct OutputOptions {
  std::string format;  // "" = auto.
  size_t limit = 0;    // 0 = the command's default.
  int64_t timeout_ms = 30000;
  uint64_t max_work = 20'000'000;
};

void AddOutputOptions(CLI::App* cmd, OutputOptions* out, const std::string& limit_help) {
  cmd->add_option("--format", out->format, kFormatHelp)
      ->check(CLI::IsMember({"table", "json", "tsv"}));
  cmd->add_option("--limit", out->limit, limit_help);
  cmd->add_option("--timeout-ms", out->timeout_ms, "Time budget in milliseconds; 0 = none")
      ->capture_default_str();
  cmd->add_option("--max-work", out->max_work,
                  "Work budget: edges scanned plus intermediate rows; 0 = none")
      ->capture_default_str();
}

int ExitCodeFor(const Status& s) {
  return s.code() == StatusCode::kInvalidArgument ? kExitUsage : kExitFailure;
}

// Opens the store read-only; prints the error and returns null on failure.
std::unique_ptr<GraphStore> OpenStore(const GlobalOptions& global, const std::string& command,
                                      int* exit_code) {
  StoreOptions options;
  options.path = global.db_path;
  options.read_only = true;
  auto store = GraphStore::Open(options);
  if (!store.ok()) {
    PrintError(command, store.status().message());
    *exit_code = kExitFailure;
    return nullptr;
  }
  return std::move(store).value();
}

// Prints rows (and notes on stderr); sets the exit code.
void Print(const std::string& command, const GlobalOptions& global, const OutputOptions& out,
           const Result<query::ResultTable>& result, int* exit_code) {
  if (!result.ok()) {
    PrintError(command, result.status().message());
    *exit_code = ExitCodeFor(result.status());
    return;
  }
  if (!global.quiet) {
    for (const auto& note : result->notes)
      std::fprintf(stderr, "kg %s: note: %s\n", command.c_str(), note.c_str());
  }
  std::string format = out.format;
  if (format.empty()) format = isatty(STDOUT_FILENO) ? "table" : "json";
  std::string text;
  if (format == "table") {
    text = query::FormatTable(*result);
  } else if (format == "tsv") {
    text = query::FormatTsv(*result);
    if (!result->next_cursor.empty() && !global.quiet) {
      std::fprintf(stderr, "kg %s: note: more rows: add --after %s\n", command.c_str(),
                   result->next_cursor.c_str());
    }
  } else {
    text = query::FormatJsonLines(*result);
  }
  std::fwrite(text.data(), 1, text.size(), stdout);
  std::fflush(stdout);
  *exit_code = kExitOk;
}

query::QueryOptions Budget(const OutputOptions& out, size_t default_limit) {
  query::QueryOptions q;
  q.row_limit = out.limit == 0 ? default_limit : out.limit;
  q.time_budget_ms = out.timeout_ms;
  q.work_budget = out.max_work;
  return q;
}

// Filter flags shared by path, neighbors and rank.
struct FilterFlags {
  std::vector<std::string> relations;
  std::string relation_class;
  std::string from, to;
  bool include_negated = false;
};

void AddFilterOptions(CLI::App* cmd, FilterFlags* f) {
  cmd->add_option("--relation", f->relations, "Only these relations (repeatable), e.g. accuse");
  cmd->add_option(
         "--relation-class", f->relation_class,
         "Only events of a CAMEO class: conflict, cooperation, verbal, material, verbal-conflict, "
         "material-conflict, verbal-cooperation, material-cooperation")
      ->check(CLI::IsMember({"conflict", "cooperation", "verbal", "material", "verbal-conflict",
                             "material-conflict", "verbal-cooperation", "material-cooperation"}));
  cmd->add_option("--from", f->from, "Only events on or after this date (YYYY-MM-DD)");
  cmd->add_option("--to", f->to, "Only events on or before this date (YYYY-MM-DD)");
  cmd->add_flag("--include-negated", f->include_negated,
                "Also follow negated (\"did not ...\") events");
}

Result<query::SubgraphFilter> ToFilter(const FilterFlags& f) {
  query::SubgraphFilter filter;
  filter.relations = f.relations;
  filter.relation_class = f.relation_class;
  filter.include_negated = f.include_negated;
  if (!f.from.empty()) {
    KG_ASSIGN_OR_RETURN(filter.date_from, ParseIsoDate(f.from));
  }
  if (!f.to.empty()) {
    KG_ASSIGN_OR_RETURN(filter.date_to, ParseIsoDate(f.to));
  }
  return filter;
}

Result<query::Direction> ParseDirection(const std::string& d) {
  if (d == "out") return query::Direction::kOut;
  if (d == "in") return query::Direction::kIn;
  if (d == "both") return query::Direction::kBoth;
  return Status::InvalidArgument("--direction must be out, in or both");
}

void RegisterQuery(CLI::App& app, GlobalOptions& global, int* exit_code) {
  struct Args {
    std::string text;
    OutputOptions out;
    bool evidence = false;
    std::string after;
    int max_hops = 6;
  };
  auto args = std::make_shared<Args>();
  CLI::App* cmd = app.add_subcommand(
      "query", "Run a Cypher-like query over the graph (details: kg query --help)");
  cmd->footer(
      "Example:\n"
      "  kg query \"MATCH (a)-[r:accuse|blame]->(b {name: 'Russia'}) WHERE r.date >= '2016-10-01' "
      "RETURN a.name, count(*) AS n ORDER BY n DESC\"\n"
      "Patterns: (a {name|code: '...'}), (a:Person), -[r:rel1|rel2]->, <-[r]-, -[r]-, -[*1..4]-,\n"
      "p = SHORTEST (a)-[*..4]-(b), ALL SHORTEST. WHERE over r.date, r.cameo, r.quad, "
      "r.goldstein,\n"
      "r.negated, r.attributed_to, r.document, r.source, ... with AND/OR/NOT. RETURN properties,\n"
      "count(*), count(DISTINCT x), sum/min/max/avg/collect, ORDER BY, LIMIT. Prefix EXPLAIN for "
      "the plan.\n"
      "Negated events are skipped unless the query tests r.negated. Rows are sorted (ORDER BY, "
      "then\n"
      "all columns); when more rows than --limit match, pass the printed cursor to --after.\n"
      "Exit codes: 0 ok, 1 failure, 2 bad query or option.");
  cmd->add_option("query", args->text, "The query text")->required();
  AddOutputOptions(cmd, &args->out, "Rows per page (default: 1000); LIMIT in the query lowers it");
  cmd->add_flag("--evidence", args->evidence,
                "Add document, date, quote and span columns for every matched relationship");
  cmd->add_option("--after", args->after, "Cursor printed by the previous page of the same query");
  cmd->add_option("--max-hops", args->max_hops,
                  "Cap on variable-length patterns and SHORTEST paths")
      ->capture_default_str();
  cmd->callback([&global, args, exit_code]() {
    auto store = OpenStore(global, "query", exit_code);
    if (!store) return;
    auto reader = store->NewReader();
    query::QueryOptions options = Budget(args->out, 1000);
    options.evidence = args->evidence;
    options.after = args->after;
    options.max_hops = args->max_hops;
    Print("query", global, args->out, query::RunQuery(*reader, args->text, options), exit_code);
  });
}

void RegisterPath(CLI::App& app, GlobalOptions& global, int* exit_code) {
  struct Args {
    std::string from, to;
    int max_hops = 4;
    bool all = false;
    bool weighted = false;
    std::string direction = "both";
    FilterFlags filter;
    OutputOptions out;
  };
  auto args = std::make_shared<Args>();
  CLI::App* cmd = app.add_subcommand("path",
                                     "Shortest path(s) between two actors, e.g. kg path 'John "
                                     "Kerry' 'Bashar al-Assad' --max-hops 4");
  cmd->add_option("from", args->from, "Actor name or alias")->required();
  cmd->add_option("to", args->to, "Actor name or alias")->required();
  cmd->add_option("--max-hops", args->max_hops, "Longest path considered")->capture_default_str();
  cmd->add_flag("--all", args->all, "All shortest paths instead of one");
  cmd->add_flag("--weighted", args->weighted,
                "Cheapest path with edge cost 1/(number of events) (Dijkstra), preferring "
                "well-attested links");
  cmd->add_option("--direction", args->direction, "Follow edges out, in or both ways")
      ->check(CLI::IsMember({"out", "in", "both"}))
      ->capture_default_str();
  AddFilterOptions(cmd, &args->filter);
  AddOutputOptions(cmd, &args->out, "Most paths printed (default: 100)");
  cmd->callback([&global, args, exit_code]() {
    auto store = OpenStore(global, "path", exit_code);
    if (!store) return;
    auto reader = store->NewReader();
    query::QueryOptions budget = Budget(args->out, 100);
    budget.max_hops = std::max(budget.max_hops, args->max_hops);
    auto filter = ToFilter(args->filter);
    auto direction = ParseDirection(args->direction);
    if (!filter.ok() || !direction.ok()) {
      const Status& s = !filter.ok() ? filter.status() : direction.status();
      PrintError("path", s.message());
      *exit_code = kExitUsage;
      return;
    }
    query::PathOptions options;
    options.filter = *filter;
    options.max_hops = args->max_hops;
    options.all = args->all;
    options.weighted = args->weighted;
    options.direction = *direction;
    Print("path", global, args->out,
          query::FindPaths(*reader, args->from, args->to, options, budget), exit_code);
  });
}

void RegisterNeighbors(CLI::App& app, GlobalOptions& global, int* exit_code) {
  struct Args {
    std::string actor;
    int hops = 1;
    std::string direction = "both";
    bool count = false;
    FilterFlags filter;
    OutputOptions out;
  };
  auto args = std::make_shared<Args>();
  CLI::App* cmd = app.add_subcommand(
      "neighbors",
      "Actors within N hops of an actor, e.g. kg neighbors Russia --hops 2 --relation accuse");
  cmd->alias("neighbours");
  cmd->add_option("actor", args->actor, "Actor name or alias")->required();
  cmd->add_option("--hops", args->hops, "Radius of the neighbourhood")->capture_default_str();
  cmd->add_option("--direction", args->direction,
                  "out: whom the actor acts on; in: who acts on it; both")
      ->check(CLI::IsMember({"out", "in", "both"}))
      ->capture_default_str();
  cmd->add_flag("--count", args->count, "Print only the number of actors per hop");
  AddFilterOptions(cmd, &args->filter);
  AddOutputOptions(cmd, &args->out, "Most neighbours printed (default: 1000)");
  cmd->callback([&global, args, exit_code]() {
    auto store = OpenStore(global, "neighbors", exit_code);
    if (!store) return;
    auto reader = store->NewReader();
    query::QueryOptions budget = Budget(args->out, 1000);
    budget.max_hops = std::max(budget.max_hops, args->hops);
    auto filter = ToFilter(args->filter);
    auto direction = ParseDirection(args->direction);
    if (!filter.ok() || !direction.ok()) {
      const Status& s = !filter.ok() ? filter.status() : direction.status();
      PrintError("neighbors", s.message());
      *exit_code = kExitUsage;
      return;
    }
    query::NeighborOptions options;
    options.filter = *filter;
    options.hops = args->hops;
    options.direction = *direction;
    options.count_only = args->count;
    Print("neighbors", global, args->out, query::Neighbors(*reader, args->actor, options, budget),
          exit_code);
  });
}

void RegisterTop(CLI::App& app, GlobalOptions& global, int* exit_code) {
  struct Args {
    std::string relation;
    OutputOptions out;
  };
  auto args = std::make_shared<Args>();
  CLI::App* cmd = app.add_subcommand("top",
                                     "Most frequent (source, relation, target) pairs of asserted "
                                     "events, e.g. kg top --relation accuse");
  cmd->add_option("--relation", args->relation, "Only this relation");
  AddOutputOptions(cmd, &args->out, "Number of pairs (default: 10)");
  cmd->callback([&global, args, exit_code]() {
    auto store = OpenStore(global, "top", exit_code);
    if (!store) return;
    auto reader = store->NewReader();
    query::TopOptions options;
    options.relation = args->relation;
    options.limit = args->out.limit == 0 ? 10 : args->out.limit;
    Print("top", global, args->out, query::TopPairs(*reader, options, Budget(args->out, 10)),
          exit_code);
  });
}

void RegisterRank(CLI::App& app, GlobalOptions& global, int* exit_code) {
  struct Args {
    std::string by = "degree";
    FilterFlags filter;
    OutputOptions out;
  };
  auto args = std::make_shared<Args>();
  CLI::App* cmd = app.add_subcommand(
      "rank",
      "Rank actors by centrality on the (filtered) actor graph, e.g. kg rank --by betweenness "
      "--relation-class conflict. Degree counts events; betweenness treats links as undirected; "
      "PageRank follows their direction; components lists weakly connected components");
  cmd->add_option("--by", args->by,
                  "degree, in-degree, out-degree, betweenness, pagerank or components")
      ->check(CLI::IsMember(
          {"degree", "in-degree", "out-degree", "betweenness", "pagerank", "components"}))
      ->capture_default_str();
  AddFilterOptions(cmd, &args->filter);
  AddOutputOptions(cmd, &args->out, "Number of actors (default: 10)");
  cmd->callback([&global, args, exit_code]() {
    auto store = OpenStore(global, "rank", exit_code);
    if (!store) return;
    auto reader = store->NewReader();
    auto filter = ToFilter(args->filter);
    if (!filter.ok()) {
      PrintError("rank", filter.status().message());
      *exit_code = kExitUsage;
      return;
    }
    query::RankOptions options;
    options.filter = *filter;
    options.measure = *query::ParseRankMeasure(args->by);
    options.limit = args->out.limit == 0 ? 10 : args->out.limit;
    Print("rank", global, args->out, query::RankActors(*reader, options, Budget(args->out, 10)),
          exit_code);
  });
}

}  // namespace

void RegisterQueryCommands(CLI::App& app, GlobalOptions& global, int* exit_code) {
  RegisterQuery(app, global, exit_code);
  RegisterPath(app, global, exit_code);
  RegisterNeighbors(app, global, exit_code);
  RegisterTop(app, global, exit_code);
  RegisterRank(app, global, exit_code);
}

}  // namespace kg::tools
