#include "nlp/flat_map.h"

#include <algorithm>

namespace kg::nlp {

void FlatMap64::Build(std::vector<std::pair<uint64_t, uint64_t>> pairs) {
  std::sort(pairs.begin(), pairs.end());
  pairs.erase(std::unique(pairs.begin(), pairs.end(),
                          [](const auto& a, const auto& b) { return a.first == b.first; }),
              pairs.end());
  pairs_ = std::move(pairs);
  size_t size = 16;
  while (size < pairs_.size() * 2) size *= 2;
  slots_.assign(size, {0, 0});
  mask_ = size - 1;
  for (auto [key, value] : pairs_) {
    key = key == 0 ? 1 : key;
    size_t i = key & mask_;
    while (slots_[i].first != 0 && slots_[i].first != key) i = (i + 1) & mask_;
    slots_[i] = {key, value};
  }
}

}  // namespace kg::nlp
