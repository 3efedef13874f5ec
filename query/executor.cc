// Executor: runs plan operators depth-first over index scans, evaluates
// expressions, groups, sorts with a bounded top-k and cuts keyset pages.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <map>
#include <memory>
#include <set>
#include <tuple>
#include <unordered_map>
#include <unordered_set>

#include "graph/date.h"
#include "graph/ids.h"
#include "query/plan.h"

namespace kg::query {
namespace {

// ---------------------------------------------------------------- evaluation

struct EvalEnv {
  GraphContext& ctx;
  const Binding& binding;
  Status status;
  // Per-hop evaluation of a variable-length relationship: properties of the
  // hops slot `hop_slot` read `hop_edge`.
  int hop_slot = -1;
  const EdgeEntry* hop_edge = nullptr;

  void Fail(Status s) {
    if (status.ok()) status = std::move(s);
  }
};

Value Str(std::string s) { return Value::String(std::move(s)); }

std::string HopText(GraphContext& ctx, const std::vector<Hop>& hops, Status* status) {
  if (hops.empty()) return "";
  std::string out;
  auto name = [&](ActorId id) {
    auto r = ctx.ActorName(id);
    if (!r.ok()) {
      *status = r.status();
      return std::string();
    }
    return *r;
  };
  out = name(hops[0].from);
  for (const Hop& h : hops) {
    auto rel = ctx.RelationName(h.relation);
    if (!rel.ok()) *status = rel.status();
    const std::string rel_name = rel.ok() ? *rel : "";
    if (h.source == h.from) {
      out += " -[" + rel_name + "]-> ";
    } else {
      out += " <-[" + rel_name + "]- ";
    }
    out += name(h.to);
  }
  return out;
}

Value NodeProperty(EvalEnv& env, ActorId id, const std::string& prop) {
  if (id == 0) return Value::Null();
  auto rec = env.ctx.Actor(id);
  if (!rec.ok()) {
    env.Fail(rec.status());
    return Value::Null();
  }
  const ActorRecord& a = **rec;
  if (prop == "name") return Str(a.name);
  if (prop == "code") return a.code.empty() ? Value::Null() : Str(a.code);
  if (prop == "type") return Str(std::string(ActorTypeName(a.type)));
  if (prop == "id") {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(id));
    return Str(buf);
  }
  if (prop == "aliases") {
    std::vector<Value> items;
    for (const auto& alias : a.aliases) items.push_back(Str(alias));
    return Value::List(std::move(items));
  }
  return Value::Null();
}

Value EdgeProperty(EvalEnv& env, const EdgeEntry& e, const std::string& prop) {
  GraphContext& ctx = env.ctx;
  if (prop == "relation" || prop == "type") {
    auto name = ctx.RelationName(e.relation);
    if (!name.ok()) env.Fail(name.status());
    return name.ok() ? Str(*name) : Value::Null();
  }
  if (prop == "cameo") return e.cameo.empty() ? Value::Null() : Str(e.cameo);
  if (prop == "root") return e.cameo.size() < 2 ? Value::Null() : Str(e.cameo.substr(0, 2));
  if (prop == "quad_class" || prop == "quad") {
    auto q = QuadClassOfCameo(e.cameo);
    if (!q) return Value::Null();
    if (prop == "quad_class") return Value::Int(static_cast<int>(*q));
    return Str(std::string(QuadClassName(*q)));
  }
  if (prop == "goldstein") return Value::Double(e.goldstein);
  if (prop == "date") return e.date == kUnknownDate ? Value::Null() : Str(FormatIsoDate(e.date));
  if (prop == "negated") return Value::Bool(e.negated);
  if (prop == "events") return Value::Int(1);
  if (prop == "attributed_to" && e.attributed_to == 0) return Value::Null();
  if (prop == "source" || prop == "publisher" || prop == "title") {
    auto doc = ctx.DocumentOf(e.event);
    if (!doc.ok()) {
      env.Fail(doc.status());
      return Value::Null();
    }
    if (*doc == nullptr) return Value::Null();
    const std::string& v = prop == "title" ? (*doc)->title : (*doc)->source;
    return v.empty() ? Value::Null() : Str(v);
  }
  // The rest needs the stored event.
  auto ev = ctx.Event(e.event);
  if (!ev.ok()) {
    env.Fail(ev.status());
    return Value::Null();
  }
  if (*ev == nullptr) return Value::Null();
  const StoredEvent& s = **ev;
  if (prop == "attributed_to")
    return s.event.attributed_to ? Str(*s.event.attributed_to) : Value::Null();
  if (prop == "document" || prop == "doc") return Str(s.doc_id);
  if (prop == "mentions") return Value::Int(static_cast<int64_t>(s.event.mentions.size()));
  if (s.event.mentions.empty()) return Value::Null();
  if (prop == "quote") return Str(s.event.mentions[0].quote);
  if (prop == "sentence") return Value::Int(s.event.mentions[0].sentence);
  return Value::Null();
}

std::string EdgeText(EvalEnv& env, const EdgeEntry& e) {
  auto src = env.ctx.ActorName(e.source);
  auto rel = env.ctx.RelationName(e.relation);
  auto tgt = env.ctx.ActorName(e.target);
  if (!src.ok() || !rel.ok() || !tgt.ok()) {
    env.Fail(!src.ok() ? src.status() : (!rel.ok() ? rel.status() : tgt.status()));
    return "";
  }
  return *src + " -[" + *rel + "]-> " + *tgt;
}

const std::vector<Hop>* HopsOf(EvalEnv& env, const Expr& e) {
  if ((e.var_kind == VarKind::kHops || e.var_kind == VarKind::kPath) &&
      e.kind == ExprKind::kVariable) {
    return &env.binding.hops[e.slot];
  }
  return nullptr;
}

Value Eval(const Expr& e, EvalEnv& env);

int Truth(const Value& v) {  // 1 true, 0 false, -1 null/unknown.
  if (v.kind() != Value::Kind::kBool) return -1;
  return v.AsBool() ? 1 : 0;
}

Value Comparison(Op op, const Value& a, const Value& b) {
  if (a.is_null() || b.is_null()) return Value::Null();
  const bool comparable = (a.is_number() && b.is_number()) || a.kind() == b.kind();
  if (op == Op::kEq) return Value::Bool(comparable && Compare(a, b) == 0);
  if (op == Op::kNe) return Value::Bool(!comparable || Compare(a, b) != 0);
  if (!comparable) return Value::Null();
  const int c = Compare(a, b);
  switch (op) {
    case Op::kLt:
      return Value::Bool(c < 0);
    case Op::kLe:
      return Value::Bool(c <= 0);
    case Op::kGt:
      return Value::Bool(c > 0);
    case Op::kGe:
      return Value::Bool(c >= 0);
    default:
      return Value::Null();
  }
}

Value Arithmetic(Op op, const Value& a, const Value& b) {
  if (a.is_null() || b.is_null()) return Value::Null();
  if (op == Op::kAdd && a.kind() == Value::Kind::kString && b.kind() == Value::Kind::kString) {
    return Str(a.AsString() + b.AsString());
  }
  if (!a.is_number() || !b.is_number()) return Value::Null();
  if (a.kind() == Value::Kind::kInt && b.kind() == Value::Kind::kInt) {
    const int64_t x = a.AsInt(), y = b.AsInt();
    switch (op) {
      case Op::kAdd:
        return Value::Int(x + y);
      case Op::kSub:
        return Value::Int(x - y);
      case Op::kMul:
        return Value::Int(x * y);
      case Op::kDiv:
        return y == 0 ? Value::Null() : Value::Int(x / y);
      case Op::kMod:
        return y == 0 ? Value::Null() : Value::Int(x % y);
      default:
        return Value::Null();
    }
  }
  const double x = a.AsDouble(), y = b.AsDouble();
  switch (op) {
    case Op::kAdd:
      return Value::Double(x + y);
    case Op::kSub:
      return Value::Double(x - y);
    case Op::kMul:
      return Value::Double(x * y);
    case Op::kDiv:
      return y == 0 ? Value::Null() : Value::Double(x / y);
    case Op::kMod:
      return y == 0 ? Value::Null() : Value::Double(std::fmod(x, y));
    default:
      return Value::Null();
  }
}

Value CallFunction(const Expr& e, EvalEnv& env) {
  const std::string& f = e.name;
  if (e.args.empty()) {
    env.Fail(Status::InvalidArgument(f + "() needs an argument"));
    return Value::Null();
  }
  const Expr& arg = *e.args[0];
  if (f == "type" || f == "relations" || f == "relationships") {
    if (arg.kind == ExprKind::kVariable && arg.var_kind == VarKind::kEdge && f == "type") {
      return EdgeProperty(env, env.binding.edges[arg.slot], "relation");
    }
    if (const auto* hops = HopsOf(env, arg)) {
      std::vector<Value> items;
      for (const Hop& h : *hops) {
        auto name = env.ctx.RelationName(h.relation);
        if (!name.ok()) env.Fail(name.status());
        items.push_back(Str(name.ok() ? *name : ""));
      }
      return Value::List(std::move(items));
    }
    if (arg.kind == ExprKind::kVariable && arg.var_kind == VarKind::kEdge) {
      return Value::List({EdgeProperty(env, env.binding.edges[arg.slot], "relation")});
    }
    env.Fail(Status::InvalidArgument(f + "() takes a relationship or path variable"));
    return Value::Null();
  }
  if (f == "nodes") {
    if (const auto* hops = HopsOf(env, arg)) {
      std::vector<Value> items;
      for (size_t i = 0; i < hops->size(); ++i) {
        if (i == 0) items.push_back(NodeProperty(env, (*hops)[0].from, "name"));
        items.push_back(NodeProperty(env, (*hops)[i].to, "name"));
      }
      return Value::List(std::move(items));
    }
    env.Fail(Status::InvalidArgument("nodes() takes a path or variable-length relationship"));
    return Value::Null();
  }
  if (f == "startnode" || f == "endnode") {
    if (arg.kind == ExprKind::kVariable && arg.var_kind == VarKind::kEdge) {
      const EdgeEntry& edge = env.binding.edges[arg.slot];
      return NodeProperty(env, f == "startnode" ? edge.source : edge.target, "name");
    }
    if (const auto* hops = HopsOf(env, arg)) {
      if (hops->empty()) return Value::Null();
      return NodeProperty(env, f == "startnode" ? hops->front().from : hops->back().to, "name");
    }
    env.Fail(Status::InvalidArgument(f + "() takes a relationship or path"));
    return Value::Null();
  }
  if (f == "length" || f == "size") {
    if (const auto* hops = HopsOf(env, arg)) return Value::Int(static_cast<int64_t>(hops->size()));
    const Value v = Eval(arg, env);
    if (v.kind() == Value::Kind::kList) return Value::Int(static_cast<int64_t>(v.AsList().size()));
    if (v.kind() == Value::Kind::kString)
      return Value::Int(static_cast<int64_t>(v.AsString().size()));
    return Value::Null();
  }
  if (f == "coalesce") {
    for (const auto& a : e.args) {
      Value v = Eval(*a, env);
      if (!v.is_null()) return v;
    }
    return Value::Null();
  }
  const Value v = Eval(arg, env);
  if (f == "lower" || f == "tolower" || f == "upper" || f == "toupper") {
    if (v.kind() != Value::Kind::kString) return Value::Null();
    std::string s = v.AsString();
    const bool up = f == "upper" || f == "toupper";
    for (char& c : s)
      c = static_cast<char>(up ? std::toupper(static_cast<unsigned char>(c))
                               : std::tolower(static_cast<unsigned char>(c)));
    return Str(s);
  }
  if (f == "tostring") return v.is_null() ? v : Str(v.ToString());
  if (f == "abs") {
    if (v.kind() == Value::Kind::kInt) return Value::Int(v.AsInt() < 0 ? -v.AsInt() : v.AsInt());
    if (v.kind() == Value::Kind::kDouble) return Value::Double(std::fabs(v.AsDouble()));
    return Value::Null();
  }
  env.Fail(Status::InvalidArgument("aggregate " + f + "() is only allowed as a RETURN item"));
  return Value::Null();
}

Value Eval(const Expr& e, EvalEnv& env) {
  switch (e.kind) {
    case ExprKind::kLiteral:
      return e.literal;
    case ExprKind::kList: {
      std::vector<Value> items;
      for (const auto& a : e.args) items.push_back(Eval(*a, env));
      return Value::List(std::move(items));
    }
    case ExprKind::kVariable:
      switch (e.var_kind) {
        case VarKind::kNode:
          return NodeProperty(env, env.binding.nodes[e.slot], "name");
        case VarKind::kEdge:
          return Str(EdgeText(env, env.binding.edges[e.slot]));
        case VarKind::kHops:
        case VarKind::kPath: {
          Status s;
          std::string text = HopText(env.ctx, env.binding.hops[e.slot], &s);
          if (!s.ok()) env.Fail(s);
          return Str(std::move(text));
        }
        case VarKind::kUnresolved:
          break;
      }
      env.Fail(Status::Internal("unresolved variable '" + e.name + "'"));
      return Value::Null();
    case ExprKind::kProperty:
      switch (e.var_kind) {
        case VarKind::kNode:
          return NodeProperty(env, env.binding.nodes[e.slot], e.property);
        case VarKind::kEdge:
          return EdgeProperty(env, env.binding.edges[e.slot], e.property);
        case VarKind::kHops:
          if (e.slot == env.hop_slot && env.hop_edge != nullptr)
            return EdgeProperty(env, *env.hop_edge, e.property);
          break;
        default:
          break;
      }
      env.Fail(Status::InvalidArgument("cannot read property '" + e.property + "' of '" + e.name +
                                       "' here"));
      return Value::Null();
    case ExprKind::kCall:
      return CallFunction(e, env);
    case ExprKind::kCountStar:
      env.Fail(Status::InvalidArgument("count(*) is only allowed as a RETURN item"));
      return Value::Null();
    case ExprKind::kUnary: {
      const Value v = Eval(*e.args[0], env);
      switch (e.op) {
        case Op::kNot: {
          const int t = Truth(v);
          return t < 0 ? Value::Null() : Value::Bool(t == 0);
        }
        case Op::kNeg:
          if (v.kind() == Value::Kind::kInt) return Value::Int(-v.AsInt());
          if (v.kind() == Value::Kind::kDouble) return Value::Double(-v.AsDouble());
          return Value::Null();
        case Op::kIsNull:
          return Value::Bool(v.is_null());
        case Op::kIsNotNull:
          return Value::Bool(!v.is_null());
        default:
          return Value::Null();
      }
    }
    case ExprKind::kBinary: {
      if (e.op == Op::kAnd || e.op == Op::kOr || e.op == Op::kXor) {
        const int a = Truth(Eval(*e.args[0], env));
        if (e.op == Op::kAnd && a == 0) return Value::Bool(false);
        if (e.op == Op::kOr && a == 1) return Value::Bool(true);
        const int b = Truth(Eval(*e.args[1], env));
        if (e.op == Op::kAnd) {
          if (b == 0) return Value::Bool(false);
          return (a < 0 || b < 0) ? Value::Null() : Value::Bool(true);
        }
        if (e.op == Op::kOr) {
          if (b == 1) return Value::Bool(true);
          return (a < 0 || b < 0) ? Value::Null() : Value::Bool(false);
        }
        return (a < 0 || b < 0) ? Value::Null() : Value::Bool(a != b);
      }
      const Value a = Eval(*e.args[0], env);
      const Value b = Eval(*e.args[1], env);
      switch (e.op) {
        case Op::kEq:
        case Op::kNe:
        case Op::kLt:
        case Op::kLe:
        case Op::kGt:
        case Op::kGe:
          return Comparison(e.op, a, b);
        case Op::kStartsWith:
        case Op::kEndsWith:
        case Op::kContains: {
          if (a.kind() != Value::Kind::kString || b.kind() != Value::Kind::kString)
            return Value::Null();
          const std::string& s = a.AsString();
          const std::string& t = b.AsString();
          if (e.op == Op::kStartsWith) return Value::Bool(s.starts_with(t));
          if (e.op == Op::kEndsWith) return Value::Bool(s.ends_with(t));
          return Value::Bool(s.find(t) != std::string::npos);
        }
        case Op::kIn: {
          if (a.is_null()) return Value::Null();
          if (b.kind() != Value::Kind::kList) return Value::Null();
          for (const Value& item : b.AsList()) {
            if (Truth(Comparison(Op::kEq, a, item)) == 1) return Value::Bool(true);
          }
          return Value::Bool(false);
        }
        default:
          return Arithmetic(e.op, a, b);
      }
    }
  }
  return Value::Null();
}

// ---------------------------------------------------------------- aggregation

struct Accumulator {
  int64_t count = 0;
  std::set<Value> distinct;
  std::unordered_set<int64_t> distinct_ids;  // count(DISTINCT node): actor ids.
  bool any = false;
  bool all_int = true;
  int64_t int_sum = 0;
  double sum = 0.0;
  Value best;
  std::vector<Value> items;
};

void Accumulate(const Expr& agg, const Value& v, Accumulator* acc) {
  if (agg.kind == ExprKind::kCountStar) {
    ++acc->count;
    return;
  }
  if (v.is_null()) return;
  if (agg.distinct && agg.name == "count" && v.kind() == Value::Kind::kInt &&
      agg.args[0]->kind == ExprKind::kVariable && agg.args[0]->var_kind == VarKind::kNode) {
    // Node ids from Emit: a flat set instead of a tree of Values.
    if (acc->distinct_ids.insert(v.AsInt()).second) ++acc->count;
    return;
  }
  if (agg.distinct) {
    if (!acc->distinct.insert(v).second) return;
  }
  ++acc->count;
  const std::string& f = agg.name;
  if (f == "sum" || f == "avg") {
    if (v.is_number()) {
      if (v.kind() != Value::Kind::kInt) acc->all_int = false;
      acc->int_sum += v.kind() == Value::Kind::kInt ? v.AsInt() : 0;
      acc->sum += v.AsDouble();
      acc->any = true;
    }
  } else if (f == "min" || f == "max") {
    if (!acc->any || (f == "min" ? Compare(v, acc->best) < 0 : Compare(v, acc->best) > 0))
      acc->best = v;
    acc->any = true;
  } else if (f == "collect") {
    acc->items.push_back(v);
  }
}

Value Finish(const Expr& agg, const Accumulator& acc) {
  if (agg.kind == ExprKind::kCountStar || agg.name == "count") return Value::Int(acc.count);
  if (agg.name == "sum") {
    if (!acc.any) return Value::Int(0);
    return acc.all_int ? Value::Int(acc.int_sum) : Value::Double(acc.sum);
  }
  if (agg.name == "avg")
    return acc.any ? Value::Double(acc.sum / static_cast<double>(acc.count)) : Value::Null();
  if (agg.name == "min" || agg.name == "max") return acc.any ? acc.best : Value::Null();
  if (agg.name == "collect") return Value::List(acc.items);
  return Value::Null();
}

struct VectorLess {
  bool operator()(const std::vector<Value>& a, const std::vector<Value>& b) const {
    return std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end());
  }
};

// ---------------------------------------------------------------- cursors

void PutU64(std::string* out, uint64_t v) {
  for (int i = 7; i >= 0; --i) out->push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}
bool GetU64(std::string_view* in, uint64_t* v) {
  if (in->size() < 8) return false;
  *v = 0;
  for (int i = 0; i < 8; ++i) *v = (*v << 8) | static_cast<unsigned char>((*in)[i]);
  in->remove_prefix(8);
  return true;
}

void EncodeValue(const Value& v, std::string* out) {
  out->push_back(static_cast<char>(v.kind()));
  switch (v.kind()) {
    case Value::Kind::kNull:
      break;
    case Value::Kind::kBool:
    case Value::Kind::kInt:
      PutU64(out, static_cast<uint64_t>(v.AsInt()));
      break;
    case Value::Kind::kDouble: {
      uint64_t bits;
      const double d = v.AsDouble();
      std::memcpy(&bits, &d, sizeof bits);
      PutU64(out, bits);
      break;
    }
    case Value::Kind::kString:
      PutU64(out, v.AsString().size());
      out->append(v.AsString());
      break;
    case Value::Kind::kList:
      PutU64(out, v.AsList().size());
      for (const Value& item : v.AsList()) EncodeValue(item, out);
      break;
  }
}

bool DecodeValue(std::string_view* in, Value* v, int depth = 0) {
  if (in->empty() || depth > 32) return false;
  const auto kind = static_cast<Value::Kind>((*in)[0]);
  in->remove_prefix(1);
  uint64_t n = 0;
  switch (kind) {
    case Value::Kind::kNull:
      *v = Value::Null();
      return true;
    case Value::Kind::kBool:
      if (!GetU64(in, &n)) return false;
      *v = Value::Bool(n != 0);
      return true;
    case Value::Kind::kInt:
      if (!GetU64(in, &n)) return false;
      *v = Value::Int(static_cast<int64_t>(n));
      return true;
    case Value::Kind::kDouble: {
      if (!GetU64(in, &n)) return false;
      double d;
      std::memcpy(&d, &n, sizeof d);
      *v = Value::Double(d);
      return true;
    }
    case Value::Kind::kString:
      if (!GetU64(in, &n) || n > in->size()) return false;
      *v = Value::String(std::string(in->substr(0, n)));
      in->remove_prefix(n);
      return true;
    case Value::Kind::kList: {
      if (!GetU64(in, &n) || n > in->size()) return false;
      std::vector<Value> items(n);
      for (auto& item : items) {
        if (!DecodeValue(in, &item, depth + 1)) return false;
      }
      *v = Value::List(std::move(items));
      return true;
    }
  }
  return false;
}

constexpr char kHex[] = "0123456789abcdef";

std::string EncodeCursor(uint64_t fingerprint, uint64_t emitted, const std::vector<Value>& key) {
  std::string raw;
  PutU64(&raw, fingerprint);
  PutU64(&raw, emitted);
  PutU64(&raw, key.size());
  for (const Value& v : key) EncodeValue(v, &raw);
  std::string out = "c1";
  for (unsigned char c : raw) {
    out.push_back(kHex[c >> 4]);
    out.push_back(kHex[c & 15]);
  }
  return out;
}

Status DecodeCursor(std::string_view text, uint64_t fingerprint, uint64_t* emitted,
                    std::vector<Value>* key) {
  const Status bad = Status::InvalidArgument(
      "invalid --after cursor: pass the cursor printed by the previous page of the same query");
  if (!text.starts_with("c1") || text.size() % 2 != 0) return bad;
  std::string raw;
  for (size_t i = 2; i + 1 < text.size(); i += 2) {
    auto nibble = [](char c) -> int {
      if (c >= '0' && c <= '9') return c - '0';
      if (c >= 'a' && c <= 'f') return c - 'a' + 10;
      return -1;
    };
    const int hi = nibble(text[i]), lo = nibble(text[i + 1]);
    if (hi < 0 || lo < 0) return bad;
    raw.push_back(static_cast<char>(hi * 16 + lo));
  }
  std::string_view in(raw);
  uint64_t fp = 0, n = 0;
  if (!GetU64(&in, &fp) || !GetU64(&in, emitted) || !GetU64(&in, &n) || n > in.size()) return bad;
  if (fp != fingerprint) {
    return Status::InvalidArgument("the --after cursor belongs to a different query");
  }
  key->resize(n);
  for (auto& v : *key) {
    if (!DecodeValue(&in, &v)) return bad;
  }
  if (!in.empty()) return bad;
  return Status::Ok();
}

// ---------------------------------------------------------------- executor

struct Row {
  std::vector<Value> key;                  // ORDER BY values, row values, identity.
  std::vector<Value> values;               // Returned columns.
  std::shared_ptr<const Binding> binding;  // Kept for --evidence only.
};

class Executor {
 public:
  Executor(const Plan& plan, GraphContext& ctx) : plan_(plan), ctx_(ctx) {
    b_.nodes.assign(plan.nodes.size(), 0);
    b_.edges.resize(static_cast<size_t>(plan.num_edge_slots));
    b_.hops.resize(static_cast<size_t>(plan.num_hops_slots));
    num_order_ = plan.order_item.size();
  }

  Result<ResultTable> Run() {
    ResultTable table;
    table.columns = plan_.columns;
    table.notes = plan_.notes;
    fingerprint_ = Hash64(plan_.text);
    if (!ctx_.options().after.empty()) {
      KG_RETURN_IF_ERROR(
          DecodeCursor(ctx_.options().after, fingerprint_, &emitted_before_, &cursor_));
      has_cursor_ = true;
    }
    size_t page = ctx_.options().row_limit == 0 ? SIZE_MAX : ctx_.options().row_limit;
    if (plan_.query.limit) {
      const uint64_t limit = static_cast<uint64_t>(*plan_.query.limit);
      page = static_cast<size_t>(
          std::min<uint64_t>(page, limit > emitted_before_ ? limit - emitted_before_ : 0));
    }
    page_ = page;
    if (plan_.empty) table.notes.push_back("empty result: " + plan_.empty_reason);
    if (page_ > 0 && !plan_.empty) {
      if (plan_.counts) {
        KG_RETURN_IF_ERROR(RunCounts());
      } else {
        KG_RETURN_IF_ERROR(RunOp(0));
      }
      if (plan_.aggregate) KG_RETURN_IF_ERROR(FinishGroups());
    }
    std::sort(rows_.begin(), rows_.end(),
              [&](const Row& a, const Row& b) { return Less(a.key, b.key); });
    const bool more = rows_.size() > page_;
    if (more) rows_.resize(page_);
    uint64_t total = emitted_before_ + rows_.size();
    if (more && (!plan_.query.limit || total < static_cast<uint64_t>(*plan_.query.limit))) {
      table.next_cursor = EncodeCursor(fingerprint_, total, rows_.back().key);
    }
    KG_RETURN_IF_ERROR(AddEvidence(&table));
    return table;
  }

 private:
  // ---- ordering

  bool Less(const std::vector<Value>& a, const std::vector<Value>& b) const {
    const size_t n = std::min(a.size(), b.size());
    for (size_t i = 0; i < n; ++i) {
      int c = Compare(a[i], b[i]);
      if (c == 0) continue;
      if (i < num_order_ && plan_.order_desc[i]) c = -c;
      return c < 0;
    }
    return a.size() < b.size();
  }

  Status Collect(Row row) {
    if (has_cursor_ && !Less(cursor_, row.key)) return Status::Ok();
    rows_.push_back(std::move(row));
    if (!plan_.aggregate && page_ != SIZE_MAX && rows_.size() >= 2 * page_ + 1024) {
      // Keep the page_+1 smallest rows: enough to fill the page and know if more follow.
      auto less = [&](const Row& a, const Row& b) { return Less(a.key, b.key); };
      std::nth_element(rows_.begin(), rows_.begin() + static_cast<std::ptrdiff_t>(page_),
                       rows_.end(), less);
      rows_.resize(page_ + 1);
    }
    return Status::Ok();
  }

  // ---- operators

  bool NodeAccepts(int slot, ActorId id, Status* status) {
    const NodeInfo& n = plan_.nodes[slot];
    if (n.candidates && !std::binary_search(n.candidates->begin(), n.candidates->end(), id))
      return false;
    if (n.type) {
      auto rec = ctx_.Actor(id);
      if (!rec.ok()) {
        *status = rec.status();
        return false;
      }
      if ((*rec)->type != *n.type) return false;
    }
    return true;
  }

  // Binds node `slot` to `id` unless it is bound to something else.
  // *fresh tells the caller to unbind afterwards.
  bool BindNode(int slot, ActorId id, bool* fresh, Status* status) {
    *fresh = false;
    if (b_.nodes[slot] != 0) return b_.nodes[slot] == id;
    if (!NodeAccepts(slot, id, status)) return false;
    b_.nodes[slot] = id;
    *fresh = true;
    return true;
  }
  void UnbindNode(int slot, bool fresh) {
    if (fresh) b_.nodes[slot] = 0;
  }

  Status Continue(size_t i) {
    KG_RETURN_IF_ERROR(ctx_.budget().Charge());
    for (const Expr* f : plan_.ops[i].filters) {
      EvalEnv env{ctx_, b_, Status::Ok()};
      const Value v = Eval(*f, env);
      KG_RETURN_IF_ERROR(env.status);
      if (Truth(v) != 1) return Status::Ok();
    }
    return RunOp(i + 1);
  }

  static RelDirection Effective(RelDirection d, bool forward) {
    if (forward || d == RelDirection::kBoth) return d;
    return d == RelDirection::kOut ? RelDirection::kIn : RelDirection::kOut;
  }
  static Direction ToDirection(RelDirection d) {
    switch (d) {
      case RelDirection::kOut:
        return Direction::kOut;
      case RelDirection::kIn:
        return Direction::kIn;
      case RelDirection::kBoth:
        return Direction::kBoth;
    }
    return Direction::kBoth;
  }

  EdgeScanSpec BaseSpec(const RelInfo& rel) const {
    EdgeScanSpec spec;
    spec.date_from = rel.date_from;
    spec.date_to = rel.date_to;
    spec.include_negated = rel.include_negated;
    spec.decode_value = plan_.needs_edge_values;
    return spec;
  }

  // ---- the pair-count index (Plan::counts)

  struct PairKeyHash {
    size_t operator()(const std::pair<ActorId, ActorId>& k) const {
      return std::hash<uint64_t>()(k.first * 0x9E3779B97F4A7C15ull ^ k.second);
    }
  };
  struct CountGroup {
    int64_t events = 0;
    // Per RETURN item (kind 2): a flat set (ActorMap), not a node per actor.
    std::vector<ActorMap<uint8_t>> distinct;
  };

  // Aggregates from ScanPairCounts: first per actor ids (the nodes the group
  // keys read), then per evaluated group key. Count-only aggregates make the
  // per-pair event count the only thing needed from each entry.
  Status RunCounts() {
    const CountPlan& cp = *plan_.counts;
    const RelInfo& rel = plan_.rels[cp.rel];
    const Query& q = plan_.query;
    const size_t n_items = q.items.size();
    std::unordered_map<std::pair<ActorId, ActorId>, CountGroup, PairKeyHash> stage1;
    for (const auto& relation : Relations(rel)) {
      Status status;
      const PairCountVisitor visit = [&](const PairCount& pc) {
        status = ctx_.budget().Charge();
        if (!status.ok()) return false;
        const ActorId from = cp.from_is_source ? pc.source : pc.target;
        const ActorId to = cp.from_is_source ? pc.target : pc.source;
        if (!NodeAccepts(rel.from_node, from, &status) || !NodeAccepts(rel.to_node, to, &status))
          return status.ok();
        CountGroup& g = stage1[{cp.group_from ? from : 0, cp.group_to ? to : 0}];
        g.events += pc.count;
        for (size_t k = 0; k < n_items; ++k) {
          if (cp.agg_kind[k] != 2) continue;
          if (g.distinct.empty()) g.distinct.resize(n_items);
          g.distinct[k].Insert(cp.distinct_node[k] == rel.from_node ? from : to, 1);
        }
        return true;
      };
      if (cp.from_topology) {
        KG_ASSIGN_OR_RETURN(const Topology* topo, ctx_.CurrentTopology());
        if (topo == nullptr) return Status::Internal("planned on a topology that is gone");
        ScanTopologyPairs(*topo, relation, rel, visit);
      } else {
        KG_RETURN_IF_ERROR(ctx_.reader().ScanPairCounts(relation, visit));
      }
      KG_RETURN_IF_ERROR(status);
    }
    auto item_count = [&](const CountGroup& g, size_t k) -> int64_t {
      if (cp.agg_kind[k] == 1) return g.events;
      return g.distinct.empty() ? 0 : static_cast<int64_t>(g.distinct[k].size());
    };
    std::vector<std::pair<std::pair<ActorId, ActorId>, CountGroup*>> groups;
    groups.reserve(stage1.size());
    for (auto& [key, g] : stage1) groups.emplace_back(key, &g);
    // Exact top-k: groups correspond one-to-one to actor ids, so only those
    // whose first ORDER BY key (a count) reaches the page's k-th value can be
    // returned; the rest are never named.
    if (cp.injective_groups && !plan_.order_item.empty() &&
        plan_.item_is_aggregate[plan_.order_item[0]] && !has_cursor_ && page_ != SIZE_MAX &&
        groups.size() > page_) {
      const size_t k = static_cast<size_t>(plan_.order_item[0]);
      const bool desc = plan_.order_desc[0];
      std::vector<int64_t> values;
      values.reserve(groups.size());
      for (const auto& [key, g] : groups) values.push_back(item_count(*g, k));
      auto better = [desc](int64_t a, int64_t b) { return desc ? a > b : a < b; };
      std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(page_ - 1),
                       values.end(), better);
      const int64_t threshold = values[page_ - 1];
      std::erase_if(groups, [&](const auto& entry) {
        return better(threshold, item_count(*entry.second, k));
      });
    }
    {
      std::vector<ActorId> ids;
      for (const auto& [key, g] : groups) {
        if (key.first) ids.push_back(key.first);
        if (key.second) ids.push_back(key.second);
      }
      KG_RETURN_IF_ERROR(ctx_.PrefetchActors(ids));
    }
    // Stage 2: evaluate the group keys and merge.
    struct Merged {
      int64_t events = 0;
      std::vector<ActorMap<uint8_t>> distinct;
    };
    std::map<std::vector<Value>, Merged, VectorLess> merged;
    for (const auto& [key, g] : groups) {
      KG_RETURN_IF_ERROR(ctx_.budget().Charge());
      b_.nodes[rel.from_node] = key.first;
      b_.nodes[rel.to_node] = key.second;
      EvalEnv env{ctx_, b_, Status::Ok()};
      std::vector<Value> group;
      for (size_t k = 0; k < n_items; ++k) {
        if (!plan_.item_is_aggregate[k]) group.push_back(Eval(*q.items[k].expr, env));
      }
      KG_RETURN_IF_ERROR(env.status);
      Merged& m = merged[std::move(group)];
      m.events += g->events;
      if (!g->distinct.empty()) {
        if (m.distinct.empty()) m.distinct.resize(n_items);
        for (size_t k = 0; k < n_items; ++k) {
          if (m.distinct[k].size() == 0) {
            m.distinct[k] = std::move(g->distinct[k]);
          } else {
            ActorMap<uint8_t>& into = m.distinct[k];
            g->distinct[k].ForEach([&into](ActorId id, uint8_t) { into.Insert(id, 1); });
          }
        }
      }
    }
    b_.nodes[rel.from_node] = 0;
    b_.nodes[rel.to_node] = 0;
    for (auto& [group, m] : merged) {
      std::vector<Accumulator> accs(n_items);
      for (size_t k = 0; k < n_items; ++k) {
        if (cp.agg_kind[k] == 1) accs[k].count = m.events;
        if (cp.agg_kind[k] == 2)
          accs[k].count = m.distinct.empty() ? 0 : static_cast<int64_t>(m.distinct[k].size());
      }
      groups_.emplace(group, std::move(accs));
    }
    return Status::Ok();
  }

  // ScanPairCounts from the topology: the links of `relation` (all when
  // unset), counting negated events when the pattern asks for them; when a
  // node is pinned only its own links are read.
  void ScanTopologyPairs(const Topology& topo, std::optional<RelationId> relation,
                         const RelInfo& rel, const PairCountVisitor& visit) const {
    std::optional<uint32_t> wanted;
    if (relation) {
      wanted = topo.RelationIndexOf(*relation);
      if (!wanted) return;
    }
    const bool from_is_source = plan_.counts->from_is_source;
    const NodeInfo& source_node = plan_.nodes[from_is_source ? rel.from_node : rel.to_node];
    const NodeInfo& target_node = plan_.nodes[from_is_source ? rel.to_node : rel.from_node];
    // Nothing groups or filters by actor: one total per relation will do.
    const CountPlan& cp = *plan_.counts;
    if (!cp.group_from && !cp.group_to &&
        std::find(cp.agg_kind.begin(), cp.agg_kind.end(), 2) == cp.agg_kind.end() &&
        !source_node.candidates && !source_node.type && !target_node.candidates &&
        !target_node.type) {
      int64_t total = 0;
      for (uint32_t r = 0; r < topo.num_relations(); ++r) {
        if (!wanted || r == *wanted) total += topo.RelationEvents(r, !rel.include_negated);
      }
      if (total != 0) visit(PairCount{0, relation.value_or(0), 0, total});
      return;
    }
    // Visits the links of v in one direction; false once the visitor stops.
    auto links_of = [&](uint32_t v, bool out) {
      std::span<const TopologyLink> links = out ? topo.Out(v) : topo.In(v);
      if (wanted) links = Topology::RelationRange(links, *wanted, *wanted);
      for (const TopologyLink& l : links) {
        const int64_t n = rel.include_negated ? l.events : l.asserted;
        if (n == 0) continue;
        const ActorId self = topo.actor(v), other = topo.actor(l.other);
        if (!visit(PairCount{out ? self : other, topo.relation(l.relation), out ? other : self, n}))
          return false;
      }
      return true;
    };
    const NodeInfo& pinned = source_node.candidates ? source_node : target_node;
    if (pinned.candidates) {
      for (ActorId id : *pinned.candidates) {
        const auto v = topo.IndexOf(id);
        if (v && !links_of(*v, &pinned == &source_node)) return;
      }
      return;
    }
    for (uint32_t v = 0; v < topo.num_actors(); ++v) {
      if (!links_of(v, true)) return;
    }
  }

  std::vector<std::optional<RelationId>> Relations(const RelInfo& rel) const {
    std::vector<std::optional<RelationId>> out;
    if (rel.relations.empty()) {
      out.push_back(std::nullopt);
    } else {
      for (RelationId r : rel.relations) out.push_back(r);
    }
    return out;
  }

  Status RunOp(size_t i) {
    if (i == plan_.ops.size()) return Emit();
    const PlanOp& op = plan_.ops[i];
    switch (op.kind) {
      case OpKind::kBindNode:
        return BindNodeOp(i, op);
      case OpKind::kScanRel:
        return ScanRelOp(i, op);
      case OpKind::kExpand:
        return ExpandOp(i, op);
      case OpKind::kVarExpand:
        return VarExpandOp(i, op);
      case OpKind::kShortest:
        return ShortestOp(i, op);
      case OpKind::kBuildPath:
        return BuildPathOp(i, op);
    }
    return Status::Internal("unknown operator");
  }

  Status BindNodeOp(size_t i, const PlanOp& op) {
    Status status;
    if (b_.nodes[op.node] != 0) {
      if (!NodeAccepts(op.node, b_.nodes[op.node], &status)) return status;
      return Continue(i);
    }
    const NodeInfo& n = plan_.nodes[op.node];
    std::vector<ActorId> ids;
    if (n.candidates) {
      ids = *n.candidates;
    } else {
      KG_ASSIGN_OR_RETURN(const std::vector<ActorRecord>* all, ctx_.AllActors());
      for (const ActorRecord& rec : *all) ids.push_back(rec.id);
    }
    for (ActorId id : ids) {
      KG_RETURN_IF_ERROR(ctx_.budget().Charge());
      bool fresh = false;
      if (!BindNode(op.node, id, &fresh, &status)) {
        KG_RETURN_IF_ERROR(status);
        continue;
      }
      Status s = Continue(i);
      UnbindNode(op.node, fresh);
      KG_RETURN_IF_ERROR(s);
    }
    return Status::Ok();
  }

  // Binds (from, to) to the ends of `e` and continues.
  Status BindEdgeAndContinue(size_t i, const RelInfo& rel, int from_slot, int to_slot, ActorId from,
                             ActorId to, const EdgeEntry& e) {
    Status status;
    bool fresh_from = false, fresh_to = false;
    if (!BindNode(from_slot, from, &fresh_from, &status)) return status;
    if (!BindNode(to_slot, to, &fresh_to, &status)) {
      UnbindNode(from_slot, fresh_from);
      return status;
    }
    b_.edges[rel.slot] = e;
    Status s = Continue(i);
    UnbindNode(to_slot, fresh_to);
    UnbindNode(from_slot, fresh_from);
    return s;
  }

  Status ScanRelOp(size_t i, const PlanOp& op) {
    const RelInfo& rel = plan_.rels[op.rel];
    for (const auto& relation : Relations(rel)) {
      EdgeScanSpec spec = BaseSpec(rel);
      spec.relation = relation;
      Status status;
      KG_RETURN_IF_ERROR(ctx_.reader().ScanEdges(spec, [&](const EdgeEntry& e) {
        status = ctx_.budget().Charge();
        if (!status.ok()) return false;
        if (rel.direction != RelDirection::kIn) {
          status = BindEdgeAndContinue(i, rel, rel.from_node, rel.to_node, e.source, e.target, e);
          if (!status.ok()) return false;
        }
        if (rel.direction == RelDirection::kIn ||
            (rel.direction == RelDirection::kBoth && e.source != e.target)) {
          status = BindEdgeAndContinue(i, rel, rel.from_node, rel.to_node, e.target, e.source, e);
          if (!status.ok()) return false;
        }
        return true;
      }));
      KG_RETURN_IF_ERROR(status);
    }
    return Status::Ok();
  }

  Status ExpandOp(size_t i, const PlanOp& op) {
    const RelInfo& rel = plan_.rels[op.rel];
    const ActorId from = b_.nodes[op.node];
    const ActorId other = b_.nodes[op.other];
    const RelDirection eff = Effective(rel.direction, op.forward);
    for (int pass = 0; pass < 2; ++pass) {
      const bool out = pass == 0;
      if (out && eff == RelDirection::kIn) continue;
      if (!out && eff == RelDirection::kOut) continue;
      for (const auto& relation : Relations(rel)) {
        EdgeScanSpec spec = BaseSpec(rel);
        spec.relation = relation;
        (out ? spec.source : spec.target) = from;
        if (other != 0) (out ? spec.target : spec.source) = other;
        Status status;
        KG_RETURN_IF_ERROR(ctx_.reader().ScanEdges(spec, [&](const EdgeEntry& e) {
          status = ctx_.budget().Charge();
          if (!status.ok()) return false;
          if (!out && eff == RelDirection::kBoth && e.source == e.target)
            return true;  // Seen outgoing.
          const ActorId to = out ? e.target : e.source;
          status = BindEdgeAndContinue(i, rel, op.node, op.other, from, to, e);
          return status.ok();
        }));
        KG_RETURN_IF_ERROR(status);
      }
    }
    return Status::Ok();
  }

  // Does `e` satisfy the per-hop conditions of `rel`?
  bool HopAccepts(const RelInfo& rel, const EdgeEntry& e, Status* status) {
    for (const Expr* f : rel.per_hop_filters) {
      EvalEnv env{ctx_, b_, Status::Ok(), rel.slot, &e};
      const Value v = Eval(*f, env);
      if (!env.status.ok()) {
        *status = env.status;
        return false;
      }
      if (Truth(v) != 1) return false;
    }
    return true;
  }

  Status Neighbors(const RelInfo& rel, ActorId from, RelDirection eff, std::vector<Hop>* out) {
    Status accept_status;
    std::vector<RelationId> relations = rel.relations;
    KG_RETURN_IF_ERROR(ForEachHop(
        ctx_, from, ToDirection(eff), relations, BaseSpec(rel),
        [&](const EdgeEntry& e) { return HopAccepts(rel, e, &accept_status); },
        [&](const Hop& h) {
          out->push_back(h);
          return Status::Ok();
        }));
    return accept_status;
  }

  // Hops in pattern order (from the rel's from_node to its to_node).
  static std::vector<Hop> Oriented(const std::vector<Hop>& walk, bool forward) {
    if (forward) return walk;
    std::vector<Hop> out(walk.rbegin(), walk.rend());
    for (Hop& h : out) std::swap(h.from, h.to);
    return out;
  }

  Status VarExpandOp(size_t i, const PlanOp& op) {
    const RelInfo& rel = plan_.rels[op.rel];
    std::vector<Hop> walk;
    std::set<std::tuple<ActorId, RelationId, ActorId>> used;
    return VarDfs(i, op, rel, b_.nodes[op.node], &walk, &used);
  }

  Status VarDfs(size_t i, const PlanOp& op, const RelInfo& rel, ActorId at, std::vector<Hop>* walk,
                std::set<std::tuple<ActorId, RelationId, ActorId>>* used) {
    const int depth = static_cast<int>(walk->size());
    if (depth >= rel.min_hops) {
      Status status;
      bool fresh = false;
      if (BindNode(op.other, at, &fresh, &status)) {
        b_.hops[rel.slot] = Oriented(*walk, op.forward);
        Status s = Continue(i);
        UnbindNode(op.other, fresh);
        KG_RETURN_IF_ERROR(s);
      }
      KG_RETURN_IF_ERROR(status);
    }
    if (depth >= rel.max_hops) return Status::Ok();
    std::vector<Hop> next;
    KG_RETURN_IF_ERROR(Neighbors(rel, at, Effective(rel.direction, op.forward), &next));
    for (const Hop& h : next) {
      const auto triple = std::make_tuple(h.source, h.relation, h.target);
      if (used->count(triple)) continue;  // Trail: no relationship twice.
      used->insert(triple);
      walk->push_back(h);
      Status s = VarDfs(i, op, rel, h.to, walk, used);
      walk->pop_back();
      used->erase(triple);
      KG_RETURN_IF_ERROR(s);
    }
    return Status::Ok();
  }

  Status ShortestOp(size_t i, const PlanOp& op) {
    const RelInfo& rel = plan_.rels[op.rel];
    const ActorId from = b_.nodes[op.node];
    std::vector<ActorId> targets;
    if (b_.nodes[op.other] != 0) {
      targets.push_back(b_.nodes[op.other]);
    } else if (plan_.nodes[op.other].candidates) {
      targets = *plan_.nodes[op.other].candidates;
    }
    std::unordered_set<ActorId> remaining;
    for (ActorId t : targets) {
      if (t != from) remaining.insert(t);
    }
    const RelDirection eff = Effective(rel.direction, op.forward);
    std::unordered_map<ActorId, int> dist{{from, 0}};
    std::unordered_map<ActorId, std::vector<Hop>> parents;
    std::vector<ActorId> frontier{from};
    for (int level = 1; level <= rel.max_hops && !frontier.empty() && !remaining.empty(); ++level) {
      std::vector<ActorId> next_frontier;
      for (ActorId u : frontier) {
        std::vector<Hop> hops;
        KG_RETURN_IF_ERROR(Neighbors(rel, u, eff, &hops));
        for (const Hop& h : hops) {
          auto it = dist.find(h.to);
          if (it == dist.end()) {
            dist.emplace(h.to, level);
            parents[h.to].push_back(h);
            next_frontier.push_back(h.to);
          } else if (it->second == level && op.all_shortest) {
            parents[h.to].push_back(h);
          }
        }
      }
      for (ActorId v : next_frontier) remaining.erase(v);
      frontier = std::move(next_frontier);
    }
    for (ActorId t : targets) {
      auto it = dist.find(t);
      if (t == from || it == dist.end() || it->second < rel.min_hops) continue;
      std::vector<Hop> reversed;
      KG_RETURN_IF_ERROR(EnumeratePaths(i, op, rel, from, t, parents, &reversed));
    }
    return Status::Ok();
  }

  // Walks parent links back from `at` to `from`, emitting every path.
  Status EnumeratePaths(size_t i, const PlanOp& op, const RelInfo& rel, ActorId from, ActorId at,
                        const std::unordered_map<ActorId, std::vector<Hop>>& parents,
                        std::vector<Hop>* reversed) {
    if (at == from) {
      std::vector<Hop> walk(reversed->rbegin(), reversed->rend());
      const std::vector<Hop> oriented = Oriented(walk, op.forward);
      const ActorId target = walk.back().to;
      Status status;
      bool fresh = false;
      if (!BindNode(op.other, target, &fresh, &status)) return status;
      b_.hops[rel.slot] = oriented;
      if (op.path_slot >= 0) b_.hops[op.path_slot] = oriented;
      Status s = Continue(i);
      UnbindNode(op.other, fresh);
      return s;
    }
    auto it = parents.find(at);
    if (it == parents.end()) return Status::Ok();
    for (const Hop& h : it->second) {
      reversed->push_back(h);
      Status s = EnumeratePaths(i, op, rel, from, h.from, parents, reversed);
      reversed->pop_back();
      KG_RETURN_IF_ERROR(s);
      if (!op.all_shortest) break;
    }
    return Status::Ok();
  }

  Status BuildPathOp(size_t i, const PlanOp& op) {
    std::vector<Hop> path;
    for (int r : op.path_rels) {
      const RelInfo& rel = plan_.rels[r];
      if (rel.variable_length) {
        const auto& hops = b_.hops[rel.slot];
        path.insert(path.end(), hops.begin(), hops.end());
      } else {
        const EdgeEntry& e = b_.edges[rel.slot];
        path.push_back(Hop{b_.nodes[rel.from_node], b_.nodes[rel.to_node], e.source, e.target,
                           e.relation, e.event, e.date, 1});
      }
    }
    b_.hops[op.path_slot] = std::move(path);
    return Continue(i);
  }

  // ---- projection

  void Identity(std::vector<Value>* key) const {
    for (ActorId id : b_.nodes) key->push_back(Value::Int(static_cast<int64_t>(id)));
    for (const EdgeEntry& e : b_.edges) {
      key->push_back(Value::Int(static_cast<int64_t>(e.event.doc)));
      key->push_back(Value::Int(e.event.ordinal));
    }
    for (const auto& hops : b_.hops) {
      std::vector<Value> items;
      for (const Hop& h : hops) {
        items.push_back(Value::Int(static_cast<int64_t>(h.source)));
        items.push_back(Value::Int(static_cast<int64_t>(h.relation)));
        items.push_back(Value::Int(static_cast<int64_t>(h.target)));
      }
      key->push_back(Value::List(std::move(items)));
    }
  }

  Status Emit() {
    KG_RETURN_IF_ERROR(ctx_.budget().Charge());
    const Query& q = plan_.query;
    EvalEnv env{ctx_, b_, Status::Ok()};
    if (plan_.aggregate) {
      std::vector<Value> group;
      for (size_t k = 0; k < q.items.size(); ++k) {
        if (!plan_.item_is_aggregate[k]) group.push_back(Eval(*q.items[k].expr, env));
      }
      KG_RETURN_IF_ERROR(env.status);
      auto it = groups_.find(group);
      if (it == groups_.end()) {
        it = groups_.emplace(std::move(group), std::vector<Accumulator>(q.items.size())).first;
      }
      for (size_t k = 0; k < q.items.size(); ++k) {
        if (!plan_.item_is_aggregate[k]) continue;
        const Expr& agg = *q.items[k].expr;
        Value v;
        if (agg.kind == ExprKind::kCountStar) {
        } else if (agg.distinct && agg.name == "count" &&
                   agg.args[0]->kind == ExprKind::kVariable &&
                   agg.args[0]->var_kind == VarKind::kNode) {
          // Distinct actors: the id identifies the node (names are unique per
          // id), so no name lookup per row.
          const ActorId id = b_.nodes[agg.args[0]->slot];
          v = id == 0 ? Value::Null() : Value::Int(static_cast<int64_t>(id));
        } else {
          v = Eval(*agg.args[0], env);
        }
        Accumulate(agg, v, &it->second[k]);
      }
      return env.status;
    }
    Row row;
    for (const auto& item : q.items) row.values.push_back(Eval(*item.expr, env));
    KG_RETURN_IF_ERROR(env.status);
    if (q.distinct && !seen_.insert(row.values).second) return Status::Ok();
    for (size_t k = 0; k < num_order_; ++k) {
      if (plan_.order_item[k] >= 0) {
        row.key.push_back(row.values[plan_.order_item[k]]);
      } else {
        row.key.push_back(Eval(*plan_.order_extra[k], env));
      }
    }
    KG_RETURN_IF_ERROR(env.status);
    row.key.insert(row.key.end(), row.values.begin(), row.values.end());
    if (!q.distinct) Identity(&row.key);
    if (!plan_.evidence_rels.empty()) row.binding = std::make_shared<Binding>(b_);
    return Collect(std::move(row));
  }

  Status FinishGroups() {
    const Query& q = plan_.query;
    // A query of only aggregates over no match still returns one row (count = 0).
    if (groups_.empty()) {
      bool all_aggregate = true;
      for (bool a : plan_.item_is_aggregate) all_aggregate = all_aggregate && a;
      if (all_aggregate)
        groups_.emplace(std::vector<Value>{}, std::vector<Accumulator>(q.items.size()));
    }
    for (auto& [group, accs] : groups_) {
      Row row;
      size_t g = 0;
      for (size_t k = 0; k < q.items.size(); ++k) {
        row.values.push_back(plan_.item_is_aggregate[k] ? Finish(*q.items[k].expr, accs[k])
                                                        : group[g++]);
      }
      for (size_t k = 0; k < num_order_; ++k) row.key.push_back(row.values[plan_.order_item[k]]);
      row.key.insert(row.key.end(), row.values.begin(), row.values.end());
      KG_RETURN_IF_ERROR(Collect(std::move(row)));
    }
    return Status::Ok();
  }

  Status AddEvidence(ResultTable* table) {
    if (plan_.evidence_rels.empty()) return Status::Ok();
    const bool single = plan_.evidence_rels.size() == 1;
    for (size_t k = 0; k < plan_.evidence_rels.size(); ++k) {
      const RelInfo& rel = plan_.rels[plan_.evidence_rels[k]];
      const std::string prefix =
          !rel.anonymous ? rel.var : (single ? "evidence" : "edge" + std::to_string(k + 1));
      for (const char* field : {".doc", ".date", ".quote", ".span"})
        table->columns.push_back(prefix + field);
    }
    for (size_t r = 0; r < rows_.size(); ++r) {
      std::vector<Value>& out = table->rows.emplace_back(std::move(rows_[r].values));
      const Binding& b = *rows_[r].binding;
      for (int ri : plan_.evidence_rels) {
        const RelInfo& rel = plan_.rels[ri];
        std::vector<EventKey> keys;
        if (rel.variable_length) {
          for (const Hop& h : b.hops[rel.slot]) keys.push_back(h.first_event);
        } else {
          keys.push_back(b.edges[rel.slot].event);
        }
        std::vector<Value> docs, dates, quotes, spans;
        for (const EventKey& key : keys) {
          KG_ASSIGN_OR_RETURN(const StoredEvent* ev, ctx_.Event(key));
          if (ev == nullptr) {
            docs.push_back(Value::Null());
            dates.push_back(Value::Null());
            quotes.push_back(Value::Null());
            spans.push_back(Value::Null());
            continue;
          }
          docs.push_back(Str(ev->doc_id));
          dates.push_back(ev->date == kUnknownDate ? Value::Null() : Str(FormatIsoDate(ev->date)));
          if (ev->event.mentions.empty()) {
            quotes.push_back(Value::Null());
            spans.push_back(Value::Null());
          } else {
            const Mention& m = ev->event.mentions[0];
            quotes.push_back(Str(m.quote));
            spans.push_back(Str("sentence " + std::to_string(m.sentence) + ", chars " +
                                std::to_string(m.begin) + "-" + std::to_string(m.end)));
          }
        }
        if (rel.variable_length) {
          out.push_back(Value::List(std::move(docs)));
          out.push_back(Value::List(std::move(dates)));
          out.push_back(Value::List(std::move(quotes)));
          out.push_back(Value::List(std::move(spans)));
        } else {
          out.push_back(docs[0]);
          out.push_back(dates[0]);
          out.push_back(quotes[0]);
          out.push_back(spans[0]);
        }
      }
    }
    rows_.clear();
    return Status::Ok();
  }

  const Plan& plan_;
  GraphContext& ctx_;
  Binding b_;
  size_t num_order_ = 0;
  size_t page_ = 0;
  uint64_t fingerprint_ = 0;
  bool has_cursor_ = false;
  uint64_t emitted_before_ = 0;
  std::vector<Value> cursor_;
  std::vector<Row> rows_;
  std::set<std::vector<Value>, VectorLess> seen_;
  std::map<std::vector<Value>, std::vector<Accumulator>, VectorLess> groups_;

 public:
  // Moves the selected rows into the table when no evidence was requested.
  void TakeRows(ResultTable* table) {
    for (Row& r : rows_) table->rows.push_back(std::move(r.values));
    rows_.clear();
  }
};

}  // namespace

Result<ResultTable> ExecutePlan(const Plan& plan, GraphContext& ctx) {
  Executor exec(plan, ctx);
  KG_ASSIGN_OR_RETURN(ResultTable table, exec.Run());
  exec.TakeRows(&table);
  return table;
}

}  // namespace kg::query
