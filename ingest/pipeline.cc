#include "ingest/pipeline.h"

#include <cstdio>
#include <filesystem>

#include "ingest/article_reader.h"
#include "ingest/dictionary.h"
#include "ingest/document.h"
#include "ingest/gazetteer.h"
#include "ingest/language.h"
#include "ingest/lemmatizer.h"
#include "ingest/relations.h"
#include "ingest/text.h"
#include "nlp/analyzer.h"

namespace kg {

void ExtractStats::Add(const ExtractStats& other) {
  sentences += other.sentences;
  parsed_sentences += other.parsed_sentences;
  tokens += other.tokens;
  bytes += other.bytes;
  for (const auto& [reason, n] : other.skipped) skipped[reason] += n;
  for (const auto& [verb, n] : other.unknown_verbs) unknown_verbs[verb] += n;
}

namespace {

void Trace(const ingest::Document& doc, const std::vector<ingest::ActorMention>& mentions) {
  size_t m = 0;
  for (uint32_t s = 0; s < doc.sentences.size(); ++s) {
    const ingest::Sentence& sent = doc.sentences[s];
    std::string line = "[" + std::to_string(s) + "]";
    for (uint32_t t = sent.first_token; t < sent.last_token; ++t) {
      const ingest::Token& tok = doc.tokens[t];
      line += " " + tok.norm + "/" + std::string(ingest::PosName(tok.pos));
      if (!tok.lemma.empty() && tok.lemma != tok.lower) line += "(" + tok.lemma + ")";
    }
    std::fprintf(stderr, "%s\n", line.c_str());
    for (; m < mentions.size() && mentions[m].sentence == s; ++m) {
      const ingest::ActorMention& am = mentions[m];
      std::fprintf(stderr, "    mention \"%s\" -> %s [%s]%s\n", am.ref.text.c_str(),
                   am.ref.name.c_str(), am.ref.code.c_str(), am.possessive ? " (possessive)" : "");
    }
  }
}

// Mentions a sentence needs to be parsed in ParseMode::kCandidates.
constexpr size_t kCandidateMentions = 2;

bool HasVerb(const ingest::Document& doc, const ingest::Sentence& sent) {
  for (uint32_t t = sent.first_token; t < sent.last_token; ++t) {
    if (ingest::IsVerb(doc.tokens[t].pos)) return true;
  }
  return false;
}

}  // namespace

Status CheckArticleText(const Article& article, const PipelineOptions& options) {
  if (article.text.size() > options.max_article_bytes) {
    return Status::ResourceExhausted("article text is " + std::to_string(article.text.size()) +
                                     " bytes; the cap is " +
                                     std::to_string(options.max_article_bytes));
  }
  if (!IsWellFormedUtf8(article.text))
    return Status::InvalidArgument("article text is not valid UTF-8");
  return Status::Ok();
}

struct Pipeline::Impl {
  PipelineOptions options;
  ingest::Dictionaries dicts;
  std::unique_ptr<nlp::Analyzer> analyzer;
  std::unique_ptr<ingest::Lemmatizer> lemmatizer;
  std::unique_ptr<ingest::Gazetteer> gazetteer;
  std::unique_ptr<ingest::RelationExtractor> relations;
};

Pipeline::Pipeline(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Pipeline::~Pipeline() = default;

Result<std::unique_ptr<Pipeline>> Pipeline::Create(const PipelineOptions& options) {
  auto impl = std::make_unique<Impl>();
  impl->options = options;
  if (impl->options.data_dir.empty()) impl->options.data_dir = KG_DEFAULT_DATA_DIR;
  KG_ASSIGN_OR_RETURN(impl->dicts,
                      ingest::LoadDictionaries(impl->options.data_dir, options.extra_actor_files,
                                               options.extra_verb_files));
  std::string model_dir = options.model_dir;
  if (model_dir.empty()) {
    const std::string models = "/" + std::string(nlp::kModelFolder);
    model_dir = impl->options.data_dir + models;
    if (!std::filesystem::exists(model_dir + "/" + std::string(nlp::kTaggerModelFile))) {
      model_dir = KG_DEFAULT_DATA_DIR + models;
    }
  }
  KG_ASSIGN_OR_RETURN(impl->analyzer, nlp::Analyzer::LoadFromDir(model_dir));
  KG_ASSIGN_OR_RETURN(impl->lemmatizer, ingest::Lemmatizer::Load(options.wordnet_dir));
  impl->gazetteer = std::make_unique<ingest::Gazetteer>(impl->dicts);
  impl->relations = std::make_unique<ingest::RelationExtractor>(
      impl->dicts, *impl->gazetteer, options.keep_unknown_verbs, options.open_triples);
  return std::unique_ptr<Pipeline>(new Pipeline(std::move(impl)));
}

Status Pipeline::Process(const Article& article, Extraction* out) const {
  *out = Extraction();
  out->id = article.id;
  const PipelineOptions& options = impl_->options;
  KG_RETURN_IF_ERROR(CheckArticleText(article, options));

  ingest::Document doc;
  doc.text = article.text;
  ingest::TextOptions text_options;
  text_options.max_sentence_bytes = options.max_sentence_bytes;
  ingest::SplitAndTokenize(text_options, &doc);
  out->stats.bytes = article.text.size();

  std::vector<ingest::ActorMention> mentions;
  for (uint32_t s = 0; s < doc.sentences.size(); ++s) {
    ingest::Sentence& sent = doc.sentences[s];
    if (sent.skipped) {
      ++out->stats.skipped[std::string(ingest::SkipReasonName(sent.skip_reason))];
      continue;
    }
    ++out->stats.sentences;
    out->stats.tokens += sent.last_token - sent.first_token;
    const size_t first_mention = mentions.size();
    ingest::TagSentence(*impl_->analyzer, &doc, &sent);
    impl_->lemmatizer->Lemmatize(&doc, sent.first_token, sent.last_token);
    impl_->gazetteer->FindMentions(doc, s, article.date, &mentions);
    const bool parse =
        options.parse == PipelineOptions::ParseMode::kAll ||
        (options.parse == PipelineOptions::ParseMode::kCandidates &&
         mentions.size() >= first_mention + kCandidateMentions && HasVerb(doc, sent));
    if (parse) ingest::ParseSentence(*impl_->analyzer, &doc, &sent);
    out->stats.parsed_sentences += sent.parsed;
  }
  if (out->stats.sentences == 0 && doc.sentences.empty()) ++out->stats.skipped["no sentences"];
  if (options.trace) Trace(doc, mentions);
  impl_->relations->Extract(doc, &mentions, out);
  return Status::Ok();
}

}  // namespace kg
