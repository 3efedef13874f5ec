// Internal to ingest/: finds actor mentions in tokenized sentences by
// longest match over the curated dictionaries, and composes coded actors from
// country modifiers, role words and names ("US State Department spokesman
// John Kirby" -> John Kirby [USAGOV]; "Syrian government forces" -> SYRMIL).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "graph/types.h"
#include "ingest/dictionary.h"
#include "ingest/document.h"

namespace kg::ingest {

enum class MentionKind : uint8_t {
  kDictionary,  // A dictionary actor (country, person, organization, place).
  kComposite,   // Country modifier + role ("Syrian government forces").
  kTitledName,  // Title + a name not in the dictionary ("Defense Minister Ali Ayoub").
  kRoleOnly,    // Role without a country ("government forces", "militants").
  kDemonym,     // A bare country adjective before a noun ("a Russian jet").
  kPronoun,     // he/she/it/they..., resolved by coreference.
  kShortName,   // A surname or other document-local alias, resolved by coreference.
};

struct ActorMention {
  uint32_t sentence = 0;
  uint32_t first = 0, last = 0;  // Token range [first, last) in the document.
  MentionKind kind = MentionKind::kDictionary;
  ActorRef ref;  // text, canonical name and code (code may lack a country).
  ActorType type = ActorType::kUnknown;
  std::string suffix;                 // Role suffix for composites and role-only mentions.
  std::string title;                  // Lower-cased title words for persons ("spokesman").
  bool possessive = false;            // Followed by 's: "Russia's naval base".
  bool plural = false;                // "forces", "militants", "they".
  int32_t antecedent = -1;            // For pronouns/short names: resolved mention index.
  const ActorEntry* entry = nullptr;  // Dictionary row, when one applies.
};

class Gazetteer {
 public:
  // Builds the tries from the dictionaries (which must outlive the gazetteer).
  explicit Gazetteer(const Dictionaries& dicts);
  ~Gazetteer();
  Gazetteer(const Gazetteer&) = delete;
  Gazetteer& operator=(const Gazetteer&) = delete;

  // Appends the mentions of sentence `s` of `doc`, left to right and
  // non-overlapping, choosing dictionary codes valid on `date`.
  void FindMentions(const Document& doc, uint32_t s, Date date,
                    std::vector<ActorMention>* out) const;

  // All aliases of the dictionary actor with this canonical name.
  std::vector<std::string> AliasesOf(std::string_view canonical_name) const;
  // ActorType of a dictionary actor; kUnknown when absent.
  ActorType TypeOf(std::string_view canonical_name) const;

  // "Syrian" for "SYR"; "" when unknown.
  std::string_view AdjectiveFor(std::string_view country_code) const;
  // "Syria" for "SYR"; "" when unknown.
  std::string_view CountryName(std::string_view country_code) const;
  // Canonical name of a composite actor: "Syrian military" for SYR + MIL.
  std::string CompositeName(std::string_view country, std::string_view suffix) const;
  // Country part of an actor code ("SYR" of "SYRMIL"); "" for IGOs, regions
  // and codes without a country (role-only "REB").
  std::string CountryOf(std::string_view code) const;

 private:
  struct Trie;
  struct Match {
    uint32_t end = 0;  // Token index one past the match.
    const std::vector<uint32_t>* payloads = nullptr;
  };
  // Longest match in `trie` starting at token i (not crossing `limit`).
  Match Longest(const Trie& trie, const Document& doc, uint32_t i, uint32_t limit) const;
  const ActorEntry* PickEntry(const std::vector<uint32_t>& group_ids, Date date) const;

  const Dictionaries& dicts_;
  std::unique_ptr<Trie> actors_;               // Payload: actor group id.
  std::unique_ptr<Trie> demonyms_;             // Payload: demonym index.
  std::unique_ptr<Trie> roles_;                // Payload: role index.
  std::vector<std::vector<uint32_t>> groups_;  // Group id -> actor entry indices (one name).
  std::unordered_map<std::string, uint32_t> group_of_name_;  // Normalized name -> group id.
  std::unordered_map<std::string, std::string> adjective_of_code_;
  std::unordered_map<std::string, std::string> country_of_code_;
};

}  // namespace kg::ingest
