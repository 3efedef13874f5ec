#include <cstdio>

#include "tools/commands.h"

namespace kg::tools {

void PrintError(const std::string& command, const std::string& message) {
  std::fprintf(stderr, "kg %s: error: %s\n", command.c_str(), message.c_str());
}

}  // namespace kg::tools
