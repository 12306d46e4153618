// The one place that picks a reader for a physical type.
#include "archive/parquet/column_reader.h"

namespace leanscope::parquet::detail {

std::unique_ptr<ColumnReader> make_bool_reader(const LeafInfo& leaf, Column& out);
std::unique_ptr<ColumnReader> make_int_reader(const LeafInfo& leaf, Column& out);
std::unique_ptr<ColumnReader> make_float_reader(const LeafInfo& leaf, Column& out);
std::unique_ptr<ColumnReader> make_bytes_reader(const LeafInfo& leaf, Column& out);

std::unique_ptr<ColumnReader> make_column_reader(const LeafInfo& leaf, Column& out) {
  switch (leaf.physical) {
    case PhysicalType::Boolean:
      return make_bool_reader(leaf, out);
    case PhysicalType::Int32:
    case PhysicalType::Int64:
    case PhysicalType::Int96:
      return make_int_reader(leaf, out);
    case PhysicalType::Float:
    case PhysicalType::Double:
      return make_float_reader(leaf, out);
    case PhysicalType::ByteArray:
    case PhysicalType::FixedLenByteArray:
      return make_bytes_reader(leaf, out);
  }
  return nullptr;
}

}  // namespace leanscope::parquet::detail
