#include "ingest/text.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace kg::ingest {
namespace {

struct Split {
  std::string text;
  Document doc;
  explicit Split(std::string t, size_t max_bytes = 2000) : text(std::move(t)) {
    doc.text = text;
    TextOptions options;
    options.max_sentence_bytes = max_bytes;
    SplitAndTokenize(options, &doc);
  }
  // Norms of sentence i joined by '|'.
  std::string Sentence(size_t i) const {
    const auto& s = doc.sentences.at(i);
    std::string out;
    for (uint32_t t = s.first_token; t < s.last_token; ++t) {
      if (!out.empty()) out += '|';
      out += doc.tokens[t].norm;
    }
    return out;
  }
  std::vector<std::string> Norms() const {
    std::vector<std::string> out;
    for (const Token& t : doc.tokens) out.push_back(t.norm);
    return out;
  }
};

using Strings = std::vector<std::string>;

TEST(TextTest, MilitaryTitlesDoNotEndSentences) {
  Split s("Lt. Col. John Smith said the attack failed. Gen. Petraeus agreed.");
  ASSERT_EQ(s.doc.sentences.size(), 2u);
  EXPECT_EQ(s.Sentence(0), "Lt.|Col.|John|Smith|said|the|attack|failed|.");
  EXPECT_EQ(s.Sentence(1), "Gen.|Petraeus|agreed|.");
}

TEST(TextTest, UsAbbreviationSplitsOnlyBeforeSentenceStarter) {
  Split s("He lives in the U.S. He left. U.S. officials said Mr. Kerry met the U.N. envoy.");
  ASSERT_EQ(s.doc.sentences.size(), 3u);
  EXPECT_EQ(s.Sentence(0), "He|lives|in|the|U.S.");
  EXPECT_EQ(s.Sentence(1), "He|left|.");
  EXPECT_EQ(s.Sentence(2), "U.S.|officials|said|Mr.|Kerry|met|the|U.N.|envoy|.");
}

TEST(TextTest, OtherAbbreviations) {
  Split s("The Jan. 5 talks at 10 a.m. Monday vs. the No. 2 team were held. No. They were not.");
  ASSERT_EQ(s.doc.sentences.size(), 3u);
  EXPECT_EQ(s.Sentence(0), "The|Jan.|5|talks|at|10|a.m.|Monday|vs.|the|No.|2|team|were|held|.");
  EXPECT_EQ(s.Sentence(1), "No|.");
}

TEST(TextTest, KeepsNamesNumbersAndSplitsClitics) {
  Split s(
      "Russia's S-300 and S-400 reached war-torn Al-Shabab areas, al-Assad said; "
      "400,000 fled, 3.5 percent. We don't know, can't say.");
  EXPECT_EQ(s.Norms(),
            (Strings{"Russia",    "'s",    "S-300", "and",      "S-400", "reached", "war-torn",
                     "Al-Shabab", "areas", ",",     "al-Assad", "said",  ";",       "400,000",
                     "fled",      ",",     "3.5",   "percent",  ".",     "We",      "do",
                     "n't",       "know",  ",",     "ca",       "n't",   "say",     "."}));
}

TEST(TextTest, UrlsAndEmailsAreOneToken) {
  Split s("See https://example.com/a?b=1. Or mail press@example.org, or www.kremlin.ru!");
  EXPECT_EQ(s.Norms(), (Strings{"See", "https://example.com/a?b=1", ".", "Or", "mail",
                                "press@example.org", ",", "or", "www.kremlin.ru", "!"}));
  EXPECT_EQ(s.doc.sentences.size(), 2u);
}

TEST(TextTest, CurlyQuotesAndDashesAreFolded) {
  Split s(
      "\xE2\x80\x9CWe won\xE2\x80\x99t,\xE2\x80\x9D he said \xE2\x80\x94 Syria\xE2\x80\x99s "
      "army \xE2\x80\x93 wait\xE2\x80\xA6");
  EXPECT_EQ(s.Norms(), (Strings{"\"", "We", "wo", "n't", ",", "\"", "he", "said", "--", "Syria",
                                "'s", "army", "-", "wait", "..."}));
  EXPECT_TRUE(s.doc.tokens[0].Has(kOpenQuote));
  EXPECT_TRUE(s.doc.tokens[5].Has(kCloseQuote));
}

TEST(TextTest, StraightQuotesOpenAndClose) {
  Split s("She said \"no\" and \"yes.\"");
  const auto& t = s.doc.tokens;
  ASSERT_EQ(s.Norms(), (Strings{"She", "said", "\"", "no", "\"", "and", "\"", "yes", ".", "\""}));
  EXPECT_TRUE(t[2].Has(kOpenQuote));
  EXPECT_TRUE(t[4].Has(kCloseQuote));
  EXPECT_TRUE(t[6].Has(kOpenQuote));
  EXPECT_TRUE(t[9].Has(kCloseQuote));
}

TEST(TextTest, FlagsAndLowerCase) {
  Split s("NATO and Russia met in 2015 .");
  const auto& t = s.doc.tokens;
  EXPECT_TRUE(t[0].Has(kAllCaps));
  EXPECT_TRUE(t[0].Has(kCapitalized));
  EXPECT_TRUE(t[0].Has(kSentenceStart));
  EXPECT_FALSE(t[0].Has(kSpaceBefore));
  EXPECT_EQ(t[0].lower, "nato");
  EXPECT_TRUE(t[1].Has(kSpaceBefore));
  EXPECT_FALSE(t[1].Has(kCapitalized));
  EXPECT_TRUE(t[2].Has(kCapitalized));
  EXPECT_FALSE(t[2].Has(kAllCaps));
  EXPECT_TRUE(t[5].Has(kHasDigit));
  EXPECT_TRUE(t[6].Has(kPunctuation));
  Split u(
      "\xC3\x9C"
      "BER \xC3\xA9t\xC3\xA9");  // "ÜBER été"
  EXPECT_EQ(u.doc.tokens[0].lower,
            "\xC3\xBC"
            "ber");
  EXPECT_TRUE(u.doc.tokens[0].Has(kAllCaps));
}

TEST(TextTest, CodePointOffsets) {
  // "Hmeimim – Syria’s 🙂 base": – and ’ are 3 bytes, the emoji 4.
  Split s("Hmeimim \xE2\x80\x93 Syria\xE2\x80\x99s \xF0\x9F\x99\x82 base");
  const auto& t = s.doc.tokens;
  ASSERT_EQ(s.Norms(), (Strings{"Hmeimim", "-", "Syria", "'s", "\xF0\x9F\x99\x82", "base"}));
  EXPECT_EQ(s.doc.CodePointOffset(t[2].begin), 10u);  // Syria
  EXPECT_EQ(s.doc.CodePointOffset(t[3].begin), 15u);  // ’s
  EXPECT_EQ(s.doc.CodePointOffset(t[4].begin), 18u);  // emoji
  EXPECT_EQ(s.doc.CodePointOffset(t[5].begin), 20u);  // base
  EXPECT_EQ(s.doc.CodePointOffset(t[5].end), 24u);
  EXPECT_EQ(s.doc.CodePointOffset(1000000), 24u);  // Clamped to the end.
  // Beyond the 64-byte checkpoints.
  std::string long_text;
  for (int i = 0; i < 100; ++i) long_text += "\xC3\xA9";  // é
  long_text += " end";
  Split l(long_text);
  ASSERT_EQ(l.doc.tokens.size(), 2u);
  EXPECT_EQ(l.doc.CodePointOffset(l.doc.tokens[1].begin), 101u);
}

TEST(TextTest, ParagraphsAndHeadlines) {
  Split s(
      "US to blame for talks failure\n\nMoscow said the US was to blame. Talks ended\n"
      "Short line");
  ASSERT_EQ(s.doc.sentences.size(), 4u);
  EXPECT_TRUE(s.doc.sentences[0].headline);
  EXPECT_EQ(s.doc.sentences[0].paragraph, 0u);
  EXPECT_FALSE(s.doc.sentences[1].headline);
  EXPECT_EQ(s.doc.sentences[1].paragraph, 1u);
  EXPECT_FALSE(s.doc.sentences[2].headline);  // Not alone on its line.
  EXPECT_EQ(s.doc.sentences[2].paragraph, 1u);
  EXPECT_TRUE(s.doc.sentences[3].headline);
  EXPECT_EQ(s.doc.sentences[3].paragraph, 2u);
  EXPECT_EQ(s.Sentence(2), "Talks|ended");
}

TEST(TextTest, DatelinesAreOutsideSentences) {
  Split s(
      "BRUSSELS (Reuters) - NATO said it would act.\n"
      "WASHINGTON, Oct 4 - The Pentagon agreed.\n"
      "Russia - not Syria - is to blame.");
  ASSERT_EQ(s.doc.sentences.size(), 3u);
  EXPECT_EQ(s.Sentence(0), "NATO|said|it|would|act|.");
  EXPECT_EQ(s.Sentence(1), "The|Pentagon|agreed|.");
  EXPECT_EQ(s.Sentence(2), "Russia|-|not|Syria|-|is|to|blame|.");
  EXPECT_TRUE(s.doc.tokens[0].Has(kDateline));
  EXPECT_TRUE(s.doc.tokens[s.doc.sentences[0].first_token].Has(kSentenceStart));
  EXPECT_EQ(s.text.substr(s.doc.sentences[0].begin, 4), "NATO");
}

TEST(TextTest, LongSentencesAndJunkAreSkipped) {
  std::string text = "Fine sentence here. Then ";
  for (int i = 0; i < 600; ++i) text += "word ";
  text += "end.\n12 34 -- 56\nLast one.";
  Split s(text);
  ASSERT_EQ(s.doc.sentences.size(), 4u);
  EXPECT_FALSE(s.doc.sentences[0].skipped);
  EXPECT_TRUE(s.doc.sentences[1].skipped);
  EXPECT_EQ(s.doc.sentences[1].skip_reason, SkipReason::kTooLong);
  EXPECT_EQ(s.doc.sentences[1].first_token, s.doc.sentences[1].last_token);
  EXPECT_TRUE(s.doc.sentences[2].skipped);
  EXPECT_EQ(s.doc.sentences[2].skip_reason, SkipReason::kNoLetters);
  EXPECT_EQ(SkipReasonName(SkipReason::kTooLong), "sentence too long");
  EXPECT_EQ(s.Sentence(3), "Last|one|.");
}

TEST(TextTest, HugeLineWithoutPunctuationIsBounded) {
  std::string text(1 << 20, 'a');
  for (size_t i = 7; i < text.size(); i += 8) text[i] = ' ';
  Split s(text);
  ASSERT_EQ(s.doc.sentences.size(), 1u);
  EXPECT_TRUE(s.doc.sentences[0].skipped);
  EXPECT_TRUE(s.doc.tokens.empty());
}

TEST(TextTest, Utf8Validation) {
  EXPECT_TRUE(IsValidUtf8("plain ascii"));
  EXPECT_TRUE(IsValidUtf8("Syria\xE2\x80\x99s \xF0\x9F\x99\x82"));
  EXPECT_TRUE(IsValidUtf8(std::string("nul\0byte", 8)));
  EXPECT_FALSE(IsValidUtf8("bad \xFF byte"));
  EXPECT_FALSE(IsValidUtf8("truncated \xE2\x80"));
  EXPECT_FALSE(IsValidUtf8("overlong \xC0\xAF"));
  EXPECT_FALSE(IsValidUtf8("surrogate \xED\xA0\x80"));
  EXPECT_FALSE(IsValidUtf8("too big \xF4\x90\x80\x80"));
  EXPECT_FALSE(IsValidUtf8("eight bytes then bad\x80"));
}

TEST(TextTest, InvalidUtf8AndNulNeverCrash) {
  std::string text = "Bad \xFF\xFE bytes\xE2\x80 and \0 NUL. \xC3";
  text += std::string("x\0y. More text.", 15);
  Split s(text);
  EXPECT_FALSE(s.doc.sentences.empty());
  for (const Token& t : s.doc.tokens) {
    EXPECT_LT(t.begin, t.end);
    EXPECT_LE(t.end, text.size());
  }
}

TEST(TextTest, ClearKeepsNothing) {
  Split s("One. Two.");
  s.doc.Clear();
  EXPECT_TRUE(s.doc.tokens.empty());
  EXPECT_TRUE(s.doc.sentences.empty());
  EXPECT_TRUE(s.doc.text.empty());
}

TEST(PosTest, NamesRoundTrip) {
  for (int i = 1; i <= static_cast<int>(Pos::kRRB); ++i) {
    const Pos p = static_cast<Pos>(i);
    EXPECT_EQ(PosFromName(PosName(p)), p) << i;
  }
  EXPECT_EQ(PosFromName("nnp"), Pos::kNNP);
  EXPECT_EQ(PosFromName("prps"), Pos::kPRPS);
  EXPECT_EQ(PosFromName("ppc"), Pos::kPPC);
  EXPECT_EQ(PosFromName("lrb"), Pos::kLRB);
  EXPECT_EQ(PosFromName("NNP"), Pos::kNone);
  EXPECT_EQ(PosFromName(""), Pos::kNone);
  EXPECT_EQ(PosName(Pos::kNone), "");
}

}  // namespace
}  // namespace kg::ingest
