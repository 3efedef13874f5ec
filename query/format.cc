// Table, JSON Lines and TSV renderings of a ResultTable.
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>

#include "query/query.h"

namespace kg::query {
namespace {

// Display width in code points (UTF-8 continuation bytes do not count).
size_t DisplayWidth(std::string_view s) {
  size_t n = 0;
  for (unsigned char c : s) {
    if ((c & 0xC0) != 0x80) ++n;
  }
  return n;
}

std::string OneLine(std::string s) {
  for (char& c : s) {
    if (c == '\t' || c == '\n' || c == '\r') c = ' ';
  }
  return s;
}

void WriteJsonValue(const Value& v, rapidjson::Writer<rapidjson::StringBuffer>* w) {
  switch (v.kind()) {
    case Value::Kind::kNull:
      w->Null();
      break;
    case Value::Kind::kBool:
      w->Bool(v.AsBool());
      break;
    case Value::Kind::kInt:
      w->Int64(v.AsInt());
      break;
    case Value::Kind::kDouble:
      w->Double(v.AsDouble());
      break;
    case Value::Kind::kString:
      w->String(v.AsString().data(), static_cast<rapidjson::SizeType>(v.AsString().size()));
      break;
    case Value::Kind::kList:
      w->StartArray();
      for (const Value& item : v.AsList()) WriteJsonValue(item, w);
      w->EndArray();
      break;
  }
}

}  // namespace

std::string FormatTable(const ResultTable& table) {
  constexpr size_t kMaxCellWidth = 120;
  std::vector<std::vector<std::string>> cells;
  cells.reserve(table.rows.size());
  std::vector<size_t> widths;
  for (const auto& c : table.columns) widths.push_back(DisplayWidth(c));
  for (const auto& row : table.rows) {
    std::vector<std::string> line;
    for (size_t i = 0; i < row.size() && i < widths.size(); ++i) {
      std::string text = OneLine(row[i].ToString());
      if (DisplayWidth(text) > kMaxCellWidth) {
        // Cut on a code point boundary.
        size_t cut = 0, seen = 0;
        while (cut < text.size() && seen < kMaxCellWidth - 3) {
          ++cut;
          while (cut < text.size() && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) ++cut;
          ++seen;
        }
        text = text.substr(0, cut) + "...";
      }
      widths[i] = std::max(widths[i], DisplayWidth(text));
      line.push_back(std::move(text));
    }
    cells.push_back(std::move(line));
  }
  auto pad = [](const std::string& s, size_t width) {
    return s + std::string(width - std::min(width, DisplayWidth(s)), ' ');
  };
  std::string out;
  for (size_t i = 0; i < table.columns.size(); ++i) {
    if (i > 0) out += " | ";
    out += pad(table.columns[i], widths[i]);
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  out += "\n";
  for (size_t i = 0; i < widths.size(); ++i) {
    if (i > 0) out += "-+-";
    out += std::string(widths[i], '-');
  }
  out += "\n";
  for (const auto& line : cells) {
    std::string text;
    for (size_t i = 0; i < line.size(); ++i) {
      if (i > 0) text += " | ";
      text += pad(line[i], widths[i]);
    }
    while (!text.empty() && text.back() == ' ') text.pop_back();
    out += text + "\n";
  }
  out += "(" + std::to_string(table.rows.size()) + (table.rows.size() == 1 ? " row)" : " rows)");
  if (!table.next_cursor.empty()) {
    out += "; more rows: add --after " + table.next_cursor;
  }
  out += "\n";
  return out;
}

std::string FormatJsonLines(const ResultTable& table) {
  std::string out;
  for (const auto& row : table.rows) {
    rapidjson::StringBuffer buf;
    rapidjson::Writer<rapidjson::StringBuffer> w(buf);
    w.StartObject();
    for (size_t i = 0; i < row.size() && i < table.columns.size(); ++i) {
      const std::string& key = table.columns[i];
      w.Key(key.data(), static_cast<rapidjson::SizeType>(key.size()));
      WriteJsonValue(row[i], &w);
    }
    w.EndObject();
    out.append(buf.GetString(), buf.GetSize());
    out += "\n";
  }
  if (!table.next_cursor.empty()) {
    rapidjson::StringBuffer buf;
    rapidjson::Writer<rapidjson::StringBuffer> w(buf);
    w.StartObject();
    w.Key("_next_cursor");
    w.String(table.next_cursor.data(), static_cast<rapidjson::SizeType>(table.next_cursor.size()));
    w.EndObject();
    out.append(buf.GetString(), buf.GetSize());
    out += "\n";
  }
  return out;
}

std::string FormatTsv(const ResultTable& table, bool header) {
  std::string out;
  if (header) {
    for (size_t i = 0; i < table.columns.size(); ++i) {
      if (i > 0) out += "\t";
      out += OneLine(table.columns[i]);
    }
    out += "\n";
  }
  for (const auto& row : table.rows) {
    for (size_t i = 0; i < row.size(); ++i) {
      if (i > 0) out += "\t";
      out += OneLine(row[i].ToString());
    }
    out += "\n";
  }
  return out;
}

}  // namespace kg::query
