#include "ingest/article_reader.h"

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "graph/date.h"

namespace kg {
namespace {

std::string BaseName(const std::string& path) {
  return std::filesystem::path(path).filename().string();
}

Status OptionalString(const rapidjson::Value& obj, const char* field, std::string* out) {
  auto it = obj.FindMember(field);
  if (it == obj.MemberEnd() || it->value.IsNull()) return Status::Ok();
  if (!it->value.IsString()) {
    return Status::InvalidArgument(std::string("field '") + field + "' must be a string");
  }
  out->assign(it->value.GetString(), it->value.GetStringLength());
  return Status::Ok();
}

}  // namespace

bool IsWellFormedUtf8(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const size_t n = s.size();
  size_t i = 0;
  while (i < n) {
    unsigned char c = p[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t len;
    uint32_t cp;
    if ((c & 0xE0) == 0xC0) {
      len = 2, cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      len = 3, cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      len = 4, cp = c & 0x07;
    } else {
      return false;
    }
    if (i + len > n) return false;
    for (size_t k = 1; k < len; ++k) {
      if ((p[i + k] & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (p[i + k] & 0x3F);
    }
    static constexpr uint32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < kMin[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += len;
  }
  return true;
}

Result<std::unique_ptr<ArticleReader>> ArticleReader::Open(const std::string& path,
                                                           const ReaderOptions& options) {
  if (path == "-") {
    // Sniff the first non-blank byte to tell JSON Lines from plain text.
    std::string head;
    int c;
    while ((c = std::fgetc(stdin)) != EOF) {
      head.push_back(static_cast<char>(c));
      if (!std::isspace(c)) break;
    }
    Format format = (!head.empty() && head.back() == '{') ? Format::kJsonLines : Format::kText;
    std::unique_ptr<ArticleReader> reader(
        new ArticleReader("<stdin>", stdin, false, format, options));
    reader->pending_ = std::move(head);
    return reader;
  }
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    return Status::InvalidArgument("is a directory, not a file");
  }
  FILE* file = std::fopen(path.c_str(), "rb");
  if (file == nullptr) {
    return Status::IoError(std::string("cannot open: ") + std::strerror(errno));
  }
  std::string ext = std::filesystem::path(path).extension().string();
  Format format = (ext == ".txt" || ext == ".text") ? Format::kText : Format::kJsonLines;
  return std::unique_ptr<ArticleReader>(new ArticleReader(path, file, true, format, options));
}

ArticleReader::ArticleReader(std::string path, FILE* file, bool owns_file, Format format,
                             const ReaderOptions& options)
    : path_(std::move(path)),
      file_(file),
      owns_file_(owns_file),
      format_(format),
      options_(options) {}

std::string ArticleReader::Location() const {
  if (format_ == Format::kText) return path_;
  return path_ + ":" + std::to_string(line_);
}

ArticleReader::~ArticleReader() {
  if (owns_file_ && file_ != nullptr) std::fclose(file_);
}

bool ArticleReader::ReadLine(bool* too_long) {
  line_buf_.clear();
  *too_long = false;
  bool any = false;
  if (!pending_.empty()) {
    any = true;
    size_t nl = pending_.find('\n');
    if (nl != std::string::npos) {
      line_buf_ = pending_.substr(0, nl);
      pending_.erase(0, nl + 1);
      return true;
    }
    line_buf_ = std::move(pending_);
    pending_.clear();
  }
  char chunk[65536];
  while (std::fgets(chunk, sizeof chunk, file_) != nullptr) {
    any = true;
    size_t n = std::strlen(chunk);
    // fgets stops at NUL bytes too; a NUL inside a line makes the record
    // invalid JSON anyway, and the partial line is rejected below.
    bool ended = n > 0 && chunk[n - 1] == '\n';
    if (ended) --n;
    if (!*too_long) {
      if (line_buf_.size() + n > options_.max_record_bytes) {
        *too_long = true;
        line_buf_.clear();
        line_buf_.shrink_to_fit();
      } else {
        line_buf_.append(chunk, n);
      }
    }
    if (ended) return true;
  }
  return any;
}

ReadOutcome ArticleReader::Next(Article* article, std::string* error) {
  return format_ == Format::kJsonLines ? NextJson(article, error) : NextText(article, error);
}

ReadOutcome ArticleReader::NextJson(Article* article, std::string* error) {
  bool too_long = false;
  while (ReadLine(&too_long)) {
    ++line_;
    auto fail = [&](const std::string& reason) {
      *error = reason;
      return ReadOutcome::kRejected;
    };
    if (too_long) {
      return fail("record longer than " + std::to_string(options_.max_record_bytes) +
                  " bytes (raise the cap with --max-record-bytes)");
    }
    if (!line_buf_.empty() && line_buf_.back() == '\r') line_buf_.pop_back();
    if (line_buf_.find_first_not_of(" \t") == std::string::npos) continue;  // Blank line.
    if (!IsWellFormedUtf8(line_buf_)) return fail("invalid UTF-8");
    rapidjson::Document doc;
    doc.Parse<rapidjson::kParseValidateEncodingFlag>(line_buf_.data(), line_buf_.size());
    if (doc.HasParseError()) {
      return fail(std::string("malformed JSON at column ") +
                  std::to_string(doc.GetErrorOffset() + 1) + ": " +
                  rapidjson::GetParseError_En(doc.GetParseError()));
    }
    if (!doc.IsObject()) return fail("record is not a JSON object");
    *article = Article();
    auto id = doc.FindMember("id");
    if (id == doc.MemberEnd()) return fail("missing field 'id'");
    if (id->value.IsString()) {
      article->id.assign(id->value.GetString(), id->value.GetStringLength());
    } else if (id->value.IsInt64()) {
      article->id = std::to_string(id->value.GetInt64());
    } else {
      return fail("field 'id' must be a string or an integer");
    }
    if (article->id.empty()) return fail("field 'id' is empty");
    auto text = doc.FindMember("text");
    if (text == doc.MemberEnd()) return fail("missing field 'text'");
    if (!text->value.IsString()) return fail("field 'text' must be a string");
    article->text.assign(text->value.GetString(), text->value.GetStringLength());
    Status s = OptionalString(doc, "title", &article->title);
    if (s.ok()) s = OptionalString(doc, "source", &article->source);
    std::string date;
    if (s.ok()) s = OptionalString(doc, "date", &date);
    if (!s.ok()) return fail(s.message());
    if (!date.empty()) {
      auto parsed = ParseIsoDate(date);
      if (!parsed.ok()) return fail("field 'date': " + parsed.status().message());
      article->date = *parsed;
    }
    return ReadOutcome::kArticle;
  }
  if (std::ferror(file_)) {
    *error = std::string("read error: ") + std::strerror(errno);
    std::clearerr(file_);
    return ReadOutcome::kRejected;
  }
  return ReadOutcome::kEnd;
}

ReadOutcome ArticleReader::NextText(Article* article, std::string* error) {
  if (text_done_) return ReadOutcome::kEnd;
  text_done_ = true;
  line_ = 1;
  std::string content = std::move(pending_);
  pending_.clear();
  char chunk[65536];
  size_t n;
  bool too_long = false;
  while ((n = std::fread(chunk, 1, sizeof chunk, file_)) > 0) {
    if (content.size() + n > options_.max_record_bytes) {
      too_long = true;
      continue;
    }
    content.append(chunk, n);
  }
  if (too_long) {
    *error = "file longer than " + std::to_string(options_.max_record_bytes) + " bytes";
    return ReadOutcome::kRejected;
  }
  if (content.find_first_not_of(" \t\r\n") == std::string::npos) {
    *error = "empty file";
    return ReadOutcome::kRejected;
  }
  if (!IsWellFormedUtf8(content)) {
    *error = "invalid UTF-8";
    return ReadOutcome::kRejected;
  }
  *article = Article();
  article->id = path_ == "<stdin>" ? "stdin" : BaseName(path_);
  article->text = std::move(content);
  return ReadOutcome::kArticle;
}

}  // namespace kg
