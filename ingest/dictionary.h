// The curated dictionaries of data/ (actors, demonyms, roles, verbs, CAMEO
// codes) and their loaders. File formats are documented in data/README.md.
//
// Everything here is loaded once by Pipeline::Create() and read-only
// afterwards. Errors name the file and line at fault: "FILE:LINE: reason".
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "graph/status.h"
#include "graph/types.h"

namespace kg::ingest {

// One row of an actor dictionary: a canonical name, its CAMEO code and the
// surface forms that refer to it, valid on [valid_from, valid_to) (either end
// may be kUnknownDate = open). The same actor may have several rows with
// different codes over time.
struct ActorEntry {
  std::string name, code;
  ActorType type = ActorType::kUnknown;
  std::vector<std::string> aliases;  // Not including `name` itself.
  Date valid_from = kUnknownDate, valid_to = kUnknownDate;
  std::string file;   // Path of the file the row came from.
  uint32_t line = 0;  // 1-based line number in `file`.

  // True when `date` lies in [valid_from, valid_to); an unknown date is
  // valid for every row.
  bool ValidOn(Date date) const;
};

// "Syrian" -> "SYR".
struct DemonymEntry {
  std::string adjective, code;
};

enum class RoleKind : uint8_t {
  kTitle,  // Precedes a person's name: "Foreign Minister", "spokesman".
  kBody,   // An institution: "foreign ministry", "armed forces".
  kGroup,  // A collective noun: "forces", "militants", "protesters".
};

// Returns "title", "body" or "group".
std::string_view RoleKindName(RoleKind kind);

struct RoleEntry {
  std::string phrase;
  std::string suffix;  // CAMEO role code ("GOV", "MIL"); empty for courtesy titles ("Mr.").
  RoleKind kind = RoleKind::kTitle;
};

enum VerbFlag : uint32_t {
  kVerbCue = 1u << 0,         // Attribution/speech cue: say, tell, according to.
  kVerbAccusatory = 1u << 1,  // An event even when used as a cue: accuse, deny, condemn.
  kVerbControl = 1u << 2,     // Object + to-infinitive / of-gerund: urge X to, accuse X of.
  kVerbNominal = 1u << 3,     // An event noun: "the downing of X by Y", "airstrikes on X".
  kVerbSymmetric = 1u << 4,   // Holds both ways: meet, clash with, negotiate with.
  kVerbPassiveOk = 1u << 5,   // May be coded from the passive: "X was attacked by Y".
  kVerbPejorative = 1u << 6,  // Blameworthy conduct ("turn a blind eye to"): when reported by
                              // a speaker, the speaker accuses the subject (code: cameo).
  kVerbStance = 1u << 7,      // Attitude, evaluation or intention (prefer, endorse, vote for):
                              // an attribution cue only with an explicit subject.
  kVerbMedium = 1u << 8,      // A noun naming where a statement appears (poll, interview,
                              // op-ed): "in a poll" is an attribution cue.
};

// Parses "cue,accusatory" into a bitmask; "-" or "" is 0. Unknown names fail.
Result<uint32_t> ParseVerbFlags(std::string_view text);
// "cue,accusatory"; "-" for 0.
std::string VerbFlagsToString(uint32_t flags);

struct VerbEntry {
  std::string phrase;              // Lemma form, lower case: "call on", "turn a blind eye to".
  std::vector<std::string> words;  // `phrase` split on spaces.
  std::string cameo;               // CAMEO event code; may be empty (unknown / plain statement).
  std::string relation;            // Label shown to users: "accuse", "suspend relations".
  uint32_t flags = 0;              // VerbFlag bits.
  std::string file;
  uint32_t line = 0;

  bool Has(VerbFlag flag) const { return (flags & flag) != 0; }
};

struct CameoEntry {
  std::string code, name;
  double goldstein = 0.0;
  int quad = 0;  // 1 verbal coop, 2 material coop, 3 verbal conflict, 4 material conflict.
};

struct Dictionaries {
  std::vector<ActorEntry> actors;
  std::vector<DemonymEntry> demonyms;
  std::vector<RoleEntry> roles;
  std::vector<VerbEntry> verbs;
  std::vector<CameoEntry> cameo;

  // Non-fatal problems met while loading (e.g. TABARI patterns that could not
  // be mapped), each "FILE:LINE: reason", and how many patterns were skipped.
  std::vector<std::string> warnings;
  uint64_t skipped_patterns = 0;

  // The CAMEO entry of `code`; when `code` itself is missing, its nearest
  // listed ancestor ("1956" -> "195" -> "19"). nullptr when none exists.
  const CameoEntry* FindCameo(std::string_view code) const;
  // Goldstein score of `code` (via FindCameo); 0 when unknown.
  double Goldstein(std::string_view code) const;

  // Rebuilds the code index used by FindCameo. The loader calls it; call it
  // again after editing `cameo` by hand.
  void IndexCameo();

 private:
  std::map<std::string, size_t, std::less<>> cameo_index_;
};

// Loads data_dir/{actors/*.tsv (all files sorted by name, except
// demonyms.tsv), actors/demonyms.tsv, roles.tsv, verbs.tsv, cameo.tsv} and then
// the extra files, in order. Extra files ending in ".actors" / ".verbs" are
// read as TABARI/PETRARCH dictionaries (common subset), others as our TSV.
// Later verb entries override earlier ones with the same phrase and kind
// (verb or nominal) across files; within one file a repeated phrase is an error.
// Errors: Status::InvalidArgument("FILE:LINE: reason"), IoError for unreadable files.
Result<Dictionaries> LoadDictionaries(const std::string& data_dir,
                                      const std::vector<std::string>& extra_actor_files,
                                      const std::vector<std::string>& extra_verb_files);

// Single-file readers, appending to *out (exposed for tests and tools).
Status LoadActorTsv(const std::string& path, std::vector<ActorEntry>* out);
Status LoadTabariActors(const std::string& path, std::vector<ActorEntry>* out,
                        std::vector<std::string>* warnings, uint64_t* skipped);
Status LoadDemonymTsv(const std::string& path, std::vector<DemonymEntry>* out);
Status LoadRoleTsv(const std::string& path, std::vector<RoleEntry>* out);
Status LoadCameoTsv(const std::string& path, std::vector<CameoEntry>* out);
// Verb codes must exist in `cameo` (a loaded, indexed Dictionaries).
Status LoadVerbTsv(const std::string& path, const Dictionaries& cameo, std::vector<VerbEntry>* out);
Status LoadTabariVerbs(const std::string& path, const Dictionaries& cameo,
                       std::vector<VerbEntry>* out, std::vector<std::string>* warnings,
                       uint64_t* skipped);

// Parses "YYYY-MM-DD" into days since 1970-01-01.
Result<Date> ParseDictionaryDate(std::string_view text);

// Aliases (and canonical names), compared case-insensitively, that map to two
// different codes within one file on overlapping date ranges: one message
// per conflict, "FILE:LINE: alias 'X' -> CODE1 (line N) and CODE2". Empty when clean.
std::vector<std::string> FindAliasConflicts(const std::vector<ActorEntry>& actors);

}  // namespace kg::ingest
