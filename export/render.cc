// SVG/PNG: runs GraphViz's `dot` on a temporary DOT file.
#include <fcntl.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <vector>

#include "export/exporter.h"

extern char** environ;

namespace kg::exporter {
namespace {

bool IsExecutable(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) && ::access(path.c_str(), X_OK) == 0;
}

// The program's path, or "" when it cannot be found.
std::string FindProgram(const std::string& program) {
  if (program.find('/') != std::string::npos) return IsExecutable(program) ? program : "";
  const char* path = std::getenv("PATH");
  std::stringstream dirs(path ? path : "/usr/bin:/bin");
  std::string dir;
  while (std::getline(dirs, dir, ':')) {
    if (dir.empty()) dir = ".";
    std::string candidate = dir + "/" + program;
    if (IsExecutable(candidate)) return candidate;
  }
  return "";
}

// A temporary file removed on destruction.
class TempFile {
 public:
  explicit TempFile(const char* suffix) {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "kg_export_XXXXXX").string() + suffix;
    std::vector<char> buf(pattern.begin(), pattern.end());
    buf.push_back('\0');
    int fd = ::mkstemps(buf.data(), static_cast<int>(std::string_view(suffix).size()));
    if (fd >= 0) {
      ::close(fd);
      path_ = buf.data();
    }
  }
  ~TempFile() {
    if (!path_.empty()) std::remove(path_.c_str());
  }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace

Status RenderDot(const std::string& dot_text, std::string_view format, const std::string& program,
                 const std::string& output) {
  const std::string exe = FindProgram(program);
  if (exe.empty()) {
    return Status::NotFound("the GraphViz program '" + program +
                            "' was not found in PATH; install the Debian package graphviz, or "
                            "export --format dot and render elsewhere");
  }
  TempFile input(".dot");
  TempFile errors(".err");
  if (input.path().empty() || errors.path().empty()) {
    return Status::IoError("cannot create a temporary file for dot");
  }
  {
    std::ofstream out(input.path(), std::ios::binary | std::ios::trunc);
    out << dot_text;
    out.flush();
    if (!out) return Status::IoError("cannot write temporary file '" + input.path() + "'");
  }
  std::vector<std::string> args = {exe, "-T" + std::string(format), input.path()};
  if (!output.empty()) {
    args.push_back("-o");
    args.push_back(output);
  }
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, errors.path().c_str(),
                                   O_WRONLY | O_TRUNC, 0600);
  std::cout.flush();
  std::fflush(stdout);
  pid_t pid = 0;
  const int rc = posix_spawn(&pid, exe.c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) return Status::IoError("cannot run '" + exe + "': " + std::strerror(rc));
  int status = 0;
  if (::waitpid(pid, &status, 0) < 0) return Status::IoError("waiting for '" + exe + "' failed");
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return Status::Ok();

  std::ifstream err(errors.path());
  std::string first_line;
  std::getline(err, first_line);
  std::string message = "'" + program + " -T" + std::string(format) + "' failed";
  if (WIFEXITED(status)) message += " with exit code " + std::to_string(WEXITSTATUS(status));
  if (!first_line.empty()) message += ": " + first_line;
  return Status::IoError(message);
}

}  // namespace kg::exporter
