// A small streaming JSON writer: devnets.json, manifest.json, summary, truth.
// Doubles are written in shortest round-trip form; NaN and infinities as null.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace leanscope {

class JsonWriter {
 public:
  // indent = 0 writes compact JSON on one line.
  explicit JsonWriter(int indent = 0) : indent_(indent) {}

  JsonWriter& begin_object();
  JsonWriter& end_object();
  JsonWriter& begin_array();
  JsonWriter& end_array();
  JsonWriter& key(std::string_view k);
  JsonWriter& value(std::string_view v);
  JsonWriter& value(const char* v) { return value(std::string_view(v)); }
  JsonWriter& value(const std::string& v) { return value(std::string_view(v)); }
  JsonWriter& value(double v);
  JsonWriter& value(std::int64_t v);
  JsonWriter& value(int v) { return value(static_cast<std::int64_t>(v)); }
  JsonWriter& value(std::uint64_t v);
  JsonWriter& value(bool v);
  JsonWriter& null();
  // Inserts already-serialised JSON as a value.
  JsonWriter& raw(std::string_view json);

  [[nodiscard]] const std::string& str() const { return out_; }
  [[nodiscard]] std::string take() { return std::move(out_); }

 private:
  void before_value();
  void newline();

  std::string out_;
  int indent_;
  // Per open container: number of items written so far.
  std::vector<int> counts_;
  bool after_key_ = false;
};

// Appends s to out as a JSON string literal (quotes included).
void append_json_string(std::string& out, std::string_view s);

// Shortest text that reads back as the same double ("1", "0.1", "1e+21").
[[nodiscard]] std::string format_double(double v);

}  // namespace leanscope
