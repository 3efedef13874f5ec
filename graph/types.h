// The data model shared by ingest, the store, queries and exports.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kg {

// Stable 64-bit identifiers derived from content (XXH3 of a normalized
// string), so loaders never coordinate on ids. 0 means "none".
using ActorId = uint64_t;
using RelationId = uint64_t;
using DocKey = uint64_t;

// Days since 1970-01-01 (may be negative). kUnknownDate when not known.
using Date = int32_t;
inline constexpr Date kUnknownDate = INT32_MIN;

// A reference to an actor as it appears in text and as it was resolved.
struct ActorRef {
  std::string text;  // Surface text in the article, e.g. "US Secretary of State John Kerry".
  std::string name;  // Canonical name, e.g. "John Kerry".
  std::string code;  // CAMEO actor code, e.g. "USAGOV". May be empty when unknown.
  bool operator==(const ActorRef&) const = default;
};

// Where an event was stated: one sentence of one document.
struct Mention {
  uint32_t sentence = 0;  // 0-based sentence index within the document.
  uint32_t begin = 0;     // [begin, end) in Unicode code points of the document text.
  uint32_t end = 0;
  std::string quote;  // The sentence text (or the span's text when shorter).
  bool operator==(const Mention&) const = default;
};

// One coded event of one document: actor -> relation -> target. The same
// event stated several times in a document is one Event with several mentions.
struct Event {
  ActorRef source;
  std::string relation;    // Lemma or short phrase, e.g. "accuse", "suspend relations".
  std::string cameo;       // CAMEO event code ("112"); empty for unknown verbs.
  double goldstein = 0.0;  // Goldstein score of the CAMEO code; 0 when unknown.
  ActorRef target;
  bool negated = false;  // "did not accuse": stored, but not asserted.
  std::string modality;  // "may", "could", "would", "should"...: not asserted as fact.
  std::optional<std::string> attributed_to;  // Speaker who reported it, if any.
  std::vector<Mention> mentions;             // At least one.
  bool operator==(const Event&) const = default;
};

// Metadata of an ingested document.
struct DocumentMeta {
  std::string id;  // Caller's id, unique within the store.
  std::string title;
  std::string source;  // Publisher / feed.
  Date date = kUnknownDate;
  uint64_t content_hash = 0;  // XXH3 of title + text; detects changed re-ingests.
  uint32_t sentences = 0;
  bool operator==(const DocumentMeta&) const = default;
};

// Kind of an actor in the dictionary.
enum class ActorType : uint8_t {
  kUnknown = 0,
  kCountry = 1,
  kPerson = 2,
  kOrganization = 3,  // Government bodies, IGOs, armed groups, media.
  kGroup = 4,         // Generic collective: "militants", "rebels".
  kPlace = 5,         // Cities and regions, coded with their country.
};

std::string_view ActorTypeName(ActorType type);
std::optional<ActorType> ParseActorType(std::string_view name);

struct ActorRecord {
  ActorId id = 0;
  std::string name;  // Canonical name.
  std::string code;  // Latest known CAMEO code.
  ActorType type = ActorType::kUnknown;
  std::vector<std::string> aliases;  // Surface forms seen or known (deduplicated).
  bool operator==(const ActorRecord&) const = default;
};

// Identifies one stored event: the document it came from and its ordinal.
struct EventKey {
  DocKey doc = 0;
  uint32_t ordinal = 0;
  bool operator==(const EventKey&) const = default;
  auto operator<=>(const EventKey&) const = default;
};

// The compact form of an event kept in every edge index, enough to filter
// queries without a point lookup.
struct EdgeEntry {
  ActorId source = 0;
  RelationId relation = 0;
  ActorId target = 0;
  Date date = kUnknownDate;
  EventKey event;
  std::string cameo;
  double goldstein = 0.0;
  bool negated = false;
  ActorId attributed_to = 0;  // 0 when not attributed.
  bool operator==(const EdgeEntry&) const = default;
};

// An event as stored: the extracted Event plus the ids it was indexed under.
struct StoredEvent {
  EventKey key;
  std::string doc_id;
  Date date = kUnknownDate;
  ActorId source_id = 0;
  RelationId relation_id = 0;
  ActorId target_id = 0;
  Event event;
  bool operator==(const StoredEvent&) const = default;
};

}  // namespace kg
