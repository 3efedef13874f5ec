// Internal to nlp/: the binary container of tagger and parser models.
//
// Layout (little-endian): magic "KGNLPMOD" (8 bytes), format version (u32),
// model kind (u32: 1 tagger, 2 parser), feature-set fingerprint (u64),
// payload size (u64), payload XXH3-64 checksum (u64), payload. The reader
// refuses a wrong magic, version, kind or fingerprint, a truncated or
// over-long file and a checksum mismatch, each with a message naming the
// file; it never reads past the payload.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "graph/status.h"

namespace kg::nlp {

inline constexpr uint32_t kModelFormatVersion = 2;  // 2: compact weight tables.
enum class ModelKind : uint32_t { kTagger = 1, kParser = 2 };

// Appends typed values to a payload.
class ModelWriter {
 public:
  void U8(uint8_t v) { out_.push_back(static_cast<char>(v)); }
  void U32(uint32_t v) { Raw(&v, sizeof v); }
  void U64(uint64_t v) { Raw(&v, sizeof v); }
  void F32(float v) { Raw(&v, sizeof v); }
  void Str(std::string_view s) {
    U32(static_cast<uint32_t>(s.size()));
    out_.append(s);
  }
  template <typename T>
  void Vec(const std::vector<T>& v) {
    static_assert(std::is_trivially_copyable_v<T>);
    U64(v.size());
    Raw(v.data(), v.size() * sizeof(T));
  }
  void Strings(const std::vector<std::string>& v) {
    U32(static_cast<uint32_t>(v.size()));
    for (const std::string& s : v) Str(s);
  }
  const std::string& payload() const { return out_; }

 private:
  void Raw(const void* p, size_t n) { out_.append(static_cast<const char*>(p), n); }
  std::string out_;
};

// Reads typed values back; every read is bounds-checked and the first
// failure sticks (ok() turns false, values read as zero).
class ModelReader {
 public:
  explicit ModelReader(std::string_view payload) : data_(payload) {}
  uint8_t U8() {
    uint8_t v = 0;
    Raw(&v, 1);
    return v;
  }
  uint32_t U32() {
    uint32_t v = 0;
    Raw(&v, sizeof v);
    return v;
  }
  uint64_t U64() {
    uint64_t v = 0;
    Raw(&v, sizeof v);
    return v;
  }
  float F32() {
    float v = 0;
    Raw(&v, sizeof v);
    return v;
  }
  std::string Str() {
    uint32_t n = U32();
    if (!ok_ || n > data_.size() - pos_) return Fail(), std::string();
    std::string s(data_.substr(pos_, n));
    pos_ += n;
    return s;
  }
  template <typename T>
  std::vector<T> Vec() {
    static_assert(std::is_trivially_copyable_v<T>);
    uint64_t n = U64();
    if (!ok_ || n > (data_.size() - pos_) / sizeof(T)) return Fail(), std::vector<T>();
    std::vector<T> v(n);
    Raw(v.data(), n * sizeof(T));
    return v;
  }
  std::vector<std::string> Strings() {
    uint32_t n = U32();
    std::vector<std::string> v;
    if (!ok_ || n > data_.size() - pos_) return Fail(), v;
    v.reserve(n);
    for (uint32_t i = 0; i < n && ok_; ++i) v.push_back(Str());
    return v;
  }
  bool ok() const { return ok_; }
  bool at_end() const { return pos_ == data_.size(); }
  // Marks the payload invalid (a value out of range).
  void Fail() { ok_ = false; }

 private:
  void Raw(void* p, size_t n) {
    if (!ok_ || n > data_.size() - pos_) {
      ok_ = false;
      std::memset(p, 0, n);
      return;
    }
    std::memcpy(p, data_.data() + pos_, n);
    pos_ += n;
  }
  std::string_view data_;
  size_t pos_ = 0;
  bool ok_ = true;
};

// Writes header + payload to `path` (through a temporary file renamed into
// place, so a crash never leaves half a model).
Status WriteModelFile(const std::string& path, ModelKind kind, uint64_t fingerprint,
                      const std::string& payload);

// Reads and checks a model file; on success *payload holds the payload.
Status ReadModelFile(const std::string& path, ModelKind kind, uint64_t fingerprint,
                     std::string* payload);

}  // namespace kg::nlp
