// Bulk loading through SST files. For every event the writer produces the
// same entries PutDocument's WriteBatch would (events, three edge orders,
// counters) and when a chunk is full sorts and writes them as SST files.
// Documents, actors, names and relations are kept per load (they are small
// next to the events) and written once by Finish, which then ingests every
// file of every column family in one IngestExternalFiles call.
//
// Layout in memory: a chunk holds fixed-size integer records (ids, date,
// document key, ordinal) for the event index and each edge order, sorted
// with integer comparisons; variable bytes (the encoded event value and the
// shared edge value) live in arenas the records point into. Key bytes are
// produced by the codec's Encode*To functions only while writing the SST
// (the integer order equals the codec's byte order: fixed-width big-endian
// ids, sign-flipped dates; SstFileWriter rejects any key out of order, so a
// mismatch would fail loudly). Pair counts are run lengths of the sorted
// relation-first order, degrees live in the actor table.
//
// Pipeline: the caller's thread parses and builds chunk N+1 while a
// background thread (with `threads - 1` helpers) sorts and writes chunk N;
// at most two chunks are in memory.
//
// Chunks of one column family may overlap in key range (events arrive in
// input order, not key order). That is safe here because no two files of a
// load hold the same key except counter merge operands, which commute:
// event and edge keys contain (document, ordinal), unique within a load, and
// documents, actors, names and relations are written once. RocksDB places
// overlapping ingested files in L0 and compacts them later.
#include "graph/bulk_load.h"

#include <pthread.h>
#include <rocksdb/db.h>
#include <rocksdb/options.h>
#include <rocksdb/sst_file_writer.h>
#include <rocksdb/table.h>
#include <rocksdb/write_batch.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <map>
#include <optional>
#include <thread>

#include "graph/date.h"
#include "graph/ids.h"
#include "graph/key_codec.h"

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
  kNumColumns
};

constexpr const char* kColumnNames[kNumColumns] = {"docs",     "events",    "edges_out",
                                                   "edges_in", "edges_rel", "actors",
                                                   "names",    "relations", "counts"};

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
        if (Str(e) == s) return e.value;
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
  uint32_t size() const { return static_cast<uint32_t>(entries_.size()); }
  size_t bytes() const {
    return entries_.size() * sizeof(Entry) + strings_.size() + table_.size() * sizeof(uint64_t);
  }

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
      if (b.hash == hash && Str(b) == s) return b.value;
    }
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

// One event of a chunk in the events column family: key (doc, ordinal),
// value bytes in the chunk's arena.
struct EventRec {
  DocKey doc;
  uint32_t ordinal;
  uint32_t len;
  const char* value;
};
static_assert(sizeof(EventRec) == 24);

// One entry of one edge index: (a, b, c) are the three ids in that index's
// order, then date, document, ordinal (the key); the value is shared by the
// three orders and lives in the chunk's edge value buffer.
struct EdgeRec {
  uint64_t a, b, c;
  DocKey doc;
  Date date;
  uint32_t ordinal;
  uint32_t value;  // Entry of Chunk::edge_values.
  uint32_t unused : 31;
  uint32_t negated : 1;  // Not counted in pair counts.
};
static_assert(sizeof(EdgeRec) == 48);

inline bool EdgeLess(const EdgeRec& x, const EdgeRec& y) {
  if (x.a != y.a) return x.a < y.a;
  if (x.b != y.b) return x.b < y.b;
  if (x.c != y.c) return x.c < y.c;
  if (x.date != y.date) return x.date < y.date;  // Sign-flipped BE bytes: signed order.
  if (x.doc != y.doc) return x.doc < y.doc;
  return x.ordinal < y.ordinal;
}

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

// Sorts edge records by EdgeLess: one counting-sort pass on a 16-bit digit
// that is monotone in that order, then std::sort inside each bucket (ids are
// hashes, so buckets are small except around hub actors). The digit is the
// top bits of `a`; when `a` takes few distinct values (the relation-first
// index) it is the rank of `a` followed by the top bits of `b`.
void SortEdges(std::vector<EdgeRec>* recs) {
  const size_t n = recs->size();
  if (n < 4096) {
    std::sort(recs->begin(), recs->end(), EdgeLess);
    return;
  }
  constexpr size_t kMaxLeads = 256;
  std::vector<uint64_t> leads;  // Sorted distinct values of `a` while few.
  uint64_t last = 0;
  for (const EdgeRec& r : *recs) {
    if (!leads.empty() && r.a == last) continue;
    last = r.a;
    auto it = std::lower_bound(leads.begin(), leads.end(), r.a);
    if (it != leads.end() && *it == r.a) continue;
    if (leads.size() == kMaxLeads) {
      leads.clear();
      break;
    }
    leads.insert(it, r.a);
  }
  int rank_bits = 0;
  while (!leads.empty() && (size_t{1} << rank_bits) < leads.size()) ++rank_bits;
  const int b_bits = 16 - rank_bits;
  auto digit = [&](const EdgeRec& r) -> uint32_t {
    if (leads.empty()) return static_cast<uint32_t>(r.a >> 48);
    const auto rank =
        static_cast<uint32_t>(std::lower_bound(leads.begin(), leads.end(), r.a) - leads.begin());
    return (rank << b_bits) | static_cast<uint32_t>(r.b >> (64 - b_bits));
  };
  BucketSort(recs, digit, EdgeLess);
}

// Everything one chunk writes to the events and edge column families.
struct Chunk {
  size_t index = 0;
  size_t limit = 0;  // Events that fill it.
  std::vector<EventRec> events;
  Arena event_values;
  // Distinct edge values (few: cameo, goldstein, negation, speaker), so the
  // writer reads them from cache, not from a random place per entry.
  Interner edge_values;
  std::vector<EdgeRec> edges[3];  // kOut, kIn, kRel orders.

  void Reserve(size_t n) {
    // Virtual reservations (untouched pages cost no memory), capped so a huge
    // --chunk does not ask for more address space than the machine has.
    n = std::min<size_t>(n, size_t{1} << 21);
    events.reserve(n);
    for (auto& e : edges) e.reserve(n);
  }
  size_t size() const { return events.size(); }
  size_t bytes() const {
    return events.size() * (sizeof(EventRec) + 3 * sizeof(EdgeRec)) + event_values.bytes() +
           edge_values.bytes();
  }
};

// Key/value entries of one small column family (names), sorted by key bytes.
class Run {
 public:
  void Add(std::string_view key, std::string_view value) {
    refs_.push_back(
        Ref{arena_.size(), static_cast<uint32_t>(key.size()), static_cast<uint32_t>(value.size())});
    arena_.append(key);
    arena_.append(value);
  }
  size_t size() const { return refs_.size(); }
  void Sort() {
    const char* base = arena_.data();
    std::sort(refs_.begin(), refs_.end(), [base](const Ref& a, const Ref& b) {
      return std::string_view(base + a.off, a.klen) < std::string_view(base + b.off, b.klen);
    });
  }
  template <typename Fn>
  Status ForEach(Fn&& fn) const {
    for (const Ref& r : refs_) {
      KG_RETURN_IF_ERROR(fn(std::string_view(arena_.data() + r.off, r.klen),
                            std::string_view(arena_.data() + r.off + r.klen, r.vlen)));
    }
    return Status::Ok();
  }

 private:
  struct Ref {
    size_t off;
    uint32_t klen, vlen;
  };
  std::string arena_;
  std::vector<Ref> refs_;
};

// Open-addressing index from a well-mixed 64-bit key (an XXH3 id) to a slot
// of a caller's table; stores only slot + 1 (4 bytes per bucket, at most half
// full), the key is read back through key_of(slot).
class SlotIndex {
 public:
  SlotIndex() {
    slots_.assign(1u << 12, 0);
    mask_ = slots_.size() - 1;
  }
  template <typename KeyOf>
  uint32_t Find(uint64_t key, const KeyOf& key_of) const {
    for (size_t i = Mix(key) & mask_;; i = (i + 1) & mask_) {
      const uint32_t v = slots_[i];
      if (v == 0) return UINT32_MAX;
      if (key_of(v - 1) == key) return v - 1;
    }
  }
  template <typename KeyOf>
  void Insert(uint64_t key, uint32_t slot, const KeyOf& key_of) {
    if ((size_ + 1) * 2 > slots_.size()) {
      std::vector<uint32_t> old = std::move(slots_);
      slots_.assign(old.size() * 2, 0);
      mask_ = slots_.size() - 1;
      for (uint32_t v : old) {
        if (v != 0) Place(key_of(v - 1), v);
      }
    }
    Place(key, slot + 1);
    ++size_;
  }
  void Release() {
    std::vector<uint32_t>().swap(slots_);
    size_ = 0;
  }

 private:
  static size_t Mix(uint64_t key) { return static_cast<size_t>(key ^ (key >> 29)); }
  void Place(uint64_t key, uint32_t v) {
    size_t i = Mix(key) & mask_;
    while (slots_[i] != 0) i = (i + 1) & mask_;
    slots_[i] = v;
  }
  std::vector<uint32_t> slots_;
  size_t mask_ = 0;
  size_t size_ = 0;
};

// One document of the load. Title, source, content hash and sentences are
// rare for table rows: kept in DocExtra only when set.
struct DocSlot {
  DocKey key = 0;
  uint64_t id_off = 0;  // Offset of the id in doc_strings_.
  uint32_t id_len = 0;
  uint32_t events = 0;
  Date date = kUnknownDate;
  uint32_t extra : 30;
  uint32_t replaced : 1;   // Was in the store before this load.
  uint32_t unchanged : 1;  // PutDocument found identical content: write nothing.
  DocSlot() : extra(0), replaced(0), unchanged(0) {}
};
static_assert(sizeof(DocSlot) == 32);
constexpr uint32_t kNoExtra = 0;  // DocExtra index + 1 in DocSlot::extra.

struct DocExtra {
  std::string title, source;
  uint64_t content_hash = 0;
  uint32_t sentences = 0;
};

// One actor of the load. Type and aliases (PutDocument's actor records) are
// rare: kept in ActorRich only when set.
struct ActorSlot {
  ActorId id = 0;
  uint64_t name_off = 0;  // Canonical name first seen, in actor_names_.
  uint32_t name_len = 0;
  uint32_t code = 0;  // Value of codes_ (0: no code).
  uint32_t out = 0;   // Asserted events with this actor as source / target.
  uint32_t in = 0;
  uint32_t rich = 0;  // ActorRich index + 1, or 0.
};

struct ActorRich {
  ActorType type = ActorType::kUnknown;
  std::vector<std::string> aliases;
};

// Compression of the bulk SST files. LZ4 was ~6% of the import's CPU and
// the files are rewritten (with the store's LZ4) by the first compaction of
// their L0 range anyway, so they are written uncompressed; the store is
// ~1.9x larger on disk until that compaction. Larger blocks mean fewer index
// entries and block finishes per byte (graph/README.md has the trade-off).
constexpr rocksdb::CompressionType kBulkCompression = rocksdb::kNoCompression;
constexpr size_t kBulkBlockSize = 16 * 1024;

// An SST file opened on first use, so empty outputs leave no file.
class SstSink {
 public:
  SstSink(const rocksdb::Options* options, std::string path, bool merge)
      : options_(options), path_(std::move(path)), merge_(merge) {}
  Status Add(std::string_view key, std::string_view value) {
    if (!open_) {
      writer_ = std::make_unique<rocksdb::SstFileWriter>(rocksdb::EnvOptions(), *options_);
      KG_RETURN_IF_ERROR(FromRocks(writer_->Open(path_), "creating " + path_));
      open_ = true;
    }
    const rocksdb::Slice k = AsSlice(key), v = AsSlice(value);
    const rocksdb::Status s = merge_ ? writer_->Merge(k, v) : writer_->Put(k, v);
    if (s.ok()) return Status::Ok();  // No message built per entry.
    return FromRocks(s, "writing " + path_);
  }
  // Adds the file to *files when anything was written.
  Status Finish(std::vector<std::string>* files, uint64_t* bytes) {
    if (!open_) return Status::Ok();
    rocksdb::ExternalSstFileInfo info;
    KG_RETURN_IF_ERROR(FromRocks(writer_->Finish(&info), "finishing " + path_));
    writer_.reset();
    open_ = false;
    files->push_back(path_);
    *bytes += info.file_size;
    return Status::Ok();
  }

 private:
  const rocksdb::Options* options_;
  std::string path_;
  bool merge_;
  bool open_ = false;
  std::unique_ptr<rocksdb::SstFileWriter> writer_;
};

// Files and bytes written by one piece of work (merged into the stats by
// the writer's thread).
struct Written {
  Status status;
  std::vector<std::string> files[kNumColumns];
  uint64_t bytes = 0;
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
    if (options_.chunk_events == 0) options_.chunk_events = 1;
    if (options_.threads < 1) options_.threads = 1;
  }

  ~RocksBulkWriter() override {
    if (flusher_.joinable()) flusher_.join();
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
    cur_ = NewChunk();
    // The store is empty when it has no document record at all.
    std::unique_ptr<rocksdb::Iterator> it(t_.db->NewIterator(rocksdb::ReadOptions(), t_.docs));
    it->SeekToFirst();
    store_empty_ = !it->Valid();
    return FromRocks(it->status(), "reading documents");
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
    if (docs_[slot].unchanged) {
      outcome.action = IngestAction::kUnchanged;
      return outcome;
    }
    outcome.action = docs_[slot].replaced ? IngestAction::kReplaced : IngestAction::kAdded;
    for (const ActorRecord& a : actors) MergeActor(a);
    for (const Event& ev : events) KG_RETURN_IF_ERROR(AddEvent(slot, meta.id, ev));
    outcome.events_written = events.size();
    return outcome;
  }

  Status AppendEvent(const DocumentMeta& meta, const Event& event) override {
    KG_RETURN_IF_ERROR(CheckOpen());
    if (meta.id.empty()) return Status::InvalidArgument("document id is empty");
    KG_RETURN_IF_ERROR(CheckEvent(event, meta.id));
    DocKey key = DocKeyFor(meta.id);
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
    } else if (IdOf(docs_[slot]) != id) {
      return KeyClash(std::string(IdOf(docs_[slot])), id);
    } else if (docs_[slot].unchanged) {
      return Status::InvalidArgument("document '" + id + "' was already written unchanged");
    }
    if (dated_id.empty()) {
      last_doc_key_ = key;
      last_doc_slot_ = slot;
    }
    return AddEvent(slot, id, event);
  }

  Result<BulkLoadStats> Finish() override {
    KG_RETURN_IF_ERROR(CheckOpen());
    finished_ = true;
    // The last chunk is written in the background while this thread writes
    // documents, actors, names, relations and the final counters.
    KG_RETURN_IF_ERROR(StartFlush());
    const auto start = std::chrono::steady_clock::now();
    Written final_files;
    final_files.status = WriteFinalFiles(&final_files);
    stats_.sort_write_seconds += Since(start);
    Status flushed = JoinFlush();
    KG_RETURN_IF_ERROR(final_files.status);
    KG_RETURN_IF_ERROR(flushed);
    Collect(final_files);

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
    if (d.extra != kNoExtra) {
      const DocExtra& x = doc_extras_[d.extra - 1];
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
      d.extra = static_cast<uint32_t>(doc_extras_.size());
    }
    if (!store_empty_) {
      std::string value;
      auto s = t_.db->Get(rocksdb::ReadOptions(), t_.docs, codec::DocKeyBytes(key), &value);
      if (s.ok()) {
        KG_ASSIGN_OR_RETURN(codec::DocRecord rec, codec::DecodeDocRecord(value));
        if (rec.meta.id != meta.id) return KeyClash(rec.meta.id, meta.id);
        if (compare_content && rec.meta.content_hash == meta.content_hash && rec.meta == meta) {
          d.unchanged = 1;
          ++stats_.documents_unchanged;
        } else {
          d.replaced = 1;
          ++stats_.documents_replaced;
        }
      } else if (!s.IsNotFound()) {
        return FromRocks(s, "reading document");
      }
    }
    if (!d.replaced && !d.unchanged) ++stats_.documents_added;
    doc_strings_.append(meta.id);
    const auto slot = static_cast<uint32_t>(docs_.size());
    docs_.push_back(d);
    doc_index_.Insert(key, slot, [this](uint32_t s) { return docs_[s].key; });
    return slot;
  }

  // ---------------------------------------------------------- actors

  // Actor slot of a canonical name, creating it on first sight (the record's
  // name is the first name seen for its id, as in PutDocument).
  uint32_t ActorFor(std::string_view name) {
    const uint64_t h = Hash64(name);
    const uint32_t found = names_.Find(name, h);
    if (found != UINT32_MAX) return found;
    const ActorId id = ActorIdFor(name);
    auto id_of = [this](uint32_t s) { return actors_[s].id; };
    uint32_t slot = actor_index_.Find(id, id_of);
    if (slot == UINT32_MAX) {
      slot = static_cast<uint32_t>(actors_.size());
      ActorSlot a;
      a.id = id;
      a.name_off = actor_names_.size();
      a.name_len = static_cast<uint32_t>(name.size());
      actor_names_.append(name);
      actors_.push_back(a);
      actor_index_.Insert(id, slot, id_of);
    }
    names_.Insert(name, h, slot);
    return slot;
  }

  std::string_view NameOf(const ActorSlot& a) const {
    return std::string_view(actor_names_.data() + a.name_off, a.name_len);
  }

  uint32_t CodeFor(std::string_view code) {
    const uint64_t h = Hash64(code);
    uint32_t v = codes_.Find(code, h);
    if (v == UINT32_MAX) {
      v = static_cast<uint32_t>(code_names_.size());
      codes_.Insert(code, h, v);
      code_names_.emplace_back(code);
    }
    return v;
  }

  // The reference's actor; its code (when given) becomes the actor's code.
  uint32_t CachedActor(const ActorRef& ref) {
    const uint32_t slot = ActorFor(ref.name);
    if (!ref.code.empty()) {
      ActorSlot& a = actors_[slot];
      if (a.code == 0 || code_names_[a.code] != ref.code) a.code = CodeFor(ref.code);
    }
    return slot;
  }

  // PutDocument's MergeActor on the load's records (the stored record is
  // merged in by Finish).
  void MergeActor(const ActorRecord& rec) {
    const uint32_t slot = ActorFor(rec.name);
    if (!rec.code.empty()) actors_[slot].code = CodeFor(rec.code);
    if (rec.type == ActorType::kUnknown && rec.aliases.empty()) return;
    if (actors_[slot].rich == 0) {
      rich_.emplace_back();
      actors_[slot].rich = static_cast<uint32_t>(rich_.size());
    }
    ActorRich& r = rich_[actors_[slot].rich - 1];
    if (rec.type != ActorType::kUnknown) r.type = rec.type;
    const std::string norm = NormalizeName(NameOf(actors_[slot]));
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

  RelationId CachedRelation(const std::string& relation) {
    if (relation == last_relation_) return last_relation_id_;
    const uint64_t h = Hash64(relation);
    uint32_t v = relation_names_.Find(relation, h);
    if (v == UINT32_MAX) {
      const RelationId id = RelationIdFor(relation);
      v = static_cast<uint32_t>(relations_.size());
      relations_.push_back(id);
      relation_names_.Insert(relation, h, v);
      relation_normalized_.emplace(id, NormalizeName(relation));
    }
    last_relation_ = relation;
    last_relation_id_ = relations_[v];
    return last_relation_id_;
  }

  // ---------------------------------------------------------- events

  Status AddEvent(uint32_t slot, std::string_view doc_id, const Event& ev) {
    DocSlot& d = docs_[slot];
    const EventKey key{d.key, d.events++};
    const uint32_t src = CachedActor(ev.source);
    const uint32_t tgt = CachedActor(ev.target);
    const ActorId source = actors_[src].id, target = actors_[tgt].id;
    const RelationId relation = CachedRelation(ev.relation);
    Chunk& c = *cur_;

    scratch_.clear();
    codec::AppendStoredEvent(&scratch_, doc_id, d.date, source, relation, target, ev);
    c.events.push_back(EventRec{key.doc, key.ordinal, static_cast<uint32_t>(scratch_.size()),
                                c.event_values.Copy(scratch_)});

    // Consecutive events usually share their edge value (same cameo,
    // goldstein, negation and speaker): skip encoding and hashing then.
    if (c.index != last_value_chunk_ || ev.negated != last_negated_ ||
        ev.goldstein != last_goldstein_ || ev.cameo != last_cameo_ ||
        ev.attributed_to != last_attributed_) {
      scratch_.clear();
      codec::AppendEdgeValue(&scratch_, ev.cameo, ev.goldstein, ev.negated,
                             ev.attributed_to ? ActorIdFor(*ev.attributed_to) : 0);
      const uint64_t vhash = Hash64(scratch_);
      last_value_ = c.edge_values.Find(scratch_, vhash);
      if (last_value_ == UINT32_MAX) {
        last_value_ = c.edge_values.size();
        c.edge_values.Insert(scratch_, vhash, last_value_);
      }
      last_value_chunk_ = c.index;
      last_negated_ = ev.negated;
      last_goldstein_ = ev.goldstein;
      last_cameo_ = ev.cameo;
      last_attributed_ = ev.attributed_to;
    }
    const uint32_t value = last_value_;
    EdgeRec e;
    e.doc = key.doc;
    e.date = d.date;
    e.ordinal = key.ordinal;
    e.value = value;
    e.unused = 0;
    e.negated = ev.negated ? 1 : 0;
    e.a = source, e.b = relation, e.c = target;
    c.edges[0].push_back(e);
    e.a = target, e.c = source;
    c.edges[1].push_back(e);
    e.a = relation, e.b = source, e.c = target;
    c.edges[2].push_back(e);
    if (!ev.negated) {
      ++actors_[src].out;
      ++actors_[tgt].in;
    }
    ++stats_.events;
    if (c.size() >= c.limit || c.edge_values.bytes() > (3ull << 30) ||
        c.event_values.bytes() > (3ull << 30)) {
      return StartFlush();
    }
    return Status::Ok();
  }

  // ---------------------------------------------------------- chunks

  std::unique_ptr<Chunk> NewChunk() {
    auto c = std::make_unique<Chunk>();
    c->index = chunks_started_++;
    // The first chunks are smaller (1/4, 1/2 of chunk_events), so writing
    // starts early and overlaps parsing even for loads of one chunk's size.
    const size_t shift = c->index < 2 ? 2 - c->index : 0;
    c->limit = std::max<size_t>(1, options_.chunk_events >> shift);
    c->Reserve(c->limit);
    return c;
  }

  std::string PathFor(size_t chunk, size_t column, const char* suffix = "") const {
    return tmp_dir_ + "/" + std::to_string(chunk) + "-" + kColumnNames[column] + suffix + ".sst";
  }

  // Hands the current chunk to the background writer (after the previous
  // one is done) and starts a new one.
  Status StartFlush() {
    KG_RETURN_IF_ERROR(JoinFlush());
    if (cur_->size() == 0) return Status::Ok();
    flushing_ = std::move(cur_);
    flush_result_ = Written();
    flusher_ = std::thread([this] {
      pthread_setname_np(pthread_self(), "kg-bulk-write");
      flush_result_.status = WriteChunk(*flushing_, &flush_result_);
    });
    if (!finished_) cur_ = NewChunk();
    return Status::Ok();
  }

  Status JoinFlush() {
    if (!flusher_.joinable()) return Status::Ok();
    const auto start = std::chrono::steady_clock::now();
    flusher_.join();
    stats_.sort_write_seconds += Since(start);  // Time the parser waited.
    flushing_.reset();
    KG_RETURN_IF_ERROR(flush_result_.status);
    Collect(flush_result_);
    ++stats_.chunks;
    return Status::Ok();
  }

  void Collect(const Written& w) {
    for (size_t c = 0; c < kNumColumns; ++c) {
      files_[c].insert(files_[c].end(), w.files[c].begin(), w.files[c].end());
      stats_.sst_files += w.files[c].size();
    }
    stats_.sst_bytes += w.bytes;
  }

  // Sorts and writes one chunk: the events file, one file per edge order
  // and (from the relation-first order) the chunk's pair counts; `threads`
  // of them at a time.
  Status WriteChunk(Chunk& chunk, Written* out) {
    Written parts[4];
    std::atomic<size_t> next{0};
    auto work = [&] {
      pthread_setname_np(pthread_self(), "kg-bulk-write");
      for (size_t i = next++; i < 4; i = next++) {
        parts[i].status =
            i == 0 ? WriteEvents(chunk, &parts[i]) : WriteEdges(chunk, i - 1, &parts[i]);
      }
    };
    std::vector<std::thread> helpers;
    for (int k = 1; k < options_.threads && k < 4; ++k) helpers.emplace_back(work);
    work();
    for (auto& th : helpers) th.join();
    for (Written& p : parts) {
      KG_RETURN_IF_ERROR(p.status);
      for (size_t c = 0; c < kNumColumns; ++c) {
        out->files[c].insert(out->files[c].end(), p.files[c].begin(), p.files[c].end());
      }
      out->bytes += p.bytes;
    }
    return Status::Ok();
  }

  Status WriteEvents(Chunk& chunk, Written* out) {
    auto& recs = chunk.events;
    auto less = [](const EventRec& a, const EventRec& b) {
      return a.doc != b.doc ? a.doc < b.doc : a.ordinal < b.ordinal;
    };
    if (recs.size() < 4096) {
      std::sort(recs.begin(), recs.end(), less);
    } else {
      // Document keys are hashes: their top bits spread the buckets evenly.
      BucketSort(
          &recs, [](const EventRec& r) { return static_cast<uint32_t>(r.doc >> 48); }, less);
    }
    SstSink sink(sst_options_[kEvents].get(), PathFor(chunk.index, kEvents), false);
    char key[codec::kEventKeySize];
    // Values are read in key order, i.e. randomly: prefetch a few ahead.
    constexpr size_t kAhead = 12;
    for (size_t i = 0; i < recs.size(); ++i) {
      if (i + kAhead < recs.size()) {
        __builtin_prefetch(recs[i + kAhead].value);
        __builtin_prefetch(recs[i + kAhead].value + 64);
      }
      const EventRec& r = recs[i];
      codec::EncodeEventKeyTo(EventKey{r.doc, r.ordinal}, key);
      KG_RETURN_IF_ERROR(
          sink.Add(std::string_view(key, sizeof key), std::string_view(r.value, r.len)));
    }
    std::vector<EventRec>().swap(recs);
    return sink.Finish(&out->files[kEvents], &out->bytes);
  }

  Status WriteEdges(Chunk& chunk, size_t order_index, Written* out) {
    static constexpr codec::EdgeOrder kOrders[3] = {codec::EdgeOrder::kOut, codec::EdgeOrder::kIn,
                                                    codec::EdgeOrder::kRel};
    static constexpr Column kColumns[3] = {kOut, kIn, kRel};
    const codec::EdgeOrder order = kOrders[order_index];
    const Column column = kColumns[order_index];
    auto& recs = chunk.edges[order_index];
    SortEdges(&recs);
    SstSink sink(sst_options_[column].get(), PathFor(chunk.index, column), false);
    const bool pairs = order == codec::EdgeOrder::kRel;
    SstSink counts(sst_options_[kCounts].get(), PathFor(chunk.index, kCounts, "-pairs"), true);
    char key[codec::kEdgeKeySize];
    char pair_key[codec::kPairCountKeySize];
    const Interner& values = chunk.edge_values;
    int64_t run = 0;
    const EdgeRec* run_rec = nullptr;
    auto end_run = [&]() -> Status {
      if (run == 0) return Status::Ok();
      codec::EncodePairCountKeyTo(run_rec->a, run_rec->b, run_rec->c, pair_key);
      const std::string n = codec::EncodeCounter(run);
      run = 0;
      return counts.Add(std::string_view(pair_key, sizeof pair_key), n);
    };
    for (const EdgeRec& r : recs) {
      ActorId source = r.a, target = r.c;
      RelationId relation = r.b;
      if (order == codec::EdgeOrder::kIn) {
        source = r.c, target = r.a;
      } else if (pairs) {
        relation = r.a, source = r.b, target = r.c;
      }
      codec::EncodeEdgeKeyTo(order, source, relation, target, r.date, EventKey{r.doc, r.ordinal},
                             key);
      KG_RETURN_IF_ERROR(sink.Add(std::string_view(key, sizeof key), values.StringAt(r.value)));
      if (pairs) {
        if (run_rec != nullptr && (r.a != run_rec->a || r.b != run_rec->b || r.c != run_rec->c)) {
          KG_RETURN_IF_ERROR(end_run());
        }
        if (run == 0) run_rec = &r;
        if (!r.negated) ++run;
      }
    }
    if (pairs) KG_RETURN_IF_ERROR(end_run());
    KG_RETURN_IF_ERROR(sink.Finish(&out->files[column], &out->bytes));
    KG_RETURN_IF_ERROR(counts.Finish(&out->files[kCounts], &out->bytes));
    std::vector<EdgeRec>().swap(recs);
    return Status::Ok();
  }

  // ---------------------------------------------------------- final files

  // Documents, actors, names, relations, degrees and totals.
  Status WriteFinalFiles(Written* out) {
    // Documents by key. The index is not needed any more.
    doc_index_.Release();
    actor_index_.Release();
    auto by_key = [](const DocSlot& a, const DocSlot& b) { return a.key < b.key; };
    if (docs_.size() < 4096) {
      std::sort(docs_.begin(), docs_.end(), by_key);
    } else {
      BucketSort(
          &docs_, [](const DocSlot& d) { return static_cast<uint32_t>(d.key >> 48); }, by_key);
    }
    {
      SstSink sink(sst_options_[kDocs].get(), PathFor(chunks_started_, kDocs), false);
      std::string value;
      const DocExtra none;
      for (size_t i = 0; i < docs_.size(); ++i) {
        // Ids were stored in arrival order and are read in key order.
        if (i + 16 < docs_.size()) __builtin_prefetch(doc_strings_.data() + docs_[i + 16].id_off);
        const DocSlot& d = docs_[i];
        if (d.unchanged) continue;
        value.clear();
        const DocExtra& x = d.extra != kNoExtra ? doc_extras_[d.extra - 1] : none;
        codec::AppendDocRecord(&value, IdOf(d), x.title, x.source, d.date, x.content_hash,
                               x.sentences, d.events);
        KG_RETURN_IF_ERROR(sink.Add(codec::DocKeyBytes(d.key), value));
      }
      KG_RETURN_IF_ERROR(sink.Finish(&out->files[kDocs], &out->bytes));
    }
    // Actors by id, merged with their stored records; their names.
    std::vector<uint32_t> order(actors_.size());
    for (uint32_t i = 0; i < order.size(); ++i) order[i] = i;
    std::sort(order.begin(), order.end(),
              [this](uint32_t a, uint32_t b) { return actors_[a].id < actors_[b].id; });
    Run names;
    {
      SstSink sink(sst_options_[kActors].get(), PathFor(chunks_started_, kActors), false);
      for (uint32_t i : order) {
        const ActorSlot& a = actors_[i];
        ActorRecord out_rec = RecordOf(a);
        if (!store_empty_) {
          std::string value;
          auto s = t_.db->Get(rocksdb::ReadOptions(), t_.actors, codec::ActorKey(a.id), &value);
          if (s.ok()) {
            const ActorRecord rec = std::move(out_rec);
            KG_ASSIGN_OR_RETURN(out_rec, codec::DecodeActorRecord(value));
            if (!rec.code.empty()) out_rec.code = rec.code;
            if (rec.type != ActorType::kUnknown) out_rec.type = rec.type;
            for (const auto& alias : rec.aliases) {
              if (NormalizeName(alias) == NormalizeName(out_rec.name)) continue;
              if (std::find(out_rec.aliases.begin(), out_rec.aliases.end(), alias) ==
                  out_rec.aliases.end()) {
                out_rec.aliases.push_back(alias);
              }
            }
          } else if (!s.IsNotFound()) {
            return FromRocks(s, "reading actor");
          }
        }
        KG_RETURN_IF_ERROR(sink.Add(codec::ActorKey(a.id), codec::EncodeActorRecord(out_rec)));
        names.Add(codec::NameKey(NormalizeName(out_rec.name), a.id), "");
        for (const auto& alias : out_rec.aliases)
          names.Add(codec::NameKey(NormalizeName(alias), a.id), "");
        ++stats_.actors;
      }
      KG_RETURN_IF_ERROR(sink.Finish(&out->files[kActors], &out->bytes));
    }
    {
      names.Sort();
      SstSink sink(sst_options_[kNames].get(), PathFor(chunks_started_, kNames), false);
      std::string last;
      bool first = true;
      KG_RETURN_IF_ERROR(names.ForEach([&](std::string_view key, std::string_view value) -> Status {
        if (!first && key == last) return Status::Ok();  // Same alias, same actor.
        first = false;
        last.assign(key);
        return sink.Add(key, value);
      }));
      KG_RETURN_IF_ERROR(sink.Finish(&out->files[kNames], &out->bytes));
    }
    {
      SstSink sink(sst_options_[kRelations].get(), PathFor(chunks_started_, kRelations), false);
      for (const auto& [id, name] : relation_normalized_) {
        KG_RETURN_IF_ERROR(sink.Add(codec::RelationKey(id), name));
      }
      KG_RETURN_IF_ERROR(sink.Finish(&out->files[kRelations], &out->bytes));
    }
    {
      // Counters in key order: 'I' degrees, 'O' degrees, 'S' totals.
      SstSink sink(sst_options_[kCounts].get(), PathFor(chunks_started_, kCounts), true);
      for (bool out_degree : {false, true}) {
        for (uint32_t i : order) {
          const ActorSlot& a = actors_[i];
          const uint32_t n = out_degree ? a.out : a.in;
          if (n != 0)
            KG_RETURN_IF_ERROR(
                sink.Add(codec::DegreeKey(out_degree, a.id), codec::EncodeCounter(n)));
        }
      }
      if (stats_.documents_added != 0) {
        KG_RETURN_IF_ERROR(
            sink.Add(codec::StatKey("documents"),
                     codec::EncodeCounter(static_cast<int64_t>(stats_.documents_added))));
      }
      if (stats_.events != 0) {
        KG_RETURN_IF_ERROR(sink.Add(codec::StatKey("events"),
                                    codec::EncodeCounter(static_cast<int64_t>(stats_.events))));
      }
      if (stats_.events != 0) {
        KG_RETURN_IF_ERROR(
            sink.Add(codec::StatKey(codec::kGenerationStat), codec::EncodeCounter(1)));
      }
      KG_RETURN_IF_ERROR(sink.Finish(&out->files[kCounts], &out->bytes));
    }
    return Status::Ok();
  }

  // One batch removing every old event of the replaced documents with its
  // index entries and counts (the batch path's RemoveDocEvents).
  Status RemoveReplaced() {
    rocksdb::WriteBatch batch;
    int64_t removed = 0;
    for (const DocSlot& d : docs_) {
      if (!d.replaced) continue;
      const std::string prefix = codec::DocKeyBytes(d.key);
      const std::string upper = codec::PrefixSuccessor(prefix);
      rocksdb::Slice upper_slice(upper);
      rocksdb::ReadOptions ro;
      ro.iterate_upper_bound = &upper_slice;
      std::unique_ptr<rocksdb::Iterator> it(t_.db->NewIterator(ro, t_.events));
      for (it->Seek(prefix); it->Valid(); it->Next()) {
        KG_ASSIGN_OR_RETURN(StoredEvent s, codec::DecodeStoredEvent(it->value().ToStringView()));
        KG_ASSIGN_OR_RETURN(s.key, codec::DecodeEventKey(it->key().ToStringView()));
        const EdgeEntry e = IndexEntryOf(s);
        batch.Delete(t_.edges_out, codec::EdgeKey(codec::EdgeOrder::kOut, e));
        batch.Delete(t_.edges_in, codec::EdgeKey(codec::EdgeOrder::kIn, e));
        batch.Delete(t_.edges_rel, codec::EdgeKey(codec::EdgeOrder::kRel, e));
        batch.Delete(t_.events, it->key());
        if (!s.event.negated) {
          const std::string minus = codec::EncodeCounter(-1);
          batch.Merge(t_.counts, codec::PairCountKey(e.relation, e.source, e.target), minus);
          batch.Merge(t_.counts, codec::DegreeKey(true, e.source), minus);
          batch.Merge(t_.counts, codec::DegreeKey(false, e.target), minus);
        }
        ++removed;
      }
      KG_RETURN_IF_ERROR(FromRocks(it->status(), "reading old events"));
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
  bool store_empty_ = false;
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
  NameMap names_;  // Canonical names as given -> actor slot.
  std::string actor_names_;
  Interner codes_;  // Actor codes -> index in code_names_.
  std::vector<std::string> code_names_;
  Interner relation_names_;  // Relation as given -> index in relations_.
  std::vector<RelationId> relations_;
  std::map<RelationId, std::string> relation_normalized_;
  std::string last_relation_;
  RelationId last_relation_id_ = 0;
  std::vector<std::string> files_[kNumColumns];
  BulkLoadStats stats_;
  std::string scratch_;
  // The last edge value's fields and its entry in the chunk's edge values.
  size_t last_value_chunk_ = SIZE_MAX;
  uint32_t last_value_ = 0;
  bool last_negated_ = false;
  double last_goldstein_ = 0;
  std::string last_cameo_;
  std::optional<std::string> last_attributed_;

  // Chunks: the one being filled and the one being written.
  std::unique_ptr<Chunk> cur_;
  std::unique_ptr<Chunk> flushing_;
  std::thread flusher_;
  Written flush_result_;
  size_t chunks_started_ = 0;
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
