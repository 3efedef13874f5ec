// Training on our tiny hand-written treebank: the tagger and the parser
// learn it perfectly, the same seed writes byte-identical model files, and
// damaged or foreign model files are refused with a message naming them.
#include <gtest/gtest.h>

#include <fstream>

#include "nlp/analyzer.h"
#include "nlp/parser.h"
#include "nlp/tagger.h"
#include "nlp/treebank.h"
#include "tests/test_util.h"

namespace kg::nlp {
namespace {

std::vector<TreebankSentence> Tiny() {
  auto data = LoadTreebanks({testing::SourcePath("tests/fixtures/nlp/tiny_train.conllu")}, true);
  EXPECT_TRUE(data.ok()) << data.status().ToString();
  return data.ok() ? *data : std::vector<TreebankSentence>{};
}

TaggerTrainOptions TinyTaggerOptions() {
  TaggerTrainOptions o;
  o.epochs = 12;
  o.min_tag_count = 1;
  return o;
}

ParserTrainOptions TinyParserOptions() {
  ParserTrainOptions o;
  o.epochs = 25;
  return o;
}

// Models trained once for the whole suite.
struct TinyModels {
  std::unique_ptr<Tagger> tagger;
  std::unique_ptr<Parser> parser;
};
const TinyModels& Models() {
  static const TinyModels models = [] {
    TinyModels m;
    auto tagger = Tagger::Train(Tiny(), {}, TinyTaggerOptions(), nullptr);
    EXPECT_TRUE(tagger.ok()) << tagger.status().ToString();
    if (tagger.ok()) m.tagger = std::move(*tagger);
    auto parser = Parser::Train(Tiny(), {}, TinyParserOptions(), nullptr);
    EXPECT_TRUE(parser.ok()) << parser.status().ToString();
    if (parser.ok()) m.parser = std::move(*parser);
    return m;
  }();
  return models;
}

TEST(TrainingTest, TaggerLearnsTheTinyTreebank) {
  const Tagger* tagger = Models().tagger.get();
  ASSERT_NE(tagger, nullptr);
  auto scratch = NewTaggerScratch();
  int words = 0;
  for (const TreebankSentence& s : Tiny()) {
    std::vector<std::string_view> forms(s.forms.begin(), s.forms.end());
    std::vector<uint16_t> tags(forms.size());
    tagger->Tag(forms, tags, scratch.get());
    for (size_t i = 0; i < forms.size(); ++i, ++words) {
      EXPECT_EQ(UposName(tagger->upos(tags[i])), s.upos[i]) << s.forms[i];
      EXPECT_EQ(tagger->xpos(tags[i]), s.xpos[i]) << s.forms[i];
    }
  }
  EXPECT_GT(words, 300);
}

TEST(TrainingTest, ParserLearnsTheTinyTreebank) {
  const Parser* parser = Models().parser.get();
  ASSERT_NE(parser, nullptr);
  auto scratch = NewParserScratch();
  for (const TreebankSentence& s : Tiny()) {
    std::vector<ParserWord> words;
    for (size_t i = 0; i < s.forms.size(); ++i) {
      Upos u;
      ASSERT_TRUE(UposFromName(s.upos[i], &u));
      words.push_back({s.forms[i], u, s.xpos[i]});
    }
    std::vector<int> heads(words.size());
    std::vector<uint16_t> labels(words.size());
    parser->Parse(words, heads, labels, scratch.get());
    std::string sentence;
    for (const auto& f : s.forms) sentence += f + " ";
    for (size_t i = 0; i < words.size(); ++i) {
      EXPECT_EQ(heads[i], s.heads[i]) << sentence << "word " << i + 1;
      EXPECT_EQ(parser->label_name(labels[i]), s.deprels[i]) << sentence << "word " << i + 1;
    }
  }
}

TEST(TrainingTest, SameSeedWritesIdenticalModelFiles) {
  testing::TempDir dir;
  for (int run = 0; run < 2; ++run) {
    auto tagger = Tagger::Train(Tiny(), {}, TinyTaggerOptions(), nullptr);
    ASSERT_TRUE(tagger.ok());
    ASSERT_TRUE((*tagger)->Save(dir.Sub("tagger" + std::to_string(run))).ok());
    ParserTrainOptions o = TinyParserOptions();
    o.epochs = 5;
    auto parser = Parser::Train(Tiny(), {}, o, nullptr);
    ASSERT_TRUE(parser.ok());
    ASSERT_TRUE((*parser)->Save(dir.Sub("parser" + std::to_string(run))).ok());
  }
  EXPECT_EQ(testing::ReadFile(dir.Sub("tagger0")), testing::ReadFile(dir.Sub("tagger1")));
  EXPECT_EQ(testing::ReadFile(dir.Sub("parser0")), testing::ReadFile(dir.Sub("parser1")));
  // Saved models load back and tag/parse like the originals.
  auto analyzer = Analyzer::Load(dir.Sub("tagger0"), dir.Sub("parser0"));
  ASSERT_TRUE(analyzer.ok()) << analyzer.status().ToString();
  EXPECT_EQ((*analyzer)->tagger().num_tags(), Models().tagger->num_tags());
}

// Writes `bytes` to a file and returns the error of loading it as `kind`.
std::string LoadError(const testing::TempDir& dir, const std::string& bytes, bool as_parser) {
  const std::string path = dir.Sub("model.kgm");
  testing::WriteFile(path, bytes);
  Status s = as_parser ? Parser::Load(path).status() : Tagger::Load(path).status();
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find(path), std::string::npos) << s.message();
  return s.message();
}

TEST(TrainingTest, DamagedOrForeignModelFilesAreRefusedClearly) {
  testing::TempDir dir;
  ASSERT_TRUE(Models().tagger->Save(dir.Sub("tagger.kgm")).ok());
  ASSERT_TRUE(Models().parser->Save(dir.Sub("parser.kgm")).ok());
  const std::string tagger = testing::ReadFile(dir.Sub("tagger.kgm"));
  const std::string parser = testing::ReadFile(dir.Sub("parser.kgm"));
  ASSERT_GT(tagger.size(), 100u);

  EXPECT_NE(LoadError(dir, "", false).find("bad magic number"), std::string::npos);
  EXPECT_NE(LoadError(dir, "hello world, not a model", false).find("bad magic number"),
            std::string::npos);
  std::string other_version = tagger;
  other_version[8] = 99;
  EXPECT_NE(LoadError(dir, other_version, false).find("model format version 99"),
            std::string::npos);
  EXPECT_NE(LoadError(dir, parser, false).find("is a parser model, expected a tagger model"),
            std::string::npos);
  std::string other_features = tagger;
  other_features[16] ^= 1;
  EXPECT_NE(LoadError(dir, other_features, false).find("another feature set"), std::string::npos);
  for (size_t cut : {size_t{12}, size_t{40}, tagger.size() / 2, tagger.size() - 1}) {
    const std::string message = LoadError(dir, tagger.substr(0, cut), false);
    EXPECT_TRUE(message.find("truncated") != std::string::npos) << cut << ": " << message;
  }
  std::string flipped = parser;
  flipped[parser.size() / 2] ^= 0x40;
  EXPECT_NE(LoadError(dir, flipped, true).find("checksum mismatch"), std::string::npos);
  EXPECT_NE(Tagger::Load(dir.Sub("missing.kgm")).status().message().find("cannot open"),
            std::string::npos);
}

TEST(TrainingTest, BadInputStillGivesOneTree) {
  const TinyModels& m = Models();
  ASSERT_NE(m.parser, nullptr);
  auto tag_scratch = NewTaggerScratch();
  auto parse_scratch = NewParserScratch();
  auto check = [&](const std::vector<std::string>& tokens) {
    std::vector<std::string_view> forms(tokens.begin(), tokens.end());
    std::vector<uint16_t> tags(forms.size());
    m.tagger->Tag(forms, tags, tag_scratch.get());
    std::vector<ParserWord> words;
    for (size_t i = 0; i < forms.size(); ++i) {
      words.push_back({forms[i], m.tagger->upos(tags[i]), m.tagger->xpos(tags[i])});
    }
    std::vector<int> heads(words.size(), -1);
    std::vector<uint16_t> labels(words.size());
    m.parser->Parse(words, heads, labels, parse_scratch.get());
    int roots = 0;
    const int n = static_cast<int>(words.size());
    for (int i = 0; i < n; ++i) {
      ASSERT_GE(heads[i], 0);
      ASSERT_LE(heads[i], n);
      ASSERT_NE(heads[i], i + 1);
      roots += heads[i] == 0;
      int h = heads[i], steps = 0;
      while (h != 0 && steps++ <= n) h = heads[h - 1];
      ASSERT_EQ(h, 0) << "cycle through word " << i + 1;
    }
    if (n > 0) {
      EXPECT_EQ(roots, 1);
    }
  };
  check({});
  check({"Hello"});
  check({"@@@", "\x01\x02", "\xF0\x9F\x98\x80", std::string(5000, 'x'), "--", "", "1,000"});
  std::vector<std::string> long_sentence;
  for (int i = 0; i < 1000; ++i) long_sentence.push_back(i % 3 ? "rebels" : "attacked");
  check(long_sentence);
}

}  // namespace
}  // namespace kg::nlp
