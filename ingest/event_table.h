// Readers for event tables that already exist outside kg: our edge TSV and
// JSON Lines formats (the peer harness's 5-column TSV is a subset of ours)
// and GDELT 1.0/2.0 event exports. Each good row becomes one graph Event of
// one document; `kg import` hands them to the store's bulk writer.
// Formats are described in data/README.md ("Event tables").
#pragma once

#include <condition_variable>
#include <cstdio>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <vector>

#include "graph/graph_store.h"
#include "graph/status.h"
#include "graph/types.h"

namespace kg::ingest {

enum class TableFormat { kAuto, kTsv, kJsonl, kGdelt };

// "auto", "tsv", "jsonl", "gdelt"; kInvalidArgument otherwise.
Result<TableFormat> ParseTableFormat(std::string_view name);
std::string_view TableFormatName(TableFormat format);

// CAMEO event code -> relation label and Goldstein score. Labels come from
// the verb dictionary (the first relation listed for a code, so GDELT "112"
// becomes "accuse" like extracted events), else the lower-cased CAMEO name
// of the code or its nearest listed ancestor.
class CameoCoder {
 public:
  // Reads data_dir/cameo.tsv and data_dir/verbs.tsv.
  static Result<CameoCoder> Load(const std::string& data_dir);
  // "" when neither the code nor an ancestor is known.
  const std::string& Label(std::string_view code) const;
  // 0 when unknown.
  double Goldstein(std::string_view code) const;

 private:
  struct Entry {
    std::string label;
    double goldstein = 0.0;
  };
  const Entry* Find(std::string_view code) const;
  std::unordered_map<std::string, Entry> by_code_;
};

struct TableRow {
  DocumentMeta doc;  // id, date, source (GDELT: SOURCEURL); no title or text.
  Event event;       // No mentions: table rows carry no text.
  // Set by TableBatchReader only (on its thread): DocKeyFor(doc.id),
  // Hash64 of the source and target names and of the relation, for
  // BulkWriter::Row.
  DocKey doc_key = 0;
  uint64_t source_hash = 0, target_hash = 0, relation_hash = 0;
};

// A row from TableBatchReader as BulkWriter::AppendEvents takes it, with its
// hashes; valid while the row is.
inline BulkWriter::Row BulkRowOf(const TableRow& row) {
  return BulkWriter::Row{&row.doc,        &row.event,       true, row.doc_key, row.source_hash,
                         row.target_hash, row.relation_hash};
}

enum class RowOutcome {
  kRow,       // *row holds the next good row.
  kRejected,  // A bad row; *error holds the reason (line() says where). Keep reading.
  kSkipped,   // A well-formed row that is not an edge (GDELT one-actor event); *error says why.
  kEnd,
};

// Sequential reader of one table file. Not thread safe.
class EventTableReader {
 public:
  // `path` "-" reads standard input. kAuto picks the format from the file
  // name (.jsonl/.json -> jsonl; .csv/.CSV/.export -> gdelt) or, for .tsv
  // and others, from the first data line (57, 58 or 61 tab-separated columns
  // with a numeric first column -> gdelt, else tsv). `coder` must outlive
  // the reader. Fails when the file cannot be opened.
  static Result<std::unique_ptr<EventTableReader>> Open(const std::string& path, TableFormat format,
                                                        const CameoCoder* coder);
  ~EventTableReader();
  EventTableReader(const EventTableReader&) = delete;
  EventTableReader& operator=(const EventTableReader&) = delete;

  RowOutcome Next(TableRow* row, std::string* error);

  // 1-based line of the row last returned.
  size_t line() const { return line_; }
  TableFormat format() const { return format_; }
  uint64_t bytes_read() const { return bytes_; }

 private:
  EventTableReader(std::FILE* file, bool owned, std::string path, TableFormat format,
                   const CameoCoder* coder);
  bool ReadLine();
  RowOutcome ParseTsv(TableRow* row, std::string* error);
  RowOutcome ParseJson(TableRow* row, std::string* error);
  RowOutcome ParseGdelt(TableRow* row, std::string* error);
  void DefaultDocId(TableRow* row);

  std::FILE* file_;
  bool owned_;
  std::string path_;
  std::string base_name_;
  TableFormat format_;
  const CameoCoder* coder_;
  // Read buffer: lines are found with memchr in large reads; [begin_, end_)
  // is not consumed yet.
  char* buf_ = nullptr;
  size_t cap_ = 0;
  size_t begin_ = 0;
  size_t end_ = 0;
  bool eof_ = false;
  std::string_view text_;  // Current line without the newline.
  std::string pending_;    // First line read while sniffing the format.
  bool has_pending_ = false;
  size_t line_ = 0;
  uint64_t bytes_ = 0;
  std::vector<std::string_view> fields_;
  std::string last_date_text_;
  Date last_date_ = kUnknownDate;
};

// Reads table files one after another on a background thread, one batch of
// rows ahead of the caller, so that parsing overlaps whatever the caller
// does with the rows (kg import: the bulk writer's bookkeeping).
class TableBatchReader {
 public:
  struct Item {
    RowOutcome outcome = RowOutcome::kRow;  // kRow, kRejected or kSkipped.
    bool file_error = false;                // The file could not be opened; `error` says why.
    size_t file = 0;                        // Index into the files given.
    size_t line = 0;                        // 1-based line of the row.
    size_t row = 0;                         // kRow: index into Batch::rows.
    std::string error;
  };
  struct Batch {
    std::vector<TableRow> rows;
    std::vector<Item> items;  // In file order.
  };

  // Starts reading; `coder` must outlive the reader.
  TableBatchReader(std::vector<std::string> files, TableFormat format, const CameoCoder* coder);
  ~TableBatchReader();
  TableBatchReader(const TableBatchReader&) = delete;
  TableBatchReader& operator=(const TableBatchReader&) = delete;

  // The next batch (valid until the next call), or null after the last.
  const Batch* Next();
  // Bytes read from all files; final once Next returned null.
  uint64_t bytes_read() const;

 private:
  void Run();
  static constexpr size_t kBatchRows = 4096;
  std::vector<std::string> files_;
  TableFormat format_;
  const CameoCoder* coder_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  Batch batches_[2];
  std::vector<int> free_ = {0, 1};  // Batches the reader may fill.
  std::vector<int> ready_;          // Filled batches, oldest first.
  int held_ = -1;                   // The batch the caller holds.
  bool done_ = false;               // The reader has handed over its last batch.
  bool stopping_ = false;           // The caller went away.
  uint64_t bytes_ = 0;
  std::thread thread_;
};

}  // namespace kg::ingest
