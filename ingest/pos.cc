// Names of the Pos tag set (see document.h) and the Penn Treebank mapping.
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

Pos PosFromPenn(std::string_view xpos) {
  struct Special {
    std::string_view penn;
    Pos pos;
  };
  static constexpr Special kSpecial[] = {
      {".", Pos::kPP},      {",", Pos::kPPC},     {"$", Pos::kPPD},    {"``", Pos::kPPL},
      {"''", Pos::kPPR},    {":", Pos::kPPS},     {"HYPH", Pos::kPPS}, {"NFP", Pos::kPPS},
      {"-LRB-", Pos::kLRB}, {"-RRB-", Pos::kRRB}, {"DT", Pos::kDET},   {"PRP$", Pos::kPRPS},
      {"WP$", Pos::kWPS},   {"ADD", Pos::kNN},    {"AFX", Pos::kJJ},   {"GW", Pos::kFW},
      {"XX", Pos::kFW},
  };
  for (const Special& s : kSpecial) {
    if (s.penn == xpos) return s.pos;
  }
  char lower[5];
  if (xpos.empty() || xpos.size() > 4) return Pos::kNone;
  for (size_t i = 0; i < xpos.size(); ++i) {
    const char c = xpos[i];
    lower[i] = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  }
  return PosFromName(std::string_view(lower, xpos.size()));
}

std::string_view PosName(Pos pos) {
  const auto i = static_cast<size_t>(pos);
  return i < kPosNames.size() ? kPosNames[i] : std::string_view();
}

}  // namespace kg::ingest
