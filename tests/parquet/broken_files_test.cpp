// Deliberately broken files: each must be one clear error naming the file,
// never a crash. The files are built here by hand from the format's structs;
// tests/parquet/broken/ holds the same bytes (LEANSCOPE_WRITE_BROKEN=1 rewrites
// them) for the CLI tests and the fuzz seeds.
#include <gtest/gtest.h>

#include <cstring>
#include <functional>
#include <map>

#include "archive/parquet/compression.h"
#include "archive/parquet/metadata.h"
#include "archive/parquet/parquet.h"
#include "archive/parquet/rle_bitpacked.h"
#include "support/test_support.h"

namespace leanscope::parquet {
namespace {

namespace fs = std::filesystem;
using namespace detail;

struct Page {
  PageHeader header;
  std::string body;         // as stored (compressed when the codec says so)
  bool keep_sizes = false;  // keep the header's sizes instead of the body's
};

std::string plain_i64(std::initializer_list<std::int64_t> values) {
  std::string s;
  for (auto v : values) s.append(reinterpret_cast<const char*>(&v), 8);
  return s;
}

Page data_page(std::string body, std::int32_t values, Encoding encoding = Encoding::Plain) {
  Page p;
  p.header.type = PageType::DataPage;
  p.header.data_page.emplace();
  p.header.data_page->num_values = values;
  p.header.data_page->encoding = encoding;
  p.body = std::move(body);
  return p;
}

Page dictionary_page(std::string body, std::int32_t values) {
  Page p;
  p.header.type = PageType::DictionaryPage;
  p.header.dictionary_page.emplace();
  p.header.dictionary_page->num_values = values;
  p.body = std::move(body);
  return p;
}

// One column `leaf` in one row group of `rows` rows made of `pages`.
std::string build(SchemaElement leaf, std::vector<Page> pages, std::int64_t rows, Codec codec = Codec::Uncompressed,
                  const std::function<void(FileMetaData&)>& tweak = {}) {
  std::string file = "PAR1";
  ColumnMetaData m;
  m.type = *leaf.type;
  m.path_in_schema = {leaf.name};
  m.codec = codec;
  m.num_values = rows;
  m.encodings = {Encoding::Plain};
  const auto start = static_cast<std::int64_t>(file.size());
  m.data_page_offset = start;
  for (auto& p : pages) {
    if (p.header.type == PageType::DictionaryPage) {
      m.dictionary_page_offset = static_cast<std::int64_t>(file.size());
    } else if (m.data_page_offset == start && m.dictionary_page_offset) {
      m.data_page_offset = static_cast<std::int64_t>(file.size());
    }
    if (!p.keep_sizes) {
      p.header.compressed_page_size = static_cast<std::int32_t>(p.body.size());
      if (codec == Codec::Uncompressed) p.header.uncompressed_page_size = p.header.compressed_page_size;
    }
    encode_page_header(p.header, file);
    file += p.body;
  }
  m.total_compressed_size = static_cast<std::int64_t>(file.size()) - start;
  m.total_uncompressed_size = m.total_compressed_size;
  FileMetaData meta;
  meta.num_rows = rows;
  SchemaElement root;
  root.name = "schema";
  root.num_children = 1;
  meta.schema = {root, leaf};
  RowGroup g;
  g.num_rows = rows;
  g.columns.emplace_back();
  g.columns[0].meta_data = m;
  meta.row_groups = {g};
  meta.created_by = "leanscope broken-file generator";
  if (tweak) tweak(meta);
  const std::size_t footer = file.size();
  encode_file_metadata(meta, file);
  auto len = static_cast<std::uint32_t>(file.size() - footer);
  file.append(reinterpret_cast<const char*>(&len), 4);
  file += "PAR1";
  return file;
}

SchemaElement int64_leaf() {
  SchemaElement e;
  e.name = "v";
  e.type = PhysicalType::Int64;
  e.repetition = Repetition::Required;
  return e;
}

SchemaElement string_leaf() {
  SchemaElement e;
  e.name = "s";
  e.type = PhysicalType::ByteArray;
  e.repetition = Repetition::Required;
  e.converted_type = ConvertedType::Utf8;
  e.logical.kind = LogicalKind::String;
  return e;
}

std::string valid_file() { return build(int64_leaf(), {data_page(plain_i64({1, 2, 3}), 3)}, 3); }

std::string zstd(const std::string& raw) {
  Codecs codecs;
  std::string out;
  EXPECT_TRUE(codecs.compress(Codec::Zstd, reinterpret_cast<const std::uint8_t*>(raw.data()), raw.size(), out).ok());
  return out;
}

struct Case {
  std::string bytes;
  std::string message;  // after "broken/<name>.parquet: "
};

std::map<std::string, Case> broken_cases() {
  std::map<std::string, Case> cases;
  const std::string good = valid_file();
  cases["empty"] = {"", "not a Parquet file (0 bytes, too short)"};
  cases["bad_magic"] = {"PAR2" + good.substr(4), "not a Parquet file (no PAR1 magic at the start)"};
  cases["truncated"] = {good.substr(0, good.size() - 3), "not a Parquet file (no PAR1 magic at the end; truncated?)"};
  {
    std::string b = good;
    std::uint32_t huge = 0x7fffffff;
    std::memcpy(b.data() + b.size() - 8, &huge, 4);
    cases["footer_length_lie"] = {b, fmt::format("footer length 2147483647 exceeds the file size {}", b.size())};
  }
  {
    std::string b = good;
    std::uint32_t len;
    std::memcpy(&len, b.data() + b.size() - 8, 4);
    std::memset(b.data() + b.size() - 8 - len, 0xff, len);
    cases["footer_garbage"] = {b, "bad footer: bad Thrift field type 15 (at byte 1 of " + std::to_string(len) + ")"};
  }
  cases["offset_past_end"] = {
      build(int64_leaf(), {data_page(plain_i64({1, 2, 3}), 3)}, 3, Codec::Uncompressed,
            [](FileMetaData& m) { m.row_groups[0].columns[0].meta_data->data_page_offset = 1 << 20; }),
      "column 'v': row group 0 pages at bytes [1048576, +41) lie outside the data (45 bytes)"};
  cases["rows_lie"] = {build(int64_leaf(), {data_page(plain_i64({1, 2, 3}), 3)}, 3, Codec::Uncompressed,
                             [](FileMetaData& m) { m.num_rows = 1'000'000'000'000; }),
                       "the footer declares 1000000000000 rows, more than a file of 150 bytes can hold"};
  {
    Page p = data_page(plain_i64({1, 2, 3}), 3);
    p.keep_sizes = true;
    p.header.compressed_page_size = 1000;
    p.header.uncompressed_page_size = 1000;
    cases["page_size_lie"] = {
        build(int64_leaf(), {p}, 3),
        "column 'v': row group 0: page at byte 4: compressed size 1000 runs past the column chunk"};
  }
  {
    std::string z = zstd(plain_i64({1, 2, 3}));
    Page p = data_page(z, 3);
    p.keep_sizes = true;
    p.header.compressed_page_size = static_cast<std::int32_t>(z.size());
    p.header.uncompressed_page_size = 1 << 30;
    cases["huge_uncompressed_size"] = {
        build(int64_leaf(), {p}, 3, Codec::Zstd),
        fmt::format("column 'v': row group 0: page at byte 4: uncompressed size 1073741824 is implausible for {} "
                    "compressed bytes",
                    z.size())};
  }
  {
    std::string z = zstd(plain_i64({1, 2, 3}));
    for (std::size_t i = 6; i < z.size(); ++i) z[i] = static_cast<char>(z[i] ^ 0x5a);
    Page p = data_page(z, 3);
    p.keep_sizes = true;
    p.header.compressed_page_size = static_cast<std::int32_t>(z.size());
    p.header.uncompressed_page_size = 24;
    cases["bad_zstd"] = {build(int64_leaf(), {p}, 3, Codec::Zstd),
                         "column 'v': row group 0: page at byte 4: ZSTD data is corrupt (Data corruption detected)"};
  }
  {
    std::string dict;
    for (const char* s : {"a", "b"}) {
      std::uint32_t n = 1;
      dict.append(reinterpret_cast<const char*>(&n), 4);
      dict += s;
    }
    std::string indexes(1, '\x02');       // bit width 2
    std::uint32_t values[3] = {0, 1, 3};  // 3 is not in a dictionary of 2
    rle_encode(values, 3, 2, indexes);
    cases["dictionary_index_out_of_range"] = {
        build(string_leaf(), {dictionary_page(dict, 2), data_page(indexes, 3, Encoding::RleDictionary)}, 3),
        "column 's': row group 0: page at byte 27: dictionary index 3 is out of range (dictionary of 2)"};
  }
  cases["too_few_values"] = {build(int64_leaf(), {data_page(plain_i64({1, 2}), 2)}, 3),
                             "column 'v': row group 0: column chunk ends after 2 of 3 values (at byte 37)"};
  cases["plain_too_short"] = {build(int64_leaf(), {data_page(plain_i64({1, 2}), 3)}, 3),
                              "column 'v': row group 0: page at byte 4: PLAIN integer page holds 16 bytes, too few "
                              "for 3 values"};
  {
    SchemaElement group;
    group.name = "nested";
    group.num_children = 1;
    group.repetition = Repetition::Optional;
    cases["nested"] = {build(int64_leaf(), {data_page(plain_i64({1}), 1)}, 1, Codec::Uncompressed,
                             [&](FileMetaData& m) { m.schema.insert(m.schema.begin() + 1, group); }),
                       "column 'nested' is nested (a group); only flat schemas are supported"};
  }
  {
    SchemaElement leaf = int64_leaf();
    leaf.repetition = Repetition::Repeated;
    cases["repeated"] = {build(leaf, {data_page(plain_i64({1}), 1)}, 1),
                         "column 'v' is repeated; only flat schemas are supported"};
  }
  return cases;
}

TEST(ParquetBrokenFiles, EachIsOneClearError) {
  for (const auto& [name, c] : broken_cases()) {
    SCOPED_TRACE(name);
    const std::string label = "broken/" + name + ".parquet";
    auto t =
        read_table_from_buffer(std::span(reinterpret_cast<const std::uint8_t*>(c.bytes.data()), c.bytes.size()), label);
    ASSERT_FALSE(t.ok());
    EXPECT_EQ(t.error().message, label + ": " + c.message);
    EXPECT_EQ(t.error().message.find('\n'), std::string::npos);
  }
}

TEST(ParquetBrokenFiles, HandBuiltValidFileReads) {
  const std::string good = valid_file();
  auto t = read_table_from_buffer(std::span(reinterpret_cast<const std::uint8_t*>(good.data()), good.size()), "ok");
  ASSERT_TRUE(t.ok()) << t.error().message;
  EXPECT_EQ(t->columns[0].ints, (std::vector<std::int64_t>{1, 2, 3}));
}

TEST(ParquetBrokenFiles, CommittedFixturesMatchTheGenerator) {
  const fs::path dir = testing::source_dir() / "tests/parquet/broken";
  const bool write = std::getenv("LEANSCOPE_WRITE_BROKEN") != nullptr;
  for (const auto& [name, c] : broken_cases()) {
    const fs::path path = dir / (name + ".parquet");
    if (write) {
      fs::create_directories(dir);
      testing::write_text(path, c.bytes);
    }
    ASSERT_TRUE(fs::exists(path)) << path << " (run with LEANSCOPE_WRITE_BROKEN=1)";
    EXPECT_EQ(testing::read_text(path), c.bytes) << name;
    auto t = read_table(path);
    ASSERT_FALSE(t.ok());
    EXPECT_EQ(t.error().message, path.string() + ": " + c.message);
  }
}

}  // namespace
}  // namespace leanscope::parquet
