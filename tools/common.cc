#include <chrono>
#include <cstdio>

#include "tools/commands.h"

namespace kg::tools {

void PrintError(const std::string& command, const std::string& message) {
  std::fprintf(stderr, "kg %s: error: %s\n", command.c_str(), message.c_str());
}

Status RefreshTopologyOf(GraphStore& store, const std::string& command, bool quiet) {
  const auto start = std::chrono::steady_clock::now();
  KG_ASSIGN_OR_RETURN(bool rebuilt, store.RefreshTopology());
  if (rebuilt && !quiet) {
    std::fprintf(stderr, "kg %s: topology rebuilt in %.2f s\n", command.c_str(),
                 std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  }
  return Status::Ok();
}

Status RefreshTopologyAfterWrite(GraphStore& store, const std::string& command, bool quiet,
                                 uint64_t events_written) {
  constexpr int64_t kAlwaysBelowEvents = 2'000'000;
  KG_ASSIGN_OR_RETURN(StoreStats stats, store.NewReader()->Stats());
  if (stats.events > kAlwaysBelowEvents &&
      events_written < static_cast<uint64_t>(stats.events / 10)) {
    if (!quiet) {
      std::fprintf(stderr,
                   "kg %s: topology not rebuilt for %llu new events in a store of %lld; paths, "
                   "neighbourhoods and counts use the edge indexes until kg optimize\n",
                   command.c_str(), static_cast<unsigned long long>(events_written),
                   static_cast<long long>(stats.events));
    }
    return Status::Ok();
  }
  return RefreshTopologyOf(store, command, quiet);
}

}  // namespace kg::tools
