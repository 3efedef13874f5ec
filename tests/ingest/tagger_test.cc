#include "ingest/tagger.h"

#include <gtest/gtest.h>

#include <string>

#include "ingest/text.h"
#include "tests/test_util.h"

namespace kg::ingest {
namespace {

constexpr const char* kModelDir = "/usr/share/perl5/Lingua/EN/Tagger";

class TaggerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto loaded = Tagger::Load(kModelDir);
    ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
    tagger_ = std::move(loaded).value().release();
  }
  static void TearDownTestSuite() {
    delete tagger_;
    tagger_ = nullptr;
  }

  // Tags `text` and returns "word/tag word/tag ..." over all sentences.
  static std::string Tags(const std::string& text) {
    Document doc;
    doc.text = text;
    SplitAndTokenize(TextOptions{}, &doc);
    std::string out;
    for (const Sentence& s : doc.sentences) {
      tagger_->Tag(&doc, s.first_token, s.last_token);
      for (uint32_t t = s.first_token; t < s.last_token; ++t) {
        if (!out.empty()) out += ' ';
        out += doc.tokens[t].norm + "/" + std::string(PosName(doc.tokens[t].pos));
      }
    }
    return out;
  }

  static Tagger* tagger_;
};
Tagger* TaggerTest::tagger_ = nullptr;

TEST_F(TaggerTest, PerfectPassive) {
  EXPECT_EQ(Tags("Kerry has criticized Russia."),
            "Kerry/nnp has/vbz criticized/vbn Russia/nnp ./pp");
}

TEST_F(TaggerTest, ModalWithUnknownVerb) {
  EXPECT_EQ(Tags("Moscow will deploy S-300 missiles."),
            "Moscow/nnp will/md deploy/vb S-300/nnp missiles/nns ./pp");
}

TEST_F(TaggerTest, QuotesPossessivesAndNegation) {
  EXPECT_EQ(Tags("\"We don't trust Russia's army,\" he said."),
            "\"/ppl We/prp do/vbp n't/rb trust/vb Russia/nnp 's/pos army/nn ,/ppc \"/ppr he/prp "
            "said/vbd ./pp");
}

TEST_F(TaggerTest, UnknownWordClasses) {
  EXPECT_EQ(Tags("Zorblaxes were frobnicating 1,250 qwertyly."),
            "Zorblaxes/nnp were/vbd frobnicating/vbg 1,250/cd qwertyly/rb ./pp");
  // An acronym that is also a common word.
  EXPECT_EQ(Tags("The US accused Iran."), "The/det US/nnp accused/vbd Iran/nnp ./pp");
}

TEST_F(TaggerTest, EveryTokenGetsATag) {
  const std::string text = "(\xF0\x9F\x99\x82) ~~ @@ x-y-z 12th 3/4/2015 ...";
  Document doc;
  doc.text = text;
  SplitAndTokenize(TextOptions{}, &doc);
  tagger_->Tag(&doc, 0, static_cast<uint32_t>(doc.tokens.size()));
  for (const Token& t : doc.tokens) EXPECT_NE(t.pos, Pos::kNone) << t.norm;
  // Empty and out-of-range spans are no-ops.
  tagger_->Tag(&doc, 5, 2);
  tagger_->Tag(&doc, 0, 100000);
}

TEST(TaggerLoadTest, MissingFileIsNamed) {
  kg::testing::TempDir dir;
  auto r = Tagger::Load(dir.path().string());
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("tags.yml"), std::string::npos) << r.status().ToString();
}

TEST(TaggerLoadTest, MalformedLineIsNamed) {
  kg::testing::TempDir dir;
  kg::testing::WriteFile(dir.Sub("tags.yml"), "--- #YAML:1.0\npp: { nn: 0.5, nnp: 0.5 }\n");
  kg::testing::WriteFile(dir.Sub("words.yml"), "--- #YAML:1.0\ncat: { nn: 3 }\ndog { nn: 2 }\n");
  kg::testing::WriteFile(dir.Sub("unknown.yml"), "\"-unknown-\": { nn: 1 }\n");
  auto r = Tagger::Load(dir.path().string());
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("words.yml:3"), std::string::npos) << r.status().ToString();
}

}  // namespace
}  // namespace kg::ingest
