// Internal: the syntax tree the parser produces and the planner annotates.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "query/query.h"

namespace kg::query {

enum class ExprKind { kLiteral, kVariable, kProperty, kCall, kUnary, kBinary, kList, kCountStar };

enum class Op {
  kNone,
  kOr,
  kXor,
  kAnd,
  kNot,
  kNeg,
  kEq,
  kNe,
  kLt,
  kLe,
  kGt,
  kGe,
  kStartsWith,
  kEndsWith,
  kContains,
  kIn,
  kIsNull,
  kIsNotNull,
  kAdd,
  kSub,
  kMul,
  kDiv,
  kMod,
};

// What a variable names; the planner resolves every kVariable/kProperty.
enum class VarKind { kUnresolved, kNode, kEdge, kHops, kPath };

struct Expr {
  ExprKind kind = ExprKind::kLiteral;
  Op op = Op::kNone;
  Value literal;         // kLiteral.
  std::string name;      // Variable (kVariable, kProperty) or lower-case function name (kCall).
  std::string property;  // kProperty: the key after the dot.
  std::vector<std::unique_ptr<Expr>> args;  // Operands, call arguments or list items.
  bool distinct = false;                    // count(DISTINCT x).
  // Source position, for errors and column names.
  size_t begin = 0, end = 0;
  int line = 1, column = 1;
  // Filled by the planner.
  VarKind var_kind = VarKind::kUnresolved;
  int slot = -1;
};
using ExprPtr = std::unique_ptr<Expr>;

enum class RelDirection { kOut, kIn, kBoth };  // -[]->, <-[]-, -[]-

struct PropertyEntry {
  std::string key;
  ExprPtr value;
};

struct NodePattern {
  std::string var;  // "" when anonymous (the planner names it).
  std::string label;
  std::vector<PropertyEntry> properties;
  int line = 1, column = 1;
};

struct RelPattern {
  std::string var;
  std::vector<std::string> types;  // Alternatives: [:accuse|blame].
  RelDirection direction = RelDirection::kOut;
  bool variable_length = false;  // [*min..max]
  int min_hops = 1;
  std::optional<int> max_hops;  // Unset: unbounded (refused by the planner).
  std::vector<PropertyEntry> properties;
  int line = 1, column = 1;
};

enum class PathSelector { kNone, kShortest, kAllShortest };

// (n0)-[r0]-(n1)-[r1]-(n2)...: rels[i] joins nodes[i] and nodes[i+1].
struct PathPattern {
  std::string path_var;  // p = ...
  PathSelector selector = PathSelector::kNone;
  std::vector<NodePattern> nodes;
  std::vector<RelPattern> rels;
  int line = 1, column = 1;
};

struct ReturnItem {
  ExprPtr expr;
  std::string alias;  // AS name; else the expression's source text.
};

struct OrderItem {
  ExprPtr expr;
  bool descending = false;
};

struct Query {
  bool explain = false;
  std::vector<PathPattern> patterns;
  ExprPtr where;
  bool distinct = false;
  std::vector<ReturnItem> items;
  std::vector<OrderItem> order_by;
  std::optional<int64_t> limit;
};

}  // namespace kg::query
