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

// The compiled, immutable weights used at prediction time.
class WeightTable {
 public:
  uint32_t num_classes() const { return num_classes_; }
  size_t num_features() const { return num_features_; }
  size_t bytes() const { return slots_.size() * sizeof(Slot) + runs_.size() * 4; }

  // Adds the weights of every feature in `keys` to scores[0, num_classes).
  // Lookups are memory-bound, so they run in three passes over blocks of
  // keys: prefetch the slots, find the runs and prefetch them, then add.
  void Score(std::span<const uint64_t> keys, int32_t* scores) const {
    constexpr size_t kBlock = 32;
    const uint32_t* runs[kBlock];
    for (size_t base = 0; base < keys.size(); base += kBlock) {
      const size_t n = std::min(kBlock, keys.size() - base);
      const uint64_t* k = keys.data() + base;
      for (size_t i = 0; i < n; ++i) __builtin_prefetch(&slots_[k[i] & mask_]);
      for (size_t i = 0; i < n; ++i) {
        runs[i] = Find(k[i]);
        if (runs[i] != nullptr) __builtin_prefetch(runs[i]);
      }
      for (size_t i = 0; i < n; ++i) {
        const uint32_t* run = runs[i];
        if (run == nullptr) continue;
        const uint32_t len = run[0];
        for (uint32_t j = 1; j <= len; ++j) {
          scores[run[j] >> 16] += static_cast<int16_t>(run[j] & 0xFFFF);
        }
      }
    }
  }

  void Write(ModelWriter* w) const;
  // Reads and validates a table written by Write().
  bool Read(ModelReader* r);

 private:
  friend class PerceptronTrainer;
  struct Slot {
    uint32_t fingerprint = 0;  // 0: empty.
    uint32_t run = 0;          // Offset of the run in runs_.
  };
  static uint32_t Fingerprint(uint64_t key) {
    uint32_t f = static_cast<uint32_t>(key >> 32);
    return f == 0 ? 1 : f;
  }
  const uint32_t* Find(uint64_t key) const {
    const uint32_t f = Fingerprint(key);
    for (size_t i = key & mask_;; i = (i + 1) & mask_) {
      const Slot& s = slots_[i];
      if (s.fingerprint == f) return &runs_[s.run];
      if (s.fingerprint == 0) return nullptr;
    }
  }

  uint32_t num_classes_ = 0;
  size_t num_features_ = 0;
  size_t mask_ = 0;
  std::vector<Slot> slots_;
  // Per feature: a count n, then n words (class << 16 | uint16 weight).
  std::vector<uint32_t> runs_;
};

struct CompileOptions {
  // Averaged weights whose magnitude is below this fraction of the largest
  // are dropped (they cannot change a decision measurably). Default 1e-4.
  double prune_fraction = 1e-4;
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
