// The arc-eager system and its dynamic oracle: following zero-cost moves
// rebuilds every projective gold tree of our fixtures in exactly 2n moves,
// and the oracle's costs count the gold arcs a move loses.
#include "nlp/transition.h"

#include <gtest/gtest.h>

#include "nlp/treebank.h"
#include "tests/test_util.h"

namespace kg::nlp {
namespace {

std::vector<TreebankSentence> Fixture(const std::string& name) {
  auto data = LoadTreebanks({testing::SourcePath("tests/fixtures/nlp/" + name)}, true);
  EXPECT_TRUE(data.ok()) << data.status().ToString();
  return data.ok() ? *data : std::vector<TreebankSentence>{};
}

// Gold heads indexed by token, the root as n + 1.
std::vector<int> TokenHeads(const std::vector<int>& heads) {
  const int n = static_cast<int>(heads.size());
  std::vector<int> gh(n + 2, 0);
  for (int i = 1; i <= n; ++i) gh[i] = heads[i - 1] == 0 ? n + 1 : heads[i - 1];
  return gh;
}

// Runs the oracle (first zero-cost move in SHIFT, REDUCE, LEFT, RIGHT
// order, or the reverse) and returns the heads it builds, 0 for the root.
std::vector<int> OracleParse(const std::vector<int>& heads, bool reverse_order, int* moves) {
  const int n = static_cast<int>(heads.size());
  const std::vector<int> gh = TokenHeads(heads);
  ArcEagerState st;
  st.Reset(n);
  std::vector<uint8_t> scratch;
  *moves = 0;
  while (!st.Terminal()) {
    const MoveCosts costs = ComputeCosts(st, gh, &scratch);
    int chosen = -1;
    for (int k = 0; k < kNumMoves; ++k) {
      const int m = reverse_order ? kNumMoves - 1 - k : k;
      if (st.Valid(static_cast<Move>(m)) && costs.cost[m] == 0) {
        chosen = m;
        break;
      }
    }
    EXPECT_GE(chosen, 0) << "no zero-cost move after " << *moves << " moves";
    if (chosen < 0) break;
    st.Apply(static_cast<Move>(chosen), 0);
    ++*moves;
    if (*moves > 4 * n + 4) break;
  }
  std::vector<int> out(n);
  for (int t = 1; t <= n; ++t) out[t - 1] = st.head(t) == n + 1 ? 0 : st.head(t);
  return out;
}

TEST(TransitionTest, OracleRebuildsEveryProjectiveGoldTree) {
  int trees = 0;
  for (const char* name : {"tiny_train.conllu", "constructions.conllu"}) {
    for (const TreebankSentence& s : Fixture(name)) {
      ASSERT_TRUE(IsProjective(s.heads)) << name;
      for (bool reverse : {false, true}) {
        int moves = 0;
        EXPECT_EQ(OracleParse(s.heads, reverse, &moves), s.heads) << name;
        EXPECT_EQ(moves, 2 * static_cast<int>(s.heads.size())) << name;
      }
      ++trees;
    }
  }
  EXPECT_GT(trees, 60);
}

TEST(TransitionTest, OracleRebuildsProjectivizedTrees) {
  std::vector<int> heads = {3, 4, 0, 1, 4};  // 3-1 crosses 4-2.
  ASSERT_FALSE(IsProjective(heads));
  Projectivize(&heads);
  int moves = 0;
  EXPECT_EQ(OracleParse(heads, false, &moves), heads);
}

TEST(TransitionTest, CostsCountLostGoldArcs) {
  // "Rebels attacked the town": 1 <- 2 (root), 3 <- 4, 4 <- 2.
  const std::vector<int> gh = TokenHeads({2, 0, 4, 2});
  ArcEagerState st;
  st.Reset(4);
  std::vector<uint8_t> scratch;
  MoveCosts c = ComputeCosts(st, gh, &scratch);
  EXPECT_FALSE(st.Valid(Move::kReduce));
  EXPECT_FALSE(st.Valid(Move::kLeft));
  EXPECT_EQ(c[Move::kShift], 0);
  st.Apply(Move::kShift, 0);  // Stack [Rebels], buffer [attacked ...].
  c = ComputeCosts(st, gh, &scratch);
  EXPECT_EQ(c[Move::kLeft], 0);   // attacked -> Rebels is gold.
  EXPECT_EQ(c[Move::kShift], 1);  // Rebels could no longer get its head.
  EXPECT_EQ(c[Move::kRight], 2);  // Loses attacked's root arc and Rebels' head.
  st.Apply(Move::kLeft, 0);
  st.Apply(Move::kShift, 0);  // Stack [attacked], buffer [the town ROOT].
  c = ComputeCosts(st, gh, &scratch);
  EXPECT_EQ(c[Move::kShift], 0);
  EXPECT_EQ(c[Move::kLeft], 2);   // attacked would lose its root arc and town.
  EXPECT_EQ(c[Move::kRight], 1);  // the's head is town.
}

TEST(TransitionTest, AnyMoveSequenceEndsInTwoNMovesWithAllWordsAttached) {
  ArcEagerState st;
  for (int n : {1, 2, 7, 40}) {
    for (int policy = 0; policy < 4; ++policy) {
      st.Reset(n);
      int moves = 0;
      while (!st.Terminal()) {
        // Prefer move `policy`, else the first valid one.
        Move m = static_cast<Move>(policy);
        if (!st.Valid(m)) {
          for (int k = 0; k < kNumMoves; ++k) {
            if (st.Valid(static_cast<Move>(k))) {
              m = static_cast<Move>(k);
              break;
            }
          }
        }
        ASSERT_TRUE(st.Valid(m));
        st.Apply(m, 0);
        ASSERT_LE(++moves, 2 * n);
      }
      EXPECT_EQ(moves, 2 * n);
      for (int t = 1; t <= n; ++t) EXPECT_NE(st.head(t), 0) << "n=" << n << " t=" << t;
    }
  }
}

}  // namespace
}  // namespace kg::nlp
