// `kg stats`: counts of documents, actors, events and events by relation.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdio>
#include <map>

#include "graph/graph_store.h"
#include "tools/commands.h"

namespace kg::tools {

void RegisterStatsCommand(CLI::App& app, GlobalOptions& global, int* exit_code) {
  auto json = std::make_shared<bool>(false);
  CLI::App* cmd = app.add_subcommand("stats", "Counts of documents, actors and events by relation");
  cmd->add_flag("--json", *json, "Print one JSON object instead of text");
  cmd->callback([&global, json, exit_code]() {
    StoreOptions options;
    options.path = global.db_path;
    options.read_only = true;
    auto store = GraphStore::Open(options);
    if (!store.ok()) {
      PrintError("stats", store.status().message());
      *exit_code = kExitFailure;
      return;
    }
    auto reader = (*store)->NewReader();
    auto stats = reader->Stats();
    std::map<RelationId, std::string> names;
    std::map<RelationId, int64_t> by_relation;
    Status s = stats.status();
    if (s.ok()) {
      s = reader->ScanRelations([&](RelationId id, const std::string& name) {
        names[id] = name;
        return true;
      });
    }
    // A current topology holds the per-relation totals; otherwise sum the
    // pair counters (one entry per distinct triple: slower on large stores).
    Result<std::shared_ptr<const Topology>> topology =
        s.ok() ? reader->GetTopology() : Result<std::shared_ptr<const Topology>>(s);
    if (s.ok() && !topology.ok()) s = topology.status();
    if (s.ok() && *topology != nullptr) {
      const Topology& topo = **topology;
      for (uint32_t r = 0; r < topo.num_relations(); ++r) {
        const int64_t n = topo.RelationEvents(r, /*asserted_only=*/true);
        if (n != 0) by_relation[topo.relation(r)] = n;
      }
    } else if (s.ok()) {
      s = reader->ScanPairCounts(std::nullopt, [&](const PairCount& pc) {
        by_relation[pc.relation] += pc.count;
        return true;
      });
    }
    if (!s.ok()) {
      PrintError("stats", s.message());
      *exit_code = kExitFailure;
      return;
    }
    std::vector<std::pair<int64_t, std::string>> rows;
    for (const auto& [id, n] : by_relation) rows.emplace_back(n, names.count(id) ? names[id] : "?");
    std::sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) {
      return a.first != b.first ? a.first > b.first : a.second < b.second;
    });
    if (*json) {
      std::printf(
          "{\"documents\":%lld,\"events\":%lld,\"actors\":%lld,\"relations\":%lld,\"by_relation\":"
          "{",
          static_cast<long long>(stats->documents), static_cast<long long>(stats->events),
          static_cast<long long>(stats->actors), static_cast<long long>(stats->relations));
      for (size_t i = 0; i < rows.size(); ++i) {
        std::printf("%s\"%s\":%lld", i ? "," : "", rows[i].second.c_str(),
                    static_cast<long long>(rows[i].first));
      }
      std::printf("}}\n");
    } else {
      std::printf("documents  %lld\nevents     %lld\nactors     %lld\nrelations  %lld\n",
                  static_cast<long long>(stats->documents), static_cast<long long>(stats->events),
                  static_cast<long long>(stats->actors), static_cast<long long>(stats->relations));
      if (!rows.empty()) std::printf("\nasserted events by relation:\n");
      for (const auto& [n, name] : rows)
        std::printf("  %-24s %lld\n", name.c_str(), static_cast<long long>(n));
    }
    *exit_code = kExitOk;
  });
}

}  // namespace kg::tools
