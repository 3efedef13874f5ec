// Names of the Lingua::EN::Tagger tag set (see document.h).
#include <array>
#include <string_view>

#include "ingest/document.h"

namespace kg::ingest {
namespace {

// Indexed by Pos; order must match the enum in document.h.
constexpr std::array<std::string_view, 45> kPosNames = {
    "",    "cc",  "cd",   "det", "ex",  "fw",  "in",  "jj",   "jjr", "jjs", "ls",  "md",
    "nn",  "nnp", "nnps", "nns", "pdt", "pos", "prp", "prps", "rb",  "rbr", "rbs", "rp",
    "sym", "to",  "uh",   "vb",  "vbd", "vbg", "vbn", "vbp",  "vbz", "wdt", "wp",  "wps",
    "wrb", "pp",  "ppc",  "ppd", "ppl", "ppr", "pps", "lrb",  "rrb"};
static_assert(static_cast<size_t>(Pos::kRRB) + 1 == kPosNames.size(), "kPosNames out of sync");

}  // namespace

Pos PosFromName(std::string_view name) {
  if (name.empty() || name.size() > 4) return Pos::kNone;
  for (size_t i = 1; i < kPosNames.size(); ++i) {
    if (kPosNames[i] == name) return static_cast<Pos>(i);
  }
  return Pos::kNone;
}

std::string_view PosName(Pos pos) {
  const auto i = static_cast<size_t>(pos);
  return i < kPosNames.size() ? kPosNames[i] : std::string_view();
}

}  // namespace kg::ingest
