// Fuzzes the query language end to end: parser, planner and executor run on
// arbitrary text against a small fixture store built once per process. Every
// input must come back as rows or a Status (no crash, no exception, no hang:
// the time and work budgets are small).
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

#include "graph/graph_store.h"
#include "query/query.h"

namespace {

kg::GraphStore* g_store = nullptr;

kg::Event MakeEvent(const std::string& source, const std::string& relation,
                    const std::string& cameo, const std::string& target, bool negated = false,
                    const char* attributed = nullptr) {
  kg::Event ev;
  ev.source = {source, source, ""};
  ev.relation = relation;
  ev.cameo = cameo;
  ev.goldstein = cameo.empty() ? 0.0 : -2.0;
  ev.target = {target, target, ""};
  ev.negated = negated;
  if (attributed != nullptr) ev.attributed_to = attributed;
  ev.mentions = {{0, 0, 12, source + " " + relation + " " + target}};
  return ev;
}

void Put(kg::GraphStore* store, const std::string& id, kg::Date date,
         const std::vector<kg::Event>& events) {
  kg::DocumentMeta meta;
  meta.id = id;
  meta.title = "fixture " + id;
  meta.source = "fuzz";
  meta.date = date;
  meta.content_hash = std::hash<std::string>()(id);
  meta.sentences = 1;
  std::vector<kg::ActorRecord> actors = {
      {0, "John Kerry", "USAGOV", kg::ActorType::kPerson, {"Kerry"}},
      {0, "Russia", "RUS", kg::ActorType::kCountry, {"Moscow", "Russian Federation"}},
      {0, "Bashar al-Assad", "SYRGOV", kg::ActorType::kPerson, {"Assad"}},
      {0, "Syrian rebels", "SYRREB", kg::ActorType::kGroup, {}},
  };
  auto r = store->PutDocument(meta, events, actors);
  if (!r.ok()) {
    std::fprintf(stderr, "fuzz: fixture: %s\n", r.status().ToString().c_str());
    std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  const std::string dir = "/tmp/kg_fuzz_query_" + std::to_string(getpid());
  std::filesystem::remove_all(dir);
  kg::StoreOptions options;
  options.path = dir;
  options.block_cache_bytes = 1 << 20;
  auto store = kg::GraphStore::Open(options);
  if (!store.ok()) {
    std::fprintf(stderr, "fuzz: %s\n", store.status().ToString().c_str());
    std::abort();
  }
  Put(store->get(), "doc-1", 17070,
      {MakeEvent("John Kerry", "accuse", "112", "Russia"),
       MakeEvent("John Kerry", "criticize", "111", "Russia", false, "John Kirby"),
       MakeEvent("Russia", "fight", "190", "Syrian rebels")});
  Put(store->get(), "doc-2", 17080,
      {MakeEvent("Bashar al-Assad", "praise", "051", "Russia"),
       MakeEvent("Russia", "accuse", "112", "Turkey", true),
       MakeEvent("Turkey", "meet", "", "Russia")});
  Put(store->get(), "doc-3", kg::kUnknownDate,
      {MakeEvent("John Kirby", "blame", "112", "Russia"),
       MakeEvent("John Kirby", "warn", "130", "Russia"),
       MakeEvent("Syrian rebels", "attack", "190", "Bashar al-Assad")});
  Put(store->get(), "doc-4", 17100, {});
  g_store = std::move(store).value().release();
  // The directory is removed when the process exits normally.
  std::atexit(
      [] { std::filesystem::remove_all("/tmp/kg_fuzz_query_" + std::to_string(getpid())); });
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 4096) return 0;
  const std::string text(reinterpret_cast<const char*>(data), size);
  auto reader = g_store->NewReader();
  kg::query::QueryOptions options;
  options.row_limit = 50;
  options.time_budget_ms = 2000;
  options.work_budget = 200'000;
  options.max_hops = 4;
  auto table = kg::query::RunQuery(*reader, text, options);
  if (table.ok()) {
    (void)kg::query::FormatTable(*table);
    (void)kg::query::FormatJsonLines(*table);
    if (!table->next_cursor.empty()) {
      options.after = table->next_cursor;
      (void)kg::query::RunQuery(*reader, text, options);
    }
  }
  // The same text with evidence columns, and its plan.
  options.after.clear();
  options.evidence = true;
  (void)kg::query::RunQuery(*reader, text, options);
  (void)kg::query::ExplainQuery(*reader, text, options);
  return 0;
}
