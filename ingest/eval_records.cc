#include "ingest/eval_records.h"

#include <cstdio>

#include "rapidjson/error/en.h"

namespace kg::ingest::evalrec {

Status ForEachRecord(std::string_view jsonl, std::string_view name, bool validate_utf8,
                     const std::function<Status(const Loc&, const rapidjson::Value&)>& fn) {
  size_t pos = 0;
  size_t line_no = 0;
  while (pos < jsonl.size()) {
    size_t end = jsonl.find('\n', pos);
    if (end == std::string_view::npos) end = jsonl.size();
    std::string_view line = jsonl.substr(pos, end - pos);
    pos = end + 1;
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.find_first_not_of(" \t\r") == std::string_view::npos) continue;
    Loc loc{name, line_no};
    rapidjson::Document doc;
    if (validate_utf8) {
      doc.Parse<rapidjson::kParseValidateEncodingFlag>(line.data(), line.size());
    } else {
      doc.Parse(line.data(), line.size());
    }
    if (doc.HasParseError()) {
      return loc.Error(std::string("malformed JSON: ") +
                       rapidjson::GetParseError_En(doc.GetParseError()) + " (at byte " +
                       std::to_string(doc.GetErrorOffset()) + ")");
    }
    if (!doc.IsObject()) return loc.Error("expected a JSON object");
    KG_RETURN_IF_ERROR(fn(loc, doc));
  }
  return Status::Ok();
}

const rapidjson::Value* Find(const rapidjson::Value& obj, const char* key) {
  if (!obj.IsObject()) return nullptr;
  auto it = obj.FindMember(key);
  return it == obj.MemberEnd() ? nullptr : &it->value;
}

std::string Fixed3(double v) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.3f", v);
  return buf;
}

std::string Clip(std::string_view s, size_t max) {
  std::string out;
  for (char c : s) out += (c == '\n' || c == '\r' || c == '\t') ? ' ' : c;
  if (out.size() <= max) return out;
  size_t cut = max;
  while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80) --cut;
  out.resize(cut);
  return out + "...";
}

std::string DocumentsLine(const EvalReport& r) {
  std::string s = "documents: " + std::to_string(r.documents);
  if (r.documents_without_pred > 0) {
    s += " (" + std::to_string(r.documents_without_pred) + " without a prediction record)";
  }
  if (r.unused_pred_records > 0) {
    s += "; " + std::to_string(r.unused_pred_records) + " prediction record(s) not in the gold";
  }
  return s + "\n";
}

}  // namespace kg::ingest::evalrec
