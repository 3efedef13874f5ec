// Planner: variables -> slots, property maps and WHERE conjuncts -> index
// bounds, candidate actor sets and residual filters, then operator order.
#include <algorithm>
#include <map>
#include <set>

#include "graph/date.h"
#include "graph/ids.h"
#include "query/lexer.h"
#include "query/plan.h"

namespace kg::query {
namespace {

constexpr std::string_view kNodeProperties[] = {"name", "code", "type", "id", "aliases"};
constexpr std::string_view kEdgeProperties[] = {
    "relation", "type",    "cameo",         "root",     "quad_class", "quad",   "goldstein",
    "date",     "negated", "attributed_to", "document", "doc",        "source", "publisher",
    "title",    "quote",   "sentence",      "mentions", "events"};

bool Contains(const auto& list, std::string_view s) {
  return std::find(std::begin(list), std::end(list), s) != std::end(list);
}

std::string JoinNames(const auto& list) {
  std::string out;
  for (auto s : list) {
    if (!out.empty()) out += ", ";
    out += std::string(s);
  }
  return out;
}

std::string Upper(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

bool IsAggregateName(std::string_view name) {
  return name == "count" || name == "sum" || name == "min" || name == "max" || name == "avg" ||
         name == "collect";
}

bool ContainsAggregate(const Expr& e) {
  if (e.kind == ExprKind::kCountStar) return true;
  if (e.kind == ExprKind::kCall && IsAggregateName(e.name)) return true;
  for (const auto& a : e.args) {
    if (ContainsAggregate(*a)) return true;
  }
  return false;
}

struct VarEntry {
  VarKind kind = VarKind::kUnresolved;
  int slot = -1;
  int rel = -1;  // Index into Plan::rels for relationship variables.
};

class Planner {
 public:
  Planner(std::string_view text, GraphContext& ctx) : text_(text), ctx_(ctx) {}

  Result<Plan> Run(Query query) {
    plan_.query = std::move(query);
    plan_.text = std::string(text_);
    Query& q = plan_.query;
    KG_RETURN_IF_ERROR(DeclareVariables());
    // Conditions: WHERE conjuncts plus property-map entries.
    std::vector<const Expr*> conjuncts;
    if (q.where) {
      if (ContainsAggregate(*q.where)) {
        return ErrorAt(*q.where, "aggregate functions are not allowed in WHERE");
      }
      Flatten(q.where.get(), &conjuncts);
    }
    KG_RETURN_IF_ERROR(PropertyMapConditions(&conjuncts));
    for (const Expr* c : conjuncts) KG_RETURN_IF_ERROR(Resolve(const_cast<Expr*>(c), false));
    for (auto& item : q.items) KG_RETURN_IF_ERROR(Resolve(item.expr.get(), true));
    for (auto& item : q.order_by) KG_RETURN_IF_ERROR(Resolve(item.expr.get(), true));

    std::vector<const Expr*> residual;
    for (const Expr* c : conjuncts) {
      KG_ASSIGN_OR_RETURN(bool consumed, PushDown(*c));
      if (!consumed) residual.push_back(c);
    }
    KG_RETURN_IF_ERROR(FinishRelations());
    KG_RETURN_IF_ERROR(ClassifyPerHop(&residual));
    KG_RETURN_IF_ERROR(OrderOperators());
    PlaceFilters(residual);
    KG_RETURN_IF_ERROR(Projection());
    ComputeNeedsEdgeValues();
    ChooseCountPlan();
    return std::move(plan_);
  }

 private:
  Status ErrorAt(const Expr& e, const std::string& message) const {
    return SyntaxError(text_, e.line, e.column, message);
  }
  Status ErrorAt(int line, int column, const std::string& message) const {
    return SyntaxError(text_, line, column, message);
  }

  // --- Variables ---

  Status DeclareVariables() {
    Query& q = plan_.query;
    int anon = 0;
    for (size_t pi = 0; pi < q.patterns.size(); ++pi) {
      PathPattern& p = q.patterns[pi];
      std::vector<int> node_slots;
      for (NodePattern& n : p.nodes) {
        const bool anonymous = n.var.empty();
        if (anonymous) n.var = "_n" + std::to_string(anon++);
        auto it = vars_.find(n.var);
        int slot;
        if (it == vars_.end()) {
          slot = static_cast<int>(plan_.nodes.size());
          NodeInfo info;
          info.var = n.var;
          info.anonymous = anonymous;
          plan_.nodes.push_back(info);
          vars_[n.var] = VarEntry{VarKind::kNode, slot, -1};
        } else {
          if (it->second.kind != VarKind::kNode) {
            return ErrorAt(n.line, n.column,
                           "variable '" + n.var + "' is already used for a relationship or path");
          }
          slot = it->second.slot;
        }
        if (!n.label.empty()) {
          std::string label = n.label;
          for (char& c : label) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
          if (label != "actor") {
            auto type = ParseActorType(label);
            if (!type) {
              return ErrorAt(n.line, n.column,
                             "unknown label ':" + n.label +
                                 "'; use Actor, Country, Person, Organization, Group or Place");
            }
            plan_.nodes[slot].type = *type;
          }
        }
        node_slots.push_back(slot);
      }
      for (size_t ri = 0; ri < p.rels.size(); ++ri) {
        RelPattern& r = p.rels[ri];
        const bool anonymous = r.var.empty();
        if (anonymous) r.var = "_r" + std::to_string(anon++);
        if (vars_.count(r.var)) {
          return ErrorAt(
              r.line, r.column,
              "variable '" + r.var + "' is bound twice; a relationship variable may appear once");
        }
        RelInfo info;
        info.var = r.var;
        info.anonymous = anonymous;
        info.direction = r.direction;
        info.from_node = node_slots[ri];
        info.to_node = node_slots[ri + 1];
        info.variable_length = r.variable_length || p.selector != PathSelector::kNone;
        const int cap = ctx_.options().max_hops;
        if (p.selector != PathSelector::kNone) {
          if (p.rels.size() != 1) {
            return ErrorAt(p.line, p.column,
                           "SHORTEST takes one relationship between two node patterns");
          }
          info.min_hops = std::max(1, r.variable_length ? r.min_hops : 1);
          info.max_hops = r.max_hops.value_or(cap);
        } else if (r.variable_length) {
          if (!r.max_hops) {
            return ErrorAt(r.line, r.column,
                           "variable-length relationship without an upper bound; write *" +
                               std::to_string(r.min_hops) + ".." + std::to_string(cap) +
                               " or less (the cap is " + std::to_string(cap) +
                               " hops, raise it with --max-hops)");
          }
          info.min_hops = r.min_hops;
          info.max_hops = *r.max_hops;
        }
        if (info.variable_length && info.max_hops > cap) {
          return ErrorAt(r.line, r.column,
                         "upper bound of " + std::to_string(info.max_hops) +
                             " hops exceeds the cap of " + std::to_string(cap) +
                             "; raise it with --max-hops");
        }
        for (const auto& t : r.types) info.relation_names.push_back(NormalizeName(t));
        VarEntry entry;
        entry.rel = static_cast<int>(plan_.rels.size());
        if (info.variable_length) {
          entry.kind = VarKind::kHops;
          info.slot = plan_.num_hops_slots++;
        } else {
          entry.kind = VarKind::kEdge;
          info.slot = plan_.num_edge_slots++;
        }
        entry.slot = info.slot;
        vars_[r.var] = entry;
        plan_.rels.push_back(info);
        rel_of_pattern_[pi].push_back(entry.rel);
      }
      pattern_nodes_[pi] = node_slots;
      if (!p.path_var.empty()) {
        if (vars_.count(p.path_var)) {
          return ErrorAt(p.line, p.column, "variable '" + p.path_var + "' is already bound");
        }
        const int slot = plan_.num_hops_slots++;
        vars_[p.path_var] = VarEntry{VarKind::kPath, slot, -1};
        path_slot_[pi] = slot;
      }
    }
    return Status::Ok();
  }

  static void Flatten(const Expr* e, std::vector<const Expr*>* out) {
    if (e->kind == ExprKind::kBinary && e->op == Op::kAnd) {
      Flatten(e->args[0].get(), out);
      Flatten(e->args[1].get(), out);
    } else {
      out->push_back(e);
    }
  }

  Status PropertyMapConditions(std::vector<const Expr*>* conjuncts) {
    auto add = [&](const std::string& var, PropertyEntry& entry, int line, int column) {
      auto prop = std::make_unique<Expr>();
      prop->kind = ExprKind::kProperty;
      prop->name = var;
      prop->property = entry.key;
      prop->line = line;
      prop->column = column;
      auto eq = std::make_unique<Expr>();
      eq->kind = ExprKind::kBinary;
      eq->op = Op::kEq;
      eq->begin = entry.value->begin;
      eq->end = entry.value->end;
      eq->line = entry.value->line;
      eq->column = entry.value->column;
      eq->args.push_back(std::move(prop));
      eq->args.push_back(std::move(entry.value));
      conjuncts->push_back(eq.get());
      plan_.synthesized.push_back(std::move(eq));
    };
    for (PathPattern& p : plan_.query.patterns) {
      for (NodePattern& n : p.nodes) {
        for (PropertyEntry& e : n.properties) add(n.var, e, n.line, n.column);
      }
      for (RelPattern& r : p.rels) {
        for (PropertyEntry& e : r.properties) add(r.var, e, r.line, r.column);
      }
    }
    return Status::Ok();
  }

  Status Resolve(Expr* e, bool projection) {
    if (e->kind == ExprKind::kVariable || e->kind == ExprKind::kProperty) {
      auto it = vars_.find(e->name);
      if (it == vars_.end()) {
        // ORDER BY may name a RETURN alias; Projection() resolves those.
        if (projection && e->kind == ExprKind::kVariable) return Status::Ok();
        return ErrorAt(*e, "unknown variable '" + e->name + "'");
      }
      e->var_kind = it->second.kind;
      e->slot = it->second.slot;
      if (e->kind == ExprKind::kProperty) {
        if (e->var_kind == VarKind::kNode && !Contains(kNodeProperties, e->property)) {
          return ErrorAt(*e, "unknown node property '" + e->property + "'; nodes have " +
                                 JoinNames(kNodeProperties));
        }
        if ((e->var_kind == VarKind::kEdge || e->var_kind == VarKind::kHops) &&
            !Contains(kEdgeProperties, e->property)) {
          return ErrorAt(*e, "unknown relationship property '" + e->property +
                                 "'; relationships have " + JoinNames(kEdgeProperties));
        }
        if (e->var_kind == VarKind::kPath) {
          return ErrorAt(*e, "paths have no properties; use length(), nodes() or relations()");
        }
        if (e->var_kind == VarKind::kHops && projection) {
          return ErrorAt(*e, "'" + e->name +
                                 "' is a variable-length relationship (a list of hops); "
                                 "return it whole, or use length(), nodes(), relations()");
        }
      }
      return Status::Ok();
    }
    if (e->kind == ExprKind::kCall) {
      static constexpr std::string_view kFunctions[] = {
          "count",  "sum",     "min",      "max",       "avg",           "collect", "type",
          "length", "size",    "nodes",    "relations", "relationships", "lower",   "tolower",
          "upper",  "toupper", "coalesce", "abs",       "startnode",     "endnode", "tostring"};
      if (!Contains(kFunctions, e->name)) {
        return ErrorAt(*e, "unknown function '" + e->name + "()'; known: " + JoinNames(kFunctions));
      }
      if (IsAggregateName(e->name) && e->args.size() != 1) {
        return ErrorAt(*e, e->name + "() takes one argument");
      }
    }
    for (auto& a : e->args) KG_RETURN_IF_ERROR(Resolve(a.get(), projection));
    return Status::Ok();
  }

  // --- Push-down ---

  static const Expr* AsProperty(const Expr* e, VarKind kind) {
    if (e->kind == ExprKind::kProperty && e->var_kind == kind) return e;
    return nullptr;
  }
  static bool IsStringLiteral(const Expr* e) {
    return e->kind == ExprKind::kLiteral && e->literal.kind() == Value::Kind::kString;
  }
  static bool IsStringList(const Expr* e) {
    if (e->kind != ExprKind::kList) return false;
    for (const auto& a : e->args) {
      if (!IsStringLiteral(a.get())) return false;
    }
    return true;
  }
  static Op Flip(Op op) {
    switch (op) {
      case Op::kLt:
        return Op::kGt;
      case Op::kLe:
        return Op::kGe;
      case Op::kGt:
        return Op::kLt;
      case Op::kGe:
        return Op::kLe;
      default:
        return op;
    }
  }
  int RelIndexOf(const Expr* e) const {
    auto it = vars_.find(e->name);
    return it == vars_.end() ? -1 : it->second.rel;
  }

  void Intersect(NodeInfo* node, std::vector<ActorId> ids, const std::string& text) {
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    if (node->candidates) {
      std::vector<ActorId> both;
      std::set_intersection(node->candidates->begin(), node->candidates->end(), ids.begin(),
                            ids.end(), std::back_inserter(both));
      node->candidates = std::move(both);
      node->candidate_text += " and " + text;
    } else {
      node->candidates = std::move(ids);
      node->candidate_text = text;
    }
    if (node->candidates->empty() && !plan_.empty) {
      plan_.empty = true;
      plan_.empty_reason = "no actor matches " + node->candidate_text + " for (" + node->var + ")";
    }
  }

  Result<std::vector<ActorId>> ActorsByCode(std::string_view code, bool prefix) {
    KG_ASSIGN_OR_RETURN(const std::vector<ActorRecord>* all, ctx_.AllActors());
    const std::string want = Upper(std::string(code));
    std::vector<ActorId> ids;
    for (const ActorRecord& rec : *all) {
      const std::string have = Upper(rec.code);
      if (prefix ? have.starts_with(want) : have == want) ids.push_back(rec.id);
    }
    return ids;
  }

  // Returns true when the conjunct is fully represented by index bounds or
  // candidate sets and needs no residual check.
  Result<bool> PushDown(const Expr& c) {
    if (c.kind != ExprKind::kBinary) return false;
    const Expr* lhs = c.args[0].get();
    const Expr* rhs = c.args[1].get();
    Op op = c.op;
    // Normalise "literal op property" to "property op literal".
    if ((IsStringLiteral(lhs) || lhs->kind == ExprKind::kList) &&
        (rhs->kind == ExprKind::kProperty || rhs->kind == ExprKind::kCall) && op != Op::kIn &&
        op != Op::kStartsWith) {
      std::swap(lhs, rhs);
      op = Flip(op);
    }
    // Node name / code.
    if (const Expr* prop = AsProperty(lhs, VarKind::kNode)) {
      NodeInfo& node = plan_.nodes[prop->slot];
      if (prop->property == "name" && op == Op::kEq && IsStringLiteral(rhs)) {
        auto ids = ctx_.ResolveActor(rhs->literal.AsString());
        if (!ids.ok()) return ErrorAt(*rhs, ids.status().message());
        Intersect(&node, *ids, "name '" + rhs->literal.AsString() + "'");
        return true;
      }
      if (prop->property == "name" && op == Op::kIn && IsStringList(rhs)) {
        std::vector<ActorId> all;
        for (const auto& item : rhs->args) {
          auto ids = ctx_.ResolveActor(item->literal.AsString());
          if (!ids.ok()) return ErrorAt(*item, ids.status().message());
          all.insert(all.end(), ids->begin(), ids->end());
        }
        Intersect(&node, all, std::to_string(rhs->args.size()) + " names");
        return true;
      }
      if (prop->property == "code" && (op == Op::kEq || op == Op::kStartsWith) &&
          IsStringLiteral(rhs)) {
        KG_ASSIGN_OR_RETURN(auto ids, ActorsByCode(rhs->literal.AsString(), op == Op::kStartsWith));
        Intersect(&node, ids,
                  std::string("code ") + (op == Op::kEq ? "" : "starting with ") + "'" +
                      rhs->literal.AsString() + "'");
        return true;
      }
      if (prop->property == "code" && op == Op::kIn && IsStringList(rhs)) {
        std::vector<ActorId> all;
        for (const auto& item : rhs->args) {
          KG_ASSIGN_OR_RETURN(auto ids, ActorsByCode(item->literal.AsString(), false));
          all.insert(all.end(), ids.begin(), ids.end());
        }
        Intersect(&node, all, std::to_string(rhs->args.size()) + " codes");
        return true;
      }
      return false;
    }
    // Relationship date and relation name.
    const Expr* rel_prop = AsProperty(lhs, VarKind::kEdge);
    if (!rel_prop) rel_prop = AsProperty(lhs, VarKind::kHops);
    const bool is_type_call = lhs->kind == ExprKind::kCall && lhs->name == "type" &&
                              lhs->args.size() == 1 && lhs->args[0]->kind == ExprKind::kVariable &&
                              lhs->args[0]->var_kind == VarKind::kEdge;
    if (is_type_call ||
        (rel_prop && (rel_prop->property == "relation" || rel_prop->property == "type"))) {
      const Expr* var = is_type_call ? lhs->args[0].get() : rel_prop;
      RelInfo& rel = plan_.rels[RelIndexOf(var)];
      std::vector<std::string> names;
      if (op == Op::kEq && IsStringLiteral(rhs)) {
        names.push_back(NormalizeName(rhs->literal.AsString()));
      } else if (op == Op::kIn && IsStringList(rhs)) {
        for (const auto& item : rhs->args) names.push_back(NormalizeName(item->literal.AsString()));
      } else {
        return false;
      }
      where_relations_[RelIndexOf(var)].push_back(names);
      (void)rel;
      return true;
    }
    if (rel_prop && rel_prop->property == "date" && IsStringLiteral(rhs) &&
        (op == Op::kEq || op == Op::kLt || op == Op::kLe || op == Op::kGt || op == Op::kGe)) {
      auto date = ParseIsoDate(rhs->literal.AsString());
      if (!date.ok() || rhs->literal.AsString().size() != 10) return false;  // Compared as text.
      RelInfo& rel = plan_.rels[RelIndexOf(rel_prop)];
      const Date d = *date;
      switch (op) {
        case Op::kEq:
          rel.date_from = std::max(rel.date_from, d);
          rel.date_to = std::min(rel.date_to, d);
          break;
        case Op::kGe:
          rel.date_from = std::max(rel.date_from, d);
          break;
        case Op::kGt:
          rel.date_from = std::max(rel.date_from, d + 1);
          break;
        case Op::kLe:
          rel.date_to = std::min(rel.date_to, d);
          break;
        case Op::kLt:
          rel.date_to = std::min(rel.date_to, d - 1);
          break;
        default:
          break;
      }
      if (rel.date_from == INT32_MIN) rel.date_from = INT32_MIN + 1;  // Exclude unknown dates.
      return true;
    }
    return false;
  }

  // Relation names from the pattern and WHERE -> ids; negated handling.
  Status FinishRelations() {
    for (size_t i = 0; i < plan_.rels.size(); ++i) {
      RelInfo& rel = plan_.rels[i];
      std::optional<std::set<std::string>> names;
      if (!rel.relation_names.empty()) {
        names = std::set<std::string>(rel.relation_names.begin(), rel.relation_names.end());
      }
      for (const auto& list : where_relations_[static_cast<int>(i)]) {
        std::set<std::string> s(list.begin(), list.end());
        if (names) {
          std::set<std::string> both;
          std::set_intersection(names->begin(), names->end(), s.begin(), s.end(),
                                std::inserter(both, both.begin()));
          names = std::move(both);
        } else {
          names = std::move(s);
        }
      }
      rel.relation_names.clear();
      if (!names) continue;
      size_t known = 0;
      for (const auto& name : *names) {
        const RelationId id = RelationIdFor(name);
        KG_ASSIGN_OR_RETURN(bool exists, ctx_.RelationExists(id));
        if (!exists) {
          KG_ASSIGN_OR_RETURN(std::vector<std::string> close, ctx_.SuggestRelations(name));
          std::string note = "relation '" + name + "' does not occur in the store";
          if (!close.empty()) {
            note += " (closest:";
            for (const auto& s : close) note += " '" + s + "'";
            note += ")";
          }
          plan_.notes.push_back(note);
          continue;
        }
        ++known;
        rel.relations.push_back(id);
        rel.relation_names.push_back(name);
      }
      if (known == 0) {
        rel.no_relation_matches = true;
        if (!plan_.empty) {
          plan_.empty = true;
          plan_.empty_reason = "no relation of [" + rel.var + "] occurs in the store";
        }
      }
      // Scan relations in id order: the order of the index.
      std::vector<std::pair<RelationId, std::string>> sorted;
      for (size_t k = 0; k < rel.relations.size(); ++k)
        sorted.emplace_back(rel.relations[k], rel.relation_names[k]);
      std::sort(sorted.begin(), sorted.end());
      rel.relations.clear();
      rel.relation_names.clear();
      for (auto& [id, name] : sorted) {
        rel.relations.push_back(id);
        rel.relation_names.push_back(name);
      }
    }
    return Status::Ok();
  }

  static void CollectVars(const Expr& e, std::set<std::pair<VarKind, int>>* out) {
    if ((e.kind == ExprKind::kVariable || e.kind == ExprKind::kProperty) &&
        e.var_kind != VarKind::kUnresolved) {
      out->insert({e.var_kind, e.slot});
    }
    for (const auto& a : e.args) CollectVars(*a, out);
  }
  static bool MentionsNegated(const Expr& e, int edge_slot, VarKind kind) {
    if (e.kind == ExprKind::kProperty && e.var_kind == kind && e.slot == edge_slot &&
        e.property == "negated") {
      return true;
    }
    for (const auto& a : e.args) {
      if (MentionsNegated(*a, edge_slot, kind)) return true;
    }
    return false;
  }
  static bool HasHopsProperty(const Expr& e, int slot) {
    if (e.kind == ExprKind::kProperty && e.var_kind == VarKind::kHops && e.slot == slot)
      return true;
    for (const auto& a : e.args) {
      if (HasHopsProperty(*a, slot)) return true;
    }
    return false;
  }

  // Conditions on properties of a variable-length relationship apply to each
  // of its hops; they must not mention other variables.
  Status ClassifyPerHop(std::vector<const Expr*>* residual) {
    std::vector<const Expr*> keep;
    for (const Expr* c : *residual) {
      for (RelInfo& rel : plan_.rels) {
        const VarKind kind = rel.variable_length ? VarKind::kHops : VarKind::kEdge;
        if (MentionsNegated(*c, rel.slot, kind)) rel.include_negated = true;
      }
      bool per_hop = false;
      for (RelInfo& rel : plan_.rels) {
        if (!rel.variable_length || !HasHopsProperty(*c, rel.slot)) continue;
        std::set<std::pair<VarKind, int>> vars;
        CollectVars(*c, &vars);
        if (vars.size() != 1) {
          return ErrorAt(*c, "a condition on the hops of variable-length relationship '" + rel.var +
                                 "' may only refer to that relationship's properties");
        }
        rel.per_hop_filters.push_back(c);
        per_hop = true;
      }
      if (!per_hop) keep.push_back(c);
    }
    *residual = std::move(keep);
    return Status::Ok();
  }

  // --- Operator order ---

  Status OrderOperators() {
    const Query& q = plan_.query;
    std::set<int> bound;  // Node slots bound by earlier patterns.
    for (size_t pi = 0; pi < q.patterns.size(); ++pi) {
      const PathPattern& p = q.patterns[pi];
      const std::vector<int>& ns = pattern_nodes_[pi];
      const std::vector<int>& rs = rel_of_pattern_[pi];
      const int path_slot = path_slot_.count(pi) ? path_slot_[pi] : -1;
      auto score = [&](int slot) -> uint64_t {
        if (bound.count(slot)) return 0;
        if (plan_.nodes[slot].candidates) return 1 + plan_.nodes[slot].candidates->size();
        return UINT64_MAX;
      };
      bool connected = false;
      for (int n : ns) connected = connected || bound.count(n);
      if (pi > 0 && !connected) {
        bool pinned = false;
        for (int n : ns) pinned = pinned || plan_.nodes[n].candidates.has_value();
        if (!pinned) {
          plan_.notes.push_back("pattern " + std::to_string(pi + 1) +
                                " shares no variable with the previous ones: the result is their "
                                "cartesian product (bounded by the work budget)");
        }
      }
      if (p.selector != PathSelector::kNone) {
        if (ns.size() < 2 || rs.empty()) {  // MATCH p = SHORTEST (a) (found by fuzz_query).
          return ErrorAt(p.line, p.column,
                         "SHORTEST needs a path between two nodes, e.g. "
                         "SHORTEST (a {name: 'John Kerry'})-[*1..4]-(b {name: 'Russia'})");
        }
        const int a = ns[0], b = ns[1];
        if (score(a) == UINT64_MAX || score(b) == UINT64_MAX) {
          return ErrorAt(
              p.line, p.column,
              "SHORTEST needs both end nodes pinned to actors, e.g. (a {name: 'John Kerry'})");
        }
        const bool forward = score(a) <= score(b);
        PlanOp bind;
        bind.kind = OpKind::kBindNode;
        bind.node = forward ? a : b;
        plan_.ops.push_back(bind);
        PlanOp sp;
        sp.kind = OpKind::kShortest;
        sp.node = forward ? a : b;
        sp.other = forward ? b : a;
        sp.rel = rs[0];
        sp.forward = forward;
        sp.all_shortest = p.selector == PathSelector::kAllShortest;
        sp.path_slot = path_slot;
        plan_.ops.push_back(sp);
        bound.insert(a);
        bound.insert(b);
        continue;
      }
      // Anchor: the most selective node, else a relationship scan.
      int anchor = -1;
      uint64_t best = UINT64_MAX;
      for (size_t i = 0; i < ns.size(); ++i) {
        if (score(ns[i]) < best) {
          best = score(ns[i]);
          anchor = static_cast<int>(i);
        }
      }
      int scan_rel = -1;
      if (anchor < 0) {
        size_t fewest = SIZE_MAX;
        for (size_t i = 0; i < rs.size(); ++i) {
          const RelInfo& rel = plan_.rels[rs[i]];
          if (rel.variable_length) continue;
          const size_t n = rel.relations.empty() ? SIZE_MAX - 1 : rel.relations.size();
          if (n < fewest) {
            fewest = n;
            scan_rel = static_cast<int>(i);
          }
        }
        if (scan_rel < 0) anchor = 0;
      }
      auto expand = [&](int ri, bool forward) {
        const RelInfo& rel = plan_.rels[rs[ri]];
        PlanOp op;
        op.kind = rel.variable_length ? OpKind::kVarExpand : OpKind::kExpand;
        op.rel = rs[ri];
        op.forward = forward;
        op.node = forward ? ns[ri] : ns[ri + 1];
        op.other = forward ? ns[ri + 1] : ns[ri];
        plan_.ops.push_back(op);
      };
      if (anchor >= 0) {
        PlanOp bind;
        bind.kind = OpKind::kBindNode;
        bind.node = ns[anchor];
        plan_.ops.push_back(bind);
        for (int i = anchor; i < static_cast<int>(rs.size()); ++i) expand(i, true);
        for (int i = anchor - 1; i >= 0; --i) expand(i, false);
      } else {
        PlanOp scan;
        scan.kind = OpKind::kScanRel;
        scan.rel = rs[scan_rel];
        scan.node = ns[scan_rel];
        scan.other = ns[scan_rel + 1];
        plan_.ops.push_back(scan);
        for (int i = scan_rel + 1; i < static_cast<int>(rs.size()); ++i) expand(i, true);
        for (int i = scan_rel - 1; i >= 0; --i) expand(i, false);
      }
      if (path_slot >= 0) {
        PlanOp build;
        build.kind = OpKind::kBuildPath;
        build.pattern = static_cast<int>(pi);
        build.path_slot = path_slot;
        build.path_rels = rs;
        plan_.ops.push_back(build);
      }
      for (int n : ns) bound.insert(n);
    }
    return Status::Ok();
  }

  void PlaceFilters(const std::vector<const Expr*>& residual) {
    std::vector<std::set<std::pair<VarKind, int>>> bound_after(plan_.ops.size());
    std::set<std::pair<VarKind, int>> bound;
    for (size_t i = 0; i < plan_.ops.size(); ++i) {
      const PlanOp& op = plan_.ops[i];
      auto rel_var = [&](int rel) {
        const RelInfo& r = plan_.rels[rel];
        bound.insert({r.variable_length ? VarKind::kHops : VarKind::kEdge, r.slot});
      };
      switch (op.kind) {
        case OpKind::kBindNode:
          bound.insert({VarKind::kNode, op.node});
          break;
        case OpKind::kScanRel:
        case OpKind::kExpand:
        case OpKind::kVarExpand:
          bound.insert({VarKind::kNode, op.node});
          bound.insert({VarKind::kNode, op.other});
          rel_var(op.rel);
          break;
        case OpKind::kShortest:
          bound.insert({VarKind::kNode, op.other});
          rel_var(op.rel);
          if (op.path_slot >= 0) bound.insert({VarKind::kPath, op.path_slot});
          break;
        case OpKind::kBuildPath:
          bound.insert({VarKind::kPath, op.path_slot});
          break;
      }
      bound_after[i] = bound;
    }
    for (const Expr* c : residual) {
      std::set<std::pair<VarKind, int>> vars;
      CollectVars(*c, &vars);
      size_t at = plan_.ops.empty() ? 0 : plan_.ops.size() - 1;
      for (size_t i = 0; i < plan_.ops.size(); ++i) {
        if (std::includes(bound_after[i].begin(), bound_after[i].end(), vars.begin(), vars.end())) {
          at = i;
          break;
        }
      }
      if (!plan_.ops.empty()) plan_.ops[at].filters.push_back(c);
    }
  }

  // --- Projection ---

  static std::string Squash(std::string_view s) {
    std::string out;
    for (char c : s) {
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') out += c;
    }
    return out;
  }

  Status Projection() {
    Query& q = plan_.query;
    for (auto& item : q.items) {
      const Expr& e = *item.expr;
      const bool top_aggregate =
          e.kind == ExprKind::kCountStar || (e.kind == ExprKind::kCall && IsAggregateName(e.name));
      if (top_aggregate) {
        for (const auto& a : e.args) {
          if (ContainsAggregate(*a)) return ErrorAt(*a, "aggregate functions cannot be nested");
        }
      } else if (ContainsAggregate(e)) {
        return ErrorAt(e, "an aggregate function must be a whole RETURN item, e.g. count(*) AS n");
      }
      KG_RETURN_IF_ERROR(CheckResolved(e));
      plan_.item_is_aggregate.push_back(top_aggregate);
      plan_.aggregate = plan_.aggregate || top_aggregate;
      plan_.columns.push_back(item.alias);
    }
    for (auto& order : q.order_by) {
      const Expr& e = *order.expr;
      int found = -1;
      if (e.kind == ExprKind::kVariable) {
        for (size_t i = 0; i < q.items.size(); ++i) {
          if (q.items[i].alias == e.name) found = static_cast<int>(i);
        }
      }
      if (found < 0) {
        const std::string text = Squash(text_.substr(e.begin, e.end - e.begin));
        for (size_t i = 0; i < q.items.size(); ++i) {
          const Expr& ie = *q.items[i].expr;
          if (Squash(text_.substr(ie.begin, ie.end - ie.begin)) == text)
            found = static_cast<int>(i);
        }
      }
      plan_.order_desc.push_back(order.descending);
      if (found >= 0) {
        plan_.order_item.push_back(found);
        plan_.order_extra.push_back(nullptr);
        continue;
      }
      if (plan_.aggregate || q.distinct) {
        return ErrorAt(e, "ORDER BY of an aggregating or DISTINCT query must name a RETURN column");
      }
      if (ContainsAggregate(e)) return ErrorAt(e, "ORDER BY cannot aggregate here");
      KG_RETURN_IF_ERROR(CheckResolved(e));
      plan_.order_item.push_back(-1);
      plan_.order_extra.push_back(&e);
    }
    if (ctx_.options().evidence) {
      if (plan_.aggregate) {
        return Status::InvalidArgument(
            "--evidence needs a query that returns individual edges, not aggregates");
      }
      for (size_t i = 0; i < plan_.rels.size(); ++i)
        plan_.evidence_rels.push_back(static_cast<int>(i));
    }
    return Status::Ok();
  }

  // --- Key-only scans and the pair-count index ---

  static bool ReadsEdgeValue(const Expr& e) {
    static constexpr std::string_view kValueProps[] = {"cameo", "root",      "quad_class",
                                                       "quad",  "goldstein", "attributed_to"};
    if (e.kind == ExprKind::kProperty &&
        (e.var_kind == VarKind::kEdge || e.var_kind == VarKind::kHops) &&
        Contains(kValueProps, e.property)) {
      return true;
    }
    for (const auto& a : e.args) {
      if (ReadsEdgeValue(*a)) return true;
    }
    return false;
  }

  void ComputeNeedsEdgeValues() {
    const Query& q = plan_.query;
    bool needs = q.where && ReadsEdgeValue(*q.where);
    for (const auto& e : plan_.synthesized) needs = needs || ReadsEdgeValue(*e);
    for (const auto& item : q.items) needs = needs || ReadsEdgeValue(*item.expr);
    for (const auto& item : q.order_by) needs = needs || ReadsEdgeValue(*item.expr);
    plan_.needs_edge_values = needs;
  }

  static bool IsNodeKey(const Expr& e) {
    if (e.var_kind != VarKind::kNode) return false;
    if (e.kind == ExprKind::kVariable) return true;
    return e.kind == ExprKind::kProperty && (e.property == "name" || e.property == "id");
  }

  // Uses the pair-count index when it counts exactly what the query counts
  // (see CountPlan in plan.h); otherwise leaves the operator plan alone.
  void ChooseCountPlan() {
    const Query& q = plan_.query;
    if (!plan_.aggregate || q.patterns.size() != 1 || plan_.rels.size() != 1) return;
    const PathPattern& p = q.patterns[0];
    if (p.selector != PathSelector::kNone || !p.path_var.empty()) return;
    const RelInfo& rel = plan_.rels[0];
    if (rel.variable_length || rel.direction == RelDirection::kBoth) return;
    if (rel.date_from != INT32_MIN || rel.date_to != INT32_MAX) return;
    if (!rel.per_hop_filters.empty() || rel.from_node == rel.to_node) return;
    if (plan_.nodes.size() != 2) return;
    for (const PlanOp& op : plan_.ops) {
      if (!op.filters.empty()) return;
    }
    bool pinned = false;
    for (const NodeInfo& n : plan_.nodes) pinned = pinned || n.candidates.has_value();
    // A pinned actor's edges are one short prefix scan: the topology is worth
    // loading for them only if an earlier query of this reader loaded it.
    ctx_.set_load_topology(!pinned);
    const Result<const Topology*> topology = ctx_.CurrentTopology();
    ctx_.set_load_topology(true);
    const bool from_topology = topology.ok() && *topology != nullptr;
    // The counts column family holds asserted events only, and pinned nodes
    // are cheaper through the edge indexes.
    if ((rel.include_negated || pinned) && !from_topology) return;
    CountPlan cp;
    cp.rel = 0;
    cp.from_topology = from_topology;
    cp.from_is_source = rel.direction == RelDirection::kOut;
    cp.injective_groups = true;
    for (size_t i = 0; i < q.items.size(); ++i) {
      const Expr& e = *q.items[i].expr;
      int kind = 0, node = -1;
      if (!plan_.item_is_aggregate[i]) {
        std::set<std::pair<VarKind, int>> vars;
        CollectVars(e, &vars);
        for (const auto& [k, slot] : vars) {
          if (k != VarKind::kNode) return;
          (slot == rel.from_node ? cp.group_from : cp.group_to) = true;
        }
        if (!IsNodeKey(e) && !vars.empty()) cp.injective_groups = false;
      } else if (e.kind == ExprKind::kCountStar) {
        kind = 1;
      } else if (e.name == "count" && e.args.size() == 1) {
        const Expr& a = *e.args[0];
        if (!e.distinct && a.kind == ExprKind::kVariable &&
            (a.var_kind == VarKind::kEdge || a.var_kind == VarKind::kNode)) {
          kind = 1;  // Never null: one per matched edge.
        } else if (e.distinct && IsNodeKey(a)) {
          kind = 2;
          node = a.slot;
        } else {
          return;
        }
      } else {
        return;
      }
      cp.agg_kind.push_back(kind);
      cp.distinct_node.push_back(node);
    }
    plan_.counts = std::move(cp);
  }

  Status CheckResolved(const Expr& e) const {
    if ((e.kind == ExprKind::kVariable || e.kind == ExprKind::kProperty) &&
        e.var_kind == VarKind::kUnresolved) {
      return ErrorAt(e, "unknown variable '" + e.name + "'");
    }
    for (const auto& a : e.args) KG_RETURN_IF_ERROR(CheckResolved(*a));
    return Status::Ok();
  }

  std::string_view text_;
  GraphContext& ctx_;
  Plan plan_;
  std::map<std::string, VarEntry> vars_;
  std::map<size_t, std::vector<int>> pattern_nodes_;
  std::map<size_t, std::vector<int>> rel_of_pattern_;
  std::map<size_t, int> path_slot_;
  std::map<int, std::vector<std::vector<std::string>>> where_relations_;
};

std::string DirectionArrow(RelDirection d, bool forward, const std::string& inner) {
  RelDirection eff = d;
  if (!forward && d != RelDirection::kBoth)
    eff = d == RelDirection::kOut ? RelDirection::kIn : RelDirection::kOut;
  switch (eff) {
    case RelDirection::kOut:
      return "-[" + inner + "]->";
    case RelDirection::kIn:
      return "<-[" + inner + "]-";
    case RelDirection::kBoth:
      return "-[" + inner + "]-";
  }
  return "";
}

}  // namespace

Result<Plan> PlanQuery(Query query, std::string_view text, GraphContext& ctx) {
  return Planner(text, ctx).Run(std::move(query));
}

std::string DescribePlan(const Plan& plan) {
  std::string out;
  auto node_text = [&](int slot) {
    const NodeInfo& n = plan.nodes[slot];
    std::string s = "(" + (n.anonymous ? std::string() : n.var);
    if (n.type) s += ":" + std::string(ActorTypeName(*n.type));
    s += ")";
    return s;
  };
  auto rel_inner = [&](const RelInfo& r) {
    std::string s = r.anonymous ? "" : r.var;
    if (!r.relation_names.empty()) {
      s += ":";
      for (size_t i = 0; i < r.relation_names.size(); ++i)
        s += (i ? "|" : "") + r.relation_names[i];
    }
    if (r.variable_length)
      s += "*" + std::to_string(r.min_hops) + ".." + std::to_string(r.max_hops);
    return s;
  };
  auto edge_bounds = [&](const RelInfo& r) {
    std::string s;
    if (r.date_from > INT32_MIN + 1 || r.date_to < INT32_MAX) {
      s += "; date " + (r.date_from > INT32_MIN + 1 ? FormatIsoDate(r.date_from) : std::string()) +
           ".." + (r.date_to < INT32_MAX ? FormatIsoDate(r.date_to) : std::string());
    }
    s += r.include_negated ? "; asserted and negated events" : "; asserted events only";
    if (!r.per_hop_filters.empty())
      s += "; " + std::to_string(r.per_hop_filters.size()) + " condition(s) on every hop";
    return s;
  };
  // The index a scan with these bound fields uses.
  auto index_for = [](bool source, bool relation, bool target) {
    EdgeScanSpec spec;
    if (source) spec.source = 1;
    if (relation) spec.relation = 1;
    if (target) spec.target = 1;
    return std::string(EdgeIndexName(ChooseEdgeIndex(spec)));
  };
  auto prefix_text = [](bool source, bool relation, bool target) {
    std::string s;
    auto add = [&](bool b, const char* name) {
      if (!b) return;
      if (!s.empty()) s += ", ";
      s += name;
    };
    add(source, "source");
    add(relation, "relation");
    add(target, "target");
    return s.empty() ? std::string("none (full scan)") : s;
  };
  std::set<int> bound;
  int step = 1;
  if (plan.empty) out += "Note: the result is empty: " + plan.empty_reason + "\n";
  if (plan.counts) {
    const RelInfo& r = plan.rels[plan.counts->rel];
    std::string line =
        std::to_string(step++) + ". CountPairs " + node_text(r.from_node) +
        DirectionArrow(r.direction, true, rel_inner(r)) + node_text(r.to_node) +
        (plan.counts->from_topology
             ? std::string(": topology (distinct source, relation, target triples with event "
                           "counts, in memory)") +
                   (plan.nodes[r.from_node].candidates || plan.nodes[r.to_node].candidates
                        ? "; links of the pinned actor only"
                        : "; every link")
             : std::string(": pair-count index (counts 'P' relation, source, target -> events), ") +
                   (r.relations.empty()
                        ? std::string("every relation")
                        : "prefix relation" + std::string(r.relations.size() > 1
                                                              ? ", one scan per relation"
                                                              : "")) +
                   "; asserted events only") +
        "; no edge scan";
    out += line + "\n";
    if (plan.counts->injective_groups && !plan.order_item.empty() &&
        plan.item_is_aggregate[plan.order_item[0]] && plan.query.limit) {
      out += "   Top-k: only groups whose first ORDER BY count can reach the page are named\n";
    }
  }
  for (const PlanOp& op : plan.ops) {
    if (plan.counts) break;
    std::string line = std::to_string(step++) + ". ";
    switch (op.kind) {
      case OpKind::kBindNode: {
        const NodeInfo& n = plan.nodes[op.node];
        line += "BindNode " + node_text(op.node) + ": ";
        if (bound.count(op.node)) {
          line += "already bound";
        } else if (n.candidates) {
          line += std::to_string(n.candidates->size()) + " candidate actor(s) by " +
                  n.candidate_text + " (names index)";
        } else {
          line += "every actor (actors scan)";
        }
        bound.insert(op.node);
        break;
      }
      case OpKind::kScanRel: {
        const RelInfo& r = plan.rels[op.rel];
        const bool rel_bound = !r.relations.empty();
        line += "ScanEdges " + node_text(r.from_node) +
                DirectionArrow(r.direction, true, rel_inner(r)) + node_text(r.to_node) +
                ": index " + index_for(false, rel_bound, false) + ", prefix " +
                prefix_text(false, rel_bound, false);
        if (r.relations.size() > 1) line += ", one scan per relation";
        if (r.direction == RelDirection::kBoth) line += "; each edge matched in both orientations";
        line += edge_bounds(r);
        bound.insert(op.node);
        bound.insert(op.other);
        break;
      }
      case OpKind::kExpand:
      case OpKind::kVarExpand:
      case OpKind::kShortest: {
        const RelInfo& r = plan.rels[op.rel];
        const bool rel_bound = !r.relations.empty();
        const bool other_bound = bound.count(op.other) > 0;
        const char* name = op.kind == OpKind::kExpand      ? "Expand"
                           : op.kind == OpKind::kVarExpand ? "VarExpand (trail)"
                           : op.all_shortest               ? "AllShortestPaths (BFS)"
                                                           : "ShortestPath (BFS)";
        line += std::string(name) + " " + node_text(op.node) +
                DirectionArrow(r.direction, op.forward, rel_inner(r)) + node_text(op.other) + ": ";
        RelDirection eff = r.direction;
        if (!op.forward && eff != RelDirection::kBoth) {
          eff = eff == RelDirection::kOut ? RelDirection::kIn : RelDirection::kOut;
        }
        const bool full = op.kind == OpKind::kExpand && other_bound;
        std::vector<std::string> scans;
        if (eff != RelDirection::kIn) {
          scans.push_back("outgoing via " + index_for(true, rel_bound, full) + ", prefix " +
                          prefix_text(true, rel_bound, full));
        }
        if (eff != RelDirection::kOut) {
          scans.push_back("incoming via " + index_for(full, rel_bound, true) + ", prefix " +
                          prefix_text(full, rel_bound, true));
        }
        for (size_t i = 0; i < scans.size(); ++i) line += (i ? " and " : "") + scans[i];
        if (r.relations.size() > 1) line += ", one scan per relation";
        if (op.kind != OpKind::kExpand)
          line += ", hops over distinct (source, relation, target) triples";
        line += edge_bounds(r);
        bound.insert(op.other);
        break;
      }
      case OpKind::kBuildPath:
        line += "BuildPath of pattern " + std::to_string(op.pattern + 1);
        break;
    }
    out += line + "\n";
    for (const Expr* f : op.filters) {
      std::string text(plan.text.substr(f->begin, f->end - f->begin));
      if (f->kind == ExprKind::kBinary && f->args[0]->begin == 0 && f->args[0]->end == 0) {
        // A condition made from a property map: {key: value}.
        text = f->args[0]->name + "." + f->args[0]->property + " = " + text;
      }
      out += "   Filter: " + text + "\n";
    }
  }
  std::string proj =
      std::string(plan.aggregate ? "Aggregate" : (plan.query.distinct ? "Distinct" : "Project")) +
      ": ";
  for (size_t i = 0; i < plan.columns.size(); ++i) proj += (i ? ", " : "") + plan.columns[i];
  out += std::to_string(step++) + ". " + proj + "\n";
  std::string sort = std::to_string(step) + ". Sort";
  sort += plan.order_item.empty() ? " by all columns" : " by ORDER BY keys, then all columns";
  sort += plan.aggregate ? "" : ", then edge identity";
  if (plan.query.limit) sort += "; LIMIT " + std::to_string(*plan.query.limit);
  sort += "; keyset cursor";
  out += sort + "\n";
  for (const auto& note : plan.notes) out += "Note: " + note + "\n";
  return out;
}

}  // namespace kg::query
