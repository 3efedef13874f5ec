// Reads articles from JSON Lines (one object per line: id, text, optional
// title, date, source) or plain text files (the whole file is one article,
// id = file name). "-" reads standard input (JSON Lines if its first
// non-blank byte is '{', else one text article with id "stdin").
#pragma once

#include <cstdio>
#include <memory>
#include <string>

#include "graph/status.h"
#include "ingest/pipeline.h"

namespace kg {

struct ReaderOptions {
  // Lines (records) longer than this are rejected without being held in
  // memory. Default: 16 MiB.
  size_t max_record_bytes = 16u << 20;
};

enum class ReadOutcome {
  kArticle,   // *article holds the next good record.
  kRejected,  // The record was bad; *error holds the reason (see Location()). Keep reading.
  kEnd,       // No more records.
};

class ArticleReader {
 public:
  // Fails for a missing file, a directory or an unreadable file.
  static Result<std::unique_ptr<ArticleReader>> Open(const std::string& path,
                                                     const ReaderOptions& options = {});
  ~ArticleReader();
  ArticleReader(const ArticleReader&) = delete;
  ArticleReader& operator=(const ArticleReader&) = delete;

  ReadOutcome Next(Article* article, std::string* error);

  // 1-based line number of the record last returned (JSON Lines).
  size_t line() const { return line_; }
  // "FILE:LINE" of the record last returned ("FILE" for text files).
  std::string Location() const;
  const std::string& path() const { return path_; }

 private:
  enum class Format { kJsonLines, kText };
  ArticleReader(std::string path, FILE* file, bool owns_file, Format format,
                const ReaderOptions& options);
  // Reads one line into line_buf_; false at EOF. Sets *too_long when the line
  // exceeded the cap (its bytes are skipped, not stored).
  bool ReadLine(bool* too_long);
  ReadOutcome NextJson(Article* article, std::string* error);
  ReadOutcome NextText(Article* article, std::string* error);

  std::string path_;
  FILE* file_ = nullptr;
  bool owns_file_ = false;
  Format format_;
  ReaderOptions options_;
  std::string line_buf_;
  std::string pending_;  // Bytes read ahead while sniffing stdin.
  size_t line_ = 0;
  bool text_done_ = false;
};

// True when `bytes` is well-formed UTF-8 (no overlongs, no surrogates).
bool IsWellFormedUtf8(std::string_view bytes);

}  // namespace kg
