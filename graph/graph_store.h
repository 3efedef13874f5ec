// GraphStore: the persistent actor graph with provenance on every edge.
//
// Writers ingest whole documents atomically; readers see consistent
// snapshots. The RocksDB implementation is the only one; tests use it on a
// temporary directory. Byte layouts live in graph/key_codec.h.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "graph/status.h"
#include "graph/topology.h"
#include "graph/types.h"

namespace kg {

struct StoreOptions {
  // Directory holding the RocksDB files. Required.
  std::string path;
  // Create an empty store when `path` does not exist. Default: true.
  bool create_if_missing = true;
  // Open without write access; several read-only openers may share a store
  // that a writer is using. Default: false.
  bool read_only = false;
  // Block cache shared by all column families. Default: 64 MiB.
  size_t block_cache_bytes = 64u << 20;
  // Memory of all column families' write buffers together: when the
  // memtables exceed it the largest is flushed, so a long ingest stays within
  // this plus the block cache. The write-ahead logs are kept to a quarter of
  // it (the column families holding the oldest are flushed), which bounds
  // what every read-only open beside a writer replays. Default: 64 MiB.
  size_t write_buffer_bytes = 64u << 20;
  // Sync the write-ahead log on every document commit (slower, survives power
  // loss rather than only process crashes). Default: false.
  bool sync_writes = false;
};

enum class IngestAction {
  kAdded,      // New document id.
  kUnchanged,  // Same id and content hash: nothing written.
  kReplaced,   // Same id, new content: old events removed, new ones written.
};

struct IngestOutcome {
  IngestAction action = IngestAction::kAdded;
  size_t events_written = 0;
  size_t events_removed = 0;
};

// Which edges to scan. Bound fields pick the index: source bound -> the
// source-first index, else target bound -> target-first, else relation bound
// -> relation-first, else a full scan of the source-first index.
struct EdgeScanSpec {
  std::optional<ActorId> source;
  std::optional<RelationId> relation;
  std::optional<ActorId> target;
  Date date_from = INT32_MIN;  // Inclusive.
  Date date_to = INT32_MAX;    // Inclusive.
  bool include_negated = true;
  // Decode the whole edge value (cameo, goldstein, attributed_to). When
  // false only the key fields and `negated` are filled (a few bytes of the
  // value are peeked), which is what traversals and counts need. Default: true.
  bool decode_value = true;
};

enum class EdgeIndex { kBySource, kByTarget, kByRelation };

// Returns the index ScanEdges uses for `spec` (for EXPLAIN).
EdgeIndex ChooseEdgeIndex(const EdgeScanSpec& spec);

// The entry the store writes into every edge index for `stored`; checks and
// exports compare and filter against the same mapping.
EdgeEntry IndexEntryOf(const StoredEvent& stored);
std::string_view EdgeIndexName(EdgeIndex index);

// Number of asserted (non-negated) events of one relation between two actors.
struct PairCount {
  ActorId source = 0;
  RelationId relation = 0;
  ActorId target = 0;
  int64_t count = 0;
};

struct StoreStats {
  int64_t documents = 0;
  int64_t events = 0;
  int64_t actors = 0;
  int64_t relations = 0;
  // Grows with every write that adds or removes events (see Topology).
  int64_t generation = 0;
};

// Return false from a visitor to stop the scan early (not an error).
using EdgeVisitor = std::function<bool(const EdgeEntry&)>;
using ActorVisitor = std::function<bool(const ActorRecord&)>;
using DocumentVisitor = std::function<bool(const DocumentMeta&)>;
using PairCountVisitor = std::function<bool(const PairCount&)>;
using RelationVisitor = std::function<bool(RelationId, const std::string&)>;
using DegreeVisitor = std::function<bool(ActorId, int64_t)>;

// A consistent, read-only view of the store at one point in time. Thread
// compatible: one reader per thread, or external synchronisation.
class GraphReader {
 public:
  virtual ~GraphReader() = default;

  virtual Status ScanEdges(const EdgeScanSpec& spec, const EdgeVisitor& visit) const = 0;
  // Every entry of one edge index in key order (for consistency checks).
  virtual Status ScanIndex(EdgeIndex index, const EdgeVisitor& visit) const = 0;
  // Every stored event in (document key, ordinal) order.
  virtual Status ScanEvents(const std::function<bool(const StoredEvent&)>& visit) const = 0;
  virtual Result<std::optional<StoredEvent>> GetEvent(const EventKey& key) const = 0;
  // All events of one document in ordinal order.
  virtual Status ScanDocumentEvents(std::string_view doc_id,
                                    const std::function<bool(const StoredEvent&)>& visit) const = 0;

  virtual Result<std::optional<ActorRecord>> GetActor(ActorId id) const = 0;
  // Many actors at once (one batched RocksDB MultiGet): out[i] is ids[i]'s
  // record, or empty when absent.
  virtual Result<std::vector<std::optional<ActorRecord>>> GetActors(
      const std::vector<ActorId>& ids) const = 0;
  virtual Status ScanActors(const ActorVisitor& visit) const = 0;
  // Actors whose canonical name or alias normalizes to NormalizeName(alias).
  virtual Result<std::vector<ActorId>> FindActorsByAlias(std::string_view alias) const = 0;

  virtual Result<std::optional<std::string>> GetRelationName(RelationId id) const = 0;
  virtual Status ScanRelations(const RelationVisitor& visit) const = 0;

  virtual Result<std::optional<DocumentMeta>> GetDocument(std::string_view doc_id) const = 0;
  // Number of events the document's record says it holds; nullopt if absent.
  virtual Result<std::optional<uint32_t>> GetDocumentEventCount(std::string_view doc_id) const = 0;
  virtual Status ScanDocuments(const DocumentVisitor& visit) const = 0;

  // Pair counts of one relation (or all relations when unset), unordered.
  virtual Status ScanPairCounts(std::optional<RelationId> relation,
                                const PairCountVisitor& visit) const = 0;
  // Asserted events with `actor` as source (out) and as target (in).
  virtual Result<std::pair<int64_t, int64_t>> GetDegree(ActorId actor) const = 0;
  // Every maintained out-degree (out = true) or in-degree counter, in actor id
  // order, with one iterator over the counter prefix (actors whose counter is
  // zero are skipped). Counts asserted events only, like GetDegree.
  virtual Status ScanDegrees(bool out, const DegreeVisitor& visit) const = 0;

  virtual Result<StoreStats> Stats() const = 0;

  // The stored topology when it is current for this snapshot (built at the
  // snapshot's generation), else null: callers then use the edge indexes.
  // Loaded on the first call and kept by the reader.
  virtual Result<std::shared_ptr<const Topology>> GetTopology() const = 0;
  // What GetTopology returned before, without any I/O: null when it was
  // never called on this reader (or found no current topology).
  virtual std::shared_ptr<const Topology> LoadedTopology() const = 0;
};

// Options of a bulk load (GraphStore::NewBulkWriter).
struct BulkLoadOptions {
  // Events collected before they are sorted and written (a "round"). Bounds
  // memory: about 40 bytes per event of a round, plus the per-load tables
  // (about 45 bytes per document, 100 per actor name). A load of one round
  // writes files that do not overlap, which a fresh store keeps at its bottom
  // level without compaction; every further round adds overlapping files
  // that RocksDB compacts later. Default: 12,000,000.
  size_t chunk_events = 12'000'000;
  // Threads sorting and writing SST files. Default: 2.
  int threads = 2;
  // Write the topology (graph/topology.h) as part of the load when the store
  // was empty and the load took one round; otherwise it is left stale for
  // GraphStore::RefreshTopology. Default: true.
  bool topology = true;
};

struct BulkLoadStats {
  uint64_t documents_added = 0;
  uint64_t documents_replaced = 0;   // Already in the store: old events removed.
  uint64_t documents_unchanged = 0;  // PutDocument with the stored content hash.
  uint64_t events = 0;               // Events written.
  uint64_t events_removed = 0;       // Old events of replaced documents.
  uint64_t actors = 0;               // Actor records written (new or merged).
  uint64_t chunks = 0;               // Rounds of at most chunk_events events.
  uint64_t sst_files = 0;
  uint64_t sst_bytes = 0;
  uint64_t sst_entries = 0;       // Key-value entries in those files.
  double sort_write_seconds = 0;  // Sorting and writing the rounds' SST files.
  double ingest_seconds = 0;      // IngestExternalFiles.
  bool topology_written = false;  // The store's topology is current after the load.
};

// Writes many documents as sorted SST files that are ingested into the store
// in one atomic IngestExternalFiles call across all column families (nothing
// is visible before Finish). The resulting store is identical, column family
// by column family, to one written with GraphStore::PutDocument, except that
// a document whose events arrive in several rounds keeps them in one event
// run per round (codec::DecodeEventRun); every read is the same. Used by
// `kg import` and `kg ingest --bulk`.
//
// Documents already in the store are replaced (their old events are removed
// in one WriteBatch committed just before the ingest; a crash between the two
// leaves those documents without events until the load is repeated). When
// the store holds no document at all, no lookups are made.
//
// Thread compatible: one thread calls the writer. REQUIRES: no other writer
// uses the store between NewBulkWriter and Finish (kg holds the store lock).
class BulkWriter {
 public:
  virtual ~BulkWriter() = default;

  // PutDocument semantics for one whole document: stored with the same
  // content hash and meta -> kUnchanged (nothing written); stored with other
  // content -> kReplaced. An id already written in this bulk load fails with
  // kInvalidArgument unless the meta is identical (then kUnchanged).
  virtual Result<IngestOutcome> PutDocument(const DocumentMeta& meta,
                                            const std::vector<Event>& events,
                                            const std::vector<ActorRecord>& actors) = 0;

  // Table rows: appends `event` to document meta.id, which is created from
  // `meta` on first use (later calls only add events, in call order). A
  // document has one date: an event whose meta.date differs from the date the
  // document was created with goes to document "<id>@<YYYY-MM-DD>" instead.
  virtual Status AppendEvent(const DocumentMeta& meta, const Event& event) = 0;

  // One row of AppendEvents.
  struct Row {
    const DocumentMeta* meta = nullptr;
    const Event* event = nullptr;
    // Optional (when `hashed`): DocKeyFor(meta->id), Hash64(event->source.name),
    // Hash64(event->target.name) and Hash64(event->relation) (graph/ids.h),
    // computed by the caller, e.g. on the thread that parsed the row.
    bool hashed = false;
    DocKey doc_key = 0;
    uint64_t source_hash = 0, target_hash = 0, relation_hash = 0;
  };
  // AppendEvent for each row in order; faster than one call per row (the
  // lookups of later rows are started early). On failure returns the error
  // with *failed set to the failing row's index: the rows before it are
  // appended, it and the rows after it are not.
  virtual Status AppendEvents(std::span<const Row> rows, size_t* failed) = 0;

  // Sorts and writes what is buffered, then ingests every file atomically.
  // The writer cannot be used afterwards. Destroying a writer without Finish
  // discards the load and its temporary files.
  virtual Result<BulkLoadStats> Finish() = 0;
};

// What GraphStore::UpgradeFormat did.
struct FormatUpgrade {
  int from_version = 0;
  int to_version = 0;
  uint64_t events = 0;  // Events moved into runs.
  uint64_t runs = 0;    // Runs written.
};

// What GraphStore::Compact did.
struct CompactStats {
  uint64_t bytes_before = 0;  // Live SST bytes of all column families.
  uint64_t bytes_after = 0;
  int column_families_compacted = 0;
};

class GraphStore {
 public:
  // Opens or creates the store at options.path. Fails with kIncompatible for
  // a store of another format version, kIoError when locked or unwritable.
  static Result<std::unique_ptr<GraphStore>> Open(const StoreOptions& options);

  // Converts the existing store at options.path from an older format version
  // to the current one in place (version 2 -> 3: one events entry per event
  // becomes one run per document). Resumable: each document is converted in
  // one atomic batch and the version is written last, so an interrupted
  // upgrade is finished by calling again. A store already current is left
  // as it is. Fails with kIncompatible for versions it cannot convert.
  static Result<FormatUpgrade> UpgradeFormat(const StoreOptions& options);

  GraphStore(const GraphStore&) = delete;
  GraphStore& operator=(const GraphStore&) = delete;
  virtual ~GraphStore() = default;

  // Writes one document, its events and the actors they reference in a single
  // atomic batch. Idempotent: same id and content hash -> kUnchanged; a changed
  // document replaces its previous events. Actor records are merged (aliases
  // added, code updated). Thread-safe; writers are serialised.
  virtual Result<IngestOutcome> PutDocument(const DocumentMeta& meta,
                                            const std::vector<Event>& events,
                                            const std::vector<ActorRecord>& actors) = 0;

  // Removes a document and all its events atomically. kNotFound if absent.
  virtual Status DeleteDocument(std::string_view doc_id) = 0;

  // A bulk loader writing SST files under <path>/bulk.tmp (see BulkWriter).
  // Fails with kInvalidArgument on a read-only store.
  virtual Result<std::unique_ptr<BulkWriter>> NewBulkWriter(const BulkLoadOptions& options) = 0;

  // A reader on a snapshot taken now.
  virtual std::unique_ptr<GraphReader> NewReader() const = 0;

  // Rebuilds the stored topology (graph/topology.h) from the edge index when
  // the store was written since it was built; true when it rebuilt. Reads
  // every edge key once: about a second per 5 M events.
  virtual Result<bool> RefreshTopology() = 0;

  // Rewrites the files of every column family holding uncompressed data
  // into the bottom level with the store's compression (LZ4), merging
  // counter operands and dropping deleted entries. Bulk loads leave their
  // files uncompressed (about 1.8x larger; graph/README.md); column families
  // whose files are all compressed already are skipped, so a second call is
  // cheap. Reads and writes may continue meanwhile.
  virtual Result<CompactStats> Compact() = 0;

  // Flushes memtables to disk (used before exit and before backups).
  virtual Status Flush() = 0;

  // Writes a consistent copy of the store to `dir` (which must not exist)
  // while the store stays usable: a RocksDB checkpoint, hard-linking files
  // where the file system allows.
  virtual Status Checkpoint(const std::string& dir) = 0;

 protected:
  GraphStore() = default;
};

}  // namespace kg
