// Every archived row of a devnet, for tests that check what a later fetch
// kept, added or changed. Header-only: only tests that link the archive
// stage include it.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "archive/datasets.h"
#include "archive/parquet/parquet.h"
#include "archive/read.h"

namespace leanscope::testing {

// Every series' samples of every dataset of a devnet, by dataset id.
using ArchiveRows = std::map<std::string, std::vector<archive::KeyedSeries>>;

// Every row of one Parquet dataset file: "strings and timestamps|..." (its
// client, instance, time and labels) -> value. Two rows with one key fail
// the test.
inline std::map<std::string, double> dataset_file_rows(const std::filesystem::path& file) {
  std::map<std::string, double> rows;
  auto table = parquet::read_table(file);
  EXPECT_TRUE(table.ok()) << file << ": " << (table.ok() ? "" : table.error().message);
  if (!table.ok()) return rows;
  for (std::size_t r = 0; r < table->num_rows; ++r) {
    std::string key;
    double value = 0;
    for (const auto& c : table->columns) {
      if (c.kind == parquet::ValueKind::String)
        key += c.string_at(r) + "|";
      else if (c.kind == parquet::ValueKind::Timestamp)
        key += std::to_string(c.millis_at(r)) + "|";
      else
        value = c.doubles[r];
    }
    EXPECT_TRUE(rows.emplace(key, value).second) << file << ": two rows " << key;
  }
  return rows;
}

inline ArchiveRows read_archive_rows(const std::filesystem::path& data, const std::string& devnet) {
  ArchiveRows rows;
  for (const auto& spec : archive::datasets()) {
    auto read = archive::read_dataset(data, devnet, spec.id, {0, 4'000'000'000'000});
    EXPECT_TRUE(read.ok()) << spec.id;
    if (read.ok()) rows[spec.id] = std::move(read->series);
  }
  return rows;
}

inline std::size_t count_rows(const std::vector<archive::KeyedSeries>& series) {
  std::size_t n = 0;
  for (const auto& s : series) n += s.series.size();
  return n;
}

// The series of `series` with the client and labels of `like`, or null.
inline const archive::KeyedSeries* same_series(const std::vector<archive::KeyedSeries>& series,
                                               const archive::KeyedSeries& like) {
  const archive::KeyedSeries* same = nullptr;
  for (const auto& s : series) {
    if (s.client == like.client && s.labels == like.labels) same = &s;
  }
  return same;
}

// Rows a later archive must keep: every series of `before` is in `after`
// with the same samples up to `until` (rows after it may be corrected).
inline void expect_rows_kept(const ArchiveRows& before, const ArchiveRows& after, TimeMs until) {
  for (const auto& [dataset, series] : before) {
    EXPECT_GE(count_rows(after.at(dataset)), count_rows(series)) << dataset;
    std::size_t compared = 0;
    for (const auto& s : series) {
      const archive::KeyedSeries* same = same_series(after.at(dataset), s);
      ASSERT_NE(same, nullptr) << dataset << " " << s.client;
      for (std::size_t i = 0; i < s.series.size(); ++i) {
        if (s.series.t[i] >= until) break;
        ASSERT_LT(i, same->series.size()) << dataset;
        EXPECT_EQ(same->series.t[i], s.series.t[i]) << dataset << " " << s.client;
        EXPECT_EQ(same->series.v[i], s.series.v[i]) << dataset << " " << s.client;
        ++compared;
      }
    }
    EXPECT_GT(compared, 0u) << dataset;
  }
}

// The newest head_slot row (0 when none).
inline TimeMs newest_head_slot(const ArchiveRows& rows) {
  TimeMs last = 0;
  for (const auto& s : rows.at("head_slot")) {
    if (!s.series.t.empty()) last = std::max(last, s.series.t.back());
  }
  return last;
}

}  // namespace leanscope::testing
