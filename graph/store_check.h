// Store invariants and a canonical dump, both computed through the public
// GraphReader API only (no byte layouts), so they check exactly what every
// other module sees.
//
// Invariants CheckStore verifies on one snapshot:
//   - every event has exactly one entry in each edge index (edges_out,
//     edges_in, edges_rel) and the three agree with the event (ids, date,
//     CAMEO code, Goldstein score, negation, attribution); every index entry
//     has its event (no orphans);
//   - an event's ids are the ones derived from its document id, actor names
//     and relation lemma; its date is its document's date;
//   - each document's events have contiguous ordinals 0..n-1 and every event's
//     document has a docs record, so a document is complete or absent;
//   - maintained pair counts and out/in degrees equal a recount of the
//     asserted (non-negated) events; Stats() documents and events equal a
//     recount;
//   - every actor and relation an event references exists, actor and relation
//     records are stored under the ids their names hash to, and every actor's
//     name and aliases find it through the alias index;
//   - a current topology equals one rebuilt from the edge index.
#pragma once

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include "graph/graph_store.h"
#include "graph/status.h"

namespace kg {

struct CheckOptions {
  // At most this many problems are listed in the report; later ones are only
  // counted. Default: 100.
  size_t max_listed = 100;
};

struct CheckReport {
  // One line per problem, naming the record (document id, ordinal, index,
  // actor or counter) and what differs. At most CheckOptions::max_listed.
  std::vector<std::string> problems;
  // Every problem found, listed or not.
  uint64_t problem_count = 0;

  // What was checked (records seen in the snapshot).
  uint64_t documents = 0;
  uint64_t events = 0;
  uint64_t index_entries = 0;  // Sum over the three edge indexes.
  uint64_t pair_counts = 0;
  uint64_t actors = 0;
  uint64_t relations = 0;
  uint64_t topology_links = 0;  // 0 when the store has no current topology.

  bool clean() const { return problem_count == 0; }
  // "N documents, N events, N index entries, N pair counts, N actors, N relations".
  std::string Summary() const;
};

// Verifies every invariant above on `reader`'s snapshot. Stored bytes that do
// not decode are reported as problems (the scan that met them stops, the
// other checks go on). Returns a non-OK Status only when the store cannot be
// read at all (I/O errors). Memory grows with the number of events (one
// compact entry each). Thread compatible, like the reader.
Result<CheckReport> CheckStore(const GraphReader& reader, const CheckOptions& options = {});

// Writes every record of the snapshot as one line of text, in an order that
// depends only on content: totals, documents, events (with every mention),
// the three edge indexes, actors, relations, pair counts and each actor's
// degrees. Two stores with the same content give byte-identical dumps, so a
// crash-and-resume store can be compared with one built without
// interruption. Strings are escaped (\\, \t, \n, \r, control bytes as \xHH).
// Errors: the first failing scan, or kIoError when `out` fails.
Status DumpStore(const GraphReader& reader, std::ostream& out);

}  // namespace kg
