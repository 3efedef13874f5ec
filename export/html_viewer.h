// The offline HTML viewer's inlined assets (see html_viewer.cc).
#pragma once

namespace kg::exporter::internal {

extern const char kViewerCss[];
extern const char kViewerJs[];

}  // namespace kg::exporter::internal
