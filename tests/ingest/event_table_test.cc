#include "ingest/event_table.h"

#include <gtest/gtest.h>

#include "graph/date.h"
#include "tests/test_util.h"

namespace kg::ingest {
namespace {

using kg::testing::SourcePath;

const CameoCoder& Coder() {
  static const CameoCoder* coder = [] {
    auto c = CameoCoder::Load(SourcePath("data"));
    EXPECT_TRUE(c.ok()) << c.status().ToString();
    return new CameoCoder(std::move(c).value());
  }();
  return *coder;
}

struct ReadAll {
  std::vector<TableRow> rows;
  std::vector<std::string> rejected;  // "LINE: reason"
  std::vector<std::string> skipped;
  TableFormat format = TableFormat::kAuto;
};

ReadAll Read(const std::string& fixture, TableFormat format = TableFormat::kAuto) {
  ReadAll out;
  auto reader =
      EventTableReader::Open(SourcePath("tests/fixtures/import/" + fixture), format, &Coder());
  EXPECT_TRUE(reader.ok()) << reader.status().ToString();
  if (!reader.ok()) return out;
  out.format = (*reader)->format();
  TableRow row;
  std::string error;
  for (;;) {
    RowOutcome o = (*reader)->Next(&row, &error);
    if (o == RowOutcome::kEnd) break;
    if (o == RowOutcome::kRow) out.rows.push_back(row);
    if (o == RowOutcome::kRejected)
      out.rejected.push_back(std::to_string((*reader)->line()) + ": " + error);
    if (o == RowOutcome::kSkipped)
      out.skipped.push_back(std::to_string((*reader)->line()) + ": " + error);
  }
  return out;
}

TEST(CameoCoderTest, LabelsFromVerbsThenCameoNamesThenAncestors) {
  EXPECT_EQ(Coder().Label("112"), "accuse");
  EXPECT_EQ(Coder().Label("190"), "attack");
  EXPECT_EQ(Coder().Label("1125"), "accuse of espionage");              // verbs.tsv label
  EXPECT_EQ(Coder().Label("0213"), "appeal for judicial cooperation");  // cameo.tsv name
  EXPECT_DOUBLE_EQ(Coder().Goldstein("0231"), 3.4);
  EXPECT_EQ(Coder().Label("99"), "");
}

TEST(EventTableTest, OurTsvWithHeaderOptionalColumnsAndBadRows) {
  ReadAll r = Read("edges.tsv");
  EXPECT_EQ(r.format, TableFormat::kTsv);
  ASSERT_EQ(r.rows.size(), 5u);
  EXPECT_EQ(r.rows[0].event.source.name, "USA");
  EXPECT_EQ(r.rows[0].event.target.code, "RUS");
  EXPECT_EQ(r.rows[0].event.cameo, "112");
  EXPECT_EQ(r.rows[0].doc.id, "d1");
  EXPECT_EQ(FormatIsoDate(r.rows[0].doc.date), "2016-10-04");
  EXPECT_DOUBLE_EQ(r.rows[1].event.goldstein, -2.0);  // From the CAMEO table.
  EXPECT_EQ(r.rows[2].event.cameo, "");
  EXPECT_EQ(r.rows[3].event.relation, "attack");  // Empty relation: CAMEO label.
  EXPECT_EQ(r.rows[4].doc.id, "edges.tsv:10");    // No doc: file and line.
  ASSERT_EQ(r.rejected.size(), 3u);
  EXPECT_EQ(r.rejected[0],
            "6: expected 3 to 10 tab-separated columns (source, relation, target, date, doc, ...), "
            "found 2");
  EXPECT_EQ(r.rejected[1], "8: not an ISO 8601 date: '2016-13-01'") << r.rejected[1];
  EXPECT_EQ(r.rejected[2], "9: goldstein is not a number: 'abc'");
}

TEST(EventTableTest, PeerHarnessTsvLoadsAsIs) {
  ReadAll r = Read("peer.tsv");
  ASSERT_EQ(r.rows.size(), 4u);
  EXPECT_TRUE(r.rejected.empty());
  EXPECT_EQ(r.rows[3].event.source.name, "Putin");
  EXPECT_EQ(r.rows[3].event.relation, "meet");
  EXPECT_EQ(r.rows[3].doc.id, "d002");
}

TEST(EventTableTest, JsonLines) {
  ReadAll r = Read("edges.jsonl");
  EXPECT_EQ(r.format, TableFormat::kJsonl);
  ASSERT_EQ(r.rows.size(), 3u);
  EXPECT_EQ(r.rows[1].event.source.code, "USAGOV");
  EXPECT_EQ(r.rows[1].event.target.code, "RUSGOV");
  EXPECT_TRUE(r.rows[1].event.negated);
  EXPECT_EQ(r.rows[2].event.relation, "threaten");
  EXPECT_EQ(r.rows[2].doc.date, kUnknownDate);
  ASSERT_EQ(r.rejected.size(), 2u);
  EXPECT_EQ(r.rejected[0], "4: not a JSON object");
}

TEST(EventTableTest, Gdelt1Export) {
  ReadAll r = Read("gdelt1.export.CSV");
  EXPECT_EQ(r.format, TableFormat::kGdelt);
  ASSERT_EQ(r.rows.size(), 3u);
  EXPECT_EQ(r.rows[0].doc.id, "gdelt:586020001");
  EXPECT_EQ(r.rows[0].doc.source, "http://example.com/a");
  EXPECT_EQ(r.rows[0].event.source.name, "UNITED STATES");
  EXPECT_EQ(r.rows[0].event.relation, "accuse");
  EXPECT_DOUBLE_EQ(r.rows[0].event.goldstein, -2.0);
  EXPECT_EQ(r.rows[1].event.source.code, "RUSGOV");
  EXPECT_DOUBLE_EQ(r.rows[1].event.goldstein, -2.0);  // Empty GoldsteinScale: CAMEO table.
  EXPECT_EQ(r.rows[2].event.cameo, "0231");
  ASSERT_EQ(r.skipped.size(), 1u);
  EXPECT_EQ(r.skipped[0], "3: one-sided event (no Actor1 or Actor2)");
  ASSERT_EQ(r.rejected.size(), 3u);
  EXPECT_NE(r.rejected[0].find("4: SQLDATE"), std::string::npos);
  EXPECT_EQ(r.rejected[1],
            "5: expected 57 or 58 (GDELT 1.0) or 61 (GDELT 2.0) tab-separated columns, found 4");
  EXPECT_EQ(r.rejected[2], "6: GoldsteinScale is not a number: 'x'");
}

TEST(EventTableTest, Gdelt2ExportSniffedFromContent) {
  ReadAll r = Read("gdelt2.export.CSV", TableFormat::kGdelt);
  ASSERT_EQ(r.rows.size(), 2u);
  EXPECT_EQ(r.rows[1].event.relation, "appeal for economic cooperation");
  EXPECT_DOUBLE_EQ(r.rows[1].event.goldstein, 3.4);
  EXPECT_EQ(r.rows[1].doc.source, "http://example.com/y");
}

// The read-ahead reader gives what reading each file in turn gives: rows,
// rejected and skipped lines in file order, an unreadable file as an item
// of its own, over batch boundaries (a generated file of 10,000 rows).
TEST(TableBatchReaderTest, SameItemsAsReadingEachFileInTurn) {
  kg::testing::TempDir dir;
  const std::string big = dir.Sub("big.tsv");
  {
    std::FILE* f = std::fopen(big.c_str(), "w");
    ASSERT_NE(f, nullptr);
    for (int i = 0; i < 10000; ++i) {
      if (i % 997 == 0) std::fprintf(f, "only\ttwo\n");  // Rejected.
      std::fprintf(f, "A%d\taccuse\tB%d\t2016-01-%02d\td%d\n", i % 50, i % 70, 1 + i % 28, i / 3);
    }
    std::fclose(f);
  }
  const std::vector<std::string> files = {SourcePath("tests/fixtures/import/edges.tsv"),
                                          dir.Sub("missing.tsv"), big,
                                          SourcePath("tests/fixtures/import/edges.jsonl")};
  TableBatchReader reader(files, TableFormat::kAuto, &Coder());
  std::vector<std::string> seen;
  size_t batches = 0;
  while (const TableBatchReader::Batch* batch = reader.Next()) {
    ++batches;
    for (const TableBatchReader::Item& item : batch->items) {
      std::string line = std::to_string(item.file) + ":";
      if (item.file_error) {
        line += "unreadable";
      } else if (item.outcome == RowOutcome::kRow) {
        const TableRow& row = batch->rows[item.row];
        line += std::to_string(item.line) + " " + row.event.source.name + " " + row.doc.id;
      } else {
        line += std::to_string(item.line) + " " + item.error;
      }
      seen.push_back(line);
    }
  }
  EXPECT_GT(batches, 2u);
  EXPECT_GT(reader.bytes_read(), 10000u * 20);

  std::vector<std::string> expected;
  for (size_t f = 0; f < files.size(); ++f) {
    auto one = EventTableReader::Open(files[f], TableFormat::kAuto, &Coder());
    if (!one.ok()) {
      expected.push_back(std::to_string(f) + ":unreadable");
      continue;
    }
    TableRow row;
    std::string error;
    for (RowOutcome o; (o = (*one)->Next(&row, &error)) != RowOutcome::kEnd;) {
      std::string line = std::to_string(f) + ":" + std::to_string((*one)->line()) + " ";
      line += o == RowOutcome::kRow ? row.event.source.name + " " + row.doc.id : error;
      expected.push_back(line);
    }
  }
  EXPECT_EQ(seen, expected);
}

// A reader abandoned before the end stops its thread (no hang, no leak).
TEST(TableBatchReaderTest, AbandonedEarly) {
  TableBatchReader reader({SourcePath("tests/fixtures/import/edges.tsv")}, TableFormat::kAuto,
                          &Coder());
  ASSERT_NE(reader.Next(), nullptr);
}

}  // namespace
}  // namespace kg::ingest
