// Runs the ingest pipeline over input files in parallel batches and hands the
// results to a sink in input order, so output is identical for any --threads.
// Shared by `kg ingest` and `kg extract`.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "graph/status.h"
#include "ingest/pipeline.h"

namespace kg::tools {

struct DriverOptions {
  // Worker threads running the pipeline. Default: 1.
  int threads = 1;
  // Articles processed per parallel batch. Default: 256.
  size_t batch_size = 256;
  // Progress line on stderr every ~2 s. Default: true.
  bool progress = true;
  // Stop after the current batch when SIGINT/SIGTERM arrives. Default: true.
  bool handle_signals = true;
  // Reject records longer than this many bytes. Default: 16 MiB.
  size_t max_record_bytes = 16u << 20;
};

struct DriverSummary {
  uint64_t articles = 0;  // Articles processed by the pipeline.
  uint64_t rejected = 0;  // Records rejected by the reader or pipeline.
  uint64_t events = 0;
  ExtractStats stats;
  std::map<std::string, uint64_t> reject_reasons;  // Reason -> count.
  bool interrupted = false;
  double seconds = 0;
};

// Called once per article in input order with its extraction. A non-OK
// status stops the run and is returned by RunDriver.
using ExtractionSink = std::function<Status(const Article&, const Extraction&)>;

// Errors for individual records are printed to stderr as "FILE:LINE: reason"
// and counted; a file that cannot be opened at all is counted and skipped.
Result<DriverSummary> RunDriver(const Pipeline& pipeline, const std::vector<std::string>& files,
                                const DriverOptions& options, const ExtractionSink& sink);

// Pipeline options from the CLI's global options.
PipelineOptions MakePipelineOptions(const std::string& data_dir,
                                    const std::vector<std::string>& actor_files,
                                    const std::vector<std::string>& verb_files);

}  // namespace kg::tools
