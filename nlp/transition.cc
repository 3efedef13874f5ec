#include "nlp/transition.h"

namespace kg::nlp {

void ArcEagerState::Reset(int n) {
  n_ = n;
  b_ = 1;
  stack_.clear();
  const size_t size = static_cast<size_t>(n) + 2;
  head_.assign(size, 0);
  l1_.assign(size, 0);
  l2_.assign(size, 0);
  r1_.assign(size, 0);
  r2_.assign(size, 0);
  label_.assign(size, 0);
  lval_.assign(size, 0);
  rval_.assign(size, 0);
  lset_.assign(size, 0);
  rset_.assign(size, 0);
}

bool ArcEagerState::Valid(Move m) const {
  switch (m) {
    case Move::kShift:
      return b_ <= n_;
    case Move::kReduce:
      return !stack_.empty() && head_[stack_.back()] != 0;
    case Move::kLeft:
      return !stack_.empty() && head_[stack_.back()] == 0;
    case Move::kRight:
      return !stack_.empty() && b_ <= n_;
  }
  return false;
}

void ArcEagerState::AddArc(int h, int d, uint16_t label) {
  head_[d] = h;
  label_[d] = label;
  const uint64_t bit = uint64_t{1} << (label & 63);
  if (d < h) {
    if (lval_[h] < 255) ++lval_[h];
    lset_[h] |= bit;
    if (l1_[h] == 0 || d < l1_[h]) {
      l2_[h] = l1_[h];
      l1_[h] = d;
    } else if (l2_[h] == 0 || d < l2_[h]) {
      l2_[h] = d;
    }
  } else {
    if (rval_[h] < 255) ++rval_[h];
    rset_[h] |= bit;
    if (r1_[h] == 0 || d > r1_[h]) {
      r2_[h] = r1_[h];
      r1_[h] = d;
    } else if (r2_[h] == 0 || d > r2_[h]) {
      r2_[h] = d;
    }
  }
}

void ArcEagerState::Apply(Move m, uint16_t label) {
  switch (m) {
    case Move::kShift:
      stack_.push_back(b_++);
      return;
    case Move::kReduce:
      stack_.pop_back();
      return;
    case Move::kLeft:
      AddArc(b_, stack_.back(), label);
      stack_.pop_back();
      return;
    case Move::kRight:
      AddArc(stack_.back(), b_, label);
      stack_.push_back(b_++);
      return;
  }
}

MoveCosts ComputeCosts(const ArcEagerState& st, const std::vector<int>& gh,
                       std::vector<uint8_t>* on_stack) {
  MoveCosts c;
  const int n = st.n();
  const int b = st.b();
  const int s0 = st.s0();
  on_stack->assign(static_cast<size_t>(n) + 2, 0);
  for (int k : st.stack()) (*on_stack)[k] = 1;
  if (s0 != 0) {
    // s0's gold dependents still in the buffer (b..n) are lost by LEFT and
    // REDUCE; LEFT also loses a gold head of s0 further in the buffer.
    int deps_in_buffer = 0;
    for (int k = b; k <= n; ++k) deps_in_buffer += gh[k] == s0;
    c.cost[static_cast<int>(Move::kLeft)] = deps_in_buffer + (gh[s0] > b);
    c.cost[static_cast<int>(Move::kReduce)] = deps_in_buffer;
  }
  if (b <= n) {
    // b's gold head on the stack, and b's gold dependents waiting headless
    // on the stack, are lost by SHIFT; RIGHT keeps only the head s0.
    const bool head_on_stack = gh[b] < b && (*on_stack)[gh[b]];
    int deps_on_stack = 0;
    for (int k : st.stack()) deps_on_stack += st.head(k) == 0 && gh[k] == b;
    c.cost[static_cast<int>(Move::kShift)] = head_on_stack + deps_on_stack;
    if (s0 != 0) {
      const bool other_head = gh[b] != s0 && (gh[b] > b || head_on_stack);
      c.cost[static_cast<int>(Move::kRight)] = other_head + deps_on_stack;
    }
  }
  return c;
}

}  // namespace kg::nlp
