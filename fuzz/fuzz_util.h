// Helpers shared by the libFuzzer targets.
#pragma once

#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <set>
#include <string>

namespace kg::fuzz {

// Writes `size` bytes to a per-process scratch file with the given suffix
// (on /dev/shm when present) and returns its path; the readers under test
// open files by path and pick their format from the extension.
inline std::string WriteScratch(const uint8_t* data, size_t size, const std::string& suffix) {
  static const std::string dir = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
  const std::string path = dir + "/kg_fuzz_" + std::to_string(getpid()) + suffix;
  // Removed at exit (libFuzzer ends with exit() after -max_total_time).
  static std::set<std::string>* const written = [] {
    auto* set = new std::set<std::string>();
    std::atexit([] {
      for (const std::string& p : *written) std::remove(p.c_str());
    });
    return set;
  }();
  written->insert(path);
  FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr) __builtin_trap();
  if (size > 0 && std::fwrite(data, 1, size, f) != size) __builtin_trap();
  std::fclose(f);
  return path;
}

}  // namespace kg::fuzz
