// Helpers of the reliability tests: a synthetic JSON Lines corpus, child
// processes that can be signalled or killed, store checks and raw store
// access.
#pragma once

#include <rocksdb/db.h>
#include <sys/types.h>

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "graph/graph_store.h"
#include "graph/store_check.h"

namespace kg::testing {

// Writes `articles` synthetic news articles to `path` as JSON Lines. Every
// article has a unique id ("gen-<seed>-<n>"), a date and 3-8 sentences built
// from templates over known actors and verbs (accusations, negations, modal
// and attributed statements, fillers), so the pipeline extracts events from
// most of them. The same (articles, seed) always gives the same bytes.
void WriteSyntheticCorpus(const std::string& path, size_t articles, uint32_t seed);

// A child process started without a shell, stdout and stderr going to files.
class ChildProcess {
 public:
  // Starts argv[0] with the given arguments. REQUIRES: !argv.empty().
  ChildProcess(const std::vector<std::string>& argv, const std::string& out_path,
               const std::string& err_path);
  ~ChildProcess();  // Kills (SIGKILL) and reaps a child still running.
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  pid_t pid() const { return pid_; }
  bool started() const { return pid_ > 0; }
  // True while the child has not exited (reaps it when it has).
  bool Running();
  void Signal(int signo);
  // Waits for the child; returns its exit code, or 128 + signal when killed.
  int Wait();

 private:
  pid_t pid_ = -1;
  int status_ = -1;  // Exit code once reaped.
};

// Argument vector for the kg binary: {KgBinary(), "--db", db, args...}.
std::vector<std::string> KgArgs(const std::string& db, const std::vector<std::string>& args);

// Opens `db` read-only and runs CheckStore; returns "" when clean, else the
// problems (or the open/read error) one per line.
std::string CheckStoreAt(const std::string& db, CheckReport* report = nullptr);

// DumpStore of `db` opened read-only ("" plus a failed expectation on errors).
std::string DumpStoreAt(const std::string& db);

// Direct access to a store's column families (RocksDB opened without kg),
// for damaging it on purpose or writing an older format.
class RawStore {
 public:
  explicit RawStore(const std::string& path);
  ~RawStore();
  RawStore(const RawStore&) = delete;
  RawStore& operator=(const RawStore&) = delete;

  rocksdb::ColumnFamilyHandle* cf(std::string_view name) { return cfs_.at(std::string(name)); }
  rocksdb::DB* db() { return db_.get(); }
  void Put(std::string_view cf_name, const std::string& key, const std::string& value);
  void Delete(std::string_view cf_name, const std::string& key);
  // The value of `key` ("" plus a failed expectation when absent).
  std::string Get(std::string_view cf_name, const std::string& key);
  // Every (key, value) of one column family in key order.
  std::vector<std::pair<std::string, std::string>> Entries(std::string_view cf_name);

 private:
  std::unique_ptr<rocksdb::DB> db_;
  std::vector<rocksdb::ColumnFamilyHandle*> handles_;
  std::map<std::string, rocksdb::ColumnFamilyHandle*> cfs_;
};

// Milliseconds since an arbitrary epoch (steady clock).
int64_t NowMs();

}  // namespace kg::testing
