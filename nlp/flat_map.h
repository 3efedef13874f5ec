// Internal to nlp/: an immutable open-addressing map from 64-bit keys to
// 64-bit values, for word lookups in models (tag dictionary, ambiguity
// classes). Built once from pairs; stored in model files as its pairs.
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

#include "nlp/model_file.h"

namespace kg::nlp {

class FlatMap64 {
 public:
  // Builds from (key, value) pairs with distinct keys.
  void Build(std::vector<std::pair<uint64_t, uint64_t>> pairs);
  // Returns a pointer to the value of `key`, or nullptr.
  const uint64_t* Find(uint64_t key) const {
    if (slots_.empty()) return nullptr;
    key = key == 0 ? 1 : key;
    for (size_t i = key & mask_;; i = (i + 1) & mask_) {
      if (slots_[i].first == key) return &slots_[i].second;
      if (slots_[i].first == 0) return nullptr;
    }
  }
  size_t size() const { return pairs_.size(); }
  const std::vector<std::pair<uint64_t, uint64_t>>& pairs() const { return pairs_; }

  void Write(ModelWriter* w) const {
    std::vector<KeyValue> flat;
    for (auto [k, v] : pairs_) flat.push_back({k, v});
    w->Vec(flat);
  }
  bool Read(ModelReader* r) {
    auto flat = r->Vec<KeyValue>();
    if (!r->ok()) return false;
    std::vector<std::pair<uint64_t, uint64_t>> pairs;
    pairs.reserve(flat.size());
    for (const KeyValue& kv : flat) pairs.push_back({kv.key, kv.value});
    Build(std::move(pairs));
    return true;
  }

 private:
  struct KeyValue {
    uint64_t key, value;
  };
  std::vector<std::pair<uint64_t, uint64_t>> pairs_;  // Sorted by key.
  std::vector<std::pair<uint64_t, uint64_t>> slots_;
  size_t mask_ = 0;
};

}  // namespace kg::nlp
