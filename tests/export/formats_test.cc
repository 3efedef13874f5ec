// Golden tests: the fixture graph exported to every format and compared byte
// for byte with tests/golden/export/. Regenerate with KG_UPDATE_GOLDEN=1.
// Tool checks (dot, xmllint, chromium) skip with a message when absent.
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "export/exporter.h"
#include "tests/export/export_fixture.h"
#include "tests/test_util.h"

namespace kg::exporter {
namespace {

using kg::testing::ReadFile;
using kg::testing::RunCommand;
using kg::testing::ShellQuote;
using kg::testing::SourcePath;
using kg::testing::TempDir;
using kg::testing::WriteFile;
using testing::ExportFixture;

std::string GoldenPath(const std::string& name) {
  return SourcePath("tests/golden/export/" + name);
}

void ExpectGolden(const std::string& name, const std::string& actual) {
  const std::string path = GoldenPath(name);
  if (const char* update = std::getenv("KG_UPDATE_GOLDEN"); update && std::string(update) == "1") {
    WriteFile(path, actual);
    return;
  }
  const std::string expected = ReadFile(path);
  ASSERT_FALSE(expected.empty()) << "missing golden file " << path
                                 << " (regenerate with KG_UPDATE_GOLDEN=1)";
  if (expected == actual) return;
  size_t pos = 0;
  while (pos < expected.size() && pos < actual.size() && expected[pos] == actual[pos]) ++pos;
  const size_t line =
      static_cast<size_t>(std::count(expected.begin(), expected.begin() + pos, '\n')) + 1;
  auto around = [pos](const std::string& s) { return s.substr(pos < 40 ? 0 : pos - 40, 120); };
  ADD_FAILURE() << name << " differs from the golden file at byte " << pos << " (line " << line
                << ")\nexpected: ..." << around(expected) << "...\nactual:   ..." << around(actual)
                << "...\n(regenerate with KG_UPDATE_GOLDEN=1 if the change is intended)";
}

bool HaveProgram(const std::string& name) {
  return RunCommand("command -v " + ShellQuote(name)).exit_code == 0;
}

std::string ChromiumPath() {
  for (const char* candidate :
       {"/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"}) {
    if (std::filesystem::exists(candidate)) return candidate;
  }
  return "";
}

class FormatTest : public ExportFixture {
 protected:
  Subgraph Select(const SelectionOptions& options) {
    auto graph = SelectSubgraph(*reader_, options);
    EXPECT_TRUE(graph.ok()) << graph.status().ToString();
    return graph.ok() ? std::move(graph).value() : Subgraph{};
  }
  static SelectionOptions All() {
    SelectionOptions options;
    options.include_negated = true;
    return options;
  }
  std::string Dot(const SelectionOptions& options) {
    std::ostringstream out;
    Status s = WriteDot(Select(options), WriteOptions{}, out);
    EXPECT_TRUE(s.ok()) << s.ToString();
    return out.str();
  }
  std::string Html() {
    std::ostringstream out;
    WriteOptions options;
    options.title = "Fixture <graph> & \"friends\"";
    Status s = WriteHtml(*reader_, Select(All()), options, out);
    EXPECT_TRUE(s.ok()) << s.ToString();
    return out.str();
  }
};

TEST(EscapingTest, DotQuote) {
  EXPECT_EQ(DotQuote("Russia"), "\"Russia\"");
  EXPECT_EQ(DotQuote("node"), "\"node\"");  // Keywords are always quoted.
  EXPECT_EQ(DotQuote("say \"hi\""), "\"say \\\"hi\\\"\"");
  EXPECT_EQ(DotQuote("back\\"), "\"back\\\\\"");  // A trailing backslash cannot eat the quote.
  EXPECT_EQ(DotQuote("a\nb"), "\"a\\nb\"");
  EXPECT_EQ(DotQuote("Société"), "\"Société\"");
}

TEST(EscapingTest, SanitizeText) {
  EXPECT_EQ(SanitizeText("plain"), "plain");
  EXPECT_EQ(SanitizeText("a\x01"
                         "b\x7f"),
            "a b ");
  EXPECT_EQ(SanitizeText("tab\tnl\n"), "tab\tnl\n");
  EXPECT_EQ(SanitizeText("bad\xff"), "bad\xEF\xBF\xBD");
  EXPECT_EQ(SanitizeText("\xC0\xAF"), "\xEF\xBF\xBD\xEF\xBF\xBD");                  // Overlong.
  EXPECT_EQ(SanitizeText("\xED\xA0\x80"), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");  // Surrogate.
  EXPECT_EQ(SanitizeText("日本"), "日本");
}

TEST(FormatNameTest, RoundTrips) {
  for (const char* name : {"dot", "svg", "png", "graphml", "cytoscape", "neo4j", "jsonl", "html"}) {
    auto f = ParseExportFormat(name);
    ASSERT_TRUE(f.has_value()) << name;
    EXPECT_EQ(ExportFormatName(*f), name);
  }
  EXPECT_FALSE(ParseExportFormat("gexf").has_value());
}

TEST_F(FormatTest, DotGolden) {
  const std::string dot = Dot(All());
  ExpectGolden("graph.dot", dot);
  EXPECT_EQ(dot, Dot(All())) << "DOT output is not stable";
  EXPECT_NE(dot.find("label=\"node\""), std::string::npos);
  EXPECT_NE(dot.find("label=\"Strict \\\"Hardliners\\\" \\\\\\nREB\""), std::string::npos);
  EXPECT_NE(dot.find("style=\"dashed\""), std::string::npos);  // The negated edge.
}

TEST_F(FormatTest, DotEgoConflictGolden) {
  SelectionOptions options;
  options.around = {"John Kerry"};
  options.hops = 2;
  options.cameo_classes = {"conflict"};
  ExpectGolden("kerry_conflict.dot", Dot(options));
}

TEST_F(FormatTest, DotIsValidForGraphviz) {
  if (!HaveProgram("dot")) GTEST_SKIP() << "GraphViz 'dot' not installed (Debian package graphviz)";
  TempDir tmp;
  WriteFile(tmp.Sub("g.dot"), Dot(All()));
  auto r = RunCommand("dot -Tsvg " + ShellQuote(tmp.Sub("g.dot")));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(r.err.empty()) << r.err;  // No syntax warnings either.
  // Names come out literally: quotes, the trailing backslash, non-ASCII, markup.
  EXPECT_NE(r.out.find("Strict &quot;Hardliners&quot; \\</text>"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("Société &lt;Générale&gt;; &amp; Co"), std::string::npos);
  EXPECT_NE(r.out.find(">node</text>"), std::string::npos);
  EXPECT_NE(r.out.find("accuse (2)"), std::string::npos);
}

TEST_F(FormatTest, SvgAndPngThroughDot) {
  if (!HaveProgram("dot")) GTEST_SKIP() << "GraphViz 'dot' not installed (Debian package graphviz)";
  TempDir tmp;
  ExportOptions options;
  options.selection = All();
  options.format = ExportFormat::kSvg;
  options.output = tmp.Sub("g.svg");
  auto summary = Export(*reader_, options);
  ASSERT_TRUE(summary.ok()) << summary.status().ToString();
  EXPECT_EQ(summary->nodes, 9u);
  EXPECT_NE(ReadFile(options.output).find("<svg"), std::string::npos);
  options.format = ExportFormat::kPng;
  options.output = tmp.Sub("g.png");
  ASSERT_TRUE(Export(*reader_, options).ok());
  EXPECT_EQ(ReadFile(options.output).substr(0, 8), "\x89PNG\r\n\x1a\n");
}

TEST_F(FormatTest, MissingDotIsAClearError) {
  ExportOptions options;
  options.format = ExportFormat::kSvg;
  options.write.dot_program = "kg-no-such-dot-program";
  auto summary = Export(*reader_, options);
  ASSERT_FALSE(summary.ok());
  EXPECT_TRUE(summary.status().IsNotFound());
  EXPECT_NE(summary.status().message().find("graphviz"), std::string::npos)
      << summary.status().message();
}

TEST_F(FormatTest, GraphmlGoldenAndWellFormed) {
  std::ostringstream out;
  ASSERT_TRUE(WriteGraphml(*reader_, Select(All()), WriteOptions{}, out).ok());
  const std::string xml = out.str();
  ExpectGolden("graph.graphml", xml);

  // Keys are declared before the graph, and every data element uses one.
  const size_t graph_pos = xml.find("<graph ");
  ASSERT_NE(graph_pos, std::string::npos);
  std::set<std::string> declared;
  std::regex key_re(
      "<key id=\"([^\"]+)\" for=\"(node|edge)\" attr.name=\"([^\"]+)\" "
      "attr.type=\"(string|long|double|boolean)\"");
  for (std::sregex_iterator it(xml.begin(), xml.end(), key_re), end; it != end; ++it) {
    EXPECT_LT(static_cast<size_t>(it->position()), graph_pos);
    declared.insert((*it)[1]);
  }
  EXPECT_EQ(declared.size(), 19u);
  std::regex data_re("<data key=\"([^\"]+)\">");
  size_t data = 0;
  for (std::sregex_iterator it(xml.begin(), xml.end(), data_re), end; it != end; ++it, ++data) {
    EXPECT_TRUE(declared.count((*it)[1])) << (*it)[1];
  }
  EXPECT_EQ(data, 9u * 8 + 11u * 11);
  EXPECT_NE(xml.find("Strict &quot;Hardliners&quot; \\"), std::string::npos);
  EXPECT_NE(xml.find("Société &lt;Générale&gt;; &amp; Co"), std::string::npos);
  EXPECT_NE(xml.find(">seed-1;seed-2</data>"), std::string::npos);

  if (!HaveProgram("xmllint"))
    GTEST_SKIP() << "xmllint not installed (Debian package libxml2-utils)";
  TempDir tmp;
  WriteFile(tmp.Sub("g.graphml"), xml);
  auto r = RunCommand("xmllint --noout " + ShellQuote(tmp.Sub("g.graphml")));
  EXPECT_EQ(r.exit_code, 0) << r.err;
}

TEST_F(FormatTest, CytoscapeGolden) {
  std::ostringstream out;
  ASSERT_TRUE(WriteCytoscape(*reader_, Select(All()), out).ok());
  ExpectGolden("graph.cytoscape.json", out.str());
  rapidjson::Document doc;
  doc.Parse(out.str().c_str());
  ASSERT_FALSE(doc.HasParseError());
  const auto& elements = doc["elements"];
  ASSERT_EQ(elements["nodes"].Size(), 9u);
  ASSERT_EQ(elements["edges"].Size(), 11u);
  for (const auto& e : elements["edges"].GetArray()) {
    ASSERT_TRUE(e["data"].HasMember("source"));
    ASSERT_TRUE(e["data"].HasMember("target"));
    ASSERT_TRUE(e["data"]["documents"].IsArray());
  }
}

TEST_F(FormatTest, Neo4jCsvGoldenAndHeaders) {
  TempDir tmp;
  ASSERT_TRUE(WriteNeo4jCsv(*reader_, Select(All()), tmp.path().string()).ok());
  const std::string nodes = ReadFile(tmp.Sub("nodes.csv"));
  const std::string rels = ReadFile(tmp.Sub("relationships.csv"));
  ExpectGolden("neo4j/nodes.csv", nodes);
  ExpectGolden("neo4j/relationships.csv", rels);
  const std::string node_header = nodes.substr(0, nodes.find('\n'));
  const std::string rel_header = rels.substr(0, rels.find('\n'));
  EXPECT_NE(node_header.find(":ID"), std::string::npos);
  EXPECT_NE(node_header.find(":LABEL"), std::string::npos);
  EXPECT_NE(node_header.find("aliases:string[]"), std::string::npos);
  EXPECT_TRUE(rel_header.starts_with(":START_ID,:END_ID,:TYPE,"));
  EXPECT_NE(rel_header.find("count:int"), std::string::npos);
  EXPECT_NE(rel_header.find("documents:string[]"), std::string::npos);
  EXPECT_EQ(std::count(nodes.begin(), nodes.end(), '\n'), 10);
  EXPECT_EQ(std::count(rels.begin(), rels.end(), '\n'), 12);
  EXPECT_NE(rels.find(",\"SUSPEND_RELATIONS\",\"suspend relations\","), std::string::npos);
  EXPECT_NE(rels.find("\"seed-1;seed-2\""), std::string::npos);
  EXPECT_NE(nodes.find("\"Strict \"\"Hardliners\"\" \\\""), std::string::npos);
  // Every row has as many fields as the header (quoted commas are not fields).
  auto fields = [](const std::string& line) {
    size_t n = 1;
    bool quoted = false;
    for (char c : line) {
      if (c == '"') quoted = !quoted;
      if (c == ',' && !quoted) ++n;
    }
    return n;
  };
  for (const std::string* file : {&nodes, &rels}) {
    std::istringstream in(*file);
    std::string header, line;
    std::getline(in, header);
    while (std::getline(in, line)) EXPECT_EQ(fields(line), fields(header)) << line;
  }
}

TEST_F(FormatTest, JsonLinesGolden) {
  std::ostringstream out;
  auto lines = WriteJsonLines(*reader_, All(), out);
  ASSERT_TRUE(lines.ok()) << lines.status().ToString();
  EXPECT_EQ(*lines, 12);  // 11 asserted events + 1 negated.
  ExpectGolden("events.jsonl", out.str());
  std::istringstream in(out.str());
  std::string line;
  int n = 0;
  while (std::getline(in, line)) {
    rapidjson::Document doc;
    doc.Parse(line.c_str());
    ASSERT_FALSE(doc.HasParseError()) << line;
    ASSERT_TRUE(doc["mentions"].IsArray());
    EXPECT_GE(doc["mentions"].Size(), 1u);
    EXPECT_TRUE(doc["doc_id"].IsString());
    ++n;
  }
  EXPECT_EQ(n, 12);
}

TEST_F(FormatTest, HtmlGoldenIsSelfContained) {
  const std::string page = Html();
  ExpectGolden("graph.html", page);
  EXPECT_EQ(page.find("<script src"), std::string::npos);
  EXPECT_EQ(page.find("<link"), std::string::npos);
  EXPECT_EQ(page.find("https://"), std::string::npos);
  // Only the SVG namespace URI, never a fetched URL.
  std::regex url_re("http://[^\"' ]+");
  for (std::sregex_iterator it(page.begin(), page.end(), url_re), end; it != end; ++it) {
    EXPECT_EQ(it->str(), "http://www.w3.org/2000/svg");
  }
  // The quote containing "</script>" cannot close the data block.
  size_t closings = 0;
  for (size_t pos = page.find("</script>"); pos != std::string::npos;
       pos = page.find("</script>", pos + 1))
    ++closings;
  EXPECT_EQ(closings, 2u);
  EXPECT_NE(page.find("<title>Fixture &lt;graph&gt; &amp; &quot;friends&quot;</title>"),
            std::string::npos);
}

// Loads `url` in headless Chromium and returns the DOM after the scripts ran.
kg::testing::CommandResult DumpDom(const std::string& chromium, const TempDir& tmp,
                                   const std::string& url) {
  const std::string command =
      "timeout 120 " + ShellQuote(chromium) +
      " --headless --no-sandbox --disable-gpu --disable-background-networking"
      " --disable-component-update --no-first-run --disable-dev-shm-usage"
      " --user-data-dir=" +
      ShellQuote(tmp.Sub("profile")) + " --dump-dom " + ShellQuote(url);
  return RunCommand(command);
}

size_t Count(const std::string& text, const std::string& needle) {
  size_t n = 0;
  for (size_t pos = text.find(needle); pos != std::string::npos; pos = text.find(needle, pos + 1))
    ++n;
  return n;
}

TEST_F(FormatTest, HtmlRendersInHeadlessChromium) {
  const std::string chromium = ChromiumPath();
  if (chromium.empty()) {
    GTEST_SKIP() << "no headless browser: install the Debian package chromium to run this test";
  }
  TempDir tmp;
  WriteFile(tmp.Sub("graph.html"), Html());
  auto r = DumpDom(chromium, tmp, "file://" + tmp.Sub("graph.html"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string& dom = r.out;
  EXPECT_NE(dom.find("data-rendered=\"true\""), std::string::npos)
      << "viewer script did not finish:\n"
      << r.err;
  EXPECT_NE(dom.find("data-nodes=\"9\""), std::string::npos);
  EXPECT_NE(dom.find("data-edges=\"11\""), std::string::npos);
  EXPECT_NE(dom.find("data-visible-edges=\"11\""), std::string::npos);
  EXPECT_NE(dom.find("9 of 9 actors, 11 of 11 edges shown"), std::string::npos);
  // The script drew one group per actor and per edge, and built the filters.
  EXPECT_EQ(Count(dom, "class=\"kg-node"), 9u);
  EXPECT_EQ(Count(dom, "class=\"kg-edge"), 11u);
  EXPECT_EQ(Count(dom, "type=\"checkbox\" value="), 8u);  // One per relation.
}

TEST_F(FormatTest, HtmlFiltersByDateAndShowsEvidence) {
  const std::string chromium = ChromiumPath();
  if (chromium.empty()) {
    GTEST_SKIP() << "no headless browser: install the Debian package chromium to run this test";
  }
  TempDir tmp;
  WriteFile(tmp.Sub("graph.html"), Html());
  // Edge 1 is John Kerry -accuse-> Russia (edges are sorted as in graph.dot).
  auto r = DumpDom(chromium, tmp,
                   "file://" + tmp.Sub("graph.html") + "#from=2016-10-05&to=2016-10-31&edge=1");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string& dom = r.out;
  EXPECT_NE(dom.find("data-visible-edges=\"3\""), std::string::npos);  // Only seed-2's events.
  EXPECT_NE(dom.find("<h3>John Kerry accuse Russia</h3>"), std::string::npos);
  EXPECT_NE(dom.find("<blockquote>Kerry accused Russia of war crimes in Aleppo.</blockquote>"),
            std::string::npos);
  EXPECT_NE(dom.find("&lt;/script&gt;"), std::string::npos);  // The quote arrived intact.

  r = DumpDom(chromium, tmp, "file://" + tmp.Sub("graph.html") + "#relation=accuse,warn");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("data-visible-edges=\"5\""), std::string::npos);
}

TEST_F(FormatTest, Neo4jNeedsADirectory) {
  ExportOptions options;
  options.format = ExportFormat::kNeo4j;
  auto summary = Export(*reader_, options);
  ASSERT_FALSE(summary.ok());
  EXPECT_TRUE(summary.status().IsInvalidArgument());
}

// The CLI end to end (the kg binary is built before this test).
TEST_F(FormatTest, CliExportsDotAndReportsErrors) {
  const std::string kg = kg::testing::KgBinary();
  if (!std::filesystem::exists(kg)) GTEST_SKIP() << "kg binary not built: " << kg;
  const std::string base = ShellQuote(kg) + " -q --db " + ShellQuote(DbPath()) + " export ";
  auto r = RunCommand(base + "--format dot --include-negated");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, ReadFile(GoldenPath("graph.dot")));

  TempDir tmp;
  r = RunCommand(base + "--format neo4j -o " + ShellQuote(tmp.Sub("neo")) + " --include-negated");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(ReadFile(tmp.Sub("neo/relationships.csv")),
            ReadFile(GoldenPath("neo4j/relationships.csv")));

  r = RunCommand(base +
                 "--format jsonl --around Kerry --hops 1 --relation accuse --from 2016-10-05");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), 1);

  r = RunCommand(base + "--around 'Nobody At All'");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err, "kg export: error: no actor named 'Nobody At All'\n");

  r = RunCommand(base + "--cameo-class hostile");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_TRUE(r.err.starts_with("kg export: error: unknown CAMEO class 'hostile'")) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1);

  r = RunCommand(base + "--from 2016-13-45");
  EXPECT_EQ(r.exit_code, 2);

  r = RunCommand(base + "--format gexf");
  EXPECT_EQ(r.exit_code, 2);

  r = RunCommand(ShellQuote(kg) + " -q --db " + ShellQuote(tmp.Sub("missing-db")) + " export");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(r.err.starts_with("kg export: error: ")) << r.err;
}

}  // namespace
}  // namespace kg::exporter
