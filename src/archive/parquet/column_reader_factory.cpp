// The one place that picks a reader: the physical type, and for fixed-width
// types the conversion to the in-memory kind, are decided here once per column.
#include "archive/parquet/column_reader_fixed.h"

namespace leanscope::parquet::detail {

std::unique_ptr<ColumnReader> make_column_reader(const LeafInfo& leaf, Column& out) {
  switch (leaf.physical) {
    case PhysicalType::Boolean:
      return std::make_unique<FixedWidthReader<BoolConversion>>(leaf, out);
    case PhysicalType::Int32:
      if (leaf.unsigned_int) return std::make_unique<FixedWidthReader<UInt32Conversion>>(leaf, out);
      return std::make_unique<FixedWidthReader<Int32Conversion>>(leaf, out);
    case PhysicalType::Int64:
      return std::make_unique<FixedWidthReader<Int64Conversion>>(leaf, out);
    case PhysicalType::Int96:
      return std::make_unique<FixedWidthReader<Int96Conversion>>(leaf, out);
    case PhysicalType::Float:
      return std::make_unique<FixedWidthReader<FloatConversion>>(leaf, out);
    case PhysicalType::Double:
      return std::make_unique<FixedWidthReader<DoubleConversion>>(leaf, out);
    case PhysicalType::ByteArray:
    case PhysicalType::FixedLenByteArray:
      return make_bytes_reader(leaf, out);
  }
  return nullptr;
}

}  // namespace leanscope::parquet::detail
