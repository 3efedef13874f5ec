// Pipeline behaviour beyond the golden sentences: bad input, caps,
// deduplication, provenance spans, unknown verbs and open triples.
#include "ingest/pipeline.h"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "graph/date.h"
#include "ingest/extraction_json.h"

namespace kg {
namespace {

class PipelineTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    PipelineOptions options;
    options.open_triples = true;
    auto p = Pipeline::Create(options);
    ASSERT_TRUE(p.ok()) << p.status().ToString();
    pipeline_ = std::move(p).value().release();
  }
  static void TearDownTestSuite() { delete pipeline_; }

  Extraction Run(const std::string& text, Date date = kUnknownDate) {
    Article a;
    a.id = "t";
    a.text = text;
    a.date = date;
    Extraction x;
    Status s = pipeline_->Process(a, &x);
    EXPECT_TRUE(s.ok()) << s.ToString();
    return x;
  }
  static Pipeline* pipeline_;
};
Pipeline* PipelineTest::pipeline_ = nullptr;

TEST_F(PipelineTest, SeedStyleSentenceWithSpanInCodePoints) {
  std::string text =
      "US Secretary of State John Kerry has criticized Russia for supporting Syria’s army.";
  Extraction x = Run(text, *ParseIsoDate("2016-10-04"));
  ASSERT_FALSE(x.events.empty());
  const Event& e = x.events.front();
  EXPECT_EQ(e.source.name, "John Kerry");
  EXPECT_EQ(e.source.code, "USAGOV");
  EXPECT_EQ(e.relation, "criticize");
  EXPECT_EQ(e.cameo, "111");
  EXPECT_EQ(e.target.code, "RUS");
  EXPECT_EQ(e.mentions.front().begin, 0u);
  EXPECT_EQ(e.mentions.front().end, 54u);  // "...criticized Russia"
}

TEST_F(PipelineTest, CoreferenceAcrossSentencesAndAttribution) {
  Extraction x = Run(
      "US State Department spokesman John Kirby said Monday that Washington was suspending talks "
      "with Moscow. He also accused Russia of bombing hospitals.",
      *ParseIsoDate("2016-10-03"));
  bool kirby_accuses = false, suspension_attributed = false;
  for (const Event& e : x.events) {
    if (e.source.name == "John Kirby" && e.relation == "accuse" && e.target.code == "RUS") {
      kirby_accuses = true;
      EXPECT_EQ(e.source.text, "He");
    }
    if (e.cameo.rfind("16", 0) == 0 &&
        e.attributed_to == std::optional<std::string>("John Kirby")) {
      suspension_attributed = true;
    }
  }
  EXPECT_TRUE(kirby_accuses) << ExtractionToJson(x);
  EXPECT_TRUE(suspension_attributed) << ExtractionToJson(x);
  ASSERT_FALSE(x.attributions.empty());
  EXPECT_EQ(x.attributions.front().cue, "say");
  EXPECT_EQ(x.attributions.front().speaker.name, "John Kirby");
}

TEST_F(PipelineTest, NegationScopeAndModality) {
  Extraction neg =
      Run("Peskov said the suspension did not mean Russia will renounce its support for Syria.");
  for (const Event& e : neg.events) EXPECT_TRUE(e.negated) << ExtractionToJson(neg);
  Extraction modal = Run("Iran may attack Israel within days.");
  ASSERT_FALSE(modal.events.empty());
  EXPECT_EQ(modal.events.front().modality, "may");
}

TEST_F(PipelineTest, SameEventTwiceIsOneEventWithTwoMentions) {
  Extraction x =
      Run("Russia accused Turkey of shelling Aleppo.\nLater, Russia accused Turkey again.");
  // (Russia accuse Turkey) twice, plus (Turkey shell Aleppo) from the gerund.
  ASSERT_EQ(x.events.size(), 2u) << ExtractionToJson(x);
  const Event& accuse = x.events.front();
  EXPECT_EQ(accuse.relation, "accuse");
  ASSERT_EQ(accuse.mentions.size(), 2u);
  EXPECT_EQ(accuse.mentions[1].sentence, 1u);
  EXPECT_EQ(x.events[1].source.name, "Turkey");
  EXPECT_EQ(x.events[1].target.name, "Aleppo");
}

TEST_F(PipelineTest, UnknownVerbsAreKeptUncodedAndCounted) {
  Extraction x = Run("Russia outmaneuvered Turkey in the negotiations.");
  ASSERT_EQ(x.events.size(), 1u) << ExtractionToJson(x);
  EXPECT_EQ(x.events.front().relation, "outmaneuver");
  EXPECT_EQ(x.events.front().cameo, "");
  EXPECT_EQ(x.stats.unknown_verbs.at("outmaneuver"), 1u);
}

TEST_F(PipelineTest, EmptyAndJunkTextsGiveNoEventsAndCountSkips) {
  EXPECT_TRUE(Run("").events.empty());
  Extraction blank = Run("   \n\n  ");
  EXPECT_TRUE(blank.events.empty());
  Extraction junk = Run("%%%% ### 12345 ,,,, !!!!");
  EXPECT_TRUE(junk.events.empty());
  EXPECT_GT(junk.stats.skipped.count("no letters"), 0u);
  Extraction html =
      Run("<div class=\"x\"><p>Russia &amp; Turkey</p></div><script>var a=1;</script>");
  EXPECT_TRUE(html.events.empty()) << ExtractionToJson(html);
}

TEST_F(PipelineTest, HugeSentenceIsSkippedInBoundedTime) {
  std::string text;
  for (int i = 0; i < 100000; ++i) text += "Russia accuses Turkey ";
  auto start = std::chrono::steady_clock::now();
  Extraction x = Run(text);
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_GT(x.stats.skipped.count("sentence too long"), 0u);
  EXPECT_TRUE(x.events.empty());
  // Not a speed target: a generous bound that only a runaway loop exceeds.
  EXPECT_LT(secs, 20.0);
}

TEST_F(PipelineTest, InvalidUtf8AndOversizedArticlesAreRejected) {
  Article a;
  a.id = "bad";
  a.text = "Russia \xC3\x28 Turkey";
  Extraction x;
  Status s = pipeline_->Process(a, &x);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("UTF-8"), std::string::npos);
  a.text = std::string((8u << 20) + 1, 'a');
  EXPECT_EQ(pipeline_->Process(a, &x).code(), StatusCode::kResourceExhausted);
}

TEST_F(PipelineTest, BinaryJunkNeverCrashes) {
  std::string junk;
  uint32_t state = 12345;
  for (int i = 0; i < 20000; ++i) {
    state = state * 1103515245u + 12345u;
    char c = static_cast<char>((state >> 16) & 0x7F);  // ASCII: valid UTF-8, any control bytes.
    junk.push_back(c);
  }
  Extraction x = Run(junk);
  SUCCEED() << x.events.size();
}

TEST_F(PipelineTest, OpenTriplesCoverNonActorPhrases) {
  Extraction x = Run("The central bank raised interest rates on Tuesday.");
  ASSERT_FALSE(x.triples.empty());
  EXPECT_EQ(x.triples.front().subject, "The central bank");
  EXPECT_EQ(x.triples.front().relation, "raised");
  EXPECT_EQ(x.triples.front().object, "interest rates on Tuesday");
}

TEST_F(PipelineTest, ProcessIsDeterministicAcrossThreads) {
  const std::string text =
      "Russia accused Turkey of shelling Aleppo. He said the United States backed the rebels.";
  Extraction reference = Run(text);
  std::vector<std::string> outputs(8);
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      Article a;
      a.id = "t";
      a.text = text;
      Extraction x;
      if (pipeline_->Process(a, &x).ok()) outputs[t] = ExtractionToJson(x);
    });
  }
  for (auto& th : threads) th.join();
  for (const auto& out : outputs) EXPECT_EQ(out, ExtractionToJson(reference));
}

}  // namespace
}  // namespace kg
