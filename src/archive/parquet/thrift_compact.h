// Thrift compact protocol, the encoding of Parquet footers and page headers.
// The reader is bounded: every length and count is checked against the bytes
// left, nesting depth is limited, unknown fields are skipped. A footer is
// hundreds of small reads, so the reader keeps its first error (every later
// read returns zero) and hands it over once, as a Status, from status().
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/error.h"

namespace leanscope::parquet::detail {

enum class ThriftType : std::uint8_t {
  Stop = 0,
  BoolTrue = 1,
  BoolFalse = 2,
  Byte = 3,
  I16 = 4,
  I32 = 5,
  I64 = 6,
  Double = 7,
  Binary = 8,
  List = 9,
  Set = 10,
  Map = 11,
  Struct = 12,
};

class ThriftReader {
 public:
  static constexpr int kMaxDepth = 32;

  ThriftReader(const std::uint8_t* data, std::size_t size) : p_(data), end_(data + size), begin_(data) {}

  struct FieldHeader {
    std::int16_t id = 0;
    ThriftType type = ThriftType::Stop;  // Stop ends the struct
    bool bool_value = false;             // the value of a Bool field (it lives in the header)
  };

  // Call begin_struct() before the first field of a struct and end_struct()
  // after its Stop: they keep the previous field id and the depth.
  bool begin_struct();
  void end_struct();
  FieldHeader read_field_header();

  std::int64_t read_varint_zigzag();
  std::uint64_t read_varint();
  std::int32_t read_i32();
  std::int64_t read_i64() { return read_varint_zigzag(); }
  double read_double();
  std::string_view read_binary();
  std::string read_string() { return std::string(read_binary()); }
  bool read_bool_element();
  std::uint8_t read_raw_byte() { return read_byte(); }  // a bool inside a list (one byte)
  // A list/set header; the size is checked so each element has at least one byte.
  std::uint32_t read_list_header(ThriftType& element_type);

  // Skips a value of the given type (nested values included).
  void skip(ThriftType type, bool bool_in_header = true);

  // Records the first error (malformed input); later reads return zero.
  void fail(std::string message);
  [[nodiscard]] bool failed() const { return error_.has_value(); }
  // The first error, if any.
  [[nodiscard]] Status status() const { return error_ ? Status(*error_) : Status(); }
  // Bytes read so far; after a failure, where the failure was found.
  [[nodiscard]] std::size_t position() const { return failed() ? failed_at_ : static_cast<std::size_t>(p_ - begin_); }
  [[nodiscard]] std::size_t remaining() const { return static_cast<std::size_t>(end_ - p_); }

 private:
  std::uint8_t read_byte();

  const std::uint8_t* p_;
  const std::uint8_t* end_;
  const std::uint8_t* begin_;
  std::int16_t last_field_ = 0;
  std::int16_t saved_fields_[kMaxDepth + 1] = {};
  int depth_ = 0;
  std::optional<Error> error_;
  std::size_t failed_at_ = 0;
};

class ThriftWriter {
 public:
  explicit ThriftWriter(std::string& out) : out_(out) {}

  void begin_struct();
  void end_struct();  // writes Stop
  void field_header(std::int16_t id, ThriftType type);
  void field_i32(std::int16_t id, std::int32_t v);
  void field_i64(std::int16_t id, std::int64_t v);
  void field_bool(std::int16_t id, bool v);
  void field_binary(std::int16_t id, std::string_view v);
  void field_struct_begin(std::int16_t id) {
    field_header(id, ThriftType::Struct);
    begin_struct();
  }
  void field_list_begin(std::int16_t id, ThriftType element_type, std::size_t size) {
    field_header(id, ThriftType::List);
    list_header(element_type, size);
  }
  void list_header(ThriftType element_type, std::size_t size);
  void varint(std::uint64_t v);
  void zigzag(std::int64_t v) { varint((static_cast<std::uint64_t>(v) << 1) ^ static_cast<std::uint64_t>(v >> 63)); }
  void binary(std::string_view v);
  void raw_byte(std::uint8_t b) { out_.push_back(static_cast<char>(b)); }

 private:
  std::string& out_;
  std::int16_t last_field_ = 0;
  std::int16_t saved_fields_[64] = {};
  int depth_ = 0;
};

}  // namespace leanscope::parquet::detail
