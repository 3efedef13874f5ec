// Internal: tokens of the query language.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "graph/status.h"

namespace kg::query {

enum class TokenKind { kIdent, kString, kInt, kFloat, kPunct, kEnd };

struct Token {
  TokenKind kind = TokenKind::kEnd;
  std::string text;     // Identifier/keyword as written, unescaped string, number, or punctuation.
  bool quoted = false;  // `backtick` identifier: never a keyword.
  size_t offset = 0;    // Byte offset of the first character in the query text.
  size_t end = 0;       // Byte offset one past the last character.
  int line = 1;         // 1-based.
  int column = 1;       // 1-based, in code points.
};

// Splits `text` into tokens ending with one kEnd token. Keywords are returned
// as kIdent (matched case-insensitively by the parser). Punctuation tokens:
// ( ) [ ] { } , : ; . .. | * + / % = <> != < <= > >= -> <- -
// Errors: unterminated strings, stray characters (kInvalidArgument with line,
// column and caret, see SyntaxError).
Result<std::vector<Token>> Lex(std::string_view text);

// "line L, column C: <message>" followed by the source line and a caret
// under column C.
Status SyntaxError(std::string_view text, int line, int column, const std::string& message);

}  // namespace kg::query
