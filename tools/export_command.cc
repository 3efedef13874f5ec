// `kg export`: writes the graph, an ego network or a filtered part of it as
// DOT, SVG, PNG, GraphML, Cytoscape.js JSON, Neo4j CSV, JSON Lines or HTML.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "export/exporter.h"
#include "graph/date.h"
#include "graph/graph_store.h"
#include "tools/commands.h"

namespace kg::tools {
namespace {

struct ExportArgs {
  std::string format = "dot";
  std::string output;
  std::vector<std::string> around;
  int hops = 1;
  std::vector<std::string> relations;
  std::vector<std::string> cameo_classes;
  std::string from;
  std::string to;
  int64_t min_count = 1;
  size_t top = 0;
  bool include_negated = false;
  std::string title = "kg";
  size_t max_quotes = 20;
};

// Fills `options` from the arguments; kInvalidArgument on bad values.
Status BuildOptions(const ExportArgs& args, exporter::ExportOptions* options) {
  auto format = exporter::ParseExportFormat(args.format);
  if (!format) return Status::InvalidArgument("unknown format '" + args.format + "'");
  options->format = *format;
  options->output = args.output;
  exporter::SelectionOptions& sel = options->selection;
  sel.around = args.around;
  sel.hops = args.hops;
  sel.relations = args.relations;
  sel.cameo_classes = args.cameo_classes;
  if (!args.from.empty()) {
    auto date = ParseIsoDate(args.from);
    if (!date.ok()) return Status::InvalidArgument("--from: " + date.status().message());
    sel.date_from = *date;
  }
  if (!args.to.empty()) {
    auto date = ParseIsoDate(args.to);
    if (!date.ok()) return Status::InvalidArgument("--to: " + date.status().message());
    sel.date_to = *date;
  }
  if (args.min_count < 1) return Status::InvalidArgument("--min-count must be >= 1");
  sel.min_count = args.min_count;
  sel.top = args.top;
  sel.include_negated = args.include_negated;
  options->write.title = args.title;
  options->write.max_quotes_per_edge = args.max_quotes;
  return Status::Ok();
}

}  // namespace

void RegisterExportCommand(CLI::App& app, GlobalOptions& global, int* exit_code) {
  auto args = std::make_shared<ExportArgs>();
  CLI::App* cmd = app.add_subcommand(
      "export",
      "Write the graph (or an ego network / filtered part) as DOT, SVG, PNG, GraphML, "
      "Cytoscape.js JSON, Neo4j admin-import CSV, JSON Lines or a self-contained HTML viewer.\n"
      "Examples: kg export --format svg -o graph.svg\n"
      "          kg export --format html --around Russia --hops 2 -o russia.html");
  cmd->add_option("-f,--format", args->format,
                  "dot, svg, png (need GraphViz), graphml, cytoscape, neo4j, jsonl or html")
      ->check(
          CLI::IsMember({"dot", "svg", "png", "graphml", "cytoscape", "neo4j", "jsonl", "html"}))
      ->capture_default_str();
  cmd->add_option("-o,--output", args->output,
                  "Output file (default: standard output); a directory for neo4j");
  cmd->add_option("--around", args->around,
                  "Ego network around this actor (name or alias; repeatable)");
  cmd->add_option("--hops", args->hops, "Radius of the ego network")->capture_default_str();
  cmd->add_option("--relation", args->relations, "Keep only this relation (repeatable)");
  cmd->add_option("--cameo-class", args->cameo_classes,
                  "Keep only cooperation, conflict, verbal, material, verbal-cooperation, "
                  "material-cooperation, verbal-conflict, material-conflict, unknown, or a CAMEO "
                  "code prefix such as 11 (repeatable)");
  cmd->add_option("--from", args->from, "First date, YYYY-MM-DD (inclusive)");
  cmd->add_option("--to", args->to, "Last date, YYYY-MM-DD (inclusive)");
  cmd->add_option("--min-count", args->min_count, "Drop edges with fewer events")
      ->capture_default_str();
  cmd->add_option("--top", args->top, "Keep only the N actors with the most events (0 = all)")
      ->capture_default_str();
  cmd->add_flag("--include-negated", args->include_negated,
                "Also export negated events (\"did not accuse\") as dashed edges");
  cmd->add_option("--title", args->title, "Title of the HTML page / DOT comment")
      ->capture_default_str();
  cmd->add_option("--max-quotes", args->max_quotes, "Evidence quotes per edge in HTML")
      ->capture_default_str();
  cmd->callback([&global, args, exit_code]() {
    exporter::ExportOptions options;
    Status s = BuildOptions(*args, &options);
    if (!s.ok()) {
      PrintError("export", s.message());
      *exit_code = kExitUsage;
      return;
    }
    StoreOptions store_options;
    store_options.path = global.db_path;
    store_options.create_if_missing = false;
    store_options.read_only = true;
    auto store = GraphStore::Open(store_options);
    if (!store.ok()) {
      PrintError("export", store.status().message());
      *exit_code = kExitFailure;
      return;
    }
    std::unique_ptr<GraphReader> reader = (*store)->NewReader();
    auto summary = exporter::Export(*reader, options);
    if (!summary.ok()) {
      PrintError("export", summary.status().message());
      *exit_code = summary.status().IsInvalidArgument() ? kExitUsage : kExitFailure;
      return;
    }
    if (!global.quiet) {
      const std::string where =
          options.output.empty() || options.output == "-" ? "standard output" : options.output;
      if (options.format == exporter::ExportFormat::kJsonl) {
        std::fprintf(stderr, "kg export: wrote %lld events to %s\n",
                     static_cast<long long>(summary->events), where.c_str());
      } else {
        std::fprintf(stderr,
                     "kg export: wrote %zu actors and %zu edges (%lld events) as %s to %s\n",
                     summary->nodes, summary->edges, static_cast<long long>(summary->events),
                     args->format.c_str(), where.c_str());
      }
    }
    *exit_code = kExitOk;
  });
}

}  // namespace kg::tools
