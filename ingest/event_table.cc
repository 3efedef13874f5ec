#include "ingest/event_table.h"

#include <rapidjson/document.h>

#include <charconv>
#include <cstdlib>
#include <cstring>
#include <filesystem>

#include "graph/date.h"
#include "graph/ids.h"
#include "ingest/dictionary.h"

namespace kg::ingest {
namespace {

// GDELT event export columns (0-based), identical in 1.0 (57 columns, or 58
// with SOURCEURL since April 2013) and 2.0 (61 columns) up to AvgTone.
constexpr size_t kGdeltId = 0;
constexpr size_t kGdeltSqlDate = 1;
constexpr size_t kGdeltActor1Code = 5;
constexpr size_t kGdeltActor1Name = 6;
constexpr size_t kGdeltActor2Code = 15;
constexpr size_t kGdeltActor2Name = 16;
constexpr size_t kGdeltEventCode = 26;
constexpr size_t kGdeltGoldstein = 30;

bool IsGdeltWidth(size_t columns) { return columns == 57 || columns == 58 || columns == 61; }

bool AllDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

void SplitTabs(std::string_view line, std::vector<std::string_view>* out) {
  out->clear();
  size_t start = 0;
  for (;;) {
    const size_t tab = line.find('\t', start);
    if (tab == std::string_view::npos) {
      out->push_back(line.substr(start));
      return;
    }
    out->push_back(line.substr(start, tab - start));
    start = tab + 1;
  }
}

bool ParseDouble(std::string_view s, double* out) {
  if (s.empty()) return false;
  // strtod needs a terminated string; numbers here are short.
  char buf[64];
  if (s.size() >= sizeof buf) return false;
  std::memcpy(buf, s.data(), s.size());
  buf[s.size()] = '\0';
  char* end = nullptr;
  *out = std::strtod(buf, &end);
  return end == buf + s.size();
}

const std::string kEmpty;

}  // namespace

Result<TableFormat> ParseTableFormat(std::string_view name) {
  if (name == "auto") return TableFormat::kAuto;
  if (name == "tsv") return TableFormat::kTsv;
  if (name == "jsonl") return TableFormat::kJsonl;
  if (name == "gdelt") return TableFormat::kGdelt;
  return Status::InvalidArgument("unknown table format '" + std::string(name) +
                                 "' (expected auto, tsv, jsonl or gdelt)");
}

std::string_view TableFormatName(TableFormat format) {
  switch (format) {
    case TableFormat::kAuto:
      return "auto";
    case TableFormat::kTsv:
      return "tsv";
    case TableFormat::kJsonl:
      return "jsonl";
    case TableFormat::kGdelt:
      return "gdelt";
  }
  return "?";
}

// ------------------------------------------------------------- CameoCoder

Result<CameoCoder> CameoCoder::Load(const std::string& data_dir) {
  Dictionaries dict;
  KG_RETURN_IF_ERROR(LoadCameoTsv(data_dir + "/cameo.tsv", &dict.cameo));
  dict.IndexCameo();
  std::vector<VerbEntry> verbs;
  KG_RETURN_IF_ERROR(LoadVerbTsv(data_dir + "/verbs.tsv", dict, &verbs));
  CameoCoder coder;
  for (const CameoEntry& c : dict.cameo) {
    std::string label;
    for (char ch : c.name)
      label.push_back((ch >= 'A' && ch <= 'Z') ? static_cast<char>(ch + 32) : ch);
    coder.by_code_[c.code] = Entry{std::move(label), c.goldstein};
  }
  // Verb labels win over CAMEO names; the first verb listed for a code wins.
  std::unordered_map<std::string, bool> labelled;
  for (const VerbEntry& v : verbs) {
    if (v.cameo.empty() || v.relation.empty() || labelled[v.cameo]) continue;
    labelled[v.cameo] = true;
    auto it = coder.by_code_.find(v.cameo);
    if (it != coder.by_code_.end()) it->second.label = v.relation;
  }
  return coder;
}

const CameoCoder::Entry* CameoCoder::Find(std::string_view code) const {
  std::string key(code);
  while (!key.empty()) {
    auto it = by_code_.find(key);
    if (it != by_code_.end()) return &it->second;
    key.pop_back();
  }
  return nullptr;
}

const std::string& CameoCoder::Label(std::string_view code) const {
  const Entry* e = Find(code);
  return e != nullptr ? e->label : kEmpty;
}

double CameoCoder::Goldstein(std::string_view code) const {
  const Entry* e = Find(code);
  return e != nullptr ? e->goldstein : 0.0;
}

// ------------------------------------------------------------- reader

Result<std::unique_ptr<EventTableReader>> EventTableReader::Open(const std::string& path,
                                                                 TableFormat format,
                                                                 const CameoCoder* coder) {
  std::FILE* file = nullptr;
  bool owned = true;
  if (path == "-") {
    file = stdin;
    owned = false;
  } else {
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec)) {
      return Status::InvalidArgument("'" + path + "' is a directory");
    }
    file = std::fopen(path.c_str(), "rb");
    if (file == nullptr) {
      return Status::IoError("cannot open '" + path + "': " + std::strerror(errno));
    }
  }
  std::unique_ptr<EventTableReader> reader(new EventTableReader(file, owned, path, format, coder));
  if (format == TableFormat::kAuto) {
    std::string ext = std::filesystem::path(path).extension().string();
    if (ext == ".jsonl" || ext == ".json" || ext == ".ndjson") {
      reader->format_ = TableFormat::kJsonl;
    } else if (ext == ".csv" || ext == ".CSV" || ext == ".export") {
      reader->format_ = TableFormat::kGdelt;
    } else {
      // Sniff the first non-comment line.
      reader->format_ = TableFormat::kTsv;
      while (reader->ReadLine()) {
        if (reader->text_.empty() || reader->text_[0] == '#') continue;
        std::vector<std::string_view> fields;
        SplitTabs(reader->text_, &fields);
        if (IsGdeltWidth(fields.size()) && AllDigits(fields[0])) {
          reader->format_ = TableFormat::kGdelt;
        } else if (!reader->text_.empty() && reader->text_[0] == '{') {
          reader->format_ = TableFormat::kJsonl;
        }
        reader->pending_.assign(reader->text_);
        reader->has_pending_ = true;
        break;
      }
      // Lines before the sniffed one are re-counted when the pending line is served.
      reader->line_ -= reader->has_pending_ ? 1 : 0;
    }
  }
  return reader;
}

EventTableReader::EventTableReader(std::FILE* file, bool owned, std::string path,
                                   TableFormat format, const CameoCoder* coder)
    : file_(file),
      owned_(owned),
      path_(std::move(path)),
      base_name_(std::filesystem::path(path_).filename().string()),
      format_(format),
      coder_(coder) {}

EventTableReader::~EventTableReader() {
  std::free(buf_);
  if (owned_ && file_ != nullptr) std::fclose(file_);
}

bool EventTableReader::ReadLine() {
  ++line_;
  if (has_pending_) {
    has_pending_ = false;
    text_ = pending_;
    return true;
  }
  for (;;) {
    const char* start = buf_ + begin_;
    const auto* nl =
        begin_ < end_ ? static_cast<const char*>(std::memchr(start, '\n', end_ - begin_)) : nullptr;
    size_t len = 0;
    if (nl != nullptr) {
      len = static_cast<size_t>(nl - start);
      begin_ += len + 1;
      bytes_ += len + 1;
    } else if (eof_) {
      if (begin_ == end_) {
        --line_;
        return false;
      }
      len = end_ - begin_;  // Last line without a newline.
      begin_ = end_;
      bytes_ += len;
    } else {
      // Keep the partial line, then read more behind it.
      if (begin_ > 0) {
        std::memmove(buf_, buf_ + begin_, end_ - begin_);
        end_ -= begin_;
        begin_ = 0;
      }
      if (end_ == cap_) {
        const size_t cap = cap_ == 0 ? (size_t{1} << 20) : cap_ * 2;
        char* grown = static_cast<char*>(std::realloc(buf_, cap));
        if (grown == nullptr) {
          eof_ = true;  // Out of memory on an absurd line: stop like a read error.
          continue;
        }
        buf_ = grown;
        cap_ = cap;
      }
      const size_t n = std::fread(buf_ + end_, 1, cap_ - end_, file_);
      if (n == 0) eof_ = true;
      end_ += n;
      continue;
    }
    while (len > 0 && (start[len - 1] == '\n' || start[len - 1] == '\r')) --len;
    text_ = std::string_view(start, len);
    return true;
  }
}

void EventTableReader::DefaultDocId(TableRow* row) {
  row->doc.id = base_name_;
  row->doc.id += ':';
  row->doc.id += std::to_string(line_);
}

RowOutcome EventTableReader::Next(TableRow* row, std::string* error) {
  for (;;) {
    if (!ReadLine()) return RowOutcome::kEnd;
    if (text_.empty() || text_[0] == '#') continue;
    switch (format_) {
      case TableFormat::kJsonl:
        return ParseJson(row, error);
      case TableFormat::kGdelt:
        return ParseGdelt(row, error);
      case TableFormat::kAuto:
      case TableFormat::kTsv: {
        // A header line names the first column "source".
        if (text_.starts_with("source\trelation\t")) continue;
        return ParseTsv(row, error);
      }
    }
  }
}

namespace {

// Fills the parts of a row every format shares.
void ResetRow(TableRow* row) {
  row->doc.title.clear();
  row->doc.source.clear();
  row->doc.content_hash = 0;
  row->doc.sentences = 0;
  Event& ev = row->event;
  ev.cameo.clear();
  ev.goldstein = 0.0;
  ev.negated = false;
  ev.modality.clear();
  ev.attributed_to.reset();
  ev.mentions.clear();
  ev.source.code.clear();
  ev.target.code.clear();
}

// Copies `value` into *field, reusing its capacity. std::string::assign
// takes the general replace path (aliasing checks): ~40 % of the parsing
// thread's time on 10 M TSV rows (perf), against a plain append here.
void SetField(std::string* field, std::string_view value) {
  field->clear();
  field->append(value.data(), value.size());
}

void SetActor(ActorRef* ref, std::string_view name) {
  SetField(&ref->name, name);
  SetField(&ref->text, name);
}

}  // namespace

// source relation target date doc [cameo goldstein source_code target_code negated]
RowOutcome EventTableReader::ParseTsv(TableRow* row, std::string* error) {
  SplitTabs(text_, &fields_);
  if (fields_.size() < 3 || fields_.size() > 10) {
    *error =
        "expected 3 to 10 tab-separated columns (source, relation, target, date, doc, "
        "...), found " +
        std::to_string(fields_.size());
    return RowOutcome::kRejected;
  }
  ResetRow(row);
  auto col = [&](size_t i) { return i < fields_.size() ? fields_[i] : std::string_view(); };
  if (col(0).empty() || col(2).empty()) {
    *error = "empty source or target";
    return RowOutcome::kRejected;
  }
  SetActor(&row->event.source, col(0));
  SetActor(&row->event.target, col(2));
  SetField(&row->event.cameo, col(5));
  SetField(&row->event.relation, col(1));
  if (row->event.relation.empty() && coder_ != nullptr) row->event.relation = coder_->Label(col(5));
  if (row->event.relation.empty()) {
    *error = "empty relation (and no known CAMEO code)";
    return RowOutcome::kRejected;
  }
  const std::string_view date = col(3);
  if (date.empty()) {
    row->doc.date = kUnknownDate;
  } else if (date == last_date_text_) {
    row->doc.date = last_date_;
  } else {
    auto parsed = ParseIsoDate(date);
    if (!parsed.ok()) {
      *error = parsed.status().message();
      return RowOutcome::kRejected;
    }
    row->doc.date = last_date_ = *parsed;
    last_date_text_.assign(date);
  }
  if (col(4).empty()) {
    DefaultDocId(row);
  } else {
    SetField(&row->doc.id, col(4));
  }
  if (!col(6).empty()) {
    if (!ParseDouble(col(6), &row->event.goldstein)) {
      *error = "goldstein is not a number: '" + std::string(col(6)) + "'";
      return RowOutcome::kRejected;
    }
  } else if (!col(5).empty() && coder_ != nullptr) {
    row->event.goldstein = coder_->Goldstein(col(5));
  }
  SetField(&row->event.source.code, col(7));
  SetField(&row->event.target.code, col(8));
  const std::string_view neg = col(9);
  if (!neg.empty() && neg != "0" && neg != "1" && neg != "true" && neg != "false") {
    *error = "negated must be 0, 1, true or false";
    return RowOutcome::kRejected;
  }
  row->event.negated = neg == "1" || neg == "true";
  return RowOutcome::kRow;
}

RowOutcome EventTableReader::ParseJson(TableRow* row, std::string* error) {
  rapidjson::Document doc;
  doc.Parse(text_.data(), text_.size());
  if (doc.HasParseError() || !doc.IsObject()) {
    *error = "not a JSON object";
    return RowOutcome::kRejected;
  }
  ResetRow(row);
  auto str = [&](const char* key, std::string* out) -> bool {
    auto it = doc.FindMember(key);
    if (it == doc.MemberEnd() || it->value.IsNull()) {
      out->clear();
      return true;
    }
    if (!it->value.IsString()) return false;
    out->assign(it->value.GetString(), it->value.GetStringLength());
    return true;
  };
  // An actor is a string (its name) or {"name", "code"}.
  auto actor = [&](const char* key, const char* code_key, ActorRef* ref) -> bool {
    auto it = doc.FindMember(key);
    if (it == doc.MemberEnd()) return false;
    if (it->value.IsString()) {
      SetActor(ref, std::string_view(it->value.GetString(), it->value.GetStringLength()));
      return str(code_key, &ref->code);
    }
    if (!it->value.IsObject()) return false;
    auto name = it->value.FindMember("name");
    if (name == it->value.MemberEnd() || !name->value.IsString()) return false;
    SetActor(ref, std::string_view(name->value.GetString(), name->value.GetStringLength()));
    auto code = it->value.FindMember("code");
    if (code != it->value.MemberEnd() && code->value.IsString())
      ref->code = code->value.GetString();
    return true;
  };
  if (!actor("source", "source_code", &row->event.source) ||
      !actor("target", "target_code", &row->event.target) || row->event.source.name.empty() ||
      row->event.target.name.empty()) {
    *error = "\"source\" and \"target\" must be non-empty strings or {\"name\", \"code\"} objects";
    return RowOutcome::kRejected;
  }
  std::string date;
  if (!str("relation", &row->event.relation) || !str("cameo", &row->event.cameo) ||
      !str("date", &date) || !str("doc", &row->doc.id)) {
    *error = "\"relation\", \"cameo\", \"date\" and \"doc\" must be strings";
    return RowOutcome::kRejected;
  }
  if (row->event.relation.empty() && coder_ != nullptr) {
    row->event.relation = coder_->Label(row->event.cameo);
  }
  if (row->event.relation.empty()) {
    *error = "empty relation (and no known CAMEO code)";
    return RowOutcome::kRejected;
  }
  row->doc.date = kUnknownDate;
  if (!date.empty()) {
    auto parsed = ParseIsoDate(date);
    if (!parsed.ok()) {
      *error = parsed.status().message();
      return RowOutcome::kRejected;
    }
    row->doc.date = *parsed;
  }
  if (row->doc.id.empty()) DefaultDocId(row);
  auto g = doc.FindMember("goldstein");
  if (g != doc.MemberEnd() && !g->value.IsNull()) {
    if (!g->value.IsNumber()) {
      *error = "\"goldstein\" must be a number";
      return RowOutcome::kRejected;
    }
    row->event.goldstein = g->value.GetDouble();
  } else if (!row->event.cameo.empty() && coder_ != nullptr) {
    row->event.goldstein = coder_->Goldstein(row->event.cameo);
  }
  auto n = doc.FindMember("negated");
  if (n != doc.MemberEnd() && !n->value.IsNull()) {
    if (!n->value.IsBool()) {
      *error = "\"negated\" must be true or false";
      return RowOutcome::kRejected;
    }
    row->event.negated = n->value.GetBool();
  }
  return RowOutcome::kRow;
}

RowOutcome EventTableReader::ParseGdelt(TableRow* row, std::string* error) {
  SplitTabs(text_, &fields_);
  if (!IsGdeltWidth(fields_.size())) {
    *error = "expected 57 or 58 (GDELT 1.0) or 61 (GDELT 2.0) tab-separated columns, found " +
             std::to_string(fields_.size());
    return RowOutcome::kRejected;
  }
  ResetRow(row);
  if (!AllDigits(fields_[kGdeltId])) {
    *error =
        "GLOBALEVENTID is not a number: '" + std::string(fields_[kGdeltId].substr(0, 40)) + "'";
    return RowOutcome::kRejected;
  }
  auto date = ParseIsoDate(fields_[kGdeltSqlDate]);
  if (!date.ok()) {
    *error = "SQLDATE: " + date.status().message();
    return RowOutcome::kRejected;
  }
  const std::string_view code = fields_[kGdeltEventCode];
  if (!AllDigits(code)) {
    *error = "EventCode is not a CAMEO code: '" + std::string(code.substr(0, 40)) + "'";
    return RowOutcome::kRejected;
  }
  std::string_view a1 = fields_[kGdeltActor1Name], a2 = fields_[kGdeltActor2Name];
  if (a1.empty()) a1 = fields_[kGdeltActor1Code];
  if (a2.empty()) a2 = fields_[kGdeltActor2Code];
  if (a1.empty() || a2.empty()) {
    *error = "one-sided event (no Actor1 or Actor2)";
    return RowOutcome::kSkipped;
  }
  row->doc.id = "gdelt:";
  row->doc.id += fields_[kGdeltId];
  row->doc.date = *date;
  if (fields_.size() != 57) row->doc.source.assign(fields_.back());
  SetActor(&row->event.source, a1);
  SetActor(&row->event.target, a2);
  SetField(&row->event.source.code, fields_[kGdeltActor1Code]);
  SetField(&row->event.target.code, fields_[kGdeltActor2Code]);
  SetField(&row->event.cameo, code);
  row->event.relation = coder_ != nullptr ? coder_->Label(code) : std::string();
  if (row->event.relation.empty()) row->event.relation = "cameo " + std::string(code);
  const std::string_view g = fields_[kGdeltGoldstein];
  if (g.empty()) {
    row->event.goldstein = coder_ != nullptr ? coder_->Goldstein(code) : 0.0;
  } else if (!ParseDouble(g, &row->event.goldstein)) {
    *error = "GoldsteinScale is not a number: '" + std::string(g.substr(0, 40)) + "'";
    return RowOutcome::kRejected;
  }
  return RowOutcome::kRow;
}

TableBatchReader::TableBatchReader(std::vector<std::string> files, TableFormat format,
                                   const CameoCoder* coder)
    : files_(std::move(files)), format_(format), coder_(coder) {
  thread_ = std::thread([this] { Run(); });
}

TableBatchReader::~TableBatchReader() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

void TableBatchReader::Run() {
  Batch* batch = nullptr;
  int slot = -1;
  size_t rows = 0;
  // Waits for a free batch; false when the caller is gone.
  auto take = [&]() -> bool {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait(lock, [&] { return stopping_ || !free_.empty(); });
    if (stopping_) return false;
    slot = free_.back();
    free_.pop_back();
    batch = &batches_[slot];
    batch->items.clear();
    rows = 0;
    return true;
  };
  auto hand_over = [&](bool last) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (!batch->items.empty()) ready_.push_back(slot);
      done_ = last;
    }
    cv_.notify_all();
  };
  if (!take()) return;
  uint64_t bytes = 0;
  for (size_t f = 0; f < files_.size(); ++f) {
    auto reader = EventTableReader::Open(files_[f], format_, coder_);
    if (!reader.ok()) {
      Item item;
      item.file_error = true;
      item.outcome = RowOutcome::kRejected;
      item.file = f;
      item.error = reader.status().message();
      batch->items.push_back(std::move(item));
      continue;
    }
    for (;;) {
      if (batch->rows.size() <= rows) batch->rows.resize(rows + 1);
      Item item;
      item.outcome = (*reader)->Next(&batch->rows[rows], &item.error);
      if (item.outcome == RowOutcome::kEnd) break;
      item.file = f;
      item.line = (*reader)->line();
      if (item.outcome == RowOutcome::kRow) {
        // Hashed here, off the caller's thread.
        TableRow& row = batch->rows[rows];
        row.doc_key = DocKeyFor(row.doc.id);
        row.source_hash = Hash64(row.event.source.name);
        row.target_hash = Hash64(row.event.target.name);
        row.relation_hash = Hash64(row.event.relation);
        item.row = rows++;
      }
      batch->items.push_back(std::move(item));
      if (rows == kBatchRows || batch->items.size() >= 4 * kBatchRows) {
        hand_over(false);
        if (!take()) return;
      }
    }
    bytes += (*reader)->bytes_read();
  }
  {
    std::lock_guard<std::mutex> lock(mu_);
    bytes_ = bytes;
  }
  hand_over(true);
}

const TableBatchReader::Batch* TableBatchReader::Next() {
  std::unique_lock<std::mutex> lock(mu_);
  if (held_ >= 0) {
    free_.push_back(held_);
    held_ = -1;
    cv_.notify_all();
  }
  cv_.wait(lock, [&] { return !ready_.empty() || done_; });
  if (ready_.empty()) return nullptr;
  held_ = ready_.front();
  ready_.erase(ready_.begin());
  return &batches_[held_];
}

uint64_t TableBatchReader::bytes_read() const {
  std::lock_guard<std::mutex> lock(mu_);
  return bytes_;
}

}  // namespace kg::ingest
