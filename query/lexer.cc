#include "query/lexer.h"

#include <cctype>

namespace kg::query {
namespace {

bool IsIdentStart(unsigned char c) { return std::isalpha(c) || c == '_' || c >= 0x80; }
bool IsIdentChar(unsigned char c) { return std::isalnum(c) || c == '_' || c >= 0x80; }

class Lexer {
 public:
  explicit Lexer(std::string_view text) : text_(text) {}

  Result<std::vector<Token>> Run() {
    std::vector<Token> out;
    while (true) {
      SkipSpaceAndComments();
      Token tok;
      tok.offset = pos_;
      tok.line = line_;
      tok.column = column_;
      if (pos_ >= text_.size()) {
        tok.kind = TokenKind::kEnd;
        tok.end = pos_;
        out.push_back(tok);
        return out;
      }
      const unsigned char c = static_cast<unsigned char>(text_[pos_]);
      if (IsIdentStart(c)) {
        while (pos_ < text_.size() && IsIdentChar(static_cast<unsigned char>(text_[pos_])))
          Advance();
        tok.kind = TokenKind::kIdent;
        tok.text = std::string(text_.substr(tok.offset, pos_ - tok.offset));
      } else if (c == '`') {
        Advance();
        while (pos_ < text_.size() && text_[pos_] != '`') tok.text += Advance();
        if (pos_ >= text_.size())
          return SyntaxError(text_, tok.line, tok.column, "unterminated `identifier`");
        Advance();
        tok.kind = TokenKind::kIdent;
        tok.quoted = true;
      } else if (c == '\'' || c == '"') {
        KG_RETURN_IF_ERROR(LexString(&tok));
      } else if (std::isdigit(c)) {
        LexNumber(&tok);
      } else {
        KG_RETURN_IF_ERROR(LexPunct(&tok));
      }
      tok.end = pos_;
      out.push_back(std::move(tok));
    }
  }

 private:
  char Advance() {
    const char c = text_[pos_++];
    if (c == '\n') {
      ++line_;
      column_ = 1;
    } else if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) {
      ++column_;
    }
    return c;
  }
  char Peek(size_t ahead = 0) const {
    return pos_ + ahead < text_.size() ? text_[pos_ + ahead] : '\0';
  }

  void SkipSpaceAndComments() {
    while (pos_ < text_.size()) {
      const char c = text_[pos_];
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
        Advance();
      } else if (c == '/' && Peek(1) == '/') {
        while (pos_ < text_.size() && text_[pos_] != '\n') Advance();
      } else {
        return;
      }
    }
  }

  Status LexString(Token* tok) {
    const char quote = Advance();
    while (pos_ < text_.size()) {
      char c = Advance();
      if (c == quote) {
        if (Peek() == quote) {  // SQL-style doubled quote.
          tok->text += Advance();
          continue;
        }
        tok->kind = TokenKind::kString;
        return Status::Ok();
      }
      if (c == '\\' && pos_ < text_.size()) {
        const char e = Advance();
        switch (e) {
          case 'n':
            tok->text += '\n';
            break;
          case 't':
            tok->text += '\t';
            break;
          default:
            tok->text += e;
            break;
        }
        continue;
      }
      tok->text += c;
    }
    return SyntaxError(text_, tok->line, tok->column,
                       std::string("unterminated string: expected a closing ") + quote);
  }

  void LexNumber(Token* tok) {
    while (std::isdigit(static_cast<unsigned char>(Peek()))) Advance();
    tok->kind = TokenKind::kInt;
    // "1..4" is a range, not a float.
    if (Peek() == '.' && std::isdigit(static_cast<unsigned char>(Peek(1)))) {
      Advance();
      while (std::isdigit(static_cast<unsigned char>(Peek()))) Advance();
      tok->kind = TokenKind::kFloat;
    }
    if ((Peek() == 'e' || Peek() == 'E') && (std::isdigit(static_cast<unsigned char>(Peek(1))) ||
                                             ((Peek(1) == '-' || Peek(1) == '+') &&
                                              std::isdigit(static_cast<unsigned char>(Peek(2)))))) {
      Advance();
      Advance();
      while (std::isdigit(static_cast<unsigned char>(Peek()))) Advance();
      tok->kind = TokenKind::kFloat;
    }
    tok->text = std::string(text_.substr(tok->offset, pos_ - tok->offset));
  }

  Status LexPunct(Token* tok) {
    static constexpr std::string_view kTwo[] = {"..", "<>", "!=", "<=", ">=", "->", "<-"};
    for (std::string_view two : kTwo) {
      if (text_.substr(pos_, 2) == two) {
        Advance();
        Advance();
        tok->kind = TokenKind::kPunct;
        tok->text = std::string(two);
        return Status::Ok();
      }
    }
    static constexpr std::string_view kOne = "()[]{},:;.|*+/%=<>-";
    const char c = Peek();
    if (kOne.find(c) != std::string_view::npos) {
      Advance();
      tok->kind = TokenKind::kPunct;
      tok->text = std::string(1, c);
      return Status::Ok();
    }
    std::string shown;
    size_t len = 1;
    const unsigned char u = static_cast<unsigned char>(c);
    if (u >= 0xC0) len = u >= 0xF0 ? 4 : (u >= 0xE0 ? 3 : 2);
    shown = std::string(text_.substr(pos_, len));
    return SyntaxError(text_, tok->line, tok->column, "unexpected character '" + shown + "'");
  }

  std::string_view text_;
  size_t pos_ = 0;
  int line_ = 1;
  int column_ = 1;
};

}  // namespace

Result<std::vector<Token>> Lex(std::string_view text) { return Lexer(text).Run(); }

Status SyntaxError(std::string_view text, int line, int column, const std::string& message) {
  std::string out =
      "line " + std::to_string(line) + ", column " + std::to_string(column) + ": " + message;
  // Find the source line.
  size_t start = 0;
  for (int l = 1; l < line && start < text.size(); ++l) {
    const size_t nl = text.find('\n', start);
    if (nl == std::string_view::npos) break;
    start = nl + 1;
  }
  size_t stop = text.find('\n', start);
  if (stop == std::string_view::npos) stop = text.size();
  std::string source(text.substr(start, stop - start));
  for (char& c : source) {
    if (c == '\t') c = ' ';
  }
  out += "\n  " + source + "\n  " + std::string(static_cast<size_t>(std::max(column, 1) - 1), ' ') +
         "^";
  return Status::InvalidArgument(out);
}

}  // namespace kg::query
