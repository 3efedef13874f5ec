#include "graph/key_codec.h"

#include <bit>
#include <cstring>
#include <functional>
#include <span>

namespace kg::codec {
namespace {

constexpr uint32_t kSignBit32 = 0x80000000u;
constexpr uint64_t kSignBit64 = 0x8000000000000000ull;

// Appends little-endian base-128 varints and length-prefixed strings; the
// reader below is its exact inverse and reports truncation as corruption.
class ValueWriter {
 public:
  void U8(uint8_t v) { out_.push_back(static_cast<char>(v)); }
  void Varint(uint64_t v) {
    while (v >= 0x80) {
      out_.push_back(static_cast<char>((v & 0x7f) | 0x80));
      v >>= 7;
    }
    out_.push_back(static_cast<char>(v));
  }
  void Fixed64(uint64_t v) { PutFixed64BE(&out_, v); }
  void Double(double d) {
    uint64_t bits;
    std::memcpy(&bits, &d, sizeof bits);
    Fixed64(bits);
  }
  void Str(std::string_view s) {
    Varint(s.size());
    out_.append(s);
  }
  std::string Take() { return std::move(out_); }

 private:
  std::string out_;
};

class ValueReader {
 public:
  explicit ValueReader(std::string_view in) : in_(in) {}

  bool U8(uint8_t* v) {
    if (pos_ >= in_.size()) return Fail();
    *v = static_cast<uint8_t>(in_[pos_++]);
    return true;
  }
  bool Varint(uint64_t* v) {
    uint64_t result = 0;
    for (int shift = 0; shift <= 63; shift += 7) {
      if (pos_ >= in_.size()) return Fail();
      uint8_t byte = static_cast<uint8_t>(in_[pos_++]);
      result |= static_cast<uint64_t>(byte & 0x7f) << shift;
      if ((byte & 0x80) == 0) {
        *v = result;
        return true;
      }
    }
    return Fail();
  }
  template <typename T>
  bool VarintAs(T* v) {
    uint64_t raw;
    if (!Varint(&raw)) return false;
    *v = static_cast<T>(raw);
    return true;
  }
  bool Fixed64(uint64_t* v) {
    if (in_.size() - pos_ < 8) return Fail();
    *v = DecodeFixed64BE(in_.data() + pos_);
    pos_ += 8;
    return true;
  }
  bool Double(double* d) {
    uint64_t bits;
    if (!Fixed64(&bits)) return false;
    std::memcpy(d, &bits, sizeof bits);
    return true;
  }
  bool Str(std::string* s) {
    uint64_t n;
    if (!Varint(&n)) return false;
    if (in_.size() - pos_ < n) return Fail();
    s->assign(in_.data() + pos_, n);
    pos_ += n;
    return true;
  }
  bool Skip(uint64_t n) {
    if (in_.size() - pos_ < n) return Fail();
    pos_ += n;
    return true;
  }
  size_t Position() const { return pos_; }
  bool AtEnd() const { return pos_ == in_.size(); }
  bool failed() const { return failed_; }

 private:
  bool Fail() {
    failed_ = true;
    return false;
  }
  std::string_view in_;
  size_t pos_ = 0;
  bool failed_ = false;
};

Status Truncated(std::string_view what) {
  return Status::Corruption(std::string("truncated or malformed ") + std::string(what) + " value");
}

void WriteActorRef(ValueWriter* w, const ActorRef& a) {
  w->Str(a.text);
  w->Str(a.name);
  w->Str(a.code);
}

bool ReadActorRef(ValueReader* r, ActorRef* a) {
  return r->Str(&a->text) && r->Str(&a->name) && r->Str(&a->code);
}

// Value format tag bytes, so a value of the wrong family is caught early.
constexpr uint8_t kEdgeValueTag = 0xE1;
constexpr uint8_t kEventValueTag = 0xE2;
constexpr uint8_t kEventRunTag = 0xE3;
constexpr uint8_t kDocValueTag = 0xD1;
constexpr uint8_t kActorValueTag = 0xA1;

}  // namespace

void PutFixed32BE(std::string* dst, uint32_t value) {
  char buf[4] = {static_cast<char>(value >> 24), static_cast<char>(value >> 16),
                 static_cast<char>(value >> 8), static_cast<char>(value)};
  dst->append(buf, 4);
}

void PutFixed64BE(std::string* dst, uint64_t value) {
  PutFixed32BE(dst, static_cast<uint32_t>(value >> 32));
  PutFixed32BE(dst, static_cast<uint32_t>(value));
}

uint32_t DecodeFixed32BE(const char* p) {
  const auto* u = reinterpret_cast<const unsigned char*>(p);
  return (static_cast<uint32_t>(u[0]) << 24) | (static_cast<uint32_t>(u[1]) << 16) |
         (static_cast<uint32_t>(u[2]) << 8) | static_cast<uint32_t>(u[3]);
}

uint64_t DecodeFixed64BE(const char* p) {
  return (static_cast<uint64_t>(DecodeFixed32BE(p)) << 32) | DecodeFixed32BE(p + 4);
}

void PutDate(std::string* dst, Date date) {
  PutFixed32BE(dst, static_cast<uint32_t>(date) ^ kSignBit32);
}

Date DecodeDate(const char* p) { return static_cast<Date>(DecodeFixed32BE(p) ^ kSignBit32); }

void PutInt64Ordered(std::string* dst, int64_t value) {
  PutFixed64BE(dst, static_cast<uint64_t>(value) ^ kSignBit64);
}

int64_t DecodeInt64Ordered(const char* p) {
  return static_cast<int64_t>(DecodeFixed64BE(p) ^ kSignBit64);
}

std::string DocKeyBytes(DocKey doc) {
  std::string key;
  PutFixed64BE(&key, doc);
  return key;
}

std::string EventKeyBytes(const EventKey& key) {
  std::string out;
  out.reserve(12);
  PutFixed64BE(&out, key.doc);
  PutFixed32BE(&out, key.ordinal);
  return out;
}

Result<EventKey> DecodeEventKey(std::string_view bytes) {
  if (bytes.size() != 12) return Status::Corruption("event key must be 12 bytes");
  return EventKey{DecodeFixed64BE(bytes.data()), DecodeFixed32BE(bytes.data() + 8)};
}

std::string EdgeKey(EdgeOrder order, const EdgeEntry& e) {
  std::string key;
  key.reserve(kEdgeKeySize);
  switch (order) {
    case EdgeOrder::kOut:
      PutFixed64BE(&key, e.source);
      PutFixed64BE(&key, e.relation);
      PutFixed64BE(&key, e.target);
      break;
    case EdgeOrder::kIn:
      PutFixed64BE(&key, e.target);
      PutFixed64BE(&key, e.relation);
      PutFixed64BE(&key, e.source);
      break;
    case EdgeOrder::kRel:
      PutFixed64BE(&key, e.relation);
      PutFixed64BE(&key, e.source);
      PutFixed64BE(&key, e.target);
      break;
  }
  PutDate(&key, e.date);
  PutFixed64BE(&key, e.event.doc);
  PutFixed32BE(&key, e.event.ordinal);
  return key;
}

Status DecodeEdgeKey(EdgeOrder order, std::string_view key, EdgeEntry* e) {
  if (key.size() != kEdgeKeySize) return Status::Corruption("edge key must be 40 bytes");
  const char* p = key.data();
  uint64_t a = DecodeFixed64BE(p), b = DecodeFixed64BE(p + 8), c = DecodeFixed64BE(p + 16);
  switch (order) {
    case EdgeOrder::kOut:
      e->source = a, e->relation = b, e->target = c;
      break;
    case EdgeOrder::kIn:
      e->target = a, e->relation = b, e->source = c;
      break;
    case EdgeOrder::kRel:
      e->relation = a, e->source = b, e->target = c;
      break;
  }
  e->date = DecodeDate(p + 24);
  e->event.doc = DecodeFixed64BE(p + 28);
  e->event.ordinal = DecodeFixed32BE(p + 36);
  return Status::Ok();
}

std::string EdgePrefix(const std::vector<uint64_t>& leading_ids) {
  std::string prefix;
  for (uint64_t id : leading_ids) PutFixed64BE(&prefix, id);
  return prefix;
}

std::string ActorKey(ActorId id) { return DocKeyBytes(id); }

std::string NameKey(std::string_view normalized_alias, ActorId id) {
  std::string key;
  AppendNameKey(&key, normalized_alias, id);
  return key;
}

void AppendNameKey(std::string* dst, std::string_view normalized_alias, ActorId id) {
  dst->append(normalized_alias);
  dst->push_back('\0');
  PutFixed64BE(dst, id);
}

std::string NamePrefix(std::string_view normalized_alias) {
  std::string key(normalized_alias);
  key.push_back('\0');
  return key;
}

Result<ActorId> DecodeNameKey(std::string_view key) {
  if (key.size() < 9 || key[key.size() - 9] != '\0') return Status::Corruption("bad name key");
  return DecodeFixed64BE(key.data() + key.size() - 8);
}

std::string RelationKey(RelationId id) { return DocKeyBytes(id); }

std::string PairCountPrefix(RelationId relation) {
  std::string key(1, kPairCountTag);
  PutFixed64BE(&key, relation);
  return key;
}

std::string PairCountKey(RelationId relation, ActorId source, ActorId target) {
  std::string key = PairCountPrefix(relation);
  PutFixed64BE(&key, source);
  PutFixed64BE(&key, target);
  return key;
}

Status DecodePairCountKey(std::string_view key, RelationId* relation, ActorId* source,
                          ActorId* target) {
  if (key.size() != 25 || key[0] != kPairCountTag) return Status::Corruption("bad pair count key");
  *relation = DecodeFixed64BE(key.data() + 1);
  *source = DecodeFixed64BE(key.data() + 9);
  *target = DecodeFixed64BE(key.data() + 17);
  return Status::Ok();
}

std::string DegreeKey(bool out, ActorId actor) {
  std::string key(1, out ? 'O' : 'I');
  PutFixed64BE(&key, actor);
  return key;
}

std::string DegreePrefix(bool out) { return std::string(1, out ? 'O' : 'I'); }

Status DecodeDegreeKey(std::string_view key, ActorId* actor) {
  if (key.size() != 9 || (key[0] != 'O' && key[0] != 'I'))
    return Status::Corruption("bad degree key");
  *actor = DecodeFixed64BE(key.data() + 1);
  return Status::Ok();
}

std::string StatKey(std::string_view name) {
  std::string key(1, 'S');
  key.append(name);
  return key;
}

std::string PrefixSuccessor(std::string_view prefix) {
  std::string out(prefix);
  while (!out.empty()) {
    auto& last = reinterpret_cast<unsigned char&>(out.back());
    if (last != 0xff) {
      ++last;
      return out;
    }
    out.pop_back();
  }
  return out;
}

std::string EncodeEdgeValue(const EdgeEntry& e) {
  ValueWriter w;
  w.U8(kEdgeValueTag);
  w.Str(e.cameo);
  w.Double(e.goldstein);
  w.U8(e.negated ? 1 : 0);
  w.Fixed64(e.attributed_to);
  return w.Take();
}

Status DecodeEdgeValue(std::string_view bytes, EdgeEntry* e) {
  ValueReader r(bytes);
  uint8_t tag = 0, negated = 0;
  if (!r.U8(&tag) || tag != kEdgeValueTag || !r.Str(&e->cameo) || !r.Double(&e->goldstein) ||
      !r.U8(&negated) || !r.Fixed64(&e->attributed_to) || !r.AtEnd()) {
    return Truncated("edge");
  }
  e->negated = negated != 0;
  return Status::Ok();
}

Status PeekEdgeNegated(std::string_view bytes, bool* negated) {
  // Layout: tag(1) varint(len) cameo(len) goldstein(8) negated(1) attributed_to(8).
  size_t pos = 0;
  if (bytes.empty() || static_cast<uint8_t>(bytes[0]) != kEdgeValueTag) return Truncated("edge");
  pos = 1;
  uint64_t len = 0;
  for (int shift = 0;; shift += 7) {
    if (pos >= bytes.size() || shift > 63) return Truncated("edge");
    const uint8_t b = static_cast<uint8_t>(bytes[pos++]);
    len |= static_cast<uint64_t>(b & 0x7f) << shift;
    if ((b & 0x80) == 0) break;
  }
  if (len > bytes.size() || bytes.size() - pos != len + 8 + 1 + 8) return Truncated("edge");
  *negated = bytes[pos + len + 8] != 0;
  return Status::Ok();
}

std::string EncodeStoredEvent(const StoredEvent& s) {
  ValueWriter w;
  w.U8(kEventValueTag);
  w.Str(s.doc_id);
  w.Varint(static_cast<uint32_t>(s.date));
  w.Fixed64(s.source_id);
  w.Fixed64(s.relation_id);
  w.Fixed64(s.target_id);
  const Event& ev = s.event;
  WriteActorRef(&w, ev.source);
  w.Str(ev.relation);
  w.Str(ev.cameo);
  w.Double(ev.goldstein);
  WriteActorRef(&w, ev.target);
  w.U8((ev.negated ? 1 : 0) | (ev.attributed_to ? 2 : 0));
  w.Str(ev.modality);
  if (ev.attributed_to) w.Str(*ev.attributed_to);
  w.Varint(ev.mentions.size());
  for (const Mention& m : ev.mentions) {
    w.Varint(m.sentence);
    w.Varint(m.begin);
    w.Varint(m.end);
    w.Str(m.quote);
  }
  return w.Take();
}

Result<StoredEvent> DecodeStoredEvent(std::string_view bytes) {
  ValueReader r(bytes);
  StoredEvent s;
  Event& ev = s.event;
  uint8_t tag = 0, flags = 0;
  uint32_t date_bits = 0;
  uint64_t mention_count = 0;
  bool ok = r.U8(&tag) && tag == kEventValueTag && r.Str(&s.doc_id) && r.VarintAs(&date_bits) &&
            r.Fixed64(&s.source_id) && r.Fixed64(&s.relation_id) && r.Fixed64(&s.target_id) &&
            ReadActorRef(&r, &ev.source) && r.Str(&ev.relation) && r.Str(&ev.cameo) &&
            r.Double(&ev.goldstein) && ReadActorRef(&r, &ev.target) && r.U8(&flags);
  if (!ok) return Truncated("event");
  s.date = static_cast<Date>(date_bits);
  ev.negated = (flags & 1) != 0;
  if (!r.Str(&ev.modality)) return Truncated("event");
  if (flags & 2) {
    std::string speaker;
    if (!r.Str(&speaker)) return Truncated("event");
    ev.attributed_to = std::move(speaker);
  }
  if (!r.Varint(&mention_count) || mention_count > bytes.size()) return Truncated("event");
  ev.mentions.resize(mention_count);
  for (Mention& m : ev.mentions) {
    if (!r.VarintAs(&m.sentence) || !r.VarintAs(&m.begin) || !r.VarintAs(&m.end) ||
        !r.Str(&m.quote)) {
      return Truncated("event");
    }
  }
  if (!r.AtEnd()) return Truncated("event");
  return s;
}

std::string EncodeDocRecord(const DocRecord& rec) {
  ValueWriter w;
  w.U8(kDocValueTag);
  w.Str(rec.meta.id);
  w.Str(rec.meta.title);
  w.Str(rec.meta.source);
  w.Varint(static_cast<uint32_t>(rec.meta.date));
  w.Fixed64(rec.meta.content_hash);
  w.Varint(rec.meta.sentences);
  w.Varint(rec.event_count);
  return w.Take();
}

Result<DocRecord> DecodeDocRecord(std::string_view bytes) {
  ValueReader r(bytes);
  DocRecord rec;
  uint8_t tag = 0;
  uint32_t date_bits = 0;
  bool ok = r.U8(&tag) && tag == kDocValueTag && r.Str(&rec.meta.id) && r.Str(&rec.meta.title) &&
            r.Str(&rec.meta.source) && r.VarintAs(&date_bits) &&
            r.Fixed64(&rec.meta.content_hash) && r.VarintAs(&rec.meta.sentences) &&
            r.VarintAs(&rec.event_count) && r.AtEnd();
  if (!ok) return Truncated("document");
  rec.meta.date = static_cast<Date>(date_bits);
  return rec;
}

std::string EncodeActorRecord(const ActorRecord& a) {
  std::string out;
  AppendActorRecord(&out, a.id, a.name, a.code, a.type, a.aliases);
  return out;
}

Result<ActorRecord> DecodeActorRecord(std::string_view bytes) {
  ValueReader r(bytes);
  ActorRecord a;
  uint8_t tag = 0, type = 0;
  uint64_t n = 0;
  bool ok = r.U8(&tag) && tag == kActorValueTag && r.Fixed64(&a.id) && r.Str(&a.name) &&
            r.Str(&a.code) && r.U8(&type) && r.Varint(&n) && n <= bytes.size();
  if (!ok || type > static_cast<uint8_t>(ActorType::kPlace)) return Truncated("actor");
  a.type = static_cast<ActorType>(type);
  a.aliases.resize(n);
  for (auto& alias : a.aliases) {
    if (!r.Str(&alias)) return Truncated("actor");
  }
  if (!r.AtEnd()) return Truncated("actor");
  return a;
}

std::string EncodeCounter(int64_t value) {
  std::string out(8, '\0');
  auto u = static_cast<uint64_t>(value);
  for (int i = 0; i < 8; ++i) out[i] = static_cast<char>(u >> (8 * i));
  return out;
}

Result<int64_t> DecodeCounter(std::string_view bytes) {
  if (bytes.size() != 8) return Status::Corruption("counter must be 8 bytes");
  uint64_t u = 0;
  for (int i = 0; i < 8; ++i)
    u |= static_cast<uint64_t>(static_cast<unsigned char>(bytes[i])) << (8 * i);
  return static_cast<int64_t>(u);
}

// --- Topology ---

std::string TopologyMetaKey() { return "meta"; }

std::string TopologyChunkKey(uint32_t index) {
  std::string key = "chunk";
  PutFixed32BE(&key, index);
  return key;
}

std::string EncodeTopologyMeta(const TopologyMeta& meta) {
  std::string out;
  PutFixed64BE(&out, meta.generation);
  PutFixed32BE(&out, meta.chunks);
  PutFixed64BE(&out, meta.bytes);
  return out;
}

Result<TopologyMeta> DecodeTopologyMeta(std::string_view bytes) {
  if (bytes.size() != 20) return Status::Corruption("topology meta must be 20 bytes");
  TopologyMeta meta;
  meta.generation = DecodeFixed64BE(bytes.data());
  meta.chunks = DecodeFixed32BE(bytes.data() + 8);
  meta.bytes = DecodeFixed64BE(bytes.data() + 12);
  return meta;
}

namespace {

constexpr std::string_view kTopologyMagic = "KGT1";
static_assert(std::endian::native == std::endian::little,
              "topology arrays are stored as little-endian memory images");

template <typename T>
std::string_view BytesOf(std::span<const T> values) {
  return std::string_view(reinterpret_cast<const char*>(values.data()), values.size_bytes());
}

template <typename T>
bool ReadArray(std::string_view* in, uint64_t count, std::vector<T>* values) {
  if (count > in->size() / sizeof(T)) return false;
  values->resize(count);
  std::memcpy(values->data(), in->data(), count * sizeof(T));
  in->remove_prefix(count * sizeof(T));
  return true;
}

}  // namespace

void EncodeTopologyPieces(uint64_t generation, std::span<const ActorId> actors,
                          std::span<const RelationId> relations,
                          std::span<const uint32_t> out_offsets,
                          std::span<const std::span<const TopologyLink>> out_link_parts,
                          const std::function<void(std::string_view)>& piece) {
  uint64_t links = 0;
  for (const auto& part : out_link_parts) links += part.size();
  const uint64_t header[4] = {generation, actors.size(), relations.size(), links};
  piece(kTopologyMagic);
  piece(std::string_view(reinterpret_cast<const char*>(header), sizeof header));
  piece(BytesOf(actors));
  piece(BytesOf(relations));
  piece(BytesOf(out_offsets));
  for (const auto& part : out_link_parts) piece(BytesOf(part));
}

std::string EncodeTopology(const TopologyCsr& csr) {
  std::string out;
  const std::span<const TopologyLink> links(csr.out_links);
  EncodeTopologyPieces(csr.generation, csr.actors, csr.relations, csr.out_offsets, {&links, 1},
                       [&out](std::string_view piece) { out.append(piece); });
  return out;
}

Result<TopologyCsr> DecodeTopology(std::string_view bytes) {
  uint64_t header[4];
  if (bytes.size() < kTopologyMagic.size() + sizeof header ||
      bytes.substr(0, kTopologyMagic.size()) != kTopologyMagic) {
    return Status::Corruption("stored topology has no KGT1 header");
  }
  bytes.remove_prefix(kTopologyMagic.size());
  std::memcpy(header, bytes.data(), sizeof header);
  bytes.remove_prefix(sizeof header);
  TopologyCsr csr;
  csr.generation = header[0];
  if (header[1] >= UINT32_MAX || !ReadArray(&bytes, header[1], &csr.actors) ||
      !ReadArray(&bytes, header[2], &csr.relations) ||
      !ReadArray(&bytes, header[1] + 1, &csr.out_offsets) ||
      !ReadArray(&bytes, header[3], &csr.out_links) || !bytes.empty()) {
    return Status::Corruption("stored topology is truncated or has trailing bytes");
  }
  return csr;
}

// --- Bulk-load encoders ---
// Must stay byte-identical to the encoders above (tests/graph/bulk_load_test.cc
// compares them directly and through bulk-vs-batch store dumps).
namespace {

// ValueWriter's encodings, appending to a caller's buffer.
void AppendVarint(std::string* dst, uint64_t v) {
  char buf[10];
  size_t n = 0;
  while (v >= 0x80) {
    buf[n++] = static_cast<char>((v & 0x7f) | 0x80);
    v >>= 7;
  }
  buf[n++] = static_cast<char>(v);
  dst->append(buf, n);
}

void AppendStr(std::string* dst, std::string_view s) {
  AppendVarint(dst, s.size());
  dst->append(s);
}

void AppendDouble(std::string* dst, double d) {
  uint64_t bits;
  std::memcpy(&bits, &d, sizeof bits);
  PutFixed64BE(dst, bits);
}

void Store32BE(char* p, uint32_t v) {
  p[0] = static_cast<char>(v >> 24);
  p[1] = static_cast<char>(v >> 16);
  p[2] = static_cast<char>(v >> 8);
  p[3] = static_cast<char>(v);
}

void Store64BE(char* p, uint64_t v) {
  Store32BE(p, static_cast<uint32_t>(v >> 32));
  Store32BE(p + 4, static_cast<uint32_t>(v));
}

}  // namespace

void EncodeDocKeyTo(DocKey doc, char out[kDocKeySize]) { Store64BE(out, doc); }

void EncodeActorKeyTo(ActorId id, char out[kDocKeySize]) { Store64BE(out, id); }

void EncodeEventKeyTo(const EventKey& key, char out[kEventKeySize]) {
  Store64BE(out, key.doc);
  Store32BE(out + 8, key.ordinal);
}

void EncodeEdgeKeyTo(EdgeOrder order, ActorId source, RelationId relation, ActorId target,
                     Date date, const EventKey& event, char out[kEdgeKeySize]) {
  uint64_t a = source, b = relation, c = target;
  switch (order) {
    case EdgeOrder::kOut:
      break;
    case EdgeOrder::kIn:
      a = target, c = source;
      break;
    case EdgeOrder::kRel:
      a = relation, b = source;
      break;
  }
  Store64BE(out, a);
  Store64BE(out + 8, b);
  Store64BE(out + 16, c);
  Store32BE(out + 24, static_cast<uint32_t>(date) ^ kSignBit32);
  Store64BE(out + 28, event.doc);
  Store32BE(out + 36, event.ordinal);
}

void EncodePairCountKeyTo(RelationId relation, ActorId source, ActorId target,
                          char out[kPairCountKeySize]) {
  out[0] = kPairCountTag;
  Store64BE(out + 1, relation);
  Store64BE(out + 9, source);
  Store64BE(out + 17, target);
}

void AppendEdgeValue(std::string* dst, std::string_view cameo, double goldstein, bool negated,
                     ActorId attributed_to) {
  dst->push_back(static_cast<char>(kEdgeValueTag));
  AppendStr(dst, cameo);
  AppendDouble(dst, goldstein);
  dst->push_back(static_cast<char>(negated ? 1 : 0));
  PutFixed64BE(dst, attributed_to);
}

namespace {

size_t StoredEventBound(const StoredEventParts& e, std::span<const Mention> mentions) {
  size_t bound = 1 + 10 + e.doc_id.size() + 5 + 24 + 10 + e.relation.size() + 10 + e.cameo.size() +
                 8 + 1 + 10 + e.modality.size() + 10 + 90 + e.source_text.size() +
                 e.source_name.size() + e.source_code.size() + e.target_text.size() +
                 e.target_name.size() + e.target_code.size();
  if (e.attributed_to != nullptr) bound += 10 + e.attributed_to->size();
  for (const Mention& m : mentions) bound += 40 + m.quote.size();
  return bound;
}

// Writes the bytes of a stored event (same bytes as ValueWriter: varints,
// length-prefixed strings) at p, which has room for StoredEventBound bytes;
// returns the end. Runs once per event of a bulk load.
char* WriteStoredEvent(char* p, const StoredEventParts& e, std::span<const Mention> mentions) {
  auto varint = [&p](uint64_t v) {
    while (v >= 0x80) {
      *p++ = static_cast<char>((v & 0x7f) | 0x80);
      v >>= 7;
    }
    *p++ = static_cast<char>(v);
  };
  auto str = [&p, &varint](std::string_view s) {
    varint(s.size());
    std::memcpy(p, s.data(), s.size());
    p += s.size();
  };
  auto fixed64 = [&p](uint64_t v) {
    Store64BE(p, v);
    p += 8;
  };
  *p++ = static_cast<char>(kEventValueTag);
  str(e.doc_id);
  varint(static_cast<uint32_t>(e.date));
  fixed64(e.source_id);
  fixed64(e.relation_id);
  fixed64(e.target_id);
  str(e.source_text);
  str(e.source_name);
  str(e.source_code);
  str(e.relation);
  str(e.cameo);
  uint64_t bits;
  std::memcpy(&bits, &e.goldstein, sizeof bits);
  fixed64(bits);
  str(e.target_text);
  str(e.target_name);
  str(e.target_code);
  *p++ = static_cast<char>((e.negated ? 1 : 0) | (e.attributed_to != nullptr ? 2 : 0));
  str(e.modality);
  if (e.attributed_to != nullptr) str(*e.attributed_to);
  varint(mentions.size());
  for (const Mention& m : mentions) {
    varint(m.sentence);
    varint(m.begin);
    varint(m.end);
    str(m.quote);
  }
  return p;
}

void AppendStoredEventWith(std::string* dst, const StoredEventParts& e,
                           std::span<const Mention> mentions) {
  const size_t start = dst->size();
  dst->resize(start + StoredEventBound(e, mentions));
  char* end = WriteStoredEvent(dst->data() + start, e, mentions);
  dst->resize(static_cast<size_t>(end - dst->data()));
}

}  // namespace

void AppendStoredEvent(std::string* dst, std::string_view doc_id, Date date, ActorId source_id,
                       RelationId relation_id, ActorId target_id, const Event& ev) {
  StoredEventParts parts;
  parts.doc_id = doc_id;
  parts.date = date;
  parts.source_id = source_id;
  parts.relation_id = relation_id;
  parts.target_id = target_id;
  parts.source_text = ev.source.text;
  parts.source_name = ev.source.name;
  parts.source_code = ev.source.code;
  parts.relation = ev.relation;
  parts.cameo = ev.cameo;
  parts.goldstein = ev.goldstein;
  parts.target_text = ev.target.text;
  parts.target_name = ev.target.name;
  parts.target_code = ev.target.code;
  parts.negated = ev.negated;
  parts.modality = ev.modality;
  parts.attributed_to = ev.attributed_to ? &*ev.attributed_to : nullptr;
  AppendStoredEventWith(dst, parts, ev.mentions);
}

void AppendStoredEvent(std::string* dst, const StoredEventParts& parts) {
  AppendStoredEventWith(dst, parts, {});
}

std::string_view EncodeStoredEventTo(const StoredEventParts& parts, std::vector<char>* buffer) {
  const size_t bound = StoredEventBound(parts, {});
  if (buffer->size() < bound) buffer->resize(std::max(bound, 2 * buffer->size()));
  const char* end = WriteStoredEvent(buffer->data(), parts, {});
  return std::string_view(buffer->data(), static_cast<size_t>(end - buffer->data()));
}

void AppendDocRecord(std::string* dst, std::string_view id, std::string_view title,
                     std::string_view source, Date date, uint64_t content_hash, uint32_t sentences,
                     uint32_t event_count) {
  dst->push_back(static_cast<char>(kDocValueTag));
  AppendStr(dst, id);
  AppendStr(dst, title);
  AppendStr(dst, source);
  AppendVarint(dst, static_cast<uint32_t>(date));
  PutFixed64BE(dst, content_hash);
  AppendVarint(dst, sentences);
  AppendVarint(dst, event_count);
}

void AppendActorRecord(std::string* dst, ActorId id, std::string_view name, std::string_view code,
                       ActorType type, std::span<const std::string> aliases) {
  dst->push_back(static_cast<char>(kActorValueTag));
  PutFixed64BE(dst, id);
  AppendStr(dst, name);
  AppendStr(dst, code);
  dst->push_back(static_cast<char>(static_cast<uint8_t>(type)));
  AppendVarint(dst, aliases.size());
  for (const auto& alias : aliases) AppendStr(dst, alias);
}

// --- Event runs ---
namespace {
constexpr size_t kRunHeaderSize = 1 + 4;  // Tag, event count.

// The run's events after the header, each as (index, bytes), until visit
// returns false (then false).
Result<bool> ForEachRunEvent(std::string_view run,
                             const std::function<bool(uint32_t, std::string_view)>& visit) {
  if (run.size() < kRunHeaderSize || static_cast<uint8_t>(run[0]) != kEventRunTag) {
    return Truncated("event run");
  }
  const uint32_t count = DecodeFixed32BE(run.data() + 1);
  ValueReader r(run);
  (void)r.Skip(kRunHeaderSize);
  for (uint32_t i = 0; i < count; ++i) {
    uint64_t n = 0;
    if (!r.Varint(&n)) return Truncated("event run");
    const size_t start = r.Position();
    if (!r.Skip(n)) return Truncated("event run");
    if (!visit(i, run.substr(start, n))) return false;
  }
  if (!r.AtEnd()) return Truncated("event run");
  return true;
}
}  // namespace

bool IsEventRun(std::string_view value) {
  return !value.empty() && static_cast<uint8_t>(value[0]) == kEventRunTag;
}

void StartEventRun(std::string* dst) {
  dst->assign(1, static_cast<char>(kEventRunTag));
  dst->append(4, '\0');
}

void AppendRunEvent(std::string* dst, std::string_view event_bytes) { AppendStr(dst, event_bytes); }

void FinishEventRun(std::string* dst, uint32_t count) { Store32BE(dst->data() + 1, count); }

std::string EncodeEventRun(std::span<const std::string> events) {
  std::string run;
  StartEventRun(&run);
  for (const std::string& e : events) AppendRunEvent(&run, e);
  FinishEventRun(&run, static_cast<uint32_t>(events.size()));
  return run;
}

Result<bool> DecodeEventRun(std::string_view key, std::string_view run,
                            const std::function<bool(StoredEvent&&)>& visit) {
  KG_ASSIGN_OR_RETURN(const EventKey first, DecodeEventKey(key));
  Status failed;
  KG_ASSIGN_OR_RETURN(const bool more,
                      ForEachRunEvent(run, [&](uint32_t i, std::string_view bytes) {
                        Result<StoredEvent> event = DecodeStoredEvent(bytes);
                        if (!event.ok()) {
                          failed = event.status();
                          return false;
                        }
                        event->key = EventKey{first.doc, first.ordinal + i};
                        return visit(std::move(*event));
                      }));
  KG_RETURN_IF_ERROR(failed);
  return more;
}

Result<std::optional<StoredEvent>> DecodeRunEvent(std::string_view key, std::string_view run,
                                                  uint32_t ordinal) {
  KG_ASSIGN_OR_RETURN(const EventKey first, DecodeEventKey(key));
  if (ordinal < first.ordinal) return std::optional<StoredEvent>();
  std::string_view found;
  bool has = false;
  KG_RETURN_IF_ERROR(ForEachRunEvent(run, [&](uint32_t i, std::string_view bytes) {
                       if (first.ordinal + i != ordinal) return true;
                       found = bytes;
                       has = true;
                       return false;
                     }).status());
  if (!has) return std::optional<StoredEvent>();
  KG_ASSIGN_OR_RETURN(StoredEvent event, DecodeStoredEvent(found));
  event.key = EventKey{first.doc, ordinal};
  return std::optional<StoredEvent>(std::move(event));
}

}  // namespace kg::codec
