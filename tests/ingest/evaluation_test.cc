#include "ingest/evaluation.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "ingest/extraction_json.h"
#include "rapidjson/document.h"
#include "rapidjson/stringbuffer.h"
#include "rapidjson/writer.h"
#include "tests/test_util.h"

namespace kg {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

std::string Fixture(const std::string& name) {
  return kg::testing::SourcePath("tests/fixtures/eval/" + name);
}

EvalOptions FixtureOptions(const std::string& gold, const std::string& pred) {
  EvalOptions o;
  o.gold_path = Fixture(gold);
  o.pred_path = Fixture(pred);
  return o;
}

// --- Seed ------------------------------------------------------------------

TEST(EvaluationTest, SeedFixtureAllLevels) {
  auto r = RunEvaluation(FixtureOptions("seed_gold.jsonl", "seed_pred.jsonl"));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->format, GoldFormat::kSeed);
  EXPECT_EQ(r->documents, 2u);
  EXPECT_EQ(r->gold, 6u);
  EXPECT_EQ(r->predicted, 6u);  // The negated event is not counted.
  EXPECT_EQ(r->matched, 4u);
  EXPECT_NEAR(r->precision, 4.0 / 6, 1e-9);
  EXPECT_NEAR(r->recall, 4.0 / 6, 1e-9);
  EXPECT_NEAR(r->f1, 4.0 / 6, 1e-9);
  EXPECT_EQ(r->must_gold, 4u);
  EXPECT_EQ(r->must_matched, 3u);
  EXPECT_NEAR(r->must_recall, 0.75, 1e-9);
  EXPECT_EQ(r->negated_skipped, 1u);
  EXPECT_EQ(r->unused_pred_records, 1u);
  EXPECT_EQ(r->documents_without_pred, 0u);
  // Misses and false alarms are listed with their quotes.
  EXPECT_THAT(r->text, HasSubstr("must recall: 3/4 = 0.750"));
  EXPECT_THAT(r->text,
              HasSubstr("Turkey [TUR] -accuse/112-> Russia [RUS]  \"Ankara accused Moscow\""));
  EXPECT_THAT(r->text, HasSubstr("Houthi rebels"));
  EXPECT_THAT(r->text, HasSubstr("Russia [RUS] -accuse/112-> Turkey [TUR] {by: Sergei Lavrov}"));
  EXPECT_THAT(r->text, HasSubstr("\"Russia accused Turkey of lying, Lavrov said.\""));
  EXPECT_THAT(r->text, HasSubstr("shell/194"));
}

TEST(EvaluationTest, SeedFixtureMustOnly) {
  EvalOptions o = FixtureOptions("seed_gold.jsonl", "seed_pred.jsonl");
  o.must_only = true;
  auto r = RunEvaluation(o);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->gold, 4u);
  EXPECT_EQ(r->matched, 3u);
  // The aid event matches only a "may" triple: neither right nor wrong.
  EXPECT_EQ(r->predicted, 5u);
  EXPECT_NEAR(r->precision, 0.6, 1e-9);
  EXPECT_NEAR(r->recall, 0.75, 1e-9);
  EXPECT_THAT(r->text, Not(HasSubstr("Houthi rebels")));
  EXPECT_THAT(r->text, Not(HasSubstr("provide aid")));
}

TEST(EvaluationTest, ErrorListingCanBeCappedOrDisabled) {
  EvalOptions o = FixtureOptions("seed_gold.jsonl", "seed_pred.jsonl");
  o.max_listed = 1;
  auto r = RunEvaluation(o);
  ASSERT_TRUE(r.ok());
  EXPECT_THAT(r->text, HasSubstr("... and 1 more"));
  o.list_errors = false;
  r = RunEvaluation(o);
  ASSERT_TRUE(r.ok());
  EXPECT_THAT(r->text, Not(HasSubstr("False alarms")));
  EXPECT_EQ(r->matched, 4u);
}

TEST(EvaluationTest, SeedMatchingIsOneToOneAndUsesCountryParts) {
  const std::string gold =
      R"({"id":"d","triples":[)"
      R"({"source":{"name":"A","code":"USAGOV"},"relation":"r","cameo":"111","target":{"name":"B","code":"RUS"},"level":"must"},)"
      R"({"source":{"name":"A","code":"USA"},"relation":"r","cameo":"112","target":{"name":"B","code":"RUSMIL"},"level":"may"},)"
      R"({"source":{"name":"U","code":"IGOUNO"},"relation":"r","cameo":"04","target":{"name":"B","code":"RUS"},"level":"may"}]})";
  // One USA->RUS 11x prediction matches only one of the two gold triples;
  // an IGOUNOKID source does not match IGOUNO (full IGO codes compared).
  const std::string pred =
      R"({"id":"d","events":[)"
      R"({"source":{"name":"x","code":"USAMIL"},"relation":"r","cameo":"112","target":{"name":"y","code":"RUSGOV"}},)"
      R"({"source":{"name":"u","code":"IGOUNOKID"},"relation":"r","cameo":"043","target":{"name":"y","code":"RUS"}},)"
      R"({"source":{"name":"u","code":"IGOUNO"},"relation":"r","cameo":"","target":{"name":"y","code":"RUS"}}]})";
  auto r = EvaluateJsonLines(gold + "\n", pred + "\n", EvalOptions{});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->gold, 3u);
  EXPECT_EQ(r->predicted, 3u);
  EXPECT_EQ(r->matched, 1u);
  EXPECT_EQ(r->must_matched, 1u);  // The must triple gets the prediction.
}

// The real seed gold, scored against predictions made from itself.
TEST(EvaluationTest, SharedSeedGoldAgainstItself) {
  std::string path = kg::testing::SharedPath("eval/seed/gold.jsonl");
  if (path.empty()) GTEST_SKIP() << "shared seed gold not present";
  std::string gold = kg::testing::ReadFile(path);
  rapidjson::Document doc;
  doc.Parse(gold.c_str());
  ASSERT_FALSE(doc.HasParseError());
  rapidjson::Document pred(rapidjson::kObjectType);
  auto& alloc = pred.GetAllocator();
  pred.AddMember("id", rapidjson::Value(doc["id"], alloc), alloc);
  rapidjson::Value events(rapidjson::kArrayType);
  for (const auto& t : doc["triples"].GetArray()) {
    rapidjson::Value e(rapidjson::kObjectType);
    e.AddMember("source", rapidjson::Value(t["source"], alloc), alloc);
    e.AddMember("target", rapidjson::Value(t["target"], alloc), alloc);
    e.AddMember("relation", rapidjson::Value(t["relation"], alloc), alloc);
    e.AddMember("cameo", rapidjson::Value(t["cameo"], alloc), alloc);
    events.PushBack(e, alloc);
  }
  pred.AddMember("events", events, alloc);
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buf);
  pred.Accept(writer);
  auto r = EvaluateJsonLines(gold, std::string(buf.GetString()) + "\n", EvalOptions{});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->format, GoldFormat::kSeed);
  EXPECT_EQ(r->gold, r->matched);
  EXPECT_EQ(r->predicted, r->matched);
  EXPECT_EQ(r->must_gold, 12u);
  EXPECT_EQ(r->must_matched, 12u);
}

// --- CaRB ------------------------------------------------------------------

TEST(EvaluationTest, CarbFixture) {
  auto r = RunEvaluation(FixtureOptions("carb_gold.jsonl", "carb_pred.jsonl"));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->format, GoldFormat::kCarb);
  EXPECT_EQ(r->documents, 3u);
  EXPECT_EQ(r->documents_without_pred, 1u);
  EXPECT_EQ(r->gold, 6u);
  EXPECT_EQ(r->predicted, 4u);
  EXPECT_EQ(r->matched, 3u);
  EXPECT_NEAR(r->precision, 0.75, 1e-9);
  EXPECT_NEAR(r->recall, 0.5, 1e-9);
  EXPECT_NEAR(r->f1, 0.6, 1e-9);
  // Verb tuples: "is" and "is in" are left out; the prediction that matches
  // the "is" tuple is ignored.
  EXPECT_EQ(r->carb_verb.gold, 4u);
  EXPECT_EQ(r->carb_verb.predicted, 3u);
  EXPECT_EQ(r->carb_verb.matched, 2u);
  EXPECT_NEAR(r->carb_verb.precision, 2.0 / 3, 1e-9);
  EXPECT_NEAR(r->carb_verb.recall, 0.5, 1e-9);
  EXPECT_NEAR(r->carb_verb.f1, 4.0 / 7, 1e-9);
  EXPECT_THAT(r->text, HasSubstr("(Officials ; tell ; the minister)"));
  EXPECT_THAT(r->text, HasSubstr("(The bridge ; is in ; the north)  [non-verb]"));
}

TEST(EvaluationTest, VerbLikeRelations) {
  EXPECT_TRUE(IsVerbLikeRelation("captured"));
  EXPECT_TRUE(IsVerbLikeRelation("were held"));
  EXPECT_TRUE(IsVerbLikeRelation("was thoroughly renovated"));
  EXPECT_TRUE(IsVerbLikeRelation("has executed"));
  EXPECT_TRUE(IsVerbLikeRelation("can be applied to"));
  EXPECT_TRUE(IsVerbLikeRelation("usually consisted of"));
  EXPECT_TRUE(IsVerbLikeRelation("says that"));
  EXPECT_FALSE(IsVerbLikeRelation("is"));
  EXPECT_FALSE(IsVerbLikeRelation("has a"));
  EXPECT_FALSE(IsVerbLikeRelation("is in"));
  EXPECT_FALSE(IsVerbLikeRelation("are such as"));
  EXPECT_FALSE(IsVerbLikeRelation("will be"));
  EXPECT_FALSE(IsVerbLikeRelation("in charge of"));
  EXPECT_FALSE(IsVerbLikeRelation(""));
}

TEST(EvaluationTest, TokenOverlapIsLenient) {
  EXPECT_DOUBLE_EQ(TokenOverlap("The army", "army"), 1.0);
  EXPECT_DOUBLE_EQ(TokenOverlap("Russia", "Russia for supporting Assad"), 1.0);
  EXPECT_DOUBLE_EQ(TokenOverlap("Coca-Cola", "Coca - Cola"), 1.0);
  EXPECT_DOUBLE_EQ(TokenOverlap("Turkey", "Russia"), 0.0);
  EXPECT_DOUBLE_EQ(TokenOverlap("the", ""), 0.0);
  EXPECT_DOUBLE_EQ(TokenOverlap("", ""), 1.0);
  EXPECT_DOUBLE_EQ(TokenOverlap("red green blue white", "red green yellow black"), 0.5);
}

TEST(EvaluationTest, SharedCarbDevParsesWithEmptyPredictions) {
  std::string path = kg::testing::SharedPath("dev/carb/carb_dev.jsonl");
  if (path.empty()) GTEST_SKIP() << "shared CaRB dev not present";
  auto r = EvaluateJsonLines(kg::testing::ReadFile(path), "", EvalOptions{});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->format, GoldFormat::kCarb);
  EXPECT_EQ(r->documents, 576u);
  EXPECT_EQ(r->gold, 2331u);
  EXPECT_EQ(r->matched, 0u);
  EXPECT_GT(r->carb_verb.gold, 1000u);
  EXPECT_LT(r->carb_verb.gold, 2331u);
}

// --- PolNeAR ---------------------------------------------------------------

TEST(EvaluationTest, PolnearFixtureWithPrefixedIdAndStrippedText) {
  auto r = RunEvaluation(FixtureOptions("polnear_gold.jsonl", "polnear_pred.jsonl"));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->format, GoldFormat::kPolnear);
  EXPECT_EQ(r->documents_without_pred, 0u);
  EXPECT_EQ(r->gold_cues, 4u);  // The triple without a cue is skipped.
  EXPECT_EQ(r->predicted_cues, 4u);
  EXPECT_EQ(r->gold_sources, 3u);  // The no-source triple is skipped.
  EXPECT_EQ(r->gold_contents, 4u);
  EXPECT_NEAR(r->cue_recall, 0.75, 1e-9);
  EXPECT_NEAR(r->cue_precision, 0.75, 1e-9);
  EXPECT_NEAR(r->source_recall, 1.0 / 3, 1e-9);
  EXPECT_NEAR(r->content_recall, 0.75, 1e-9);
  EXPECT_EQ(r->gold, 4u);
  EXPECT_EQ(r->predicted, 4u);
  EXPECT_EQ(r->matched, 3u);
  EXPECT_NEAR(r->f1, 0.75, 1e-9);
  EXPECT_THAT(r->text, HasSubstr("cue \"warned\" source \"Critics\""));
  EXPECT_THAT(r->text, HasSubstr("[[warned]]"));
  EXPECT_THAT(r->text, HasSubstr("the plan [[could]] fail"));
}

TEST(EvaluationTest, PolnearExactIdIsNotShifted) {
  std::string gold = kg::testing::ReadFile(Fixture("polnear_gold.jsonl"));
  // Spans on the gold text itself (which starts with a newline).
  const std::string pred =
      R"({"id":"fx-1","attributions":[{"cue":"say","cue_span":[14,18],"speaker_span":[1,13],"content_span":[34,52]},)"
      R"({"cue":"warn","cue_span":[154,160],"speaker_span":[146,153],"content_span":[161,180]}]})";
  auto r = EvaluateJsonLines(gold, pred + "\n", EvalOptions{});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->matched, 2u);
  EXPECT_NEAR(r->cue_precision, 1.0, 1e-9);
  EXPECT_NEAR(r->source_recall, 2.0 / 3, 1e-9);
  EXPECT_NEAR(r->content_recall, 0.5, 1e-9);
}

TEST(EvaluationTest, SharedPolnearTrainParsesWithEmptyPredictions) {
  std::string path = kg::testing::SharedPath("dev/polnear/polnear_train.jsonl");
  if (path.empty()) GTEST_SKIP() << "shared PolNeAR train not present";
  auto r = EvaluateJsonLines(kg::testing::ReadFile(path), "", EvalOptions{});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->format, GoldFormat::kPolnear);
  EXPECT_EQ(r->documents, 840u);
  EXPECT_EQ(r->documents_without_pred, 840u);
  EXPECT_EQ(r->gold_cues, 19833u);
  EXPECT_EQ(r->gold_sources, 18360u);
  EXPECT_EQ(r->gold_contents, 19831u);
}

// --- Round trip with the `kg extract` writer ---------------------------------

TEST(EvaluationTest, ReadsExtractionJsonWriterOutput) {
  Extraction x;
  x.id = "fx-a";
  Event e;
  e.source = {"US Secretary of State John Kerry", "John Kerry", "USAGOV"};
  e.target = {"Moscow", "Russia", "RUS"};
  e.relation = "criticize";
  e.cameo = "111";
  e.goldstein = -2.0;
  e.mentions.push_back({0, 0, 33, "Kerry criticized Moscow on Monday."});
  x.events.push_back(e);
  e.relation = "accuse";
  e.cameo = "112";
  e.attributed_to = "Sergei Lavrov";
  x.events.push_back(e);
  Attribution a;
  a.speaker = {"Lavrov", "Sergei Lavrov", "RUSGOV"};
  a.cue = "say";
  a.cue_begin = 3;
  a.cue_end = 7;
  x.attributions.push_back(a);
  std::string pred = ExtractionToJson(x) + "\n";
  auto r =
      EvaluateJsonLines(kg::testing::ReadFile(Fixture("seed_gold.jsonl")), pred, EvalOptions{});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->predicted, 2u);
  EXPECT_EQ(r->matched, 1u);
  EXPECT_THAT(r->text,
              HasSubstr("John Kerry [USAGOV] -accuse/112-> Russia [RUS] {by: Sergei Lavrov}  "
                        "\"Kerry criticized Moscow on Monday.\""));
}

// --- Formats and errors ----------------------------------------------------

TEST(EvaluationTest, DetectsFormats) {
  auto f = DetectGoldFormat(kg::testing::ReadFile(Fixture("seed_gold.jsonl")));
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(*f, GoldFormat::kSeed);
  f = DetectGoldFormat(kg::testing::ReadFile(Fixture("carb_gold.jsonl")));
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(*f, GoldFormat::kCarb);
  f = DetectGoldFormat(kg::testing::ReadFile(Fixture("polnear_gold.jsonl")));
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(*f, GoldFormat::kPolnear);
  // A first record without triples is decided by a later one.
  f = DetectGoldFormat(
      "{\"id\":\"x\",\"text\":\"t\",\"triples\":[]}\n"
      "{\"id\":\"y\",\"text\":\"t\",\"triples\":[{\"subject\":\"a\",\"relation\":\"b\",\"object\":"
      "\"c\"}]}\n");
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(*f, GoldFormat::kCarb);
  f = DetectGoldFormat("\n\n");
  EXPECT_FALSE(f.ok());
}

TEST(EvaluationTest, FormatNames) {
  EXPECT_EQ(GoldFormatName(GoldFormat::kPolnear), "polnear");
  EXPECT_EQ(ParseGoldFormat("CaRB"), GoldFormat::kCarb);
  EXPECT_EQ(ParseGoldFormat("seed"), GoldFormat::kSeed);
  EXPECT_EQ(ParseGoldFormat("auto"), GoldFormat::kAuto);
  EXPECT_FALSE(ParseGoldFormat("conll").has_value());
}

TEST(EvaluationTest, ExplicitFormatOverridesDetection) {
  EvalOptions o = FixtureOptions("seed_gold.jsonl", "seed_pred.jsonl");
  o.format = GoldFormat::kCarb;
  auto r = RunEvaluation(o);
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.status().message(),
              HasSubstr("seed_gold.jsonl:1: gold triple: missing field \"subject\""));
}

TEST(EvaluationTest, MalformedJsonNamesFileAndLine) {
  kg::testing::TempDir dir;
  std::string gold = dir.Sub("gold.jsonl");
  std::string pred = dir.Sub("pred.jsonl");
  kg::testing::WriteFile(gold, kg::testing::ReadFile(Fixture("seed_gold.jsonl")));
  kg::testing::WriteFile(
      pred, "{\"id\": \"fx-a\", \"events\": []}\n\n{\"id\": \"fx-b\", \"events\": [}\n");
  EvalOptions o;
  o.gold_path = gold;
  o.pred_path = pred;
  auto r = RunEvaluation(o);
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.status().IsInvalidArgument());
  EXPECT_THAT(r.status().message(), HasSubstr(pred + ":3: malformed JSON"));
}

TEST(EvaluationTest, MissingFieldsNameFileAndLine) {
  const std::string good_gold = kg::testing::ReadFile(Fixture("seed_gold.jsonl"));
  // Gold triple without "cameo" on line 2.
  std::string bad_gold =
      "{\"id\":\"a\",\"triples\":[]}\n"
      "{\"id\":\"b\",\"triples\":[{\"source\":{\"name\":\"A\",\"code\":\"USA\"},\"target\":{"
      "\"name\":\"B\",\"code\":\"RUS\"}}]}\n";
  auto r = EvaluateJsonLines(bad_gold, "", EvalOptions{}, "g.jsonl", "p.jsonl");
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.status().message(), HasSubstr("g.jsonl:2: gold triple: missing field \"cameo\""));

  // Prediction without an id.
  r = EvaluateJsonLines(good_gold, "{\"events\":[]}\n", EvalOptions{}, "g.jsonl", "p.jsonl");
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.status().message(), HasSubstr("p.jsonl:1: prediction: missing field \"id\""));

  // Event without a target.
  r = EvaluateJsonLines(
      good_gold,
      "{\"id\":\"fx-a\",\"events\":[{\"source\":{\"name\":\"A\"},\"relation\":\"r\"}]}\n",
      EvalOptions{}, "g.jsonl", "p.jsonl");
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.status().message(), HasSubstr("p.jsonl:1: event: missing field \"target\""));

  // Mistyped field.
  r = EvaluateJsonLines(good_gold, "{\"id\":\"fx-a\",\"events\":{}}\n", EvalOptions{}, "g.jsonl",
                        "p.jsonl");
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.status().message(),
              HasSubstr("p.jsonl:1: prediction: field \"events\" must be an array"));

  // Duplicate prediction id.
  r = EvaluateJsonLines(good_gold, "{\"id\":\"x\",\"events\":[]}\n{\"id\":\"x\",\"events\":[]}\n",
                        EvalOptions{}, "g.jsonl", "p.jsonl");
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.status().message(), HasSubstr("p.jsonl:2: duplicate id \"x\" (first at line 1)"));

  // A record that is not an object.
  r = EvaluateJsonLines(good_gold, "[1, 2]\n", EvalOptions{}, "g.jsonl", "p.jsonl");
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.status().message(), HasSubstr("p.jsonl:1: expected a JSON object"));

  // Bad PolNeAR span.
  std::string polnear_gold = kg::testing::ReadFile(Fixture("polnear_gold.jsonl"));
  r = EvaluateJsonLines(polnear_gold, "{\"id\":\"fx-1\",\"attributions\":[{\"cue_span\":[5,2]}]}\n",
                        EvalOptions{}, "g.jsonl", "p.jsonl");
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.status().message(),
              HasSubstr("p.jsonl:1: attribution \"cue_span\": a span must be"));
}

TEST(EvaluationTest, MissingFilesAreIoErrors) {
  EvalOptions o = FixtureOptions("seed_gold.jsonl", "no_such_file.jsonl");
  auto r = RunEvaluation(o);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kIoError);
  EXPECT_THAT(r.status().message(), HasSubstr("no_such_file.jsonl"));
  o.gold_path.clear();
  r = RunEvaluation(o);
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.status().IsInvalidArgument());
}

}  // namespace
}  // namespace kg
