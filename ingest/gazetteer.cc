#include "ingest/gazetteer.h"

#include <algorithm>

#include "graph/ids.h"
#include "ingest/text.h"

namespace kg::ingest {
namespace {

// Marks trie keys that must match a token's exact (upper-case) form, so the
// alias "US" does not match the pronoun "us" nor "IS" the verb "is".
constexpr char kExactCaseMark = '=';

bool IsShortAllCaps(std::string_view phrase) {
  if (phrase.empty() || phrase.size() > 4) return false;
  for (char c : phrase) {
    if (c < 'A' || c > 'Z') return false;
  }
  return true;
}

// Lower-cased tokens of a dictionary phrase, tokenized exactly like text.
std::vector<std::string> PhraseTokens(std::string_view phrase) {
  if (IsShortAllCaps(phrase)) return {std::string(1, kExactCaseMark) + std::string(phrase)};
  Document doc;
  doc.text = phrase;
  TextOptions options;
  options.max_sentence_bytes = 1u << 16;
  SplitAndTokenize(options, &doc);
  std::vector<std::string> out;
  out.reserve(doc.tokens.size());
  for (const Token& t : doc.tokens) {
    if (t.Has(kDateline)) continue;
    out.push_back(t.lower);
  }
  // A trailing period is sentence punctuation to the tokenizer ("Gen." ends a
  // one-word text); fold it back so patterns match mid-sentence abbreviations.
  if (out.size() >= 2 && out.back() == "." && phrase.size() > 1 && phrase.back() == '.') {
    out.pop_back();
    out.back() += ".";
  }
  return out;
}

// Human label of a CAMEO role suffix, for composite actor names.
std::string_view SuffixLabel(std::string_view suffix) {
  static const std::pair<std::string_view, std::string_view> kLabels[] = {
      {"GOV", "government"},
      {"MIL", "military"},
      {"REB", "rebels"},
      {"OPP", "opposition"},
      {"COP", "police"},
      {"LEG", "legislature"},
      {"JUD", "judiciary"},
      {"CVL", "civilians"},
      {"MED", "media"},
      {"BUS", "business"},
      {"SPY", "intelligence"},
      {"UAF", "armed groups"},
      {"INS", "insurgents"},
      {"ELI", "elites"},
      {"REL", "clergy"},
      {"EDU", "education"},
      {"HLH", "health"},
      {"LAB", "labor"},
      {"IGO", "officials"},
      {"REF", "refugees"},
      {"AGR", "agriculture"},
      {"CRM", "criminals"},
      {"ENV", "environmental groups"},
      {"HRI", "rights groups"},
  };
  for (const auto& [code, label] : kLabels) {
    if (code == suffix) return label;
  }
  return {};
}

bool IsDeterminer(const Token& t) { return t.lower == "the" || t.lower == "a" || t.lower == "an"; }

bool IsNameToken(const Token& t) {
  if (t.Has(kPunctuation) || t.Has(kHasDigit)) return false;
  if (t.Has(kCapitalized)) return true;
  // Arabic and European name particles: "al-Assad", "bin Salman", "van der".
  static const char* kParticles[] = {"al-", "el-", "bin", "ibn", "de",
                                     "van", "von", "der", "abu", "da"};
  for (const char* p : kParticles) {
    if (t.lower.rfind(p, 0) == 0 && (std::string_view(p).back() == '-' || t.lower == p))
      return true;
  }
  return false;
}

// Pronouns resolved by coreference, with number and whether they may name a person.
struct PronounInfo {
  std::string_view word;
  bool plural;
  bool person;
  bool possessive;
};
constexpr PronounInfo kPronouns[] = {
    {"he", false, true, false},   {"him", false, true, false},  {"his", false, true, true},
    {"she", false, true, false},  {"her", false, true, true},   {"it", false, false, false},
    {"its", false, false, true},  {"they", true, false, false}, {"them", true, false, false},
    {"their", true, false, true},
};

}  // namespace

struct Gazetteer::Trie {
  struct Node {
    std::unordered_map<std::string, uint32_t> next;
    std::vector<uint32_t> payloads;
  };
  std::vector<Node> nodes{1};

  void Add(const std::vector<std::string>& words, uint32_t payload) {
    if (words.empty()) return;
    uint32_t cur = 0;
    for (const auto& w : words) {
      auto it = nodes[cur].next.find(w);
      if (it == nodes[cur].next.end()) {
        nodes.emplace_back();
        uint32_t id = static_cast<uint32_t>(nodes.size() - 1);
        nodes[cur].next.emplace(w, id);
        cur = id;
      } else {
        cur = it->second;
      }
    }
    auto& p = nodes[cur].payloads;
    if (std::find(p.begin(), p.end(), payload) == p.end()) p.push_back(payload);
  }
};

Gazetteer::Gazetteer(const Dictionaries& dicts)
    : dicts_(dicts),
      actors_(std::make_unique<Trie>()),
      demonyms_(std::make_unique<Trie>()),
      roles_(std::make_unique<Trie>()) {
  for (uint32_t i = 0; i < dicts.actors.size(); ++i) {
    const ActorEntry& e = dicts.actors[i];
    std::string key = NormalizeName(e.name);
    auto [it, inserted] = group_of_name_.emplace(key, static_cast<uint32_t>(groups_.size()));
    if (inserted) groups_.emplace_back();
    groups_[it->second].push_back(i);
    actors_->Add(PhraseTokens(e.name), it->second);
    for (const auto& alias : e.aliases) actors_->Add(PhraseTokens(alias), it->second);
    if (e.type == ActorType::kCountry && e.code.size() == 3)
      country_of_code_.emplace(e.code, e.name);
  }
  for (uint32_t i = 0; i < dicts.demonyms.size(); ++i) {
    demonyms_->Add(PhraseTokens(dicts.demonyms[i].adjective), i);
    adjective_of_code_.emplace(dicts.demonyms[i].code, dicts.demonyms[i].adjective);
  }
  for (uint32_t i = 0; i < dicts.roles.size(); ++i)
    roles_->Add(PhraseTokens(dicts.roles[i].phrase), i);
}

Gazetteer::~Gazetteer() = default;

Gazetteer::Match Gazetteer::Longest(const Trie& trie, const Document& doc, uint32_t i,
                                    uint32_t limit) const {
  // Depth-first over the two keys a token may match: its lower-cased form
  // and, for short all-caps tokens, its exact form ("=US").
  Match best;
  struct Frame {
    uint32_t node, k;
  };
  Frame stack[32];
  size_t depth = 0;
  stack[depth++] = {0, i};
  while (depth > 0) {
    Frame f = stack[--depth];
    if (f.k >= limit) continue;
    const auto& next = trie.nodes[f.node].next;
    const Token& tok = doc.tokens[f.k];
    auto visit = [&](std::unordered_map<std::string, uint32_t>::const_iterator it) {
      if (it == next.end()) return;
      uint32_t child = it->second;
      if (!trie.nodes[child].payloads.empty() && f.k + 1 > best.end) {
        best = Match{f.k + 1, &trie.nodes[child].payloads};
      }
      if (depth < 32) stack[depth++] = {child, f.k + 1};
    };
    visit(next.find(tok.lower));
    if (tok.Has(kAllCaps) && tok.norm.size() <= 4) {
      visit(next.find(std::string(1, kExactCaseMark) + tok.norm));
    }
  }
  return best;
}

const ActorEntry* Gazetteer::PickEntry(const std::vector<uint32_t>& group_ids, Date date) const {
  // Several groups can share an alias: prefer the first group. Within it,
  // the row valid on `date`; with no date (or none valid), the row held
  // longest, the office a person is best known for (an open row counts up
  // to its start plus ten years).
  auto span = [](const ActorEntry& e) -> int64_t {
    if (e.valid_from == kUnknownDate) return e.valid_to == kUnknownDate ? 1 << 20 : 1 << 19;
    Date end = e.valid_to == kUnknownDate ? e.valid_from + 3652 : e.valid_to;
    return static_cast<int64_t>(end) - e.valid_from;
  };
  for (uint32_t gid : group_ids) {
    const ActorEntry* best = nullptr;
    for (uint32_t idx : groups_[gid]) {
      const ActorEntry& e = dicts_.actors[idx];
      if (date != kUnknownDate && e.ValidOn(date)) return &e;
      if (best == nullptr || span(e) > span(*best)) best = &e;
    }
    if (best != nullptr) return best;
  }
  return nullptr;
}

std::vector<std::string> Gazetteer::AliasesOf(std::string_view canonical_name) const {
  std::vector<std::string> out;
  auto it = group_of_name_.find(NormalizeName(canonical_name));
  if (it == group_of_name_.end()) return out;
  for (uint32_t idx : groups_[it->second]) {
    for (const auto& alias : dicts_.actors[idx].aliases) {
      if (std::find(out.begin(), out.end(), alias) == out.end()) out.push_back(alias);
    }
  }
  return out;
}

ActorType Gazetteer::TypeOf(std::string_view canonical_name) const {
  auto it = group_of_name_.find(NormalizeName(canonical_name));
  if (it == group_of_name_.end()) return ActorType::kUnknown;
  return dicts_.actors[groups_[it->second].front()].type;
}

std::string_view Gazetteer::AdjectiveFor(std::string_view code) const {
  auto it = adjective_of_code_.find(std::string(code));
  return it == adjective_of_code_.end() ? std::string_view() : std::string_view(it->second);
}

std::string_view Gazetteer::CountryName(std::string_view code) const {
  auto it = country_of_code_.find(std::string(code));
  return it == country_of_code_.end() ? std::string_view() : std::string_view(it->second);
}

std::string Gazetteer::CountryOf(std::string_view code) const {
  if (code.size() < 3) return "";
  std::string head(code.substr(0, 3));
  return country_of_code_.count(head) ? head : "";
}

std::string Gazetteer::CompositeName(std::string_view country, std::string_view suffix) const {
  std::string label(SuffixLabel(suffix));
  if (label.empty()) label = std::string(suffix);
  std::string adjective(AdjectiveFor(country));
  if (adjective.empty()) adjective = std::string(CountryName(country));
  if (adjective.empty()) return label;
  return adjective + " " + label;
}

void Gazetteer::FindMentions(const Document& doc, uint32_t s, Date date,
                             std::vector<ActorMention>* out) const {
  const Sentence& sent = doc.sentences[s];
  const uint32_t end = sent.last_token;
  auto text_of = [&](uint32_t first, uint32_t last) {
    return std::string(doc.text.substr(doc.tokens[first].begin,
                                       doc.tokens[last - 1].end - doc.tokens[first].begin));
  };

  uint32_t i = sent.first_token;
  while (i < end) {
    const Token& tok = doc.tokens[i];
    // Pronouns.
    bool matched_pronoun = false;
    for (const PronounInfo& p : kPronouns) {
      if (tok.lower == p.word && IsNoun(tok.pos) == false) {
        ActorMention m;
        m.sentence = s;
        m.first = i;
        m.last = i + 1;
        m.kind = MentionKind::kPronoun;
        m.ref.text = text_of(i, i + 1);
        m.plural = p.plural;
        m.possessive = p.possessive;
        m.type = p.person ? ActorType::kPerson : ActorType::kUnknown;
        out->push_back(std::move(m));
        matched_pronoun = true;
        break;
      }
    }
    if (matched_pronoun) {
      ++i;
      continue;
    }

    // Candidate 1: the longest plain dictionary alias.
    Match dict = Longest(*actors_, doc, i, end);

    // Candidate 2: [det] MOD? ROLE* NAME? composed left to right.
    uint32_t k = i;
    if (IsDeterminer(doc.tokens[k]) && k + 1 < end) ++k;
    const uint32_t start = k;
    std::string country;                    // Country code from the modifier.
    const ActorEntry* mod_actor = nullptr;  // Organisation/person modifier ("Kremlin").
    Match mod_dict = Longest(*actors_, doc, k, end);
    Match mod_dem = Longest(*demonyms_, doc, k, end);
    bool had_modifier = false;
    if (mod_dem.payloads != nullptr && mod_dem.end >= mod_dict.end) {
      country = dicts_.demonyms[mod_dem.payloads->front()].code;
      k = mod_dem.end;
      had_modifier = true;
    } else if (mod_dict.payloads != nullptr) {
      const ActorEntry* e = PickEntry(*mod_dict.payloads, date);
      if (e != nullptr && e->type != ActorType::kPerson) {
        mod_actor = e;
        country = CountryOf(e->code);
        k = mod_dict.end;
        if (k < end && doc.tokens[k].lower == "'s") ++k;
        had_modifier = true;
      }
    }
    const RoleEntry* last_role = nullptr;
    const RoleEntry* body_role = nullptr;
    const RoleEntry* title_role = nullptr;
    std::string title_words;
    while (k < end) {
      Match r = Longest(*roles_, doc, k, end);
      if (r.payloads == nullptr) break;
      const RoleEntry& role = dicts_.roles[r.payloads->front()];
      // A capitalised title after a name-like word is likely part of a name;
      // roles after a modifier or sentence start are taken.
      last_role = &role;
      if (role.kind == RoleKind::kTitle) {
        title_role = &role;
        if (!title_words.empty()) title_words += ' ';
        title_words += NormalizeName(role.phrase);
      } else {
        body_role = &role;
      }
      k = r.end;
    }
    uint32_t name_end = k;
    const ActorEntry* named = nullptr;
    if (title_role != nullptr && k < end) {
      Match person = Longest(*actors_, doc, k, end);
      if (person.payloads != nullptr) {
        const ActorEntry* e = PickEntry(*person.payloads, date);
        if (e != nullptr && e->type == ActorType::kPerson) {
          named = e;
          name_end = person.end;
        }
      }
      if (named == nullptr) {
        while (name_end < end && name_end - k < 4 && IsNameToken(doc.tokens[name_end]) &&
               IsProperNoun(doc.tokens[name_end].pos)) {
          ++name_end;
        }
      }
    }

    ActorMention m;
    m.sentence = s;
    uint32_t composite_end = 0;
    if (named != nullptr) {
      composite_end = name_end;
      m.kind = MentionKind::kDictionary;
      m.entry = named;
      m.ref.name = named->name;
      m.ref.code = named->code;
      m.type = ActorType::kPerson;
      m.title = title_words;
    } else if (title_role != nullptr && name_end > k) {
      composite_end = name_end;
      m.kind = MentionKind::kTitledName;
      m.ref.name = text_of(k, name_end);
      std::string owner = mod_actor != nullptr ? mod_actor->code : country;
      std::string suffix = title_role->suffix == "-" ? "" : title_role->suffix;
      if (mod_actor != nullptr && mod_actor->code.size() > 3) {
        m.ref.code = mod_actor->code;  // "Kremlin spokesman X" -> the Kremlin's code.
      } else if (!country.empty()) {
        m.ref.code = country + (body_role != nullptr && body_role->suffix != "-" ? body_role->suffix
                                                                                 : suffix);
      } else {
        m.ref.code = suffix;
      }
      (void)owner;
      m.type = ActorType::kPerson;
      m.title = title_words;
    } else if (last_role != nullptr &&
               (body_role != nullptr || last_role->kind == RoleKind::kGroup) &&
               title_role == nullptr) {
      composite_end = k;
      const RoleEntry& role = *last_role;
      std::string suffix = role.suffix == "-" ? "" : role.suffix;
      if (body_role != nullptr && role.kind == RoleKind::kGroup && body_role->suffix == "GOV" &&
          (suffix == "MIL" || suffix.empty())) {
        suffix = "MIL";  // "government forces", "regime troops".
      } else if (body_role != nullptr && role.kind == RoleKind::kGroup && suffix.empty()) {
        suffix = body_role->suffix;
      }
      m.suffix = suffix;
      m.plural = role.kind == RoleKind::kGroup;
      if (mod_actor != nullptr && mod_actor->code.size() > 3 &&
          CountryOf(mod_actor->code).empty()) {
        // IGO or group modifier: "UN peacekeepers" stay with the IGO.
        m.kind = MentionKind::kDictionary;
        m.entry = mod_actor;
        m.ref.name = mod_actor->name;
        m.ref.code = mod_actor->code;
        m.type = mod_actor->type;
      } else if (!country.empty()) {
        m.kind = MentionKind::kComposite;
        m.ref.code = country + suffix;
        m.ref.name = CompositeName(country, suffix);
        m.type = role.kind == RoleKind::kGroup ? ActorType::kGroup : ActorType::kOrganization;
      } else {
        m.kind = MentionKind::kRoleOnly;
        m.ref.code = suffix;
        m.ref.name = NormalizeName(text_of(start, k));
        m.type = role.kind == RoleKind::kGroup ? ActorType::kGroup : ActorType::kOrganization;
      }
    } else if (had_modifier && mod_actor == nullptr && k == mod_dem.end && k < end &&
               (IsNoun(doc.tokens[k].pos) || IsAdjective(doc.tokens[k].pos)) && dict.end <= i) {
      // Bare demonym before a noun: "a Russian jet" -> Russia.
      composite_end = mod_dem.end;
      m.kind = MentionKind::kDemonym;
      std::string_view cname = CountryName(country);
      m.ref.name = cname.empty() ? country : std::string(cname);
      m.ref.code = country;
      m.type = ActorType::kCountry;
      m.first = start;
    }

    // "The minister", "the president": a title standing for a person met
    // earlier; coreference resolves it.
    if (composite_end == 0 && title_role != nullptr && !had_modifier && k > start && start > i &&
        doc.tokens[i].lower == "the") {
      composite_end = k;
      m.kind = MentionKind::kShortName;
      m.type = ActorType::kPerson;
      m.title = title_words;
    }
    uint32_t dict_len = dict.payloads != nullptr ? dict.end - i : 0;
    uint32_t comp_len = composite_end > i ? composite_end - i : 0;
    if (dict_len > 0 && dict_len >= comp_len) {
      const ActorEntry* e = PickEntry(*dict.payloads, date);
      if (e != nullptr) {
        ActorMention d;
        d.sentence = s;
        d.first = i;
        d.last = dict.end;
        d.kind = MentionKind::kDictionary;
        d.entry = e;
        d.ref.text = text_of(i, dict.end);
        d.ref.name = e->name;
        d.ref.code = e->code;
        d.type = e->type;
        d.possessive = dict.end < end && doc.tokens[dict.end].lower == "'s";
        out->push_back(std::move(d));
        i = dict.end;
        continue;
      }
    }
    if (comp_len == 0 && doc.tokens[i].lower == "the" && i + 1 < end) {
      // "the country", "the group": resolved by coreference.
      const std::string& noun = doc.tokens[i + 1].lower;
      ActorType type = ActorType::kUnknown;
      if (noun == "country" || noun == "nation") type = ActorType::kCountry;
      if (noun == "group" || noun == "organization" || noun == "organisation" ||
          noun == "alliance" || noun == "bloc") {
        type = ActorType::kOrganization;
      }
      if (type != ActorType::kUnknown) {
        m.kind = MentionKind::kShortName;
        m.type = type;
        m.title = noun;
        composite_end = i + 2;
        comp_len = 2;
      }
    }
    if (comp_len > 0) {
      if (m.kind != MentionKind::kDemonym) m.first = i;
      m.last = composite_end;
      m.ref.text = text_of(m.first, m.last);
      m.possessive = composite_end < end && doc.tokens[composite_end].lower == "'s";
      out->push_back(std::move(m));
      i = composite_end;
      continue;
    }
    ++i;
  }
}

}  // namespace kg::ingest
