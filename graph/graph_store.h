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
#include <string>
#include <string_view>
#include <vector>

#include "graph/status.h"
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
};

enum class EdgeIndex { kBySource, kByTarget, kByRelation };

// Returns the index ScanEdges uses for `spec` (for EXPLAIN).
EdgeIndex ChooseEdgeIndex(const EdgeScanSpec& spec);
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
};

// Return false from a visitor to stop the scan early (not an error).
using EdgeVisitor = std::function<bool(const EdgeEntry&)>;
using ActorVisitor = std::function<bool(const ActorRecord&)>;
using DocumentVisitor = std::function<bool(const DocumentMeta&)>;
using PairCountVisitor = std::function<bool(const PairCount&)>;
using RelationVisitor = std::function<bool(RelationId, const std::string&)>;

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
  virtual Status ScanActors(const ActorVisitor& visit) const = 0;
  // Actors whose canonical name or alias normalizes to NormalizeName(alias).
  virtual Result<std::vector<ActorId>> FindActorsByAlias(std::string_view alias) const = 0;

  virtual Result<std::optional<std::string>> GetRelationName(RelationId id) const = 0;
  virtual Status ScanRelations(const RelationVisitor& visit) const = 0;

  virtual Result<std::optional<DocumentMeta>> GetDocument(std::string_view doc_id) const = 0;
  virtual Status ScanDocuments(const DocumentVisitor& visit) const = 0;

  // Pair counts of one relation (or all relations when unset), unordered.
  virtual Status ScanPairCounts(std::optional<RelationId> relation,
                                const PairCountVisitor& visit) const = 0;
  // Asserted events with `actor` as source (out) and as target (in).
  virtual Result<std::pair<int64_t, int64_t>> GetDegree(ActorId actor) const = 0;

  virtual Result<StoreStats> Stats() const = 0;
};

class GraphStore {
 public:
  // Opens or creates the store at options.path. Fails with kIncompatible for
  // a store of another format version, kIoError when locked or unwritable.
  static Result<std::unique_ptr<GraphStore>> Open(const StoreOptions& options);

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

  // A reader on a snapshot taken now.
  virtual std::unique_ptr<GraphReader> NewReader() const = 0;

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
