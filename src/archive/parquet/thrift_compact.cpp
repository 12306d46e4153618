#include "archive/parquet/thrift_compact.h"

#include <cstring>

namespace leanscope::parquet::detail {

void ThriftReader::fail(std::string message) {
  if (!error_) {
    error_ = Error{std::move(message), ErrorKind::Input};
    failed_at_ = static_cast<std::size_t>(p_ - begin_);
  }
  p_ = end_;
}

std::uint8_t ThriftReader::read_byte() {
  if (p_ >= end_) {
    fail("truncated Thrift data");
    return 0;
  }
  return *p_++;
}

std::uint64_t ThriftReader::read_varint() {
  std::uint64_t v = 0;
  for (int shift = 0; shift < 70; shift += 7) {
    if (p_ >= end_) {
      fail("truncated Thrift varint");
      return 0;
    }
    std::uint8_t b = *p_++;
    if (shift == 63 && (b & 0x7e) != 0) break;
    v |= static_cast<std::uint64_t>(b & 0x7f) << shift;
    if ((b & 0x80) == 0) return v;
  }
  fail("Thrift varint longer than 64 bits");
  return 0;
}

std::int64_t ThriftReader::read_varint_zigzag() {
  std::uint64_t u = read_varint();
  return static_cast<std::int64_t>(u >> 1) ^ -static_cast<std::int64_t>(u & 1);
}

std::int32_t ThriftReader::read_i32() {
  std::int64_t v = read_varint_zigzag();
  if (v < INT32_MIN || v > INT32_MAX) {
    fail("Thrift i32 out of range");
    return 0;
  }
  return static_cast<std::int32_t>(v);
}

double ThriftReader::read_double() {
  if (remaining() < 8) {
    fail("truncated Thrift double");
    return 0;
  }
  double d;
  std::memcpy(&d, p_, 8);
  p_ += 8;
  return d;
}

std::string_view ThriftReader::read_binary() {
  std::uint64_t n = read_varint();
  if (n > remaining()) {
    fail("Thrift string length " + std::to_string(n) + " exceeds the " + std::to_string(remaining()) + " bytes left");
    return {};
  }
  std::string_view s(reinterpret_cast<const char*>(p_), n);
  p_ += n;
  return s;
}

bool ThriftReader::read_bool_element() {
  std::uint8_t b = read_byte();
  return b == 1;
}

std::uint32_t ThriftReader::read_list_header(ThriftType& element_type) {
  std::uint8_t b = read_byte();
  std::uint64_t size = b >> 4;
  element_type = static_cast<ThriftType>(b & 0x0f);
  if (size == 15) size = read_varint();
  if (failed()) return 0;
  // Every element takes at least one byte, so a larger count is a lie.
  if (size > remaining()) {
    fail("Thrift list of " + std::to_string(size) + " elements exceeds the " + std::to_string(remaining()) +
         " bytes left");
    return 0;
  }
  return static_cast<std::uint32_t>(size);
}

bool ThriftReader::begin_struct() {
  if (depth_ >= kMaxDepth) {
    fail("Thrift structures nested deeper than " + std::to_string(kMaxDepth));
    return false;
  }
  saved_fields_[depth_++] = last_field_;
  last_field_ = 0;
  return true;
}

void ThriftReader::end_struct() {
  if (depth_ > 0) last_field_ = saved_fields_[--depth_];
}

ThriftReader::FieldHeader ThriftReader::read_field_header() {
  FieldHeader h;
  std::uint8_t b = read_byte();
  if (failed()) return h;
  std::uint8_t type = b & 0x0f;
  if (type == 0) return h;  // Stop
  if (type > 12) {
    fail("bad Thrift field type " + std::to_string(type));
    return h;
  }
  std::uint8_t delta = b >> 4;
  if (delta != 0) {
    h.id = static_cast<std::int16_t>(last_field_ + delta);
  } else {
    std::int64_t id = read_varint_zigzag();
    if (id < INT16_MIN || id > INT16_MAX) {
      fail("bad Thrift field id");
      return h;
    }
    h.id = static_cast<std::int16_t>(id);
  }
  last_field_ = h.id;
  h.type = static_cast<ThriftType>(type);
  if (h.type == ThriftType::BoolTrue || h.type == ThriftType::BoolFalse) h.bool_value = h.type == ThriftType::BoolTrue;
  return h;
}

void ThriftReader::skip(ThriftType type, bool bool_in_header) {
  if (failed()) return;
  switch (type) {
    case ThriftType::BoolTrue:
    case ThriftType::BoolFalse:
      if (!bool_in_header) read_byte();
      return;
    case ThriftType::Byte:
      read_byte();
      return;
    case ThriftType::I16:
    case ThriftType::I32:
    case ThriftType::I64:
      read_varint();
      return;
    case ThriftType::Double:
      read_double();
      return;
    case ThriftType::Binary:
      read_binary();
      return;
    case ThriftType::List:
    case ThriftType::Set: {
      ThriftType element;
      std::uint32_t n = read_list_header(element);
      if (!begin_struct()) return;  // counts as nesting
      for (std::uint32_t i = 0; i < n && !failed(); ++i) skip(element, false);
      end_struct();
      return;
    }
    case ThriftType::Map: {
      std::uint64_t n = read_varint();
      if (n == 0) return;
      std::uint8_t kv = read_byte();
      if (n > remaining()) {
        fail("Thrift map size exceeds the bytes left");
        return;
      }
      if (!begin_struct()) return;
      for (std::uint64_t i = 0; i < n && !failed(); ++i) {
        skip(static_cast<ThriftType>(kv >> 4), false);
        skip(static_cast<ThriftType>(kv & 0x0f), false);
      }
      end_struct();
      return;
    }
    case ThriftType::Struct: {
      if (!begin_struct()) return;
      while (!failed()) {
        FieldHeader h = read_field_header();
        if (h.type == ThriftType::Stop) break;
        skip(h.type);
      }
      end_struct();
      return;
    }
    case ThriftType::Stop:
    default:
      fail("bad Thrift type " + std::to_string(static_cast<int>(type)));
      return;
  }
}

void ThriftWriter::varint(std::uint64_t v) {
  while (v >= 0x80) {
    out_.push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out_.push_back(static_cast<char>(v));
}

void ThriftWriter::binary(std::string_view v) {
  varint(v.size());
  out_.append(v);
}

void ThriftWriter::begin_struct() {
  saved_fields_[depth_++] = last_field_;
  last_field_ = 0;
}

void ThriftWriter::end_struct() {
  out_.push_back(0);
  last_field_ = saved_fields_[--depth_];
}

void ThriftWriter::field_header(std::int16_t id, ThriftType type) {
  int delta = id - last_field_;
  if (delta > 0 && delta <= 15) {
    out_.push_back(static_cast<char>((delta << 4) | static_cast<int>(type)));
  } else {
    out_.push_back(static_cast<char>(type));
    zigzag(id);
  }
  last_field_ = id;
}

void ThriftWriter::field_i32(std::int16_t id, std::int32_t v) {
  field_header(id, ThriftType::I32);
  zigzag(v);
}

void ThriftWriter::field_i64(std::int16_t id, std::int64_t v) {
  field_header(id, ThriftType::I64);
  zigzag(v);
}

void ThriftWriter::field_bool(std::int16_t id, bool v) {
  field_header(id, v ? ThriftType::BoolTrue : ThriftType::BoolFalse);
}

void ThriftWriter::field_binary(std::int16_t id, std::string_view v) {
  field_header(id, ThriftType::Binary);
  binary(v);
}

void ThriftWriter::list_header(ThriftType element_type, std::size_t size) {
  if (size < 15) {
    out_.push_back(static_cast<char>((size << 4) | static_cast<int>(element_type)));
  } else {
    out_.push_back(static_cast<char>(0xf0 | static_cast<int>(element_type)));
    varint(size);
  }
}

}  // namespace leanscope::parquet::detail
