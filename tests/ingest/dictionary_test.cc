#include "ingest/dictionary.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>
#include <string>

#include "tests/test_util.h"

namespace kg::ingest {
namespace {

using kg::testing::SourcePath;
using kg::testing::TempDir;
using kg::testing::WriteFile;

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

Date Day(const char* iso) {
  auto d = ParseDictionaryDate(iso);
  EXPECT_TRUE(d.ok()) << iso;
  return d.ok() ? *d : kUnknownDate;
}

// Loads the real data/ once for all tests of this file.
const Dictionaries& Real() {
  static const Dictionaries* dict = [] {
    auto r = LoadDictionaries(SourcePath("data"), {}, {});
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? new Dictionaries(std::move(r).value()) : new Dictionaries();
  }();
  return *dict;
}

// Rows whose canonical name or alias equals `form` (case-insensitive) and that
// are valid on `date`.
std::vector<const ActorEntry*> Lookup(const Dictionaries& d, const std::string& form, Date date) {
  std::vector<const ActorEntry*> out;
  const std::string want = Lower(form);
  for (const auto& a : d.actors) {
    if (!a.ValidOn(date)) continue;
    bool hit = Lower(a.name) == want;
    for (const auto& alias : a.aliases) hit = hit || Lower(alias) == want;
    if (hit) out.push_back(&a);
  }
  return out;
}

const VerbEntry* FindVerb(const Dictionaries& d, const std::string& phrase, bool nominal = false) {
  for (const auto& v : d.verbs) {
    if (v.phrase == phrase && v.Has(kVerbNominal) == nominal) return &v;
  }
  return nullptr;
}

std::string CodeOf(const Dictionaries& d, const std::string& form, const char* date) {
  auto rows = Lookup(d, form, Day(date));
  if (rows.empty()) return "<none>";
  std::set<std::string> codes;
  for (auto* r : rows) codes.insert(r->code);
  std::string out;
  for (const auto& c : codes) out += (out.empty() ? "" : ",") + c;
  return out;
}

// ------------------------------------------------------------------ real data

TEST(RealDictionaries, Counts) {
  const auto& d = Real();
  size_t countries = 0, people = 0, orgs = 0;
  std::set<std::string> files;
  for (const auto& a : d.actors) {
    files.insert(a.file.substr(a.file.rfind('/') + 1));
    if (a.file.find("countries.tsv") != std::string::npos) ++countries;
    if (a.file.find("people.tsv") != std::string::npos) ++people;
    if (a.file.find("organizations.tsv") != std::string::npos) ++orgs;
  }
  EXPECT_GE(countries, 249u);
  EXPECT_GE(people, 300u);
  EXPECT_GE(orgs, 150u);
  EXPECT_GE(d.demonyms.size(), 190u);
  EXPECT_GE(d.roles.size(), 150u);
  EXPECT_GE(d.verbs.size(), 600u);
  EXPECT_GE(d.cameo.size(), 290u);
  EXPECT_TRUE(files.count("igos.tsv"));
  EXPECT_FALSE(files.count("demonyms.tsv"));  // Read as demonyms, not actors.
  EXPECT_TRUE(d.warnings.empty());
}

TEST(RealDictionaries, CameoRootsAndQuads) {
  const auto& d = Real();
  for (int root = 1; root <= 20; ++root) {
    std::string code = (root < 10 ? "0" : "") + std::to_string(root);
    const CameoEntry* e = d.FindCameo(code);
    ASSERT_NE(e, nullptr) << code;
    EXPECT_EQ(e->code, code);
    int want = root <= 5 ? 1 : root <= 8 ? 2 : root <= 13 ? 3 : 4;
    EXPECT_EQ(e->quad, want) << code;
  }
  ASSERT_NE(d.FindCameo("112"), nullptr);
  EXPECT_DOUBLE_EQ(d.Goldstein("112"), -2.0);
  EXPECT_DOUBLE_EQ(d.Goldstein("195"), -10.0);
  EXPECT_DOUBLE_EQ(d.Goldstein("163"), -8.0);
  // Unlisted child falls back to its parent / root.
  ASSERT_NE(d.FindCameo("1959"), nullptr);
  EXPECT_EQ(d.FindCameo("1959")->code, "195");
  EXPECT_EQ(d.FindCameo("9"), nullptr);
  EXPECT_EQ(d.Goldstein("abc"), 0.0);
  // Every child's quad equals its root's.
  for (const auto& e : d.cameo) {
    EXPECT_EQ(e.quad, d.FindCameo(e.code.substr(0, 2))->quad) << e.code;
  }
}

TEST(RealDictionaries, SeedActors) {
  const auto& d = Real();
  const char* seed = "2016-10-04";
  EXPECT_EQ(CodeOf(d, "John Kerry", seed), "USAGOV");
  EXPECT_EQ(CodeOf(d, "Kerry", seed), "USAGOV");
  EXPECT_EQ(CodeOf(d, "John Kerry", "2010-01-01"), "USALEG");
  EXPECT_EQ(CodeOf(d, "John Kirby", seed), "USAGOV");
  EXPECT_EQ(CodeOf(d, "Maria Zakharova", seed), "RUSGOV");
  EXPECT_EQ(CodeOf(d, "Dmitry Peskov", seed), "RUSGOV");
  EXPECT_EQ(CodeOf(d, "Bashar al-Assad", seed), "SYRGOV");
  EXPECT_EQ(CodeOf(d, "Assad", seed), "SYRGOV");
  EXPECT_EQ(CodeOf(d, "Russia", seed), "RUS");
  EXPECT_EQ(CodeOf(d, "Syria", seed), "SYR");
  EXPECT_EQ(CodeOf(d, "Turkey", seed), "TUR");
  EXPECT_EQ(CodeOf(d, "US", seed), "USA");
  EXPECT_EQ(CodeOf(d, "United States", seed), "USA");
  EXPECT_EQ(CodeOf(d, "Washington", seed), "USAGOV");
  EXPECT_EQ(CodeOf(d, "Moscow", seed), "RUSGOV");
  EXPECT_EQ(CodeOf(d, "Kremlin", seed), "RUSGOV");
  EXPECT_EQ(CodeOf(d, "Russian Defense Ministry", seed), "RUSMIL");
  EXPECT_EQ(CodeOf(d, "State Department", seed), "USAGOV");
  EXPECT_EQ(CodeOf(d, "Pentagon", seed), "USAMIL");
  EXPECT_EQ(CodeOf(d, "SANA", seed), "SYRMED");
  EXPECT_EQ(CodeOf(d, "RT", seed), "RUSMED");
  EXPECT_EQ(CodeOf(d, "European Union", seed), "IGOEUREEC");
  EXPECT_EQ(CodeOf(d, "UN", seed), "IGOUNO");
  EXPECT_EQ(CodeOf(d, "Aleppo", seed), "SYR");
  EXPECT_EQ(CodeOf(d, "Daesh", seed), "IMGMOSISI");
  EXPECT_EQ(CodeOf(d, "Taliban", "2016-10-04"), "AFGINSTAL");
  EXPECT_EQ(CodeOf(d, "Taliban", "2022-01-01"), "AFGGOV");
  EXPECT_EQ(CodeOf(d, "Vladimir Putin", seed), "RUSGOV");
  EXPECT_EQ(CodeOf(d, "Erdogan", seed), "TURGOV");
  EXPECT_EQ(CodeOf(d, "Obama", seed), "USAGOV");
  EXPECT_EQ(CodeOf(d, "Trump", seed), "USABUS");
  EXPECT_EQ(CodeOf(d, "Trump", "2018-01-01"), "USAGOV");
  EXPECT_EQ(CodeOf(d, "Hillary Clinton", "2012-01-01"), "USAGOV");
  for (const char* who : {"Sergei Lavrov", "Benjamin Netanyahu", "Volodymyr Zelensky", "Xi Jinping",
                          "Ali Khamenei", "Hassan Rouhani", "Recep Tayyip Erdogan"}) {
    EXPECT_NE(CodeOf(d, who, "2020-01-01"), "<none>") << who;
  }
  for (const auto& a : d.actors) {
    if (a.name == "John Kerry") {
      EXPECT_EQ(a.type, ActorType::kPerson);
    }
    if (a.name == "Russia") {
      EXPECT_EQ(a.type, ActorType::kCountry);
    }
  }
}

TEST(RealDictionaries, Demonyms) {
  const auto& d = Real();
  std::map<std::string, std::string> m;
  for (const auto& e : d.demonyms) {
    auto [it, inserted] = m.emplace(Lower(e.adjective), e.code);
    EXPECT_TRUE(inserted || it->second == e.code)
        << "demonym '" << e.adjective << "' maps to two codes";
  }
  EXPECT_EQ(m["syrian"], "SYR");
  EXPECT_EQ(m["russian"], "RUS");
  EXPECT_EQ(m["american"], "USA");
  EXPECT_EQ(m["british"], "GBR");
  EXPECT_EQ(m["palestinian"], "PSE");
  EXPECT_EQ(m["turkish"], "TUR");
}

TEST(RealDictionaries, Roles) {
  const auto& d = Real();
  auto find = [&](const std::string& phrase, RoleKind kind) -> const RoleEntry* {
    for (const auto& r : d.roles) {
      if (Lower(r.phrase) == Lower(phrase) && r.kind == kind) return &r;
    }
    return nullptr;
  };
  ASSERT_NE(find("spokesman", RoleKind::kTitle), nullptr);
  EXPECT_EQ(find("spokesman", RoleKind::kTitle)->suffix, "GOV");
  ASSERT_NE(find("defense ministry", RoleKind::kBody), nullptr);
  EXPECT_EQ(find("defense ministry", RoleKind::kBody)->suffix, "MIL");
  ASSERT_NE(find("forces", RoleKind::kGroup), nullptr);
  EXPECT_EQ(find("forces", RoleKind::kGroup)->suffix, "MIL");
  ASSERT_NE(find("militants", RoleKind::kGroup), nullptr);
  EXPECT_EQ(find("militants", RoleKind::kGroup)->suffix, "REB");
  ASSERT_NE(find("Mr.", RoleKind::kTitle), nullptr);
  EXPECT_EQ(find("Mr.", RoleKind::kTitle)->suffix, "");
}

TEST(RealDictionaries, Verbs) {
  const auto& d = Real();
  const VerbEntry* accuse = FindVerb(d, "accuse");
  ASSERT_NE(accuse, nullptr);
  EXPECT_EQ(accuse->cameo, "112");
  EXPECT_TRUE(accuse->Has(kVerbCue));
  EXPECT_TRUE(accuse->Has(kVerbAccusatory));
  EXPECT_TRUE(accuse->Has(kVerbControl));
  EXPECT_EQ(accuse->relation, "accuse");

  const VerbEntry* say = FindVerb(d, "say");
  ASSERT_NE(say, nullptr);
  EXPECT_TRUE(say->Has(kVerbCue));
  EXPECT_FALSE(say->Has(kVerbAccusatory));

  const VerbEntry* blind = FindVerb(d, "turn a blind eye to");
  ASSERT_NE(blind, nullptr);
  EXPECT_EQ(blind->words, (std::vector<std::string>{"turn", "a", "blind", "eye", "to"}));

  EXPECT_EQ(FindVerb(d, "criticize")->cameo, "111");
  EXPECT_EQ(FindVerb(d, "criticise")->cameo, "111");
  EXPECT_EQ(FindVerb(d, "blame")->relation, "blame");
  EXPECT_EQ(FindVerb(d, "deploy")->cameo.substr(0, 2), "15");
  EXPECT_EQ(FindVerb(d, "suspend")->cameo.substr(0, 2), "16");
  EXPECT_TRUE(FindVerb(d, "meet")->Has(kVerbSymmetric));
  ASSERT_NE(FindVerb(d, "airstrike", /*nominal=*/true), nullptr);
  EXPECT_EQ(FindVerb(d, "airstrikes", true)->cameo, "195");
  ASSERT_NE(FindVerb(d, "downing", true), nullptr);

  // Every verb's code is listed exactly in cameo.tsv, and all 20 roots are covered.
  std::set<std::string> roots;
  std::set<std::pair<std::string, bool>> seen;
  for (const auto& v : d.verbs) {
    EXPECT_FALSE(v.relation.empty()) << v.phrase;
    EXPECT_TRUE(seen.emplace(v.phrase, v.Has(kVerbNominal)).second) << "duplicate " << v.phrase;
    if (v.cameo.empty()) continue;
    const CameoEntry* e = d.FindCameo(v.cameo);
    ASSERT_NE(e, nullptr) << v.phrase;
    EXPECT_EQ(e->code, v.cameo) << v.file << ":" << v.line;
    roots.insert(v.cameo.substr(0, 2));
  }
  EXPECT_EQ(roots.size(), 20u);
}

TEST(RealDictionaries, NoAliasConflicts) {
  auto conflicts = FindAliasConflicts(Real().actors);
  std::string all;
  for (const auto& c : conflicts) all += c + "\n";
  EXPECT_TRUE(conflicts.empty()) << conflicts.size() << " alias conflicts:\n" << all;
}

// ------------------------------------------------------------------ fixtures and errors

std::string Fixture(const std::string& name) { return SourcePath("tests/fixtures/dict/" + name); }

// A minimal data dir: our cameo.tsv plus tiny other files.
std::string MiniDataDir(const TempDir& tmp) {
  std::filesystem::create_directories(tmp.path() / "actors");
  std::filesystem::copy_file(SourcePath("data/cameo.tsv"), tmp.path() / "cameo.tsv");
  WriteFile(tmp.Sub("actors/a.tsv"),
            "name\tcode\ttype\taliases\tvalid_from\tvalid_to\nRussia\tRUS\tcountry\tRussian "
            "Federation\t\t\n");
  WriteFile(tmp.Sub("actors/demonyms.tsv"), "adjective\tcode\nRussian\tRUS\n");
  WriteFile(tmp.Sub("roles.tsv"), "phrase\tsuffix\tkind\nforces\tMIL\tgroup\n");
  WriteFile(tmp.Sub("verbs.tsv"),
            "phrase\tcameo\trelation\tflags\ncriticize\t111\tcriticize\tcue,accusatory\n");
  return tmp.path().string();
}

void ExpectError(const Status& s, const std::string& where, const std::string& what) {
  EXPECT_FALSE(s.ok());
  EXPECT_TRUE(s.IsInvalidArgument()) << s.ToString();
  EXPECT_NE(s.message().find(where), std::string::npos) << s.message();
  EXPECT_NE(s.message().find(what), std::string::npos) << s.message();
}

TEST(DictionaryErrors, ActorFiles) {
  std::vector<ActorEntry> out;
  ExpectError(LoadActorTsv(Fixture("bad_type.tsv"), &out), "bad_type.tsv:4",
              "unknown type 'personn'");
  out.clear();
  ExpectError(LoadActorTsv(Fixture("bad_date.tsv"), &out), "bad_date.tsv:2",
              "bad date '2016-13-01'");
  ExpectError(LoadActorTsv(Fixture("missing_columns.tsv"), &out), "missing_columns.tsv:2",
              "expected 6 tab-separated columns");
  ExpectError(LoadActorTsv(Fixture("duplicate_header.tsv"), &out), "duplicate_header.tsv:4",
              "duplicate header");
  TempDir tmp;
  WriteFile(tmp.Sub("h.tsv"), "# no header\nname\tcode\n");
  ExpectError(LoadActorTsv(tmp.Sub("h.tsv"), &out), "h.tsv:2", "bad header");
  WriteFile(tmp.Sub("r.tsv"),
            "name\tcode\ttype\taliases\tvalid_from\tvalid_to\nX\tRUS\tperson\t\t2017-01-01\t2016-"
            "01-01\n");
  ExpectError(LoadActorTsv(tmp.Sub("r.tsv"), &out), "r.tsv:2", "not before");
  WriteFile(tmp.Sub("c.tsv"),
            "name\tcode\ttype\taliases\tvalid_from\tvalid_to\nX\tusa gov\tperson\t\t\t\n");
  ExpectError(LoadActorTsv(tmp.Sub("c.tsv"), &out), "c.tsv:2", "bad code");
  EXPECT_EQ(LoadActorTsv(tmp.Sub("missing.tsv"), &out).code(), StatusCode::kIoError);
}

TEST(DictionaryErrors, VerbFiles) {
  Dictionaries cameo;
  ASSERT_TRUE(LoadCameoTsv(SourcePath("data/cameo.tsv"), &cameo.cameo).ok());
  cameo.IndexCameo();
  std::vector<VerbEntry> out;
  ExpectError(LoadVerbTsv(Fixture("unknown_code.tsv"), cameo, &out), "unknown_code.tsv:3",
              "999 is not in cameo.tsv");
  ExpectError(LoadVerbTsv(Fixture("bad_flag.tsv"), cameo, &out), "bad_flag.tsv:2",
              "unknown flag 'loud'");
  TempDir tmp;
  WriteFile(tmp.Sub("d.tsv"),
            "phrase\tcameo\trelation\tflags\nbomb\t195\tbomb\t-\nbomb\t183\tbomb\t-\n");
  ExpectError(LoadVerbTsv(tmp.Sub("d.tsv"), cameo, &out), "d.tsv:3", "duplicate phrase 'bomb'");
  WriteFile(tmp.Sub("c.tsv"), "code\tname\tgoldstein\tquad\n01\tx\t0\t1\n01\ty\t0\t1\n");
  std::vector<CameoEntry> codes;
  ExpectError(LoadCameoTsv(tmp.Sub("c.tsv"), &codes), "c.tsv:3", "duplicate code 01");
  WriteFile(tmp.Sub("q.tsv"), "code\tname\tgoldstein\tquad\n01\tx\t0\t5\n");
  ExpectError(LoadCameoTsv(tmp.Sub("q.tsv"), &codes), "q.tsv:2", "bad quad");
  WriteFile(tmp.Sub("g.tsv"), "code\tname\tgoldstein\tquad\n01\tx\tlots\t1\n");
  ExpectError(LoadCameoTsv(tmp.Sub("g.tsv"), &codes), "g.tsv:2", "bad goldstein");
  WriteFile(tmp.Sub("k.tsv"), "phrase\tsuffix\tkind\nforces\tMIL\tcrowd\n");
  std::vector<RoleEntry> roles;
  ExpectError(LoadRoleTsv(tmp.Sub("k.tsv"), &roles), "k.tsv:2", "unknown kind 'crowd'");
}

TEST(DictionaryErrors, LoadDictionariesNamesTheFile) {
  TempDir tmp;
  std::string dir = MiniDataDir(tmp);
  auto ok = LoadDictionaries(dir, {}, {});
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
  EXPECT_EQ(ok->actors.size(), 1u);
  EXPECT_EQ(ok->demonyms.size(), 1u);

  auto bad = LoadDictionaries(dir, {Fixture("bad_type.tsv")}, {});
  ExpectError(bad.status(), "bad_type.tsv:4", "unknown type");
  auto bad_verb = LoadDictionaries(dir, {}, {Fixture("unknown_code.tsv")});
  ExpectError(bad_verb.status(), "unknown_code.tsv:3", "not in cameo.tsv");
  EXPECT_EQ(LoadDictionaries(tmp.Sub("nope"), {}, {}).status().code(), StatusCode::kIoError);
}

TEST(DictionaryExtras, TsvVerbsOverrideEarlierFiles) {
  TempDir tmp;
  std::string dir = MiniDataDir(tmp);
  auto d = LoadDictionaries(dir, {}, {Fixture("extra.verbs.tsv")});
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  EXPECT_EQ(d->verbs.size(), 3u);
  const VerbEntry* v = FindVerb(*d, "frobnicate");
  ASSERT_NE(v, nullptr);
  EXPECT_EQ(v->cameo, "111");
  EXPECT_EQ(VerbFlagsToString(v->flags), "cue,accusatory");
}

TEST(DictionaryExtras, TabariActors) {
  TempDir tmp;
  std::string dir = MiniDataDir(tmp);
  auto d = LoadDictionaries(dir, {Fixture("sample.actors")}, {});
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  // NO_CODE_ACTOR and the unsupported line are skipped with warnings.
  EXPECT_EQ(d->skipped_patterns, 2u);
  ASSERT_EQ(d->warnings.size(), 2u);
  EXPECT_NE(d->warnings[0].find("sample.actors:"), std::string::npos);
  EXPECT_EQ(CodeOf(*d, "Freedonia", "2000-01-01"), "FRE");
  EXPECT_EQ(CodeOf(*d, "freedonian republic", "2000-01-01"), "FRE");
  EXPECT_EQ(CodeOf(*d, "Firefly", "1933-06-01"), "FREGOV");
  EXPECT_EQ(CodeOf(*d, "Firefly", "1932-06-01"), "<none>");
  EXPECT_EQ(CodeOf(*d, "Trentino", "1933-01-01"), "SYLGOV");
  EXPECT_EQ(CodeOf(*d, "Trentino", "1934-01-01"), "SYLELI");
  EXPECT_EQ(CodeOf(*d, "Acme Legion", "2001-01-01"), "XYZREB");
  EXPECT_EQ(CodeOf(*d, "Acme Legion", "2006-01-01"), "<none>");
  for (const auto& a : d->actors) {
    if (a.code == "FRE") {
      EXPECT_EQ(a.type, ActorType::kCountry);
    }
    if (a.code == "FREGOV") {
      EXPECT_EQ(a.name, "Rufus Firefly");
    }
  }
  TempDir bad;
  WriteFile(bad.Sub("x.actors"), "+ORPHAN_ALIAS\n");
  ExpectError(LoadDictionaries(dir, {bad.Sub("x.actors")}, {}).status(), "x.actors:1",
              "alias line before");
  WriteFile(bad.Sub("y.actors"), "# header comment\nSOMEONE [USAGOV <991399]\n");
  ExpectError(LoadDictionaries(dir, {bad.Sub("y.actors")}, {}).status(), "y.actors:2", "bad date");
}

TEST(DictionaryExtras, TabariVerbs) {
  TempDir tmp;
  std::string dir = MiniDataDir(tmp);
  auto d = LoadDictionaries(dir, {}, {Fixture("sample.verbs")});
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  ASSERT_NE(FindVerb(*d, "grumble"), nullptr);
  EXPECT_EQ(FindVerb(*d, "grumble")->cameo, "111");
  ASSERT_NE(FindVerb(*d, "grumble about"), nullptr);
  ASSERT_NE(FindVerb(*d, "grumble loudly at"), nullptr);
  EXPECT_EQ(FindVerb(*d, "grumble loudly at")->cameo, "1121");
  ASSERT_NE(FindVerb(*d, "grumble over policy"), nullptr);
  EXPECT_EQ(FindVerb(*d, "grumble over policy")->cameo, "112");
  ASSERT_NE(FindVerb(*d, "whatever along"), nullptr);
  EXPECT_EQ(FindVerb(*d, "whatever"), nullptr);       // Null code.
  EXPECT_EQ(FindVerb(*d, "whatever away"), nullptr);  // Unknown code 999.
  // Skipped: {ABOUT|AT}, "% * ^", [---], [999], &SYN_SET.
  EXPECT_EQ(d->skipped_patterns, 5u);
  for (const auto& w : d->warnings) EXPECT_NE(w.find("sample.verbs:"), std::string::npos) << w;
}

TEST(DictionaryConflicts, ReportsOverlappingAliases) {
  std::vector<ActorEntry> out;
  ASSERT_TRUE(LoadActorTsv(Fixture("conflict.tsv"), &out).ok());
  auto conflicts = FindAliasConflicts(out);
  // "acme" and "acme militia" both map to two codes during 2019-06..2020-01.
  ASSERT_EQ(conflicts.size(), 2u);
  EXPECT_NE(conflicts[0].find("conflict.tsv:3"), std::string::npos) << conflicts[0];
  // Disjoint ranges do not conflict.
  out[0].valid_to = out[1].valid_from;
  EXPECT_TRUE(FindAliasConflicts(out).empty());
}

TEST(DictionaryDates, ParseAndValidOn) {
  EXPECT_EQ(*ParseDictionaryDate("1970-01-01"), 0);
  EXPECT_EQ(*ParseDictionaryDate("2016-10-04"), 17078);
  EXPECT_FALSE(ParseDictionaryDate("2016-02-30").ok());
  EXPECT_FALSE(ParseDictionaryDate("2015-02-29").ok());
  EXPECT_TRUE(ParseDictionaryDate("2016-02-29").ok());
  EXPECT_FALSE(ParseDictionaryDate("20161004").ok());
  ActorEntry e;
  e.valid_from = Day("2013-02-01");
  e.valid_to = Day("2017-01-20");
  EXPECT_TRUE(e.ValidOn(Day("2013-02-01")));
  EXPECT_FALSE(e.ValidOn(Day("2017-01-20")));  // valid_to is exclusive.
  EXPECT_TRUE(e.ValidOn(kUnknownDate));
  EXPECT_EQ(*ParseVerbFlags("-"), 0u);
  EXPECT_EQ(*ParseVerbFlags("nominal, passive_ok"), kVerbNominal | kVerbPassiveOk);
}

}  // namespace
}  // namespace kg::ingest
