// Test helper: the same add operator as the store's counts column family
// (registered under the same name), so that tests opening a store through
// raw RocksDB can read and compact counter merge operands.
#pragma once

#include <rocksdb/merge_operator.h>

#include <string>

#include "graph/key_codec.h"

namespace kg::testing {

class CounterAddOperator : public rocksdb::AssociativeMergeOperator {
 public:
  bool Merge(const rocksdb::Slice&, const rocksdb::Slice* existing, const rocksdb::Slice& value,
             std::string* new_value, rocksdb::Logger*) const override {
    int64_t base = existing ? *codec::DecodeCounter(existing->ToStringView()) : 0;
    *new_value = codec::EncodeCounter(base + *codec::DecodeCounter(value.ToStringView()));
    return true;
  }
  const char* Name() const override { return "kg.CounterAdd"; }
};

}  // namespace kg::testing
