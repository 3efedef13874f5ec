#include "nlp/perceptron.h"

#include <sys/mman.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <new>

namespace kg::nlp {
namespace {

uint64_t NonZero(uint64_t key) { return key == 0 ? 1 : key; }

constexpr size_t kHugePage = size_t{2} << 20;

template <typename V, typename T>
V CopyTo(const std::vector<T>& v) {
  return V(v.begin(), v.end());
}

}  // namespace

template <typename T>
void* HugePageAllocator<T>::AllocateHuge(size_t bytes) {
  if (bytes < kHugePage / 2) {
    void* p = std::malloc(bytes == 0 ? 1 : bytes);
    if (p == nullptr) throw std::bad_alloc();
    return p;
  }
  const size_t rounded = (bytes + kHugePage - 1) / kHugePage * kHugePage;
  void* p = std::aligned_alloc(kHugePage, rounded);
  if (p == nullptr) throw std::bad_alloc();
  madvise(p, rounded, MADV_HUGEPAGE);  // Advice only: failure is harmless.
  return p;
}

template <typename T>
void HugePageAllocator<T>::FreeHuge(void* p, size_t) {
  std::free(p);
}

template struct HugePageAllocator<uint32_t>;
template struct HugePageAllocator<int16_t>;
template struct HugePageAllocator<WeightTable::Slot>;

void WeightTable::Write(ModelWriter* w) const {
  w->U32(num_classes_);
  w->U32(max_keys_);
  w->U64(num_features_);
  w->Vec(std::vector<Slot>(slots_.begin(), slots_.end()));
  w->Vec(std::vector<uint32_t>(runs_.begin(), runs_.end()));
  w->Vec(std::vector<int16_t>(dense_.begin(), dense_.end()));
}

bool WeightTable::Read(ModelReader* r) {
  num_classes_ = r->U32();
  max_keys_ = r->U32();
  num_features_ = r->U64();
  slots_ = CopyTo<HugeVector<Slot>>(r->Vec<Slot>());
  runs_ = CopyTo<HugeVector<uint32_t>>(r->Vec<uint32_t>());
  dense_ = CopyTo<HugeVector<int16_t>>(r->Vec<int16_t>());
  if (!r->ok() || num_classes_ == 0 || num_classes_ > 0xFFFF || max_keys_ == 0) return false;
  row_size_ = (num_classes_ + 7) / 8 * 8;
  if (dense_.size() % row_size_ != 0) return false;
  const size_t rows = dense_.size() / row_size_;
  const size_t n = slots_.size();
  if (n == 0 || (n & (n - 1)) != 0) return false;
  mask_ = n - 1;
  // Validate every run so that Score() can never read out of bounds, and
  // that at least one slot is empty (so a probe always ends).
  size_t used = 0;
  for (const Slot& s : slots_) {
    if (s.fingerprint == 0) continue;
    ++used;
    if (s.run >= runs_.size()) return false;
    const uint32_t len = runs_[s.run];
    if (len & kDense) {
      if ((len & ~kDense) >= rows) return false;
      continue;
    }
    if (len > runs_.size() - s.run - 1) return false;
    for (uint32_t i = 1; i <= len; ++i) {
      if ((runs_[s.run + i] >> 16) >= num_classes_) return false;
    }
  }
  return used < n && used == num_features_;
}

PerceptronTrainer::PerceptronTrainer(uint32_t num_classes) : num_classes_(num_classes) {
  keys_.assign(1 << 16, 0);
  ids_.assign(1 << 16, 0);
  mask_ = keys_.size() - 1;
}

int64_t PerceptronTrainer::FindFeature(uint64_t key) const {
  key = NonZero(key);
  for (size_t i = key & mask_;; i = (i + 1) & mask_) {
    if (keys_[i] == key) return ids_[i];
    if (keys_[i] == 0) return -1;
  }
}

uint32_t PerceptronTrainer::AddFeature(uint64_t key) {
  key = NonZero(key);
  if ((cells_.size() + 1) * 2 > keys_.size()) {  // Keep the load under 1/2.
    std::vector<uint64_t> old_keys(keys_.size() * 2, 0);
    std::vector<uint32_t> old_ids(ids_.size() * 2, 0);
    old_keys.swap(keys_);
    old_ids.swap(ids_);
    mask_ = keys_.size() - 1;
    for (size_t j = 0; j < old_keys.size(); ++j) {
      if (old_keys[j] == 0) continue;
      size_t i = old_keys[j] & mask_;
      while (keys_[i] != 0) i = (i + 1) & mask_;
      keys_[i] = old_keys[j];
      ids_[i] = old_ids[j];
    }
  }
  size_t i = key & mask_;
  while (keys_[i] != 0) {
    if (keys_[i] == key) return ids_[i];
    i = (i + 1) & mask_;
  }
  keys_[i] = key;
  ids_[i] = static_cast<uint32_t>(cells_.size());
  cells_.emplace_back();
  feature_keys_.push_back(key);
  return ids_[i];
}

void PerceptronTrainer::Score(std::span<const uint64_t> keys, int64_t* scores) const {
  for (uint64_t k : keys) {
    int64_t f = FindFeature(k);
    if (f < 0) continue;
    for (const Cell& c : cells_[f]) scores[c.cls] += c.weight;
  }
}

void PerceptronTrainer::Bump(std::vector<Cell>& cells, uint32_t cls, int32_t delta) {
  for (Cell& c : cells) {
    if (c.cls == cls) {
      c.total += static_cast<int64_t>(c.weight) * (now_ - c.stamp);
      c.stamp = now_;
      c.weight += delta;
      return;
    }
  }
  cells.push_back({cls, delta, now_, 0});
}

void PerceptronTrainer::Update(std::span<const uint64_t> keys, uint32_t good, uint32_t bad) {
  if (good == bad) return;
  for (uint64_t k : keys) {
    std::vector<Cell>& cells = cells_[AddFeature(k)];
    Bump(cells, good, +1);
    Bump(cells, bad, -1);
  }
}

WeightTable PerceptronTrainer::Compile(const CompileOptions& options) const {
  const double steps = static_cast<double>(std::max<int64_t>(now_, 1));
  // Averaged weights, and the largest magnitude for the int16 scale.
  double max_abs = 0;
  std::vector<std::vector<std::pair<uint32_t, double>>> avg(cells_.size());
  for (size_t f = 0; f < cells_.size(); ++f) {
    for (const Cell& c : cells_[f]) {
      const double total = static_cast<double>(c.total) +
                           static_cast<double>(c.weight) * static_cast<double>(now_ - c.stamp);
      const double a = total / steps;
      if (a == 0) continue;
      avg[f].push_back({c.cls, a});
      max_abs = std::max(max_abs, std::fabs(a));
    }
  }
  WeightTable t;
  t.num_classes_ = num_classes_;
  t.row_size_ = (num_classes_ + 7) / 8 * 8;
  if (max_abs == 0) max_abs = 1;
  t.max_keys_ = std::max<uint32_t>(options.max_keys, 1);
  const double scale = std::floor(32767.0 / t.max_keys_) / max_abs;
  const double floor = options.prune_fraction * max_abs;
  // Runs first, in feature order (deterministic), then the slots.
  std::vector<std::pair<uint64_t, uint32_t>> kept;  // key, run offset
  for (size_t f = 0; f < avg.size(); ++f) {
    auto& cells = avg[f];
    std::sort(cells.begin(), cells.end());
    const uint32_t start = static_cast<uint32_t>(t.runs_.size());
    t.runs_.push_back(0);
    uint32_t n = 0;
    for (auto [cls, a] : cells) {
      if (std::fabs(a) < floor) continue;
      const long q = std::lround(a * scale);
      if (q == 0) continue;
      t.runs_.push_back(cls << 16 | static_cast<uint16_t>(static_cast<int16_t>(q)));
      ++n;
    }
    if (n == 0) {
      t.runs_.pop_back();
      continue;
    }
    t.runs_[start] = n;
    if (n >= options.dense_from) {  // Move the run into a dense row.
      const size_t row = t.dense_.size() / t.row_size_;
      t.dense_.resize(t.dense_.size() + t.row_size_, 0);
      int16_t* w = &t.dense_[row * t.row_size_];
      for (uint32_t j = 1; j <= n; ++j) {
        const uint32_t e = t.runs_[start + j];
        w[e >> 16] = static_cast<int16_t>(e & 0xFFFF);
      }
      t.runs_.resize(start + 1);
      t.runs_[start] = WeightTable::kDense | static_cast<uint32_t>(row);
    }
    kept.push_back({feature_keys_[f], start});
  }
  size_t size = 16;
  while (size < kept.size() * 3 / 2 + 1) size *= 2;
  t.slots_.assign(size, {});
  t.mask_ = size - 1;
  t.num_features_ = kept.size();
  for (auto [key, run] : kept) {
    const uint32_t fp = WeightTable::Fingerprint(key);
    size_t i = key & t.mask_;
    while (t.slots_[i].fingerprint != 0) i = (i + 1) & t.mask_;
    t.slots_[i] = {fp, run};
  }
  return t;
}

}  // namespace kg::nlp
