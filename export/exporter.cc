#include "export/exporter.h"

#include <array>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <utility>

#include "export/internal.h"

namespace kg::exporter {
namespace {

constexpr std::array<std::pair<ExportFormat, std::string_view>, 8> kFormats = {{
    {ExportFormat::kDot, "dot"},
    {ExportFormat::kSvg, "svg"},
    {ExportFormat::kPng, "png"},
    {ExportFormat::kGraphml, "graphml"},
    {ExportFormat::kCytoscape, "cytoscape"},
    {ExportFormat::kNeo4j, "neo4j"},
    {ExportFormat::kJsonl, "jsonl"},
    {ExportFormat::kHtml, "html"},
}};

bool IsStdout(const std::string& output) { return output.empty() || output == "-"; }

// Runs `write` on the output file (or stdout).
template <typename Fn>
Status WithOutput(const std::string& output, Fn write) {
  if (IsStdout(output)) {
    KG_RETURN_IF_ERROR(write(std::cout));
    std::cout.flush();
    return internal::StreamStatus(std::cout, "standard output");
  }
  std::ofstream out(output, std::ios::binary | std::ios::trunc);
  if (!out) return Status::IoError("cannot write '" + output + "'");
  KG_RETURN_IF_ERROR(write(out));
  out.flush();
  if (!out) return Status::IoError("writing '" + output + "' failed");
  return Status::Ok();
}

}  // namespace

std::string_view ExportFormatName(ExportFormat format) {
  for (const auto& [f, name] : kFormats) {
    if (f == format) return name;
  }
  return "dot";
}

std::optional<ExportFormat> ParseExportFormat(std::string_view name) {
  for (const auto& [f, n] : kFormats) {
    if (n == name) return f;
  }
  return std::nullopt;
}

Result<ExportSummary> Export(const GraphReader& reader, const ExportOptions& options) {
  ExportSummary summary;
  if (options.format == ExportFormat::kJsonl) {
    int64_t lines = 0;
    KG_RETURN_IF_ERROR(WithOutput(options.output, [&](std::ostream& out) -> Status {
      KG_ASSIGN_OR_RETURN(lines, WriteJsonLines(reader, options.selection, out));
      return Status::Ok();
    }));
    summary.edges = static_cast<size_t>(lines);
    summary.events = lines;
    return summary;
  }
  if (options.format == ExportFormat::kNeo4j && IsStdout(options.output)) {
    return Status::InvalidArgument("--format neo4j writes two files: give a directory with -o");
  }

  KG_ASSIGN_OR_RETURN(Subgraph graph, SelectSubgraph(reader, options.selection));
  summary.nodes = graph.nodes.size();
  summary.edges = graph.edges.size();
  for (const ExportEdge& e : graph.edges) summary.events += e.count;

  switch (options.format) {
    case ExportFormat::kDot:
      KG_RETURN_IF_ERROR(WithOutput(
          options.output, [&](std::ostream& out) { return WriteDot(graph, options.write, out); }));
      break;
    case ExportFormat::kSvg:
    case ExportFormat::kPng: {
      std::ostringstream dot;
      KG_RETURN_IF_ERROR(WriteDot(graph, options.write, dot));
      KG_RETURN_IF_ERROR(RenderDot(dot.str(), ExportFormatName(options.format),
                                   options.write.dot_program,
                                   IsStdout(options.output) ? "" : options.output));
      break;
    }
    case ExportFormat::kGraphml:
      KG_RETURN_IF_ERROR(WithOutput(options.output, [&](std::ostream& out) {
        return WriteGraphml(reader, graph, options.write, out);
      }));
      break;
    case ExportFormat::kCytoscape:
      KG_RETURN_IF_ERROR(WithOutput(
          options.output, [&](std::ostream& out) { return WriteCytoscape(reader, graph, out); }));
      break;
    case ExportFormat::kNeo4j: {
      std::error_code ec;
      std::filesystem::create_directories(options.output, ec);
      if (ec || !std::filesystem::is_directory(options.output)) {
        return Status::IoError("cannot create directory '" + options.output + "'" +
                               (ec ? ": " + ec.message() : ""));
      }
      KG_RETURN_IF_ERROR(WriteNeo4jCsv(reader, graph, options.output));
      break;
    }
    case ExportFormat::kHtml:
      KG_RETURN_IF_ERROR(WithOutput(options.output, [&](std::ostream& out) {
        return WriteHtml(reader, graph, options.write, out);
      }));
      break;
    case ExportFormat::kJsonl:
      break;  // Handled above.
  }
  return summary;
}

}  // namespace kg::exporter
