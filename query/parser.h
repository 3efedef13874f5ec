// Internal: turns query text into a Query syntax tree.
#pragma once

#include <string_view>

#include "query/ast.h"

namespace kg::query {

// Grammar (keywords case-insensitive):
//   query    := [EXPLAIN] MATCH pattern (',' pattern)* [WHERE expr]
//               RETURN [DISTINCT] item (',' item)* [ORDER BY expr [ASC|DESC], ...]
//               [LIMIT int] [';']
//   pattern  := [var '='] [SHORTEST | ALL SHORTEST] node (rel node)*
//   node     := '(' [var] [':' Label] [props] ')'
//   rel      := '-[' spec ']->' | '<-[' spec ']-' | '-[' spec ']-' | '-->' | '<--' | '--'
//   spec     := [var] [':' type ('|' type)*] ['*' [min] ['..' [max]]] [props]
//   props    := '{' key ':' expr (',' key ':' expr)* '}'
//   expr     := Cypher precedence: OR, XOR, AND, NOT, comparison (= <> != < <= > >=
//               STARTS WITH, ENDS WITH, CONTAINS, IN, IS [NOT] NULL), + -, * / %,
//               unary -, primary (literal, list, var, var.prop, f(args),
//               count(*), count(DISTINCT x), '(' expr ')')
// Errors are kInvalidArgument built by SyntaxError (line, column, caret).
Result<Query> Parse(std::string_view text);

}  // namespace kg::query
