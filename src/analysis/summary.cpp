// summary --format json|table|csv from the reports' models.
#include "analysis/summary.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <set>

#include "common/json_writer.h"
#include "common/text_table.h"

namespace leanscope::analysis {

namespace {
const std::vector<std::string>& clients_of(const DevnetAnalysis& a) {
  static const std::vector<std::string> kNone;
  return a.models.empty() ? kNone : a.models.front().clients;
}

std::vector<std::string> prefix_of(const ReportModel& m) {
  return m.figures_key.empty() ? std::vector<std::string>{} : std::vector<std::string>{m.figures_key};
}

const archive::Devnet* devnet_of(const DevnetAnalysis& a) {
  return a.models.empty() ? nullptr : &a.models.front().devnet;
}
}  // namespace

std::vector<Finding> all_findings(const DevnetAnalysis& a) {
  std::vector<Finding> out;
  for (const auto& m : a.models) out.insert(out.end(), m.findings.begin(), m.findings.end());
  std::stable_sort(out.begin(), out.end(), [](const Finding& x, const Finding& y) { return x.start < y.start; });
  return out;
}

std::map<std::string, Figures> client_figures(const DevnetAnalysis& a) {
  std::map<std::string, Figures> out;
  for (const auto& c : clients_of(a)) {
    auto& f = out[c];
    for (const auto& m : a.models) {
      const auto it = m.client_figures.find(c);
      if (it != m.client_figures.end()) f.append(prefix_of(m), it->second);
    }
  }
  return out;
}

Figures network_figures(const DevnetAnalysis& a) {
  Figures out;
  // Network figures carry their whole path (network.head_to_finalized,
  // network.pq_signatures.verification_s): reports nest them as the
  // contract says, not always under their own key.
  for (const auto& m : a.models) out.append({}, m.network_figures);
  return out;
}

std::string summary_json(const DevnetAnalysis& a, bool pretty) {
  JsonWriter w(pretty ? 2 : 0);
  w.begin_object();
  if (const auto* d = devnet_of(a)) {
    w.key("devnet");
    archive::write_devnet_json(w, *d);
  }
  const auto figures = client_figures(a);
  w.key("clients").begin_object();
  for (const auto& c : clients_of(a)) {
    w.key(c).begin_object();
    write_figures(w, figures.at(c));
    w.end_object();
  }
  w.end_object();
  w.key("findings").begin_array();
  for (const auto& f : all_findings(a)) {
    w.begin_object();
    w.key("client").value(f.client);
    w.key("kind").value(f.kind);
    w.key("start").value(format_iso_z(f.start));
    w.key("end").value(format_iso_z(f.end));
    w.key("detail").value(f.detail);
    w.end_object();
  }
  w.end_array();
  const auto network = network_figures(a);
  if (!network.empty()) {
    w.key("network").begin_object();
    write_figures(w, network);
    w.end_object();
  }
  w.end_object();
  return w.take();
}

std::string summary_table(const DevnetAnalysis& a, std::optional<std::string_view> report) {
  std::string out;
  if (const auto* d = devnet_of(a)) {
    out = fmt::format("Devnet {}: {} to {} ({})", d->id, format_iso_z(d->start), format_iso_z(d->end),
                      format_duration(d->end - d->start));
    if (d->start_slot || d->end_slot) {
      out += fmt::format(", slots {} to {}", d->start_slot ? std::to_string(*d->start_slot) : "-",
                         d->end_slot ? std::to_string(*d->end_slot) : "-");
    }
    const auto n = clients_of(a).size();
    out += fmt::format(", {} client{}", n, n == 1 ? "" : "s");
    for (const auto& m : a.models) {
      for (const auto& f : m.facts) out += fmt::format(", {} {}", f.term, f.value);
    }
    out += "\n";
  }
  for (const auto& m : a.models) {
    if (report && m.id != *report) continue;
    out += fmt::format("\n{}\n", m.title);
    if (m.summary_table.rows.empty()) {
      out += "  no data\n";
    } else {
      std::vector<std::vector<std::string>> rows;
      std::vector<std::string> header;
      for (const auto& c : m.summary_table.columns) header.push_back(c.title);
      rows.push_back(std::move(header));
      for (const auto& r : m.summary_table.rows) rows.push_back(r);
      out += aligned_table(rows);
    }
    for (const auto& section : m.sections) {
      if (!section.note.empty()) out += section.note + "\n";
    }
  }
  // The findings of the reports shown (each model's are sorted by start).
  std::vector<Finding> findings;
  if (!report) {
    findings = all_findings(a);
  } else {
    for (const auto& m : a.models) {
      if (m.id == *report) findings.insert(findings.end(), m.findings.begin(), m.findings.end());
    }
  }
  if (findings.empty()) {
    out += "\nNo findings.\n";
    return out;
  }
  out += "\nFindings:\n";
  std::vector<std::vector<std::string>> lines;
  for (const auto& f : findings) {
    lines.push_back({"  " + format_iso_z(f.start), f.kind, f.client.empty() ? std::string("-") : f.client, f.detail});
  }
  // The detail is free text: left-aligned like the first column.
  std::vector<std::size_t> width(3, 0);
  for (const auto& l : lines) {
    for (std::size_t i = 0; i < 3; ++i) width[i] = std::max(width[i], l[i].size());
  }
  for (const auto& l : lines) {
    out += fmt::format("{:<{}}  {:<{}}  {:<{}}  {}\n", l[0], width[0], l[1], width[1], l[2], width[2], l[3]);
  }
  return out;
}

std::string summary_csv(const DevnetAnalysis& a) {
  const auto figures = client_figures(a);
  // Columns: every figure path seen, in order of first appearance.
  std::vector<std::string> columns;
  std::set<std::string> seen;
  auto column_of = [](const Figure& f) {
    std::string name;
    for (std::size_t i = 0; i < f.path.size(); ++i) name += (i ? "_" : "") + f.path[i];
    return name;
  };
  for (const auto& c : clients_of(a)) {
    for (const auto& f : figures.at(c).items()) {
      auto name = column_of(f);
      if (seen.insert(name).second) columns.push_back(std::move(name));
    }
  }
  std::map<std::string, std::string> versions;
  if (!a.models.empty()) versions = a.models.front().versions;
  std::vector<std::string> header{"client", "version"};
  header.insert(header.end(), columns.begin(), columns.end());
  std::string out = csv_record(header);
  for (const auto& c : clients_of(a)) {
    std::map<std::string, std::string> cells;
    for (const auto& f : figures.at(c).items()) {
      cells[column_of(f)] = f.value && std::isfinite(*f.value) ? format_double(*f.value) : std::string();
    }
    const auto v = versions.find(c);
    std::vector<std::string> row{c, v == versions.end() ? std::string() : v->second};
    for (const auto& col : columns) row.push_back(cells[col]);
    out += csv_record(row);
  }
  return out;
}

}  // namespace leanscope::analysis
