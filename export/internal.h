// Helpers shared by the writers; not part of the module's API.
#pragma once

#include <cstdint>
#include <ostream>
#include <string>
#include <string_view>

#include "export/selection.h"
#include "graph/status.h"

namespace kg::exporter::internal {

// "%.<digits>f" without locale surprises.
std::string FormatFixed(double value, int digits);
// 16 lower-case hex digits.
std::string HexId(uint64_t id);
// "2016-10-04" or "" for kUnknownDate.
std::string DateText(Date date);
// "accuse (2)" or "not accuse (1)".
std::string EdgeLabel(const ExportEdge& edge);
// kIoError naming `what` when the stream has failed.
Status StreamStatus(const std::ostream& out, std::string_view what);

}  // namespace kg::exporter::internal
