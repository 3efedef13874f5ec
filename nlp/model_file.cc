#include "nlp/model_file.h"

#include <cstdio>
#include <fstream>

#include "nlp/hashing.h"

namespace kg::nlp {
namespace {

constexpr char kMagic[8] = {'K', 'G', 'N', 'L', 'P', 'M', 'O', 'D'};
constexpr size_t kHeaderSize = 8 + 4 + 4 + 8 + 8 + 8;

std::string_view KindName(uint32_t kind) {
  switch (kind) {
    case static_cast<uint32_t>(ModelKind::kTagger):
      return "tagger";
    case static_cast<uint32_t>(ModelKind::kParser):
      return "parser";
  }
  return "unknown";
}

template <typename T>
void Put(std::string* out, T v) {
  out->append(reinterpret_cast<const char*>(&v), sizeof v);
}
template <typename T>
T Get(const std::string& in, size_t pos) {
  T v;
  std::memcpy(&v, in.data() + pos, sizeof v);
  return v;
}

}  // namespace

Status WriteModelFile(const std::string& path, ModelKind kind, uint64_t fingerprint,
                      const std::string& payload) {
  std::string header(kMagic, sizeof kMagic);
  Put<uint32_t>(&header, kModelFormatVersion);
  Put<uint32_t>(&header, static_cast<uint32_t>(kind));
  Put<uint64_t>(&header, fingerprint);
  Put<uint64_t>(&header, payload.size());
  Put<uint64_t>(&header, HashBytes(payload));
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) return Status::IoError(tmp + ": cannot create");
    out.write(header.data(), static_cast<std::streamsize>(header.size()));
    out.write(payload.data(), static_cast<std::streamsize>(payload.size()));
    out.flush();
    if (!out) {
      std::remove(tmp.c_str());
      return Status::IoError(tmp + ": write failed (disk full?)");
    }
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    std::remove(tmp.c_str());
    return Status::IoError(path + ": cannot rename the temporary model file into place");
  }
  return Status::Ok();
}

Status ReadModelFile(const std::string& path, ModelKind kind, uint64_t fingerprint,
                     std::string* payload) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::IoError(path + ": cannot open model file");
  std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) return Status::IoError(path + ": read error");
  if (data.size() < sizeof kMagic || std::memcmp(data.data(), kMagic, sizeof kMagic) != 0) {
    return Status::InvalidArgument(path + ": not a kg language model (bad magic number)");
  }
  if (data.size() < kHeaderSize) {
    return Status::Corruption(path + ": model file truncated inside its " +
                              std::to_string(kHeaderSize) + "-byte header (" +
                              std::to_string(data.size()) + " bytes)");
  }
  const auto version = Get<uint32_t>(data, 8);
  const auto got_kind = Get<uint32_t>(data, 12);
  const auto got_fingerprint = Get<uint64_t>(data, 16);
  const auto size = Get<uint64_t>(data, 24);
  const auto checksum = Get<uint64_t>(data, 32);
  if (version != kModelFormatVersion) {
    return Status::Incompatible(path + ": model format version " + std::to_string(version) +
                                ", but this kg reads version " +
                                std::to_string(kModelFormatVersion) +
                                "; retrain it with `kg train`");
  }
  if (got_kind != static_cast<uint32_t>(kind)) {
    return Status::InvalidArgument(path + ": is a " + std::string(KindName(got_kind)) +
                                   " model, expected a " +
                                   std::string(KindName(static_cast<uint32_t>(kind))) + " model");
  }
  if (got_fingerprint != fingerprint) {
    char buf[96];
    std::snprintf(buf, sizeof buf, "%016llx, this kg computes %016llx",
                  static_cast<unsigned long long>(got_fingerprint),
                  static_cast<unsigned long long>(fingerprint));
    return Status::Incompatible(path +
                                ": model was trained with another feature set (fingerprint " + buf +
                                "); retrain it with `kg train`");
  }
  if (data.size() - kHeaderSize != size) {
    return Status::Corruption(path + ": model file is " + std::to_string(data.size()) +
                              " bytes, its header announces " + std::to_string(kHeaderSize + size) +
                              (data.size() - kHeaderSize < size ? " (truncated)" : ""));
  }
  payload->assign(data, kHeaderSize, std::string::npos);
  if (HashBytes(*payload) != checksum) {
    return Status::Corruption(path + ": model file checksum mismatch (damaged file)");
  }
  return Status::Ok();
}

}  // namespace kg::nlp
