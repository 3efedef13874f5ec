// Internal to ingest/: turns a tagged, lemmatized document with actor
// mentions into coded events and attributions. Rules over verb groups and
// noun phrases (the TABARI/PETRARCH shallow approach, with POS tags):
// subject-verb-object, passives with "by", coordination, control verbs
// ("urged Russia to"), reported clauses, a few nominal and idiomatic forms,
// negation and modality scope, attribution and coreference.
#pragma once

#include <string>
#include <unordered_map>
#include <vector>

#include "ingest/dictionary.h"
#include "ingest/document.h"
#include "ingest/gazetteer.h"
#include "ingest/pipeline.h"

namespace kg::ingest {

class RelationExtractor {
 public:
  RelationExtractor(const Dictionaries& dicts, const Gazetteer& gazetteer, bool keep_unknown_verbs,
                    bool open_triples = false);

  // Extracts events and attributions of the whole document. `mentions` come
  // from the gazetteer (all sentences, in order) and are resolved in place.
  void Extract(const Document& doc, std::vector<ActorMention>* mentions, Extraction* out) const;

 private:
  const VerbEntry* FindVerb(const Document& doc, uint32_t verb, uint32_t limit,
                            uint32_t* phrase_end) const;
  const VerbEntry* FindNominal(const Token& token) const;

  const Dictionaries& dicts_;
  const Gazetteer& gazetteer_;
  bool keep_unknown_verbs_;
  bool open_triples_;
  // Verb lemma -> entries starting with it, longest phrase first.
  std::unordered_map<std::string, std::vector<const VerbEntry*>> verbs_by_lemma_;
  std::unordered_map<std::string, const VerbEntry*> nominals_;
};

}  // namespace kg::ingest
