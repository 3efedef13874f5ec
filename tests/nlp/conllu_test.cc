// CoNLL-U reading and writing: byte-exact round trips of our fixtures and
// clear errors for malformed input.
#include "nlp/conllu.h"

#include <gtest/gtest.h>

#include "nlp/treebank.h"
#include "tests/test_util.h"

namespace kg::nlp {
namespace {

TEST(ConlluTest, FixturesRoundTripByteForByte) {
  for (const char* name : {"tiny_train.conllu", "constructions.conllu"}) {
    const std::string path = testing::SourcePath(std::string("tests/fixtures/nlp/") + name);
    auto sentences = ReadConlluFile(path);
    ASSERT_TRUE(sentences.ok()) << sentences.status().ToString();
    ASSERT_GT(sentences->size(), 20u);
    std::string out;
    for (const auto& s : *sentences) AppendConllu(s, &out);
    EXPECT_EQ(out, testing::ReadFile(path)) << name;
    for (const auto& s : *sentences) EXPECT_EQ(TreeProblem(s), "") << name << ":" << s.line;
  }
}

TEST(ConlluTest, KeepsCommentsMultiwordTokensAndEmptyNodes) {
  const std::string text =
      "# sent_id = a-1\n# text = It doesn't.\n1\tIt\tit\tPRON\tPRP\t_\t3\tnsubj\t_\t_\n"
      "2-3\tdoesn't\t_\t_\t_\t_\t_\t_\t_\tSpaceAfter=No\n2\tdoes\tdo\tAUX\tVBZ\t_\t0\troot\t_\t_\n"
      "3\tn't\tnot\tPART\tRB\t_\t2\tadvmod\t_\t_\n3.1\tgo\tgo\tVERB\tVB\t_\t_\t_\t0:root\t_\n"
      "4\t.\t.\tPUNCT\t.\t_\t2\tpunct\t_\t_\n\n";
  auto sentences = ParseConllu(text, "mem");
  ASSERT_TRUE(sentences.ok()) << sentences.status().ToString();
  ASSERT_EQ(sentences->size(), 1u);
  const ConlluSentence& s = (*sentences)[0];
  EXPECT_EQ(s.Comment("sent_id"), "a-1");
  EXPECT_EQ(s.Comment("text"), "It doesn't.");
  EXPECT_EQ(s.Comment("missing"), "");
  ASSERT_EQ(s.words.size(), 4u);
  EXPECT_EQ(s.words[1].form, "does");
  EXPECT_EQ(s.words[1].head, 0);
  ASSERT_EQ(s.extras.size(), 2u);
  EXPECT_EQ(s.extras[0].after_words, 1u);
  EXPECT_EQ(s.extras[1].after_words, 3u);
  std::string out;
  AppendConllu(s, &out);
  EXPECT_EQ(out, text);
}

TEST(ConlluTest, MissingHeadsAreAllowedForParsing) {
  auto sentences = ParseConllu("1\tHi\t_\t_\t_\t_\t_\t_\t_\t_\n", "mem");
  ASSERT_TRUE(sentences.ok()) << sentences.status().ToString();
  EXPECT_EQ((*sentences)[0].words[0].head, -1);
  EXPECT_NE(TreeProblem((*sentences)[0]), "");
}

TEST(ConlluTest, ErrorsNameSourceAndLine) {
  struct Case {
    std::string text, expected;
  } cases[] = {
      {"1\tA\t_\t_\n", "bad.conllu:1: expected 10 tab-separated columns, found 4"},
      {"# c\n1\tA\t_\tX\t_\t_\t0\troot\t_\t_\n3\tB\t_\tX\t_\t_\t1\tdep\t_\t_\n",
       "bad.conllu:3: word ID 3 where 2 was expected"},
      {"x\tA\t_\tX\t_\t_\t0\troot\t_\t_\n", "bad.conllu:1: ID 'x' is not a number"},
      {"1\tA\t_\tX\t_\t_\tq\troot\t_\t_\n", "bad.conllu:1: HEAD 'q' is not a word number"},
      {"1\tA\t_\tX\t_\t_\t7\troot\t_\t_\n", "bad.conllu:1: word 1 has HEAD 7 beyond"},
      {"1\t\t_\tX\t_\t_\t0\troot\t_\t_\n", "bad.conllu:1: empty FORM"},
      {"1\tA\t_\tX\t_\t_\t0\troot\t_\t_\n# late\n", "bad.conllu:2: comment line inside"},
      {"# only a comment\n\n", "bad.conllu:1: sentence has no words"},
  };
  for (const Case& c : cases) {
    auto r = ParseConllu(c.text, "bad.conllu");
    ASSERT_FALSE(r.ok()) << c.text;
    EXPECT_NE(r.status().message().find(c.expected), std::string::npos)
        << r.status().message() << "\nexpected: " << c.expected;
  }
}

TEST(ConlluTest, TreeProblems) {
  auto two_roots =
      ParseConllu("1\tA\t_\tX\t_\t_\t0\troot\t_\t_\n2\tB\t_\tX\t_\t_\t0\troot\t_\t_\n", "m");
  ASSERT_TRUE(two_roots.ok());
  EXPECT_EQ(TreeProblem((*two_roots)[0]), "2 words have HEAD 0 (expected exactly 1)");
  auto cycle = ParseConllu(
      "1\tA\t_\tX\t_\t_\t0\troot\t_\t_\n2\tB\t_\tX\t_\t_\t3\tdep\t_\t_\n"
      "3\tC\t_\tX\t_\t_\t2\tdep\t_\t_\n",
      "m");
  ASSERT_TRUE(cycle.ok());
  EXPECT_EQ(TreeProblem((*cycle)[0]), "word 2 is on a cycle");
}

TEST(TreebankTest, NormalizesOldSubtypesAndNeedsTags) {
  EXPECT_EQ(NormalizeDeprel("obl:tmod"), "obl:unmarked");
  EXPECT_EQ(NormalizeDeprel("nmod:npmod"), "nmod:unmarked");
  EXPECT_EQ(NormalizeDeprel("nsubj:pass"), "nsubj:pass");
  EXPECT_EQ(NormalizeDeprel("root"), "root");
  auto s = ParseConllu("1\tA\t_\t_\t_\t_\t0\troot\t_\t_\n", "m");
  ASSERT_TRUE(s.ok());
  std::vector<TreebankSentence> out;
  Status st = AppendTreebank(*s, "m.conllu", true, &out);
  EXPECT_FALSE(st.ok());
  EXPECT_NE(st.message().find("m.conllu:1: word 1 has no UPOS"), std::string::npos) << st.message();
}

TEST(TreebankTest, ProjectivizeLiftsCrossingArcsAndKeepsOneRoot) {
  // Word 1 <- 3 (the root), 2 <- 4, 4 <- 1: arc 3-1 crosses arc 4-2.
  std::vector<int> heads = {3, 4, 0, 1};
  ASSERT_FALSE(IsProjective(heads));
  Projectivize(&heads);
  EXPECT_TRUE(IsProjective(heads));
  int roots = 0;
  for (int h : heads) roots += h == 0;
  EXPECT_EQ(roots, 1);
  std::vector<int> projective = {2, 0, 2};
  EXPECT_TRUE(IsProjective(projective));
  EXPECT_EQ(Projectivize(&projective), 0);
}

}  // namespace
}  // namespace kg::nlp
