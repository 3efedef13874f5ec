#include "tests/reliability/reliability_util.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <random>
#include <sstream>

#include "graph/key_codec.h"
#include "tests/counter_merge_operator.h"
#include "tests/test_util.h"

extern char** environ;

namespace kg::testing {
namespace {

constexpr const char* kActors[] = {"Russia",
                                   "Turkey",
                                   "Syria",
                                   "Iran",
                                   "Israel",
                                   "France",
                                   "Germany",
                                   "China",
                                   "the United States",
                                   "Britain",
                                   "Saudi Arabia",
                                   "Egypt",
                                   "Iraq",
                                   "Ukraine",
                                   "NATO",
                                   "the United Nations",
                                   "John Kerry",
                                   "Sergei Lavrov",
                                   "Vladimir Putin",
                                   "Bashar al-Assad",
                                   "Hezbollah",
                                   "Hamas",
                                   "the European Union",
                                   "Barack Obama",
                                   "Donald Trump",
                                   "Qatar",
                                   "Lebanon",
                                   "Jordan",
                                   "Benjamin Netanyahu",
                                   "Recep Tayyip Erdogan",
                                   "Pakistan",
                                   "India",
                                   "Afghanistan",
                                   "the Taliban",
                                   "Yemen",
                                   "Libya",
                                   "Japan",
                                   "North Korea",
                                   "South Korea",
                                   "Mexico",
                                   "Brazil",
                                   "Venezuela",
                                   "Cuba",
                                   "Poland",
                                   "Belarus",
                                   "Georgia",
                                   "Armenia",
                                   "Azerbaijan",
                                   "Ethiopia",
                                   "Sudan",
                                   "Somalia",
                                   "Nigeria",
                                   "Kenya",
                                   "Mali",
                                   "Algeria",
                                   "Morocco",
                                   "Tunisia",
                                   "Greece",
                                   "Cyprus",
                                   "Serbia",
                                   "Kosovo",
                                   "Spain",
                                   "Italy",
                                   "Canada"};

constexpr const char* kPlaces[] = {"Aleppo",  "Damascus", "Mosul", "Kabul", "Gaza", "Idlib",
                                   "Donetsk", "Tripoli",  "Sanaa", "Raqqa", "Homs", "Baghdad"};

constexpr const char* kDays[] = {"Monday", "Tuesday",  "Wednesday", "Thursday",
                                 "Friday", "Saturday", "Sunday"};

// {A}, {B}, {C}: actors; {P}: place; {D}: weekday.
constexpr const char* kTemplates[] = {
    "{A} accused {B} of shelling {P}.",
    "{A} has criticized {B} over the attack in {P}.",
    "{A} condemned {B} on {D} after a night of bombing in {P}.",
    "{A} did not blame {B} for the violence in {P}.",
    "{A} may impose sanctions on {B}.",
    "{A} met {B} in {P} on {D}.",
    "{A} praised {B} for its help with the ceasefire.",
    "{A} threatened {B} with further sanctions.",
    "According to {A}, {B} attacked {C} near {P}.",
    "{A} said {B} had shelled positions held by {C}.",
    "{A} rejected the charge and blamed {B} for failing to rein in rebel groups.",
    "{A} warned {B} against any escalation in {P}.",
    "{A} welcomed the decision by {B} to withdraw troops from {P}.",
    "{A} denied that it had attacked {B}.",
    "{A} and {B} signed an agreement on {D}.",
    "{A} urged {B} to release the prisoners held in {P}.",
    "{A} supported {B} with air power.",
    "{A} expelled diplomats of {B} on {D}.",
    "The talks in {P} lasted three hours.",
    "Residents of {P} reported heavy fighting overnight.",
};

std::string Capitalized(std::string s) {
  if (s.rfind("the ", 0) == 0) s[0] = 'T';
  return s;
}

std::string JsonEscape(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}

}  // namespace

void WriteSyntheticCorpus(const std::string& path, size_t articles, uint32_t seed) {
  std::mt19937 rng(seed);
  auto pick = [&](auto& array) {
    return std::string(array[rng() % (sizeof(array) / sizeof(array[0]))]);
  };
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  for (size_t n = 0; n < articles; ++n) {
    std::string text;
    const int sentences = 3 + static_cast<int>(rng() % 6);
    std::string title;
    for (int s = 0; s < sentences; ++s) {
      std::string sentence = pick(kTemplates);
      std::string a = pick(kActors), b = pick(kActors), c = pick(kActors);
      while (b == a) b = pick(kActors);
      auto replace = [&](const std::string& from, const std::string& to) {
        for (size_t at = sentence.find(from); at != std::string::npos;
             at = sentence.find(from, at)) {
          sentence.replace(at, from.size(), to);
          at += to.size();
        }
      };
      const bool initial = sentence.rfind("{A}", 0) == 0;
      replace("{A}", initial ? Capitalized(a) : a);
      replace("{B}", b);
      replace("{C}", c);
      replace("{P}", pick(kPlaces));
      replace("{D}", pick(kDays));
      if (s == 0) title = sentence;
      if (!text.empty()) text += (rng() % 3 == 0) ? "\n" : " ";
      text += sentence;
    }
    const int year = 2014 + static_cast<int>(rng() % 4);
    const int month = 1 + static_cast<int>(rng() % 12);
    const int day = 1 + static_cast<int>(rng() % 28);
    char date[16];
    std::snprintf(date, sizeof date, "%04d-%02d-%02d", year, month, day);
    out << "{\"id\": \"gen-" << seed << "-" << n << "\", \"title\": \"" << JsonEscape(title)
        << "\", \"date\": \"" << date << "\", \"source\": \"synthetic\", \"text\": \""
        << JsonEscape(text) << "\"}\n";
  }
}

ChildProcess::ChildProcess(const std::vector<std::string>& argv, const std::string& out_path,
                           const std::string& err_path) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, out_path.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, err_path.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0644);
  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = -1;
  if (posix_spawn(&pid, args[0], &actions, nullptr, args.data(), environ) == 0) pid_ = pid;
  posix_spawn_file_actions_destroy(&actions);
}

ChildProcess::~ChildProcess() {
  if (started() && Running()) {
    Signal(SIGKILL);
    Wait();
  }
}

bool ChildProcess::Running() {
  if (!started() || status_ >= 0) return false;
  int status = 0;
  pid_t r = waitpid(pid_, &status, WNOHANG);
  if (r == 0) return true;
  status_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return false;
}

void ChildProcess::Signal(int signo) {
  if (started() && status_ < 0) kill(pid_, signo);
}

int ChildProcess::Wait() {
  if (!started()) return -1;
  if (status_ >= 0) return status_;
  int status = 0;
  while (waitpid(pid_, &status, 0) < 0) {
  }
  status_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return status_;
}

std::vector<std::string> KgArgs(const std::string& db, const std::vector<std::string>& args) {
  std::vector<std::string> out = {KgBinary(), "--db", db};
  out.insert(out.end(), args.begin(), args.end());
  return out;
}

std::string CheckStoreAt(const std::string& db, CheckReport* report_out) {
  StoreOptions options;
  options.path = db;
  options.read_only = true;
  auto store = GraphStore::Open(options);
  if (!store.ok()) return "open failed: " + store.status().ToString();
  auto report = CheckStore(*(*store)->NewReader());
  if (!report.ok()) return "check failed: " + report.status().ToString();
  if (report_out != nullptr) *report_out = *report;
  std::string out;
  for (const std::string& line : report->problems) out += line + "\n";
  return out;
}

std::string DumpStoreAt(const std::string& db) {
  StoreOptions options;
  options.path = db;
  options.read_only = true;
  auto store = GraphStore::Open(options);
  EXPECT_TRUE(store.ok()) << store.status().ToString();
  if (!store.ok()) return "";
  std::ostringstream out;
  Status s = DumpStore(*(*store)->NewReader(), out);
  EXPECT_TRUE(s.ok()) << s.ToString();
  return out.str();
}

RawStore::RawStore(const std::string& path) {
  std::vector<std::string> names;
  EXPECT_TRUE(rocksdb::DB::ListColumnFamilies(rocksdb::DBOptions(), path, &names).ok());
  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
  for (const std::string& name : names) {
    rocksdb::ColumnFamilyOptions cf;
    if (name == codec::kCountsCf) cf.merge_operator = std::make_shared<CounterAddOperator>();
    descriptors.emplace_back(name, cf);
  }
  rocksdb::DB* db = nullptr;
  auto s = rocksdb::DB::Open(rocksdb::DBOptions(), path, descriptors, &handles_, &db);
  EXPECT_TRUE(s.ok()) << s.ToString();
  db_.reset(db);
  for (size_t i = 0; i < handles_.size(); ++i) cfs_[names[i]] = handles_[i];
}

RawStore::~RawStore() {
  if (!db_) return;
  for (auto* h : handles_) db_->DestroyColumnFamilyHandle(h).PermitUncheckedError();
  db_->Close().PermitUncheckedError();
}

void RawStore::Put(std::string_view cf_name, const std::string& key, const std::string& value) {
  ASSERT_TRUE(db_->Put(rocksdb::WriteOptions(), cf(cf_name), key, value).ok());
}

void RawStore::Delete(std::string_view cf_name, const std::string& key) {
  ASSERT_TRUE(db_->Delete(rocksdb::WriteOptions(), cf(cf_name), key).ok());
}

std::string RawStore::Get(std::string_view cf_name, const std::string& key) {
  std::string value;
  EXPECT_TRUE(db_->Get(rocksdb::ReadOptions(), cf(cf_name), key, &value).ok());
  return value;
}

std::vector<std::pair<std::string, std::string>> RawStore::Entries(std::string_view cf_name) {
  std::vector<std::pair<std::string, std::string>> out;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), cf(cf_name)));
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    out.emplace_back(it->key().ToString(), it->value().ToString());
  }
  EXPECT_TRUE(it->status().ok());
  return out;
}

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

}  // namespace kg::testing
