// Internal to graph/: the RocksDB side of BulkWriter (graph_store.h). The
// store hands over its DB and column family handles; this code builds every
// index entry the batch path (rocks_graph_store.cc) would write, sorts them
// per column family in key-range partitions, writes SST files with
// SstFileWriter and ingests them with one IngestExternalFiles call.
#pragma once

#include <memory>
#include <string>

#include "graph/graph_store.h"

namespace rocksdb {
class DB;
class ColumnFamilyHandle;
class WriteBatch;
struct Options;
}  // namespace rocksdb

namespace kg::internal {

// The column families holding a document's events and what is derived from
// them.
struct EventColumns {
  rocksdb::DB* db = nullptr;
  rocksdb::ColumnFamilyHandle* events = nullptr;
  rocksdb::ColumnFamilyHandle* edges_out = nullptr;
  rocksdb::ColumnFamilyHandle* edges_in = nullptr;
  rocksdb::ColumnFamilyHandle* edges_rel = nullptr;
  rocksdb::ColumnFamilyHandle* counts = nullptr;
};

// Queues into *batch the removal of every stored event of `doc`: its event
// runs, their three index entries each and, for asserted events, minus one
// on the pair and degree counters. Returns how many events. Replacing or
// deleting a document (rocks_graph_store.cc) and a bulk load replacing
// documents share it; callers adjust the store totals.
Result<size_t> QueueDocEventsRemoval(const EventColumns& columns, DocKey doc,
                                     rocksdb::WriteBatch* batch);

// The column families a bulk load writes (the event ones, and the rest
// below), and the options their SST files are written with (must match the
// store's: comparator, table format, compression).
struct BulkTarget : EventColumns {
  std::string db_path;
  rocksdb::ColumnFamilyHandle* docs = nullptr;
  rocksdb::ColumnFamilyHandle* actors = nullptr;
  rocksdb::ColumnFamilyHandle* names = nullptr;
  rocksdb::ColumnFamilyHandle* relations = nullptr;
  rocksdb::ColumnFamilyHandle* topology = nullptr;
  // Options for SstFileWriter, one per column family (the order of
  // RocksGraphStore::NewBulkWriter: docs, events, edges out/in/rel, actors,
  // names, relations, counts, topology).
  std::shared_ptr<const rocksdb::Options> sst_options[10];
  bool sync_writes = false;
};

// `keep_alive` owns the DB for the writer's lifetime.
Result<std::unique_ptr<BulkWriter>> NewRocksBulkWriter(const BulkTarget& target,
                                                       const BulkLoadOptions& options,
                                                       std::shared_ptr<void> keep_alive);

}  // namespace kg::internal
