// Helpers shared by the test suites.
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "graph/graph_store.h"

namespace kg::testing {

// A fresh empty directory under the system temp dir, removed on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::string Sub(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

// Absolute path of a file in the source tree, e.g. SourcePath("data/sample").
std::string SourcePath(const std::string& relative);
// Absolute path under ../shared, or "" when the shared folder is absent.
std::string SharedPath(const std::string& relative);

std::string ReadFile(const std::string& path);
void WriteFile(const std::string& path, const std::string& contents);

struct CommandResult {
  int exit_code = -1;
  std::string out;  // stdout
  std::string err;  // stderr
};
// Runs `command` through /bin/sh, capturing stdout and stderr separately.
CommandResult RunCommand(const std::string& command);
// Shell-quotes one argument.
std::string ShellQuote(const std::string& arg);
// Path of the built kg binary.
std::string KgBinary();

// Opens (creating if needed) the store at `path`; a failure is a test
// failure and returns null.
std::unique_ptr<GraphStore> OpenTestStore(const std::string& path, bool read_only = false);

}  // namespace kg::testing
