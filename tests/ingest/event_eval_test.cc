// kg eval --format spans|acled against the reference scorer, shared/eval/score.py.
//
// The fixtures (tests/fixtures/eval/{spans,acled}_{gold,pred}.jsonl) are
// invented sentences that exercise each matching rule: sentence windows,
// cross-sentence and symmetric pairs, the pronoun rule, numbers that are not
// content words, non-ASCII case folding, negated and span-less events, ACLED
// roles, countries, distinctive group names and external forces. The expected
// numbers were obtained by running score.py on them; the test also reruns
// score.py when ../shared is present, so the two scorers cannot drift apart.
#include "ingest/event_eval.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "ingest/evaluation.h"
#include "tests/test_util.h"

namespace kg {
namespace {

using ::testing::HasSubstr;

std::string Fixture(const std::string& name) {
  return kg::testing::SourcePath("tests/fixtures/eval/" + name);
}

constexpr char kSpansSummary[] =
    "pairs recall=0.429 (3/7) pred-events=7 docs-with-events=4/5 "
    "[conflict=1/3 contact=2/2 justice=0/1 ?=0/1]";
constexpr char kAcledSummary[] =
    "acled pair recall=0.500 (4/8) pred-events=8 notes-without-event=1/8 "
    "[Remote violence=1/3 Battle=1/2 Riots/Protests=1/2 Violence against civilians=1/1]";

Result<EvalReport> Evaluate(const std::string& gold, const std::string& pred, GoldFormat format) {
  EvalOptions o;
  o.gold_path = Fixture(gold);
  o.pred_path = Fixture(pred);
  o.format = format;
  return RunEvaluation(o);
}

// score.py's last stdout line for KIND on two fixtures; "" (with a skip
// message in *why) when the scorer or python3 is not available.
std::string ScorePySummary(const std::string& kind, const std::string& gold,
                           const std::string& pred, std::string* why) {
  const std::string script = kg::testing::SharedPath("eval/score.py");
  if (script.empty()) {
    *why = "../shared/eval/score.py not present";
    return "";
  }
  if (kg::testing::RunCommand("python3 --version").exit_code != 0) {
    *why = "python3 not available";
    return "";
  }
  using kg::testing::ShellQuote;
  auto r = kg::testing::RunCommand("python3 " + ShellQuote(script) + " " + kind + " " +
                                   ShellQuote(Fixture(gold)) + " " + ShellQuote(Fixture(pred)));
  EXPECT_EQ(r.exit_code, 0) << r.err;
  std::string out = r.out;
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
  return out.substr(out.rfind('\n') == std::string::npos ? 0 : out.rfind('\n') + 1);
}

// --- spans (WikiEvents, RAMS) -------------------------------------------------

TEST(EventEvalTest, SpansFixture) {
  auto r = Evaluate("spans_gold.jsonl", "spans_pred.jsonl", GoldFormat::kSpans);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->format, GoldFormat::kSpans);
  EXPECT_EQ(r->documents, 5u);
  EXPECT_EQ(r->gold, 7u);
  EXPECT_EQ(r->matched, 3u);
  EXPECT_EQ(r->predicted, 7u);  // The negated event and the unknown record are not counted.
  EXPECT_NEAR(r->recall, 3.0 / 7, 1e-12);
  EXPECT_EQ(r->documents_with_events, 4u);
  EXPECT_EQ(r->documents_without_pred, 1u);
  EXPECT_EQ(r->unused_pred_records, 1u);
  ASSERT_EQ(r->families.size(), 4u);
  EXPECT_EQ(r->families[0].name, "conflict");
  EXPECT_EQ(r->families[0].matched, 1u);
  EXPECT_EQ(r->families[0].gold, 3u);
  EXPECT_EQ(r->families[3].name, "?");  // An event without a type.
  EXPECT_THAT(r->text, HasSubstr(std::string(kSpansSummary) + "\n"));
  // Misses are listed with the predictions they could have matched.
  EXPECT_THAT(r->text, HasSubstr("missed pairs (4):"));
  EXPECT_THAT(r->text, HasSubstr("[sp-1] Justice.ArrestJailDetain.Unspecified: \"police\" -> "
                                 "\"suspects\"; no candidate event"));
  EXPECT_THAT(r->text, HasSubstr("[sp-5] ?: \"They\" -> \"villagers\"; 1 candidate(s): "
                                 "They and the army -> the villagers"));
  EXPECT_THAT(r->text, HasSubstr("[sp-4] Conflict.Demonstrate.DemonstrateWithViolence"));
}

TEST(EventEvalTest, SpansAgreesWithScorePy) {
  std::string why;
  std::string reference = ScorePySummary("spans", "spans_gold.jsonl", "spans_pred.jsonl", &why);
  if (reference.empty()) GTEST_SKIP() << why;
  EXPECT_EQ(reference, kSpansSummary);
  auto r = Evaluate("spans_gold.jsonl", "spans_pred.jsonl", GoldFormat::kSpans);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_THAT(r->text, HasSubstr("\n" + reference + "\n"));
}

// --- acled ----------------------------------------------------------------------

TEST(EventEvalTest, AcledFixture) {
  auto r = Evaluate("acled_gold.jsonl", "acled_pred.jsonl", GoldFormat::kAcled);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->format, GoldFormat::kAcled);
  EXPECT_EQ(r->documents, 8u);
  EXPECT_EQ(r->gold, 8u);
  EXPECT_EQ(r->matched, 4u);
  EXPECT_EQ(r->predicted, 8u);
  EXPECT_NEAR(r->recall, 0.5, 1e-12);
  EXPECT_EQ(r->documents_with_events, 7u);  // ac-4 has only a negated event.
  EXPECT_EQ(r->documents_without_pred, 0u);
  EXPECT_EQ(r->unused_pred_records, 1u);
  ASSERT_EQ(r->families.size(), 4u);
  EXPECT_EQ(r->families[0].name, "Remote violence");
  EXPECT_EQ(r->families[1].name, "Battle");  // Ties keep first-seen order.
  EXPECT_THAT(r->text, HasSubstr(std::string(kAcledSummary) + "\n"));
  EXPECT_THAT(r->text, HasSubstr("missed pairs (4):"));
  // The predicted source is Iraqi, the gold actor1 Turkish.
  EXPECT_THAT(r->text, HasSubstr("[ac-3] Remote violence: Military Forces of Turkey (2016-) -> "
                                 "Kurdish Militants; 1 candidate(s): aircraft [IRQMIL] -> "
                                 "positions [IRQREB]"));
  EXPECT_THAT(r->text, HasSubstr("[ac-8] Battle-No change of territory: Military Forces of Yemen "
                                 "(2012-) <-> Tribal Militia (Yemen)"));
}

TEST(EventEvalTest, AcledAgreesWithScorePy) {
  std::string why;
  std::string reference = ScorePySummary("acled", "acled_gold.jsonl", "acled_pred.jsonl", &why);
  if (reference.empty()) GTEST_SKIP() << why;
  EXPECT_EQ(reference, kAcledSummary);
  auto r = Evaluate("acled_gold.jsonl", "acled_pred.jsonl", GoldFormat::kAcled);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_THAT(r->text, HasSubstr("\n" + reference + "\n"));
}

// --- Formats ----------------------------------------------------------------------

TEST(EventEvalTest, FormatNamesAndDetection) {
  EXPECT_EQ(ParseGoldFormat("spans"), GoldFormat::kSpans);
  EXPECT_EQ(ParseGoldFormat("ACLED"), GoldFormat::kAcled);
  EXPECT_EQ(GoldFormatName(GoldFormat::kSpans), "spans");
  EXPECT_EQ(GoldFormatName(GoldFormat::kAcled), "acled");

  auto f = DetectGoldFormat(kg::testing::ReadFile(Fixture("spans_gold.jsonl")));
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  EXPECT_EQ(*f, GoldFormat::kSpans);
  f = DetectGoldFormat(kg::testing::ReadFile(Fixture("acled_gold.jsonl")));
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  EXPECT_EQ(*f, GoldFormat::kAcled);
  // RAMS windows often have no event: a later record decides.
  f = DetectGoldFormat(
      "{\"id\":\"a\",\"text\":\"t\",\"events\":[]}\n"
      "{\"id\":\"b\",\"text\":\"t\",\"events\":[{\"source\":\"x\",\"target\":\"y\","
      "\"sentence_span\":[0,1]}]}\n");
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  EXPECT_EQ(*f, GoldFormat::kSpans);
  // An ACLED note names its country even without an event.
  f = DetectGoldFormat("{\"id\":\"a\",\"text\":\"t\",\"iso3\":\"YEM\",\"events\":[]}\n");
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  EXPECT_EQ(*f, GoldFormat::kAcled);
  // Nothing tells spans from ACLED: the user must say.
  f = DetectGoldFormat("{\"id\":\"a\",\"text\":\"t\",\"events\":[]}\n", "g.jsonl");
  ASSERT_FALSE(f.ok());
  EXPECT_THAT(f.status().message(), HasSubstr("--format spans or --format acled"));

  // Auto detection runs the right scorer.
  auto r = Evaluate("acled_gold.jsonl", "acled_pred.jsonl", GoldFormat::kAuto);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->format, GoldFormat::kAcled);
  EXPECT_EQ(r->matched, 4u);
}

// --- Bad input ------------------------------------------------------------------

Status EvalStrings(const std::string& gold, const std::string& pred, GoldFormat format) {
  EvalOptions o;
  o.format = format;
  auto r = EvaluateJsonLines(gold, pred, o, "g.jsonl", "p.jsonl");
  return r.status();
}

TEST(EventEvalTest, MalformedLinesNameFileAndLine) {
  const std::string gold = kg::testing::ReadFile(Fixture("spans_gold.jsonl"));
  const std::string pred = kg::testing::ReadFile(Fixture("spans_pred.jsonl"));
  Status s = EvalStrings(gold + "{\"id\": \"sp-9\", \"events\": [\n", pred, GoldFormat::kSpans);
  ASSERT_FALSE(s.ok());
  EXPECT_THAT(s.message(), HasSubstr("g.jsonl:6: malformed JSON"));

  s = EvalStrings(gold, "\n" + pred.substr(0, pred.find('\n')) + "\nnot json\n",
                  GoldFormat::kSpans);
  ASSERT_FALSE(s.ok());
  EXPECT_THAT(s.message(), HasSubstr("p.jsonl:3: malformed JSON"));

  // Invalid UTF-8 is malformed, as it is for Python's json.
  s = EvalStrings(gold, "{\"id\": \"sp-1\", \"events\": [], \"x\": \"\xC3\x28\"}\n",
                  GoldFormat::kSpans);
  ASSERT_FALSE(s.ok());
  EXPECT_THAT(s.message(), HasSubstr("p.jsonl:1: malformed JSON"));

  s = EvalStrings("[1, 2]\n", pred, GoldFormat::kAcled);
  ASSERT_FALSE(s.ok());
  EXPECT_THAT(s.message(), HasSubstr("g.jsonl:1: expected a JSON object"));

  // Auto detection reports the malformed line too.
  s = EvalStrings("{\"id\": \"a\",\n", pred, GoldFormat::kAuto);
  ASSERT_FALSE(s.ok());
  EXPECT_THAT(s.message(), HasSubstr("g.jsonl:1: malformed JSON"));
}

TEST(EventEvalTest, MistypedFieldsNameFileAndLine) {
  const std::string pred = "{\"id\": \"a\", \"events\": []}\n";
  struct Case {
    GoldFormat format;
    std::string gold, pred, message;
  };
  const Case cases[] = {
      {GoldFormat::kSpans, "{\"id\": \"a\", \"events\": [{\"sentence_span\": [3]}]}\n", pred,
       "g.jsonl:1: gold event: field \"sentence_span\" must be [begin, end]"},
      {GoldFormat::kSpans, "{\"id\": \"a\", \"events\": [{\"source_aliases\": \"x\"}]}\n", pred,
       "g.jsonl:1: gold event: field \"source_aliases\" must be an array"},
      {GoldFormat::kSpans, "{\"id\": \"a\", \"events\": [{\"type\": null}]}\n", pred,
       "g.jsonl:1: gold event: field \"type\" must be a string"},
      {GoldFormat::kSpans, "{\"events\": []}\n", pred,
       "g.jsonl:1: gold record: field \"id\" must be a string"},
      {GoldFormat::kSpans, "{\"id\": \"a\"}\n{\"id\": \"a\"}\n", pred,
       "g.jsonl:2: duplicate id \"a\" (first at line 1)"},
      {GoldFormat::kAcled, "{\"id\": \"a\", \"events\": [{\"target\": \"x\"}]}\n", pred,
       "g.jsonl:1: gold event: missing field \"source\""},
      {GoldFormat::kAcled,
       "{\"id\": \"a\", \"events\": [{\"source\": \"x\", \"target\": \"y\", "
       "\"source_inter\": \"1\"}]}\n",
       pred, "g.jsonl:1: gold event: \"source_inter\" must be an integer"},
      {GoldFormat::kAcled, "{\"id\": \"a\", \"iso3\": 4}\n", pred,
       "g.jsonl:1: gold record: field \"iso3\" must be a string"},
      {GoldFormat::kSpans, "{\"id\": \"a\"}\n",
       "{\"id\": \"a\", \"events\": [{\"source\": \"Kerry\", \"target\": null}]}\n",
       "p.jsonl:1: event source must be an object"},
      {GoldFormat::kSpans, "{\"id\": \"a\"}\n",
       "{\"id\": \"a\", \"events\": [{\"source\": {\"text\": 5}}]}\n",
       "p.jsonl:1: event source: field \"text\" must be a string"},
      {GoldFormat::kSpans, "{\"id\": \"a\"}\n", "{\"id\": \"a\", \"events\": [{\"span\": 7}]}\n",
       "p.jsonl:1: event: field \"span\" must be an array"},
      {GoldFormat::kAcled, "{\"id\": \"a\"}\n", "{\"id\": \"a\", \"events\": [{\"negated\": 1}]}\n",
       "p.jsonl:1: event: field \"negated\" must be true or false"},
      {GoldFormat::kAcled, "{\"id\": \"a\"}\n", "{\"id\": \"a\", \"events\": {}}\n",
       "p.jsonl:1: prediction: field \"events\" must be an array"},
      {GoldFormat::kAcled, "{\"id\": \"a\"}\n", pred + pred,
       "p.jsonl:2: duplicate id \"a\" (first at line 1)"},
  };
  for (const Case& c : cases) {
    Status s = EvalStrings(c.gold, c.pred, c.format);
    EXPECT_FALSE(s.ok()) << c.message;
    EXPECT_THAT(s.message(), HasSubstr(c.message));
  }
}

TEST(EventEvalTest, EmptyInputsScoreZero) {
  // score.py prints recall 0 when there is no gold pair at all.
  EvalOptions o;
  o.format = GoldFormat::kSpans;
  auto r = EvaluateJsonLines("{\"id\": \"a\", \"events\": []}\n", "", o);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_THAT(r->text,
              HasSubstr("pairs recall=0.000 (0/0) pred-events=0 docs-with-events=0/1 []\n"));
  EXPECT_THAT(r->text, HasSubstr("missed pairs (0):"));
}

}  // namespace
}  // namespace kg
