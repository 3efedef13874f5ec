// Bulk loading through SST files. For every event the writer produces the
// same entries PutDocument's WriteBatch would (events, three edge orders,
// counters); documents, actors, names and relations are written once per
// load. Finish ingests every file of every column family in one
// IngestExternalFiles call.
//
// Two phases per round:
//  1. Collect (the caller's thread): each event becomes one 32-byte record of
//     slots into the load's tables (document, name spellings, relation
//     spelling, codes, attributes): no key or value bytes yet.
//  2. Write (`threads` threads): the tables are ranked in key order; then
//     for each column family written per event (events by document, edges
//     by source, target and relation first) a stable counting sort by the
//     leading rank lists the records in key order, the list is cut into
//     partitions of about PartitionEvents, and each partition sorts the
//     records of one leading actor among themselves and is written as its
//     own SST file. After the events, each record is replaced in place by a
//     rank-only EdgeRec for the edge orders. Key bytes come from the codec's
//     Encode*To functions while writing (rank order equals id order equals
//     the codec's byte order; SstFileWriter rejects any key out of order, so
//     a mismatch fails loudly). Pair counts are run lengths of the
//     relation-first order, degrees those of the source- and target-first
//     orders.
// A load that fits one round (`chunk_events`, default 12 M events) gives
// files that do not overlap within a column family, so RocksDB places them
// at the bottom level of a fresh store and never compacts them; a larger
// load writes a round whenever it is full, and the rounds' files overlap
// (RocksDB puts them in L0 and compacts them later). Overlap is safe: no two
// files of a load hold the same key except commutative counter operands.
//
// A fresh store (no documents, actors or relations) loaded in one round also
// gets its topology (graph/topology.h) from the source-first pass: the runs
// of equal (source, relation, target) are its links, so no rescan is needed.
#include "graph/bulk_load.h"

#include <pthread.h>
#include <rocksdb/db.h>
#include <rocksdb/options.h>
#include <rocksdb/sst_file_writer.h>
#include <rocksdb/table.h>
#include <rocksdb/write_batch.h>

#include <algorithm>
#include <atomic>
#include <bit>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <filesystem>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <thread>

#include "graph/date.h"
#include "graph/ids.h"
#include "graph/key_codec.h"
#include "graph/topology.h"

namespace kg::internal {
namespace {

namespace fs = std::filesystem;

enum Column : size_t {
  kDocs = 0,
  kEvents,
  kOut,
  kIn,
  kRel,
  kActors,
  kNames,
  kRelations,
  kCounts,
  kTopology,
  kNumColumns
};

constexpr const char* kColumnNames[kNumColumns] = {"docs",      "events",  "edges_out", "edges_in",
                                                   "edges_rel", "actors",  "names",     "relations",
                                                   "counts",    "topology"};

// Records per sorted partition: a sixteenth of the round, so an order's
// partitions keep the threads busy, between 256 K (a sort buffer of 8 MB)
// and 1 M records. Every partition is a file that IngestExternalFiles opens
// and reads the index of: 10 M events in 256 K partitions made 297 files and
// ingesting them took 0.2-0.3 s on one thread, in 625 K ones 0.1 s.
size_t PartitionEvents(size_t round_events) {
  return std::clamp<size_t>(round_events / 16, 256 * 1024, 1024 * 1024);
}
// Pre-encoded event values (events with mentions) in one round.
constexpr size_t kMaxStoredBytes = size_t{1} << 30;

Status FromRocks(const rocksdb::Status& s, std::string_view context) {
  if (s.ok()) return Status::Ok();
  std::string msg = std::string(context) + ": " + s.ToString();
  if (s.IsCorruption()) return Status::Corruption(msg);
  if (s.IsInvalidArgument()) return Status::InvalidArgument(msg);
  return Status::IoError(msg);
}

double Since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

rocksdb::Slice AsSlice(std::string_view s) { return rocksdb::Slice(s.data(), s.size()); }

// Equality of n-byte strings for sizeof(Word) <= n <= 2 * sizeof(Word): the
// first and the last sizeof(Word) bytes cover all of them.
template <typename Word>
bool SameEnds(const char* p, const char* q, size_t n) {
  Word a0, b0, a1, b1;
  std::memcpy(&a0, p, sizeof a0);
  std::memcpy(&b0, q, sizeof b0);
  std::memcpy(&a1, p + n - sizeof a1, sizeof a1);
  std::memcpy(&b1, q + n - sizeof b1, sizeof b1);
  return ((a0 ^ b0) | (a1 ^ b1)) == 0;
}

// String equality, inline for the short strings table rows are made of
// (names, ids, relations): a libc memcmp call per comparison was ~15 % of
// the collect phase's time (perf, 10 M rows, about six per row).
inline bool SameBytes(std::string_view a, std::string_view b) {
  const size_t n = a.size();
  if (n != b.size()) return false;
  const char* p = a.data();
  const char* q = b.data();
  if (n >= 8 && n <= 16) return SameEnds<uint64_t>(p, q, n);
  if (n >= 4 && n < 8) return SameEnds<uint32_t>(p, q, n);
  if (n < 4) {
    for (size_t i = 0; i < n; ++i) {
      if (p[i] != q[i]) return false;
    }
    return true;
  }
  return std::memcmp(p, q, n) == 0;
}

// Append-only byte arena of fixed blocks: stable pointers, no copying when it
// grows, pages touched only as they are filled.
class Arena {
 public:
  const char* Copy(std::string_view s) {
    if (s.size() > left_) {
      const size_t n = std::max(kBlock, s.size());
      blocks_.emplace_back(new char[n]);
      pos_ = blocks_.back().get();
      left_ = n;
      bytes_ += n;
    }
    char* p = pos_;
    std::memcpy(p, s.data(), s.size());
    pos_ += s.size();
    left_ -= s.size();
    return p;
  }
  size_t bytes() const { return bytes_; }

 private:
  static constexpr size_t kBlock = 4u << 20;
  std::vector<std::unique_ptr<char[]>> blocks_;
  char* pos_ = nullptr;
  size_t left_ = 0;
  size_t bytes_ = 0;
};

// Distinct strings -> a caller's 32-bit value; strings kept in one buffer.
class Interner {
 public:
  Interner() { table_.assign(1u << 10, 0); }
  // Value of s, or UINT32_MAX.
  uint32_t Find(std::string_view s, uint64_t hash) const {
    const uint64_t tag = hash >> 32;
    for (size_t i = hash & (table_.size() - 1);; i = (i + 1) & (table_.size() - 1)) {
      const uint64_t b = table_[i];
      if (b == 0) return UINT32_MAX;
      if ((b >> 32) == tag) {
        const Entry& e = entries_[(b & 0xffffffffu) - 1];
        if (SameBytes(Str(e), s)) return e.value;
      }
    }
  }
  void Insert(std::string_view s, uint64_t hash, uint32_t value) {
    if ((entries_.size() + 1) * 2 > table_.size()) Grow();
    Entry e;
    e.hash = hash;
    e.len = static_cast<uint32_t>(s.size());
    e.value = value;
    if (s.size() <= sizeof e.bytes) {
      std::memcpy(e.bytes, s.data(), s.size());
    } else {
      const uint64_t off = strings_.size();
      std::memcpy(e.bytes, &off, sizeof off);
      strings_.append(s);
    }
    entries_.push_back(e);
    Place(hash, entries_.size());
  }
  // Valid until the next Insert.
  std::string_view StringAt(uint32_t entry) const { return Str(entries_[entry]); }

 private:
  // Strings of up to 16 bytes (most names) are kept in the entry itself, so
  // a lookup touches the table and one entry.
  struct Entry {
    uint64_t hash;
    uint32_t len;
    uint32_t value;
    char bytes[16];  // The string, or its offset in strings_ when longer.
  };
  std::string_view Str(const Entry& e) const {
    if (e.len <= sizeof e.bytes) return std::string_view(e.bytes, e.len);
    uint64_t off;
    std::memcpy(&off, e.bytes, sizeof off);
    return std::string_view(strings_.data() + off, e.len);
  }
  void Place(uint64_t hash, size_t entry_plus_one) {
    size_t i = hash & (table_.size() - 1);
    while (table_[i] != 0) i = (i + 1) & (table_.size() - 1);
    table_[i] = ((hash >> 32) << 32) | entry_plus_one;
  }
  void Grow() {
    table_.assign(table_.size() * 2, 0);
    for (size_t e = 0; e < entries_.size(); ++e) Place(entries_[e].hash, e + 1);
  }
  std::vector<Entry> entries_;
  std::string strings_;
  std::vector<uint64_t> table_;
};

// Strings -> 32-bit value, the string (up to 16 bytes) kept in its bucket:
// a lookup of a short name touches one cache line. For the large tables
// (actor names); nothing refers to buckets, so growing may move them.
class NameMap {
 public:
  NameMap() { buckets_.resize(1u << 12); }
  // Value of s, or UINT32_MAX.
  uint32_t Find(std::string_view s, uint64_t hash) const {
    const size_t mask = buckets_.size() - 1;
    for (size_t i = hash & mask;; i = (i + 1) & mask) {
      const Bucket& b = buckets_[i];
      if (b.len == kEmpty) return UINT32_MAX;
      if (b.hash == hash && SameBytes(Str(b), s)) return b.value;
    }
  }
  void Prefetch(uint64_t hash) const {
    __builtin_prefetch(&buckets_[hash & (buckets_.size() - 1)]);
  }
  void Release() {
    std::vector<Bucket>().swap(buckets_);
    std::string().swap(strings_);
    size_ = 0;
  }
  void Insert(std::string_view s, uint64_t hash, uint32_t value) {
    if ((size_ + 1) * 2 > buckets_.size()) {
      std::vector<Bucket> old = std::move(buckets_);
      buckets_.assign(old.size() * 2, Bucket());
      for (const Bucket& b : old) {
        if (b.len != kEmpty) Place(b);
      }
    }
    Bucket b;
    b.hash = hash;
    b.len = static_cast<uint32_t>(s.size());
    b.value = value;
    if (s.size() <= sizeof b.bytes) {
      std::memcpy(b.bytes, s.data(), s.size());
    } else {
      const uint64_t off = strings_.size();
      std::memcpy(b.bytes, &off, sizeof off);
      strings_.append(s);
    }
    Place(b);
    ++size_;
  }

 private:
  static constexpr uint32_t kEmpty = UINT32_MAX;
  struct alignas(32) Bucket {
    uint64_t hash = 0;
    uint32_t len = kEmpty;
    uint32_t value = 0;
    char bytes[16] = {};  // The string, or its offset in strings_ when longer.
  };
  std::string_view Str(const Bucket& b) const {
    if (b.len <= sizeof b.bytes) return std::string_view(b.bytes, b.len);
    uint64_t off;
    std::memcpy(&off, b.bytes, sizeof off);
    return std::string_view(strings_.data() + off, b.len);
  }
  void Place(const Bucket& b) {
    const size_t mask = buckets_.size() - 1;
    size_t i = b.hash & mask;
    while (buckets_[i].len != kEmpty) i = (i + 1) & mask;
    buckets_[i] = b;
  }
  std::vector<Bucket> buckets_;
  std::string strings_;
  size_t size_ = 0;
};

// Sorts `recs` by `less` given digit(r), a 16-bit value monotone in that
// order: one counting-sort pass, then std::sort inside each bucket.
template <typename T, typename Digit, typename Less>
void BucketSort(std::vector<T>* recs, const Digit& digit, const Less& less) {
  std::vector<uint32_t> start(size_t{1} << 16 | 1, 0);
  for (const T& r : *recs) ++start[digit(r) + 1];
  for (size_t i = 1; i < start.size(); ++i) start[i] += start[i - 1];
  std::vector<uint32_t> pos(start.begin(), start.end() - 1);
  std::vector<T> out(recs->size());
  for (const T& r : *recs) out[pos[digit(r)]++] = r;
  std::vector<T>().swap(*recs);
  for (size_t d = 0; d + 1 < start.size(); ++d) {
    if (start[d + 1] - start[d] > 1)
      std::sort(out.begin() + start[d], out.begin() + start[d + 1], less);
  }
  *recs = std::move(out);
}

// Keys of one small column family without values (names), sorted by their
// bytes.
class KeyRun {
 public:
  // Adds the key write_key appends to the string it is given.
  template <typename WriteKey>
  void Add(const WriteKey& write_key) {
    const size_t off = arena_.size();
    write_key(&arena_);
    const size_t len = arena_.size() - off;
    unsigned char first[8] = {};
    std::memcpy(first, arena_.data() + off, std::min<size_t>(len, 8));
    uint64_t prefix = 0;
    for (unsigned char c : first) prefix = prefix << 8 | c;
    refs_.push_back(Ref{prefix, off, len});
  }
  // By key bytes: the first eight as an integer, the rest only on a tie.
  void Sort() {
    std::sort(refs_.begin(), refs_.end(), [this](const Ref& a, const Ref& b) {
      if (a.prefix != b.prefix) return a.prefix < b.prefix;
      return KeyOf(a) < KeyOf(b);
    });
  }
  template <typename Fn>
  Status ForEach(Fn&& fn) const {
    for (const Ref& r : refs_) KG_RETURN_IF_ERROR(fn(KeyOf(r)));
    return Status::Ok();
  }

 private:
  struct Ref {
    uint64_t prefix;  // First eight key bytes, big-endian, zero-padded.
    size_t off, len;
  };
  std::string_view KeyOf(const Ref& r) const {
    return std::string_view(arena_.data() + r.off, r.len);
  }
  std::string arena_;
  std::vector<Ref> refs_;
};

// Open-addressing index from a well-mixed 64-bit key (an XXH3 id) to a slot
// of a caller's table, at most half full. A bucket holds the key's upper 32
// bits beside slot + 1 and its position comes from them too: probes and
// rehashes read no other memory, and the key is read back through
// key_of(slot) only when those bits match (a new document or actor no
// longer costs a random read of the caller's table per probe).
class SlotIndex {
 public:
  SlotIndex() {
    buckets_.assign(1u << 12, 0);
    mask_ = buckets_.size() - 1;
  }
  template <typename KeyOf>
  uint32_t Find(uint64_t key, const KeyOf& key_of) const {
    const uint64_t tag = key >> 32;
    for (size_t i = Position(key);; i = (i + 1) & mask_) {
      const uint64_t b = buckets_[i];
      if (b == 0) return UINT32_MAX;
      if ((b >> 32) == tag) {
        const auto slot = static_cast<uint32_t>(b) - 1;
        if (key_of(slot) == key) return slot;
      }
    }
  }
  void Insert(uint64_t key, uint32_t slot) {
    if ((size_ + 1) * 2 > buckets_.size()) {
      std::vector<uint64_t> old = std::move(buckets_);
      buckets_.assign(old.size() * 2, 0);
      mask_ = buckets_.size() - 1;
      for (uint64_t b : old) {
        if (b != 0) Place(b);
      }
    }
    Place((key >> 32) << 32 | (uint64_t{slot} + 1));
    ++size_;
  }
  void Prefetch(uint64_t key) const { __builtin_prefetch(&buckets_[Position(key)]); }
  void Release() {
    std::vector<uint64_t>().swap(buckets_);
    size_ = 0;
  }

 private:
  // From the upper 32 bits only, so a bucket's position can be recomputed
  // from the bucket.
  size_t Position(uint64_t key) const {
    const uint64_t tag = key >> 32;
    return static_cast<size_t>((tag * 0x9E3779B97F4A7C15ull) >> 32) & mask_;
  }
  void Place(uint64_t bucket) {
    size_t i = Position(bucket);
    while (buckets_[i] != 0) i = (i + 1) & mask_;
    buckets_[i] = bucket;
  }
  std::vector<uint64_t> buckets_;
  size_t mask_ = 0;
  size_t size_ = 0;
};

// One document of the load. Title, source, content hash and sentences are
// rare for table rows: kept in DocExtra only when set. No bit-fields here or
// in EventRec: copying one into a fresh vector slot reads the slot first,
// which maps the zero page and then copies it on write (a TLB shootdown per
// page once two threads run).
struct alignas(32) DocSlot {
  DocKey key = 0;
  uint64_t id_off = 0;  // Offset of the id in doc_strings_.
  uint32_t id_len = 0;
  uint32_t events = 0;
  Date date = kUnknownDate;
  // DocExtra index + 1 (0: none) << 2 | kReplaced | kUnchanged.
  uint32_t extra_flags = 0;
  static constexpr uint32_t kReplaced = 1;   // Was in the store before this load.
  static constexpr uint32_t kUnchanged = 2;  // PutDocument found identical content: write nothing.
  uint32_t extra() const { return extra_flags >> 2; }
  bool replaced() const { return (extra_flags & kReplaced) != 0; }
  bool unchanged() const { return (extra_flags & kUnchanged) != 0; }
};
static_assert(sizeof(DocSlot) == 32);
constexpr uint32_t kNoExtra = 0;  // DocSlot::extra() without a DocExtra.

struct DocExtra {
  std::string title, source;
  uint64_t content_hash = 0;
  uint32_t sentences = 0;
};

// One actor of the load. Type and aliases (PutDocument's actor records) are
// rare: kept in ActorRich only when set.
struct ActorSlot {
  ActorId id = 0;
  uint64_t name_off = 0;  // Canonical name (first spelling seen), in spelling_strings_.
  uint32_t name_len = 0;
  uint32_t code = 0;  // Value of codes_ (0: no code).
  uint32_t rich = 0;  // ActorRich index + 1, or 0.
};

struct ActorRich {
  ActorType type = ActorType::kUnknown;
  std::vector<std::string> aliases;
};

// Compression of the bulk SST files. LZ4 costs ~30% more CPU per entry
// written (measured on SstFileWriter alone) and the load's time is mostly
// SST writing, so they are written uncompressed: ~1.8x larger on disk until
// GraphStore::Compact (kg optimize --compact) rewrites them with the store's
// LZ4 (graph/README.md has the trade-off). Larger blocks mean fewer index
// entries and block finishes.
constexpr rocksdb::CompressionType kBulkCompression = rocksdb::kNoCompression;
constexpr size_t kBulkBlockSize = 16 * 1024;

// Files, bytes and entries written by one piece of work (merged into the
// stats by the writer's thread).
struct Written {
  std::vector<std::string> files[kNumColumns];
  uint64_t bytes = 0;
  uint64_t entries = 0;
};

// An SST file opened on first use, so empty outputs leave no file.
class SstSink {
 public:
  SstSink(const rocksdb::Options* options, std::string path, bool merge)
      : options_(options), path_(std::move(path)), merge_(merge) {}
  Status Add(std::string_view key, std::string_view value) {
    KG_RETURN_IF_ERROR(Open());
    const rocksdb::Slice k = AsSlice(key), v = AsSlice(value);
    const rocksdb::Status s = merge_ ? writer_->Merge(k, v) : writer_->Put(k, v);
    if (s.ok()) return Status::Ok();  // No message built per entry.
    return FromRocks(s, "writing " + path_);
  }
  Status Delete(std::string_view key) {
    KG_RETURN_IF_ERROR(Open());
    return FromRocks(writer_->Delete(AsSlice(key)), "writing " + path_);
  }
  // Adds the file to out's files of `column` when anything was written.
  Status Finish(Written* out, size_t column) {
    if (!open_) return Status::Ok();
    rocksdb::ExternalSstFileInfo info;
    KG_RETURN_IF_ERROR(FromRocks(writer_->Finish(&info), "finishing " + path_));
    writer_.reset();
    open_ = false;
    out->files[column].push_back(path_);
    out->bytes += info.file_size;
    out->entries += info.num_entries;
    return Status::Ok();
  }

 private:
  Status Open() {
    if (open_) return Status::Ok();
    // SstFileWriter drops the written pages from the page cache as it goes
    // (the default); keeping them measured 3-8 s more system time at 10 M
    // events (writeback and reclaim of 3.4 GB of dirty pages).
    writer_ = std::make_unique<rocksdb::SstFileWriter>(rocksdb::EnvOptions(), *options_);
    KG_RETURN_IF_ERROR(FromRocks(writer_->Open(path_), "creating " + path_));
    open_ = true;
    return Status::Ok();
  }
  const rocksdb::Options* options_;
  std::string path_;
  bool merge_;
  bool open_ = false;
  std::unique_ptr<rocksdb::SstFileWriter> writer_;
};

// Runs tasks on `threads` threads: `threads - 1` helpers, and the caller's
// thread while it waits. A task is told which thread (0 .. threads - 1, the
// caller is 0) runs it, so it can reuse that thread's buffers. After a task
// fails the rest are skipped.
class WorkQueue {
 public:
  explicit WorkQueue(int threads) {
    for (int i = 1; i < threads; ++i) {
      helpers_.emplace_back([this, i] {
        pthread_setname_np(pthread_self(), "kg-bulk-write");
        Work(nullptr, i);
      });
    }
  }
  ~WorkQueue() { (void)Drain(); }
  WorkQueue(const WorkQueue&) = delete;
  WorkQueue& operator=(const WorkQueue&) = delete;

  // `group` (may be null) counts the unfinished tasks of one kind.
  void Add(std::function<Status(int thread)> task, std::atomic<int>* group) {
    if (group != nullptr) group->fetch_add(1);
    {
      std::lock_guard<std::mutex> lock(mu_);
      tasks_.push_back(Task{std::move(task), group});
    }
    cv_.notify_one();
  }
  // Runs queued tasks on this thread until every task of `group` is done.
  void WaitFor(const std::atomic<int>& group) { Work(&group, 0); }
  // Runs what is left, stops the helpers; the first error of any task.
  Status Drain() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      closing_ = true;
    }
    cv_.notify_all();
    Work(nullptr, 0);
    for (auto& t : helpers_) t.join();
    helpers_.clear();
    return status_;
  }

 private:
  struct Task {
    std::function<Status(int thread)> run;
    std::atomic<int>* group;
  };
  void Work(const std::atomic<int>* until, int thread) {
    std::unique_lock<std::mutex> lock(mu_);
    for (;;) {
      if (until != nullptr && until->load() == 0) return;
      if (!tasks_.empty()) {
        Task task = std::move(tasks_.front());
        tasks_.pop_front();
        const bool skip = !status_.ok();
        lock.unlock();
        Status s = skip ? Status::Ok() : task.run(thread);
        lock.lock();
        if (!s.ok() && status_.ok()) status_ = std::move(s);
        if (task.group != nullptr) task.group->fetch_sub(1);
        cv_.notify_all();
        continue;
      }
      if (until == nullptr && closing_) return;
      cv_.wait(lock);
    }
  }
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Task> tasks_;
  bool closing_ = false;
  Status status_;
  std::vector<std::thread> helpers_;
};

// One event of the load, in arrival order: slots into the load's tables.
// Its key and value bytes are produced only while its files are written.
// Each order reads every record once at random, so a record is 32 bytes on
// a 32-byte boundary: one cache line per read.
struct alignas(32) EventRec {
  uint32_t doc;       // docs_ slot (the date is the document's).
  uint32_t ordinal;   // Within its document.
  uint32_t source;    // spellings_ slot (the name as given; its actor).
  uint32_t target;    // spellings_ slot.
  uint32_t relation;  // relations_ slot (the relation as given).
  // attrs_ slot (cameo, goldstein, negation, modality, speaker) << 1 |
  // kStored (the value was encoded on arrival: stored_).
  uint32_t attrs_stored;
  uint32_t source_code;  // code_names_ slot (0: none).
  uint32_t target_code;
};
static_assert(sizeof(EventRec) == 32);
constexpr uint32_t kStored = 1;
inline uint32_t AttrsOf(const EventRec& r) { return r.attrs_stored >> 1; }

// What the edge orders need of an event, in place of its EventRec once the
// events order is written (same slot, so no second copy of the records):
// ranks, sortable date, document key, ordinal, attributes. One cache line
// read per record and order, and no table lookups.
struct alignas(32) EdgeRec {
  uint32_t source, target, relation;  // Ranks.
  uint32_t date;                      // Sign-flipped: compares like the key bytes.
  DocKey doc;
  uint32_t ordinal;
  uint32_t attrs;  // attrs_ slot.
};
static_assert(sizeof(EdgeRec) == 32);

// A round's record: an EventRec until the events order is written, then
// its EdgeRec (RocksBulkWriter::ToEdgeRecs).
union Record {
  EventRec event;
  EdgeRec edge;
};

// The value of an event that carries what the slots do not (mentions, or
// text other than its name), encoded on arrival.
struct StoredValue {
  uint32_t record;  // Index in the round's records.
  uint32_t len;
  const char* bytes;
};

// A distinct spelling of an actor name: events keep the name they were
// given, the actor is the id of its normalized form. 32 bytes hold what
// writing an event needs of it: the actor id and the spelling itself when
// it is at most 16 bytes (most names), else its offset in spelling_strings_.
struct alignas(32) Spelling {
  ActorId id;
  uint32_t actor;  // actors_ slot.
  uint32_t len;
  char bytes[16];
};
static_assert(sizeof(Spelling) == 32);

// The attributes of an event other than actors and relation; few distinct
// ones per load, each with its edge value bytes encoded once.
struct Attrs {
  std::string cameo;
  double goldstein = 0.0;
  bool negated = false;
  std::string modality;
  std::optional<std::string> attributed_to;
  std::string edge_value;
};

// The column families whose entries come one per event, in the order a
// round writes them (relation first is derived from source first).
enum class Order { kEvents, kIn, kOut, kRel };

// An edge entry's sort key in one order; comparing (k1, k2, k3, a) is
// comparing the key bytes: k1 = first rank | second rank, k2 = third rank |
// date, k3 = document key, a = ordinal, b = attributes slot.
struct Item {
  uint64_t k1, k2, k3;
  uint32_t a, b;
};
static_assert(sizeof(Item) == 32);

struct ItemLess {
  bool operator()(const Item& x, const Item& y) const {
    if (x.k1 != y.k1) return x.k1 < y.k1;
    if (x.k2 != y.k2) return x.k2 < y.k2;
    if (x.k3 != y.k3) return x.k3 < y.k3;
    return x.a < y.a;
  }
};

// Sorts items[b, e) by ItemLess. Short runs use std::sort; a long one (a
// hub actor's events) is radix-sorted on its ranks, which are dense: the
// second and third rank relative to their minimums usually fit one 64-bit
// number, sorted by least-significant-digit passes of 11 bits, then each
// run of one triple by std::sort (date, document, ordinal).
void SortRun(std::vector<Item>* items, size_t b, size_t e, std::vector<Item>* scratch) {
  const size_t n = e - b;
  Item* first = items->data() + b;
  if (n < 2048) {
    std::sort(first, first + n, ItemLess());
    return;
  }
  uint64_t lo1 = UINT64_MAX, hi1 = 0;
  uint32_t lo3 = UINT32_MAX, hi3 = 0;
  for (size_t i = 0; i < n; ++i) {
    lo1 = std::min(lo1, first[i].k1), hi1 = std::max(hi1, first[i].k1);
    const auto third = static_cast<uint32_t>(first[i].k2 >> 32);
    lo3 = std::min(lo3, third), hi3 = std::max(hi3, third);
  }
  const int bits1 = 64 - std::countl_zero(hi1 - lo1);
  const int bits3 = 32 - std::countl_zero(hi3 - lo3);
  if (bits1 + bits3 > 64) {
    std::sort(first, first + n, ItemLess());
    return;
  }
  auto packed = [&](const Item& it) -> uint64_t {
    const uint64_t third = static_cast<uint32_t>(it.k2 >> 32) - lo3;
    return (bits1 == 0 ? 0 : (it.k1 - lo1) << bits3) | third;
  };
  constexpr int kDigitBits = 11;
  constexpr size_t kBuckets = size_t{1} << kDigitBits;
  scratch->resize(n);
  Item* from = first;
  Item* to = scratch->data();
  std::vector<uint32_t> count(kBuckets);
  for (int shift = 0; shift < bits1 + bits3; shift += kDigitBits) {
    std::fill(count.begin(), count.end(), 0);
    for (size_t i = 0; i < n; ++i) ++count[(packed(from[i]) >> shift) & (kBuckets - 1)];
    uint32_t sum = 0;
    for (uint32_t& c : count) {
      const uint32_t k = c;
      c = sum;
      sum += k;
    }
    for (size_t i = 0; i < n; ++i)
      to[count[(packed(from[i]) >> shift) & (kBuckets - 1)]++] = from[i];
    std::swap(from, to);
  }
  if (from != first) std::copy(from, from + n, first);
  for (size_t i = 0; i < n;) {
    const uint64_t key = packed(first[i]);
    size_t j = i + 1;
    while (j < n && packed(first[j]) == key) ++j;
    if (j - i > 1) std::sort(first + i, first + j, ItemLess());
    i = j;
  }
}

// The links one source-first partition contributes to the topology: runs of
// (source rank, link count) and the links in order.
struct PartLinks {
  std::vector<std::pair<uint32_t, uint32_t>> sources;
  std::vector<TopologyLink> links;
};

// Buffers one writing thread reuses from partition to partition (fresh
// ones would be page-faulted in again for each).
struct ThreadScratch {
  std::vector<Item> items;
  std::vector<Item> sorting;
};

class RocksBulkWriter final : public BulkWriter {
 public:
  RocksBulkWriter(const BulkTarget& target, const BulkLoadOptions& options,
                  std::shared_ptr<void> keep_alive)
      : t_(target), options_(options), keep_alive_(std::move(keep_alive)) {
    handles_[kDocs] = t_.docs;
    handles_[kEvents] = t_.events;
    handles_[kOut] = t_.edges_out;
    handles_[kIn] = t_.edges_in;
    handles_[kRel] = t_.edges_rel;
    handles_[kActors] = t_.actors;
    handles_[kNames] = t_.names;
    handles_[kRelations] = t_.relations;
    handles_[kCounts] = t_.counts;
    handles_[kTopology] = t_.topology;
    if (options_.chunk_events == 0) options_.chunk_events = 1;
    if (options_.threads < 1) options_.threads = 1;
  }

  ~RocksBulkWriter() override {
    std::error_code ec;
    if (!tmp_dir_.empty()) fs::remove_all(tmp_dir_, ec);
  }

  Status Init() {
    tmp_dir_ = (fs::path(t_.db_path) / "bulk.tmp").string();
    std::error_code ec;
    fs::remove_all(tmp_dir_, ec);
    fs::create_directories(tmp_dir_, ec);
    if (ec) return Status::IoError("cannot create '" + tmp_dir_ + "': " + ec.message());
    for (size_t c = 0; c < kNumColumns; ++c) {
      auto o = std::make_shared<rocksdb::Options>(*t_.sst_options[c]);
      o->compression = kBulkCompression;
      o->bottommost_compression = rocksdb::kDisableCompressionOption;
      if (const auto* table = o->table_factory->GetOptions<rocksdb::BlockBasedTableOptions>()) {
        rocksdb::BlockBasedTableOptions copy = *table;
        copy.block_size = std::max(copy.block_size, kBulkBlockSize);
        o->table_factory.reset(rocksdb::NewBlockBasedTableFactory(copy));
      }
      sst_options_[c] = std::move(o);
    }
    codes_.Insert("", Hash64(""), 0);
    code_names_.emplace_back();
    events_.reserve(std::min<size_t>(options_.chunk_events, size_t{1} << 26));
    // Address space for the per-load tables (pages are touched only as they
    // fill): growing by copying would touch every page twice.
    docs_.reserve(std::min<size_t>(options_.chunk_events, size_t{1} << 26));
    doc_strings_.reserve(std::min<size_t>(options_.chunk_events, size_t{1} << 26) * 16);
    // Documents are looked up in the store unless it has none; the topology
    // is built by the load only when the store holds nothing it would miss.
    KG_ASSIGN_OR_RETURN(const bool no_docs, IsEmpty(kDocs));
    KG_ASSIGN_OR_RETURN(const bool no_actors, IsEmpty(kActors));
    KG_ASSIGN_OR_RETURN(const bool no_relations, IsEmpty(kRelations));
    store_empty_ = no_docs;
    fresh_store_ = no_docs && no_actors && no_relations;
    std::string value;
    auto s = t_.db->Get(rocksdb::ReadOptions(), t_.counts, codec::StatKey(codec::kGenerationStat),
                        &value);
    if (s.ok()) {
      KG_ASSIGN_OR_RETURN(int64_t g, codec::DecodeCounter(value));
      generation_before_ = static_cast<uint64_t>(g);
    } else if (!s.IsNotFound()) {
      return FromRocks(s, "reading the store generation");
    }
    s = t_.db->Get(rocksdb::ReadOptions(), t_.topology, codec::TopologyMetaKey(), &value);
    if (s.ok()) {
      KG_ASSIGN_OR_RETURN(codec::TopologyMeta meta, codec::DecodeTopologyMeta(value));
      old_topology_chunks_ = meta.chunks;
    } else if (!s.IsNotFound()) {
      return FromRocks(s, "reading the topology meta");
    }
    return Status::Ok();
  }

  Result<IngestOutcome> PutDocument(const DocumentMeta& meta, const std::vector<Event>& events,
                                    const std::vector<ActorRecord>& actors) override {
    KG_RETURN_IF_ERROR(CheckOpen());
    if (meta.id.empty()) return Status::InvalidArgument("document id is empty");
    for (const Event& ev : events) KG_RETURN_IF_ERROR(CheckEvent(ev, meta.id));
    IngestOutcome outcome;
    const DocKey key = DocKeyFor(meta.id);
    if (uint32_t slot = FindDoc(key); slot != UINT32_MAX) {
      const DocSlot& d = docs_[slot];
      if (IdOf(d) != meta.id) return KeyClash(std::string(IdOf(d)), meta.id);
      if (MetaOf(d) == meta) {
        outcome.action = IngestAction::kUnchanged;
        return outcome;
      }
      return Status::InvalidArgument("document '" + meta.id +
                                     "' is given twice with different content in one bulk load");
    }
    KG_ASSIGN_OR_RETURN(uint32_t slot, NewDoc(key, meta, /*compare_content=*/true));
    if (docs_[slot].unchanged()) {
      outcome.action = IngestAction::kUnchanged;
      return outcome;
    }
    outcome.action = docs_[slot].replaced() ? IngestAction::kReplaced : IngestAction::kAdded;
    for (const ActorRecord& a : actors) MergeActor(a);
    for (const Event& ev : events) KG_RETURN_IF_ERROR(AddEvent(slot, meta.id, ev));
    outcome.events_written = events.size();
    return outcome;
  }

  Status AppendEvent(const DocumentMeta& meta, const Event& event) override {
    KG_RETURN_IF_ERROR(CheckOpen());
    return AppendRow(meta, event, HashesOf(meta, event));
  }

  Status AppendEvents(std::span<const Row> rows, size_t* failed) override {
    if (Status open = CheckOpen(); !open.ok()) {
      *failed = 0;
      return open;
    }
    // Hashes of the rows ahead, and the table slots they will probe, are
    // fetched while the row kAhead before them is appended.
    constexpr size_t kAhead = 8;
    RowHashes ring[kAhead];
    auto start = [&](size_t i) {
      const Row& row = rows[i];
      const RowHashes h =
          row.hashed ? RowHashes{row.doc_key, row.source_hash, row.target_hash, row.relation_hash}
                     : HashesOf(*row.meta, *row.event);
      if (h.doc != last_doc_key_) doc_index_.Prefetch(h.doc);
      names_.Prefetch(h.source);
      names_.Prefetch(h.target);
      ring[i % kAhead] = h;
    };
    for (size_t i = 0; i < std::min(kAhead, rows.size()); ++i) start(i);
    for (size_t i = 0; i < rows.size(); ++i) {
      const RowHashes h = ring[i % kAhead];
      if (i + kAhead < rows.size()) start(i + kAhead);
      Status s = AppendRow(*rows[i].meta, *rows[i].event, h);
      if (!s.ok()) {
        *failed = i;
        return s;
      }
    }
    return Status::Ok();
  }

  Result<BulkLoadStats> Finish() override {
    KG_RETURN_IF_ERROR(CheckOpen());
    finished_ = true;
    KG_RETURN_IF_ERROR(WriteRound(/*last=*/true));

    // Old events of replaced documents go first, in one batch.
    if (!store_empty_) KG_RETURN_IF_ERROR(RemoveReplaced());

    const auto ingest_start = std::chrono::steady_clock::now();
    std::vector<rocksdb::IngestExternalFileArg> args;
    for (size_t c = 0; c < kNumColumns; ++c) {
      if (files_[c].empty()) continue;
      rocksdb::IngestExternalFileArg arg;
      arg.column_family = handles_[c];
      arg.external_files = files_[c];
      arg.options.move_files = true;
      arg.options.snapshot_consistency = true;
      arg.options.allow_global_seqno = true;
      arg.options.allow_blocking_flush = true;
      arg.options.write_global_seqno = false;
      arg.options.verify_checksums_before_ingest = false;
      args.push_back(std::move(arg));
    }
    if (!args.empty()) {
      KG_RETURN_IF_ERROR(FromRocks(t_.db->IngestExternalFiles(args), "ingesting SST files"));
    }
    stats_.ingest_seconds = Since(ingest_start);
    std::error_code ec;
    fs::remove_all(tmp_dir_, ec);
    tmp_dir_.clear();
    return stats_;
  }

 private:
  // What a row is looked up by: its document key and its actors' name hashes.
  struct RowHashes {
    DocKey doc = 0;
    uint64_t source = 0, target = 0, relation = 0;
  };
  static RowHashes HashesOf(const DocumentMeta& meta, const Event& event) {
    return RowHashes{DocKeyFor(meta.id), Hash64(event.source.name), Hash64(event.target.name),
                     Hash64(event.relation)};
  }

  // AppendEvent for an open writer, given the row's hashes.
  Status AppendRow(const DocumentMeta& meta, const Event& event, const RowHashes& hashes) {
    if (meta.id.empty()) return Status::InvalidArgument("document id is empty");
    KG_RETURN_IF_ERROR(CheckEvent(event, meta.id));
    DocKey key = hashes.doc;
    // Rows of one document are usually adjacent.
    uint32_t slot = key == last_doc_key_ ? last_doc_slot_ : FindDoc(key);
    std::string dated_id;
    if (slot != UINT32_MAX && docs_[slot].date != meta.date) {
      // Documents have one date: another date of the same id is its own document.
      dated_id = meta.id + "@" + (meta.date == kUnknownDate ? "unknown" : FormatIsoDate(meta.date));
      key = DocKeyFor(dated_id);
      slot = FindDoc(key);
    }
    const std::string& id = dated_id.empty() ? meta.id : dated_id;
    if (slot == UINT32_MAX) {
      if (dated_id.empty()) {
        KG_ASSIGN_OR_RETURN(slot, NewDoc(key, meta, /*compare_content=*/false));
      } else {
        DocumentMeta m = meta;
        m.id = id;
        KG_ASSIGN_OR_RETURN(slot, NewDoc(key, m, /*compare_content=*/false));
      }
    } else if (!SameBytes(IdOf(docs_[slot]), id)) {
      return KeyClash(std::string(IdOf(docs_[slot])), id);
    } else if (docs_[slot].unchanged()) {
      return Status::InvalidArgument("document '" + id + "' was already written unchanged");
    }
    if (dated_id.empty()) {
      last_doc_key_ = key;
      last_doc_slot_ = slot;
    }
    return AddEvent(slot, id, event, &hashes);
  }

  Status CheckOpen() const {
    if (finished_) return Status::InvalidArgument("bulk writer already finished");
    return Status::Ok();
  }

  static Status CheckEvent(const Event& ev, const std::string& doc_id) {
    if (ev.source.name.empty() || ev.target.name.empty() || ev.relation.empty()) {
      return Status::InvalidArgument("event without source, target or relation in document '" +
                                     doc_id + "'");
    }
    return Status::Ok();
  }

  static Status KeyClash(const std::string& a, const std::string& b) {
    return Status::Corruption("document ids '" + a + "' and '" + b +
                              "' share a 64-bit key; rename one of them");
  }

  Result<bool> IsEmpty(Column column) const {
    std::unique_ptr<rocksdb::Iterator> it(
        t_.db->NewIterator(rocksdb::ReadOptions(), handles_[column]));
    it->SeekToFirst();
    KG_RETURN_IF_ERROR(FromRocks(it->status(), std::string("reading ") + kColumnNames[column]));
    return !it->Valid();
  }

  // ---------------------------------------------------------- documents

  uint32_t FindDoc(DocKey key) const {
    return doc_index_.Find(key, [this](uint32_t s) { return docs_[s].key; });
  }

  std::string_view IdOf(const DocSlot& d) const {
    return std::string_view(doc_strings_.data() + d.id_off, d.id_len);
  }

  DocumentMeta MetaOf(const DocSlot& d) const {
    DocumentMeta m;
    m.id = std::string(IdOf(d));
    if (d.extra() != kNoExtra) {
      const DocExtra& x = doc_extras_[d.extra() - 1];
      m.title = x.title;
      m.source = x.source;
      m.content_hash = x.content_hash;
      m.sentences = x.sentences;
    }
    m.date = d.date;
    return m;
  }

  // Registers a document of this load, looking it up in the store unless
  // the store started empty.
  Result<uint32_t> NewDoc(DocKey key, const DocumentMeta& meta, bool compare_content) {
    if (docs_.size() >= UINT32_MAX - 1)
      return Status::InvalidArgument("too many documents in one bulk load");
    DocSlot d;
    d.key = key;
    d.id_off = doc_strings_.size();
    d.id_len = static_cast<uint32_t>(meta.id.size());
    d.date = meta.date;
    if (!meta.title.empty() || !meta.source.empty() || meta.content_hash != 0 ||
        meta.sentences != 0) {
      if (doc_extras_.size() + 1 >= (1u << 30)) {
        return Status::InvalidArgument("too many titled documents in one bulk load");
      }
      doc_extras_.push_back(DocExtra{meta.title, meta.source, meta.content_hash, meta.sentences});
      d.extra_flags = static_cast<uint32_t>(doc_extras_.size()) << 2;
    }
    if (!store_empty_) {
      std::string value;
      auto s = t_.db->Get(rocksdb::ReadOptions(), t_.docs, codec::DocKeyBytes(key), &value);
      if (s.ok()) {
        KG_ASSIGN_OR_RETURN(codec::DocRecord rec, codec::DecodeDocRecord(value));
        if (rec.meta.id != meta.id) return KeyClash(rec.meta.id, meta.id);
        if (compare_content && rec.meta.content_hash == meta.content_hash && rec.meta == meta) {
          d.extra_flags |= DocSlot::kUnchanged;
          ++stats_.documents_unchanged;
        } else {
          d.extra_flags |= DocSlot::kReplaced;
          ++stats_.documents_replaced;
        }
      } else if (!s.IsNotFound()) {
        return FromRocks(s, "reading document");
      }
    }
    if (!d.replaced() && !d.unchanged()) ++stats_.documents_added;
    doc_strings_.append(meta.id);
    const auto slot = static_cast<uint32_t>(docs_.size());
    docs_.push_back(d);
    doc_index_.Insert(key, slot);
    return slot;
  }

  // ---------------------------------------------------------- actors

  // Spelling slot of an actor name, creating the spelling (and the actor,
  // named by the first spelling seen for its id, as in PutDocument) on
  // first sight.
  uint32_t SpellingFor(std::string_view name, uint64_t h) {
    const uint32_t found = names_.Find(name, h);
    if (found != UINT32_MAX) return found;
    Spelling sp;
    sp.len = static_cast<uint32_t>(name.size());
    const uint64_t off = spelling_strings_.size();
    spelling_strings_.append(name);
    if (name.size() <= sizeof sp.bytes) {
      std::memcpy(sp.bytes, name.data(), name.size());
    } else {
      std::memcpy(sp.bytes, &off, sizeof off);
    }
    const ActorId id = ActorIdFor(name);
    auto id_of = [this](uint32_t s) { return actors_[s].id; };
    uint32_t actor = actor_index_.Find(id, id_of);
    if (actor == UINT32_MAX) {
      actor = static_cast<uint32_t>(actors_.size());
      ActorSlot a;
      a.id = id;
      a.name_off = off;
      a.name_len = sp.len;
      actors_.push_back(a);
      actor_index_.Insert(id, actor);
    }
    sp.actor = actor;
    sp.id = id;
    const auto slot = static_cast<uint32_t>(spellings_.size());
    spellings_.push_back(sp);
    names_.Insert(name, h, slot);
    return slot;
  }

  std::string_view SpellingOf(uint32_t slot) const {
    const Spelling& sp = spellings_[slot];
    if (sp.len <= sizeof sp.bytes) return std::string_view(sp.bytes, sp.len);
    uint64_t off;
    std::memcpy(&off, sp.bytes, sizeof off);
    return std::string_view(spelling_strings_.data() + off, sp.len);
  }

  std::string_view NameOf(const ActorSlot& a) const {
    return std::string_view(spelling_strings_.data() + a.name_off, a.name_len);
  }

  uint32_t CodeFor(std::string_view code) {
    if (code.empty()) return 0;
    const uint64_t h = Hash64(code);
    uint32_t v = codes_.Find(code, h);
    if (v == UINT32_MAX) {
      v = static_cast<uint32_t>(code_names_.size());
      codes_.Insert(code, h, v);
      code_names_.emplace_back(code);
    }
    return v;
  }

  // The reference's spelling; its code (when given) becomes the actor's code.
  uint32_t SpellingOfRef(const ActorRef& ref, uint64_t name_hash, uint32_t* code) {
    const uint32_t slot = SpellingFor(ref.name, name_hash);
    *code = CodeFor(ref.code);
    if (*code != 0) actors_[spellings_[slot].actor].code = *code;
    return slot;
  }

  // PutDocument's MergeActor on the load's records (the stored record is
  // merged in by Finish).
  void MergeActor(const ActorRecord& rec) {
    const uint32_t actor = spellings_[SpellingFor(rec.name, Hash64(rec.name))].actor;
    if (!rec.code.empty()) actors_[actor].code = CodeFor(rec.code);
    if (rec.type == ActorType::kUnknown && rec.aliases.empty()) return;
    if (actors_[actor].rich == 0) {
      rich_.emplace_back();
      actors_[actor].rich = static_cast<uint32_t>(rich_.size());
    }
    ActorRich& r = rich_[actors_[actor].rich - 1];
    if (rec.type != ActorType::kUnknown) r.type = rec.type;
    const std::string norm = NormalizeName(NameOf(actors_[actor]));
    for (const auto& alias : rec.aliases) {
      if (NormalizeName(alias) == norm) continue;
      if (std::find(r.aliases.begin(), r.aliases.end(), alias) == r.aliases.end()) {
        r.aliases.push_back(alias);
      }
    }
  }

  ActorRecord RecordOf(const ActorSlot& a) const {
    ActorRecord rec;
    rec.id = a.id;
    rec.name = std::string(NameOf(a));
    rec.code = code_names_[a.code];
    if (a.rich != 0) {
      rec.type = rich_[a.rich - 1].type;
      rec.aliases = rich_[a.rich - 1].aliases;
    }
    return rec;
  }

  // The load's record of an actor merged into its stored one, if any
  // (PutDocument's MergeActor).
  Result<ActorRecord> MergedRecordOf(const ActorSlot& a) const {
    ActorRecord rec = RecordOf(a);
    if (store_empty_) return rec;
    std::string stored;
    auto s = t_.db->Get(rocksdb::ReadOptions(), t_.actors, codec::ActorKey(a.id), &stored);
    if (s.IsNotFound()) return rec;
    if (!s.ok()) return FromRocks(s, "reading actor");
    KG_ASSIGN_OR_RETURN(ActorRecord out, codec::DecodeActorRecord(stored));
    if (!rec.code.empty()) out.code = rec.code;
    if (rec.type != ActorType::kUnknown) out.type = rec.type;
    for (const auto& alias : rec.aliases) {
      if (NormalizeName(alias) == NormalizeName(out.name)) continue;
      if (std::find(out.aliases.begin(), out.aliases.end(), alias) == out.aliases.end()) {
        out.aliases.push_back(alias);
      }
    }
    return out;
  }

  // relations_ slot of a relation as given.
  uint32_t RelationSlot(const std::string& relation, uint64_t h) {
    uint32_t v = relation_names_.Find(relation, h);
    if (v == UINT32_MAX) {
      const RelationId id = RelationIdFor(relation);
      v = static_cast<uint32_t>(relations_.size());
      relations_.push_back(id);
      relation_names_.Insert(relation, h, v);
      relation_normalized_.emplace(id, NormalizeName(relation));
    }
    return v;
  }

  // attrs_ slot of an event's attributes. Consecutive events usually share
  // them: then nothing is hashed.
  uint32_t AttrsFor(const Event& ev) {
    if (last_attrs_ != UINT32_MAX) {
      const Attrs& a = attrs_[last_attrs_];
      if (a.negated == ev.negated && a.goldstein == ev.goldstein && SameBytes(a.cameo, ev.cameo) &&
          a.attributed_to == ev.attributed_to && SameBytes(a.modality, ev.modality)) {
        return last_attrs_;
      }
    }
    scratch_.clear();
    scratch_.append(ev.cameo);
    scratch_.push_back('\0');
    scratch_.append(reinterpret_cast<const char*>(&ev.goldstein), sizeof ev.goldstein);
    scratch_.push_back(ev.negated ? '1' : '0');
    scratch_.append(ev.modality);
    scratch_.push_back('\0');
    if (ev.attributed_to) {
      scratch_.push_back('@');
      scratch_.append(*ev.attributed_to);
    }
    const uint64_t h = Hash64(scratch_);
    uint32_t v = attrs_index_.Find(scratch_, h);
    if (v == UINT32_MAX) {
      v = static_cast<uint32_t>(attrs_.size());
      attrs_index_.Insert(scratch_, h, v);
      Attrs a;
      a.cameo = ev.cameo;
      a.goldstein = ev.goldstein;
      a.negated = ev.negated;
      a.modality = ev.modality;
      a.attributed_to = ev.attributed_to;
      codec::AppendEdgeValue(&a.edge_value, ev.cameo, ev.goldstein, ev.negated,
                             ev.attributed_to ? ActorIdFor(*ev.attributed_to) : 0);
      attrs_.push_back(std::move(a));
    }
    last_attrs_ = v;
    return v;
  }

  // ---------------------------------------------------------- events

  // `hashes`: the actors' name hashes when the caller has them.
  Status AddEvent(uint32_t slot, std::string_view doc_id, const Event& ev,
                  const RowHashes* hashes = nullptr) {
    DocSlot& d = docs_[slot];
    EventRec r;
    r.doc = slot;
    r.ordinal = d.events++;
    r.source =
        SpellingOfRef(ev.source, hashes ? hashes->source : Hash64(ev.source.name), &r.source_code);
    r.target =
        SpellingOfRef(ev.target, hashes ? hashes->target : Hash64(ev.target.name), &r.target_code);
    r.relation = RelationSlot(ev.relation, hashes ? hashes->relation : Hash64(ev.relation));
    r.attrs_stored = AttrsFor(ev) << 1;
    // Values are rebuilt from the slots at write time unless the event
    // carries what the slots do not: mentions, or text other than its name.
    if (!ev.mentions.empty() || !SameBytes(ev.source.text, ev.source.name) ||
        !SameBytes(ev.target.text, ev.target.name)) {
      scratch_.clear();
      codec::AppendStoredEvent(&scratch_, doc_id, d.date, spellings_[r.source].id,
                               relations_[r.relation], spellings_[r.target].id, ev);
      stored_.push_back(StoredValue{static_cast<uint32_t>(events_.size()),
                                    static_cast<uint32_t>(scratch_.size()),
                                    stored_bytes_.Copy(scratch_)});
      r.attrs_stored |= kStored;
    }
    Record record;
    record.event = r;
    events_.push_back(record);
    ++stats_.events;
    if (events_.size() >= options_.chunk_events || stored_bytes_.bytes() > kMaxStoredBytes) {
      return WriteRound(/*last=*/false);
    }
    return Status::Ok();
  }

  // ---------------------------------------------------------- rounds

  std::string PathFor(size_t column, size_t part, const char* suffix = "") const {
    return tmp_dir_ + "/" + std::to_string(stats_.chunks) + "-" + kColumnNames[column] + "-" +
           std::to_string(part) + suffix + ".sst";
  }

  // Ranks of documents (by key), actors (by id) and relations (by id): the
  // integers records are sorted on.
  void RankTables() {
    // Documents on a second thread while this one ranks actors and relations.
    std::thread docs([this] { RankDocs(); });
    RankActorsAndRelations();
    docs.join();
  }

  void RankDocs() {
    std::vector<std::pair<DocKey, uint32_t>> docs(docs_.size());
    for (uint32_t i = 0; i < docs.size(); ++i) docs[i] = {docs_[i].key, i};
    auto by_key = [](const auto& a, const auto& b) { return a.first < b.first; };
    if (docs.size() < 4096) {
      std::sort(docs.begin(), docs.end(), by_key);
    } else {
      BucketSort(
          &docs, [](const auto& d) { return static_cast<uint32_t>(d.first >> 48); }, by_key);
    }
    doc_rank_.resize(docs.size());
    doc_order_.resize(docs.size());
    for (uint32_t r = 0; r < docs.size(); ++r) {
      doc_rank_[docs[r].second] = r;
      doc_order_[r] = docs[r].second;
    }
  }

  void RankActorsAndRelations() {
    std::vector<std::pair<ActorId, uint32_t>> actors(actors_.size());
    for (uint32_t i = 0; i < actors.size(); ++i) actors[i] = {actors_[i].id, i};
    std::sort(actors.begin(), actors.end());
    std::vector<uint32_t> actor_rank(actors.size());
    actor_order_.resize(actors.size());
    actor_id_of_rank_.resize(actors.size());
    for (uint32_t r = 0; r < actors.size(); ++r) {
      actor_rank[actors[r].second] = r;
      actor_order_[r] = actors[r].second;
      actor_id_of_rank_[r] = actors[r].first;
    }
    spelling_rank_.resize(spellings_.size());
    for (size_t s = 0; s < spellings_.size(); ++s) {
      spelling_rank_[s] = actor_rank[spellings_[s].actor];
    }
    relation_id_of_rank_ = relations_;
    std::sort(relation_id_of_rank_.begin(), relation_id_of_rank_.end());
    relation_id_of_rank_.erase(
        std::unique(relation_id_of_rank_.begin(), relation_id_of_rank_.end()),
        relation_id_of_rank_.end());
    relation_rank_.resize(relations_.size());
    for (size_t v = 0; v < relations_.size(); ++v) {
      relation_rank_[v] =
          static_cast<uint32_t>(std::lower_bound(relation_id_of_rank_.begin(),
                                                 relation_id_of_rank_.end(), relations_[v]) -
                                relation_id_of_rank_.begin());
    }
  }

  // The rank an order's keys start with (events: of an EventRec, edge
  // orders: of an EdgeRec).
  uint32_t LeadOf(Order order, const Record& r) const {
    switch (order) {
      case Order::kEvents:
        return doc_rank_[r.event.doc];
      case Order::kOut:
        return r.edge.source;
      case Order::kIn:
        return r.edge.target;
      case Order::kRel:
        return r.edge.relation;
    }
    return 0;
  }

  // Turns every record into its EdgeRec (after the events order).
  void ToEdgeRecs() {
    for (Record& rec : events_) {
      const EventRec r = rec.event;
      const DocSlot& d = docs_[r.doc];
      rec.edge = EdgeRec{spelling_rank_[r.source],
                         spelling_rank_[r.target],
                         relation_rank_[r.relation],
                         static_cast<uint32_t>(d.date) ^ 0x80000000u,
                         d.key,
                         r.ordinal,
                         AttrsOf(r)};
    }
  }

  void ReleaseDocs() {
    std::vector<DocSlot>().swap(docs_);
    std::vector<DocExtra>().swap(doc_extras_);
    std::string().swap(doc_strings_);
    std::vector<uint32_t>().swap(doc_rank_);
    std::vector<uint32_t>().swap(doc_order_);
  }

  size_t LeadCount(Order order) const {
    switch (order) {
      case Order::kEvents:
        return docs_.size();
      case Order::kOut:
      case Order::kIn:
        return actor_id_of_rank_.size();
      case Order::kRel:
        return relation_id_of_rank_.size();
    }
    return 0;
  }

  // Lists the round's records in an order's leading key (*perm) and cuts
  // the list into partitions of about PartitionEvents(n) ((*bounds)[p] is
  // where partition p starts). Events, source and target first: a stable
  // counting sort by the leading rank, so one document's events stay in
  // ordinal order and each partition only has to sort the records of one
  // leading actor among themselves. Relation first: the source-first list
  // (`by_source`) counting-sorted again by relation rank, which gives
  // (relation, source) order. Partitions end where that leading key changes:
  // one actor's events (its degree, its topology links) or one (relation,
  // source) pair's are never split.
  void Partition(Order order, const std::vector<uint32_t>* by_source, std::vector<uint32_t>* perm,
                 std::vector<size_t>* bounds) const {
    const size_t n = events_.size();
    std::vector<uint32_t> next(LeadCount(order) + 1, 0);
    for (const Record& r : events_) ++next[LeadOf(order, r) + 1];
    for (size_t i = 1; i < next.size(); ++i) next[i] += next[i - 1];
    perm->resize(n);
    if (order == Order::kRel) {
      for (uint32_t i : *by_source) (*perm)[next[events_[i].edge.relation]++] = i;
    } else {
      for (uint32_t i = 0; i < n; ++i) (*perm)[next[LeadOf(order, events_[i])]++] = i;
    }
    auto same_group = [&](size_t i) {
      const Record& a = events_[(*perm)[i - 1]];
      const Record& b = events_[(*perm)[i]];
      if (LeadOf(order, a) != LeadOf(order, b)) return false;
      return order != Order::kRel || a.edge.source == b.edge.source;
    };
    bounds->assign(1, 0);
    const size_t part_events = PartitionEvents(n);
    for (size_t cut = part_events; cut < n; cut += part_events) {
      size_t c = std::max(cut, bounds->back() + 1);
      while (c < n && same_group(c)) ++c;
      if (c >= n) break;
      bounds->push_back(c);
      cut = c;
    }
    bounds->push_back(n);
  }

  // Writes the round: every order's partitions (and, in the last round, the
  // per-load files) on `threads` threads.
  Status WriteRound(bool last) {
    const auto start = std::chrono::steady_clock::now();
    if (last) {
      // Lookups are over; their memory goes to the sort buffers.
      doc_index_.Release();
      actor_index_.Release();
      names_.Release();
      stats_.actors = actors_.size();
    }
    // A load of one round writes each document beside its events (same
    // order, same cache lines; otherwise all of them at the end) and, into a
    // fresh store, the topology.
    const bool single_round = last && stats_.chunks == 0 && !events_.empty();
    const bool topology = single_round && fresh_store_ && options_.topology;
    if (events_.empty() && !last) return Status::Ok();
    RankTables();
    constexpr Order kOrders[] = {Order::kEvents, Order::kIn, Order::kOut, Order::kRel};
    static_assert(kOrders[2] == Order::kOut);
    constexpr size_t kNumOrders = std::size(kOrders);
    std::vector<uint32_t> perms[2];
    std::vector<size_t> bounds[kNumOrders];
    std::atomic<int> groups[kNumOrders] = {};
    std::deque<Written> written;
    std::mutex written_mu;
    auto new_written = [&]() -> Written* {
      std::lock_guard<std::mutex> lock(written_mu);
      return &written.emplace_back();
    };
    std::vector<PartLinks> links;
    {
      scratch_by_thread_.resize(static_cast<size_t>(options_.threads));
      WorkQueue queue(options_.threads);
      if (last) {
        Written* out = new_written();
        queue.Add([this, out, single_round](int) { return WriteLoadFiles(out, !single_round); },
                  nullptr);
      }
      for (size_t k = 0; k < kNumOrders && events_.size() > 0; ++k) {
        // The edge orders read EdgeRecs, made once the events are written.
        if (k == 1) {
          queue.WaitFor(groups[0]);
          ToEdgeRecs();
          // The documents are written and no later round or replaced
          // document reads them: their memory goes to the edge orders.
          if (single_round && store_empty_) ReleaseDocs();
        }
        // Two lists: order k + 2 reuses order k's (relation first reads the
        // source-first list, which its tasks only read too).
        if (k >= 2) queue.WaitFor(groups[k - 2]);
        std::vector<uint32_t>& perm = perms[k % 2];
        Partition(kOrders[k], &perms[(k + 1) % 2], &perm, &bounds[k]);
        const size_t parts = bounds[k].size() - 1;
        if (kOrders[k] == Order::kOut && topology) links.resize(parts);
        for (size_t p = 0; p < parts; ++p) {
          const size_t b = bounds[k][p], e = bounds[k][p + 1];
          Written* out = new_written();
          const Order order = kOrders[k];
          const uint32_t* records = perm.data() + b;
          if (order == Order::kEvents) {
            // Documents ranked from this partition's first to the next one's
            // (all of them across the partitions, those without events too).
            std::pair<size_t, size_t> docs{0, 0};
            if (single_round) {
              docs.first = p == 0 ? 0 : doc_rank_[events_[perm[b]].event.doc];
              docs.second = p + 1 == parts ? docs_.size() : doc_rank_[events_[perm[e]].event.doc];
            }
            queue.Add([this, records, count = e - b, p, docs,
                       out](int) { return WriteEvents(records, count, p, docs, out); },
                      &groups[k]);
            continue;
          }
          PartLinks* part_links = order == Order::kOut && topology ? &links[p] : nullptr;
          queue.Add(
              [this, order, records, count = e - b, p, out, part_links](int thread) {
                return WritePartition(order, records, count, p, out, part_links,
                                      &scratch_by_thread_[thread]);
              },
              &groups[k]);
        }
      }
      if (topology) {
        // After the source-first partitions, while the relation-first ones run.
        queue.WaitFor(groups[2]);
        Written* out = new_written();
        queue.Add([this, &links, out](int) { return WriteTopology(links, out); }, nullptr);
      }
      KG_RETURN_IF_ERROR(queue.Drain());
    }
    for (const Written& w : written) {
      for (size_t c = 0; c < kNumColumns; ++c) {
        files_[c].insert(files_[c].end(), w.files[c].begin(), w.files[c].end());
        stats_.sst_files += w.files[c].size();
      }
      stats_.sst_bytes += w.bytes;
      stats_.sst_entries += w.entries;
    }
    std::vector<Record>().swap(events_);
    std::vector<StoredValue>().swap(stored_);
    std::vector<ThreadScratch>().swap(scratch_by_thread_);
    stored_bytes_ = Arena();
    if (!last) events_.reserve(std::min<size_t>(options_.chunk_events, size_t{1} << 26));
    stats_.topology_written = topology;
    ++stats_.chunks;
    stats_.sort_write_seconds += Since(start);
    return Status::Ok();
  }

  // Writes one partition of one order as its SST file (relation first: also
  // its pair counts; source or target first: degrees, and source first its
  // topology links). Records arrive in the order's leading key; edge entries
  // are sorted within each run of one leading key.
  Status WritePartition(Order order, const uint32_t* records, size_t count, size_t part,
                        Written* out, PartLinks* links, ThreadScratch* scratch) const {
    std::vector<Item>& items = scratch->items;
    items.resize(count);
    // Records are read in partition order, i.e. randomly: prefetched ahead.
    for (size_t i = 0; i < count; ++i) {
      if (i + 16 < count) __builtin_prefetch(&events_[records[i + 16]]);
      const EdgeRec& r = events_[records[i]].edge;
      const uint64_t source = r.source, target = r.target, relation = r.relation;
      Item& it = items[i];
      it.k3 = r.doc;
      it.a = r.ordinal;
      it.b = r.attrs;
      switch (order) {
        case Order::kOut:
          it.k1 = source << 32 | relation, it.k2 = target << 32 | r.date;
          break;
        case Order::kIn:
          it.k1 = target << 32 | relation, it.k2 = source << 32 | r.date;
          break;
        case Order::kRel:
        case Order::kEvents:
          it.k1 = relation << 32 | source, it.k2 = target << 32 | r.date;
          break;
      }
    }
    // Runs of one leading actor (one (relation, source) pair, relation first).
    const uint64_t run_mask = order == Order::kRel ? ~uint64_t{0} : ~uint64_t{0} << 32;
    for (size_t b = 0; b < count;) {
      size_t e = b + 1;
      while (e < count && ((items[e].k1 ^ items[b].k1) & run_mask) == 0) ++e;
      if (e - b > 1) SortRun(&items, b, e, &scratch->sorting);
      b = e;
    }
    // At most one link per record: reserved once, so growing never copies
    // (and touches) the links twice.
    if (links != nullptr) links->links.reserve(count);
    return WriteEdges(order, items, part, out, links);
  }

  // Events of a partition: already in key order (document rank, then
  // ordinal; partitions never split a document), written as one run per
  // document; values rebuilt from the records' slots.
  // `docs`: the ranks of the documents whose records this partition also
  // writes (empty: none).
  Status WriteEvents(const uint32_t* records, size_t count, size_t part,
                     std::pair<size_t, size_t> docs, Written* out) const {
    if (docs.first < docs.second) {
      SstSink doc_sink(sst_options_[kDocs].get(), PathFor(kDocs, part), false);
      KG_RETURN_IF_ERROR(WriteDocs(docs.first, docs.second, &doc_sink));
      KG_RETURN_IF_ERROR(doc_sink.Finish(out, kDocs));
    }
    SstSink sink(sst_options_[kEvents].get(), PathFor(kEvents, part), false);
    // One run per document: its events of this round, under the first one's key.
    char key[codec::kEventKeySize];
    std::vector<char> value;
    std::string run;
    uint32_t run_doc = 0, run_count = 0;
    auto end_run = [&]() -> Status {
      if (run_count == 0) return Status::Ok();
      codec::FinishEventRun(&run, run_count);
      run_count = 0;
      return sink.Add(std::string_view(key, sizeof key), run);
    };
    // Records, then the table entries they point to, then the strings those
    // point to: each fetched a few records before it is read.
    for (size_t i = 0; i < count; ++i) {
      if (i + 24 < count) __builtin_prefetch(&events_[records[i + 24]]);
      if (i + 16 < count) {
        const EventRec& ahead = events_[records[i + 16]].event;
        __builtin_prefetch(&docs_[ahead.doc]);
        __builtin_prefetch(&spellings_[ahead.source]);
        __builtin_prefetch(&spellings_[ahead.target]);
      }
      if (i + 8 < count) {
        __builtin_prefetch(doc_strings_.data() + docs_[events_[records[i + 8]].event.doc].id_off);
      }
      const EventRec& r = events_[records[i]].event;
      if (run_count == 0 || r.doc != run_doc) {
        KG_RETURN_IF_ERROR(end_run());
        run_doc = r.doc;
        codec::EncodeEventKeyTo(EventKey{docs_[r.doc].key, r.ordinal}, key);
        codec::StartEventRun(&run);
      }
      std::string_view bytes;
      if (r.attrs_stored & kStored) {
        const auto found = std::lower_bound(
            stored_.begin(), stored_.end(), records[i],
            [](const StoredValue& v, uint32_t record) { return v.record < record; });
        bytes = std::string_view(found->bytes, found->len);
      } else {
        const Attrs& a = attrs_[AttrsOf(r)];
        codec::StoredEventParts e;
        e.doc_id = IdOf(docs_[r.doc]);
        e.date = docs_[r.doc].date;
        e.source_id = spellings_[r.source].id;
        e.relation_id = relations_[r.relation];
        e.target_id = spellings_[r.target].id;
        e.source_text = e.source_name = SpellingOf(r.source);
        e.source_code = code_names_[r.source_code];
        e.relation = relation_names_.StringAt(r.relation);
        e.cameo = a.cameo;
        e.goldstein = a.goldstein;
        e.target_text = e.target_name = SpellingOf(r.target);
        e.target_code = code_names_[r.target_code];
        e.negated = a.negated;
        e.modality = a.modality;
        e.attributed_to = a.attributed_to ? &*a.attributed_to : nullptr;
        bytes = codec::EncodeStoredEventTo(e, &value);
      }
      codec::AppendRunEvent(&run, bytes);
      ++run_count;
    }
    KG_RETURN_IF_ERROR(end_run());
    return sink.Finish(out, kEvents);
  }

  Status WriteEdges(Order order, const std::vector<Item>& items, size_t part, Written* out,
                    PartLinks* links) const {
    const Column column = order == Order::kOut ? kOut : order == Order::kIn ? kIn : kRel;
    const codec::EdgeOrder edge_order = order == Order::kOut  ? codec::EdgeOrder::kOut
                                        : order == Order::kIn ? codec::EdgeOrder::kIn
                                                              : codec::EdgeOrder::kRel;
    SstSink sink(sst_options_[column].get(), PathFor(column, part), false);
    // Relation first: pair counts. Source or target first: that actor's
    // degree counter (every event of one leading actor is in this partition).
    SstSink counts(sst_options_[kCounts].get(), PathFor(kCounts, part, kColumnNames[column]), true);
    char key[codec::kEdgeKeySize];
    char pair_key[codec::kPairCountKeySize];
    // Runs of one (source, relation, target): pair counts and topology links.
    uint32_t run_events = 0, run_asserted = 0;
    uint32_t run_source = 0, run_relation = 0, run_target = 0;
    auto end_run = [&]() -> Status {
      if (run_events == 0) return Status::Ok();
      if (links != nullptr) {
        if (links->sources.empty() || links->sources.back().first != run_source) {
          links->sources.emplace_back(run_source, 0);
        }
        ++links->sources.back().second;
        links->links.push_back(TopologyLink{run_target, run_relation, run_events, run_asserted});
      }
      if (order == Order::kRel && run_asserted != 0) {
        codec::EncodePairCountKeyTo(relation_id_of_rank_[run_relation],
                                    actor_id_of_rank_[run_source], actor_id_of_rank_[run_target],
                                    pair_key);
        KG_RETURN_IF_ERROR(counts.Add(std::string_view(pair_key, sizeof pair_key),
                                      codec::EncodeCounter(run_asserted)));
      }
      run_events = run_asserted = 0;
      return Status::Ok();
    };
    // Runs of one leading actor (source or target first): its degree.
    uint32_t lead = 0;
    int64_t lead_asserted = 0;
    auto end_lead = [&]() -> Status {
      if (order == Order::kRel || lead_asserted == 0) return Status::Ok();
      const int64_t n = lead_asserted;
      lead_asserted = 0;
      return counts.Add(codec::DegreeKey(order == Order::kOut, actor_id_of_rank_[lead]),
                        codec::EncodeCounter(n));
    };
    uint64_t last_k1 = 0;
    uint32_t last_third = 0;
    for (size_t i = 0; i < items.size(); ++i) {
      if (i + 8 < items.size()) {
        const Item& ahead = items[i + 8];
        __builtin_prefetch(&actor_id_of_rank_[ahead.k2 >> 32]);
        __builtin_prefetch(&actor_id_of_rank_[order == Order::kRel ? static_cast<uint32_t>(ahead.k1)
                                                                   : ahead.k1 >> 32]);
      }
      const Item& it = items[i];
      const auto first = static_cast<uint32_t>(it.k1 >> 32);
      const auto second = static_cast<uint32_t>(it.k1);
      const auto third = static_cast<uint32_t>(it.k2 >> 32);
      uint32_t source = first, relation = second, target = third;
      if (order == Order::kIn) {
        source = third, target = first;
      } else if (order == Order::kRel) {
        relation = first, source = second;
      }
      const auto date = static_cast<Date>(static_cast<uint32_t>(it.k2) ^ 0x80000000u);
      const EventKey event{it.k3, it.a};
      codec::EncodeEdgeKeyTo(edge_order, actor_id_of_rank_[source], relation_id_of_rank_[relation],
                             actor_id_of_rank_[target], date, event, key);
      const Attrs& a = attrs_[it.b];
      KG_RETURN_IF_ERROR(sink.Add(std::string_view(key, sizeof key), a.edge_value));
      if (i == 0 || it.k1 != last_k1 || third != last_third) {
        KG_RETURN_IF_ERROR(end_run());
        if (i == 0 || first != lead) {
          KG_RETURN_IF_ERROR(end_lead());
          lead = first;
        }
        run_source = source, run_relation = relation, run_target = target;
        last_k1 = it.k1, last_third = third;
      }
      ++run_events;
      if (!a.negated) ++run_asserted, ++lead_asserted;
    }
    KG_RETURN_IF_ERROR(end_run());
    KG_RETURN_IF_ERROR(end_lead());
    KG_RETURN_IF_ERROR(sink.Finish(out, column));
    return counts.Finish(out, kCounts);
  }

  // The topology of a fresh store loaded in one round: actors and relations
  // are exactly the load's, numbered by rank; the links are the source-first
  // partitions' in order. Stamped with the generation the load leaves the
  // store at, written in pieces straight from those parts.
  Status WriteTopology(const std::vector<PartLinks>& parts, Written* out) const {
    std::vector<uint32_t> offsets(actor_id_of_rank_.size() + 1, 0);
    std::vector<std::span<const TopologyLink>> links;
    uint64_t total = 0;
    for (const PartLinks& p : parts) {
      for (const auto& [source, n] : p.sources) offsets[source + 1] = n;
      links.emplace_back(p.links);
      total += p.links.size();
    }
    if (total >= UINT32_MAX) return Status::InvalidArgument("too many links for one topology");
    for (size_t i = 1; i < offsets.size(); ++i) offsets[i] += offsets[i - 1];
    // Keys in order: "chunk" + index (new pieces, then stale ones of an old
    // topology deleted), then "meta".
    SstSink sink(sst_options_[kTopology].get(), PathFor(kTopology, 0), false);
    codec::TopologyMeta meta;
    meta.generation = generation_before_ + 1;
    std::string chunk;
    Status status;
    auto flush = [&] {
      if (status.ok()) status = sink.Add(codec::TopologyChunkKey(meta.chunks++), chunk);
      chunk.clear();
    };
    codec::EncodeTopologyPieces(meta.generation, actor_id_of_rank_, relation_id_of_rank_, offsets,
                                links, [&](std::string_view piece) {
                                  meta.bytes += piece.size();
                                  while (!piece.empty()) {
                                    const size_t n = std::min(
                                        piece.size(), codec::kTopologyChunkBytes - chunk.size());
                                    chunk.append(piece.substr(0, n));
                                    piece.remove_prefix(n);
                                    if (chunk.size() == codec::kTopologyChunkBytes) flush();
                                  }
                                });
    if (!chunk.empty()) flush();
    KG_RETURN_IF_ERROR(status);
    for (uint32_t i = meta.chunks; i < old_topology_chunks_; ++i) {
      KG_RETURN_IF_ERROR(sink.Delete(codec::TopologyChunkKey(i)));
    }
    KG_RETURN_IF_ERROR(sink.Add(codec::TopologyMetaKey(), codec::EncodeTopologyMeta(meta)));
    return sink.Finish(out, kTopology);
  }

  // ---------------------------------------------------------- load files

  // The records of documents ranked [begin, end) (unchanged ones are not
  // written), in key order.
  Status WriteDocs(size_t begin, size_t end, SstSink* sink) const {
    std::string value;
    const DocExtra none;
    for (size_t i = begin; i < end; ++i) {
      // Ids were stored in arrival order and are read in key order.
      if (i + 16 < end) __builtin_prefetch(&docs_[doc_order_[i + 16]]);
      if (i + 8 < end) __builtin_prefetch(doc_strings_.data() + docs_[doc_order_[i + 8]].id_off);
      const DocSlot& d = docs_[doc_order_[i]];
      if (d.unchanged()) continue;
      value.clear();
      const DocExtra& x = d.extra() != kNoExtra ? doc_extras_[d.extra() - 1] : none;
      codec::AppendDocRecord(&value, IdOf(d), x.title, x.source, d.date, x.content_hash,
                             x.sentences, d.events);
      char key[codec::kDocKeySize];
      codec::EncodeDocKeyTo(d.key, key);
      KG_RETURN_IF_ERROR(sink->Add(std::string_view(key, sizeof key), value));
    }
    return Status::Ok();
  }

  // Documents, actors, names, relations and totals, after the last round's
  // RankTables (every document and actor is ranked). `with_docs`: also the
  // documents (unless the events partitions wrote them).
  Status WriteLoadFiles(Written* out, bool with_docs) const {
    if (with_docs) {
      SstSink sink(sst_options_[kDocs].get(), PathFor(kDocs, 0), false);
      KG_RETURN_IF_ERROR(WriteDocs(0, doc_order_.size(), &sink));
      KG_RETURN_IF_ERROR(sink.Finish(out, kDocs));
    }
    // Actors by id, merged with their stored records; their names.
    KeyRun names;
    std::string normalized;
    auto add_name = [&](std::string_view alias, ActorId id) {
      normalized.clear();
      AppendNormalizedName(&normalized, alias);
      names.Add([&](std::string* key) { codec::AppendNameKey(key, normalized, id); });
    };
    {
      SstSink sink(sst_options_[kActors].get(), PathFor(kActors, 0), false);
      std::string value;
      ActorRecord merged;
      for (uint32_t i : actor_order_) {
        const ActorSlot& a = actors_[i];
        // Most actors have a name and maybe a code: no record is built.
        std::string_view name = NameOf(a), code = code_names_[a.code];
        ActorType type = ActorType::kUnknown;
        std::span<const std::string> aliases;
        if (a.rich != 0 || !store_empty_) {
          KG_ASSIGN_OR_RETURN(merged, MergedRecordOf(a));
          name = merged.name, code = merged.code, type = merged.type, aliases = merged.aliases;
        }
        char key[codec::kDocKeySize];
        codec::EncodeActorKeyTo(a.id, key);
        value.clear();
        codec::AppendActorRecord(&value, a.id, name, code, type, aliases);
        KG_RETURN_IF_ERROR(sink.Add(std::string_view(key, sizeof key), value));
        add_name(name, a.id);
        for (const auto& alias : aliases) add_name(alias, a.id);
      }
      KG_RETURN_IF_ERROR(sink.Finish(out, kActors));
    }
    {
      names.Sort();
      SstSink sink(sst_options_[kNames].get(), PathFor(kNames, 0), false);
      std::string_view last;
      bool first = true;
      KG_RETURN_IF_ERROR(names.ForEach([&](std::string_view key) -> Status {
        if (!first && key == last) return Status::Ok();  // Same alias, same actor.
        first = false;
        last = key;
        return sink.Add(key, "");
      }));
      KG_RETURN_IF_ERROR(sink.Finish(out, kNames));
    }
    {
      SstSink sink(sst_options_[kRelations].get(), PathFor(kRelations, 0), false);
      for (const auto& [id, name] : relation_normalized_) {
        KG_RETURN_IF_ERROR(sink.Add(codec::RelationKey(id), name));
      }
      KG_RETURN_IF_ERROR(sink.Finish(out, kRelations));
    }
    {
      // Totals in their own file: it must not overlap the partitions' pair
      // counts ('P') and degrees ('I', 'O').
      SstSink totals(sst_options_[kCounts].get(), PathFor(kCounts, 0, "-totals"), true);
      if (stats_.documents_added != 0) {
        KG_RETURN_IF_ERROR(
            totals.Add(codec::StatKey("documents"),
                       codec::EncodeCounter(static_cast<int64_t>(stats_.documents_added))));
      }
      if (stats_.events != 0) {
        KG_RETURN_IF_ERROR(totals.Add(codec::StatKey("events"),
                                      codec::EncodeCounter(static_cast<int64_t>(stats_.events))));
        KG_RETURN_IF_ERROR(
            totals.Add(codec::StatKey(codec::kGenerationStat), codec::EncodeCounter(1)));
      }
      KG_RETURN_IF_ERROR(totals.Finish(out, kCounts));
    }
    return Status::Ok();
  }

  // One batch removing every old event of the replaced documents with its
  // index entries and counts (QueueDocEventsRemoval, as the batch path).
  Status RemoveReplaced() {
    rocksdb::WriteBatch batch;
    int64_t removed = 0;
    for (const DocSlot& d : docs_) {
      if (!d.replaced()) continue;
      KG_ASSIGN_OR_RETURN(const size_t n, QueueDocEventsRemoval(t_, d.key, &batch));
      removed += static_cast<int64_t>(n);
    }
    if (removed == 0) return Status::Ok();
    batch.Merge(t_.counts, codec::StatKey("events"), codec::EncodeCounter(-removed));
    batch.Merge(t_.counts, codec::StatKey(codec::kGenerationStat), codec::EncodeCounter(1));
    stats_.events_removed = static_cast<uint64_t>(removed);
    rocksdb::WriteOptions wo;
    wo.sync = t_.sync_writes;
    return FromRocks(t_.db->Write(wo, &batch), "removing old events of replaced documents");
  }

  BulkTarget t_;
  BulkLoadOptions options_;
  std::shared_ptr<void> keep_alive_;
  rocksdb::ColumnFamilyHandle* handles_[kNumColumns] = {};
  std::shared_ptr<const rocksdb::Options> sst_options_[kNumColumns];
  std::string tmp_dir_;
  bool store_empty_ = false;  // No documents: nothing to look up or replace.
  bool fresh_store_ = false;  // Nothing at all: the load can write the topology.
  uint64_t generation_before_ = 0;
  uint32_t old_topology_chunks_ = 0;
  bool finished_ = false;

  // Per load.
  std::vector<DocSlot> docs_;
  std::vector<DocExtra> doc_extras_;
  std::string doc_strings_;
  SlotIndex doc_index_;
  DocKey last_doc_key_ = 0;
  uint32_t last_doc_slot_ = UINT32_MAX;
  std::vector<ActorSlot> actors_;
  std::vector<ActorRich> rich_;
  SlotIndex actor_index_;
  NameMap names_;  // Names as given -> spelling slot.
  std::vector<Spelling> spellings_;
  std::string spelling_strings_;
  Interner codes_;  // Actor codes -> index in code_names_.
  std::vector<std::string> code_names_;
  Interner relation_names_;  // Relation as given -> index in relations_.
  std::vector<RelationId> relations_;
  std::map<RelationId, std::string> relation_normalized_;
  Interner attrs_index_;
  std::vector<Attrs> attrs_;
  uint32_t last_attrs_ = UINT32_MAX;
  std::vector<std::string> files_[kNumColumns];
  BulkLoadStats stats_;
  std::string scratch_;

  // Per round: the records, pre-encoded values of events with mentions.
  std::vector<Record> events_;
  std::vector<StoredValue> stored_;  // By record.
  std::vector<ThreadScratch> scratch_by_thread_;
  Arena stored_bytes_;
  // Ranks (RankTables), valid while a round is written.
  std::vector<uint32_t> doc_rank_, doc_order_;
  std::vector<uint32_t> actor_order_;
  std::vector<ActorId> actor_id_of_rank_;
  std::vector<uint32_t> spelling_rank_;
  std::vector<RelationId> relation_id_of_rank_;
  std::vector<uint32_t> relation_rank_;
};

}  // namespace

Result<std::unique_ptr<BulkWriter>> NewRocksBulkWriter(const BulkTarget& target,
                                                       const BulkLoadOptions& options,
                                                       std::shared_ptr<void> keep_alive) {
  auto writer = std::make_unique<RocksBulkWriter>(target, options, std::move(keep_alive));
  KG_RETURN_IF_ERROR(writer->Init());
  return std::unique_ptr<BulkWriter>(std::move(writer));
}

}  // namespace kg::internal
