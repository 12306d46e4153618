// The encodings and the Thrift decoder on hand-computed bytes, most from the
// examples of the Parquet specification (Encodings.md).
#include <gtest/gtest.h>

#include <vector>

#include "archive/parquet/byte_stream_split.h"
#include "archive/parquet/delta_binary_packed.h"
#include "archive/parquet/delta_byte_array.h"
#include "archive/parquet/metadata.h"
#include "archive/parquet/rle_bitpacked.h"
#include "archive/parquet/string_interner.h"
#include "archive/parquet/thrift_compact.h"

namespace leanscope::parquet::detail {
namespace {

// The message of a failed Status, "" when it succeeded.
std::string message(const Status& s) { return s.ok() ? "" : s.error().message; }

std::vector<std::uint8_t> bytes(std::initializer_list<int> v) {
  std::vector<std::uint8_t> out;
  for (int b : v) out.push_back(static_cast<std::uint8_t>(b));
  return out;
}

TEST(BitPacking, SpecExampleZeroToSevenWidthThree) {
  // Encodings.md: 0..7 in 3 bits, LSB first = 10001000 11000110 11111010
  std::uint32_t values[8] = {0, 1, 2, 3, 4, 5, 6, 7};
  std::string packed;
  pack_bits(values, 8, 3, packed);
  EXPECT_EQ(packed, std::string("\x88\xc6\xfa"));
  std::uint32_t out[8];
  unpack_bits(reinterpret_cast<const std::uint8_t*>(packed.data()), packed.size(), 3, out, 8);
  EXPECT_EQ(std::vector<std::uint32_t>(out, out + 8), std::vector<std::uint32_t>(values, values + 8));
}

TEST(BitPacking, DeprecatedBitPackedIsMsbFirst) {
  // Encodings.md: the same values with BIT_PACKED = 00000101 00111001 01110111
  auto in = bytes({0x05, 0x39, 0x77});
  std::uint8_t out[8];
  unpack_bits_msb(in.data(), 3, out, 8);
  EXPECT_EQ(std::vector<std::uint8_t>(out, out + 8), (std::vector<std::uint8_t>{0, 1, 2, 3, 4, 5, 6, 7}));
}

TEST(RleHybrid, DecodesBitPackedAndRleRuns) {
  // bit-packed run of one group (header 3) then an RLE run of 5 sevens (header 10, value 7)
  auto in = bytes({0x03, 0x88, 0xc6, 0xfa, 0x0a, 0x07});
  RleBitPackedDecoder d(in.data(), in.size(), 3);
  std::uint32_t out[13];
  ASSERT_TRUE(d.get_batch(out, 13));
  EXPECT_EQ(std::vector<std::uint32_t>(out, out + 13),
            (std::vector<std::uint32_t>{0, 1, 2, 3, 4, 5, 6, 7, 7, 7, 7, 7, 7}));
  std::uint32_t more;
  EXPECT_FALSE(d.get_batch(&more, 1));
}

TEST(RleHybrid, RejectsRunValueWiderThanBitWidth) {
  auto in = bytes({0x0a, 0x09});  // 5 times 9 with bit width 3
  RleBitPackedDecoder d(in.data(), in.size(), 3);
  std::uint32_t out[5];
  EXPECT_FALSE(d.get_batch(out, 5));
}

TEST(RleHybrid, EncoderRoundTripsMixedRuns) {
  std::vector<std::uint32_t> values;
  for (int i = 0; i < 3; ++i) values.push_back(static_cast<std::uint32_t>(i));
  values.insert(values.end(), 100, 5);
  for (int i = 0; i < 1000; ++i) values.push_back(static_cast<std::uint32_t>(i * 7 % 13));
  values.insert(values.end(), 9, 12);
  std::string enc;
  rle_encode(values.data(), values.size(), 4, enc);
  EXPECT_LT(enc.size(), values.size());
  std::vector<std::uint32_t> out(values.size());
  RleBitPackedDecoder d(reinterpret_cast<const std::uint8_t*>(enc.data()), enc.size(), 4);
  ASSERT_TRUE(d.get_batch(out.data(), out.size()));
  EXPECT_EQ(out, values);
}

TEST(DeltaBinaryPacked, SpecExampleOne) {
  // 1,2,3,4,5: deltas all 1, min delta 1, bit width 0: no miniblock bytes
  auto in = bytes({0x80, 0x01, 0x04, 0x05, 0x02, 0x02, 0x00, 0x00, 0x00, 0x00});
  DeltaBinaryPackedDecoder d;
  ASSERT_EQ(message(d.init(in.data(), in.size())), "");
  std::int64_t out[5];
  ASSERT_EQ(message(d.decode(out, 5)), "");
  EXPECT_EQ(std::vector<std::int64_t>(out, out + 5), (std::vector<std::int64_t>{1, 2, 3, 4, 5}));
  EXPECT_EQ(d.consumed(), in.size());
}

TEST(DeltaBinaryPacked, SpecExampleTwo) {
  // 7,5,3,1,2,3,4,5: deltas -2,-2,-2,1,1,1,1; min -2; relative 0,0,0,3,3,3,3 in 2 bits
  auto in = bytes({0x80, 0x01, 0x04, 0x08, 0x0e, 0x03, 0x02, 0x00, 0x00, 0x00, 0xc0, 0x3f, 0, 0, 0, 0, 0, 0});
  DeltaBinaryPackedDecoder d;
  ASSERT_EQ(message(d.init(in.data(), in.size())), "");
  std::int64_t out[8];
  ASSERT_EQ(message(d.decode(out, 8)), "");
  EXPECT_EQ(std::vector<std::int64_t>(out, out + 8), (std::vector<std::int64_t>{7, 5, 3, 1, 2, 3, 4, 5}));
  EXPECT_EQ(d.consumed(), in.size());
}

TEST(DeltaBinaryPacked, RoundTripsExtremesWithWrapping) {
  std::vector<std::int64_t> values = {INT64_MIN, INT64_MAX, 0, -1, 1, INT64_MIN, 42};
  for (int i = 0; i < 500; ++i) values.push_back(i * i - 1000);
  std::string enc;
  delta_binary_packed_encode(values.data(), values.size(), enc);
  DeltaBinaryPackedDecoder d;
  ASSERT_EQ(message(d.init(reinterpret_cast<const std::uint8_t*>(enc.data()), enc.size())), "");
  std::vector<std::int64_t> out(values.size());
  ASSERT_EQ(message(d.decode(out.data(), 3)), "");  // in two calls
  ASSERT_EQ(message(d.decode(out.data() + 3, out.size() - 3)), "");
  EXPECT_EQ(out, values);
}

TEST(DeltaBinaryPacked, RejectsBadHeaderAndTruncation) {
  auto bad_block = bytes({0x07, 0x01, 0x04, 0x00});
  DeltaBinaryPackedDecoder d;
  EXPECT_NE(message(d.init(bad_block.data(), bad_block.size())), "");
  auto truncated = bytes({0x80, 0x01, 0x04, 0x08, 0x0e, 0x03, 0x02, 0x00, 0x00, 0x00, 0xc0});
  ASSERT_EQ(message(d.init(truncated.data(), truncated.size())), "");
  std::int64_t out[8];
  EXPECT_EQ(message(d.decode(out, 8)), "DELTA_BINARY_PACKED miniblock is truncated");
}

std::vector<std::string> collect(const std::string& enc, std::size_t n, bool prefixed) {
  std::vector<std::string> out;
  auto* p = reinterpret_cast<const std::uint8_t*>(enc.data());
  auto err = prefixed
                 ? decode_delta_byte_array(p, enc.size(), n, [&](std::string_view s) { out.emplace_back(s); })
                 : decode_delta_length_byte_array(p, enc.size(), n, [&](std::string_view s) { out.emplace_back(s); });
  EXPECT_EQ(message(err), "");
  return out;
}

TEST(DeltaByteArrays, SpecExamplesRoundTrip) {
  const std::vector<std::string> words = {"Hello", "World", "Foobar", "ABCDEF"};
  std::string enc;
  encode_delta_length_byte_array(words.data(), words.size(), enc);
  EXPECT_EQ(enc.substr(enc.size() - 22), "HelloWorldFoobarABCDEF");
  EXPECT_EQ(collect(enc, 4, false), words);
  const std::vector<std::string> prefixed = {"axis", "axle", "babble", "babyhood"};
  std::string enc2;
  encode_delta_byte_array(prefixed.data(), prefixed.size(), enc2);
  EXPECT_EQ(enc2.substr(enc2.size() - 17), "axislebabbleyhood");
  EXPECT_EQ(collect(enc2, 4, true), prefixed);
}

TEST(ByteStreamSplit, SplitsBytesIntoStreams) {
  auto in = bytes({0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08});
  std::uint8_t out[8];
  byte_stream_split_decode(in.data(), 2, 4, out);  // two 4-byte values
  EXPECT_EQ(std::vector<std::uint8_t>(out, out + 8), bytes({0x01, 0x03, 0x05, 0x07, 0x02, 0x04, 0x06, 0x08}));
  std::string back;
  byte_stream_split_encode(out, 2, 4, back);
  EXPECT_EQ(back, std::string("\x01\x02\x03\x04\x05\x06\x07\x08"));
}

TEST(Thrift, SkipsUnknownFieldsAndReadsKnownOnes) {
  std::string buf;
  ThriftWriter w(buf);
  w.begin_struct();
  w.field_i32(1, 3);  // type = DICTIONARY? no: PageHeader.type = 3 (DATA_PAGE_V2)
  w.field_i32(2, 100);
  w.field_i32(3, 50);
  w.field_binary(20, "future field");
  w.field_list_begin(21, ThriftType::I64, 2);
  w.zigzag(1);
  w.zigzag(2);
  w.end_struct();
  ThriftReader r(reinterpret_cast<const std::uint8_t*>(buf.data()), buf.size());
  PageHeader h;
  auto status = decode_page_header(r, h);
  ASSERT_FALSE(r.failed()) << message(status);
  EXPECT_EQ(h.type, PageType::DataPageV2);
  EXPECT_EQ(h.uncompressed_page_size, 100);
  EXPECT_EQ(h.compressed_page_size, 50);
  EXPECT_EQ(r.position(), buf.size());
}

TEST(Thrift, LimitsNestingDepth) {
  std::string buf;
  for (int i = 0; i < 40; ++i) buf += '\x1c';  // field 1, struct, nested
  buf.append(41, '\0');
  ThriftReader r(reinterpret_cast<const std::uint8_t*>(buf.data()), buf.size());
  FileMetaData m;
  auto status = decode_file_metadata(r, m);
  ASSERT_TRUE(r.failed());
  EXPECT_EQ(message(status), "field FileMetaData.version has Thrift type 12");
  ThriftReader skipper(reinterpret_cast<const std::uint8_t*>(buf.data()), buf.size());
  skipper.skip(ThriftType::Struct);
  ASSERT_TRUE(skipper.failed());
  EXPECT_EQ(message(skipper.status()), "Thrift structures nested deeper than 32");
}

TEST(Thrift, LengthsAndCountsAreBoundedByTheBytesLeft) {
  auto long_string = bytes({0x48, 0xff, 0xff, 0x03, 'a'});  // field 4 binary of 65535 bytes
  ThriftReader r(long_string.data(), long_string.size());
  r.skip(ThriftType::Struct);
  EXPECT_EQ(message(r.status()), "Thrift string length 65535 exceeds the 1 bytes left");
  auto big_list = bytes({0x29, 0xf5, 0xff, 0xff, 0xff, 0x0f});  // field 2 list of 2^25-1 i32
  ThriftReader l(big_list.data(), big_list.size());
  l.skip(ThriftType::Struct);
  EXPECT_EQ(message(l.status()), "Thrift list of 33554431 elements exceeds the 0 bytes left");
  auto truncated = bytes({0x15});  // field 1 i32 with no value
  ThriftReader t(truncated.data(), truncated.size());
  t.skip(ThriftType::Struct);
  EXPECT_EQ(message(t.status()), "truncated Thrift varint");
}

TEST(StringInterner, GivesOneCodePerDistinctString) {
  std::vector<std::string> dict = {"a", "b"};
  StringInterner interner(dict);
  EXPECT_EQ(interner.intern("b"), 1u);
  EXPECT_EQ(interner.intern("c"), 2u);
  for (int i = 0; i < 10000; ++i) interner.intern("k" + std::to_string(i % 5000));
  EXPECT_EQ(dict.size(), 5003u);
  EXPECT_EQ(interner.intern("k4999"), 5002u);
  EXPECT_EQ(interner.intern("a"), 0u);
}

}  // namespace
}  // namespace leanscope::parquet::detail
