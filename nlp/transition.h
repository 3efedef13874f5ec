// Internal to nlp/ (public for tests): the arc-eager transition system with
// the root at the end of the buffer (Ballesteros & Nivre 2013), and its
// dynamic oracle (Goldberg & Nivre 2012), exact for projective gold trees.
//
// Tokens 1..n are the words, n+1 is the artificial root and 0 means "none".
// Moves: SHIFT pushes the front of the buffer b; REDUCE pops a stack top s0
// that has a head; LEFT-l makes b the head of a headless s0 and pops it
// (with b = root it attaches s0 to the root, label "root" only); RIGHT-l
// makes s0 the head of b (a word) and pushes b. Every state that is not
// terminal has a valid move, so parsing always ends, after exactly 2n moves.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace kg::nlp {

enum class Move : uint8_t { kShift = 0, kReduce = 1, kLeft = 2, kRight = 3 };

inline constexpr int kNumMoves = 4;

class ArcEagerState {
 public:
  // Starts a sentence of n words: empty stack, buffer 1..n, root.
  void Reset(int n);

  int n() const { return n_; }
  int root() const { return n_ + 1; }
  bool Terminal() const { return b_ == n_ + 1 && stack_.empty(); }
  int s0() const { return stack_.empty() ? 0 : stack_.back(); }
  int s1() const { return stack_.size() < 2 ? 0 : stack_[stack_.size() - 2]; }
  int b() const { return b_; }
  const std::vector<int>& stack() const { return stack_; }

  int head(int t) const { return head_[t]; }
  uint16_t label(int t) const { return label_[t]; }
  int leftmost(int t) const { return l1_[t]; }
  int left2(int t) const { return l2_[t]; }
  int rightmost(int t) const { return r1_[t]; }
  int right2(int t) const { return r2_[t]; }
  int left_valency(int t) const { return lval_[t]; }
  int right_valency(int t) const { return rval_[t]; }
  uint64_t left_labels(int t) const { return lset_[t]; }
  uint64_t right_labels(int t) const { return rset_[t]; }

  bool Valid(Move m) const;
  void Apply(Move m, uint16_t label);

 private:
  void AddArc(int h, int d, uint16_t label);

  int n_ = 0;
  int b_ = 1;
  std::vector<int> stack_;
  std::vector<int> head_, l1_, l2_, r1_, r2_;
  std::vector<uint16_t> label_;
  std::vector<uint8_t> lval_, rval_;
  std::vector<uint64_t> lset_, rset_;
};

// Per-move costs of a state against a gold tree: the number of gold arcs
// each move makes unreachable (attachment only; labels are chosen by a
// separate classifier once an arc is made).
struct MoveCosts {
  int cost[kNumMoves] = {0, 0, 0, 0};
  int operator[](Move m) const { return cost[static_cast<int>(m)]; }
};

// gold_heads is indexed by token (1..n; entry 0 unused); a word attached to
// the root has gold head n+1. `on_stack` is scratch space.
MoveCosts ComputeCosts(const ArcEagerState& state, const std::vector<int>& gold_heads,
                       std::vector<uint8_t>* on_stack);

}  // namespace kg::nlp
