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

// Compiled twice, for AVX2 and for baseline x86-64, and picked at load time
// (GCC target_clones): the dense rows add 16 scores per instruction with
// AVX2 instead of 8.
#if defined(__x86_64__) && !defined(__SANITIZE_ADDRESS__) && !defined(__clang__)
__attribute__((target_clones("avx2", "default")))
#endif
void WeightTable::Score(std::span<const uint64_t> keys, int16_t* __restrict scores) const {
  constexpr size_t kBlock = 32;
  const Slot* found[kBlock];
  const uint32_t classes = num_classes_;
  const size_t row_bytes = row_size_ * sizeof(int16_t);
  for (size_t base = 0; base < keys.size(); base += kBlock) {
    const size_t n = std::min(kBlock, keys.size() - base);
    const uint64_t* k = keys.data() + base;
    for (size_t i = 0; i < n; ++i) __builtin_prefetch(&slots_[k[i] & mask_]);
    for (size_t i = 0; i < n; ++i) {
      found[i] = Find(k[i]);
      if (found[i] == nullptr) continue;
      const uint32_t run = found[i]->run;
      if (run & kDense) {
        const char* row = reinterpret_cast<const char*>(&dense_[(run & ~kDense) * row_size_]);
        for (size_t b = 0; b < row_bytes; b += 64) __builtin_prefetch(row + b);
      } else {
        __builtin_prefetch(&runs_[run]);
      }
    }
    for (size_t i = 0; i < n; ++i) {
      if (found[i] == nullptr) continue;
      const uint32_t run = found[i]->run;
      if (run & kDense) {
        // A feature with many classes adds a dense row: sequential and
        // vectorised, where a sparse run would scatter its adds.
        const int16_t* __restrict row = &dense_[static_cast<size_t>(run & ~kDense) * row_size_];
        for (uint32_t c = 0; c < classes; ++c) {
          scores[c] = static_cast<int16_t>(scores[c] + row[c]);
        }
      } else {
        const uint32_t* entries = &runs_[run];
        const uint32_t len = entries[0];
        for (uint32_t j = 1; j <= len; ++j) {
          int16_t& score = scores[entries[j] >> 16];
          score = static_cast<int16_t>(score + static_cast<int16_t>(entries[j] & 0xFFFF));
        }
      }
    }
  }
}

// On disk a table is compact (the file of a model is what the 10 MiB budget
// counts; in memory the slots and runs are laid out for speed): the dense
// rows as they are, then one byte stream with, for every occupied slot in
// order, the gap to the previous one (varint), the 24-bit fingerprint (3
// bytes) and the run: its length (varint; 0 = a dense row, whose number
// follows as a varint), then per weight the class (varint) and the weight
// (zigzag varint; most are small after quantisation).
namespace {

void PutVarint(std::string* out, uint64_t v) {
  while (v >= 0x80) {
    out->push_back(static_cast<char>(v | 0x80));
    v >>= 7;
  }
  out->push_back(static_cast<char>(v));
}

bool GetVarint(std::string_view in, size_t* pos, uint64_t* v) {
  *v = 0;
  for (int shift = 0; shift < 64 && *pos < in.size(); shift += 7) {
    const auto byte = static_cast<uint8_t>(in[(*pos)++]);
    *v |= static_cast<uint64_t>(byte & 0x7F) << shift;
    if ((byte & 0x80) == 0) return true;
  }
  return false;
}

}  // namespace

void WeightTable::Write(ModelWriter* w) const {
  w->U32(num_classes_);
  w->U32(max_keys_);
  w->U64(num_features_);
  w->U64(slots_.size());
  w->Vec(std::vector<int16_t>(dense_.begin(), dense_.end()));
  std::string stream;
  size_t previous = 0;
  for (size_t i = 0; i < slots_.size(); ++i) {
    const Slot& slot = slots_[i];
    if (slot.fingerprint == 0) continue;
    PutVarint(&stream, i - previous);
    previous = i;
    for (int b = 0; b < 3; ++b) stream.push_back(static_cast<char>(slot.fingerprint >> (8 * b)));
    if (slot.run & kDense) {
      PutVarint(&stream, 0);
      PutVarint(&stream, slot.run & ~kDense);
      continue;
    }
    const uint32_t head = runs_[slot.run];
    PutVarint(&stream, head);
    for (uint32_t j = 1; j <= head; ++j) {
      const uint32_t e = runs_[slot.run + j];
      const auto weight = static_cast<int16_t>(e & 0xFFFF);
      PutVarint(&stream, e >> 16);
      PutVarint(&stream, weight < 0 ? (static_cast<uint32_t>(-(weight + 1)) << 1) | 1
                                    : static_cast<uint32_t>(weight) << 1);
    }
  }
  w->Str(stream);
}

bool WeightTable::Read(ModelReader* r) {
  num_classes_ = r->U32();
  max_keys_ = r->U32();
  num_features_ = r->U64();
  const uint64_t num_slots = r->U64();
  dense_ = CopyTo<HugeVector<int16_t>>(r->Vec<int16_t>());
  const std::string stream = r->Str();
  if (!r->ok() || num_classes_ == 0 || num_classes_ > 0x7FFF || max_keys_ == 0) return false;
  if (num_slots == 0 || (num_slots & (num_slots - 1)) != 0 || num_slots > (uint64_t{1} << 32) ||
      num_features_ >= num_slots) {
    return false;
  }
  row_size_ = (num_classes_ + 7) / 8 * 8;
  if (dense_.size() % row_size_ != 0) return false;
  const size_t rows = dense_.size() / row_size_;
  slots_.assign(num_slots, Slot{});
  mask_ = num_slots - 1;
  runs_.clear();
  size_t pos = 0, index = 0;
  for (uint64_t f = 0; f < num_features_; ++f) {
    uint64_t gap = 0, len = 0;
    if (!GetVarint(stream, &pos, &gap) || (f > 0 && gap == 0) || gap >= num_slots - index) {
      return false;
    }
    index += gap;
    if (stream.size() - pos < 3) return false;
    uint32_t fp = 0;
    for (int b = 0; b < 3; ++b)
      fp |= static_cast<uint32_t>(static_cast<uint8_t>(stream[pos++])) << (8 * b);
    if (fp == 0 || !GetVarint(stream, &pos, &len)) return false;
    if (len == 0) {
      uint64_t row = 0;
      if (!GetVarint(stream, &pos, &row) || row >= rows) return false;
      slots_[index] = {fp, kDense | static_cast<uint32_t>(row)};
      continue;
    }
    if (runs_.size() >= kDense) return false;
    slots_[index] = {fp, static_cast<uint32_t>(runs_.size())};
    if (len > num_classes_) return false;
    runs_.push_back(static_cast<uint32_t>(len));
    for (uint64_t j = 0; j < len; ++j) {
      uint64_t cls = 0, zz = 0;
      if (!GetVarint(stream, &pos, &cls) || !GetVarint(stream, &pos, &zz)) return false;
      if (cls >= num_classes_ || zz > 0xFFFF) return false;
      const int32_t weight =
          (zz & 1) ? -static_cast<int32_t>(zz >> 1) - 1 : static_cast<int32_t>(zz >> 1);
      runs_.push_back(static_cast<uint32_t>(cls) << 16 |
                      static_cast<uint16_t>(static_cast<int16_t>(weight)));
    }
  }
  return pos == stream.size();
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
      t.runs_.resize(start);
      kept.push_back({feature_keys_[f], WeightTable::kDense | static_cast<uint32_t>(row)});
      continue;
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
