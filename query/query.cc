// Entry points: parse -> plan -> execute, with no exception escaping.
#include "query/query.h"

#include <exception>

#include "query/parser.h"
#include "query/plan.h"

namespace kg::query {
namespace {

Result<ResultTable> RunQueryImpl(const GraphReader& reader, std::string_view text,
                                 const QueryOptions& options) {
  if (options.max_hops < 1) return Status::InvalidArgument("max hops must be at least 1");
  KG_ASSIGN_OR_RETURN(Query query, Parse(text));
  GraphContext ctx(reader, options);
  const bool explain = query.explain;
  KG_ASSIGN_OR_RETURN(Plan plan, PlanQuery(std::move(query), text, ctx));
  if (explain) {
    ResultTable table;
    table.columns = {"plan"};
    const std::string described = DescribePlan(plan);
    size_t start = 0;
    while (start < described.size()) {
      size_t nl = described.find('\n', start);
      if (nl == std::string::npos) nl = described.size();
      table.rows.push_back({Value::String(described.substr(start, nl - start))});
      start = nl + 1;
    }
    return table;
  }
  return ExecutePlan(plan, ctx);
}

}  // namespace

Result<ResultTable> RunQuery(const GraphReader& reader, std::string_view text,
                             const QueryOptions& options) {
  try {
    return RunQueryImpl(reader, text, options);
  } catch (const std::bad_alloc&) {
    return Status::ResourceExhausted("out of memory while running the query; lower the budgets");
  } catch (const std::exception& e) {
    return Status::Internal(std::string("query failed: ") + e.what());
  }
}

Result<std::string> ExplainQuery(const GraphReader& reader, std::string_view text,
                                 const QueryOptions& options) {
  try {
    KG_ASSIGN_OR_RETURN(Query query, Parse(text));
    GraphContext ctx(reader, options);
    KG_ASSIGN_OR_RETURN(Plan plan, PlanQuery(std::move(query), text, ctx));
    return DescribePlan(plan);
  } catch (const std::exception& e) {
    return Status::Internal(std::string("explain failed: ") + e.what());
  }
}

}  // namespace kg::query
