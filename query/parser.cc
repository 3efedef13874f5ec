#include "query/parser.h"

#include <charconv>
#include <cstdlib>

#include "query/lexer.h"

namespace kg::query {
namespace {

bool IEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Words that cannot be variable names (they would make the grammar ambiguous).
bool IsReserved(std::string_view word) {
  static constexpr std::string_view kReserved[] = {
      "match", "where",     "return",     "order",   "by",       "limit",    "and",
      "or",    "xor",       "not",        "in",      "starts",   "ends",     "contains",
      "is",    "null",      "true",       "false",   "as",       "distinct", "asc",
      "desc",  "ascending", "descending", "explain", "shortest", "all"};
  for (auto r : kReserved) {
    if (IEquals(word, r)) return true;
  }
  return false;
}

class Parser {
 public:
  Parser(std::string_view text, std::vector<Token> tokens)
      : text_(text), toks_(std::move(tokens)) {}

  Result<Query> ParseQuery() {
    Query q;
    if (IsKeyword("EXPLAIN")) {
      Next();
      q.explain = true;
    }
    KG_RETURN_IF_ERROR(ExpectKeyword("MATCH", "a query starts with MATCH"));
    do {
      PathPattern p;
      KG_RETURN_IF_ERROR(ParsePathPattern(&p));
      q.patterns.push_back(std::move(p));
    } while (AcceptPunct(","));
    if (IsKeyword("WHERE")) {
      Next();
      KG_ASSIGN_OR_RETURN(q.where, ParseExpr());
    }
    KG_RETURN_IF_ERROR(ExpectKeyword("RETURN", "expected WHERE or RETURN"));
    if (IsKeyword("DISTINCT")) {
      Next();
      q.distinct = true;
    }
    do {
      ReturnItem item;
      KG_ASSIGN_OR_RETURN(item.expr, ParseExpr());
      if (IsKeyword("AS")) {
        Next();
        KG_ASSIGN_OR_RETURN(item.alias, ExpectIdent("a column name after AS"));
      } else {
        item.alias = std::string(text_.substr(item.expr->begin, item.expr->end - item.expr->begin));
      }
      q.items.push_back(std::move(item));
    } while (AcceptPunct(","));
    if (IsKeyword("ORDER")) {
      Next();
      KG_RETURN_IF_ERROR(ExpectKeyword("BY", "expected BY after ORDER"));
      do {
        OrderItem item;
        KG_ASSIGN_OR_RETURN(item.expr, ParseExpr());
        if (IsKeyword("DESC") || IsKeyword("DESCENDING")) {
          Next();
          item.descending = true;
        } else if (IsKeyword("ASC") || IsKeyword("ASCENDING")) {
          Next();
        }
        q.order_by.push_back(std::move(item));
      } while (AcceptPunct(","));
    }
    if (IsKeyword("LIMIT")) {
      Next();
      if (Peek().kind != TokenKind::kInt)
        return ErrorHere("expected a non-negative integer after LIMIT");
      int64_t n = 0;
      if (!ParseInt(Peek().text, &n)) return ErrorHere("LIMIT is too large");
      q.limit = n;
      Next();
    }
    AcceptPunct(";");
    if (Peek().kind != TokenKind::kEnd) {
      return ErrorHere("expected ORDER BY, LIMIT or the end of the query");
    }
    return q;
  }

 private:
  const Token& Peek(size_t ahead = 0) const {
    return toks_[std::min(pos_ + ahead, toks_.size() - 1)];
  }
  const Token& Next() {
    const Token& t = toks_[pos_];
    if (pos_ + 1 < toks_.size()) ++pos_;
    last_end_ = t.end;
    return t;
  }
  bool IsPunct(std::string_view p, size_t ahead = 0) const {
    return Peek(ahead).kind == TokenKind::kPunct && Peek(ahead).text == p;
  }
  bool IsKeyword(std::string_view kw, size_t ahead = 0) const {
    const Token& t = Peek(ahead);
    return t.kind == TokenKind::kIdent && !t.quoted && IEquals(t.text, kw);
  }
  bool AcceptPunct(std::string_view p) {
    if (!IsPunct(p)) return false;
    Next();
    return true;
  }

  static std::string Describe(const Token& t) {
    switch (t.kind) {
      case TokenKind::kEnd:
        return "the end of the query";
      case TokenKind::kString:
        return "string '" + t.text + "'";
      default:
        return "'" + t.text + "'";
    }
  }
  Status ErrorAt(const Token& t, const std::string& message) const {
    return SyntaxError(text_, t.line, t.column, message + ", found " + Describe(t));
  }
  Status ErrorHere(const std::string& message) const { return ErrorAt(Peek(), message); }

  Status ExpectPunct(std::string_view p, const std::string& what = "") {
    if (AcceptPunct(p)) return Status::Ok();
    return ErrorHere(what.empty() ? "expected '" + std::string(p) + "'" : what);
  }
  Status ExpectKeyword(std::string_view kw, const std::string& what) {
    if (IsKeyword(kw)) {
      Next();
      return Status::Ok();
    }
    return ErrorHere(what);
  }
  Result<std::string> ExpectIdent(const std::string& what) {
    const Token& t = Peek();
    if (t.kind != TokenKind::kIdent || (!t.quoted && IsReserved(t.text))) {
      return ErrorHere("expected " + what);
    }
    Next();
    return t.text;
  }
  bool IsVariableToken(size_t ahead = 0) const {
    const Token& t = Peek(ahead);
    return t.kind == TokenKind::kIdent && (t.quoted || !IsReserved(t.text));
  }

  static bool ParseInt(const std::string& s, int64_t* out) {
    auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
    return ec == std::errc() && ptr == s.data() + s.size();
  }

  // --- Patterns ---

  Status ParsePathPattern(PathPattern* p) {
    p->line = Peek().line;
    p->column = Peek().column;
    if (IsVariableToken() && IsPunct("=", 1)) {
      p->path_var = Next().text;
      Next();
    }
    if (IsKeyword("ALL") && IsKeyword("SHORTEST", 1)) {
      Next();
      Next();
      p->selector = PathSelector::kAllShortest;
    } else if (IsKeyword("SHORTEST")) {
      Next();
      p->selector = PathSelector::kShortest;
    }
    NodePattern first;
    KG_RETURN_IF_ERROR(ParseNode(&first));
    p->nodes.push_back(std::move(first));
    while (IsPunct("-") || IsPunct("<-")) {
      RelPattern rel;
      KG_RETURN_IF_ERROR(ParseRel(&rel));
      p->rels.push_back(std::move(rel));
      NodePattern node;
      KG_RETURN_IF_ERROR(ParseNode(&node));
      p->nodes.push_back(std::move(node));
    }
    return Status::Ok();
  }

  Status ParseNode(NodePattern* n) {
    n->line = Peek().line;
    n->column = Peek().column;
    KG_RETURN_IF_ERROR(ExpectPunct("(", "expected '(' to start a node pattern"));
    if (IsVariableToken()) n->var = Next().text;
    if (AcceptPunct(":")) {
      KG_ASSIGN_OR_RETURN(n->label, ExpectIdent("a label after ':'"));
    }
    if (IsPunct("{")) KG_RETURN_IF_ERROR(ParseProperties(&n->properties));
    return ExpectPunct(")", "expected ')' to close the node pattern");
  }

  Status ParseRel(RelPattern* r) {
    r->line = Peek().line;
    r->column = Peek().column;
    bool left_arrow = false;
    if (AcceptPunct("<-")) {
      left_arrow = true;
    } else {
      KG_RETURN_IF_ERROR(ExpectPunct("-"));
    }
    // Short forms: -->, --, <--, and "-" "->".
    if (!IsPunct("[")) {
      if (AcceptPunct("->")) {
        if (left_arrow) return ErrorHere("a relationship cannot point both ways");
        r->direction = RelDirection::kOut;
        return Status::Ok();
      }
      KG_RETURN_IF_ERROR(ExpectPunct("-", "expected '[', '-' or '->' in a relationship pattern"));
      r->direction = left_arrow ? RelDirection::kIn : RelDirection::kBoth;
      return Status::Ok();
    }
    Next();  // '['
    if (IsVariableToken()) r->var = Next().text;
    if (AcceptPunct(":")) {
      do {
        const Token& t = Peek();
        if (t.kind != TokenKind::kIdent && t.kind != TokenKind::kString) {
          return ErrorHere("expected a relation type after ':' or '|'");
        }
        r->types.push_back(Next().text);
      } while (AcceptPunct("|"));
    }
    if (AcceptPunct("*")) {
      r->variable_length = true;
      r->min_hops = 1;
      if (Peek().kind == TokenKind::kInt) {
        int64_t n = 0;
        if (!ParseInt(Peek().text, &n) || n > 1000) return ErrorHere("hop count is too large");
        r->min_hops = static_cast<int>(n);
        Next();
        if (!IsPunct("..")) r->max_hops = r->min_hops;  // *3 means exactly 3.
      }
      if (AcceptPunct("..")) {
        if (Peek().kind == TokenKind::kInt) {
          int64_t n = 0;
          if (!ParseInt(Peek().text, &n) || n > 1000) return ErrorHere("hop count is too large");
          r->max_hops = static_cast<int>(n);
          Next();
        }
      }
      if (r->max_hops && *r->max_hops < r->min_hops) {
        return SyntaxError(text_, r->line, r->column, "the upper hop bound is below the lower one");
      }
    }
    if (IsPunct("{")) KG_RETURN_IF_ERROR(ParseProperties(&r->properties));
    KG_RETURN_IF_ERROR(ExpectPunct("]", "expected ']' to close the relationship pattern"));
    if (AcceptPunct("->")) {
      if (left_arrow) return ErrorHere("a relationship cannot point both ways");
      r->direction = RelDirection::kOut;
    } else {
      KG_RETURN_IF_ERROR(ExpectPunct("-", "expected '-' or '->' after ']'"));
      r->direction = left_arrow ? RelDirection::kIn : RelDirection::kBoth;
    }
    return Status::Ok();
  }

  Status ParseProperties(std::vector<PropertyEntry>* props) {
    KG_RETURN_IF_ERROR(ExpectPunct("{"));
    if (AcceptPunct("}")) return Status::Ok();
    do {
      PropertyEntry e;
      const Token& t = Peek();
      if (t.kind != TokenKind::kIdent) return ErrorHere("expected a property name");
      e.key = Lower(Next().text);
      KG_RETURN_IF_ERROR(ExpectPunct(":", "expected ':' after the property name"));
      KG_ASSIGN_OR_RETURN(e.value, ParseExpr());
      props->push_back(std::move(e));
    } while (AcceptPunct(","));
    return ExpectPunct("}", "expected ',' or '}' in the property map");
  }

  // --- Expressions ---

  ExprPtr NewExpr(ExprKind kind, const Token& at) {
    auto e = std::make_unique<Expr>();
    e->kind = kind;
    e->begin = at.offset;
    e->end = at.end;
    e->line = at.line;
    e->column = at.column;
    return e;
  }
  ExprPtr Binary(Op op, ExprPtr lhs, ExprPtr rhs) {
    auto e = std::make_unique<Expr>();
    e->kind = ExprKind::kBinary;
    e->op = op;
    e->begin = lhs->begin;
    e->end = rhs->end;
    e->line = lhs->line;
    e->column = lhs->column;
    e->args.push_back(std::move(lhs));
    e->args.push_back(std::move(rhs));
    return e;
  }

  Result<ExprPtr> ParseExpr() { return ParseOr(); }

  Result<ExprPtr> ParseOr() {
    KG_ASSIGN_OR_RETURN(ExprPtr lhs, ParseXor());
    while (IsKeyword("OR")) {
      Next();
      KG_ASSIGN_OR_RETURN(ExprPtr rhs, ParseXor());
      lhs = Binary(Op::kOr, std::move(lhs), std::move(rhs));
    }
    return lhs;
  }
  Result<ExprPtr> ParseXor() {
    KG_ASSIGN_OR_RETURN(ExprPtr lhs, ParseAnd());
    while (IsKeyword("XOR")) {
      Next();
      KG_ASSIGN_OR_RETURN(ExprPtr rhs, ParseAnd());
      lhs = Binary(Op::kXor, std::move(lhs), std::move(rhs));
    }
    return lhs;
  }
  Result<ExprPtr> ParseAnd() {
    KG_ASSIGN_OR_RETURN(ExprPtr lhs, ParseNot());
    while (IsKeyword("AND")) {
      Next();
      KG_ASSIGN_OR_RETURN(ExprPtr rhs, ParseNot());
      lhs = Binary(Op::kAnd, std::move(lhs), std::move(rhs));
    }
    return lhs;
  }
  Result<ExprPtr> ParseNot() {
    if (IsKeyword("NOT")) {
      const Token& t = Next();
      KG_ASSIGN_OR_RETURN(ExprPtr operand, ParseNot());
      ExprPtr e = NewExpr(ExprKind::kUnary, t);
      e->op = Op::kNot;
      e->end = operand->end;
      e->args.push_back(std::move(operand));
      return e;
    }
    return ParseComparison();
  }

  Result<ExprPtr> ParseComparison() {
    KG_ASSIGN_OR_RETURN(ExprPtr lhs, ParseAdditive());
    while (true) {
      Op op = Op::kNone;
      if (IsPunct("="))
        op = Op::kEq;
      else if (IsPunct("<>") || IsPunct("!="))
        op = Op::kNe;
      else if (IsPunct("<"))
        op = Op::kLt;
      else if (IsPunct("<="))
        op = Op::kLe;
      else if (IsPunct(">"))
        op = Op::kGt;
      else if (IsPunct(">="))
        op = Op::kGe;
      else if (IsPunct("<-"))
        op = Op::kLt;  // "x <-1" lexes as "<-" "1".
      else if (IsKeyword("STARTS"))
        op = Op::kStartsWith;
      else if (IsKeyword("ENDS"))
        op = Op::kEndsWith;
      else if (IsKeyword("CONTAINS"))
        op = Op::kContains;
      else if (IsKeyword("IN"))
        op = Op::kIn;
      else if (IsKeyword("IS"))
        op = Op::kIsNull;
      if (op == Op::kNone) return lhs;
      const bool negative_rhs = IsPunct("<-");
      const Token op_tok = Next();
      if (op == Op::kStartsWith || op == Op::kEndsWith) {
        KG_RETURN_IF_ERROR(ExpectKeyword("WITH", "expected WITH"));
      }
      if (op == Op::kIsNull) {
        if (IsKeyword("NOT")) {
          Next();
          op = Op::kIsNotNull;
        }
        if (!IsKeyword("NULL")) return ErrorHere("expected NULL or NOT NULL after IS");
        const Token& null_tok = Next();
        auto e = std::make_unique<Expr>();
        e->kind = ExprKind::kUnary;
        e->op = op;
        e->begin = lhs->begin;
        e->end = null_tok.end;
        e->line = lhs->line;
        e->column = lhs->column;
        e->args.push_back(std::move(lhs));
        lhs = std::move(e);
        continue;
      }
      KG_ASSIGN_OR_RETURN(ExprPtr rhs, ParseAdditive());
      if (negative_rhs) {
        ExprPtr neg = NewExpr(ExprKind::kUnary, op_tok);
        neg->op = Op::kNeg;
        neg->end = rhs->end;
        neg->args.push_back(std::move(rhs));
        rhs = std::move(neg);
      }
      lhs = Binary(op, std::move(lhs), std::move(rhs));
    }
  }

  Result<ExprPtr> ParseAdditive() {
    KG_ASSIGN_OR_RETURN(ExprPtr lhs, ParseMultiplicative());
    while (IsPunct("+") || IsPunct("-")) {
      const Op op = IsPunct("+") ? Op::kAdd : Op::kSub;
      Next();
      KG_ASSIGN_OR_RETURN(ExprPtr rhs, ParseMultiplicative());
      lhs = Binary(op, std::move(lhs), std::move(rhs));
    }
    return lhs;
  }
  Result<ExprPtr> ParseMultiplicative() {
    KG_ASSIGN_OR_RETURN(ExprPtr lhs, ParseUnary());
    while (IsPunct("*") || IsPunct("/") || IsPunct("%")) {
      const Op op = IsPunct("*") ? Op::kMul : (IsPunct("/") ? Op::kDiv : Op::kMod);
      Next();
      KG_ASSIGN_OR_RETURN(ExprPtr rhs, ParseUnary());
      lhs = Binary(op, std::move(lhs), std::move(rhs));
    }
    return lhs;
  }
  Result<ExprPtr> ParseUnary() {
    if (IsPunct("-")) {
      const Token& t = Next();
      KG_ASSIGN_OR_RETURN(ExprPtr operand, ParseUnary());
      ExprPtr e = NewExpr(ExprKind::kUnary, t);
      e->op = Op::kNeg;
      e->end = operand->end;
      e->args.push_back(std::move(operand));
      return e;
    }
    return ParsePrimary();
  }

  Result<ExprPtr> ParsePrimary() {
    const Token t = Peek();
    switch (t.kind) {
      case TokenKind::kString: {
        Next();
        ExprPtr e = NewExpr(ExprKind::kLiteral, t);
        e->literal = Value::String(t.text);
        return e;
      }
      case TokenKind::kInt: {
        Next();
        ExprPtr e = NewExpr(ExprKind::kLiteral, t);
        int64_t n = 0;
        if (!ParseInt(t.text, &n)) return ErrorAt(t, "integer out of range");
        e->literal = Value::Int(n);
        return e;
      }
      case TokenKind::kFloat: {
        Next();
        ExprPtr e = NewExpr(ExprKind::kLiteral, t);
        e->literal = Value::Double(std::strtod(t.text.c_str(), nullptr));
        return e;
      }
      case TokenKind::kEnd:
        return ErrorHere("expected an expression");
      case TokenKind::kPunct:
        if (t.text == "(") {
          Next();
          KG_ASSIGN_OR_RETURN(ExprPtr inner, ParseExpr());
          KG_RETURN_IF_ERROR(ExpectPunct(")", "expected ')'"));
          inner->begin = t.offset;
          inner->end = last_end_;
          return inner;
        }
        if (t.text == "[") {
          Next();
          ExprPtr e = NewExpr(ExprKind::kList, t);
          if (!IsPunct("]")) {
            do {
              KG_ASSIGN_OR_RETURN(ExprPtr item, ParseExpr());
              e->args.push_back(std::move(item));
            } while (AcceptPunct(","));
          }
          KG_RETURN_IF_ERROR(ExpectPunct("]", "expected ',' or ']' in the list"));
          e->end = last_end_;
          return e;
        }
        return ErrorHere("expected an expression");
      case TokenKind::kIdent:
        break;
    }
    // Identifier: keyword literal, function call, variable or property.
    if (!t.quoted && (IEquals(t.text, "true") || IEquals(t.text, "false"))) {
      Next();
      ExprPtr e = NewExpr(ExprKind::kLiteral, t);
      e->literal = Value::Bool(IEquals(t.text, "true"));
      return e;
    }
    if (!t.quoted && IEquals(t.text, "null")) {
      Next();
      return NewExpr(ExprKind::kLiteral, t);
    }
    if (!t.quoted && IsPunct("(", 1)) {
      Next();
      Next();
      ExprPtr e = NewExpr(ExprKind::kCall, t);
      e->name = Lower(t.text);
      if (e->name == "count" && IsPunct("*")) {
        Next();
        e->kind = ExprKind::kCountStar;
      } else if (!IsPunct(")")) {
        if (IsKeyword("DISTINCT")) {
          Next();
          e->distinct = true;
        }
        do {
          KG_ASSIGN_OR_RETURN(ExprPtr arg, ParseExpr());
          e->args.push_back(std::move(arg));
        } while (AcceptPunct(","));
      }
      KG_RETURN_IF_ERROR(ExpectPunct(")", "expected ')' to close the call of " + t.text + "()"));
      e->end = last_end_;
      return e;
    }
    if (!IsVariableToken()) return ErrorHere("expected an expression");
    Next();
    ExprPtr e = NewExpr(ExprKind::kVariable, t);
    e->name = t.text;
    if (AcceptPunct(".")) {
      const Token& key = Peek();
      if (key.kind != TokenKind::kIdent) return ErrorHere("expected a property name after '.'");
      Next();
      e->kind = ExprKind::kProperty;
      e->property = Lower(key.text);
      e->end = key.end;
    }
    return e;
  }

  std::string_view text_;
  std::vector<Token> toks_;
  size_t pos_ = 0;
  size_t last_end_ = 0;
};

}  // namespace

Result<Query> Parse(std::string_view text) {
  KG_ASSIGN_OR_RETURN(std::vector<Token> tokens, Lex(text));
  return Parser(text, std::move(tokens)).ParseQuery();
}

}  // namespace kg::query
