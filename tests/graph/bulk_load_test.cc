// The bulk (SST) path must produce the same store as the batch path: every
// column family is dumped through raw RocksDB (counters merged) and compared.
#include <gtest/gtest.h>
#include <rocksdb/db.h>
#include <rocksdb/merge_operator.h>

#include <functional>
#include <map>
#include <optional>
#include <random>
#include <tuple>

#include "graph/date.h"
#include "graph/graph_store.h"
#include "graph/ids.h"
#include "graph/key_codec.h"
#include "tests/counter_merge_operator.h"
#include "tests/test_util.h"

namespace kg {
namespace {

using kg::testing::TempDir;

// Column family -> key -> value of a closed store, counters merged.
using Dump = std::map<std::string, std::map<std::string, std::string>>;

// Visits every entry of every column family of a closed store, opened
// read-only through raw RocksDB with counters merged.
void ForEachEntry(const std::string& path,
                  const std::function<void(const std::string& cf, const rocksdb::Slice& key,
                                           const rocksdb::Slice& value)>& visit) {
  std::vector<std::string> names;
  EXPECT_TRUE(rocksdb::DB::ListColumnFamilies(rocksdb::DBOptions(), path, &names).ok());
  std::vector<rocksdb::ColumnFamilyDescriptor> cfs;
  for (const auto& name : names) {
    rocksdb::ColumnFamilyOptions o;
    if (name == codec::kCountsCf)
      o.merge_operator = std::make_shared<kg::testing::CounterAddOperator>();
    cfs.emplace_back(name, o);
  }
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* raw = nullptr;
  auto s = rocksdb::DB::OpenForReadOnly(rocksdb::DBOptions(), path, cfs, &handles, &raw);
  ASSERT_TRUE(s.ok()) << s.ToString();
  for (size_t i = 0; i < handles.size(); ++i) {
    std::unique_ptr<rocksdb::Iterator> it(raw->NewIterator(rocksdb::ReadOptions(), handles[i]));
    for (it->SeekToFirst(); it->Valid(); it->Next()) visit(names[i], it->key(), it->value());
    EXPECT_TRUE(it->status().ok());
  }
  for (auto* h : handles) EXPECT_TRUE(raw->DestroyColumnFamilyHandle(h).ok());
  delete raw;
}

Dump DumpStore(const std::string& path) {
  Dump dump;
  ForEachEntry(
      path, [&](const std::string& cf, const rocksdb::Slice& key, const rocksdb::Slice& value) {
        // The batch path never writes a topology; the tests below compare the
        // one a bulk load writes with a rebuild.
        if (cf == codec::kTopologyCf) return;
        if (cf != codec::kEventsCf) {
          dump[cf][key.ToString()] = value.ToString();
          return;
        }
        // A bulk load of several rounds stores a document's events in
        // one run per round, the batch path in one: compared event by
        // event.
        auto decoded =
            codec::DecodeEventRun(key.ToStringView(), value.ToStringView(), [&](StoredEvent&& e) {
              dump[cf][codec::EventKeyBytes(e.key)] = codec::EncodeStoredEvent(e);
              return true;
            });
        EXPECT_TRUE(decoded.ok()) << decoded.status().ToString();
      });
  // The generation counts writes (one per document on the batch path, one
  // per load on the bulk path), not content; it only has to have grown.
  auto& counts = dump[std::string(codec::kCountsCf)];
  const std::string generation = codec::StatKey(codec::kGenerationStat);
  if (counts.count(generation)) {
    EXPECT_GT(*codec::DecodeCounter(counts[generation]), 0);
    counts.erase(generation);
  }
  return dump;
}

// Entries of every column family but the default one (the store's format
// version), topology included; or of column family `only` when given.
size_t CountEntries(const std::string& path, std::string_view only = "") {
  size_t n = 0;
  ForEachEntry(path, [&](const std::string& cf, const rocksdb::Slice&, const rocksdb::Slice&) {
    if (only.empty() ? cf != rocksdb::kDefaultColumnFamilyName : cf == only) ++n;
  });
  return n;
}

std::string Diff(const Dump& a, const Dump& b) {
  std::string out;
  for (const auto& [cf, entries] : a) {
    auto other = b.find(cf);
    if (other == b.end()) {
      out += "missing cf " + cf + "\n";
      continue;
    }
    if (entries.size() != other->second.size()) {
      out += cf + ": " + std::to_string(entries.size()) + " vs " +
             std::to_string(other->second.size()) + " entries\n";
    }
    for (const auto& [k, v] : entries) {
      auto it = other->second.find(k);
      if (it == other->second.end()) {
        out += cf + ": key only in first (" + std::to_string(k.size()) + " bytes)\n";
      } else if (it->second != v) {
        out += cf + ": value differs (" + std::to_string(k.size()) + "-byte key)\n";
      }
      if (out.size() > 2000) return out;
    }
  }
  return out;
}

struct Doc {
  DocumentMeta meta;
  std::vector<Event> events;
  std::vector<ActorRecord> actors;
};

// Deterministic documents over a small actor set: hubs, repeated triples,
// negated and attributed events, actor records with aliases.
std::vector<Doc> MakeDocs(int n, uint64_t seed, uint64_t hash_salt = 0) {
  std::mt19937_64 rng(seed);
  const char* actors[] = {"USA", "Russia", "China", "Ukraine", "John Kerry", "Sergey Lavrov", "UN"};
  const char* codes[] = {"USA", "RUS", "CHN", "UKR", "USAGOV", "RUSGOV", "IGOUNO"};
  const char* relations[][2] = {{"accuse", "112"},
                                {"meet", "040"},
                                {"attack", "183"},
                                {"criticize", "111"},
                                {"suspend relations", "161"}};
  std::vector<Doc> docs;
  for (int d = 0; d < n; ++d) {
    Doc doc;
    doc.meta.id = "doc-" + std::to_string(d);
    doc.meta.title = "title " + std::to_string(d);
    doc.meta.source = d % 2 ? "Reuters" : "AP";
    doc.meta.date = 16000 + static_cast<Date>(rng() % 400);
    doc.meta.content_hash = Hash64(doc.meta.id) + hash_salt;
    doc.meta.sentences = 5;
    const int k = static_cast<int>(rng() % 6);
    for (int e = 0; e < k; ++e) {
      Event ev;
      const size_t s = rng() % 7, t = (s + 1 + rng() % 6) % 7;
      const auto& r = relations[rng() % 5];
      ev.source = {std::string("the ") + actors[s], actors[s], rng() % 3 ? codes[s] : ""};
      ev.target = {actors[t], actors[t], codes[t]};
      ev.relation = r[0];
      ev.cameo = r[1];
      ev.goldstein = -1.5 * static_cast<double>(e);
      ev.negated = rng() % 7 == 0;
      if (rng() % 5 == 0) ev.attributed_to = "UN";
      ev.mentions = {{static_cast<uint32_t>(e), 0, 12, "quote " + std::to_string(e)}};
      doc.events.push_back(std::move(ev));
    }
    if (d % 4 == 0) {
      ActorRecord a;
      a.name = actors[d % 7];
      a.code = codes[d % 7];
      a.type = ActorType::kCountry;
      a.aliases = {std::string("alias ") + std::to_string(d % 3)};
      doc.actors.push_back(a);
    }
    docs.push_back(std::move(doc));
  }
  return docs;
}

void PutAll(GraphStore& store, const std::vector<Doc>& docs) {
  for (const Doc& d : docs) ASSERT_TRUE(store.PutDocument(d.meta, d.events, d.actors).ok());
}

BulkLoadStats BulkAll(GraphStore& store, const std::vector<Doc>& docs, size_t chunk_events,
                      bool topology = true) {
  BulkLoadOptions options;
  options.chunk_events = chunk_events;
  options.topology = topology;
  auto writer = store.NewBulkWriter(options);
  EXPECT_TRUE(writer.ok()) << writer.status().ToString();
  for (const Doc& d : docs) {
    auto r = (*writer)->PutDocument(d.meta, d.events, d.actors);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
  }
  auto stats = (*writer)->Finish();
  EXPECT_TRUE(stats.ok()) << stats.status().ToString();
  return stats.ok() ? *stats : BulkLoadStats();
}

TEST(BulkLoadTest, EmptyStoreMatchesBatchPath) {
  TempDir dir;
  const auto docs = MakeDocs(300, 7);
  {
    auto a = kg::testing::OpenTestStore(dir.Sub("batch"));
    PutAll(*a, docs);
  }
  BulkLoadStats stats;
  {
    auto b = kg::testing::OpenTestStore(dir.Sub("bulk"));
    stats = BulkAll(*b, docs, 1'000'000);
  }
  EXPECT_EQ(stats.documents_added, 300u);
  EXPECT_EQ(stats.chunks, 1u);
  // One round into an empty store: every entry written is a key of its own.
  EXPECT_EQ(stats.sst_entries, CountEntries(dir.Sub("bulk")));
  const std::string diff = Diff(DumpStore(dir.Sub("batch")), DumpStore(dir.Sub("bulk")));
  EXPECT_EQ(diff, "");
  EXPECT_EQ(Diff(DumpStore(dir.Sub("bulk")), DumpStore(dir.Sub("batch"))), "");
}

TEST(BulkLoadTest, SmallChunksGiveOverlappingFilesAndTheSameStore) {
  TempDir dir;
  const auto docs = MakeDocs(300, 8);
  {
    auto a = kg::testing::OpenTestStore(dir.Sub("batch"));
    PutAll(*a, docs);
  }
  BulkLoadStats stats;
  {
    auto b = kg::testing::OpenTestStore(dir.Sub("bulk"));
    stats = BulkAll(*b, docs, 37);  // Many chunks whose key ranges overlap.
    auto reader = b->NewReader();
    auto st = reader->Stats();
    ASSERT_TRUE(st.ok());
    EXPECT_EQ(st->documents, 300);
    // Documents split across rounds are several runs: each event is still
    // found by its key, and the ordinal after a document's last is not.
    size_t events = 0;
    ASSERT_TRUE(reader
                    ->ScanEvents([&](const StoredEvent& e) {
                      auto got = reader->GetEvent(e.key);
                      EXPECT_TRUE(got.ok() && got->has_value() && **got == e);
                      ++events;
                      return true;
                    })
                    .ok());
    EXPECT_EQ(static_cast<int64_t>(events), st->events);
    for (const auto& doc : docs) {
      const EventKey after{DocKeyFor(doc.meta.id), static_cast<uint32_t>(doc.events.size())};
      auto got = reader->GetEvent(after);
      ASSERT_TRUE(got.ok());
      EXPECT_FALSE(got->has_value()) << doc.meta.id;
    }
    auto none = reader->GetEvent(EventKey{0, 0});
    ASSERT_TRUE(none.ok());
    EXPECT_FALSE(none->has_value());
  }
  EXPECT_LT(CountEntries(dir.Sub("bulk"), codec::kEventsCf), static_cast<size_t>(stats.events));
  EXPECT_GT(stats.chunks, 5u);
  EXPECT_EQ(Diff(DumpStore(dir.Sub("batch")), DumpStore(dir.Sub("bulk"))), "");
  EXPECT_EQ(Diff(DumpStore(dir.Sub("bulk")), DumpStore(dir.Sub("batch"))), "");
}

TEST(BulkLoadTest, CompactCompressesBulkFilesOnceWithoutChangingTheStore) {
  TempDir dir;
  const auto docs = MakeDocs(300, 12);
  {
    auto store = kg::testing::OpenTestStore(dir.Sub("bulk"));
    BulkAll(*store, docs, 400);  // Several rounds: overlapping files, counter operands.
  }
  const Dump loaded = DumpStore(dir.Sub("bulk"));
  {
    auto store = kg::testing::OpenTestStore(dir.Sub("bulk"));
    auto first = store->Compact();
    ASSERT_TRUE(first.ok()) << first.status().ToString();
    EXPECT_GE(first->column_families_compacted, 5);
    EXPECT_LT(first->bytes_after, first->bytes_before);
    auto second = store->Compact();
    ASSERT_TRUE(second.ok()) << second.status().ToString();
    EXPECT_EQ(second->column_families_compacted, 0);
    EXPECT_EQ(second->bytes_after, first->bytes_after);
  }
  EXPECT_EQ(Diff(loaded, DumpStore(dir.Sub("bulk"))), "");
  EXPECT_EQ(Diff(DumpStore(dir.Sub("bulk")), loaded), "");
  auto read_only = kg::testing::OpenTestStore(dir.Sub("bulk"), /*read_only=*/true);
  EXPECT_EQ(read_only->Compact().status().code(), StatusCode::kInvalidArgument);
}

TEST(BulkLoadTest, NonEmptyStoreReplacesChangedDocumentsLikePutDocument) {
  TempDir dir;
  const auto first = MakeDocs(120, 9);
  auto second = MakeDocs(200, 10, /*hash_salt=*/1);  // Ids 0..119 exist: changed content.
  // Keep 20 documents identical to the stored ones: unchanged.
  for (int i = 0; i < 20; ++i) second[i] = first[i];
  {
    auto a = kg::testing::OpenTestStore(dir.Sub("batch"));
    PutAll(*a, first);
    PutAll(*a, second);
  }
  BulkLoadStats stats;
  {
    auto b = kg::testing::OpenTestStore(dir.Sub("bulk"));
    PutAll(*b, first);
    stats = BulkAll(*b, second, 50);
  }
  EXPECT_EQ(stats.documents_unchanged, 20u);
  EXPECT_EQ(stats.documents_replaced, 100u);
  EXPECT_EQ(stats.documents_added, 80u);
  EXPECT_EQ(Diff(DumpStore(dir.Sub("batch")), DumpStore(dir.Sub("bulk"))), "");
  EXPECT_EQ(Diff(DumpStore(dir.Sub("bulk")), DumpStore(dir.Sub("batch"))), "");
}

// The loader compares strings inline (no hash in front when it checks that
// an event's text is its name): texts of every length up to 20 bytes that
// differ from the name in a single byte must be stored as given.
TEST(BulkLoadTest, TextsDifferingFromTheNameInOneByteAreKept) {
  TempDir dir;
  auto store = kg::testing::OpenTestStore(dir.Sub("s"));
  std::vector<std::string> texts;
  {
    auto writer = store->NewBulkWriter(BulkLoadOptions());
    ASSERT_TRUE(writer.ok());
    DocumentMeta meta;
    meta.id = "d1";
    Event ev;
    ev.target = {"t", "t", ""};
    ev.relation = "r";
    for (size_t n = 1; n <= 20; ++n) {
      const std::string name(n, 'a');
      for (size_t i = 0; i <= n; ++i) {  // i == n: text and name equal.
        std::string text = name;
        if (i < n) text[i] = 'b';
        ev.source = {text, name, ""};
        ASSERT_TRUE((*writer)->AppendEvent(meta, ev).ok());
        texts.push_back(text);
      }
    }
    auto stats = (*writer)->Finish();
    ASSERT_TRUE(stats.ok()) << stats.status().ToString();
    EXPECT_EQ(stats->actors, 21u);  // 20 names and the target.
  }
  size_t n = 0;
  ASSERT_TRUE(store->NewReader()
                  ->ScanDocumentEvents("d1",
                                       [&](const StoredEvent& e) {
                                         EXPECT_EQ(e.event.source.text, texts[n]) << n;
                                         ++n;
                                         return true;
                                       })
                  .ok());
  EXPECT_EQ(n, texts.size());
}

TEST(BulkLoadTest, AppendEventGroupsRowsByDocumentAndDate) {
  TempDir dir;
  auto store = kg::testing::OpenTestStore(dir.Sub("s"));
  {
    auto writer = store->NewBulkWriter(BulkLoadOptions());
    ASSERT_TRUE(writer.ok());
    DocumentMeta meta;
    meta.id = "d1";
    meta.date = 17000;
    Event ev;
    ev.source = {"USA", "USA", "USA"};
    ev.target = {"Russia", "Russia", "RUS"};
    ev.relation = "accuse";
    ev.mentions = {{0, 0, 0, ""}};
    ASSERT_TRUE((*writer)->AppendEvent(meta, ev).ok());
    ASSERT_TRUE((*writer)->AppendEvent(meta, ev).ok());
    meta.date = 17001;  // Same id, other date: its own document.
    ASSERT_TRUE((*writer)->AppendEvent(meta, ev).ok());
    auto stats = (*writer)->Finish();
    ASSERT_TRUE(stats.ok()) << stats.status().ToString();
    EXPECT_EQ(stats->documents_added, 2u);
    EXPECT_EQ(stats->events, 3u);
  }
  auto reader = store->NewReader();
  int n = 0;
  ASSERT_TRUE(reader
                  ->ScanDocumentEvents("d1",
                                       [&](const StoredEvent& e) {
                                         EXPECT_EQ(e.key.ordinal, static_cast<uint32_t>(n));
                                         EXPECT_EQ(e.date, 17000);
                                         ++n;
                                         return true;
                                       })
                  .ok());
  EXPECT_EQ(n, 2);
  auto other = reader->GetDocument("d1@" + FormatIsoDate(17001));
  ASSERT_TRUE(other.ok());
  ASSERT_TRUE(other->has_value());
  EXPECT_EQ((*other)->date, 17001);
  auto degree = reader->GetDegree(ActorIdFor("USA"));
  ASSERT_TRUE(degree.ok());
  EXPECT_EQ(degree->first, 3);
}

TEST(BulkLoadTest, AbandonedWriterLeavesStoreUntouched) {
  TempDir dir;
  auto store = kg::testing::OpenTestStore(dir.Sub("s"));
  {
    auto writer = store->NewBulkWriter(BulkLoadOptions());
    ASSERT_TRUE(writer.ok());
    const auto docs = MakeDocs(10, 3);
    for (const Doc& d : docs) ASSERT_TRUE((*writer)->PutDocument(d.meta, d.events, d.actors).ok());
  }
  auto st = store->NewReader()->Stats();
  ASSERT_TRUE(st.ok());
  EXPECT_EQ(st->documents, 0);
  EXPECT_FALSE(std::filesystem::exists(dir.Sub("s") + "/bulk.tmp"));
}

// The bulk writer encodes through the codec's append/fixed-buffer variants;
// they must give the bytes of the allocating encoders.
TEST(BulkLoadTest, CodecBulkEncodersMatchTheAllocatingOnes) {
  for (const Doc& doc : MakeDocs(40, 21)) {
    std::string id_value;
    codec::AppendDocRecord(&id_value, doc.meta.id, doc.meta.title, doc.meta.source, doc.meta.date,
                           doc.meta.content_hash, doc.meta.sentences, 7);
    EXPECT_EQ(id_value, codec::EncodeDocRecord(codec::DocRecord{doc.meta, 7}));
    uint32_t ordinal = 0;
    for (const Event& ev : doc.events) {
      StoredEvent s;
      s.key = EventKey{DocKeyFor(doc.meta.id), ordinal++};
      s.doc_id = doc.meta.id;
      s.date = doc.meta.date;
      s.source_id = ActorIdFor(ev.source.name);
      s.relation_id = RelationIdFor(ev.relation);
      s.target_id = ActorIdFor(ev.target.name);
      s.event = ev;
      s.event.modality = ordinal % 2 ? "may" : "";
      std::string value = "prefix";
      codec::AppendStoredEvent(&value, s.doc_id, s.date, s.source_id, s.relation_id, s.target_id,
                               s.event);
      EXPECT_EQ(value, "prefix" + codec::EncodeStoredEvent(s));
      char event_key[codec::kEventKeySize];
      codec::EncodeEventKeyTo(s.key, event_key);
      EXPECT_EQ(std::string(event_key, sizeof event_key), codec::EventKeyBytes(s.key));

      EdgeEntry e;
      e.source = s.source_id;
      e.relation = s.relation_id;
      e.target = s.target_id;
      e.date = ordinal % 3 == 0 ? -5 : s.date;  // Negative dates: sign flip.
      e.event = s.key;
      e.cameo = ev.cameo;
      e.goldstein = ev.goldstein;
      e.negated = ev.negated;
      e.attributed_to = ev.attributed_to ? ActorIdFor(*ev.attributed_to) : 0;
      std::string edge_value;
      codec::AppendEdgeValue(&edge_value, e.cameo, e.goldstein, e.negated, e.attributed_to);
      EXPECT_EQ(edge_value, codec::EncodeEdgeValue(e));
      for (auto order : {codec::EdgeOrder::kOut, codec::EdgeOrder::kIn, codec::EdgeOrder::kRel}) {
        char key[codec::kEdgeKeySize];
        codec::EncodeEdgeKeyTo(order, e.source, e.relation, e.target, e.date, e.event, key);
        EXPECT_EQ(std::string(key, sizeof key), codec::EdgeKey(order, e));
      }
      char pair[codec::kPairCountKeySize];
      codec::EncodePairCountKeyTo(e.relation, e.source, e.target, pair);
      EXPECT_EQ(std::string(pair, sizeof pair),
                codec::PairCountKey(e.relation, e.source, e.target));
    }
  }
}

// Table rows (AppendEvent) interleaved across documents, with actor names
// that differ only in case and spacing (one actor id), give the store the
// batch path writes for the same documents; many small chunks.
TEST(BulkLoadTest, InterleavedTableRowsMatchBatchPath) {
  TempDir dir;
  auto docs = MakeDocs(150, 12);
  int k = 0;
  for (size_t n = 0; n < docs.size(); ++n) {
    docs[n].actors.clear();
    // An actor record is named by the first name seen; both orders see the
    // canonical names first (documents 0-9 and every first event).
    for (size_t i = 1; n >= 10 && i < docs[n].events.size(); ++i) {
      Event& ev = docs[n].events[i];
      if (++k % 3 == 0 && ev.source.name == "USA") ev.source.name = "usa ";  // Same id.
      if (k % 5 == 0 && ev.target.name == "Russia") ev.target.name = "  Russia";
      if (k % 4 == 0 && ev.relation == "accuse") ev.relation = "Accuse";  // Same relation id.
    }
  }
  {
    auto a = kg::testing::OpenTestStore(dir.Sub("batch"));
    PutAll(*a, docs);
  }
  {
    auto b = kg::testing::OpenTestStore(dir.Sub("bulk"));
    BulkLoadOptions options;
    options.chunk_events = 23;
    auto writer = b->NewBulkWriter(options);
    ASSERT_TRUE(writer.ok());
    // Round robin: event i of every document, then event i + 1, ...
    for (size_t i = 0; i < 6; ++i) {
      for (const Doc& d : docs) {
        if (i < d.events.size()) {
          ASSERT_TRUE((*writer)->AppendEvent(d.meta, d.events[i]).ok());
        }
      }
    }
    // Documents without events exist in the batch store only when put.
    for (const Doc& d : docs) {
      if (d.events.empty()) {
        ASSERT_TRUE((*writer)->PutDocument(d.meta, {}, {}).ok());
      }
    }
    auto stats = (*writer)->Finish();
    ASSERT_TRUE(stats.ok()) << stats.status().ToString();
    EXPECT_GT(stats->chunks, 5u);
  }
  EXPECT_EQ(Diff(DumpStore(dir.Sub("batch")), DumpStore(dir.Sub("bulk"))), "");
  EXPECT_EQ(Diff(DumpStore(dir.Sub("bulk")), DumpStore(dir.Sub("batch"))), "");
}

// AppendEvents (batches, as kg import uses it) gives the store AppendEvent
// gives; a failing row stops the batch there: the rows before it are in.
TEST(BulkLoadTest, AppendEventsInBatchesMatchesBatchPath) {
  TempDir dir;
  auto docs = MakeDocs(120, 16);
  for (Doc& d : docs) d.actors.clear();
  {
    auto a = kg::testing::OpenTestStore(dir.Sub("batch"));
    PutAll(*a, docs);
  }
  {
    auto b = kg::testing::OpenTestStore(dir.Sub("bulk"));
    auto writer = b->NewBulkWriter(BulkLoadOptions());
    ASSERT_TRUE(writer.ok());
    std::vector<BulkWriter::Row> rows;
    for (const Doc& d : docs) {
      if (d.events.empty()) {
        ASSERT_TRUE((*writer)->PutDocument(d.meta, {}, {}).ok());
      }
      for (const Event& ev : d.events) {
        // Every other row with the hashes a parsing thread would give.
        const bool hashed = rows.size() % 2 == 1;
        rows.push_back(BulkWriter::Row{&d.meta, &ev, hashed, hashed ? DocKeyFor(d.meta.id) : 0,
                                       hashed ? Hash64(ev.source.name) : 0,
                                       hashed ? Hash64(ev.target.name) : 0,
                                       hashed ? Hash64(ev.relation) : 0});
      }
    }
    for (size_t b0 = 0; b0 < rows.size(); b0 += 37) {
      const size_t n = std::min<size_t>(37, rows.size() - b0);
      size_t failed = SIZE_MAX;
      ASSERT_TRUE((*writer)->AppendEvents({rows.data() + b0, n}, &failed).ok());
      EXPECT_EQ(failed, SIZE_MAX);
    }
    ASSERT_TRUE((*writer)->Finish().ok());
  }
  EXPECT_EQ(Diff(DumpStore(dir.Sub("batch")), DumpStore(dir.Sub("bulk"))), "");
  EXPECT_EQ(Diff(DumpStore(dir.Sub("bulk")), DumpStore(dir.Sub("batch"))), "");

  auto c = kg::testing::OpenTestStore(dir.Sub("failing"));
  auto writer = c->NewBulkWriter(BulkLoadOptions());
  ASSERT_TRUE(writer.ok());
  std::vector<const Doc*> with_events;
  for (const Doc& d : docs) {
    if (!d.events.empty()) with_events.push_back(&d);
  }
  ASSERT_GE(with_events.size(), 4u);
  DocumentMeta no_id = with_events[2]->meta;
  no_id.id.clear();
  const std::vector<BulkWriter::Row> rows = {{&with_events[0]->meta, &with_events[0]->events[0]},
                                             {&with_events[1]->meta, &with_events[1]->events[0]},
                                             {&no_id, &with_events[2]->events[0]},
                                             {&with_events[3]->meta, &with_events[3]->events[0]}};
  size_t failed = SIZE_MAX;
  const Status s = (*writer)->AppendEvents(rows, &failed);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(failed, 2u);
  auto stats = (*writer)->Finish();
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(stats->events, 2u);
  EXPECT_EQ(stats->documents_added, 2u);
}

// The out-CSR of the store's current topology, generation cleared (it counts
// writes: one per document on the batch path, one per bulk load).
std::optional<TopologyCsr> CurrentCsr(GraphStore& store) {
  auto topology = store.NewReader()->GetTopology();
  EXPECT_TRUE(topology.ok()) << topology.status().ToString();
  if (!topology.ok() || *topology == nullptr) return std::nullopt;
  TopologyCsr csr = (*topology)->csr();
  csr.generation = 0;
  return csr;
}

TEST(BulkLoadTest, FreshStoreGetsItsTopologyFromTheLoad) {
  TempDir dir;
  const auto docs = MakeDocs(400, 13);
  auto batch = kg::testing::OpenTestStore(dir.Sub("batch"));
  PutAll(*batch, docs);
  ASSERT_TRUE(*batch->RefreshTopology());
  const auto rebuilt = CurrentCsr(*batch);
  ASSERT_TRUE(rebuilt.has_value());

  auto bulk = kg::testing::OpenTestStore(dir.Sub("bulk"));
  const BulkLoadStats stats = BulkAll(*bulk, docs, 1'000'000);
  EXPECT_TRUE(stats.topology_written);
  EXPECT_FALSE(*bulk->RefreshTopology());  // Already current.
  const auto loaded = CurrentCsr(*bulk);
  ASSERT_TRUE(loaded.has_value());
  EXPECT_TRUE(*loaded == *rebuilt);
  EXPECT_EQ(loaded->out_links.size(), rebuilt->out_links.size());

  // The next write makes it stale like any other.
  DocumentMeta changed = docs[0].meta;
  changed.content_hash += 1;
  ASSERT_EQ(bulk->PutDocument(changed, docs[1].events, {})->action, IngestAction::kReplaced);
  EXPECT_FALSE(CurrentCsr(*bulk).has_value());
}

TEST(BulkLoadTest, TopologyIsLeftToRefreshWhenTheLoadCannotBuildIt) {
  TempDir dir;
  const auto docs = MakeDocs(200, 14);
  // Several rounds, not asked for, or a store that already had documents.
  for (const auto& [name, chunk, ask, preload] :
       {std::tuple{"rounds", size_t{50}, true, false},
        std::tuple{"off", size_t{1'000'000}, false, false},
        std::tuple{"nonempty", size_t{1'000'000}, true, true}}) {
    SCOPED_TRACE(name);
    auto store = kg::testing::OpenTestStore(dir.Sub(name));
    const std::vector<Doc> first(docs.begin(), docs.begin() + 20);
    const std::vector<Doc> rest(docs.begin() + 20, docs.end());
    if (preload) PutAll(*store, first);
    const BulkLoadStats stats = BulkAll(*store, preload ? rest : docs, chunk, ask);
    EXPECT_FALSE(stats.topology_written);
    EXPECT_FALSE(CurrentCsr(*store).has_value());
    EXPECT_TRUE(*store->RefreshTopology());
    EXPECT_TRUE(CurrentCsr(*store).has_value());
  }
}

// A store whose topology was built while it was empty gets the load's
// topology in place of the old one (its meta and pieces overwritten).
TEST(BulkLoadTest, LoadReplacesTheTopologyOfAnEmptyStore) {
  TempDir dir;
  const auto docs = MakeDocs(300, 15);
  auto batch = kg::testing::OpenTestStore(dir.Sub("batch"));
  PutAll(*batch, docs);
  ASSERT_TRUE(*batch->RefreshTopology());
  auto bulk = kg::testing::OpenTestStore(dir.Sub("bulk"));
  ASSERT_TRUE(*bulk->RefreshTopology());
  EXPECT_TRUE(BulkAll(*bulk, docs, 1'000'000).topology_written);
  const auto loaded = CurrentCsr(*bulk);
  ASSERT_TRUE(loaded.has_value());
  EXPECT_TRUE(*loaded == *CurrentCsr(*batch));
}

}  // namespace
}  // namespace kg
