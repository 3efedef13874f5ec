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

}  // namespace kg::tools
