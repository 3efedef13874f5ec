// Golden parses of our own sentences for the constructions the event rules
// rely on (tests/fixtures/nlp/constructions.conllu, hand-annotated): the
// shipped models' trees are compared with tests/golden/nlp/constructions.txt
// (readable arcs; regenerate with KG_UPDATE_GOLDEN=1 after retraining and
// read the diff), and the relations each construction is about must be
// right in at least 90% of their arcs.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "nlp/analyzer.h"
#include "nlp/conllu.h"
#include "tests/test_util.h"

namespace kg::nlp {
namespace {

// The relations that carry each construction.
const std::map<std::string, std::set<std::string>>& KeyRelations() {
  static const std::map<std::string, std::set<std::string>> keys = {
      {"passive-agent", {"nsubj:pass", "aux:pass", "obl:agent"}},
      {"members-of-object", {"nsubj", "obj", "nmod"}},
      {"light-verb-against", {"nsubj", "obj", "nmod", "obl"}},
      {"reported-clause", {"nsubj", "ccomp", "mark"}},
      {"coordination", {"nsubj", "obj", "conj", "cc"}},
      {"relative-clause", {"acl:relcl", "nsubj", "obj"}},
      {"apposition", {"appos", "nsubj"}},
      {"negated-modal", {"aux", "advmod", "nsubj", "obj"}},
      {"possessive", {"nmod:poss", "case"}},
      {"contraction", {"aux", "advmod", "nsubj"}},
      {"question", {"aux", "nsubj", "advmod"}},
  };
  return keys;
}

TEST(GoldenParseTest, ConstructionsParseAsAnnotated) {
  auto analyzer = Analyzer::LoadFromDir(testing::SourcePath("data/models"));
  ASSERT_TRUE(analyzer.ok()) << analyzer.status().ToString();
  auto sentences = ReadConlluFile(testing::SourcePath("tests/fixtures/nlp/constructions.conllu"));
  ASSERT_TRUE(sentences.ok()) << sentences.status().ToString();
  AnalyzerScratch scratch;
  std::vector<AnalyzedWord> words;
  std::ostringstream golden;
  std::map<std::string, std::pair<int, int>> key_arcs;  // construction -> right, total
  std::string wrong;
  for (const ConlluSentence& s : *sentences) {
    const std::string construction(s.Comment("construction"));
    ASSERT_TRUE(KeyRelations().count(construction)) << construction;
    std::vector<std::string_view> forms;
    for (const auto& w : s.words) forms.push_back(w.form);
    (*analyzer)->Analyze(forms, &words, &scratch);
    golden << "== " << s.Comment("sent_id") << " " << construction << "\n"
           << s.Comment("text") << "\n";
    auto word = [&](int i) { return i == 0 ? std::string("ROOT") : s.words[i - 1].form; };
    for (size_t i = 0; i < words.size(); ++i) {
      golden << (i ? " " : "") << words[i].deprel << "(" << word(words[i].head) << ", "
             << s.words[i].form << ")";
      const ConlluWord& g = s.words[i];
      if (!KeyRelations().at(construction).count(g.deprel)) continue;
      auto& [right, total] = key_arcs[construction];
      ++total;
      if (words[i].head == g.head && words[i].deprel == g.deprel) {
        ++right;
      } else {
        wrong += "  " + std::string(s.Comment("sent_id")) + ": gold " + g.deprel + "(" +
                 word(g.head) + ", " + g.form + "), parsed " + std::string(words[i].deprel) + "(" +
                 word(words[i].head) + ", " + g.form + ")\n";
      }
    }
    golden << "\n\n";
  }
  int right = 0, total = 0;
  std::string summary;
  for (const auto& [construction, counts] : key_arcs) {
    right += counts.first;
    total += counts.second;
    summary += "  " + construction + ": " + std::to_string(counts.first) + "/" +
               std::to_string(counts.second) + "\n";
  }
  std::printf("key arcs right: %d/%d\n%s%s", right, total, summary.c_str(), wrong.c_str());
  EXPECT_GE(right * 10, total * 9) << "key arcs right: " << right << "/" << total;

  const std::string path = testing::SourcePath("tests/golden/nlp/constructions.txt");
  if (std::getenv("KG_UPDATE_GOLDEN")) {
    std::ofstream(path) << golden.str();
    return;
  }
  EXPECT_EQ(testing::ReadFile(path), golden.str())
      << "the shipped models parse the constructions differently from " << path
      << "; if the models were retrained on purpose, rerun with KG_UPDATE_GOLDEN=1 and review "
         "the diff";
}

}  // namespace
}  // namespace kg::nlp
