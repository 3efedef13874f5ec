// Runs the pipeline over the hand-written golden cases in
// tests/golden/extraction/*.txt (format in tests/golden/README.md).
//
// Every case that passes is listed in tests/golden/extraction/passing.list; a
// listed case that stops passing fails this test (a ratchet against
// regressions). Set KG_UPDATE_GOLDEN=1 to rewrite the list after improving
// the extractor. Precision and recall over all cases are printed; set
// KG_GOLDEN_VERBOSE=1 to list every miss and false alarm.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "graph/date.h"
#include "ingest/pipeline.h"
#include "tests/test_util.h"

namespace kg {
namespace {

struct GoldEvent {
  std::string source_code, target_code;
  std::vector<std::string> cameo;  // Alternatives; each a prefix.
  bool negated = false, optional = false;
  std::string by;  // Lower-cased speaker name, "" when not attributed.
  std::string line;
};

struct GoldCase {
  std::string id, file;
  Date date = kUnknownDate;
  std::string text;
  std::vector<GoldEvent> events;
};

std::string Trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t"), e = s.find_last_not_of(" \t\r");
  return b == std::string::npos ? "" : s.substr(b, e - b + 1);
}

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// Country part of a code: first three letters, or the whole code for IGOs.
std::string CountryPart(const std::string& code) {
  if (code.rfind("IGO", 0) == 0 || code.rfind("NGO", 0) == 0) return code;
  return code.substr(0, 3);
}

bool ParseEvent(const std::string& line, GoldEvent* ev) {
  // NAME [CODE] -relation/CAMEO-> NAME [CODE] {flags}
  size_t c1 = line.find('['), c1e = line.find(']');
  size_t arrow = line.find("-> ", c1e);
  size_t slash = line.rfind('/', arrow);
  if (c1 == std::string::npos || c1e == std::string::npos || arrow == std::string::npos ||
      slash == std::string::npos) {
    return false;
  }
  ev->source_code = line.substr(c1 + 1, c1e - c1 - 1);
  std::string cameo = line.substr(slash + 1, arrow - slash - 1);
  std::stringstream alts(cameo);
  for (std::string alt; std::getline(alts, alt, '|');) ev->cameo.push_back(alt);
  size_t c2 = line.find('[', arrow), c2e = line.find(']', c2);
  if (c2 == std::string::npos || c2e == std::string::npos) return false;
  ev->target_code = line.substr(c2 + 1, c2e - c2 - 1);
  std::string flags = line.substr(c2e + 1);
  ev->negated = flags.find("{negated}") != std::string::npos;
  ev->optional = flags.find("{optional}") != std::string::npos;
  if (size_t by = flags.find("{by:"); by != std::string::npos) {
    ev->by = Lower(Trim(flags.substr(by + 4, flags.find('}', by) - by - 4)));
  }
  ev->line = line;
  return true;
}

std::vector<GoldCase> LoadCases() {
  std::vector<GoldCase> cases;
  std::vector<std::filesystem::path> files;
  for (const auto& entry :
       std::filesystem::directory_iterator(testing::SourcePath("tests/golden/extraction"))) {
    if (entry.path().extension() == ".txt") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  for (const auto& path : files) {
    std::ifstream in(path);
    std::string line;
    int lineno = 0;
    while (std::getline(in, line)) {
      ++lineno;
      std::string t = Trim(line);
      if (t.empty() || t[0] == '#') continue;
      if (t.rfind("==", 0) == 0) {
        cases.emplace_back();
        cases.back().id = Trim(t.substr(2));
        cases.back().file = path.filename().string();
        continue;
      }
      if (cases.empty()) continue;
      GoldCase& c = cases.back();
      if (t.rfind("@date", 0) == 0) {
        auto d = ParseIsoDate(Trim(t.substr(5)));
        if (d.ok()) c.date = *d;
      } else if (t[0] == '>') {
        if (!c.text.empty()) c.text += "\n";
        c.text += Trim(t.substr(1));
      } else {
        GoldEvent ev;
        EXPECT_TRUE(ParseEvent(t, &ev)) << path << ":" << lineno << ": cannot parse " << t;
        c.events.push_back(ev);
      }
    }
  }
  return cases;
}

bool Matches(const GoldEvent& g, const Event& p) {
  if (CountryPart(g.source_code) != CountryPart(p.source.code)) return false;
  if (CountryPart(g.target_code) != CountryPart(p.target.code)) return false;
  bool cameo_ok = std::any_of(g.cameo.begin(), g.cameo.end(),
                              [&](const std::string& c) { return p.cameo.rfind(c, 0) == 0; });
  if (!cameo_ok || g.negated != p.negated) return false;
  // Attribution to the event's own source ("Iran denied supplying...") is
  // redundant, so gold without {by:} accepts it.
  std::string by = p.attributed_to ? Lower(*p.attributed_to) : "";
  if (g.by.empty() && by == Lower(p.source.name)) return true;
  return g.by == by;
}

std::string Describe(const Event& e) {
  std::string s = e.source.name + " [" + e.source.code + "] -" + e.relation + "/" + e.cameo +
                  "-> " + e.target.name + " [" + e.target.code + "]";
  if (e.negated) s += " {negated}";
  if (e.attributed_to) s += " {by: " + *e.attributed_to + "}";
  return s;
}

TEST(GoldenExtractionTest, CasesThatPassedStillPass) {
  auto pipeline = Pipeline::Create(PipelineOptions{});
  ASSERT_TRUE(pipeline.ok()) << pipeline.status().ToString();
  std::vector<GoldCase> cases = LoadCases();
  ASSERT_GE(cases.size(), 100u);

  size_t gold = 0, predicted = 0, matched = 0;
  std::set<std::string> passing;
  std::ostringstream report;
  for (const GoldCase& c : cases) {
    Article article;
    article.id = c.id;
    article.text = c.text;
    article.date = c.date;
    Extraction x;
    ASSERT_TRUE((*pipeline)->Process(article, &x).ok()) << c.id;
    // Events under modality ("may", "if") are not asserted: not predictions.
    x.events.erase(std::remove_if(x.events.begin(), x.events.end(),
                                  [](const Event& e) { return !e.modality.empty(); }),
                   x.events.end());
    std::vector<bool> used(x.events.size(), false);
    bool ok = true;
    size_t case_gold = 0, case_matched = 0;
    for (const GoldEvent& g : c.events) {
      bool found = false;
      for (size_t i = 0; i < x.events.size() && !found; ++i) {
        if (!used[i] && Matches(g, x.events[i])) used[i] = found = true;
      }
      if (g.optional) continue;
      ++case_gold;
      if (found) {
        ++case_matched;
      } else {
        ok = false;
        report << c.file << " " << c.id << ": missed  " << g.line << "\n";
      }
    }
    size_t case_predicted = 0;
    for (size_t i = 0; i < x.events.size(); ++i) {
      if (used[i]) {
        bool optional_only = true;
        for (const GoldEvent& g : c.events) {
          if (!g.optional && Matches(g, x.events[i])) optional_only = false;
        }
        if (!optional_only) ++case_predicted;
        continue;
      }
      ++case_predicted;
      ok = false;
      report << c.file << " " << c.id << ": extra   " << Describe(x.events[i]) << "\n";
    }
    gold += case_gold;
    matched += case_matched;
    predicted += case_predicted;
    if (ok) passing.insert(c.id);
  }
  double p = predicted ? static_cast<double>(matched) / predicted : 0;
  double r = gold ? static_cast<double>(matched) / gold : 0;
  std::printf(
      "golden extraction: %zu/%zu cases pass; events P=%.3f R=%.3f F1=%.3f (%zu gold, %zu "
      "predicted, %zu matched)\n",
      passing.size(), cases.size(), p, r, p + r > 0 ? 2 * p * r / (p + r) : 0, gold, predicted,
      matched);
  if (std::getenv("KG_GOLDEN_VERBOSE")) std::printf("%s", report.str().c_str());

  const std::string list_path = testing::SourcePath("tests/golden/extraction/passing.list");
  if (std::getenv("KG_UPDATE_GOLDEN")) {
    std::ofstream out(list_path);
    out << "# Golden extraction cases that pass; maintained by KG_UPDATE_GOLDEN=1.\n";
    for (const auto& id : passing) out << id << "\n";
    return;
  }
  std::ifstream in(list_path);
  ASSERT_TRUE(in.good()) << "missing " << list_path << "; run with KG_UPDATE_GOLDEN=1";
  std::set<std::string> expected;
  for (std::string line; std::getline(in, line);) {
    line = Trim(line);
    if (!line.empty() && line[0] != '#') expected.insert(line);
  }
  std::vector<std::string> regressed, improved;
  for (const auto& id : expected) {
    if (!passing.count(id)) regressed.push_back(id);
  }
  for (const auto& id : passing) {
    if (!expected.count(id)) improved.push_back(id);
  }
  for (const auto& id : improved) std::printf("newly passing (update the list): %s\n", id.c_str());
  EXPECT_TRUE(regressed.empty()) << "cases that used to pass now fail: " << regressed.size() << "\n"
                                 << [&] {
                                      std::string s;
                                      for (const auto& id : regressed) s += "  " + id + "\n";
                                      return s + report.str();
                                    }();
}

}  // namespace
}  // namespace kg
