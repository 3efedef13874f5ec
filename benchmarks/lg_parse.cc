// kg_lg_parse: the full-parse reference for `kg extract` speed (issue 8).
// Reads JSON Lines articles, keeps the prose records (no "text_type" field:
// Reuters BRIEF and UNPROC records are left out), splits each text into
// sentences with kg's own splitter (the sentences `kg extract` counts) and
// parses every sentence with Link Grammar's C API on one thread, the way
// link-parser does by default: a parse without null links, then, when that
// finds no linkage, one that allows them. Whole articles are taken until at
// least --limit sentences have been seen, and --articles-out writes those
// records verbatim so that `kg extract` can run on exactly the same input.
//
//   kg_lg_parse [--limit 2000] [--timeout 10] [--max-words 0] [--articles-out F] [FILE]
//
// Prints one summary line on stdout; the clock starts after the dictionary
// is loaded, like `kg extract`'s, and covers reading, splitting and parsing.
#include <link-grammar/link-includes.h>
#include <rapidjson/document.h>
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <fstream>
#include <string>

#include "ingest/article_reader.h"
#include "ingest/document.h"
#include "ingest/text.h"

namespace {

using Clock = std::chrono::steady_clock;

[[noreturn]] void Die(const std::string& msg) {
  std::fprintf(stderr, "kg_lg_parse: %s\n", msg.c_str());
  std::exit(1);
}

double CpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}

struct Counts {
  long articles = 0;
  long sentences = 0;      // Sentences kg's splitter keeps (what `kg extract` counts).
  long split_skipped = 0;  // Dropped by kg's splitter (too long, no letters).
  long too_many_words = 0;
  long parsed = 0;
  long with_linkage = 0;
  long complete = 0;  // Linkage without null links.
  long timed_out = 0;
};

// Parses one sentence; updates the linkage counters.
void ParseSentence(Dictionary dict, Parse_Options opts, const std::string& text, Counts* c) {
  Sentence sent = sentence_create(text.c_str(), dict);
  if (sent == nullptr) Die("sentence_create failed");
  ++c->parsed;
  if (sentence_split(sent, opts) < 0) {
    sentence_delete(sent);
    return;
  }
  parse_options_set_min_null_count(opts, 0);
  parse_options_set_max_null_count(opts, 0);
  int found = sentence_parse(sent, opts);
  bool expired = parse_options_timer_expired(opts);
  if (found == 0 && !expired) {
    parse_options_set_min_null_count(opts, 1);
    parse_options_set_max_null_count(opts, sentence_length(sent));
    found = sentence_parse(sent, opts);
    expired = parse_options_timer_expired(opts);
  }
  if (expired) ++c->timed_out;
  if (found > 0) {
    // Building the first linkage is part of the cost a consumer pays.
    Linkage linkage = linkage_create(0, sent, opts);
    if (linkage != nullptr) {
      ++c->with_linkage;
      if (sentence_null_count(sent) == 0) ++c->complete;
      linkage_delete(linkage);
    }
  }
  sentence_delete(sent);
}

}  // namespace

int main(int argc, char** argv) {
  std::string input = std::string(KG_SOURCE_DIR) + "/../shared/corpus/reuters21578.jsonl";
  std::string articles_out;
  long limit = 2000;
  int timeout = 10;
  long max_words = 0;
  for (int i = 1; i < argc; ++i) {
    auto next = [&]() -> const char* {
      if (i + 1 >= argc) Die("missing value for " + std::string(argv[i]));
      return argv[++i];
    };
    if (!std::strcmp(argv[i], "--limit"))
      limit = std::strtol(next(), nullptr, 10);
    else if (!std::strcmp(argv[i], "--timeout"))
      timeout = static_cast<int>(std::strtol(next(), nullptr, 10));
    else if (!std::strcmp(argv[i], "--max-words"))
      max_words = std::strtol(next(), nullptr, 10);
    else if (!std::strcmp(argv[i], "--articles-out"))
      articles_out = next();
    else if (argv[i][0] == '-')
      Die(std::string("unknown argument ") + argv[i] +
          "; usage: kg_lg_parse [--limit N] [--timeout S] [--max-words W] [--articles-out F] "
          "[FILE]");
    else
      input = argv[i];
  }

  std::ifstream in(input);
  if (!in) Die("cannot read " + input);
  std::ofstream out;
  if (!articles_out.empty()) {
    out.open(articles_out);
    if (!out) Die("cannot write " + articles_out);
  }

  const auto load_start = Clock::now();
  Dictionary dict = dictionary_create_lang("en");
  if (dict == nullptr) Die("cannot load the Link Grammar English dictionary");
  Parse_Options opts = parse_options_create();
  parse_options_set_verbosity(opts, 0);
  parse_options_set_max_parse_time(opts, timeout);
  const double load_secs = std::chrono::duration<double>(Clock::now() - load_start).count();

  Counts c;
  const auto start = Clock::now();
  const double cpu_start = CpuSeconds();
  std::string line;
  std::string sentence_text;
  kg::ingest::Document doc;
  const kg::ingest::TextOptions text_options;
  while (c.sentences < limit && std::getline(in, line)) {
    rapidjson::Document record;
    record.Parse(line.data(), line.size());
    if (record.HasParseError() || !record.IsObject() || record.HasMember("text_type")) continue;
    auto text_it = record.FindMember("text");
    if (text_it == record.MemberEnd() || !text_it->value.IsString()) continue;
    const std::string_view text(text_it->value.GetString(), text_it->value.GetStringLength());
    // `kg extract` rejects such records, so they would not be the same input.
    if (!kg::IsWellFormedUtf8(text)) continue;
    ++c.articles;
    if (out.is_open()) out << line << '\n';
    doc.text = text;
    kg::ingest::SplitAndTokenize(text_options, &doc);
    for (const kg::ingest::Sentence& s : doc.sentences) {
      if (s.skipped) {
        ++c.split_skipped;
        continue;
      }
      ++c.sentences;
      if (max_words > 0 && s.last_token - s.first_token > max_words) {
        ++c.too_many_words;
        continue;
      }
      sentence_text.assign(text.substr(s.begin, s.end - s.begin));
      ParseSentence(dict, opts, sentence_text, &c);
    }
  }
  const double wall = std::chrono::duration<double>(Clock::now() - start).count();
  const double cpu = CpuSeconds() - cpu_start;
  if (out.is_open() && !out.flush()) Die("cannot write " + articles_out);

  parse_options_delete(opts);
  dictionary_delete(dict);
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  std::printf(
      "kg_lg_parse: %ld articles, %ld sentences (%ld dropped by kg's splitter), %ld parsed, "
      "%ld skipped (> %ld words), %ld with a linkage (%ld complete, %ld with null links), "
      "%ld timed out (%d s); %.2f s wall, %.2f s CPU, %.1f sentences/s (%.1f per CPU s); "
      "dictionary %.2f s; peak RSS %ld MB\n",
      c.articles, c.sentences, c.split_skipped, c.parsed, c.too_many_words, max_words,
      c.with_linkage, c.complete, c.with_linkage - c.complete, c.timed_out, timeout, wall, cpu,
      c.parsed / (wall > 0 ? wall : 1e-9), c.parsed / (cpu > 0 ? cpu : 1e-9), load_secs,
      static_cast<long>(ru.ru_maxrss / 1024));
  return 0;
}
