// The one owner of every byte layout kg writes to RocksDB: keys of all column
// families and the encodings of their values. Nothing else in the project
// builds or parses stored bytes.
//
// Column families and key layouts (all integers fixed-width big-endian so
// byte order equals numeric order; dates are sign-flipped int32):
//   default    "format_version"                      -> decimal string
//   docs       doc(8)                                -> DocumentMeta + event count
//   events     doc(8) first-ordinal(4)               -> run of StoredEvents
//   edges_out  source(8) relation(8) target(8) date(4) doc(8) ordinal(4) -> EdgeValue
//   edges_in   target(8) relation(8) source(8) date(4) doc(8) ordinal(4) -> EdgeValue
//   edges_rel  relation(8) source(8) target(8) date(4) doc(8) ordinal(4) -> EdgeValue
//   actors     actor(8)                              -> ActorRecord
//   names      normalized-alias 0x00 actor(8)        -> ""
//   relations  relation(8)                           -> relation name
//   counts     'P' relation(8) source(8) target(8)   -> int64 (merge: add)
//              'O' actor(8) / 'I' actor(8)           -> int64 out/in degree
//              'S' stat-name                         -> int64 store totals; stat
//                  "generation" grows with every write that changes events
//   topology   "meta"                                -> generation(8) chunks(4) bytes(8)
//              "chunk" index(4)                      -> consecutive pieces of the
//                  EncodeTopology bytes (little-endian arrays: magic "KGT1",
//                  generation, counts, actor ids, relation ids, CSR offsets,
//                  links of four uint32)
// Every edge index entry is 40 bytes of key; the three orders make any bound
// subset of (source, relation, target) a prefix scan.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "graph/status.h"
#include "graph/topology.h"
#include "graph/types.h"

namespace kg::codec {

// Bumped whenever any layout below changes incompatibly.
inline constexpr int kFormatVersion = 3;
inline constexpr std::string_view kFormatVersionKey = "format_version";

inline constexpr std::string_view kDocsCf = "docs";
inline constexpr std::string_view kEventsCf = "events";
inline constexpr std::string_view kEdgesOutCf = "edges_out";
inline constexpr std::string_view kEdgesInCf = "edges_in";
inline constexpr std::string_view kEdgesRelCf = "edges_rel";
inline constexpr std::string_view kActorsCf = "actors";
inline constexpr std::string_view kNamesCf = "names";
inline constexpr std::string_view kRelationsCf = "relations";
inline constexpr std::string_view kCountsCf = "counts";
inline constexpr std::string_view kTopologyCf = "topology";
// The stat counter that every write changing events increments.
inline constexpr std::string_view kGenerationStat = "generation";

inline constexpr size_t kEdgeKeySize = 8 + 8 + 8 + 4 + 8 + 4;

// --- Primitive encodings (exposed for tests) ---
void PutFixed32BE(std::string* dst, uint32_t value);
void PutFixed64BE(std::string* dst, uint64_t value);
uint32_t DecodeFixed32BE(const char* p);
uint64_t DecodeFixed64BE(const char* p);
// Sign-flipped big-endian int32: byte order equals numeric order.
void PutDate(std::string* dst, Date date);
Date DecodeDate(const char* p);
// Sign-flipped big-endian int64, same property.
void PutInt64Ordered(std::string* dst, int64_t value);
int64_t DecodeInt64Ordered(const char* p);

// --- Keys ---
std::string DocKeyBytes(DocKey doc);
std::string EventKeyBytes(const EventKey& key);
Result<EventKey> DecodeEventKey(std::string_view bytes);

enum class EdgeOrder { kOut, kIn, kRel };
// The key of `entry` in the index of the given order.
std::string EdgeKey(EdgeOrder order, const EdgeEntry& entry);
// Decodes a key of the given order into the id/date/event fields of *entry.
Status DecodeEdgeKey(EdgeOrder order, std::string_view key, EdgeEntry* entry);
// Prefix of up to three leading ids of an index, in that index's order.
std::string EdgePrefix(const std::vector<uint64_t>& leading_ids);

std::string ActorKey(ActorId id);
std::string NameKey(std::string_view normalized_alias, ActorId id);
// Prefix for every actor with this exact normalized alias.
std::string NamePrefix(std::string_view normalized_alias);
Result<ActorId> DecodeNameKey(std::string_view key);
std::string RelationKey(RelationId id);

std::string PairCountKey(RelationId relation, ActorId source, ActorId target);
std::string PairCountPrefix(RelationId relation);
inline constexpr char kPairCountTag = 'P';
Status DecodePairCountKey(std::string_view key, RelationId* relation, ActorId* source,
                          ActorId* target);
std::string DegreeKey(bool out, ActorId actor);
// 'O' or 'I': the prefix of every out- or in-degree counter.
std::string DegreePrefix(bool out);
Status DecodeDegreeKey(std::string_view key, ActorId* actor);
std::string StatKey(std::string_view name);

// Smallest key greater than every key starting with `prefix` ("" when none).
std::string PrefixSuccessor(std::string_view prefix);

// --- Values ---
std::string EncodeEdgeValue(const EdgeEntry& entry);
Status DecodeEdgeValue(std::string_view bytes, EdgeEntry* entry);
// Reads only the negation flag of an edge value (no allocation); the cheap
// path of key-only scans.
Status PeekEdgeNegated(std::string_view bytes, bool* negated);

std::string EncodeStoredEvent(const StoredEvent& event);
Result<StoredEvent> DecodeStoredEvent(std::string_view bytes);

// Event runs, the values of the events column family: consecutive events of
// one document stored under the key of the first, EventKeyBytes({doc, first
// ordinal}). Bytes: a tag, the event count (fixed 4 bytes), then each event's
// EncodeStoredEvent bytes after their varint length. PutDocument writes one
// run per document and a bulk load one per document and round, so almost
// every document is one entry (SST entries have a fixed cost, ~150 ns each
// on a bulk load, that one key per event paid for every event).
// Builds a run in *dst (cleared): start, add each event's bytes, finish.
void StartEventRun(std::string* dst);
void AppendRunEvent(std::string* dst, std::string_view event_bytes);
void FinishEventRun(std::string* dst, uint32_t count);
// True when `value` is an event run (format version 3) rather than one
// event's bytes (version 2; GraphStore::UpgradeFormat converts them).
bool IsEventRun(std::string_view value);
// The run of these events' EncodeStoredEvent bytes.
std::string EncodeEventRun(std::span<const std::string> events);
// Decodes every event of the run stored under `key`, with its key, and
// passes it to visit until that returns false; the result is false then.
Result<bool> DecodeEventRun(std::string_view key, std::string_view run,
                            const std::function<bool(StoredEvent&&)>& visit);
// The event with `ordinal` of the run stored under `key` (decoding only that
// one); nullopt when the run does not hold it.
Result<std::optional<StoredEvent>> DecodeRunEvent(std::string_view key, std::string_view run,
                                                  uint32_t ordinal);

struct DocRecord {
  DocumentMeta meta;
  uint32_t event_count = 0;
};
std::string EncodeDocRecord(const DocRecord& record);
Result<DocRecord> DecodeDocRecord(std::string_view bytes);

std::string EncodeActorRecord(const ActorRecord& record);
Result<ActorRecord> DecodeActorRecord(std::string_view bytes);

// Counter values: int64, little-endian fixed 8 bytes (merge operands too).
std::string EncodeCounter(int64_t value);
Result<int64_t> DecodeCounter(std::string_view bytes);

// --- Topology (graph/topology.h) ---
struct TopologyMeta {
  uint64_t generation = 0;
  uint32_t chunks = 0;
  uint64_t bytes = 0;
};
// Stored in pieces of at most this many bytes.
inline constexpr size_t kTopologyChunkBytes = 4u << 20;
std::string TopologyMetaKey();
std::string TopologyChunkKey(uint32_t index);
std::string EncodeTopologyMeta(const TopologyMeta& meta);
Result<TopologyMeta> DecodeTopologyMeta(std::string_view bytes);
std::string EncodeTopology(const TopologyCsr& csr);
// The bytes of EncodeTopology in consecutive pieces, for a CSR whose links
// are the concatenation of `out_link_parts`: the bulk loader stores them
// without first assembling the CSR or its bytes.
void EncodeTopologyPieces(uint64_t generation, std::span<const ActorId> actors,
                          std::span<const RelationId> relations,
                          std::span<const uint32_t> out_offsets,
                          std::span<const std::span<const TopologyLink>> out_link_parts,
                          const std::function<void(std::string_view)>& piece);
Result<TopologyCsr> DecodeTopology(std::string_view bytes);

// --- Bulk-load encoders (graph/bulk_load.cc) ---
// Allocation-free variants of the encoders above, byte-for-byte identical to
// them: fixed-size keys into caller buffers, values appended to a buffer.
inline constexpr size_t kEventKeySize = 8 + 4;
inline constexpr size_t kPairCountKeySize = 1 + 8 + 8 + 8;
inline constexpr size_t kDocKeySize = 8;
// Same bytes as DocKeyBytes(doc).
void EncodeDocKeyTo(DocKey doc, char out[kDocKeySize]);
// Same bytes as ActorKey(id).
void EncodeActorKeyTo(ActorId id, char out[kDocKeySize]);
// Same bytes as EventKeyBytes(key).
void EncodeEventKeyTo(const EventKey& key, char out[kEventKeySize]);
// Same bytes as EdgeKey(order, entry) for an entry with these key fields.
void EncodeEdgeKeyTo(EdgeOrder order, ActorId source, RelationId relation, ActorId target,
                     Date date, const EventKey& event, char out[kEdgeKeySize]);
// Appends the bytes of NameKey(normalized_alias, id).
void AppendNameKey(std::string* dst, std::string_view normalized_alias, ActorId id);
// Appends the bytes of EncodeActorRecord for a record with these fields.
void AppendActorRecord(std::string* dst, ActorId id, std::string_view name, std::string_view code,
                       ActorType type, std::span<const std::string> aliases);
// Same bytes as PairCountKey(relation, source, target).
void EncodePairCountKeyTo(RelationId relation, ActorId source, ActorId target,
                          char out[kPairCountKeySize]);
// Appends the bytes of EncodeEdgeValue for an entry with these value fields.
void AppendEdgeValue(std::string* dst, std::string_view cameo, double goldstein, bool negated,
                     ActorId attributed_to);
// Appends the bytes of EncodeStoredEvent for StoredEvent{key, doc_id, date,
// source_id, relation_id, target_id, event} (the key is not part of the value).
void AppendStoredEvent(std::string* dst, std::string_view doc_id, Date date, ActorId source_id,
                       RelationId relation_id, ActorId target_id, const Event& event);
// The fields of a stored event without mentions, as views: the bulk loader
// keeps events as slots into its tables and builds each value while writing.
struct StoredEventParts {
  std::string_view doc_id;
  Date date = kUnknownDate;
  ActorId source_id = 0;
  RelationId relation_id = 0;
  ActorId target_id = 0;
  std::string_view source_text, source_name, source_code;
  std::string_view relation, cameo;
  double goldstein = 0.0;
  std::string_view target_text, target_name, target_code;
  bool negated = false;
  std::string_view modality;
  const std::string* attributed_to = nullptr;  // Null when not attributed.
};
// Appends the bytes AppendStoredEvent gives for an event with these fields
// and no mentions.
void AppendStoredEvent(std::string* dst, const StoredEventParts& parts);
// The same bytes written into *buffer (grown when too small, never
// cleared); valid until the buffer's next use.
std::string_view EncodeStoredEventTo(const StoredEventParts& parts, std::vector<char>* buffer);
// Appends the bytes of EncodeDocRecord(DocRecord{meta, event_count}) for a
// meta with these fields.
void AppendDocRecord(std::string* dst, std::string_view id, std::string_view title,
                     std::string_view source, Date date, uint64_t content_hash, uint32_t sentences,
                     uint32_t event_count);

}  // namespace kg::codec
