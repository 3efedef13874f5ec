// The JSON form of an Extraction: one line of `kg extract` output.
#pragma once

#include <string>

#include "ingest/pipeline.h"

namespace kg {

// {"id":…,"events":[{"source":{"text","name","code"},"relation","cameo",
//  "goldstein","target":{…},"negated","attributed_to","sentence","span":[b,e],
//  "quote","mentions":[{"sentence","span","quote"}…]}…],"attributions":[…]}
// `sentence`, `span` and `quote` repeat the first mention for convenience.
std::string ExtractionToJson(const Extraction& extraction);

}  // namespace kg
