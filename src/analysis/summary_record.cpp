// The summary record (summary_record.h): written from the models, read back
// as the figures compare and check use or as chart-less models.
#include "analysis/summary_record.h"

#include <fmt/format.h>
#include <simdjson.h>

#include <utility>

#include "analysis/summary.h"
#include "common/json_writer.h"

namespace leanscope::analysis {

namespace {

// Every member of a JSON object as figures under `prefix`.
void read_figures(simdjson::dom::object object, std::vector<std::string>& prefix, Figures& out) {
  for (auto [key, value] : object) {
    prefix.emplace_back(key);
    simdjson::dom::object inner;
    double number = 0;
    if (!value.get(inner)) {
      read_figures(inner, prefix, out);
    } else if (value.is_null()) {
      out.add(prefix, std::nullopt);
    } else if (!value.get_double().get(number)) {
      out.add(prefix, number);
    }
    prefix.pop_back();
  }
}

// What the terminal table shows of a report besides the figures. Times in
// Unix ms, so the findings' sentences and times come back exactly.
void write_report(JsonWriter& w, const ReportModel& m) {
  w.begin_object().key("id").value(m.id).key("title").value(m.title);
  w.key("facts").begin_array();
  for (const auto& f : m.facts) w.begin_array().value(f.term).value(f.value).end_array();
  w.end_array().key("columns").begin_array();
  for (const auto& c : m.summary_table.columns) w.value(c.title);
  w.end_array().key("rows").begin_array();
  for (const auto& row : m.summary_table.rows) {
    w.begin_array();
    for (const auto& cell : row) w.value(cell);
    w.end_array();
  }
  w.end_array().key("notes").begin_array();
  for (const auto& s : m.sections) {
    if (!s.note.empty()) w.value(s.note);
  }
  w.end_array().key("findings").begin_array();
  for (const auto& f : m.findings) {
    w.begin_object().key("client").value(f.client).key("kind").value(f.kind);
    w.key("start").value(f.start).key("end").value(f.end).key("detail").value(f.detail).end_object();
  }
  w.end_array().end_object();
}

[[nodiscard]] Result<std::vector<std::string>> read_strings(simdjson::dom::element e, std::string_view what) {
  simdjson::dom::array a;
  if (e.get(a)) return make_error("{}: not an array of strings", what);
  std::vector<std::string> out;
  for (auto item : a) {
    std::string_view s;
    if (item.get(s)) return make_error("{}: not an array of strings", what);
    out.emplace_back(s);
  }
  return out;
}

[[nodiscard]] Status read_report(simdjson::dom::object o, const std::string& where, ReportModel& m) {
  std::string_view title;
  if (o["title"].get(title)) return make_error("{}.title: missing", where);
  m.title = std::string(title);
  simdjson::dom::array facts, rows, findings;
  if (o["facts"].get(facts)) return make_error("{}.facts: missing", where);
  for (auto f : facts) {
    auto pair = read_strings(f, where + ".facts");
    if (!pair) return pair.error();
    if (pair->size() != 2) return make_error("{}.facts: a fact is not [term, value]", where);
    m.facts.push_back({std::move((*pair)[0]), std::move((*pair)[1])});
  }
  simdjson::dom::element columns_json, notes_json;
  if (o["columns"].get(columns_json)) return make_error("{}.columns: missing", where);
  auto columns = read_strings(columns_json, where + ".columns");
  if (!columns) return columns.error();
  for (auto& c : *columns) m.summary_table.columns.push_back({.title = std::move(c)});
  if (o["rows"].get(rows)) return make_error("{}.rows: missing", where);
  for (auto r : rows) {
    auto row = read_strings(r, where + ".rows");
    if (!row) return row.error();
    m.summary_table.rows.push_back(std::move(*row));
  }
  if (o["notes"].get(notes_json)) return make_error("{}.notes: missing", where);
  auto notes = read_strings(notes_json, where + ".notes");
  if (!notes) return notes.error();
  for (auto& n : *notes) {
    Section s;  // the table prints only the notes of a report's sections
    s.note = std::move(n);
    m.sections.push_back(std::move(s));
  }
  if (o["findings"].get(findings)) return make_error("{}.findings: missing", where);
  for (auto f : findings) {
    std::string_view client, kind, detail;
    std::int64_t start = 0, end = 0;
    if (f["client"].get(client) || f["kind"].get(kind) || f["detail"].get(detail) || f["start"].get(start) ||
        f["end"].get(end))
      return make_error("{}.findings: a finding without client, kind, start, end or detail", where);
    m.findings.push_back({std::string(client), std::string(kind), start, end, std::string(detail)});
  }
  return {};
}

}  // namespace

std::string summary_record_json(const DevnetAnalysis& analysis) {
  JsonWriter w(0);
  w.begin_object().key("versions").begin_object();
  if (!analysis.models.empty()) {
    for (const auto& [client, version] : analysis.models.front().versions) w.key(client).value(version);
  }
  w.end_object().key("summary").raw(summary_json(analysis));
  w.key("reports").begin_array();
  for (const auto& m : analysis.models) write_report(w, m);
  w.end_array().end_object();
  return w.take();
}

namespace {
// The figures, findings and versions of a parsed record.
Result<SummaryData> read_summary_data(simdjson::dom::element root, std::string_view name) {
  SummaryData out;
  simdjson::dom::object versions, summary, devnet, clients, network;
  if (!root["versions"].get(versions)) {
    for (auto [client, version] : versions) {
      std::string_view v;
      if (!version.get(v)) out.versions.emplace(std::string(client), std::string(v));
    }
  }
  if (root["summary"].get(summary)) return make_error("{}: no \"summary\" object", name);
  if (summary["devnet"].get(devnet)) return make_error("{}: summary.devnet: missing", name);
  std::string_view id, start;
  if (devnet["id"].get(id)) return make_error("{}: summary.devnet.id: missing", name);
  out.devnet = std::string(id);
  if (devnet["start_time"].get(start)) return make_error("{}: summary.devnet.start_time: missing", name);
  auto t = parse_iso8601(start);
  if (!t) return make_error("{}: summary.devnet.start_time: {}", name, t.error().message);
  out.start = *t;
  double hours = 0;
  if (!devnet["duration_hours"].get_double().get(hours)) out.duration_hours = hours;
  if (!summary["clients"].get(clients)) {
    for (auto [client, figures] : clients) {
      out.clients.emplace_back(client);
      auto& f = out.client[std::string(client)];
      simdjson::dom::object o;
      std::vector<std::string> prefix;
      if (!figures.get(o)) read_figures(o, prefix, f);
    }
  }
  if (!summary["network"].get(network)) {
    std::vector<std::string> prefix;
    read_figures(network, prefix, out.network);
  }
  simdjson::dom::array findings;
  if (!summary["findings"].get(findings)) {
    for (auto f : findings) {
      SummaryData::FindingEntry e;
      std::string_view client, kind, fs, fe;
      if (f["kind"].get(kind)) return make_error("{}: summary.findings: a finding without a kind", name);
      e.kind = std::string(kind);
      if (!f["client"].get(client)) e.client = std::string(client);
      if (!f["start"].get(fs)) {
        if (auto v = parse_iso8601(fs)) e.start = *v;
      }
      if (!f["end"].get(fe)) {
        if (auto v = parse_iso8601(fe)) e.end = *v;
      }
      out.findings.push_back(std::move(e));
    }
  }
  return out;
}
}  // namespace

Result<SummaryData> parse_summary_record(std::string_view json, std::string_view name) {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (auto e = parser.parse(json.data(), json.size()).get(root)) {
    return make_error("{}: not JSON ({})", name, simdjson::error_message(e));
  }
  return read_summary_data(root, name);
}

Result<SummaryData> summary_data(const DevnetAnalysis& analysis) {
  return parse_summary_record(summary_record_json(analysis), "summary");
}

Result<DevnetAnalysis> summary_models_from_record(std::string_view json, std::string_view name,
                                                  const archive::Devnet& devnet,
                                                  const std::vector<const ReportDefinition*>& reports) {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (auto e = parser.parse(json.data(), json.size()).get(root)) {
    return make_error("{}: not JSON ({})", name, simdjson::error_message(e));
  }
  auto data = read_summary_data(root, name);
  if (!data) return data.error();
  simdjson::dom::array entries;
  if (root["reports"].get(entries)) return make_error("{}: no \"reports\" array", name);
  if (entries.size() != reports.size())
    return make_error("{}: reports: {} reports, not {}", name, entries.size(), reports.size());
  DevnetAnalysis out;
  std::size_t k = 0;
  for (auto entry : entries) {
    const auto& definition = *reports[k++];
    const std::string where = fmt::format("{}: reports[{}]", name, k - 1);
    simdjson::dom::object o;
    std::string_view id;
    if (entry.get(o) || o["id"].get(id)) return make_error("{}.id: missing", where);
    if (id != definition.id) return make_error("{}.id: '{}', not '{}'", where, id, definition.id);
    ReportModel m;
    m.id = definition.id;
    m.devnet = devnet;
    m.clients = data->clients;
    m.versions = data->versions;
    LEANSCOPE_TRY(read_report(o, where, m));
    out.models.push_back(std::move(m));
  }
  // summary_json and summary_csv merge the reports' figures under each
  // report's key; the record holds them merged already.
  if (!out.models.empty()) {
    auto& first = out.models.front();
    first.client_figures = std::move(data->client);
    first.network_figures = std::move(data->network);
  }
  return out;
}

}  // namespace leanscope::analysis
