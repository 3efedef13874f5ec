// Value: the cell type of query results.
#include <charconv>
#include <cmath>

#include "query/query.h"

namespace kg::query {

Value Value::Bool(bool b) {
  Value v;
  v.kind_ = Kind::kBool;
  v.int_ = b ? 1 : 0;
  return v;
}

Value Value::Int(int64_t i) {
  Value v;
  v.kind_ = Kind::kInt;
  v.int_ = i;
  return v;
}

Value Value::Double(double d) {
  Value v;
  v.kind_ = Kind::kDouble;
  v.double_ = d;
  return v;
}

Value Value::String(std::string s) {
  Value v;
  v.kind_ = Kind::kString;
  v.string_ = std::move(s);
  return v;
}

Value Value::List(std::vector<Value> items) {
  Value v;
  v.kind_ = Kind::kList;
  v.list_ = std::move(items);
  return v;
}

namespace {

std::string FormatDouble(double d) {
  if (std::isnan(d)) return "NaN";
  if (std::isinf(d)) return d > 0 ? "Infinity" : "-Infinity";
  // Six significant decimals are plenty for scores and keep golden files stable.
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.6g", d);
  std::string out = buf;
  if (out.find_first_of(".eEn") == std::string::npos) out += ".0";
  return out;
}

int Rank(Value::Kind kind) {
  switch (kind) {
    case Value::Kind::kNull:
      return 0;
    case Value::Kind::kBool:
      return 1;
    case Value::Kind::kInt:
    case Value::Kind::kDouble:
      return 2;
    case Value::Kind::kString:
      return 3;
    case Value::Kind::kList:
      return 4;
  }
  return 5;
}

}  // namespace

std::string Value::ToString() const {
  switch (kind_) {
    case Kind::kNull:
      return "";
    case Kind::kBool:
      return int_ ? "true" : "false";
    case Kind::kInt:
      return std::to_string(int_);
    case Kind::kDouble:
      return FormatDouble(double_);
    case Kind::kString:
      return string_;
    case Kind::kList: {
      std::string out = "[";
      for (size_t i = 0; i < list_.size(); ++i) {
        if (i > 0) out += ", ";
        out += list_[i].ToString();
      }
      out += "]";
      return out;
    }
  }
  return "";
}

int Compare(const Value& a, const Value& b) {
  const int ra = Rank(a.kind_), rb = Rank(b.kind_);
  if (ra != rb) return ra < rb ? -1 : 1;
  switch (a.kind_) {
    case Value::Kind::kNull:
      return 0;
    case Value::Kind::kBool:
      return a.int_ == b.int_ ? 0 : (a.int_ < b.int_ ? -1 : 1);
    case Value::Kind::kInt:
    case Value::Kind::kDouble:
      if (a.kind_ == Value::Kind::kInt && b.kind_ == Value::Kind::kInt) {
        return a.int_ == b.int_ ? 0 : (a.int_ < b.int_ ? -1 : 1);
      } else {
        const double x = a.AsDouble(), y = b.AsDouble();
        if (x < y) return -1;
        if (x > y) return 1;
        return 0;
      }
    case Value::Kind::kString: {
      const int c = a.string_.compare(b.string_);
      return c == 0 ? 0 : (c < 0 ? -1 : 1);
    }
    case Value::Kind::kList: {
      const size_t n = std::min(a.list_.size(), b.list_.size());
      for (size_t i = 0; i < n; ++i) {
        const int c = Compare(a.list_[i], b.list_[i]);
        if (c != 0) return c;
      }
      if (a.list_.size() == b.list_.size()) return 0;
      return a.list_.size() < b.list_.size() ? -1 : 1;
    }
  }
  return 0;
}

}  // namespace kg::query
