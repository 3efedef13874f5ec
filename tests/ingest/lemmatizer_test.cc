#include "ingest/lemmatizer.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "tests/test_util.h"

namespace kg::ingest {
namespace {

class LemmatizerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto loaded = Lemmatizer::Load("/usr/share/wordnet");
    ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
    lem_ = std::move(loaded).value().release();
  }
  static void TearDownTestSuite() {
    delete lem_;
    lem_ = nullptr;
  }
  static Lemmatizer* lem_;
};
Lemmatizer* LemmatizerTest::lem_ = nullptr;

TEST_F(LemmatizerTest, VerbForms) {
  const std::vector<std::pair<std::string, std::string>> cases = {{"struck", "strike"},
                                                                  {"retook", "retake"},
                                                                  {"criticized", "criticize"},
                                                                  {"criticised", "criticize"},
                                                                  {"stepping", "step"},
                                                                  {"accused", "accuse"},
                                                                  {"denied", "deny"},
                                                                  {"says", "say"},
                                                                  {"said", "say"},
                                                                  {"was", "be"},
                                                                  {"were", "be"},
                                                                  {"is", "be"},
                                                                  {"has", "have"},
                                                                  {"had", "have"},
                                                                  {"killed", "kill"},
                                                                  {"attacked", "attack"},
                                                                  {"launched", "launch"},
                                                                  {"fired", "fire"},
                                                                  {"seized", "seize"},
                                                                  {"shot", "shoot"},
                                                                  {"fought", "fight"},
                                                                  {"fled", "flee"},
                                                                  {"led", "lead"},
                                                                  {"met", "meet"},
                                                                  {"sent", "send"},
                                                                  {"withdrew", "withdraw"},
                                                                  {"threatened", "threaten"},
                                                                  {"urged", "urge"},
                                                                  {"condemned", "condemn"},
                                                                  {"warned", "warn"},
                                                                  {"imposed", "impose"},
                                                                  {"bombed", "bomb"},
                                                                  {"captured", "capture"},
                                                                  {"stepped", "step"},
                                                                  {"controlled", "control"},
                                                                  {"supporting", "support"},
                                                                  {"blamed", "blame"},
                                                                  {"deployed", "deploy"},
                                                                  {"rejected", "reject"},
                                                                  {"agreed", "agree"},
                                                                  {"signed", "sign"},
                                                                  {"hit", "hit"},
                                                                  {"broke", "break"},
                                                                  {"began", "begin"},
                                                                  {"took", "take"},
                                                                  {"gave", "give"}};
  ASSERT_EQ(cases.size(), 46u);
  for (const auto& [form, lemma] : cases) {
    EXPECT_EQ(lem_->Lemma(form, Pos::kVBD), lemma) << form;
  }
  EXPECT_EQ(lem_->Lemma("analysed", Pos::kVBN), "analyze");
  EXPECT_EQ(lem_->Lemma("criticise", Pos::kVB), "criticize");
}

TEST_F(LemmatizerTest, BaseFormsAndUnknownWordsStay) {
  EXPECT_EQ(lem_->Lemma("saw", Pos::kVB), "saw");   // Base form first for VB.
  EXPECT_EQ(lem_->Lemma("saw", Pos::kVBD), "see");  // Exception first for VBD.
  EXPECT_EQ(lem_->Lemma("bombed-out", Pos::kJJ), "bombed-out");
  EXPECT_EQ(lem_->Lemma("bombed-out", Pos::kVBN), "bombed-out");
  EXPECT_EQ(lem_->Lemma("zorbled", Pos::kVBD), "zorbled");
  EXPECT_EQ(lem_->Lemma("russia", Pos::kNNP), "russia");
  EXPECT_EQ(lem_->Lemma("the", Pos::kDET), "the");
}

TEST_F(LemmatizerTest, NounsAdjectivesAndClitics) {
  EXPECT_EQ(lem_->Lemma("lives", Pos::kNNS), "life");
  EXPECT_EQ(lem_->Lemma("militias", Pos::kNNS), "militia");
  EXPECT_EQ(lem_->Lemma("forces", Pos::kNNS), "force");
  EXPECT_EQ(lem_->Lemma("churches", Pos::kNNS), "church");
  EXPECT_EQ(lem_->Lemma("news", Pos::kNN), "news");
  EXPECT_EQ(lem_->Lemma("better", Pos::kJJR), "good");
  EXPECT_EQ(lem_->Lemma("hotter", Pos::kJJR), "hot");
  EXPECT_EQ(lem_->Lemma("n't", Pos::kRB), "not");
  EXPECT_EQ(lem_->Lemma("'s", Pos::kVBZ), "be");
  EXPECT_EQ(lem_->Lemma("'s", Pos::kPOS), "'s");
  EXPECT_EQ(lem_->Lemma("wo", Pos::kMD), "will");
  EXPECT_EQ(lem_->Lemma("ca", Pos::kMD), "can");
}

TEST_F(LemmatizerTest, LemmatizeDocument) {
  const std::string text = "was killed";
  Document doc;
  doc.text = text;
  for (auto [b, e, lower, pos] :
       {std::tuple{0u, 3u, "was", Pos::kVBD}, std::tuple{4u, 10u, "killed", Pos::kVBN}}) {
    Token t;
    t.begin = b;
    t.end = e;
    t.norm = t.lower = lower;
    t.pos = pos;
    doc.tokens.push_back(t);
  }
  lem_->Lemmatize(&doc, 0, 2);
  EXPECT_EQ(doc.tokens[0].lemma, "be");
  EXPECT_EQ(doc.tokens[1].lemma, "kill");
}

TEST(LemmatizerLoadTest, MissingFileIsNamed) {
  kg::testing::TempDir dir;
  auto r = Lemmatizer::Load(dir.path().string());
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("index.verb"), std::string::npos) << r.status().ToString();
}

}  // namespace
}  // namespace kg::ingest
