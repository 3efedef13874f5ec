// Pipeline: the one entry point of ingest. Turns an article into coded
// actor -> relation -> target events with provenance.
//
// A Pipeline is immutable after Create() and shared by all threads; Process()
// is thread-safe and keeps its scratch space per call.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "graph/status.h"
#include "graph/types.h"

namespace kg {

// One input article, as read from JSON Lines or a text file.
struct Article {
  std::string id;
  std::string text;
  std::string title;
  std::string source;
  Date date = kUnknownDate;
};

struct PipelineOptions {
  // Folder with the curated dictionaries (actors/*.tsv, verbs.tsv, ...).
  // Default: the data/ folder of the source tree, as configured at build time.
  std::string data_dir;
  // Extra actor dictionaries (our TSV format, or TABARI/PETRARCH .actors).
  std::vector<std::string> extra_actor_files;
  // Extra verb dictionaries (our TSV format, or TABARI/PETRARCH .verbs).
  std::vector<std::string> extra_verb_files;
  // Folder holding the language models tagger.kgm and parser.kgm (nlp/,
  // trained by `kg train`). Default: data_dir/models when it holds them,
  // else the models/ folder of the built-in data/.
  std::string model_dir;
  // Which sentences get a dependency tree (Token::head/deprel); every
  // sentence is tagged. kCandidates: sentences with two or more actor
  // mentions (pronouns included) and a verb. Default kNone while the
  // relation rules do not read trees: on the Reuters corpus candidates cost
  // 2.1x the time of tagging alone (benchmarks/README.md).
  enum class ParseMode { kNone, kCandidates, kAll };
  ParseMode parse = ParseMode::kNone;
  // Folder of the WordNet database files used for lemmas (Debian wordnet-base).
  // Default: /usr/share/wordnet.
  std::string wordnet_dir = "/usr/share/wordnet";
  // Sentences longer than this many bytes are skipped (counted) so that no
  // sentence can take unbounded time. Default: 2000.
  size_t max_sentence_bytes = 2000;
  // Articles longer than this many bytes are rejected. Default: 8 MiB.
  size_t max_article_bytes = 8u << 20;
  // Keep events whose verb is not in the dictionary (relation = lemma, no
  // CAMEO code). Default: true.
  bool keep_unknown_verbs = true;
  // Write each sentence's tokens (tag, lemma) and actor mentions to stderr,
  // for dictionary and rule debugging (`kg extract --trace`). Default: false.
  bool trace = false;
  // Also produce open subject-relation-object triples over any noun phrases
  // (not only actors), for Open IE evaluation (`kg extract --open`).
  // Default: false.
  bool open_triples = false;
};

// Counters of one Process() call, summed by callers for reports.
struct ExtractStats {
  uint64_t sentences = 0;
  uint64_t parsed_sentences = 0;  // Sentences given a dependency tree.
  uint64_t tokens = 0;
  uint64_t bytes = 0;
  // Skip reason -> count (e.g. "sentence too long", "no letters").
  std::map<std::string, uint64_t> skipped;
  // Verb lemmas seen between two actors that the verb dictionary lacks.
  std::map<std::string, uint64_t> unknown_verbs;

  void Add(const ExtractStats& other);
};

// Attribution found in a sentence: who said what, with which cue.
struct Attribution {
  ActorRef speaker;
  std::string cue;  // Lemma of the cue ("say", "according to").
  uint32_t sentence = 0;
  uint32_t cue_begin = 0, cue_end = 0;          // Code points in the article text.
  uint32_t content_begin = 0, content_end = 0;  // Code points in the article text.
  uint32_t speaker_begin = 0, speaker_end = 0;  // Code points in the article text.
};

// An open-domain subject-relation-object triple (any noun phrases).
struct OpenTriple {
  std::string subject, relation, object;
  uint32_t sentence = 0;
  bool negated = false;
};

struct Extraction {
  std::string id;
  std::vector<Event> events;
  std::vector<ActorRecord> actors;        // Every actor the events reference.
  std::vector<Attribution> attributions;  // Every attribution found.
  std::vector<OpenTriple> triples;        // Only with PipelineOptions::open_triples.
  ExtractStats stats;
};

// The checks Pipeline::Process applies to an article before reading it:
// at most options.max_article_bytes of well-formed UTF-8.
Status CheckArticleText(const Article& article, const PipelineOptions& options);

class Pipeline {
 public:
  // Loads dictionaries and models. Errors name the file and line at fault.
  static Result<std::unique_ptr<Pipeline>> Create(const PipelineOptions& options);

  Pipeline(const Pipeline&) = delete;
  Pipeline& operator=(const Pipeline&) = delete;
  ~Pipeline();

  // Extracts the events of one article into *out (cleared first). Fails only
  // for an article that cannot be processed at all (too large, invalid UTF-8);
  // bad sentences are skipped and counted in out->stats.
  Status Process(const Article& article, Extraction* out) const;

 private:
  struct Impl;
  explicit Pipeline(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace kg
