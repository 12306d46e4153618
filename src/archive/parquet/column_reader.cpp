#include "archive/parquet/column_reader.h"

#include <algorithm>
#include <cstring>
#include <limits>

#include "archive/parquet/rle_bitpacked.h"

namespace leanscope::parquet::detail {
namespace {

// A page may declare at most this many uncompressed bytes per compressed byte
// (plus a fixed allowance): bounds the buffer a lying header can make us allocate.
constexpr std::uint64_t kMaxRatio = 4096;
constexpr std::uint64_t kRatioAllowance = 16u << 20;

}  // namespace

void ColumnReader::reserve_rows(std::size_t rows) {
  reserve(rows);
  if (leaf_.optional) {
    out_.valid.assign(rows, 1);
  }
}

Status ColumnReader::read_indexes(const std::uint8_t* data, std::size_t size, std::size_t count,
                                  std::size_t dict_size) {
  indexes_.resize(count);
  if (count == 0) return {};
  if (size < 1) return make_error("dictionary indexes are missing");
  const int width = data[0];
  if (width > 32) return make_error("dictionary index bit width {} is over 32", width);
  RleBitPackedDecoder decoder(data + 1, size - 1, width);
  if (!decoder.get_batch(indexes_.data(), count).ok())
    return make_error("dictionary indexes are truncated or malformed");
  std::uint32_t top = 0;
  for (std::uint32_t v : indexes_) top = std::max(top, v);
  if (top >= dict_size) return make_error("dictionary index {} is out of range (dictionary of {})", top, dict_size);
  return {};
}

Status ColumnReader::read_page_levels(const std::uint8_t* data, std::size_t size, Encoding encoding,
                                      bool length_prefixed, std::size_t rows, std::size_t at, std::size_t& used,
                                      std::size_t& present) {
  std::uint8_t* valid = out_.valid.data() + at;
  if (encoding == Encoding::BitPacked) {
    std::size_t bytes = (rows + 7) / 8;
    if (bytes > size) return make_error("BIT_PACKED definition levels run past the page");
    unpack_bits_msb(data, 1, valid, rows);
    used = bytes;
  } else if (encoding == Encoding::Rle) {
    std::size_t len = size;
    std::size_t skip = 0;
    if (length_prefixed) {
      if (size < 4) return make_error("definition levels length is missing");
      std::uint32_t n;
      std::memcpy(&n, data, 4);
      if (n > size - 4) return make_error("definition levels length {} runs past the page", n);
      len = n;
      skip = 4;
    }
    RleBitPackedDecoder decoder(data + skip, len, 1);
    if (!decoder.get_batch(valid, rows).ok()) return make_error("definition levels are truncated or malformed");
    used = skip + len;
  } else {
    return make_error("definition level encoding {} is not supported", encoding_name(encoding));
  }
  std::size_t n = 0;
  for (std::size_t i = 0; i < rows; ++i) n += valid[i];
  present = n;
  return {};
}

Status ColumnReader::read_chunk(std::span<const std::uint8_t> file, const ColumnMetaData& meta, std::size_t row_offset,
                                std::size_t rows, Codecs& codecs) {
  if (rows_read() != row_offset)
    return make_error(ErrorKind::Internal, "column chunk for row {} read after {} rows", row_offset, rows_read());
  begin_chunk(file, meta, rows);
  while (!chunk_done()) LEANSCOPE_TRY(read_page(codecs));
  return {};
}

void ColumnReader::begin_chunk(std::span<const std::uint8_t> file, const ColumnMetaData& meta, std::size_t rows) {
  const ChunkRange range = chunk_range(meta);
  chunk_ = ChunkState{};
  chunk_.file = file.data();
  chunk_.meta = &meta;
  chunk_.pos = file.data() + range.start;
  chunk_.end = chunk_.pos + range.size;
  chunk_.rows = rows;
  start_chunk();
}

Status ColumnReader::read_page(Codecs& codecs) {
  const ColumnMetaData& meta = *chunk_.meta;
  const std::uint8_t*& pos = chunk_.pos;
  const std::uint8_t* const end = chunk_.end;
  const std::size_t rows = chunk_.rows;
  const std::size_t done = chunk_.done;
  while (true) {
    const std::size_t page_offset = static_cast<std::size_t>(pos - chunk_.file);
    auto page_error = [&](const Error& e) { return prefix_error(fmt::format("page at byte {}", page_offset), e); };
    if (pos >= end) return make_error("column chunk ends after {} of {} values (at byte {})", done, rows, page_offset);
    ThriftReader thrift(pos, static_cast<std::size_t>(end - pos));
    PageHeader header;
    if (auto s = decode_page_header(thrift, header); !s.ok())
      return prefix_error(fmt::format("page at byte {}: bad page header", page_offset), s.error());
    pos += thrift.position();
    if (header.compressed_page_size < 0 ||
        static_cast<std::size_t>(header.compressed_page_size) > static_cast<std::size_t>(end - pos))
      return make_error("page at byte {}: compressed size {} runs past the column chunk", page_offset,
                        header.compressed_page_size);
    if (header.uncompressed_page_size < 0 ||
        static_cast<std::uint64_t>(header.uncompressed_page_size) >
            static_cast<std::uint64_t>(header.compressed_page_size) * kMaxRatio + kRatioAllowance)
      return make_error("page at byte {}: uncompressed size {} is implausible for {} compressed bytes", page_offset,
                        header.uncompressed_page_size, header.compressed_page_size);
    const std::uint8_t* body = pos;
    const auto body_size = static_cast<std::size_t>(header.compressed_page_size);
    const auto raw_size = static_cast<std::size_t>(header.uncompressed_page_size);
    pos += body_size;

    // Decompresses [src, src + n) into page_buffer_ (or points at it when uncompressed).
    auto inflate = [&](const std::uint8_t* src, std::size_t n, std::size_t out_n,
                       const std::uint8_t*& result) -> Status {
      if (meta.codec == Codec::Uncompressed) {
        if (n != out_n) return make_error("uncompressed page of {} bytes declares {} bytes", n, out_n);
        result = src;
        return {};
      }
      if (page_buffer_.size() < out_n + 8) page_buffer_.resize(out_n + 8);
      LEANSCOPE_TRY(codecs.decompress(meta.codec, src, n, page_buffer_.data(), out_n));
      result = page_buffer_.data();
      return {};
    };

    if (header.type == PageType::DictionaryPage) {
      if (!header.dictionary_page) return make_error("page at byte {}: dictionary page without header", page_offset);
      const auto& d = *header.dictionary_page;
      if (d.encoding != Encoding::Plain && d.encoding != Encoding::PlainDictionary)
        return make_error("page at byte {}: dictionary encoding {} is not supported", page_offset,
                          encoding_name(d.encoding));
      if (d.num_values < 0) return make_error("page at byte {}: dictionary of {} values", page_offset, d.num_values);
      const std::uint8_t* data = nullptr;
      if (auto s = inflate(body, body_size, raw_size, data); !s.ok()) return page_error(s.error());
      if (auto s = read_dictionary(data, raw_size, static_cast<std::size_t>(d.num_values)); !s.ok())
        return page_error(s.error());
      chunk_.have_dictionary = true;
      continue;
    }
    if (header.type != PageType::DataPage && header.type != PageType::DataPageV2) continue;  // index pages etc.

    const bool v2 = header.type == PageType::DataPageV2;
    if (v2 ? !header.data_page_v2 : !header.data_page)
      return make_error("page at byte {}: data page without its header", page_offset);
    const std::int32_t num_values = v2 ? header.data_page_v2->num_values : header.data_page->num_values;
    const Encoding encoding = v2 ? header.data_page_v2->encoding : header.data_page->encoding;
    if (num_values < 0 || static_cast<std::size_t>(num_values) > rows - done)
      return make_error("page at byte {}: {} values, but only {} of the column chunk's {} remain", page_offset,
                        num_values, rows - done, rows);
    const auto n = static_cast<std::size_t>(num_values);
    // The page's first row in the column's vectors (the table's row when the
    // whole table is read; fewer when a batch reader emptied them).
    const std::size_t at = rows_read();
    if (leaf_.optional && out_.valid.size() < at + n) out_.valid.resize(at + n, 1);
    if ((encoding == Encoding::RleDictionary || encoding == Encoding::PlainDictionary) && !chunk_.have_dictionary)
      return make_error("page at byte {}: dictionary-encoded page without a dictionary page", page_offset);
    const std::uint8_t* values = nullptr;
    std::size_t values_size = 0;
    std::size_t present = n;
    if (!v2) {
      const std::uint8_t* data = nullptr;
      if (auto s = inflate(body, body_size, raw_size, data); !s.ok()) return page_error(s.error());
      std::size_t used = 0;
      if (leaf_.optional) {
        if (auto s = read_page_levels(data, raw_size, header.data_page->definition_level_encoding, true, n, at, used,
                                      present);
            !s.ok())
          return page_error(s.error());
      }
      values = data + used;
      values_size = raw_size - used;
    } else {
      const auto& h = *header.data_page_v2;
      if (h.repetition_levels_byte_length < 0 || h.definition_levels_byte_length < 0 ||
          static_cast<std::uint64_t>(h.repetition_levels_byte_length) + h.definition_levels_byte_length >
              std::min(body_size, raw_size))
        return make_error("page at byte {}: level lengths run past the page", page_offset);
      const auto rep = static_cast<std::size_t>(h.repetition_levels_byte_length);
      const auto def = static_cast<std::size_t>(h.definition_levels_byte_length);
      if (leaf_.optional) {
        std::size_t used = 0;
        if (auto s = read_page_levels(body + rep, def, Encoding::Rle, false, n, at, used, present); !s.ok())
          return page_error(s.error());
      }
      const std::uint8_t* src = body + rep + def;
      const std::size_t src_size = body_size - rep - def;
      values_size = raw_size - rep - def;
      if (h.is_compressed) {
        if (auto s = inflate(src, src_size, values_size, values); !s.ok()) return page_error(s.error());
      } else {
        if (src_size != values_size) return make_error("page at byte {}: sizes disagree", page_offset);
        values = src;
      }
    }
    if (auto s = read_values(encoding, values, values_size, present); !s.ok()) return page_error(s.error());
    if (rows_read() != at + present)
      return make_error(ErrorKind::Internal, "page at byte {}: {} rows after decoding, {} expected", page_offset,
                        rows_read(), at + present);
    if (leaf_.optional && present < n) spread(at, n, present, out_.valid.data() + at);
    chunk_.done += n;
    return {};
  }
}

}  // namespace leanscope::parquet::detail
