// RocksDB implementation of GraphStore. All byte layouts come from
// key_codec.h; RocksDB statuses are converted to kg::Status here.
#include <rocksdb/db.h>
#include <rocksdb/merge_operator.h>
#include <rocksdb/options.h>
#include <rocksdb/slice_transform.h>
#include <rocksdb/table.h>
#include <rocksdb/table_properties.h>
#include <rocksdb/utilities/checkpoint.h>
#include <rocksdb/write_batch.h>

#include <algorithm>
#include <chrono>
#include <cstdarg>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <set>
#include <thread>
#include <unordered_map>

#include "graph/bulk_load.h"
#include "graph/graph_store.h"
#include "graph/ids.h"
#include "graph/key_codec.h"

namespace kg {
namespace {

namespace fs = std::filesystem;

Status FromRocks(const rocksdb::Status& s, std::string_view context) {
  if (s.ok()) return Status::Ok();
  std::string msg = std::string(context) + ": " + s.ToString();
  if (s.IsNotFound()) return Status::NotFound(msg);
  if (s.IsCorruption()) return Status::Corruption(msg);
  if (s.IsIOError() && s.ToString().find("lock") != std::string::npos) {
    return Status::IoError(std::string(context) + ": the store is locked by another kg process (" +
                           s.ToString() + ")");
  }
  if (s.IsInvalidArgument()) return Status::InvalidArgument(msg);
  return Status::IoError(msg);
}

// Adds little-endian int64 counters; used for pair counts, degrees and totals
// so that count maintenance rides in the same atomic WriteBatch as the edges.
class CounterAddOperator : public rocksdb::AssociativeMergeOperator {
 public:
  bool Merge(const rocksdb::Slice&, const rocksdb::Slice* existing, const rocksdb::Slice& value,
             std::string* new_value, rocksdb::Logger*) const override {
    int64_t base = 0;
    if (existing != nullptr) {
      auto decoded = codec::DecodeCounter(existing->ToStringView());
      if (!decoded.ok()) return false;
      base = *decoded;
    }
    auto delta = codec::DecodeCounter(value.ToStringView());
    if (!delta.ok()) return false;
    *new_value = codec::EncodeCounter(base + *delta);
    return true;
  }
  const char* Name() const override { return "kg.CounterAdd"; }
};

const std::vector<std::string_view>& AllColumnFamilies() {
  static const std::vector<std::string_view> kCfs = {rocksdb::kDefaultColumnFamilyName,
                                                     codec::kDocsCf,
                                                     codec::kEventsCf,
                                                     codec::kEdgesOutCf,
                                                     codec::kEdgesInCf,
                                                     codec::kEdgesRelCf,
                                                     codec::kActorsCf,
                                                     codec::kNamesCf,
                                                     codec::kRelationsCf,
                                                     codec::kCountsCf,
                                                     codec::kTopologyCf};
  return kCfs;
}

// RocksDB background jobs (one flush and one compaction at a time): the
// machines kg targets have two cores, and ingest threads need them.
constexpr int kBackgroundJobs = 2;

enum Cf : size_t {
  kDefault = 0,
  kDocs,
  kEvents,
  kEdgesOut,
  kEdgesIn,
  kEdgesRel,
  kActors,
  kNames,
  kRelations,
  kCounts,
  kTopology,
  kNumCfs
};

codec::EdgeOrder OrderOf(EdgeIndex index) {
  switch (index) {
    case EdgeIndex::kBySource:
      return codec::EdgeOrder::kOut;
    case EdgeIndex::kByTarget:
      return codec::EdgeOrder::kIn;
    case EdgeIndex::kByRelation:
      return codec::EdgeOrder::kRel;
  }
  return codec::EdgeOrder::kOut;
}

Cf CfOf(EdgeIndex index) {
  switch (index) {
    case EdgeIndex::kBySource:
      return kEdgesOut;
    case EdgeIndex::kByTarget:
      return kEdgesIn;
    case EdgeIndex::kByRelation:
      return kEdgesRel;
  }
  return kEdgesOut;
}

struct DbHandles {
  std::unique_ptr<rocksdb::DB> db;
  std::vector<rocksdb::ColumnFamilyHandle*> cfs;  // Indexed by Cf; owned by db.
  std::shared_ptr<rocksdb::Cache> cache;

  ~DbHandles() {
    if (!db) return;
    for (auto* h : cfs) {
      if (h != nullptr) db->DestroyColumnFamilyHandle(h).PermitUncheckedError();
    }
    db->Close().PermitUncheckedError();
  }
};

Result<std::optional<codec::TopologyMeta>> ReadTopologyMeta(const DbHandles& h,
                                                            const rocksdb::ReadOptions& ro) {
  std::string value;
  auto s = h.db->Get(ro, h.cfs[kTopology], codec::TopologyMetaKey(), &value);
  if (s.IsNotFound()) return std::optional<codec::TopologyMeta>();
  KG_RETURN_IF_ERROR(FromRocks(s, "reading topology meta"));
  KG_ASSIGN_OR_RETURN(codec::TopologyMeta meta, codec::DecodeTopologyMeta(value));
  return std::optional<codec::TopologyMeta>(meta);
}

class RocksGraphReader final : public GraphReader {
 public:
  explicit RocksGraphReader(std::shared_ptr<DbHandles> handles) : h_(std::move(handles)) {
    snapshot_ = h_->db->GetSnapshot();
  }
  ~RocksGraphReader() override {
    for (auto& it : iters_) it.reset();  // Before the snapshot they read.
    h_->db->ReleaseSnapshot(snapshot_);
  }

  Status ScanEdges(const EdgeScanSpec& spec, const EdgeVisitor& visit) const override {
    const EdgeIndex index = ChooseEdgeIndex(spec);
    const codec::EdgeOrder order = OrderOf(index);
    std::vector<uint64_t> leading;
    // Leading ids in index order, stopping at the first unbound position.
    std::optional<uint64_t> slots[3];
    switch (order) {
      case codec::EdgeOrder::kOut:
        slots[0] = spec.source, slots[1] = spec.relation, slots[2] = spec.target;
        break;
      case codec::EdgeOrder::kIn:
        slots[0] = spec.target, slots[1] = spec.relation, slots[2] = spec.source;
        break;
      case codec::EdgeOrder::kRel:
        slots[0] = spec.relation, slots[1] = spec.source, slots[2] = spec.target;
        break;
    }
    for (const auto& slot : slots) {
      if (!slot) break;
      leading.push_back(*slot);
    }
    std::string prefix = codec::EdgePrefix(leading);
    std::string seek_key = prefix;
    if (leading.size() == 3 && spec.date_from != INT32_MIN)
      codec::PutDate(&seek_key, spec.date_from);

    // A reused iterator (no upper bound: the loop stops at the first key
    // outside the prefix), so that traversals issuing thousands of prefix
    // scans do not build a new RocksDB iterator for each.
    IterLease lease(this, CfOf(index));
    rocksdb::Iterator* it = lease.get();
    const std::string_view want(prefix);
    EdgeEntry entry;
    for (it->Seek(seek_key); it->Valid(); it->Next()) {
      const std::string_view key = it->key().ToStringView();
      if (key.substr(0, want.size()) != want) break;
      KG_RETURN_IF_ERROR(codec::DecodeEdgeKey(order, key, &entry));
      if (spec.source && entry.source != *spec.source) continue;
      if (spec.relation && entry.relation != *spec.relation) continue;
      if (spec.target && entry.target != *spec.target) continue;
      if (entry.date < spec.date_from) continue;
      if (entry.date > spec.date_to) {
        if (leading.size() == 3) break;  // Dates are ordered within a full prefix.
        continue;
      }
      if (spec.decode_value) {
        KG_RETURN_IF_ERROR(codec::DecodeEdgeValue(it->value().ToStringView(), &entry));
      } else {
        KG_RETURN_IF_ERROR(codec::PeekEdgeNegated(it->value().ToStringView(), &entry.negated));
      }
      if (!spec.include_negated && entry.negated) continue;
      if (!visit(entry)) return Status::Ok();
    }
    return FromRocks(it->status(), "scanning edges");
  }

  Status ScanIndex(EdgeIndex index, const EdgeVisitor& visit) const override {
    const codec::EdgeOrder order = OrderOf(index);
    std::unique_ptr<rocksdb::Iterator> it(h_->db->NewIterator(ReadOpts(), h_->cfs[CfOf(index)]));
    EdgeEntry entry;
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      KG_RETURN_IF_ERROR(codec::DecodeEdgeKey(order, it->key().ToStringView(), &entry));
      KG_RETURN_IF_ERROR(codec::DecodeEdgeValue(it->value().ToStringView(), &entry));
      if (!visit(entry)) return Status::Ok();
    }
    return FromRocks(it->status(), "scanning edge index");
  }

  Status ScanEvents(const std::function<bool(const StoredEvent&)>& visit) const override {
    return ScanPrefix(kEvents, "", [&](std::string_view key, std::string_view run) {
      return codec::DecodeEventRun(key, run, [&](StoredEvent&& ev) { return visit(ev); });
    });
  }

  Result<std::optional<StoredEvent>> GetEvent(const EventKey& key) const override {
    // The run holding the event is the last one starting at or before it.
    IterLease lease(this, kEvents);
    rocksdb::Iterator* it = lease.get();
    it->SeekForPrev(codec::EventKeyBytes(key));
    if (!it->Valid()) {
      KG_RETURN_IF_ERROR(FromRocks(it->status(), "reading event"));
      return std::optional<StoredEvent>();
    }
    KG_ASSIGN_OR_RETURN(const EventKey first, codec::DecodeEventKey(it->key().ToStringView()));
    if (first.doc != key.doc) return std::optional<StoredEvent>();
    return codec::DecodeRunEvent(it->key().ToStringView(), it->value().ToStringView(), key.ordinal);
  }

  Status ScanDocumentEvents(std::string_view doc_id,
                            const std::function<bool(const StoredEvent&)>& visit) const override {
    const DocKey doc = DocKeyFor(doc_id);
    return ScanPrefix(
        kEvents, codec::DocKeyBytes(doc), [&](std::string_view key, std::string_view run) {
          return codec::DecodeEventRun(key, run, [&](StoredEvent&& ev) { return visit(ev); });
        });
  }

  Result<std::optional<ActorRecord>> GetActor(ActorId id) const override {
    std::string value;
    auto s = h_->db->Get(ReadOpts(), h_->cfs[kActors], codec::ActorKey(id), &value);
    if (s.IsNotFound()) return std::optional<ActorRecord>();
    KG_RETURN_IF_ERROR(FromRocks(s, "reading actor"));
    KG_ASSIGN_OR_RETURN(ActorRecord rec, codec::DecodeActorRecord(value));
    return std::optional<ActorRecord>(std::move(rec));
  }

  Result<std::vector<std::optional<ActorRecord>>> GetActors(
      const std::vector<ActorId>& ids) const override {
    std::vector<std::optional<ActorRecord>> out(ids.size());
    constexpr size_t kBatch = 4096;
    std::vector<std::string> keys;
    std::vector<rocksdb::Slice> slices;
    std::vector<rocksdb::PinnableSlice> values;
    std::vector<rocksdb::Status> statuses;
    for (size_t begin = 0; begin < ids.size(); begin += kBatch) {
      const size_t n = std::min(kBatch, ids.size() - begin);
      keys.clear();
      slices.clear();
      for (size_t i = 0; i < n; ++i) keys.push_back(codec::ActorKey(ids[begin + i]));
      for (const auto& k : keys) slices.emplace_back(k);
      values.clear();
      values.resize(n);
      statuses.assign(n, rocksdb::Status());
      h_->db->MultiGet(ReadOpts(), h_->cfs[kActors], n, slices.data(), values.data(),
                       statuses.data(), /*sorted_input=*/false);
      for (size_t i = 0; i < n; ++i) {
        if (statuses[i].IsNotFound()) continue;
        KG_RETURN_IF_ERROR(FromRocks(statuses[i], "reading actors"));
        KG_ASSIGN_OR_RETURN(ActorRecord rec, codec::DecodeActorRecord(values[i].ToStringView()));
        out[begin + i] = std::move(rec);
      }
    }
    return out;
  }

  Status ScanActors(const ActorVisitor& visit) const override {
    return ScanPrefix(kActors, "", [&](std::string_view, std::string_view value) -> Result<bool> {
      KG_ASSIGN_OR_RETURN(ActorRecord rec, codec::DecodeActorRecord(value));
      return visit(rec);
    });
  }

  Result<std::vector<ActorId>> FindActorsByAlias(std::string_view alias) const override {
    std::vector<ActorId> ids;
    KG_RETURN_IF_ERROR(ScanPrefix(kNames, codec::NamePrefix(NormalizeName(alias)),
                                  [&](std::string_view key, std::string_view) -> Result<bool> {
                                    KG_ASSIGN_OR_RETURN(ActorId id, codec::DecodeNameKey(key));
                                    ids.push_back(id);
                                    return true;
                                  }));
    return ids;
  }

  Result<std::optional<std::string>> GetRelationName(RelationId id) const override {
    std::string value;
    auto s = h_->db->Get(ReadOpts(), h_->cfs[kRelations], codec::RelationKey(id), &value);
    if (s.IsNotFound()) return std::optional<std::string>();
    KG_RETURN_IF_ERROR(FromRocks(s, "reading relation"));
    return std::optional<std::string>(std::move(value));
  }

  Status ScanRelations(const RelationVisitor& visit) const override {
    return ScanPrefix(kRelations, "",
                      [&](std::string_view key, std::string_view value) -> Result<bool> {
                        if (key.size() != 8) return Status::Corruption("bad relation key");
                        return visit(codec::DecodeFixed64BE(key.data()), std::string(value));
                      });
  }

  Result<std::optional<DocumentMeta>> GetDocument(std::string_view doc_id) const override {
    std::string value;
    auto s = h_->db->Get(ReadOpts(), h_->cfs[kDocs], codec::DocKeyBytes(DocKeyFor(doc_id)), &value);
    if (s.IsNotFound()) return std::optional<DocumentMeta>();
    KG_RETURN_IF_ERROR(FromRocks(s, "reading document"));
    KG_ASSIGN_OR_RETURN(codec::DocRecord rec, codec::DecodeDocRecord(value));
    if (rec.meta.id != doc_id) return std::optional<DocumentMeta>();
    return std::optional<DocumentMeta>(std::move(rec.meta));
  }

  Result<std::optional<uint32_t>> GetDocumentEventCount(std::string_view doc_id) const override {
    std::string value;
    auto s = h_->db->Get(ReadOpts(), h_->cfs[kDocs], codec::DocKeyBytes(DocKeyFor(doc_id)), &value);
    if (s.IsNotFound()) return std::optional<uint32_t>();
    KG_RETURN_IF_ERROR(FromRocks(s, "reading document"));
    KG_ASSIGN_OR_RETURN(codec::DocRecord rec, codec::DecodeDocRecord(value));
    if (rec.meta.id != doc_id) return std::optional<uint32_t>();
    return std::optional<uint32_t>(rec.event_count);
  }

  Status ScanDocuments(const DocumentVisitor& visit) const override {
    return ScanPrefix(kDocs, "", [&](std::string_view, std::string_view value) -> Result<bool> {
      KG_ASSIGN_OR_RETURN(codec::DocRecord rec, codec::DecodeDocRecord(value));
      return visit(rec.meta);
    });
  }

  Status ScanPairCounts(std::optional<RelationId> relation,
                        const PairCountVisitor& visit) const override {
    std::string prefix =
        relation ? codec::PairCountPrefix(*relation) : std::string(1, codec::kPairCountTag);
    return ScanPrefix(
        kCounts, prefix, [&](std::string_view key, std::string_view value) -> Result<bool> {
          PairCount pc;
          KG_RETURN_IF_ERROR(codec::DecodePairCountKey(key, &pc.relation, &pc.source, &pc.target));
          KG_ASSIGN_OR_RETURN(pc.count, codec::DecodeCounter(value));
          if (pc.count == 0) return true;  // Pairs whose events were all removed.
          return visit(pc);
        });
  }

  Result<std::pair<int64_t, int64_t>> GetDegree(ActorId actor) const override {
    KG_ASSIGN_OR_RETURN(int64_t out, GetCounter(codec::DegreeKey(true, actor)));
    KG_ASSIGN_OR_RETURN(int64_t in, GetCounter(codec::DegreeKey(false, actor)));
    return std::make_pair(out, in);
  }

  Status ScanDegrees(bool out, const DegreeVisitor& visit) const override {
    return ScanPrefix(kCounts, codec::DegreePrefix(out),
                      [&](std::string_view key, std::string_view value) -> Result<bool> {
                        ActorId actor = 0;
                        KG_RETURN_IF_ERROR(codec::DecodeDegreeKey(key, &actor));
                        KG_ASSIGN_OR_RETURN(int64_t n, codec::DecodeCounter(value));
                        if (n == 0) return true;
                        return visit(actor, n);
                      });
  }

  Result<std::shared_ptr<const Topology>> GetTopology() const override {
    if (topology_loaded_) return topology_;
    KG_ASSIGN_OR_RETURN(std::optional<codec::TopologyMeta> meta, ReadTopologyMeta(*h_, ReadOpts()));
    KG_ASSIGN_OR_RETURN(int64_t generation, GetCounter(codec::StatKey(codec::kGenerationStat)));
    if (meta && meta->generation == static_cast<uint64_t>(generation)) {
      std::string bytes;
      bytes.reserve(meta->bytes);
      for (uint32_t i = 0; i < meta->chunks; ++i) {
        rocksdb::PinnableSlice piece;
        KG_RETURN_IF_ERROR(FromRocks(
            h_->db->Get(ReadOpts(), h_->cfs[kTopology], codec::TopologyChunkKey(i), &piece),
            "reading topology"));
        bytes.append(piece.data(), piece.size());
      }
      if (bytes.size() != meta->bytes) return Status::Corruption("stored topology is truncated");
      KG_ASSIGN_OR_RETURN(TopologyCsr csr, codec::DecodeTopology(bytes));
      if (csr.generation != meta->generation) {
        return Status::Corruption("stored topology generation differs from its meta record");
      }
      KG_ASSIGN_OR_RETURN(std::unique_ptr<Topology> loaded, Topology::FromCsr(std::move(csr)));
      topology_ = std::move(loaded);
    }
    topology_loaded_ = true;
    return topology_;
  }

  std::shared_ptr<const Topology> LoadedTopology() const override { return topology_; }

  Result<StoreStats> Stats() const override {
    StoreStats stats;
    KG_ASSIGN_OR_RETURN(stats.documents, GetCounter(codec::StatKey("documents")));
    KG_ASSIGN_OR_RETURN(stats.events, GetCounter(codec::StatKey("events")));
    KG_ASSIGN_OR_RETURN(stats.generation, GetCounter(codec::StatKey(codec::kGenerationStat)));
    KG_RETURN_IF_ERROR(
        ScanPrefix(kActors, "", [&](std::string_view, std::string_view) -> Result<bool> {
          ++stats.actors;
          return true;
        }));
    KG_RETURN_IF_ERROR(
        ScanPrefix(kRelations, "", [&](std::string_view, std::string_view) -> Result<bool> {
          ++stats.relations;
          return true;
        }));
    return stats;
  }

 private:
  rocksdb::ReadOptions ReadOpts() const {
    rocksdb::ReadOptions ro;
    ro.snapshot = snapshot_;
    return ro;
  }

  Result<int64_t> GetCounter(const std::string& key) const {
    std::string value;
    auto s = h_->db->Get(ReadOpts(), h_->cfs[kCounts], key, &value);
    if (s.IsNotFound()) return int64_t{0};
    KG_RETURN_IF_ERROR(FromRocks(s, "reading counter"));
    return codec::DecodeCounter(value);
  }

  // Calls fn(key, value) for every key with `prefix`; fn returns false to stop.
  Status ScanPrefix(
      Cf cf, const std::string& prefix,
      const std::function<Result<bool>(std::string_view, std::string_view)>& fn) const {
    rocksdb::ReadOptions ro = ReadOpts();
    std::string upper = codec::PrefixSuccessor(prefix);
    rocksdb::Slice upper_slice(upper);
    if (!upper.empty()) ro.iterate_upper_bound = &upper_slice;
    std::unique_ptr<rocksdb::Iterator> it(h_->db->NewIterator(ro, h_->cfs[cf]));
    for (it->Seek(prefix); it->Valid(); it->Next()) {
      KG_ASSIGN_OR_RETURN(bool more, fn(it->key().ToStringView(), it->value().ToStringView()));
      if (!more) return Status::Ok();
    }
    return FromRocks(it->status(), "scanning");
  }

  // One cached iterator per column family for ScanEdges. Scans nest (the
  // executor expands inside a scan's visitor), so a busy iterator is never
  // shared: a nested scan of the same column family gets its own.
  class IterLease {
   public:
    IterLease(const RocksGraphReader* r, Cf cf) : r_(r), cf_(cf) {
      if (!r_->iter_busy_[cf_]) {
        if (!r_->iters_[cf_]) {
          r_->iters_[cf_].reset(r_->h_->db->NewIterator(r_->ReadOpts(), r_->h_->cfs[cf_]));
        }
        r_->iter_busy_[cf_] = true;
        it_ = r_->iters_[cf_].get();
        cached_ = true;
      } else {
        owned_.reset(r_->h_->db->NewIterator(r_->ReadOpts(), r_->h_->cfs[cf_]));
        it_ = owned_.get();
      }
    }
    ~IterLease() {
      if (cached_) r_->iter_busy_[cf_] = false;
    }
    IterLease(const IterLease&) = delete;
    IterLease& operator=(const IterLease&) = delete;
    rocksdb::Iterator* get() const { return it_; }

   private:
    const RocksGraphReader* r_;
    Cf cf_;
    bool cached_ = false;
    rocksdb::Iterator* it_ = nullptr;
    std::unique_ptr<rocksdb::Iterator> owned_;
  };

  std::shared_ptr<DbHandles> h_;
  const rocksdb::Snapshot* snapshot_ = nullptr;
  mutable std::unique_ptr<rocksdb::Iterator> iters_[kNumCfs];
  mutable bool iter_busy_[kNumCfs] = {};
  mutable bool topology_loaded_ = false;
  mutable std::shared_ptr<const Topology> topology_;
};

rocksdb::ColumnFamilyOptions CfOptionsFor(std::string_view name,
                                          const std::shared_ptr<rocksdb::Cache>& cache);

class RocksGraphStore final : public GraphStore {
 public:
  RocksGraphStore(StoreOptions options, std::shared_ptr<DbHandles> handles)
      : options_(std::move(options)), h_(std::move(handles)) {}

  Result<IngestOutcome> PutDocument(const DocumentMeta& meta, const std::vector<Event>& events,
                                    const std::vector<ActorRecord>& actors) override {
    if (options_.read_only) return Status::InvalidArgument("store opened read-only");
    if (meta.id.empty()) return Status::InvalidArgument("document id is empty");
    std::lock_guard<std::mutex> lock(write_mu_);
    const DocKey doc = DocKeyFor(meta.id);
    KG_ASSIGN_OR_RETURN(std::optional<codec::DocRecord> existing, ReadDoc(doc, meta.id));

    IngestOutcome outcome;
    if (existing && existing->meta.content_hash == meta.content_hash && existing->meta == meta) {
      outcome.action = IngestAction::kUnchanged;
      return outcome;
    }
    rocksdb::WriteBatch batch;
    if (existing) {
      outcome.action = IngestAction::kReplaced;
      KG_ASSIGN_OR_RETURN(outcome.events_removed, RemoveDocEvents(doc, &batch));
    } else {
      AddCounter(&batch, codec::StatKey("documents"), 1);
    }

    // Actors: the records passed in, plus minimal ones for any event actor.
    std::map<ActorId, ActorRecord> pending;
    for (const ActorRecord& a : actors) {
      ActorRecord rec = a;
      rec.id = ActorIdFor(a.name);
      KG_RETURN_IF_ERROR(MergeActor(std::move(rec), &pending));
    }
    for (const Event& ev : events) {
      for (const ActorRef* ref : {&ev.source, &ev.target}) {
        ActorRecord rec;
        rec.id = ActorIdFor(ref->name);
        rec.name = ref->name;
        rec.code = ref->code;
        KG_RETURN_IF_ERROR(MergeActor(std::move(rec), &pending));
      }
    }
    for (auto& [id, rec] : pending) WriteActor(rec, &batch);

    uint32_t ordinal = 0;
    std::set<RelationId> relations_written;
    std::string run;
    codec::StartEventRun(&run);
    for (const Event& ev : events) {
      if (ev.source.name.empty() || ev.target.name.empty() || ev.relation.empty()) {
        return Status::InvalidArgument("event without source, target or relation in document '" +
                                       meta.id + "'");
      }
      StoredEvent stored;
      stored.key = EventKey{doc, ordinal++};
      stored.doc_id = meta.id;
      stored.date = meta.date;
      stored.source_id = ActorIdFor(ev.source.name);
      stored.relation_id = RelationIdFor(ev.relation);
      stored.target_id = ActorIdFor(ev.target.name);
      stored.event = ev;
      if (relations_written.insert(stored.relation_id).second) {
        batch.Put(h_->cfs[kRelations], codec::RelationKey(stored.relation_id),
                  NormalizeName(ev.relation));
      }
      WriteEventIndexes(stored, &batch);
      codec::AppendRunEvent(&run, codec::EncodeStoredEvent(stored));
    }
    if (!events.empty()) {
      codec::FinishEventRun(&run, static_cast<uint32_t>(events.size()));
      batch.Put(h_->cfs[kEvents], codec::EventKeyBytes(EventKey{doc, 0}), run);
    }
    outcome.events_written = events.size();
    AddCounter(&batch, codec::StatKey(codec::kGenerationStat), 1);
    AddCounter(&batch, codec::StatKey("events"),
               static_cast<int64_t>(outcome.events_written) -
                   static_cast<int64_t>(outcome.events_removed));

    codec::DocRecord rec{meta, static_cast<uint32_t>(events.size())};
    batch.Put(h_->cfs[kDocs], codec::DocKeyBytes(doc), codec::EncodeDocRecord(rec));
    KG_RETURN_IF_ERROR(Commit(&batch, "writing document '" + meta.id + "'"));
    return outcome;
  }

  Status DeleteDocument(std::string_view doc_id) override {
    if (options_.read_only) return Status::InvalidArgument("store opened read-only");
    std::lock_guard<std::mutex> lock(write_mu_);
    const DocKey doc = DocKeyFor(doc_id);
    KG_ASSIGN_OR_RETURN(std::optional<codec::DocRecord> existing, ReadDoc(doc, doc_id));
    if (!existing) return Status::NotFound("no document '" + std::string(doc_id) + "'");
    rocksdb::WriteBatch batch;
    KG_ASSIGN_OR_RETURN(size_t removed, RemoveDocEvents(doc, &batch));
    AddCounter(&batch, codec::StatKey("events"), -static_cast<int64_t>(removed));
    AddCounter(&batch, codec::StatKey("documents"), -1);
    AddCounter(&batch, codec::StatKey(codec::kGenerationStat), 1);
    batch.Delete(h_->cfs[kDocs], codec::DocKeyBytes(doc));
    return Commit(&batch, "deleting document '" + std::string(doc_id) + "'");
  }

  Status Checkpoint(const std::string& dir) override {
    rocksdb::Checkpoint* raw = nullptr;
    KG_RETURN_IF_ERROR(
        FromRocks(rocksdb::Checkpoint::Create(h_->db.get(), &raw), "starting backup"));
    std::unique_ptr<rocksdb::Checkpoint> checkpoint(raw);
    return FromRocks(checkpoint->CreateCheckpoint(dir), "writing backup to '" + dir + "'");
  }

  std::unique_ptr<GraphReader> NewReader() const override {
    return std::make_unique<RocksGraphReader>(h_);
  }

  Result<std::unique_ptr<BulkWriter>> NewBulkWriter(const BulkLoadOptions& options) override {
    if (options_.read_only) return Status::InvalidArgument("store opened read-only");
    internal::BulkTarget target;
    target.db = h_->db.get();
    target.db_path = options_.path;
    target.sync_writes = options_.sync_writes;
    const Cf order[] = {kDocs,   kEvents, kEdgesOut,  kEdgesIn, kEdgesRel,
                        kActors, kNames,  kRelations, kCounts,  kTopology};
    rocksdb::ColumnFamilyHandle** slots[] = {
        &target.docs,   &target.events, &target.edges_out, &target.edges_in, &target.edges_rel,
        &target.actors, &target.names,  &target.relations, &target.counts,   &target.topology};
    for (size_t i = 0; i < std::size(order); ++i) {
      *slots[i] = h_->cfs[order[i]];
      target.sst_options[i] = std::make_shared<rocksdb::Options>(
          rocksdb::DBOptions(), CfOptionsFor(AllColumnFamilies()[order[i]], h_->cache));
    }
    return internal::NewRocksBulkWriter(target, options, h_);
  }

  Result<bool> RefreshTopology() override {
    if (options_.read_only) return Status::InvalidArgument("store opened read-only");
    std::lock_guard<std::mutex> lock(write_mu_);
    // Readers see the store as of their snapshot; writes are held off by the
    // lock, so the generation read here is the one the triples come from.
    const rocksdb::Snapshot* snapshot = h_->db->GetSnapshot();
    rocksdb::ReadOptions ro;
    ro.snapshot = snapshot;
    ro.fill_cache = false;
    auto release = [&] { h_->db->ReleaseSnapshot(snapshot); };
    Result<bool> result = [&]() -> Result<bool> {
      std::string value;
      auto gs = h_->db->Get(ro, h_->cfs[kCounts], codec::StatKey(codec::kGenerationStat), &value);
      int64_t generation = 0;
      if (gs.ok()) {
        KG_ASSIGN_OR_RETURN(generation, codec::DecodeCounter(value));
      } else if (!gs.IsNotFound()) {
        return FromRocks(gs, "reading the store generation");
      }
      KG_ASSIGN_OR_RETURN(std::optional<codec::TopologyMeta> old, ReadTopologyMeta(*h_, ro));
      if (old && old->generation == static_cast<uint64_t>(generation)) return false;
      KG_ASSIGN_OR_RETURN(std::unique_ptr<Topology> topology,
                          BuildTopology(ro, static_cast<uint64_t>(generation)));
      const std::string bytes = codec::EncodeTopology(topology->csr());
      topology.reset();
      rocksdb::WriteBatch batch;
      codec::TopologyMeta meta;
      meta.generation = static_cast<uint64_t>(generation);
      meta.bytes = bytes.size();
      for (size_t off = 0; off < bytes.size(); off += codec::kTopologyChunkBytes) {
        batch.Put(h_->cfs[kTopology], codec::TopologyChunkKey(meta.chunks++),
                  rocksdb::Slice(bytes.data() + off,
                                 std::min(codec::kTopologyChunkBytes, bytes.size() - off)));
      }
      for (uint32_t i = meta.chunks; old && i < old->chunks; ++i) {
        batch.Delete(h_->cfs[kTopology], codec::TopologyChunkKey(i));
      }
      batch.Put(h_->cfs[kTopology], codec::TopologyMetaKey(), codec::EncodeTopologyMeta(meta));
      // Straight to an SST instead of through the WAL: reopening the store
      // would otherwise replay the whole topology into a memtable. A crash
      // before the flush loses the batch as a whole (the old meta and
      // chunks stay), so the store still holds a consistent topology or a
      // stale one, never a mix.
      rocksdb::WriteOptions wo;
      wo.disableWAL = true;
      KG_RETURN_IF_ERROR(FromRocks(h_->db->Write(wo, &batch), "writing topology"));
      KG_RETURN_IF_ERROR(FromRocks(h_->db->Flush(rocksdb::FlushOptions(), h_->cfs[kTopology]),
                                   "flushing topology"));
      return true;
    }();
    release();
    return result;
  }

  Result<CompactStats> Compact() override {
    if (options_.read_only) return Status::InvalidArgument("store opened read-only");
    CompactStats stats;
    auto live_bytes = [&](uint64_t* total) -> Status {
      *total = 0;
      for (rocksdb::ColumnFamilyHandle* cf : h_->cfs) {
        uint64_t bytes = 0;
        if (!h_->db->GetIntProperty(cf, rocksdb::DB::Properties::kLiveSstFilesSize, &bytes)) {
          return Status::IoError("reading the size of column family " + cf->GetName());
        }
        *total += bytes;
      }
      return Status::Ok();
    };
    KG_RETURN_IF_ERROR(Flush());
    KG_RETURN_IF_ERROR(live_bytes(&stats.bytes_before));
    std::vector<rocksdb::ColumnFamilyHandle*> todo;
    for (rocksdb::ColumnFamilyHandle* cf : h_->cfs) {
      KG_ASSIGN_OR_RETURN(bool uncompressed, HasUncompressedFiles(cf));
      if (uncompressed) todo.push_back(cf);
    }
    stats.column_families_compacted = static_cast<int>(todo.size());
    if (todo.empty()) {
      stats.bytes_after = stats.bytes_before;
      return stats;
    }
    // Column families are compacted two at a time (one compaction each;
    // the store's own limit allows one): both cores work.
    KG_RETURN_IF_ERROR(FromRocks(h_->db->SetDBOptions({{"max_background_jobs", "4"}}),
                                 "raising the compaction limit"));
    std::mutex mu;
    size_t next = 0;
    Status first_error;
    auto work = [&] {
      for (;;) {
        rocksdb::ColumnFamilyHandle* cf = nullptr;
        {
          std::lock_guard<std::mutex> lock(mu);
          if (next == todo.size() || !first_error.ok()) return;
          cf = todo[next++];
        }
        rocksdb::CompactRangeOptions co;
        // Bulk-loaded files already sit at the bottom level: rewrite them.
        co.bottommost_level_compaction = rocksdb::BottommostLevelCompaction::kForceOptimized;
        Status s = FromRocks(h_->db->CompactRange(co, cf, nullptr, nullptr),
                             "compacting " + cf->GetName());
        std::lock_guard<std::mutex> lock(mu);
        if (!s.ok() && first_error.ok()) first_error = std::move(s);
      }
    };
    std::thread helper(work);
    work();
    helper.join();
    KG_RETURN_IF_ERROR(
        FromRocks(h_->db->SetDBOptions({{"max_background_jobs", std::to_string(kBackgroundJobs)}}),
                  "restoring the compaction limit"));
    KG_RETURN_IF_ERROR(first_error);
    KG_RETURN_IF_ERROR(live_bytes(&stats.bytes_after));
    return stats;
  }

  Status Flush() override {
    if (options_.read_only) return Status::Ok();
    rocksdb::FlushOptions fo;
    return FromRocks(h_->db->Flush(fo, h_->cfs), "flushing store");
  }

 private:
  // True when a live file of `cf` was written without compression although
  // the column family compresses (bulk-loaded files).
  Result<bool> HasUncompressedFiles(rocksdb::ColumnFamilyHandle* cf) const {
    if (h_->db->GetOptions(cf).compression == rocksdb::kNoCompression) return false;
    rocksdb::TablePropertiesCollection tables;
    KG_RETURN_IF_ERROR(FromRocks(h_->db->GetPropertiesOfAllTables(cf, &tables),
                                 "reading the file properties of " + cf->GetName()));
    for (const auto& [file, props] : tables) {
      if (props->compression_name == "NoCompression" && props->num_entries > 0) return true;
    }
    return false;
  }

  // The topology of the snapshot `ro` reads: actor and relation ids from
  // their column families' keys, then one key-only pass over edges_out.
  Result<std::unique_ptr<Topology>> BuildTopology(const rocksdb::ReadOptions& ro,
                                                  uint64_t generation) {
    auto ids_of = [&](Cf cf, std::vector<uint64_t>* ids) -> Status {
      std::unique_ptr<rocksdb::Iterator> it(h_->db->NewIterator(ro, h_->cfs[cf]));
      for (it->SeekToFirst(); it->Valid(); it->Next()) {
        if (it->key().size() != 8) return Status::Corruption("actor or relation key of wrong size");
        ids->push_back(codec::DecodeFixed64BE(it->key().data()));
      }
      return FromRocks(it->status(), "reading ids for the topology");
    };
    std::vector<ActorId> actors;
    std::vector<RelationId> relations;
    KG_RETURN_IF_ERROR(ids_of(kActors, &actors));
    KG_RETURN_IF_ERROR(ids_of(kRelations, &relations));
    TopologyBuilder builder(std::move(actors), std::move(relations), generation);
    std::unique_ptr<rocksdb::Iterator> it(h_->db->NewIterator(ro, h_->cfs[kEdgesOut]));
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      const rocksdb::Slice key = it->key();
      if (key.size() != codec::kEdgeKeySize) return Status::Corruption("edge key of wrong size");
      bool negated = false;
      KG_RETURN_IF_ERROR(codec::PeekEdgeNegated(it->value().ToStringView(), &negated));
      KG_RETURN_IF_ERROR(builder.AddEvent(codec::DecodeFixed64BE(key.data()),
                                          codec::DecodeFixed64BE(key.data() + 8),
                                          codec::DecodeFixed64BE(key.data() + 16), negated));
    }
    KG_RETURN_IF_ERROR(FromRocks(it->status(), "reading edges for the topology"));
    return builder.Finish();
  }

  Result<std::optional<codec::DocRecord>> ReadDoc(DocKey doc, std::string_view doc_id) {
    std::string value;
    auto s = h_->db->Get(rocksdb::ReadOptions(), h_->cfs[kDocs], codec::DocKeyBytes(doc), &value);
    if (s.IsNotFound()) return std::optional<codec::DocRecord>();
    KG_RETURN_IF_ERROR(FromRocks(s, "reading document"));
    KG_ASSIGN_OR_RETURN(codec::DocRecord rec, codec::DecodeDocRecord(value));
    if (rec.meta.id != doc_id) {
      return Status::Corruption("document ids '" + rec.meta.id + "' and '" + std::string(doc_id) +
                                "' share a 64-bit key; rename one of them");
    }
    return std::optional<codec::DocRecord>(std::move(rec));
  }

  // Queues deletes of every event of `doc` and its index entries and counts.
  Result<size_t> RemoveDocEvents(DocKey doc, rocksdb::WriteBatch* batch) {
    return internal::QueueDocEventsRemoval(
        internal::EventColumns{h_->db.get(), h_->cfs[kEvents], h_->cfs[kEdgesOut],
                               h_->cfs[kEdgesIn], h_->cfs[kEdgesRel], h_->cfs[kCounts]},
        doc, batch);
  }

  // Queues the three index entries of a new event and adds to its counts.
  void WriteEventIndexes(const StoredEvent& stored, rocksdb::WriteBatch* batch) {
    const EdgeEntry entry = IndexEntryOf(stored);
    const std::string value = codec::EncodeEdgeValue(entry);
    for (const auto& [order, cf] :
         {std::pair{codec::EdgeOrder::kOut, kEdgesOut}, std::pair{codec::EdgeOrder::kIn, kEdgesIn},
          std::pair{codec::EdgeOrder::kRel, kEdgesRel}}) {
      batch->Put(h_->cfs[cf], codec::EdgeKey(order, entry), value);
    }
    if (entry.negated) return;  // Counts cover asserted events only.
    AddCounter(batch, codec::PairCountKey(entry.relation, entry.source, entry.target), 1);
    AddCounter(batch, codec::DegreeKey(true, entry.source), 1);
    AddCounter(batch, codec::DegreeKey(false, entry.target), 1);
  }

  void AddCounter(rocksdb::WriteBatch* batch, const std::string& key, int64_t delta) {
    batch->Merge(h_->cfs[kCounts], key, codec::EncodeCounter(delta));
  }

  // Merges `rec` into the pending set (seeded from the stored record), adding
  // aliases and taking a non-empty code and a known type.
  Status MergeActor(ActorRecord rec, std::map<ActorId, ActorRecord>* pending) {
    auto it = pending->find(rec.id);
    if (it == pending->end()) {
      std::string value;
      auto s =
          h_->db->Get(rocksdb::ReadOptions(), h_->cfs[kActors], codec::ActorKey(rec.id), &value);
      if (s.ok()) {
        KG_ASSIGN_OR_RETURN(ActorRecord stored, codec::DecodeActorRecord(value));
        it = pending->emplace(rec.id, std::move(stored)).first;
      } else if (s.IsNotFound()) {
        ActorRecord fresh;
        fresh.id = rec.id;
        fresh.name = rec.name;
        it = pending->emplace(rec.id, std::move(fresh)).first;
      } else {
        return FromRocks(s, "reading actor");
      }
    }
    ActorRecord& cur = it->second;
    if (!rec.code.empty()) cur.code = rec.code;
    if (rec.type != ActorType::kUnknown) cur.type = rec.type;
    for (auto& alias : rec.aliases) {
      if (NormalizeName(alias) == NormalizeName(cur.name)) continue;
      if (std::find(cur.aliases.begin(), cur.aliases.end(), alias) == cur.aliases.end()) {
        cur.aliases.push_back(std::move(alias));
      }
    }
    return Status::Ok();
  }

  void WriteActor(const ActorRecord& rec, rocksdb::WriteBatch* batch) {
    batch->Put(h_->cfs[kActors], codec::ActorKey(rec.id), codec::EncodeActorRecord(rec));
    batch->Put(h_->cfs[kNames], codec::NameKey(NormalizeName(rec.name), rec.id), "");
    for (const auto& alias : rec.aliases) {
      batch->Put(h_->cfs[kNames], codec::NameKey(NormalizeName(alias), rec.id), "");
    }
  }

  Status Commit(rocksdb::WriteBatch* batch, const std::string& context) {
    rocksdb::WriteOptions wo;
    wo.sync = options_.sync_writes;
    return FromRocks(h_->db->Write(wo, batch), context);
  }

  StoreOptions options_;
  std::shared_ptr<DbHandles> h_;
  std::mutex write_mu_;
};

rocksdb::ColumnFamilyOptions CfOptionsFor(std::string_view name,
                                          const std::shared_ptr<rocksdb::Cache>& cache) {
  rocksdb::ColumnFamilyOptions cf;
  rocksdb::BlockBasedTableOptions table;
  table.block_cache = cache;
  table.format_version = 5;
  // Index blocks live in the block cache (the level-0 ones pinned) instead of
  // beside it, so memory stays within the cache as the store grows.
  table.cache_index_and_filter_blocks = true;
  table.pin_l0_filter_and_index_blocks_in_cache = true;
  cf.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
  cf.compression = rocksdb::kLZ4Compression;
  if (name == codec::kCountsCf) {
    cf.merge_operator = std::make_shared<CounterAddOperator>();
  }
  // Arrays of ids and counts in 4 MiB values: compressing them costs more
  // CPU on every load than the space it saves.
  if (name == codec::kTopologyCf) cf.compression = rocksdb::kNoCompression;
  return cf;
}

// RocksDB's own LOG writer asserts (Debian's librocksdb keeps assertions)
// when it is written again after a failed write, which a full disk causes:
// the process aborts instead of returning the I/O error. This logger appends
// the same warnings to <store>/LOG with stdio and ignores failed writes.
class StdioLogger final : public rocksdb::Logger {
 public:
  explicit StdioLogger(std::FILE* file)
      : rocksdb::Logger(rocksdb::InfoLogLevel::WARN_LEVEL), file_(file) {}
  ~StdioLogger() override { std::fclose(file_); }
  using rocksdb::Logger::Logv;
  void Logv(const char* format, va_list ap) override {
    std::lock_guard<std::mutex> lock(mu_);
    std::vfprintf(file_, format, ap);
    std::fputc('\n', file_);
    std::fflush(file_);
  }

 private:
  std::mutex mu_;
  std::FILE* file_;
};

// True when no column family of `db` holds a key: a store whose creation was
// interrupted (killed between creating its column families and writing the
// format version), which may be created again.
bool AllEmpty(rocksdb::DB* db, const std::vector<rocksdb::ColumnFamilyHandle*>& cfs) {
  for (auto* cf : cfs) {
    std::unique_ptr<rocksdb::Iterator> it(db->NewIterator(rocksdb::ReadOptions(), cf));
    it->SeekToFirst();
    if (it->Valid() || !it->status().ok()) return false;
  }
  return true;
}

// AllEmpty for a store lacking some of kg's column families: true when it
// has only kg's column families and none holds a key.
Result<bool> IsInterruptedCreation(const std::string& path,
                                   const std::vector<std::string>& present) {
  for (const std::string& name : present) {
    const auto& ours = AllColumnFamilies();
    if (std::find(ours.begin(), ours.end(), name) == ours.end()) return false;
  }
  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
  for (const std::string& name : present)
    descriptors.emplace_back(name, rocksdb::ColumnFamilyOptions());
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* raw = nullptr;
  auto s = rocksdb::DB::OpenForReadOnly(rocksdb::DBOptions(), path, descriptors, &handles, &raw);
  if (!s.ok()) return false;
  std::unique_ptr<rocksdb::DB> db(raw);
  const bool empty = AllEmpty(raw, handles);
  for (auto* h : handles) db->DestroyColumnFamilyHandle(h).PermitUncheckedError();
  return empty;
}

// The MANIFEST a store's CURRENT file names, and how long it is.
struct ManifestMark {
  std::string current;
  uintmax_t size = 0;
  bool operator==(const ManifestMark&) const = default;
};

std::optional<ManifestMark> ReadManifestMark(const fs::path& dir) {
  std::ifstream in(dir / "CURRENT");
  ManifestMark mark;
  if (!std::getline(in, mark.current) || mark.current.empty()) return std::nullopt;
  std::error_code ec;
  mark.size = fs::file_size(dir / mark.current, ec);
  if (ec) return std::nullopt;
  return mark;
}

// Opens `path` read-only as of one instant of the writer's history.
//
// A read-only open reads the MANIFEST, then replays the write-ahead logs it
// finds. A writer flushes column families one at a time, records each flush
// in the MANIFEST and then deletes the logs no column family needs any more;
// an open that read the MANIFEST before such a record but listed the logs
// after the deletion would see a document in one column family and not in
// another (tests/reliability/read_only_open_test.cc reproduces it). The writer
// appends to the MANIFEST before it deletes any file, so an open during which
// the MANIFEST did not change saw every file its view needs: it is kept, and
// so is its error. Otherwise the open is retried.
Status OpenReadOnlyInstant(const rocksdb::DBOptions& db_options, const std::string& path,
                           const std::vector<rocksdb::ColumnFamilyDescriptor>& descriptors,
                           DbHandles& handles) {
  constexpr int kAttempts = 20;
  std::chrono::milliseconds pause(5);
  rocksdb::Status last_error;
  for (int attempt = 0; attempt < kAttempts; ++attempt) {
    if (attempt > 0) {
      std::this_thread::sleep_for(pause);
      pause = std::min(pause * 2, std::chrono::milliseconds(200));
    }
    const std::optional<ManifestMark> before = ReadManifestMark(path);
    DbHandles opened;  // Closed by its destructor unless kept.
    rocksdb::DB* raw = nullptr;
    auto s = rocksdb::DB::OpenForReadOnly(db_options, path, descriptors, &opened.cfs, &raw);
    opened.db.reset(raw);
    // Both unreadable counts as unchanged: a store whose CURRENT names a
    // missing MANIFEST is damaged, not busy, and its error is reported.
    const bool steady = before == ReadManifestMark(path);
    if (s.ok() && steady) {
      handles.db = std::move(opened.db);
      handles.cfs = std::move(opened.cfs);
      return Status::Ok();
    }
    if (!s.ok() && steady) return FromRocks(s, "opening store '" + path + "'");
    if (!s.ok()) last_error = s;
  }
  std::string message = "store '" + path + "' changed during each of " + std::to_string(kAttempts) +
                        " read-only opens (a writer is flushing or compacting it); try again";
  if (!last_error.ok()) message += " (last: " + last_error.ToString() + ")";
  return Status::IoError(message);
}

// The older format version GraphStore::UpgradeFormat converts.
constexpr int kUpgradableVersion = 2;

// The store's format version string `value` is the current one, or the
// error naming what to do about it.
Status CheckVersionValue(const std::string& value, const std::string& path) {
  if (value == std::to_string(codec::kFormatVersion)) return Status::Ok();
  const std::string remedy = value == std::to_string(kUpgradableVersion)
                                 ? "kg optimize --upgrade converts it in place"
                                 : "re-ingest into a new store";
  return Status::Incompatible("store '" + path + "' has format version " + value +
                              " but this kg reads version " +
                              std::to_string(codec::kFormatVersion) + "; " + remedy);
}

Status CheckFormatVersion(rocksdb::DB* db, const std::vector<rocksdb::ColumnFamilyHandle*>& cfs,
                          bool fresh, const std::string& path) {
  rocksdb::ColumnFamilyHandle* cf = cfs[kDefault];
  std::string value;
  auto s = db->Get(rocksdb::ReadOptions(), cf, codec::kFormatVersionKey, &value);
  if (s.IsNotFound()) {
    if (!fresh && !AllEmpty(db, cfs)) {
      return Status::Incompatible("'" + path + "' is a RocksDB database but not a kg store");
    }
    return FromRocks(db->Put(rocksdb::WriteOptions(), cf, codec::kFormatVersionKey,
                             std::to_string(codec::kFormatVersion)),
                     "writing format version");
  }
  KG_RETURN_IF_ERROR(FromRocks(s, "reading format version"));
  return CheckVersionValue(value, path);
}

// Version 2 -> 3: every event had its own events entry (key doc, ordinal ->
// StoredEvent); each document's consecutive ordinals become one run under
// the first one's key. One batch per few thousand documents, never splitting
// a document, so an interrupted upgrade leaves whole documents converted and
// a rerun skips them (their values are runs already).
Status ConvertEventsToRuns(rocksdb::DB* db, rocksdb::ColumnFamilyHandle* events,
                           FormatUpgrade* out) {
  constexpr size_t kBatchBytes = 4u << 20;
  std::unique_ptr<rocksdb::Iterator> it(db->NewIterator(rocksdb::ReadOptions(), events));
  rocksdb::WriteBatch batch;
  std::string run, first_key;
  EventKey last{};
  uint32_t count = 0;
  auto end_run = [&] {
    if (count == 0) return;
    codec::FinishEventRun(&run, count);
    batch.Put(events, first_key, run);
    ++out->runs;
    count = 0;
  };
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    const std::string_view key = it->key().ToStringView(), value = it->value().ToStringView();
    if (codec::IsEventRun(value)) continue;  // Converted by an earlier, interrupted run.
    KG_ASSIGN_OR_RETURN(const EventKey ek, codec::DecodeEventKey(key));
    KG_RETURN_IF_ERROR(codec::DecodeStoredEvent(value).status().WithContext(
        "upgrading document key " + std::to_string(ek.doc) + " event #" +
        std::to_string(ek.ordinal)));
    if (count > 0 && (ek.doc != last.doc || ek.ordinal != last.ordinal + 1)) {
      end_run();
      // Batches end between documents only.
      if (ek.doc != last.doc && batch.GetDataSize() >= kBatchBytes) {
        KG_RETURN_IF_ERROR(FromRocks(db->Write(rocksdb::WriteOptions(), &batch), "upgrading"));
        batch.Clear();
      }
    }
    if (count == 0) {
      first_key.assign(key);
      codec::StartEventRun(&run);
    }
    batch.Delete(events, key);
    codec::AppendRunEvent(&run, value);
    ++count;
    ++out->events;
    last = ek;
  }
  KG_RETURN_IF_ERROR(FromRocks(it->status(), "reading events to upgrade"));
  end_run();
  return FromRocks(db->Write(rocksdb::WriteOptions(), &batch), "upgrading");
}

// True when every entry of `dir` is a file RocksDB writes while creating a
// database (LOCK, LOG, IDENTITY, MANIFEST-*, OPTIONS-*, *.log, *.sst, *.dbtmp):
// a creation killed before CURRENT was written, which is safe to redo.
bool OnlyRocksDbFiles(const fs::path& dir) {
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    const std::string name = entry.path().filename().string();
    auto starts = [&](std::string_view p) { return name.rfind(p, 0) == 0; };
    auto ends = [&](std::string_view p) {
      return name.size() >= p.size() && name.compare(name.size() - p.size(), p.size(), p) == 0;
    };
    if (!entry.is_regular_file(ec)) return false;
    if (!(name == "LOCK" || starts("LOG") || name == "IDENTITY" || starts("MANIFEST-") ||
          starts("OPTIONS-") || ends(".log") || ends(".sst") || ends(".dbtmp"))) {
      return false;
    }
  }
  return !ec;
}

}  // namespace

EdgeEntry IndexEntryOf(const StoredEvent& stored) {
  EdgeEntry entry;
  entry.source = stored.source_id;
  entry.relation = stored.relation_id;
  entry.target = stored.target_id;
  entry.date = stored.date;
  entry.event = stored.key;
  entry.cameo = stored.event.cameo;
  entry.goldstein = stored.event.goldstein;
  entry.negated = stored.event.negated;
  entry.attributed_to = stored.event.attributed_to ? ActorIdFor(*stored.event.attributed_to) : 0;
  return entry;
}

namespace internal {

Result<size_t> QueueDocEventsRemoval(const EventColumns& columns, DocKey doc,
                                     rocksdb::WriteBatch* batch) {
  const std::string prefix = codec::DocKeyBytes(doc);
  const std::string upper = codec::PrefixSuccessor(prefix);
  rocksdb::Slice upper_slice(upper);
  rocksdb::ReadOptions ro;
  ro.iterate_upper_bound = &upper_slice;
  std::unique_ptr<rocksdb::Iterator> it(columns.db->NewIterator(ro, columns.events));
  const std::string minus = codec::EncodeCounter(-1);
  size_t removed = 0;
  auto remove = [&](StoredEvent&& stored) {
    const EdgeEntry e = IndexEntryOf(stored);
    batch->Delete(columns.edges_out, codec::EdgeKey(codec::EdgeOrder::kOut, e));
    batch->Delete(columns.edges_in, codec::EdgeKey(codec::EdgeOrder::kIn, e));
    batch->Delete(columns.edges_rel, codec::EdgeKey(codec::EdgeOrder::kRel, e));
    if (!e.negated) {  // Counts cover asserted events only.
      batch->Merge(columns.counts, codec::PairCountKey(e.relation, e.source, e.target), minus);
      batch->Merge(columns.counts, codec::DegreeKey(true, e.source), minus);
      batch->Merge(columns.counts, codec::DegreeKey(false, e.target), minus);
    }
    ++removed;
    return true;
  };
  for (it->Seek(prefix); it->Valid(); it->Next()) {
    KG_RETURN_IF_ERROR(
        codec::DecodeEventRun(it->key().ToStringView(), it->value().ToStringView(), remove)
            .status());
    batch->Delete(columns.events, it->key());
  }
  KG_RETURN_IF_ERROR(FromRocks(it->status(), "reading old events"));
  return removed;
}

}  // namespace internal

EdgeIndex ChooseEdgeIndex(const EdgeScanSpec& spec) {
  if (spec.source) return EdgeIndex::kBySource;
  if (spec.target) return EdgeIndex::kByTarget;
  if (spec.relation) return EdgeIndex::kByRelation;
  return EdgeIndex::kBySource;
}

std::string_view EdgeIndexName(EdgeIndex index) {
  switch (index) {
    case EdgeIndex::kBySource:
      return "edges_out (source, relation, target, date)";
    case EdgeIndex::kByTarget:
      return "edges_in (target, relation, source, date)";
    case EdgeIndex::kByRelation:
      return "edges_rel (relation, source, target, date)";
  }
  return "?";
}

namespace {

// Opens the RocksDB database of a store (creating it when allowed) without
// looking at its format version.
Result<std::shared_ptr<DbHandles>> OpenHandles(const StoreOptions& options, bool* created) {
  if (options.path.empty()) return Status::InvalidArgument("store path is empty");
  std::error_code ec;
  const fs::path path(options.path);
  const bool exists = fs::exists(path / "CURRENT", ec);
  if (fs::exists(path, ec) && !fs::is_directory(path, ec)) {
    return Status::InvalidArgument("store path '" + options.path + "' is not a directory");
  }
  if (!exists) {
    if (fs::exists(path, ec) && !fs::is_empty(path, ec) && !OnlyRocksDbFiles(path)) {
      return Status::Incompatible("'" + options.path +
                                  "' exists, is not empty and is not a kg store");
    }
    if (options.read_only || !options.create_if_missing) {
      return Status::NotFound("no kg store at '" + options.path + "' (run kg ingest first)");
    }
  }

  auto handles = std::make_shared<DbHandles>();
  handles->cache = rocksdb::NewLRUCache(options.block_cache_bytes);
  rocksdb::DBOptions db_options;
  db_options.create_if_missing = options.create_if_missing;
  db_options.create_missing_column_families = !exists;
  db_options.max_background_jobs = kBackgroundJobs;
  db_options.db_write_buffer_size = options.write_buffer_bytes;
  db_options.info_log_level = rocksdb::InfoLogLevel::WARN_LEVEL;
  db_options.keep_log_file_num = 2;
  // Flushes the column families holding the oldest log once the logs pass
  // a quarter of the write buffers: a read-only open replays every log, and
  // without the cap they grew past the buffers themselves (80 MB: 1.6 s per
  // `kg stats` beside an event-dense ingest, 0.3 s with it; that ingest ran
  // up to 11 % faster, a news ingest as fast, both with less memory).
  db_options.max_total_wal_size = std::max<uint64_t>(options.write_buffer_bytes / 4, 1u << 20);
  if (!options.read_only) {
    fs::create_directories(path, ec);
    if (std::FILE* log = std::fopen((path / "LOG").c_str(), "a")) {
      db_options.info_log = std::make_shared<StdioLogger>(log);
    }
  }

  if (exists) {
    std::vector<std::string> present;
    auto s = rocksdb::DB::ListColumnFamilies(rocksdb::DBOptions(), options.path, &present);
    KG_RETURN_IF_ERROR(FromRocks(s, "opening store '" + options.path + "'"));
    for (auto name : AllColumnFamilies()) {
      if (std::find(present.begin(), present.end(), name) == present.end()) {
        KG_ASSIGN_OR_RETURN(bool interrupted, IsInterruptedCreation(options.path, present));
        if (interrupted && options.read_only) {
          return Status::NotFound("no kg store at '" + options.path +
                                  "' (its creation was interrupted; run kg ingest)");
        }
        if (interrupted) {
          db_options.create_missing_column_families = true;
          break;
        }
        return Status::Incompatible("store '" + options.path + "' lacks column family '" +
                                    std::string(name) + "': not a kg store of format version " +
                                    std::to_string(codec::kFormatVersion));
      }
    }
  }

  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
  for (auto name : AllColumnFamilies()) {
    descriptors.emplace_back(std::string(name), CfOptionsFor(name, handles->cache));
  }
  if (options.read_only) {
    KG_RETURN_IF_ERROR(OpenReadOnlyInstant(db_options, options.path, descriptors, *handles));
  } else {
    rocksdb::DB* raw = nullptr;
    auto s = rocksdb::DB::Open(db_options, options.path, descriptors, &handles->cfs, &raw);
    KG_RETURN_IF_ERROR(FromRocks(s, "opening store '" + options.path + "'"));
    handles->db.reset(raw);
  }
  if (handles->cfs.size() != kNumCfs) return Status::Internal("column family count mismatch");
  *created = !exists;
  return handles;
}

}  // namespace

Result<std::unique_ptr<GraphStore>> GraphStore::Open(const StoreOptions& options) {
  bool created = false;
  KG_ASSIGN_OR_RETURN(std::shared_ptr<DbHandles> handles, OpenHandles(options, &created));
  rocksdb::DB* raw = handles->db.get();
  if (options.read_only) {
    std::string value;
    auto vs =
        raw->Get(rocksdb::ReadOptions(), handles->cfs[kDefault], codec::kFormatVersionKey, &value);
    if (!vs.ok() && !vs.IsNotFound()) return FromRocks(vs, "reading format version");
    if (vs.IsNotFound()) {
      return Status::Incompatible("'" + options.path +
                                  "' is a RocksDB database but not a kg store");
    }
    KG_RETURN_IF_ERROR(CheckVersionValue(value, options.path));
  } else {
    KG_RETURN_IF_ERROR(CheckFormatVersion(raw, handles->cfs, created, options.path));
  }
  return std::unique_ptr<GraphStore>(new RocksGraphStore(options, std::move(handles)));
}

Result<FormatUpgrade> GraphStore::UpgradeFormat(const StoreOptions& options) {
  if (options.read_only) return Status::InvalidArgument("upgrading needs write access");
  StoreOptions existing = options;
  existing.create_if_missing = false;
  bool created = false;
  KG_ASSIGN_OR_RETURN(std::shared_ptr<DbHandles> handles, OpenHandles(existing, &created));
  rocksdb::DB* db = handles->db.get();
  std::string value;
  KG_RETURN_IF_ERROR(FromRocks(
      db->Get(rocksdb::ReadOptions(), handles->cfs[kDefault], codec::kFormatVersionKey, &value),
      "reading format version of '" + options.path + "'"));
  FormatUpgrade upgrade;
  upgrade.to_version = codec::kFormatVersion;
  if (value == std::to_string(codec::kFormatVersion)) {
    upgrade.from_version = codec::kFormatVersion;
    return upgrade;
  }
  if (value != std::to_string(kUpgradableVersion)) {
    return Status::Incompatible("store '" + options.path + "' has format version " + value +
                                ", which this kg cannot convert; re-ingest into a new store");
  }
  upgrade.from_version = kUpgradableVersion;
  KG_RETURN_IF_ERROR(ConvertEventsToRuns(db, handles->cfs[kEvents], &upgrade));
  rocksdb::WriteOptions sync;
  sync.sync = true;
  KG_RETURN_IF_ERROR(FromRocks(db->Put(sync, handles->cfs[kDefault], codec::kFormatVersionKey,
                                       std::to_string(codec::kFormatVersion)),
                               "writing format version"));
  return upgrade;
}

}  // namespace kg
