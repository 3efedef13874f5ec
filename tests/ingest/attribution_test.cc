// Attribution cues (the Attribution records of an Extraction): which words
// are cues, where their spans sit and who the speaker is. Sentences written
// for these tests by the kg team.
#include <gtest/gtest.h>

#include <string>

#include "ingest/extraction_json.h"
#include "ingest/pipeline.h"

namespace kg {
namespace {

class AttributionTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto p = Pipeline::Create(PipelineOptions{});
    ASSERT_TRUE(p.ok()) << p.status().ToString();
    pipeline_ = std::move(p).value().release();
  }
  static void TearDownTestSuite() { delete pipeline_; }

  Extraction Run(const std::string& text) {
    Article a;
    a.id = "t";
    a.text = text;
    Extraction x;
    Status s = pipeline_->Process(a, &x);
    EXPECT_TRUE(s.ok()) << s.ToString();
    return x;
  }

  // The attribution whose cue span covers the first occurrence of `cue` in
  // `text` (ASCII text, so code points are bytes), or nullptr.
  static const Attribution* CueAt(const Extraction& x, const std::string& text,
                                  const std::string& cue) {
    size_t at = text.find(cue);
    if (at == std::string::npos) return nullptr;
    for (const Attribution& a : x.attributions) {
      if (a.cue_begin < at + cue.size() && at < a.cue_end) return &a;
    }
    return nullptr;
  }

  static std::string SpeakerText(const std::string& text, const Attribution& a) {
    return text.substr(a.speaker_begin, a.speaker_end - a.speaker_begin);
  }

  static Pipeline* pipeline_;
};
Pipeline* AttributionTest::pipeline_ = nullptr;

TEST_F(AttributionTest, NegatedSpeechIsACueButNotTheSpeakersClaim) {
  const std::string text =
      "The mayor did not say whether the city would raise taxes. "
      "The union leader never claimed that Russia had shelled the port.";
  Extraction x = Run(text);
  const Attribution* say = CueAt(x, text, "say");
  ASSERT_NE(say, nullptr) << ExtractionToJson(x);
  EXPECT_EQ(SpeakerText(text, *say), "The mayor");
  EXPECT_NE(CueAt(x, text, "claimed"), nullptr) << ExtractionToJson(x);
  for (const Event& e : x.events) EXPECT_FALSE(e.attributed_to.has_value()) << e.relation;
}

TEST_F(AttributionTest, CuesNestedInQuotationsOrReportedSpeechAreNotListed) {
  const std::string text =
      "Do you think the talks will fail? "
      "\"People know what we stand for, and they believe us,\" the senator said. "
      "The senator said voters want lower taxes.";
  Extraction x = Run(text);
  // A question is an attribution (its content is not claimed).
  EXPECT_NE(CueAt(x, text, "think"), nullptr) << ExtractionToJson(x);
  EXPECT_EQ(CueAt(x, text, "know"), nullptr) << ExtractionToJson(x);
  EXPECT_EQ(CueAt(x, text, "believe"), nullptr) << ExtractionToJson(x);
  const Attribution* said = CueAt(x, text, "said");
  ASSERT_NE(said, nullptr) << ExtractionToJson(x);
  EXPECT_EQ(SpeakerText(text, *said), "the senator");
  EXPECT_EQ(CueAt(x, text, "want"), nullptr) << ExtractionToJson(x);
}

TEST_F(AttributionTest, CoordinatedAndAgentlessPassiveStances) {
  const std::string text =
      "The governor visited the port and praised the dock workers. "
      "Two marches are planned for Sunday.";
  Extraction x = Run(text);
  const Attribution* praised = CueAt(x, text, "praised");
  ASSERT_NE(praised, nullptr) << ExtractionToJson(x);
  EXPECT_EQ(SpeakerText(text, *praised), "The governor");
  EXPECT_NE(CueAt(x, text, "planned"), nullptr) << ExtractionToJson(x);
}

TEST_F(AttributionTest, StanceVerbsNeedASubjectAndDoNotClaimTheirContent) {
  const std::string text =
      "Most farmers prefer the old subsidy scheme. "
      "The teachers' union, which endorsed the governor last spring, says it plans to march. "
      "Voting begins at noon. "
      "The minister joked that Russia had attacked Ukraine with paperwork.";
  Extraction x = Run(text);
  const Attribution* prefer = CueAt(x, text, "prefer");
  ASSERT_NE(prefer, nullptr) << ExtractionToJson(x);
  EXPECT_EQ(SpeakerText(text, *prefer), "farmers");
  const Attribution* endorsed = CueAt(x, text, "endorsed");
  ASSERT_NE(endorsed, nullptr) << ExtractionToJson(x);
  EXPECT_EQ(SpeakerText(text, *endorsed), "which");
  EXPECT_NE(CueAt(x, text, "plans"), nullptr) << ExtractionToJson(x);
  EXPECT_EQ(CueAt(x, text, "Voting"), nullptr) << ExtractionToJson(x);
  const Attribution* joked = CueAt(x, text, "joked");
  ASSERT_NE(joked, nullptr) << ExtractionToJson(x);
  EXPECT_EQ(SpeakerText(text, *joked), "The minister");
}

TEST_F(AttributionTest, NounCuesNeedAComplement) {
  const std::string text =
      "The mayor's claim that the bridge was safe angered residents. "
      "Criticism of the budget grew on Monday. "
      "The statement was short.";
  Extraction x = Run(text);
  const Attribution* claim = CueAt(x, text, "claim");
  ASSERT_NE(claim, nullptr) << ExtractionToJson(x);
  EXPECT_EQ(SpeakerText(text, *claim), "The mayor");
  EXPECT_NE(CueAt(x, text, "Criticism"), nullptr) << ExtractionToJson(x);
  EXPECT_EQ(CueAt(x, text, "statement"), nullptr) << ExtractionToJson(x);
}

TEST_F(AttributionTest, QuoteFramesCopulaStancesAndLightVerbs) {
  const std::string text =
      "\"We will rebuild the harbor,\" the governor continued. "
      "Fishermen are deeply skeptical of the promise. "
      "The auditor raised concerns about the contract.";
  Extraction x = Run(text);
  const Attribution* continued = CueAt(x, text, "continued");
  ASSERT_NE(continued, nullptr) << ExtractionToJson(x);
  EXPECT_EQ(SpeakerText(text, *continued), "the governor");
  const Attribution* skeptical = CueAt(x, text, "skeptical");
  ASSERT_NE(skeptical, nullptr) << ExtractionToJson(x);
  EXPECT_EQ(SpeakerText(text, *skeptical), "Fishermen");
  EXPECT_NE(CueAt(x, text, "raised"), nullptr) << ExtractionToJson(x);
}

TEST_F(AttributionTest, PrepositionAndAdverbCues) {
  const std::string text =
      "In a regional poll, the mayor leads by nine points. "
      "The minister reportedly resigned. "
      "To the farmers, the tariff is a lifeline. "
      "Local pollster Ann Reyes: \"Nobody expected this.\"";
  Extraction x = Run(text);
  const Attribution* in = CueAt(x, text, "In");
  ASSERT_NE(in, nullptr) << ExtractionToJson(x);
  EXPECT_EQ(SpeakerText(text, *in), "a regional poll");
  EXPECT_NE(CueAt(x, text, "reportedly"), nullptr) << ExtractionToJson(x);
  const Attribution* to = CueAt(x, text, "To");
  ASSERT_NE(to, nullptr) << ExtractionToJson(x);
  EXPECT_EQ(SpeakerText(text, *to), "the farmers");
  EXPECT_NE(CueAt(x, text, ":"), nullptr) << ExtractionToJson(x);
}

TEST_F(AttributionTest, PassiveAgentsAndInfinitiveControllersSpeak) {
  const std::string text =
      "The ceasefire plan was endorsed by Turkey. "
      "The council voted to support the mayor.";
  Extraction x = Run(text);
  const Attribution* endorsed = CueAt(x, text, "endorsed");
  ASSERT_NE(endorsed, nullptr) << ExtractionToJson(x);
  EXPECT_EQ(SpeakerText(text, *endorsed), "Turkey");
  const Attribution* support = CueAt(x, text, "support");
  ASSERT_NE(support, nullptr) << ExtractionToJson(x);
  EXPECT_EQ(SpeakerText(text, *support), "The council");
}

TEST_F(AttributionTest, CognitionEmotionVerbsAndAgentNouns) {
  const std::string text =
      "The coach likened the defeat to a storm. "
      "Critics of the merger held a rally.";
  Extraction x = Run(text);
  const Attribution* likened = CueAt(x, text, "likened");
  ASSERT_NE(likened, nullptr) << ExtractionToJson(x);
  EXPECT_EQ(SpeakerText(text, *likened), "The coach");
  EXPECT_NE(CueAt(x, text, "Critics"), nullptr) << ExtractionToJson(x);
}

TEST_F(AttributionTest, WordNetStanceVerbsAreCues) {
  // "scorn" and "gripe" come from data/stance_verbs.tsv (WordNet classes).
  const std::string text = "The mayor scorned the plan. Residents griped about the noise.";
  Extraction x = Run(text);
  const Attribution* scorned = CueAt(x, text, "scorned");
  ASSERT_NE(scorned, nullptr) << ExtractionToJson(x);
  EXPECT_EQ(SpeakerText(text, *scorned), "The mayor");
  EXPECT_NE(CueAt(x, text, "griped"), nullptr) << ExtractionToJson(x);
}

}  // namespace
}  // namespace kg
