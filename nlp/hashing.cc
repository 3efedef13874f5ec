#include "nlp/hashing.h"

#include <xxhash.h>

namespace kg::nlp {

uint64_t HashBytes(std::string_view bytes) { return XXH3_64bits(bytes.data(), bytes.size()); }

}  // namespace kg::nlp
