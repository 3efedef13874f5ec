// Writers for every export format and the one entry point the CLI calls.
//
// Every writer is deterministic: the same store and options give the same
// bytes. Strings are sanitised on the way out (invalid UTF-8 becomes U+FFFD,
// control characters become spaces) so that no name can break a format.
#pragma once

#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>

#include "export/selection.h"
#include "graph/graph_store.h"
#include "graph/status.h"

namespace kg::exporter {

enum class ExportFormat {
  kDot,        // GraphViz DOT.
  kSvg,        // DOT rendered by the `dot` program.
  kPng,        // DOT rendered by the `dot` program.
  kGraphml,    // GraphML with declared keys (Gephi, yEd).
  kCytoscape,  // Cytoscape.js elements JSON.
  kNeo4j,      // Directory with nodes.csv and relationships.csv for neo4j-admin import.
  kJsonl,      // One JSON object per event, with mentions (streamed).
  kHtml,       // Self-contained offline viewer.
};

// "dot", "svg", "png", "graphml", "cytoscape", "neo4j", "jsonl", "html".
std::string_view ExportFormatName(ExportFormat format);
std::optional<ExportFormat> ParseExportFormat(std::string_view name);

struct WriteOptions {
  // Graph name in DOT/GraphML comments and the HTML page title. Default: "kg".
  std::string title = "kg";
  // Evidence quotes embedded per edge in HTML (the earliest events). Default: 20.
  size_t max_quotes_per_edge = 20;
  // The GraphViz program used for SVG/PNG. Default: "dot" (searched in PATH).
  std::string dot_program = "dot";
};

struct ExportOptions {
  ExportFormat format = ExportFormat::kDot;
  // File to write; "" or "-" = standard output. For kNeo4j: a directory
  // (created when missing) and required.
  std::string output;
  SelectionOptions selection;
  WriteOptions write;
};

struct ExportSummary {
  size_t nodes = 0;
  size_t edges = 0;  // Collapsed edges (events for kJsonl).
  int64_t events = 0;
};

// Selects, then writes in `options.format`.
// Errors: kInvalidArgument for bad options (see SelectSubgraph), a missing
// neo4j directory; kNotFound for an unknown --around name or when the `dot`
// program is missing; kIoError when the output cannot be written or `dot` fails.
Result<ExportSummary> Export(const GraphReader& reader, const ExportOptions& options);

// Individual writers. Each writes the whole document to `out` and reports
// stream failures as kIoError.
Status WriteDot(const Subgraph& graph, const WriteOptions& options, std::ostream& out);
Status WriteGraphml(const GraphReader& reader, const Subgraph& graph, const WriteOptions& options,
                    std::ostream& out);
Status WriteCytoscape(const GraphReader& reader, const Subgraph& graph, std::ostream& out);
// Writes `dir`/nodes.csv and `dir`/relationships.csv (directory must exist).
Status WriteNeo4jCsv(const GraphReader& reader, const Subgraph& graph, const std::string& dir);
// Streams one line per selected event (doc id, date, actors, relation,
// CAMEO, negation, speaker, every mention with offsets and quote); returns
// the number of lines. Nothing is held per event: whole-graph selections read
// the events document by document; selections that need collapsed counts
// (around, min_count, top) hold the collapsed edges and emit edge by edge.
Result<int64_t> WriteJsonLines(const GraphReader& reader, const SelectionOptions& selection,
                               std::ostream& out);
// A self-contained page (inline CSS/JS, no network). The data block holds
// every node and edge with per-date counts and up to max_quotes_per_edge
// evidence quotes per edge, so it is meant for graphs of up to a few thousand
// edges (use --top / --min-count / --around for larger stores). The page
// reads deep links such as #from=2016-10-05&to=2016-10-31&relation=accuse,warn&edge=3.
Status WriteHtml(const GraphReader& reader, const Subgraph& graph, const WriteOptions& options,
                 std::ostream& out);
// Pipes `dot_text` through `program -T<format>` into `output` ("" = stdout).
// REQUIRES: format is "svg" or "png".
Status RenderDot(const std::string& dot_text, std::string_view format, const std::string& program,
                 const std::string& output);

// Escaping helpers, exposed for tests.
// Valid UTF-8 with control characters (other than \n and \t) replaced.
std::string SanitizeText(std::string_view text);
// A DOT double-quoted string: backslashes doubled, quotes escaped, newlines
// as \n, so the value renders literally in labels.
std::string DotQuote(std::string_view text);

}  // namespace kg::exporter
