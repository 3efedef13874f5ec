#include "tests/test_util.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>

namespace kg::testing {

TempDir::TempDir() {
  static std::atomic<int> counter{0};
  std::random_device rd;
  auto base = std::filesystem::temp_directory_path();
  path_ = base / ("kg_test_" + std::to_string(getpid()) + "_" + std::to_string(counter++) + "_" +
                  std::to_string(rd() % 100000));
  std::filesystem::create_directories(path_);
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

std::string SourcePath(const std::string& relative) {
  return std::string(KG_SOURCE_DIR) + "/" + relative;
}

std::string SharedPath(const std::string& relative) {
  std::filesystem::path shared(KG_SHARED_DIR);
  if (!std::filesystem::exists(shared)) return "";
  auto full = shared / relative;
  if (!std::filesystem::exists(full)) return "";
  return full.string();
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void WriteFile(const std::string& path, const std::string& contents) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << contents;
}

std::string ShellQuote(const std::string& arg) {
  std::string out = "'";
  for (char c : arg) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  out += "'";
  return out;
}

CommandResult RunCommand(const std::string& command) {
  CommandResult result;
  TempDir tmp;
  std::string out_path = tmp.Sub("stdout");
  std::string err_path = tmp.Sub("stderr");
  std::string full = command + " >" + ShellQuote(out_path) + " 2>" + ShellQuote(err_path);
  int status = std::system(full.c_str());
  if (status != -1 && WIFEXITED(status)) result.exit_code = WEXITSTATUS(status);
  result.out = ReadFile(out_path);
  result.err = ReadFile(err_path);
  return result;
}

std::string KgBinary() { return KG_BINARY; }

std::unique_ptr<GraphStore> OpenTestStore(const std::string& path, bool read_only) {
  StoreOptions options;
  options.path = path;
  options.read_only = read_only;
  auto store = GraphStore::Open(options);
  EXPECT_TRUE(store.ok()) << store.status().ToString();
  return store.ok() ? std::move(store).value() : nullptr;
}

}  // namespace kg::testing
