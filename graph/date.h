// Calendar dates as days since 1970-01-01 (proleptic Gregorian).
#pragma once

#include <string>
#include <string_view>

#include "graph/status.h"
#include "graph/types.h"

namespace kg {

// Parses the date part of ISO 8601 ("2016-10-04", "2016-10-04T12:00:00Z",
// "20161004"). Time and zone are ignored. Errors name the offending text.
Result<Date> ParseIsoDate(std::string_view text);

// "2016-10-04"; "" for kUnknownDate.
std::string FormatIsoDate(Date date);

Date DaysFromCivil(int year, unsigned month, unsigned day);

}  // namespace kg
