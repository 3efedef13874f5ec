// Internal to nlp/: the averaged multiclass perceptron behind the tagger and
// the parser.
//
// Features are 64-bit hashes (hashing.h). Training keeps, per feature, the
// classes it was ever updated for, with integer weights and lazy averaging
// (each cell remembers when it last changed), so training is exact and
// deterministic. Compile() turns the averaged weights into a WeightTable: an
// open-addressing table of 8-byte slots (32-bit fingerprint + offset) over
// runs of (class, int16 weight) pairs, small enough to stay in cache.
#pragma once

#include <algorithm>
#include <cstdint>
#include <span>
#include <vector>

#include "nlp/model_file.h"

namespace kg::nlp {

// Allocates large arrays on 2 MiB boundaries and asks the kernel for
// transparent huge pages (madvise), so that random lookups into a model of
// several MiB do not miss the TLB at every probe (measured: see
// WeightTable). Small arrays use the ordinary heap.
template <typename T>
struct HugePageAllocator {
  using value_type = T;
  HugePageAllocator() = default;
  template <typename U>
  HugePageAllocator(const HugePageAllocator<U>&) {}  // NOLINT: rebinding.
  T* allocate(size_t n) { return static_cast<T*>(AllocateHuge(n * sizeof(T))); }
  void deallocate(T* p, size_t n) { FreeHuge(p, n * sizeof(T)); }
  template <typename U>
  bool operator==(const HugePageAllocator<U>&) const {
    return true;
  }
  static void* AllocateHuge(size_t bytes);
  static void FreeHuge(void* p, size_t bytes);
};
template <typename T>
using HugeVector = std::vector<T, HugePageAllocator<T>>;

// The compiled, immutable weights used at prediction time.
class WeightTable {
 public:
  uint32_t num_classes() const { return num_classes_; }
  size_t num_features() const { return num_features_; }
  uint32_t max_keys() const { return max_keys_; }
  size_t bytes() const {
    return slots_.size() * sizeof(Slot) + runs_.size() * 4 + dense_.size() * 2;
  }

  // Adds the weights of every feature in `keys` to scores[0, num_classes).
  // Lookups are memory-bound, so they run in three passes over blocks of
  // keys: prefetch the slots, find the runs and prefetch them, then add.
  // REQUIRES: keys.size() <= max_keys() (the quantisation guarantees that
  // int16 sums of that many weights cannot overflow).
  void Score(std::span<const uint64_t> keys, int16_t* __restrict scores) const;

  void Write(ModelWriter* w) const;
  // Reads and validates a table written by Write().
  bool Read(ModelReader* r);

 private:
  friend class PerceptronTrainer;
  struct Slot {
    uint32_t fingerprint = 0;  // 24 bits; 0: empty.
    uint32_t run = 0;          // Offset of the run in runs_, or kDense | row of dense_.
  };
  // 24 high bits of the key (the slot number holds low bits of it too).
  static uint32_t Fingerprint(uint64_t key) {
    const auto f = static_cast<uint32_t>(key >> 40);
    return f == 0 ? 1 : f;
  }
  const Slot* Find(uint64_t key) const {
    const uint32_t f = Fingerprint(key);
    for (size_t i = key & mask_;; i = (i + 1) & mask_) {
      const Slot& s = slots_[i];
      if (s.fingerprint == f) return &s;
      if (s.fingerprint == 0) return nullptr;
    }
  }

  uint32_t num_classes_ = 0;
  uint32_t max_keys_ = 0;
  size_t num_features_ = 0;
  size_t mask_ = 0;
  HugeVector<Slot> slots_;
  // Sparse features: a count n then n words (class << 16 | uint16 weight).
  // Features with many classes have a row of dense_ instead, named by their
  // slot (kDense | row), so that scoring can prefetch the row straight from
  // the slot.
  static constexpr uint32_t kDense = 0x80000000u;
  HugeVector<uint32_t> runs_;
  HugeVector<int16_t> dense_;
  size_t row_size_ = 0;  // num_classes_ rounded up to a multiple of 8.
};

struct CompileOptions {
  // Averaged weights whose magnitude is below this fraction of the largest
  // are dropped (they cannot change a decision measurably). Default 1e-4.
  double prune_fraction = 1e-4;
  // The most features scored at once (the model's number of templates):
  // weights are quantised to at most 32767 / max_keys in magnitude, so that
  // scores add up in int16 without overflow (8 classes per SSE2 add; the
  // precision lost is far below what pruning drops). Default 128.
  uint32_t max_keys = 128;
  // Features with at least this many weights are stored as dense rows.
  // Default 12 (measured: parsing 2.x times faster than sparse runs only).
  uint32_t dense_from = 12;
};

class PerceptronTrainer {
 public:
  explicit PerceptronTrainer(uint32_t num_classes);

  uint32_t num_classes() const { return num_classes_; }
  size_t num_features() const { return cells_.size(); }

  // Adds the current (not averaged) weights of `keys` to scores.
  void Score(std::span<const uint64_t> keys, int64_t* scores) const;
  // One perceptron step: +1 for class `good`, -1 for class `bad` on every
  // feature of `keys`. Call Tick() once per training instance as well.
  void Update(std::span<const uint64_t> keys, uint32_t good, uint32_t bad);
  void Tick() { ++now_; }

  // Averages the weights over all instances seen and compiles them.
  WeightTable Compile(const CompileOptions& options) const;

 private:
  struct Cell {
    uint32_t cls;
    int32_t weight;
    int64_t stamp;  // Instance count when `weight` last changed.
    int64_t total;  // Sum of the weight over instances up to `stamp`.
  };
  int64_t FindFeature(uint64_t key) const;
  uint32_t AddFeature(uint64_t key);
  void Bump(std::vector<Cell>& cells, uint32_t cls, int32_t delta);

  uint32_t num_classes_;
  int64_t now_ = 0;
  // Open-addressing index key -> feature number (keys_ slot 0 means empty;
  // key 0 is remapped to 1).
  std::vector<uint64_t> keys_;
  std::vector<uint32_t> ids_;
  size_t mask_ = 0;
  std::vector<std::vector<Cell>> cells_;
  std::vector<uint64_t> feature_keys_;  // Feature number -> key.
};

}  // namespace kg::nlp
