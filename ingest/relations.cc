#include "ingest/relations.h"

#include <algorithm>
#include <functional>
#include <map>
#include <set>
#include <tuple>

#include "graph/ids.h"

namespace kg::ingest {
namespace {

// A maximal run of auxiliaries, adverbs and verbs ending in a main verb.
struct VerbGroup {
  uint32_t sentence = 0;
  uint32_t first = 0, last = 0;  // Token range [first, last).
  uint32_t main = 0;             // The main verb token.
  uint32_t phrase_end = 0;       // One past the matched verb phrase (particles included).
  const VerbEntry* verb = nullptr;
  std::string lemma;
  bool negated = false;
  bool passive = false;
  bool infinitive = false;  // "to V".
  bool gerund = false;      // Bare V-ing.
  bool participle = false;  // Bare V-ed after a noun: reduced relative.
  bool finite = false;
  std::string modality;
  int controller = -1;                 // Governing group for infinitives and gerunds.
  std::vector<int> subjects, objects;  // Mention indices (before coreference).
  // Reported speech, for cue verbs.
  bool cue = false;      // A speech cue in the verb dictionary.
  bool reports = false;  // Yields an attribution: a cue, or a verbal act with a speaker.
  // Events in the content are the speaker's claims: not for negated speech
  // ("did not say") or stances, whose content is what they are about.
  bool owns_content = true;
  bool pseudo = false;  // A cue without a verb ("according to", ":"): no event, no triple.
  int speaker = -1;     // Mention index of the speaker, if an actor.
  uint32_t speaker_first = 0, speaker_last = 0;  // Speaker tokens (any NP).
  uint32_t content_first = 0, content_last = 0;  // Reported content tokens.
};

bool IsBoundary(const Token& t) {
  if (t.Has(kOpenQuote) || t.Has(kCloseQuote)) return true;
  return t.lower == ";" || t.lower == ":" || t.lower == "(" || t.lower == ")" || t.lower == "--" ||
         t.lower == "-";
}

bool IsRelativeWord(const Token& t) {
  return t.lower == "who" || t.lower == "which" || t.lower == "that" || t.lower == "whom";
}

bool IsNegator(const Token& t) {
  return t.lower == "not" || t.lower == "n't" || t.lower == "never" || t.lemma == "not";
}

bool IsCoordinator(const Token& t) { return t.lower == "and" || t.lower == "or" || t.lower == ","; }

// Verbs with no event meaning on their own; never coded as unknown verbs.
bool IsLightVerb(std::string_view lemma) {
  static const std::set<std::string_view> kLight = {
      "be",     "have",   "do",       "get",     "make",     "take", "go",    "come",
      "become", "seem",   "give",     "include", "use",      "see",  "know",  "think",
      "want",   "need",   "continue", "begin",   "start",    "try",  "keep",  "let",
      "put",    "set",    "leave",    "call",    "find",     "hold", "bring", "show",
      "remain", "appear", "mean",     "involve", "describe", "add",  "feel",  "look",
      "turn",   "run",    "move",     "live",    "lead",     "play", "write", "read",
      "tell",   "ask",    "expect",   "believe", "plan",     "hope", "allow", "help"};
  return kLight.count(lemma) > 0;
}

// Heads of clause complements whose negation negates what they report.
bool NegationPassesThrough(const VerbGroup& g) {
  static const std::set<std::string_view> kHeads = {
      "mean",    "think",    "believe", "expect", "know",     "confirm", "show",
      "suggest", "indicate", "say",     "claim",  "announce", "report",  "state",
      "see",     "intend",   "plan",    "want",   "seem"};
  return g.cue || kHeads.count(g.lemma) > 0;
}

// Verbs whose infinitive or clause complement is negated by their meaning.
bool IsNegatingHead(std::string_view lemma) {
  return lemma == "refuse" || lemma == "fail" || lemma == "decline" || lemma == "deny" ||
         lemma == "reject";
}

// Verbs whose infinitive complement is intended, not done.
bool IsIntentionHead(std::string_view lemma) {
  static const std::set<std::string_view> kHeads = {
      "plan", "want",    "intend", "vow",     "promise", "threaten", "hope",   "seek",
      "aim",  "prepare", "try",    "attempt", "pledge",  "offer",    "propose"};
  return kHeads.count(lemma) > 0;
}

// Prepositions that introduce the target of an action ("deployed X to Syria").
bool IsTargetPreposition(std::string_view w) {
  return w == "to" || w == "with" || w == "on" || w == "against" || w == "over" || w == "into" ||
         w == "toward" || w == "towards" || w == "at" || w == "upon";
}

struct DedupKey {
  std::string source, relation, target;
  bool negated;
  std::string modality, attributed;
  auto operator<=>(const DedupKey&) const = default;
};

class DocumentExtraction {
 public:
  DocumentExtraction(
      const RelationExtractor& owner, const Dictionaries& dicts, const Gazetteer& gazetteer,
      bool keep_unknown, const Document& doc, std::vector<ActorMention>* mentions, Extraction* out,
      const std::function<const VerbEntry*(uint32_t, uint32_t, uint32_t*)>& find_verb,
      const std::function<const VerbEntry*(const Token&)>& find_nominal,
      const std::function<const VerbEntry*(std::string_view)>& find_verb_by_lemma)
      : find_verb_by_lemma_(find_verb_by_lemma),
        dicts_(dicts),
        gazetteer_(gazetteer),
        keep_unknown_(keep_unknown),
        doc_(doc),
        mentions_(*mentions),
        out_(out),
        find_verb_(find_verb),
        find_nominal_(find_nominal) {
    (void)owner;
  }

  void set_open_triples(bool on) { open_triples_ = on; }

  void Run() {
    mention_at_.assign(doc_.tokens.size(), -1);
    for (size_t m = 0; m < mentions_.size(); ++m) {
      for (uint32_t t = mentions_[m].first; t < mentions_[m].last; ++t)
        mention_at_[t] = static_cast<int>(m);
    }
    MarkQuotedTokens();
    ResolveShortNames();
    for (uint32_t s = 0; s < doc_.sentences.size(); ++s) {
      if (doc_.sentences[s].skipped) continue;
      ProcessSentence(s);
    }
    InferMissingCountries();
    Finish();
  }

 private:
  // Tokens inside a direct quotation of their paragraph (quotes left open at
  // a paragraph end close there, as in multi-paragraph quotes).
  void MarkQuotedTokens() {
    quoted_.assign(doc_.tokens.size(), false);
    bool in_double = false, in_single = false;
    uint32_t paragraph = 0;
    for (const Sentence& sent : doc_.sentences) {
      if (sent.paragraph != paragraph) in_double = in_single = false;
      paragraph = sent.paragraph;
      for (uint32_t t = sent.first_token; t < sent.last_token; ++t) {
        const Token& u = doc_.tokens[t];
        const bool single = u.norm == "'";
        if (u.Has(kOpenQuote)) (single ? in_single : in_double) = true;
        quoted_[t] = in_double || in_single;
        if (u.Has(kCloseQuote)) (single ? in_single : in_double) = false;
      }
    }
  }

  // ---- Mentions and coreference ----

  int Resolved(int m) const {
    int guard = 0;
    while (m >= 0 && mentions_[m].antecedent >= 0 && guard++ < 8) m = mentions_[m].antecedent;
    return m;
  }

  bool IsResolvedActor(int m) const {
    int r = Resolved(m);
    if (r < 0) return false;
    const ActorMention& am = mentions_[r];
    return am.kind != MentionKind::kPronoun && am.kind != MentionKind::kShortName &&
           !am.ref.name.empty();
  }

  // Unknown capitalised surnames of persons met earlier ("Ayoub said").
  void ResolveShortNames() {
    std::map<std::string, int> surname_to_mention;
    std::vector<ActorMention> added;
    size_t next_mention = 0;
    for (uint32_t t = 0; t < doc_.tokens.size(); ++t) {
      while (next_mention < mentions_.size() && mentions_[next_mention].first <= t) {
        const ActorMention& m = mentions_[next_mention];
        if (m.type == ActorType::kPerson && m.kind != MentionKind::kPronoun && m.last > m.first) {
          surname_to_mention[doc_.tokens[m.last - 1].lower] = static_cast<int>(next_mention);
        }
        ++next_mention;
      }
      if (mention_at_[t] >= 0) continue;
      const Token& tok = doc_.tokens[t];
      if (!tok.Has(kCapitalized) || !IsProperNoun(tok.pos)) continue;
      auto it = surname_to_mention.find(tok.lower);
      if (it == surname_to_mention.end()) continue;
      ActorMention m;
      m.first = t;
      m.last = t + 1;
      m.kind = MentionKind::kShortName;
      m.ref.text = std::string(doc_.text.substr(tok.begin, tok.end - tok.begin));
      m.type = ActorType::kPerson;
      m.antecedent = it->second;
      m.possessive = t + 1 < doc_.tokens.size() && doc_.tokens[t + 1].lower == "'s";
      m.sentence = SentenceOf(t);
      added.push_back(std::move(m));
    }
    if (added.empty()) return;
    for (auto& m : added) mentions_.push_back(std::move(m));
    std::stable_sort(
        mentions_.begin(), mentions_.end(),
        [](const ActorMention& a, const ActorMention& b) { return a.first < b.first; });
    // Sorting moved indices: rebuild antecedents of short names by position.
    std::map<uint32_t, int> index_of_first;
    for (size_t m = 0; m < mentions_.size(); ++m)
      index_of_first[mentions_[m].first] = static_cast<int>(m);
    mention_at_.assign(doc_.tokens.size(), -1);
    for (size_t m = 0; m < mentions_.size(); ++m) {
      for (uint32_t t = mentions_[m].first; t < mentions_[m].last; ++t)
        mention_at_[t] = static_cast<int>(m);
    }
    for (auto& m : mentions_) {
      if (m.kind != MentionKind::kShortName || m.antecedent < 0) continue;
      // Antecedent was stored as an index into the pre-sort vector; re-find it
      // as the latest earlier person mention with the same last token.
      m.antecedent = -1;
      for (int k = mention_at_[m.first] - 1; k >= 0; --k) {
        const ActorMention& c = mentions_[k];
        if (c.type == ActorType::kPerson && c.kind != MentionKind::kPronoun &&
            c.kind != MentionKind::kShortName &&
            doc_.tokens[c.last - 1].lower == doc_.tokens[m.first].lower) {
          m.antecedent = k;
          break;
        }
      }
    }
    (void)index_of_first;
  }

  uint32_t SentenceOf(uint32_t token) const {
    auto it = std::upper_bound(doc_.sentences.begin(), doc_.sentences.end(), token,
                               [](uint32_t t, const Sentence& s) { return t < s.first_token; });
    return it == doc_.sentences.begin() ? 0
                                        : static_cast<uint32_t>(it - doc_.sentences.begin() - 1);
  }

  // Resolves pronoun and title mentions of sentence s (in order).
  void ResolvePronouns(uint32_t s, const std::vector<VerbGroup>& groups) {
    const Sentence& sent = doc_.sentences[s];
    for (uint32_t t = sent.first_token; t < sent.last_token; ++t) {
      int m = mention_at_[t];
      if (m < 0 || mentions_[m].first != t) continue;
      ActorMention& pm = mentions_[m];
      if (pm.kind == MentionKind::kShortName && pm.antecedent < 0) {
        ResolveDescription(m, s);
        continue;
      }
      if (pm.kind != MentionKind::kPronoun || pm.antecedent >= 0) continue;
      bool is_subject = false;
      for (const VerbGroup& g : groups) {
        if (std::find(g.subjects.begin(), g.subjects.end(), m) != g.subjects.end())
          is_subject = true;
      }
      // Inside reported content: the speaker, when compatible.
      for (const VerbGroup& g : groups) {
        if (!g.reports || !g.owns_content || g.speaker < 0 || t < g.content_first ||
            t >= g.content_last) {
          continue;
        }
        int sp = Resolved(g.speaker);
        if (sp >= 0 && sp != m && Compatible(pm, mentions_[sp])) {
          pm.antecedent = sp;
          break;
        }
      }
      if (pm.antecedent >= 0) continue;
      const bool person = pm.type == ActorType::kPerson;
      if (!person && !is_subject) continue;  // "it"/"they" only as subjects.
      const uint32_t window = person ? 4 : 2;
      int best = -1;
      bool best_subject = false;
      for (int k = m - 1; k >= 0; --k) {
        const ActorMention& c = mentions_[k];
        if (c.sentence + window < s) break;
        int r = Resolved(k);
        if (r < 0 || !IsResolvedActor(k)) continue;
        if (!Compatible(pm, mentions_[r])) continue;
        if (c.possessive && !person) continue;
        bool c_subject = subject_mentions_.count(k) > 0;
        if (best < 0) {
          best = r;
          best_subject = c_subject;
          if (c_subject || c.sentence == s) break;
          continue;
        }
        if (c_subject && !best_subject && mentions_[k].sentence == mentions_[best].sentence) {
          best = r;
          best_subject = true;
          break;
        }
      }
      pm.antecedent = best;
    }
  }

  // "the minister" -> the latest person whose title or text has "minister";
  // "the country" / "the group" -> the latest country / organisation that is
  // not the first actor of this sentence (usually its subject).
  void ResolveDescription(int m, uint32_t s) {
    ActorMention& dm = mentions_[m];
    int sentence_first = -1;
    for (int k = 0; k < static_cast<int>(mentions_.size()); ++k) {
      if (mentions_[k].sentence == s && k != m) {
        sentence_first = Resolved(k);
        break;
      }
    }
    for (int k = m - 1; k >= 0; --k) {
      const ActorMention& c = mentions_[k];
      if (c.sentence + 4 < s) break;
      int r = Resolved(k);
      if (r < 0 || !IsResolvedActor(k) || r == sentence_first) continue;
      const ActorMention& cand = mentions_[r];
      if (dm.type == ActorType::kPerson) {
        if (cand.type != ActorType::kPerson) continue;
        std::string text = NormalizeName(c.ref.text);
        std::string last_word = dm.title.substr(dm.title.rfind(' ') + 1);
        if (cand.title.find(last_word) == std::string::npos &&
            text.find(last_word) == std::string::npos) {
          continue;
        }
      } else if (dm.type == ActorType::kCountry) {
        if (cand.type != ActorType::kCountry) continue;
      } else if (!(cand.type == ActorType::kOrganization || cand.type == ActorType::kGroup)) {
        continue;
      }
      dm.antecedent = r;
      return;
    }
  }

  bool Compatible(const ActorMention& pronoun, const ActorMention& c) const {
    if (pronoun.type == ActorType::kPerson) return c.type == ActorType::kPerson;
    if (pronoun.plural) {
      return c.type == ActorType::kGroup || c.plural || c.type == ActorType::kOrganization ||
             c.type == ActorType::kCountry;
    }
    return c.type == ActorType::kCountry || (c.type == ActorType::kOrganization && !c.plural);
  }

  // ---- Verb groups ----

  std::vector<VerbGroup> FindGroups(uint32_t s) {
    const Sentence& sent = doc_.sentences[s];
    std::vector<VerbGroup> groups;
    uint32_t k = sent.first_token;
    while (k < sent.last_token) {
      const Token& t = doc_.tokens[k];
      if (mention_at_[k] >= 0 ||
          !(IsVerb(t.pos) || t.pos == Pos::kMD || IsMistaggedSpeechVerb(k, sent))) {
        ++k;
        continue;
      }
      VerbGroup g;
      g.sentence = s;
      g.first = k;
      uint32_t j = k;
      if (!IsVerb(t.pos) && t.pos != Pos::kMD) {
        // A speech verb the tagger read as a noun ("many think", "five say").
        g.last = k + 1;
        g.main = k;
        g.lemma = SpeechVerbLemma(t.lower);
        g.finite = true;
        g.verb = find_verb_by_lemma_(g.lemma);
        g.phrase_end = k + 1;
        g.cue = g.verb != nullptr && g.verb->Has(kVerbCue);
        g.reports = g.cue;
        groups.push_back(std::move(g));
        ++k;
        continue;
      }
      uint32_t main = k;
      while (j < sent.last_token) {
        const Token& u = doc_.tokens[j];
        if (mention_at_[j] >= 0) break;
        if (IsVerb(u.pos) || u.pos == Pos::kMD) {
          // A verb after a non-auxiliary verb starts a new group ("want to go"
          // is split by "to"; "helped rebuild" is split here).
          if (j > k && !IsAuxiliary(doc_.tokens[main])) break;
          main = j;
          ++j;
          continue;
        }
        if ((u.pos == Pos::kRB || IsNegator(u)) && j + 1 < sent.last_token) {
          uint32_t look = j + 1;
          while (look < sent.last_token && doc_.tokens[look].pos == Pos::kRB) ++look;
          if (look < sent.last_token && IsVerb(doc_.tokens[look].pos) &&
              IsAuxiliary(doc_.tokens[main])) {
            j = look;
            continue;
          }
        }
        break;
      }
      g.last = j;
      g.main = main;
      const Token& mv = doc_.tokens[main];
      g.lemma = mv.lemma.empty() ? mv.lower : mv.lemma;
      bool has_aux = false, be_aux = false;
      for (uint32_t x = g.first; x < g.last; ++x) {
        const Token& u = doc_.tokens[x];
        if (IsNegator(u)) g.negated = true;
        if (x != main && (IsVerb(u.pos) || u.pos == Pos::kMD)) {
          has_aux = true;
          if (u.lemma == "be" || u.lemma == "get") be_aux = true;
          if (u.pos == Pos::kMD) {
            static const std::set<std::string_view> kModal = {"may",    "might", "could", "would",
                                                              "should", "can",   "must"};
            if (kModal.count(u.lemma.empty() ? u.lower : u.lemma))
              g.modality = u.lemma.empty() ? u.lower : u.lemma;
          }
        }
      }
      if (g.first > sent.first_token && doc_.tokens[g.first - 1].lower == "to" &&
          (mv.pos == Pos::kVB || mv.pos == Pos::kVBP)) {
        g.infinitive = true;
      }
      g.passive = mv.pos == Pos::kVBN && be_aux;
      g.gerund = mv.pos == Pos::kVBG && !has_aux;
      g.participle = mv.pos == Pos::kVBN && !has_aux;
      if (g.participle && g.first > sent.first_token) {
        // The tagger sometimes reads a past tense as a participle ("He also
        // accused Russia"): after a subject pronoun or a sentence-initial
        // actor, with no "by" agent following, it is a finite verb.
        uint32_t p = g.first;
        while (p > sent.first_token && doc_.tokens[p - 1].pos == Pos::kRB) --p;
        const Token* before = p > sent.first_token ? &doc_.tokens[p - 1] : nullptr;
        const bool by_follows = main + 1 < sent.last_token && doc_.tokens[main + 1].lower == "by";
        const bool after_pronoun = before != nullptr && before->pos == Pos::kPRP;
        const bool after_initial_actor = before != nullptr && mention_at_[p - 1] >= 0 &&
                                         mentions_[mention_at_[p - 1]].first == sent.first_token;
        if (!by_follows && (after_pronoun || after_initial_actor)) g.participle = false;
      }
      g.finite = !g.infinitive && !g.gerund && !g.participle;
      g.verb = find_verb_(main, sent.last_token, &g.phrase_end);
      if (g.verb == nullptr) g.phrase_end = main + 1;
      if (g.verb != nullptr && g.verb->Has(kVerbCue)) g.cue = g.reports = true;
      for (uint32_t x = g.first; x-- > sent.first_token && g.first - x < 12;) {
        const Token& u = doc_.tokens[x];
        if (u.lower == "," || IsBoundary(u)) break;
        if (u.lower == "if" || u.lower == "unless" || u.lower == "whether") {
          g.modality = "if";
          break;
        }
      }
      if (g.negated == false && g.first > sent.first_token + 1 &&
          doc_.tokens[g.first - 1].lower == "no" && doc_.tokens[g.first].lower == "longer") {
        g.negated = true;
      }
      groups.push_back(std::move(g));
      k = j > k ? j : k + 1;
    }
    // Controllers: the closest earlier group for infinitives and gerunds.
    for (size_t i = 0; i < groups.size(); ++i) {
      if ((groups[i].infinitive || groups[i].gerund) && i > 0)
        groups[i].controller = static_cast<int>(i - 1);
    }
    return groups;
  }

  // Present and past forms of common speech verbs, with their lemma.
  static std::string_view CommonSpeechForm(std::string_view form) {
    static const std::pair<std::string_view, std::string_view> kForms[] = {
        {"say", "say"},          {"says", "say"},      {"said", "say"},
        {"think", "think"},      {"thinks", "think"},  {"believe", "believe"},
        {"believes", "believe"}, {"tell", "tell"},     {"tells", "tell"},
        {"told", "tell"},        {"claim", "claim"},   {"claims", "claim"},
        {"argue", "argue"},      {"argues", "argue"},  {"insist", "insist"},
        {"insists", "insist"},   {"warn", "warn"},     {"warns", "warn"},
        {"fear", "fear"},        {"fears", "fear"},    {"hope", "hope"},
        {"hopes", "hope"},       {"expect", "expect"}, {"expects", "expect"}};
    for (const auto& [f, lemma] : kForms) {
      if (f == form) return lemma;
    }
    return {};
  }

  // The lemma of a speech verb form the tagger may read as a noun: a common
  // form, or a past or third-person form of any cue or stance verb ("joked",
  // "tweeted", "shows").
  std::string SpeechVerbLemma(std::string_view form) const {
    if (std::string_view lemma = CommonSpeechForm(form); !lemma.empty()) return std::string(lemma);
    std::vector<std::string> bases;
    if (form.size() > 4 && form.substr(form.size() - 2) == "ed") {
      bases = {std::string(form.substr(0, form.size() - 1)),
               std::string(form.substr(0, form.size() - 2))};
    } else if (form.size() > 3 && form.back() == 's' && form[form.size() - 2] != 's') {
      bases = {std::string(form.substr(0, form.size() - 1))};
    }
    for (const std::string& base : bases) {
      const VerbEntry* v = find_verb_by_lemma_(base);
      if (v != nullptr && (v->Has(kVerbCue) || v->Has(kVerbStance))) return base;
    }
    return {};
  }

  // A speech verb tagged as a noun after a subject-like word and before a
  // clause ("One in five say that", "many think ,").
  bool IsMistaggedSpeechVerb(uint32_t k, const Sentence& sent) const {
    const Token& t = doc_.tokens[k];
    if (!IsNoun(t.pos) || k == sent.first_token) return false;
    const Token& prev = doc_.tokens[k - 1];
    if (!(IsNoun(prev.pos) || prev.pos == Pos::kPRP || prev.pos == Pos::kCD ||
          IsAdjective(prev.pos))) {
      return false;
    }
    const bool quantifier = prev.lower == "many" || prev.lower == "most" || prev.lower == "few" ||
                            prev.lower == "others" || prev.lower == "some";
    if (prev.pos == Pos::kDET || (IsAdjective(prev.pos) && !quantifier)) return false;
    // The dictionary look-up last: this runs for every noun.
    if (SpeechVerbLemma(t.lower).empty()) return false;
    if (k + 1 >= sent.last_token) return true;
    const Token& next = doc_.tokens[k + 1];
    // Other -s forms are mostly plural nouns ("the claims, ..."): only before
    // a clause or quotation ("polls show that").
    if (t.lower.back() == 's' && CommonSpeechForm(t.lower).empty()) {
      return next.lower == "that" || next.lower == ":" || next.Has(kOpenQuote);
    }
    return next.lower == "that" || next.lower == "," || IsPunct(next.pos) ||
           next.pos == Pos::kPRP || next.pos == Pos::kDET || IsProperNoun(next.pos) ||
           next.Has(kOpenQuote);
  }

  // CAMEO roots 01-03, 05 and 10-14: statements, appeals, intentions,
  // praise and endorsement, demands, criticism, rejections, threats, protests.
  static bool IsVerbalAct(const VerbEntry* v) {
    if (v->cameo.size() < 2) return false;
    int root = (v->cameo[0] - '0') * 10 + (v->cameo[1] - '0');
    return (root >= 1 && root <= 3) || root == 5 || (root >= 10 && root <= 14);
  }

  static bool IsAuxiliary(const Token& t) {
    if (t.pos == Pos::kMD) return true;
    const std::string& l = t.lemma.empty() ? t.lower : t.lemma;
    return l == "be" || l == "have" || l == "do" || l == "get" || l == "will";
  }

  // ---- Arguments ----

  // Adds mentions coordinated with m to the left ("Russia and Syria" ending at m).
  void CoordinatedLeft(int m, uint32_t floor, std::vector<int>* out) const {
    out->push_back(m);
    int cur = m;
    while (true) {
      uint32_t k = mentions_[cur].first;
      if (k < floor + 2) break;
      const Token& c = doc_.tokens[k - 1];
      if (!IsCoordinator(c)) break;
      uint32_t prev = k - 2;
      if (doc_.tokens[prev].lower == "," && prev > floor) --prev;  // Oxford comma.
      int pm = mention_at_[prev];
      if (pm < 0 || mentions_[pm].possessive) break;
      out->insert(out->begin(), pm);
      cur = pm;
    }
  }

  // Mentions coordinated to the right of m: "Russia and the Syrian government".
  void CoordinatedRight(int m, uint32_t limit, std::vector<int>* out) const {
    out->push_back(m);
    int cur = m;
    while (true) {
      uint32_t k = mentions_[cur].last;
      if (k + 1 >= limit || !IsCoordinator(doc_.tokens[k])) break;
      uint32_t next = k + 1;
      if (doc_.tokens[k].lower == "," && next < limit &&
          (doc_.tokens[next].lower == "and" || doc_.tokens[next].lower == "or")) {
        ++next;
      }
      if (next < limit && doc_.tokens[next].pos == Pos::kDET && mention_at_[next] < 0) ++next;
      if (next >= limit) break;
      int nm = mention_at_[next];
      if (nm < 0 || mentions_[nm].first != next || mentions_[nm].possessive) break;
      out->push_back(nm);
      cur = nm;
    }
  }

  std::vector<int> SubjectsOf(const VerbGroup& g, const std::vector<VerbGroup>& groups) const {
    const Sentence& sent = doc_.sentences[g.sentence];
    std::vector<int> out;
    int j = static_cast<int>(g.first) - 1;
    const int floor = static_cast<int>(sent.first_token);
    while (j >= floor) {
      const Token& t = doc_.tokens[j];
      if (t.pos == Pos::kRB && mention_at_[j] < 0) {
        --j;
        continue;
      }
      if (t.lower == ",") {
        // Skip a parenthetical ", however," or ", backed by X," without a finite verb.
        int p = j - 1;
        bool finite_inside = false;
        while (p >= floor && j - p < 14 && doc_.tokens[p].lower != ",") {
          for (const VerbGroup& o : groups) {
            if (o.main == static_cast<uint32_t>(p) && o.finite) finite_inside = true;
          }
          --p;
        }
        if (p >= floor && doc_.tokens[p].lower == "," && !finite_inside && p - 1 >= floor) {
          j = p - 1;
          continue;
        }
      }
      break;
    }
    if (j < floor) return out;
    const Token& t = doc_.tokens[j];
    int m = mention_at_[j];
    if (m >= 0 && !mentions_[m].possessive) {
      CoordinatedLeft(m, sent.first_token, &out);
      return out;
    }
    if (IsRelativeWord(t) && j - 1 >= floor) {
      int k = j - 1;
      if (doc_.tokens[k].lower == "," && k - 1 >= floor) --k;
      int rm = mention_at_[k];
      if (rm >= 0 && !mentions_[rm].possessive) out.push_back(rm);
      return out;
    }
    if (IsNoun(t.pos)) {
      // "Russia's air campaign has hit", "Russian warplanes bombed": the
      // possessor or the country adjective stands for the agent.
      int head = NounPhraseModifier(static_cast<uint32_t>(j), sent.first_token);
      if (head >= 0) out.push_back(head);
    }
    return out;
  }

  // The demonym or possessive mention modifying the noun phrase that ends at
  // token `end` ("Russian warplanes", "Russia's naval base"), or -1.
  int NounPhraseModifier(uint32_t end, uint32_t floor) const {
    int k = static_cast<int>(end);
    while (k >= static_cast<int>(floor) && mention_at_[k] < 0 &&
           (IsNoun(doc_.tokens[k].pos) || IsAdjective(doc_.tokens[k].pos) ||
            doc_.tokens[k].pos == Pos::kCD || doc_.tokens[k].lower == "'s")) {
      --k;
    }
    if (k < static_cast<int>(floor) || mention_at_[k] < 0) return -1;
    const ActorMention& m = mentions_[mention_at_[k]];
    if (m.kind == MentionKind::kDemonym || m.possessive) return mention_at_[k];
    return -1;
  }

  // The demonym (or, when `possessive_ok`, possessive) mention modifying the
  // noun phrase that starts at token `begin` ("shelled Russian positions").
  int ObjectPhraseModifier(uint32_t begin, uint32_t limit, bool possessive_ok) const {
    for (uint32_t k = begin; k < limit && k < begin + 5; ++k) {
      int m = mention_at_[k];
      if (m >= 0) {
        const ActorMention& am = mentions_[m];
        const bool group_modifier = am.kind == MentionKind::kRoleOnly && am.last < limit &&
                                    IsNoun(doc_.tokens[am.last].pos) && mention_at_[am.last] < 0;
        if (am.kind == MentionKind::kPronoun) return -1;  // "deployed its newest system".
        if (am.kind == MentionKind::kDemonym || group_modifier || (possessive_ok && am.possessive))
          return m;
        return -1;
      }
      const Token& t = doc_.tokens[k];
      if (!(t.pos == Pos::kDET || IsAdjective(t.pos) || t.pos == Pos::kCD || t.lower == "'s"))
        return -1;
    }
    return -1;
  }

  static bool IsMaterialConflict(const VerbEntry* v) {
    if (v == nullptr || v->cameo.size() < 2) return false;
    int root = (v->cameo[0] - '0') * 10 + (v->cameo[1] - '0');
    return root == 15 || (root >= 17 && root <= 20);
  }

  // Direct object, or the first target-preposition object in the NP/PP chain.
  std::vector<int> ObjectsOf(const VerbGroup& g, bool direct_only) const {
    const Sentence& sent = doc_.sentences[g.sentence];
    std::vector<int> out;
    uint32_t k = g.phrase_end;
    const uint32_t limit = sent.last_token;
    while (k < limit && (doc_.tokens[k].pos == Pos::kRB || doc_.tokens[k].pos == Pos::kRP) &&
           mention_at_[k] < 0) {
      ++k;
    }
    // Phrase particles already consumed; a trailing target preposition of the
    // phrase itself ("call on") means the next mention is the object.
    if (k < limit && doc_.tokens[k].pos == Pos::kDET && mention_at_[k] < 0) ++k;
    // Numbers and adjectives before a group noun: "killed 30 terrorists".
    uint32_t head = k;
    while (head < limit && head < k + 3 && mention_at_[head] < 0 &&
           (doc_.tokens[head].pos == Pos::kCD || IsAdjective(doc_.tokens[head].pos))) {
      ++head;
    }
    if (head < limit && mention_at_[head] >= 0 && mentions_[mention_at_[head]].first == head &&
        mentions_[mention_at_[head]].kind == MentionKind::kRoleOnly) {
      k = head;
    }
    if (k < limit && mention_at_[k] >= 0 && mentions_[mention_at_[k]].first == k) {
      int m = mention_at_[k];
      const ActorMention& am = mentions_[m];
      const bool modifier = am.kind == MentionKind::kDemonym ||
                            (am.kind == MentionKind::kRoleOnly && am.last < limit &&
                             IsNoun(doc_.tokens[am.last].pos) && mention_at_[am.last] < 0);
      if (!am.possessive && !modifier) {
        CoordinatedRight(m, limit, &out);
        return out;
      }
    }
    const bool conflict = IsMaterialConflict(g.verb);
    // A country adjective inside the phrase itself: "rejected the French proposal".
    for (uint32_t x = g.main + 1; x < g.phrase_end; ++x) {
      int m = mention_at_[x];
      if (m >= 0 && (mentions_[m].kind == MentionKind::kDemonym || mentions_[m].possessive)) {
        out.push_back(m);
        return out;
      }
    }
    if (g.verb != nullptr) {
      int mod = ObjectPhraseModifier(k, limit, conflict || IsVerbalAct(g.verb));
      if (mod >= 0) {
        out.push_back(mod);
        return out;
      }
    }
    if (direct_only) return out;
    const uint32_t window_end = std::min(limit, k + 16);
    for (uint32_t x = k; x < window_end; ++x) {
      const Token& t = doc_.tokens[x];
      if (IsBoundary(t) || t.lower == "," || IsRelativeWord(t) || t.pos == Pos::kWDT ||
          t.pos == Pos::kWP) {
        break;
      }
      if (mention_at_[x] < 0 && (IsVerb(t.pos) || t.pos == Pos::kMD) && t.pos != Pos::kVBG &&
          t.pos != Pos::kVBN) {
        break;
      }
      // A gerund right after the verb is its own clause ("denied supplying
      // drones to Russia"): its objects are not this verb's.
      if (x == k && t.pos == Pos::kVBG && mention_at_[x] < 0) break;
      const bool place_preposition = conflict && (t.lower == "in" || t.lower == "near");
      if ((t.pos == Pos::kIN || t.pos == Pos::kTO) &&
          (IsTargetPreposition(t.lower) || place_preposition)) {
        uint32_t y = x + 1;
        while (y < window_end && mention_at_[y] < 0 &&
               (doc_.tokens[y].pos == Pos::kDET || IsAdjective(doc_.tokens[y].pos))) {
          ++y;
        }
        if (y < window_end && mention_at_[y] >= 0 && mentions_[mention_at_[y]].first == y &&
            !mentions_[mention_at_[y]].possessive &&

            (!place_preposition || mentions_[mention_at_[y]].type == ActorType::kPlace ||
             mentions_[mention_at_[y]].type == ActorType::kCountry)) {
          CoordinatedRight(mention_at_[y], limit, &out);
          return out;
        }
      }
    }
    return out;
  }

  std::vector<int> AgentsOf(const VerbGroup& g) const {
    const Sentence& sent = doc_.sentences[g.sentence];
    std::vector<int> out;
    const uint32_t end = std::min(sent.last_token, g.phrase_end + 6);
    for (uint32_t x = g.phrase_end; x < end; ++x) {
      const Token& t = doc_.tokens[x];
      if (IsBoundary(t) || (IsVerb(t.pos) && mention_at_[x] < 0)) break;
      if (t.lower != "by") continue;
      uint32_t y = x + 1;
      while (y < sent.last_token && mention_at_[y] < 0 && doc_.tokens[y].pos == Pos::kDET) ++y;
      if (y < sent.last_token && mention_at_[y] >= 0 && !mentions_[mention_at_[y]].possessive) {
        CoordinatedRight(mention_at_[y], sent.last_token, &out);
      } else if (y < sent.last_token && mention_at_[y] >= 0 &&
                 mentions_[mention_at_[y]].kind == MentionKind::kDemonym) {
        out.push_back(mention_at_[y]);  // "backed by the Russian air campaign".
      }
      break;
    }
    return out;
  }

  // ---- Reported speech ----

  // Is token t part of a plain noun phrase (for non-actor speakers)?
  // End of [b, e) without trailing punctuation and closing quotes.
  uint32_t TrimClosing(uint32_t b, uint32_t e) const {
    while (e > b && (IsPunct(doc_.tokens[e - 1].pos) || doc_.tokens[e - 1].Has(kCloseQuote))) --e;
    return e;
  }

  // A cue without a verb ("according to", a colon) over tokens [first, last).
  static VerbGroup PseudoCue(uint32_t s, uint32_t first, uint32_t last, std::string lemma) {
    VerbGroup g;
    g.sentence = s;
    g.first = first;
    g.last = last;
    g.main = first;
    g.phrase_end = last;
    g.lemma = std::move(lemma);
    g.cue = g.reports = g.pseudo = true;
    return g;
  }

  // A noun cue ("her claim that", "criticism of the plan", "concerns about"):
  // a speech or attitude noun of verbs.tsv (nominal, cue) with a clause or
  // prepositional complement; a possessor is its speaker. Nouns inside a verb
  // cue phrase ("made the claim that") are left to the verb.
  void NominalCues(uint32_t s, std::vector<VerbGroup>* groups) {
    const Sentence& sent = doc_.sentences[s];
    for (uint32_t n = sent.first_token; n < sent.last_token; ++n) {
      const Token& t = doc_.tokens[n];
      if (!IsNoun(t.pos) || IsProperNoun(t.pos) || mention_at_[n] >= 0 || quoted_[n]) continue;
      const VerbEntry* v = find_nominal_(t);
      if (v == nullptr || !v->Has(kVerbCue)) continue;
      bool covered = false;
      for (const VerbGroup& g : *groups) {
        if (g.verb != nullptr && n >= g.first && n < g.phrase_end) covered = true;
      }
      if (covered) continue;
      // Possessor before at most two modifiers: "his", "Trump's".
      uint32_t p = n;
      while (p > sent.first_token && n - p < 2 && IsAdjective(doc_.tokens[p - 1].pos)) --p;
      uint32_t speaker_first = 0, speaker_last = 0;
      if (p > sent.first_token && doc_.tokens[p - 1].pos == Pos::kPRPS) {
        speaker_first = p - 1;
        speaker_last = p;
      } else if (p > sent.first_token + 1 &&
                 (doc_.tokens[p - 1].pos == Pos::kPOS || doc_.tokens[p - 1].lower == "'s")) {
        speaker_last = p - 1;
        speaker_first = speaker_last;
        while (speaker_first > sent.first_token && speaker_last - speaker_first < 6 &&
               (IsProperNoun(doc_.tokens[speaker_first - 1].pos) ||
                IsNoun(doc_.tokens[speaker_first - 1].pos) ||
                mention_at_[speaker_first - 1] >= 0)) {
          --speaker_first;
        }
      }
      const bool possessed = speaker_last > speaker_first;
      const std::string_view next =
          n + 1 < sent.last_token ? std::string_view(doc_.tokens[n + 1].lower) : "";
      // "by", "with" and "from" mostly introduce agents and partners, not topics.
      static const std::set<std::string_view> kComplement = {
          "that", ":", "of", "to", "for", "against", "about", "on", "over", "at"};
      if (kComplement.count(next) == 0) continue;
      VerbGroup g = PseudoCue(s, n, n + 1, t.lemma.empty() ? t.lower : t.lemma);
      g.speaker_first = speaker_first;
      g.speaker_last = speaker_last;
      if (possessed && mention_at_[speaker_last - 1] >= 0)
        g.speaker = mention_at_[speaker_last - 1];
      uint32_t b = n + 2;
      while (b < sent.last_token && doc_.tokens[b].Has(kOpenQuote)) ++b;
      uint32_t e = b;
      while (e < sent.last_token && doc_.tokens[e].lower != ";" &&
             (doc_.tokens[e].lower != "," || next == "that" || next == ":")) {
        ++e;
      }
      g.content_first = b;
      g.content_last = TrimClosing(b, e);
      groups->push_back(std::move(g));
    }
  }

  // Thinking, wanting, perceiving and other stances (cue verbs without an
  // event code, stance verbs), as opposed to speech acts.
  static bool IsAttitude(const VerbGroup& g) {
    return g.verb != nullptr && (g.verb->Has(kVerbStance) || (g.cue && g.verb->cameo.empty()));
  }

  bool InsideReportedSpeech(const VerbGroup& g, const std::vector<VerbGroup>& groups) const {
    if (!IsAttitude(g)) return false;
    for (const VerbGroup& h : groups) {
      // Only plain speech ("said", "told") reports a clause the attitude is in.
      const bool speech = h.cue && h.verb != nullptr && h.verb->cameo == "010";
      if (&h == &g || !h.reports || !h.owns_content || !speech) continue;
      if (g.first >= h.content_first && g.first < h.content_last) return true;
    }
    return false;
  }

  // A verb framing a quotation is a speech cue whatever its meaning ("...,”
  // he continued.", "“...” Smith recalled.", "Cruz went on: “...”"): a
  // finite verb after a short subject that follows a closing quote (or opens
  // the sentence after a quoted one), ending its clause or opening a quote.
  bool FramesQuote(const VerbGroup& g) const {
    const Sentence& sent = doc_.sentences[g.sentence];
    if (!g.finite || g.passive || g.negated) return false;
    if (g.lemma == "be" || g.lemma == "have" || g.lemma == "do") return false;
    uint32_t after = g.phrase_end;
    if (after < sent.last_token && doc_.tokens[after].lower == "on") ++after;
    const Token* next = after < sent.last_token ? &doc_.tokens[after] : nullptr;
    const bool opens_quote =
        next != nullptr && (next->lower == ":" || next->Has(kOpenQuote) ||
                            (next->lower == "," && after + 1 < sent.last_token &&
                             doc_.tokens[after + 1].Has(kOpenQuote)));
    const bool ends_clause = next == nullptr || next->lower == "." || next->lower == ",";
    if (!opens_quote && !ends_clause) return false;
    int j = static_cast<int>(g.first) - 1;
    const int floor = static_cast<int>(sent.first_token);
    while (j >= floor && doc_.tokens[j].pos == Pos::kRB) --j;
    const int np_end = j;
    while (j >= floor && np_end - j < 4 && IsNpToken(static_cast<uint32_t>(j))) --j;
    if (j == np_end) return false;  // No subject.
    if (j >= floor) {
      const Token& before = doc_.tokens[j];
      if (before.Has(kCloseQuote)) return true;
      return before.lower == "," && j > floor && doc_.tokens[j - 1].Has(kCloseQuote);
    }
    if (opens_quote) return true;
    if (g.sentence == 0) return false;
    const Sentence& prev = doc_.sentences[g.sentence - 1];
    return prev.last_token > prev.first_token && doc_.tokens[prev.last_token - 1].Has(kCloseQuote);
  }

  // "Her argument is that ...", "The campaign slogan was: ...": a speech or
  // attitude noun (verbs.tsv nominal cue or medium) as the subject of a
  // copula that introduces a clause or a quotation.
  void CopulaNounCues(uint32_t s, std::vector<VerbGroup>* groups) {
    const Sentence& sent = doc_.sentences[s];
    const size_t n_groups = groups->size();
    for (size_t i = 0; i < n_groups; ++i) {
      const VerbGroup& g = (*groups)[i];
      if (g.pseudo || g.lemma != "be" || g.first == sent.first_token || quoted_[g.first]) continue;
      if (g.last >= sent.last_token) continue;
      const Token& next = doc_.tokens[g.last];
      if (!(next.lower == "that" || next.lower == ":" || next.Has(kOpenQuote))) continue;
      const uint32_t n = g.first - 1;
      const Token& head = doc_.tokens[n];
      if (!IsNoun(head.pos) || IsProperNoun(head.pos)) continue;
      const VerbEntry* v = find_nominal_(head);
      if (v == nullptr || !(v->Has(kVerbCue) || v->Has(kVerbMedium))) continue;
      VerbGroup c = PseudoCue(s, n, g.last, head.lemma.empty() ? head.lower : head.lemma);
      uint32_t p = n;
      while (p > sent.first_token && n - p < 3 && IsNpToken(p - 1) &&
             doc_.tokens[p - 1].pos != Pos::kDET) {
        --p;
      }
      if (p < n) {
        c.speaker_first = p;
        c.speaker_last = n;
        if (mention_at_[n - 1] >= 0) c.speaker = mention_at_[n - 1];
      }
      c.content_first = g.last + 1;
      while (c.content_first < sent.last_token && doc_.tokens[c.content_first].Has(kOpenQuote))
        ++c.content_first;
      c.content_last = TrimClosing(c.content_first, sent.last_token);
      groups->push_back(std::move(c));
    }
  }

  // "To Smith, the vote was a betrayal.": a clause-initial "to" before a
  // person-like noun phrase and a comma gives that phrase's point of view
  // ("For X," is more often a topic: "For his part,", "For Trump, Florida...").
  bool PerspectiveCue(uint32_t s, uint32_t t, std::vector<VerbGroup>* groups) {
    const Sentence& sent = doc_.sentences[s];
    uint32_t start = sent.first_token;
    while (start < t &&
           (doc_.tokens[start].pos == Pos::kCC || doc_.tokens[start].Has(kOpenQuote))) {
      ++start;
    }
    if (start != t) return false;
    uint32_t e = t + 1;
    bool person = false;
    while (e < sent.last_token && e - t <= 6 && doc_.tokens[e].lower != ",") {
      const Token& w = doc_.tokens[e];
      if (!IsNpToken(e) && !IsProperNoun(w.pos)) return false;
      if (w.pos == Pos::kCD) return false;  // "For two years,".
      if (mention_at_[e] >= 0 || IsProperNoun(w.pos) || w.pos == Pos::kPRP) person = true;
      ++e;
    }
    if (!person || e >= sent.last_token || doc_.tokens[e].lower != "," || e == t + 1) return false;
    VerbGroup g = PseudoCue(s, t, t + 1, doc_.tokens[t].lower);
    g.speaker_first = t + 1;
    g.speaker_last = e;
    if (mention_at_[e - 1] >= 0) g.speaker = mention_at_[e - 1];
    g.content_first = e + 1;
    g.content_last = TrimClosing(g.content_first, sent.last_token);
    groups->push_back(std::move(g));
    return true;
  }

  // "In a CNN poll, ...", "in his op-ed": "in" before a noun phrase headed by
  // a medium noun (verbs.tsv flag medium) is the cue when no verb of the
  // sentence is; the phrase is the source.
  // Evidential adverbs ("reportedly", "allegedly") are cues without a source.
  void MediumCues(uint32_t s, std::vector<VerbGroup>* groups) {
    const Sentence& sent = doc_.sentences[s];
    // "said in an interview": the verb is the cue.
    bool has_verb_cue = false;
    for (const VerbGroup& g : *groups) {
      if (g.cue && !g.pseudo && !quoted_[g.first]) has_verb_cue = true;
    }
    for (uint32_t t = sent.first_token; t < sent.last_token; ++t) {
      if (quoted_[t]) continue;
      const Token& u = doc_.tokens[t];
      static const std::set<std::string_view> kEvidential = {"reportedly", "allegedly",
                                                             "purportedly", "supposedly"};
      if (kEvidential.count(u.lower) > 0) {
        groups->push_back(PseudoCue(s, t, t + 1, u.lower));
        continue;
      }
      if (u.lower == "to" && PerspectiveCue(s, t, groups)) continue;
      if (u.lower != "in" || has_verb_cue) continue;
      uint32_t e = t + 1;
      while (e < sent.last_token && e - t <= 6 && IsNpToken(e)) {
        const VerbEntry* v = IsNoun(doc_.tokens[e].pos) ? find_nominal_(doc_.tokens[e]) : nullptr;
        // The head: a medium noun not followed by more of the noun phrase.
        if (v != nullptr && v->Has(kVerbMedium) &&
            (e + 1 >= sent.last_token || !IsNoun(doc_.tokens[e + 1].pos))) {
          VerbGroup g = PseudoCue(s, t, t + 1, "in");
          g.speaker_first = t + 1;
          g.speaker_last = e + 1;
          groups->push_back(std::move(g));
          break;
        }
        ++e;
      }
    }
  }

  bool IsNpToken(uint32_t t) const {
    const Token& u = doc_.tokens[t];
    return IsNoun(u.pos) || IsAdjective(u.pos) || u.pos == Pos::kDET || u.pos == Pos::kPRP ||
           u.pos == Pos::kCD || u.pos == Pos::kPOS || u.lower == "'s" || u.pos == Pos::kPRPS;
  }

  void FindSpeechContent(VerbGroup* g, const std::vector<VerbGroup>& groups) {
    const Sentence& sent = doc_.sentences[g->sentence];
    (void)groups;
    // Speaker: the subject, or an inverted subject after the cue ("said X").
    // "..., said X" and "“...,” X said": the cue follows a comma or a quote.
    const bool inverted =
        g->first > sent.first_token &&
        (doc_.tokens[g->first - 1].lower == "," || doc_.tokens[g->first - 1].Has(kCloseQuote));
    if (!g->subjects.empty()) {
      g->speaker = g->subjects.front();
      g->speaker_first = mentions_[g->subjects.front()].first;
      g->speaker_last = mentions_[g->subjects.back()].last;
    } else {
      uint32_t k = g->phrase_end;
      if (k < sent.last_token && doc_.tokens[k].pos == Pos::kDET && mention_at_[k] < 0) ++k;
      if (inverted && k < sent.last_token && mention_at_[k] >= 0) {
        g->speaker = mention_at_[k];
        g->speaker_first = mentions_[g->speaker].first;
        g->speaker_last = mentions_[g->speaker].last;
      } else if (inverted && g->phrase_end < sent.last_token && IsNpToken(g->phrase_end)) {
        // "..., said the prime minister's spokesman."
        uint32_t e = g->phrase_end;
        while (e < sent.last_token && e - g->phrase_end < 10 && IsNpToken(e)) ++e;
        g->speaker_first = g->phrase_end;
        g->speaker_last = e;
      } else {
        // A non-actor speaker NP to the left ("the official said"), past
        // adverbs, a time phrase or an appositive ("Smith, an aide, said").
        int j = static_cast<int>(g->first) - 1;
        const int floor = static_cast<int>(sent.first_token);
        while (j >= floor && doc_.tokens[j].pos == Pos::kRB) --j;
        if (j >= floor && IsRelativeWord(doc_.tokens[j])) {
          // "the union, which endorsed her": the relative pronoun stands for
          // the speaker.
          g->speaker_first = static_cast<uint32_t>(j);
          g->speaker_last = static_cast<uint32_t>(j + 1);
        } else {
          if (j >= floor + 1 && IsProperNoun(doc_.tokens[j].pos) &&
              (doc_.tokens[j - 1].lower == "on" || doc_.tokens[j - 1].lower == "in")) {
            j -= 2;  // "Smith on Tuesday said".
          }
          if (j >= floor && doc_.tokens[j].lower == ",") {
            int p = j - 1;
            while (p >= floor && j - p < 12 && doc_.tokens[p].lower != "," &&
                   !IsVerb(doc_.tokens[p].pos))
              --p;
            if (p >= floor && doc_.tokens[p].lower == ",") j = p - 1;
          }
          int end = j + 1;
          while (j >= floor && end - j <= 10 && IsNpToken(static_cast<uint32_t>(j))) --j;
          if (j + 1 < end) {
            g->speaker_first = static_cast<uint32_t>(j + 1);
            g->speaker_last = static_cast<uint32_t>(end);
            int m = mention_at_[end - 1];
            if (m >= 0) g->speaker = m;
          }
        }
      }
    }
    // Content: before the speaker when the cue follows a comma or quote
    // ("..., Kerry said"), otherwise after the cue.
    uint32_t left_edge =
        std::min(g->first, g->speaker_last > g->speaker_first ? g->speaker_first : g->first);
    bool content_before = false;
    if (left_edge > sent.first_token) {
      const Token& before = doc_.tokens[left_edge - 1];
      content_before = (before.lower == "," || before.Has(kCloseQuote)) &&
                       !IsRelativeWord(doc_.tokens[left_edge]);
    }
    if (content_before && left_edge - 1 > sent.first_token) {
      uint32_t b = sent.first_token;
      while (b < left_edge && (doc_.tokens[b].Has(kOpenQuote))) ++b;
      uint32_t e = left_edge - 1;
      while (e > b && (doc_.tokens[e - 1].lower == "," || doc_.tokens[e - 1].Has(kCloseQuote))) --e;
      g->content_first = b;
      g->content_last = e;
      return;
    }
    uint32_t b = g->phrase_end;
    if (g->speaker_last > g->speaker_first && g->speaker_first >= g->phrase_end)
      b = g->speaker_last;
    // Skip an addressee ("told reporters") and time words ("on Tuesday").
    while (b < sent.last_token) {
      const Token& t = doc_.tokens[b];
      if (t.lower == "that" || t.lower == "," || t.lower == ":" || t.Has(kOpenQuote) ||
          t.pos == Pos::kRB) {
        ++b;
        continue;
      }
      if ((t.lower == "on" || t.lower == "in") && b + 1 < sent.last_token &&
          IsProperNoun(doc_.tokens[b + 1].pos) && mention_at_[b + 1] < 0) {
        b += 2;
        continue;
      }
      if (IsProperNoun(t.pos) && mention_at_[b] < 0 && b == g->phrase_end) {
        ++b;  // "said Monday".
        continue;
      }
      break;
    }
    uint32_t e = sent.last_token;
    // The content ends where a contrasting clause starts ("..., but Greece
    // criticized"); a verbal act (not a speech cue) covers only its clause.
    for (uint32_t x = b; x + 1 < e; ++x) {
      const Token& t = doc_.tokens[x];
      const Token& n = doc_.tokens[x + 1];
      if (t.lower == ";" ||
          (t.lower == "," && (n.lower == "but" || n.lower == "while" || n.lower == "whereas")) ||
          (!g->cue && t.lower == ",")) {
        e = x;
        break;
      }
    }
    e = TrimClosing(b, e);
    if (b < e) {
      g->content_first = b;
      g->content_last = e;
      return;
    }
    // "Trump said." after a quoted sentence: the content is that sentence.
    if (g->sentence > 0 && !doc_.sentences[g->sentence - 1].skipped) {
      const Sentence& prev = doc_.sentences[g->sentence - 1];
      if (prev.last_token > prev.first_token &&
          (doc_.tokens[prev.last_token - 1].Has(kCloseQuote) ||
           (sent.first_token < sent.last_token &&
            doc_.tokens[sent.first_token].Has(kCloseQuote)))) {
        uint32_t pb = prev.first_token, pe = prev.last_token;
        while (pb < pe && doc_.tokens[pb].Has(kOpenQuote)) ++pb;
        pe = TrimClosing(pb, pe);
        g->content_first = pb;
        g->content_last = pe;
      }
    }
  }

  // ---- Events ----

  void Emit(int src, const VerbEntry* verb, const std::string& lemma, int dst, const VerbGroup& g,
            bool negated, const std::string& modality, uint32_t anchor_first,
            uint32_t anchor_last) {
    int rs = Resolved(src), rt = Resolved(dst);
    if (rs < 0 || rt < 0) return;
    if (!IsResolvedActor(src) || !IsResolvedActor(dst)) return;
    PendingEvent pe;
    pe.source = rs;
    pe.target = rt;
    pe.source_text_mention = src;
    pe.target_text_mention = dst;
    pe.verb = verb;
    pe.lemma = lemma;
    pe.negated = negated;
    pe.modality = modality;
    pe.sentence = g.sentence;
    uint32_t first = anchor_first, last = anchor_last;
    for (int m : {src, dst}) {
      if (mentions_[m].sentence == g.sentence) {
        first = std::min(first, mentions_[m].first);
        last = std::max(last, mentions_[m].last);
      }
    }
    pe.first = first;
    pe.last = last;
    pe.anchor = g.main;
    pending_.push_back(std::move(pe));
  }

  void ProcessSentence(uint32_t s) {
    const Sentence& sent = doc_.sentences[s];
    std::vector<VerbGroup> groups = FindGroups(s);
    for (VerbGroup& g : groups) {
      if (g.infinitive || g.gerund) continue;
      g.subjects = SubjectsOf(g, groups);
      if (g.subjects.empty() && g.first > sent.first_token) {
        // "X repelled A and inflicted B": share the previous verb's subject.
        const Token& before = doc_.tokens[g.first - 1];
        if ((before.lower == "and" || before.lower == "but") && &g != &groups.front()) {
          const VerbGroup& prev = *(&g - 1);
          g.subjects = prev.subjects;
        }
      }
      for (int m : g.subjects) subject_mentions_.insert(m);
    }
    for (size_t i = 0; i < groups.size(); ++i) {
      VerbGroup& g = groups[i];
      if (g.passive || g.participle) continue;
      bool direct_only = g.verb == nullptr || (g.verb != nullptr && g.verb->Has(kVerbControl));
      g.objects = ObjectsOf(g, direct_only);
    }
    for (VerbGroup& g : groups) {
      if (!(g.infinitive || g.gerund) || g.controller < 0) continue;
      const VerbGroup& c = groups[g.controller];
      // "criticized Russia for supporting X", "accused Russia of arming X":
      // the gerund's subject is the controller's object.
      const bool for_of_gerund =
          g.gerund && g.first > sent.first_token &&
          (doc_.tokens[g.first - 1].lower == "for" || doc_.tokens[g.first - 1].lower == "of");
      if ((for_of_gerund || (c.verb != nullptr && c.verb->Has(kVerbControl))) &&
          !c.objects.empty()) {
        g.subjects = c.objects;
      } else {
        g.subjects = c.subjects;
      }
      if (c.negated || IsNegatingHead(c.lemma)) g.negated = true;
      if (g.modality.empty() && IsIntentionHead(c.lemma)) g.modality = "intended";
      if (g.modality.empty()) g.modality = c.modality;
      g.objects = ObjectsOf(g, g.verb == nullptr || g.verb->Has(kVerbControl));
    }
    // "The Kremlin's answer: “...”", "Trump: ...": a colon after a speaker
    // noun phrase, followed by a quotation or a capitalised clause.
    for (uint32_t t = sent.first_token + 1; t + 1 < sent.last_token; ++t) {
      if (doc_.tokens[t].lower != ":") continue;
      const Token& next = doc_.tokens[t + 1];
      if (!(next.Has(kOpenQuote) || next.Has(kCapitalized))) continue;
      bool after_cue = false;
      for (const VerbGroup& g : groups) {
        if (g.cue && g.phrase_end <= t && g.phrase_end + 3 >= t) after_cue = true;
      }
      if (after_cue) continue;  // "said:" is already the cue.
      int j = static_cast<int>(t) - 1;
      const int floor = static_cast<int>(sent.first_token);
      int end = j + 1;
      while (j >= floor && end - j <= 8 && IsNpToken(static_cast<uint32_t>(j))) --j;
      // The NP must open the sentence, unless a direct quotation follows
      // ("..., said Republican pollster Jane Doe: “...”").
      if (j + 1 >= end || (j + 1 != floor && !next.Has(kOpenQuote))) continue;
      VerbGroup g = PseudoCue(s, t, t + 1, ":");
      g.speaker_first = static_cast<uint32_t>(j + 1);
      g.speaker_last = static_cast<uint32_t>(end);
      if (mention_at_[end - 1] >= 0) g.speaker = mention_at_[end - 1];
      g.content_first = t + 1;
      while (g.content_first < sent.last_token && doc_.tokens[g.content_first].Has(kOpenQuote)) {
        ++g.content_first;
      }
      g.content_last = TrimClosing(g.content_first, sent.last_token);
      groups.push_back(std::move(g));
      break;
    }
    NominalCues(s, &groups);
    CopulaNounCues(s, &groups);
    MediumCues(s, &groups);
    // "according to X, ..." and "..., according to X".
    for (uint32_t t = sent.first_token; t + 2 < sent.last_token; ++t) {
      if (doc_.tokens[t].lower != "according" || doc_.tokens[t + 1].lower != "to") continue;
      VerbGroup g = PseudoCue(s, t, t + 2, "according to");
      uint32_t y = t + 2;
      while (y < sent.last_token && doc_.tokens[y].pos == Pos::kDET && mention_at_[y] < 0) ++y;
      uint32_t np_end = y;
      while (np_end < sent.last_token && doc_.tokens[np_end].lower != "," &&
             !IsPunct(doc_.tokens[np_end].pos) && np_end - y < 8) {
        ++np_end;
      }
      g.speaker_first = t + 2;
      g.speaker_last = np_end;
      if (y < sent.last_token && mention_at_[y] >= 0) g.speaker = mention_at_[y];
      if (t > sent.first_token + 1) {
        g.content_first = sent.first_token;
        g.content_last = t;
        while (g.content_last > g.content_first && doc_.tokens[g.content_last - 1].lower == ",")
          --g.content_last;
      } else {
        g.content_first = np_end < sent.last_token ? np_end + 1 : np_end;
        g.content_last = sent.last_token;
        while (g.content_last > g.content_first && IsPunct(doc_.tokens[g.content_last - 1].pos))
          --g.content_last;
      }
      groups.push_back(std::move(g));
    }
    for (VerbGroup& g : groups) {
      if (g.pseudo) continue;
      const bool question =
          sent.last_token > sent.first_token && doc_.tokens[sent.last_token - 1].lower == "?";
      // Verbal acts (statements, appeals, criticism, demands, threats...)
      // report their speaker's stance even without a speech flag.
      if (!g.cue && FramesQuote(g)) g.cue = g.reports = true;
      const bool stance = g.verb != nullptr && g.verb->Has(kVerbStance);
      if (!g.cue && g.verb != nullptr && (IsVerbalAct(g.verb) || stance) && !g.passive &&
          !g.participle) {
        g.reports = !g.subjects.empty() || g.first > sent.first_token;
        if (stance && !IsVerbalAct(g.verb)) g.owns_content = false;
      }
      // "endorsed by the Times", "was backed by most senators": the agent.
      int agent = -1;
      if (!g.cue && g.verb != nullptr && (IsVerbalAct(g.verb) || stance) &&
          (g.passive || g.participle)) {
        std::vector<int> agents = AgentsOf(g);
        if (!agents.empty()) {
          agent = agents.front();
          g.reports = true;
          g.owns_content = false;
        }
      }
      // "He was nominated in 2011", "two marches are planned": a passive
      // stance or verbal act without an agent has an implicit source.
      const bool implicit_source =
          !g.cue && agent < 0 && g.passive && g.verb != nullptr && (IsVerbalAct(g.verb) || stance);
      if (implicit_source) {
        g.reports = true;
        g.owns_content = false;
      }
      // Denied or asked speech ("I never said that", "Do you think...?") is
      // still an attribution cue, but its content is not the speaker's claim.
      if (g.reports && g.lemma != "deny" && g.negated) g.owns_content = false;
      if (g.reports && question) g.owns_content = false;
      if (g.reports) FindSpeechContent(&g, groups);
      if (agent >= 0) {
        g.speaker = agent;
        g.speaker_first = mentions_[agent].first;
        g.speaker_last = mentions_[agent].last;
      }
      if (g.reports && !g.cue && g.speaker_last <= g.speaker_first && g.speaker < 0 &&
          (g.infinitive || g.gerund) && g.controller >= 0) {
        // "the first senators to endorse him": the controller's subject.
        VerbGroup c = groups[g.controller];
        if (c.speaker_last <= c.speaker_first && c.speaker < 0) FindSpeechContent(&c, groups);
        g.speaker = c.speaker;
        g.speaker_first = c.speaker_first;
        g.speaker_last = c.speaker_last;
      }
      if (g.reports && !g.cue && g.speaker_last <= g.speaker_first && g.speaker < 0 &&
          g.first > sent.first_token && &g != &groups.front()) {
        // "X appeared on the show and defended himself": the speaker of the
        // coordinated verb before.
        uint32_t b = g.first - 1;
        while (b > sent.first_token && doc_.tokens[b].pos == Pos::kRB) --b;
        const std::string& w = doc_.tokens[b].lower;
        if (w == "and" || w == "but" || w == "or") {
          VerbGroup prev = *(&g - 1);
          if (prev.speaker_last <= prev.speaker_first && prev.speaker < 0)
            FindSpeechContent(&prev, groups);
          g.speaker = prev.speaker;
          g.speaker_first = prev.speaker_first;
          g.speaker_last = prev.speaker_last;
        }
      }
      if (g.reports && !g.cue && !implicit_source && g.speaker_last <= g.speaker_first &&
          g.speaker < 0) {
        g.reports = false;
      }
    }
    ResolvePronouns(s, groups);

    // Negation scope: negated clause heads negate what follows them.
    for (size_t i = 0; i < groups.size(); ++i) {
      const VerbGroup& h = groups[i];
      bool negates = (h.negated && NegationPassesThrough(h)) || (h.lemma == "deny" && !h.negated);
      if (!negates) continue;
      for (size_t j = 0; j < groups.size(); ++j) {
        if (groups[j].main > h.phrase_end) groups[j].negated = true;
      }
    }

    // Attributions and the speaker of each token.
    std::vector<int> speaker_group_at(sent.last_token - sent.first_token, -1);
    for (size_t i = 0; i < groups.size(); ++i) {
      const VerbGroup& g = groups[i];
      if (!g.reports) continue;
      for (uint32_t t = std::max(g.content_first, sent.first_token);
           g.owns_content && t < g.content_last; ++t) {
        speaker_group_at[t - sent.first_token] = static_cast<int>(i);
      }
      if (g.owns_content && g.content_last > g.content_first &&
          g.content_first < sent.first_token && g.speaker >= 0 && IsResolvedActor(g.speaker)) {
        // Content in the previous sentence: attribute its events now.
        for (PendingEvent& pe : pending_) {
          if (pe.anchor >= g.content_first && pe.anchor < g.content_last && pe.attributed_to < 0) {
            pe.attributed_to = Resolved(g.speaker);
          }
        }
      }
      // A cue inside a direct quotation is part of the quoted speaker's words,
      // nested in the attribution of the quote; it is not listed on its own.
      // So is an attitude inside reported speech ("she said voters want...").
      if (quoted_[g.first] || InsideReportedSpeech(g, groups)) continue;
      Attribution a;
      if (g.speaker >= 0) {
        int r = Resolved(g.speaker);
        a.speaker.text = mentions_[g.speaker].ref.text;
        if (r >= 0 && IsResolvedActor(g.speaker)) {
          a.speaker.name = mentions_[r].ref.name;
          a.speaker.code = mentions_[r].ref.code;
        }
      } else if (g.speaker_last > g.speaker_first) {
        a.speaker.text = TextOf(g.speaker_first, g.speaker_last);
      }
      a.cue = g.lemma;
      a.sentence = s;
      a.cue_begin = CpBegin(g.first);
      a.cue_end = CpEnd(g.phrase_end);
      if (g.content_last > g.content_first) {
        a.content_begin = CpBegin(g.content_first);
        a.content_end = CpEnd(g.content_last);
      }
      if (g.speaker_last > g.speaker_first) {
        a.speaker_begin = CpBegin(g.speaker_first);
        a.speaker_end = CpEnd(g.speaker_last);
      }
      out_->attributions.push_back(std::move(a));
    }
    auto speaker_of = [&](uint32_t token) -> int {
      if (token < sent.first_token || token >= sent.last_token) return -1;
      int gi = speaker_group_at[token - sent.first_token];
      if (gi < 0) return -1;
      return groups[gi].speaker;
    };

    const size_t pending_before = pending_.size();
    for (size_t i = 0; i < groups.size(); ++i) {
      const VerbGroup& g = groups[i];
      if (g.pseudo) continue;
      const VerbEntry* v = g.verb;
      // "X is to blame": the enclosing speaker blames X.
      if (g.infinitive && g.lemma == "blame" && g.objects.empty() && g.controller >= 0 &&
          groups[g.controller].lemma == "be") {
        int sp = speaker_of(g.main);
        for (int t : groups[g.controller].subjects) {
          if (sp >= 0) Emit(sp, v, g.lemma, t, g, g.negated, g.modality, g.first, g.phrase_end);
        }
        continue;
      }
      if (v == nullptr) {
        if (!keep_unknown_ || IsLightVerb(g.lemma) || g.passive || g.participle) continue;
        // Unknown verbs only link whole actor phrases, never modifiers
        // ("Russian missiles prompted...") or places.
        auto whole = [&](const std::vector<int>& in) {
          std::vector<int> kept;
          for (int m : in) {
            const ActorMention& am = mentions_[m];
            if (am.kind != MentionKind::kDemonym && !am.possessive &&
                am.type != ActorType::kPlace) {
              kept.push_back(m);
            }
          }
          return kept;
        };
        std::vector<int> subjects = whole(g.subjects), objects = whole(g.objects);
        if (subjects.empty() || objects.empty()) continue;
        ++out_->stats.unknown_verbs[g.lemma];
        for (int src : subjects) {
          for (int dst : objects)
            Emit(src, nullptr, g.lemma, dst, g, g.negated, g.modality, g.first, g.phrase_end);
        }
        continue;
      }
      if (v->Has(kVerbPejorative)) {
        int sp = speaker_of(g.main);
        if (sp < 0) continue;
        for (int src : g.subjects)
          Emit(sp, v, v->relation, src, g, g.negated, g.modality, g.first, g.phrase_end);
        continue;
      }
      // Plain speech ("said", "believes") is an attribution, not an event;
      // cues with an event code of their own ("called on") are both.
      const bool plain_speech = v->cameo.empty() || v->cameo.rfind("01", 0) == 0;
      if ((g.cue || v->Has(kVerbStance)) && !v->Has(kVerbAccusatory) && plain_speech) continue;
      std::vector<int> sources = g.subjects, targets = g.objects;
      if (g.passive || g.participle) {
        sources = AgentsOf(g);
        targets = g.subjects;
        if (g.participle) {
          targets.clear();
          int j = static_cast<int>(g.first) - 1;
          if (j >= static_cast<int>(sent.first_token) && doc_.tokens[j].lower == ",") --j;
          if (j >= static_cast<int>(sent.first_token) && mention_at_[j] >= 0 &&
              !mentions_[mention_at_[j]].possessive) {
            targets.push_back(mention_at_[j]);
          }
        }
      } else if (g.cue && v->Has(kVerbAccusatory) && targets.empty() &&
                 g.content_last > g.content_first) {
        // "He alleged that Russia and the Syrian government have rejected...":
        // the accused are the subjects of the reported clause.
        for (const VerbGroup& inner : groups) {
          if (inner.main >= g.content_first && inner.main < g.content_last &&
              !inner.subjects.empty()) {
            targets = inner.subjects;
            break;
          }
        }
      }
      if (targets.empty() && v->Has(kVerbSymmetric) && sources.size() >= 2) {
        for (int a : sources) {
          for (int b : sources) {
            if (a != b) Emit(a, v, v->relation, b, g, g.negated, g.modality, g.first, g.phrase_end);
          }
        }
        continue;
      }
      for (int src : sources) {
        for (int dst : targets)
          Emit(src, v, v->relation, dst, g, g.negated, g.modality, g.first, g.phrase_end);
      }
    }
    NominalEvents(s);
    if (open_triples_) OpenTriples(s, groups);
    // Attribution of this sentence's events.
    for (size_t p = pending_before; p < pending_.size(); ++p) {
      int sp = speaker_of(pending_[p].anchor);
      if (sp >= 0 && IsResolvedActor(sp)) pending_[p].attributed_to = Resolved(sp);
    }
  }

  // Open IE: every finite verb group with a subject noun phrase and a
  // following complement, over any noun phrases.
  void OpenTriples(uint32_t s, const std::vector<VerbGroup>& groups) {
    const Sentence& sent = doc_.sentences[s];
    for (size_t i = 0; i < groups.size(); ++i) {
      const VerbGroup& g = groups[i];
      if (g.pseudo || g.infinitive || g.gerund) continue;
      // Subject: the noun phrase ending right before the group.
      int j = static_cast<int>(g.first) - 1;
      const int floor = static_cast<int>(sent.first_token);
      while (j >= floor && doc_.tokens[j].pos == Pos::kRB) --j;
      if (j >= floor && doc_.tokens[j].lower == ",") {
        int p = j - 1;
        while (p >= floor && j - p < 14 && doc_.tokens[p].lower != ",") --p;
        if (p >= floor && doc_.tokens[p].lower == ",") j = p - 1;
      }
      int subj_end = j + 1;
      while (j >= floor && subj_end - j <= 12 &&
             (IsNpToken(static_cast<uint32_t>(j)) || IsProperNoun(doc_.tokens[j].pos) ||
              ((doc_.tokens[j].lower == "of" || doc_.tokens[j].lower == "and") && j > floor &&
               IsNpToken(static_cast<uint32_t>(j - 1))))) {
        --j;
      }
      if (j + 1 >= subj_end) {
        if (!(IsRelativeWord(doc_.tokens[std::max(floor, subj_end - 1)]))) continue;
      }
      uint32_t subj_first = static_cast<uint32_t>(j + 1);
      if (subj_first >= static_cast<uint32_t>(subj_end)) continue;
      // Object: the complement up to the next clause boundary or verb group.
      uint32_t obj_first = g.phrase_end;
      uint32_t limit = sent.last_token;
      if (i + 1 < groups.size()) limit = std::min(limit, groups[i + 1].first);
      uint32_t obj_last = obj_first;
      while (obj_last < limit) {
        const Token& t = doc_.tokens[obj_last];
        if (IsBoundary(t) || t.lower == "," || t.lower == "." || t.pos == Pos::kWDT ||
            (t.lower == "that" && obj_last == obj_first)) {
          break;
        }
        ++obj_last;
      }
      while (obj_last > obj_first &&
             (doc_.tokens[obj_last - 1].lower == "and" || doc_.tokens[obj_last - 1].lower == "to" ||
              IsPunct(doc_.tokens[obj_last - 1].pos))) {
        --obj_last;
      }
      OpenTriple t;
      t.subject = TextOf(subj_first, static_cast<uint32_t>(subj_end));
      t.relation = TextOf(g.first, g.phrase_end);
      t.object = TextOf(obj_first, obj_last);
      t.sentence = s;
      t.negated = g.negated;
      out_->triples.push_back(std::move(t));
    }
  }

  // "the downing of a Russian jet by Turkey", "Russian airstrikes on Aleppo".
  void NominalEvents(uint32_t s) {
    const Sentence& sent = doc_.sentences[s];
    for (uint32_t n = sent.first_token; n < sent.last_token; ++n) {
      const Token& t = doc_.tokens[n];
      // Nouns, and gerunds used as nouns ("the downing of").
      const bool nominal_gerund =
          t.pos == Pos::kVBG && n > sent.first_token && doc_.tokens[n - 1].pos == Pos::kDET;
      if (mention_at_[n] >= 0 || !(IsNoun(t.pos) || nominal_gerund)) continue;
      const VerbEntry* v = find_nominal_(t);
      if (v == nullptr) continue;
      // Speech nouns without an event code of their own ("statement") are cues only.
      if ((v->Has(kVerbCue) || v->Has(kVerbMedium)) &&
          (v->cameo.empty() || v->cameo.rfind("01", 0) == 0)) {
        continue;
      }
      VerbGroup g;
      g.sentence = s;
      g.main = n;
      g.first = n;
      g.phrase_end = n + 1;
      int target = -1, source = -1;
      uint32_t k = n + 1;
      if (k < sent.last_token && doc_.tokens[k].lower == "of") {
        uint32_t y = k + 1;
        while (y < sent.last_token && y < k + 4 && mention_at_[y] < 0) ++y;
        if (y < sent.last_token && mention_at_[y] >= 0) {
          target = mention_at_[y];
          uint32_t z = mentions_[target].last;
          while (z < sent.last_token && z < mentions_[target].last + 3 &&
                 doc_.tokens[z].lower != "by" && mention_at_[z] < 0) {
            ++z;
          }
          if (z + 1 < sent.last_token && doc_.tokens[z].lower == "by" && mention_at_[z + 1] >= 0) {
            source = mention_at_[z + 1];
          }
        }
      } else if (n > sent.first_token) {
        int before = mention_at_[n - 1];
        if (n >= sent.first_token + 2 && doc_.tokens[n - 1].lower == "'s")
          before = mention_at_[n - 2];
        if (before >= 0 && mentions_[before].kind != MentionKind::kPronoun) {
          source = before;
          if (k < sent.last_token &&
              (doc_.tokens[k].lower == "on" || doc_.tokens[k].lower == "against")) {
            uint32_t y = k + 1;
            while (y < sent.last_token && doc_.tokens[y].pos == Pos::kDET && mention_at_[y] < 0)
              ++y;
            if (y < sent.last_token && mention_at_[y] >= 0 &&
                !mentions_[mention_at_[y]].possessive) {
              target = mention_at_[y];
            }
          }
        }
      }
      if (source >= 0 && target >= 0) Emit(source, v, v->relation, target, g, false, "", n, n + 1);
    }
  }

  // ---- Country inference for role-only actors ----

  void InferMissingCountries() {
    // Most frequent explicit country per role suffix in the document.
    std::map<std::string, std::map<std::string, int>> by_suffix;
    std::map<std::string, int> countries;
    for (const ActorMention& m : mentions_) {
      std::string c = gazetteer_.CountryOf(m.ref.code);
      if (c.empty()) continue;
      ++countries[c];
      if (m.ref.code.size() > 3) ++by_suffix[m.ref.code.substr(3)][c];
    }
    auto top = [](const std::map<std::string, int>& counts) {
      std::string best;
      int n = 0;
      for (const auto& [c, k] : counts) {
        if (k > n) best = c, n = k;
      }
      return best;
    };
    for (PendingEvent& pe : pending_) {
      for (int* side : {&pe.source, &pe.target}) {
        ActorMention& m = mentions_[*side];
        if (m.kind != MentionKind::kRoleOnly || !gazetteer_.CountryOf(m.ref.code).empty()) continue;
        const std::string& suffix = m.suffix;
        std::string country;
        auto it = by_suffix.find(suffix);
        if (it != by_suffix.end()) country = top(it->second);
        if (country.empty()) {
          const ActorMention& other = mentions_[side == &pe.source ? pe.target : pe.source];
          std::string oc = gazetteer_.CountryOf(other.ref.code);
          if (!oc.empty() && other.ref.code.size() > 3) country = oc;
        }
        if (country.empty()) {
          // A place or country named in the same sentence.
          for (const ActorMention& c : mentions_) {
            if (c.sentence == pe.sentence &&
                (c.type == ActorType::kPlace || c.type == ActorType::kCountry)) {
              country = gazetteer_.CountryOf(c.ref.code);
              if (!country.empty()) break;
            }
          }
        }
        if (country.empty()) continue;
        // Role-only mentions become the country's composite actor.
        m.ref.code = country + suffix;
        m.ref.name = gazetteer_.CompositeName(country, suffix);
        m.kind = MentionKind::kComposite;
      }
    }
  }

  // ---- Output ----

  std::string TextOf(uint32_t first, uint32_t last) const {
    if (first >= last) return "";
    return std::string(doc_.text.substr(doc_.tokens[first].begin,
                                        doc_.tokens[last - 1].end - doc_.tokens[first].begin));
  }
  uint32_t CpBegin(uint32_t token) const {
    if (token >= doc_.tokens.size())
      return doc_.CodePointOffset(static_cast<uint32_t>(doc_.text.size()));
    return doc_.CodePointOffset(doc_.tokens[token].begin);
  }
  uint32_t CpEnd(uint32_t token_last) const {
    if (token_last == 0) return 0;
    return doc_.CodePointOffset(doc_.tokens[token_last - 1].end);
  }

  void Finish() {
    std::map<DedupKey, size_t> index;
    std::map<std::string, ActorRecord> actors;
    for (const PendingEvent& pe : pending_) {
      const ActorMention& src = mentions_[pe.source];
      const ActorMention& dst = mentions_[pe.target];
      if (src.ref.name == dst.ref.name) continue;  // Self-loops are noise here.
      // "Russia's Defense Ministry ... to defend Russia's naval base": an
      // actor acting on its own country's property is not a dyadic event.
      const ActorMention& dst_text = mentions_[pe.target_text_mention];
      if (dst_text.possessive && !gazetteer_.CountryOf(src.ref.code).empty() &&
          gazetteer_.CountryOf(src.ref.code) == gazetteer_.CountryOf(dst.ref.code)) {
        continue;
      }
      Event ev;
      ev.source = src.ref;
      ev.source.text = mentions_[pe.source_text_mention].ref.text;
      ev.target = dst.ref;
      ev.target.text = mentions_[pe.target_text_mention].ref.text;
      if (pe.verb != nullptr) {
        ev.relation = pe.verb->relation;
        ev.cameo = pe.verb->cameo;
        ev.goldstein = dicts_.Goldstein(ev.cameo);
      } else {
        ev.relation = pe.lemma;
      }
      ev.negated = pe.negated;
      ev.modality = pe.modality;
      if (pe.attributed_to >= 0) ev.attributed_to = mentions_[pe.attributed_to].ref.name;
      const Sentence& sent = doc_.sentences[pe.sentence];
      Mention m;
      m.sentence = pe.sentence;
      m.begin = CpBegin(pe.first);
      m.end = CpEnd(pe.last);
      m.quote = std::string(doc_.text.substr(sent.begin, sent.end - sent.begin));
      DedupKey key{ev.source.name, ev.relation, ev.target.name,
                   ev.negated,     ev.modality, ev.attributed_to.value_or("")};
      auto it = index.find(key);
      if (it != index.end()) {
        Event& existing = out_->events[it->second];
        if (std::find(existing.mentions.begin(), existing.mentions.end(), m) ==
            existing.mentions.end()) {
          existing.mentions.push_back(std::move(m));
        }
        continue;
      }
      ev.mentions.push_back(std::move(m));
      index.emplace(std::move(key), out_->events.size());
      for (const ActorMention* am : {&src, &dst}) AddActor(*am, &actors);
      out_->events.push_back(std::move(ev));
    }
    for (auto& [name, rec] : actors) out_->actors.push_back(std::move(rec));
  }

  void AddActor(const ActorMention& m, std::map<std::string, ActorRecord>* actors) const {
    auto [it, inserted] = actors->emplace(m.ref.name, ActorRecord());
    ActorRecord& rec = it->second;
    if (inserted) {
      rec.name = m.ref.name;
      rec.code = m.ref.code;
      rec.type = m.entry != nullptr ? m.entry->type : m.type;
      if (m.kind == MentionKind::kDictionary) rec.aliases = gazetteer_.AliasesOf(m.ref.name);
    }
    if (m.kind == MentionKind::kComposite) {
      // Surface forms ("Syrian government forces") let queries find the node.
      std::string alias = m.ref.text;
      for (const char* det : {"the ", "The ", "a ", "A "}) {
        if (alias.rfind(det, 0) == 0) alias.erase(0, std::string_view(det).size());
      }
      if (!alias.empty() && alias.size() < 60 &&
          std::find(rec.aliases.begin(), rec.aliases.end(), alias) == rec.aliases.end()) {
        rec.aliases.push_back(alias);
      }
    }
  }

  struct PendingEvent {
    int source = -1, target = -1;  // Resolved mentions.
    int source_text_mention = -1, target_text_mention = -1;
    const VerbEntry* verb = nullptr;
    std::string lemma;
    bool negated = false;
    std::string modality;
    int attributed_to = -1;
    uint32_t sentence = 0;
    uint32_t first = 0, last = 0, anchor = 0;
  };

  const std::function<const VerbEntry*(std::string_view)>& find_verb_by_lemma_;
  const Dictionaries& dicts_;
  const Gazetteer& gazetteer_;
  bool keep_unknown_;
  const Document& doc_;
  std::vector<ActorMention>& mentions_;
  Extraction* out_;
  const std::function<const VerbEntry*(uint32_t, uint32_t, uint32_t*)>& find_verb_;
  const std::function<const VerbEntry*(const Token&)>& find_nominal_;
  bool open_triples_ = false;
  std::vector<int> mention_at_;
  std::vector<bool> quoted_;  // Per token: inside a direct quotation.
  std::set<int> subject_mentions_;
  std::vector<PendingEvent> pending_;
};

}  // namespace

RelationExtractor::RelationExtractor(const Dictionaries& dicts, const Gazetteer& gazetteer,
                                     bool keep_unknown_verbs, bool open_triples)
    : dicts_(dicts),
      gazetteer_(gazetteer),
      keep_unknown_verbs_(keep_unknown_verbs),
      open_triples_(open_triples) {
  for (const VerbEntry& v : dicts.verbs) {
    if (v.words.empty()) continue;
    if (v.Has(kVerbNominal)) {
      if (v.words.size() == 1) nominals_[v.words[0]] = &v;
      continue;
    }
    verbs_by_lemma_[v.words[0]].push_back(&v);
  }
  for (auto& [lemma, list] : verbs_by_lemma_) {
    std::stable_sort(list.begin(), list.end(), [](const VerbEntry* a, const VerbEntry* b) {
      return a->words.size() > b->words.size();
    });
  }
}

const VerbEntry* RelationExtractor::FindVerb(const Document& doc, uint32_t verb, uint32_t limit,
                                             uint32_t* phrase_end) const {
  const Token& t = doc.tokens[verb];
  const std::string& lemma = t.lemma.empty() ? t.lower : t.lemma;
  auto it = verbs_by_lemma_.find(lemma);
  if (it == verbs_by_lemma_.end()) return nullptr;
  for (const VerbEntry* v : it->second) {
    uint32_t k = verb + 1;
    bool ok = true;
    int skipped = 0;
    for (size_t w = 1; w < v->words.size(); ++w, ++k) {
      // Modifiers may sit inside a phrase: "imposed new sanctions on",
      // "held separate talks with" (at most two, never before a particle).
      while (k < limit && w > 1 && skipped < 2 && doc.tokens[k].lower != v->words[w] &&
             doc.tokens[k].lemma != v->words[w] &&
             (IsAdjective(doc.tokens[k].pos) || doc.tokens[k].pos == Pos::kCD ||
              doc.tokens[k].pos == Pos::kPRPS)) {
        ++k;
        ++skipped;
      }
      // Degree adverbs after a copula: "is very eager to", "was deeply skeptical of".
      while (w == 1 && v->words[0] == "be" && k < limit && doc.tokens[k].pos == Pos::kRB &&
             skipped < 2) {
        ++k;
        ++skipped;
      }
      if (w == 1 && k < limit &&
          (IsAdjective(doc.tokens[k].pos) || doc.tokens[k].pos == Pos::kCD ||
           doc.tokens[k].pos == Pos::kPRPS) &&
          doc.tokens[k].lower != v->words[w] && doc.tokens[k].lemma != v->words[w] &&
          v->words.size() > 2) {
        ++k;
        ++skipped;
      }
      if (k >= limit) {
        ok = false;
        break;
      }
      const Token& u = doc.tokens[k];
      if (u.lower != v->words[w] && u.lemma != v->words[w]) {
        ok = false;
        break;
      }
    }
    if (ok) {
      *phrase_end = k;
      return v;
    }
  }
  return nullptr;
}

const VerbEntry* RelationExtractor::FindNominal(const Token& token) const {
  auto it = nominals_.find(token.lemma.empty() ? token.lower : token.lemma);
  if (it != nominals_.end()) return it->second;
  it = nominals_.find(token.lower);
  return it == nominals_.end() ? nullptr : it->second;
}

void RelationExtractor::Extract(const Document& doc, std::vector<ActorMention>* mentions,
                                Extraction* out) const {
  std::function<const VerbEntry*(uint32_t, uint32_t, uint32_t*)> find_verb =
      [&](uint32_t verb, uint32_t limit, uint32_t* end) { return FindVerb(doc, verb, limit, end); };
  std::function<const VerbEntry*(const Token&)> find_nominal = [&](const Token& t) {
    return FindNominal(t);
  };
  std::function<const VerbEntry*(std::string_view)> find_by_lemma = [&](std::string_view lemma) {
    auto it = verbs_by_lemma_.find(std::string(lemma));
    if (it == verbs_by_lemma_.end()) return static_cast<const VerbEntry*>(nullptr);
    for (const VerbEntry* v : it->second) {
      if (v->words.size() == 1) return v;
    }
    return static_cast<const VerbEntry*>(nullptr);
  };
  DocumentExtraction run(*this, dicts_, gazetteer_, keep_unknown_verbs_, doc, mentions, out,
                         find_verb, find_nominal, find_by_lemma);
  run.set_open_triples(open_triples_);
  run.Run();
}

}  // namespace kg::ingest
