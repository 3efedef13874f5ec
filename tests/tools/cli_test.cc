// End-to-end tests of the kg binary: the seed-article slice, idempotent
// re-ingest, and every bad input the foundation issue lists.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "tests/test_util.h"

namespace kg {
namespace {

using kg::testing::CommandResult;
using kg::testing::KgBinary;
using kg::testing::RunCommand;
using kg::testing::ShellQuote;
using kg::testing::TempDir;
using kg::testing::WriteFile;

class CliTest : public ::testing::Test {
 protected:
  CommandResult Kg(const std::string& args) {
    return RunCommand(ShellQuote(KgBinary()) + " --db " + ShellQuote(db_) + " " + args);
  }
  TempDir dir_;
  std::string db_ = dir_.Sub("kg.db");
};

constexpr const char* kGoodLine =
    R"({"id": "good-1", "date": "2016-10-04", "text": "US Secretary of State John Kerry has criticized Russia."})";

TEST_F(CliTest, SampleCorpusIngestsAndAnswersQueries) {
  auto r = Kg("ingest " + ShellQuote(testing::SourcePath("data/sample/articles.jsonl")));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("10 documents"), std::string::npos) << r.err;
  auto q = Kg("query --format json \"MATCH (a)-[r:accuse]->(b) RETURN a.name, b.name\"");
  ASSERT_EQ(q.exit_code, 0) << q.err;
  EXPECT_NE(q.out.find("\"a.name\""), std::string::npos) << q.out;
  auto stats = Kg("stats --json");
  ASSERT_EQ(stats.exit_code, 0) << stats.err;
  EXPECT_NE(stats.out.find("\"documents\":10"), std::string::npos) << stats.out;
}

TEST_F(CliTest, SeedArticleSliceFromIngestToDot) {
  std::string seed = testing::SharedPath("eval/seed/articles.jsonl");
  if (seed.empty()) GTEST_SKIP() << "../shared/eval/seed not present";
  auto r = Kg("ingest " + ShellQuote(seed));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto q =
      Kg("query --format json --evidence "
         "\"MATCH (a)-[r:accuse|blame|criticize]->(b) RETURN a.name, r.relation, b.name\"");
  ASSERT_EQ(q.exit_code, 0) << q.err;
  EXPECT_NE(q.out.find(R"("a.name":"John Kerry","r.relation":"criticize","b.name":"Russia")"),
            std::string::npos)
      << q.out;
  EXPECT_NE(q.out.find(R"("a.name":"John Kirby","r.relation":"accuse","b.name":"Russia")"),
            std::string::npos)
      << "\"He also accused Russia\" resolved to Kirby: " << q.out;
  EXPECT_NE(q.out.find(R"("a.name":"Russia","r.relation":"blame","b.name":"United States")"),
            std::string::npos)
      << "\"the US is to blame\" reported by Russia: " << q.out;
  EXPECT_NE(q.out.find("seed-kerry-russia"), std::string::npos) << "evidence names the document";
  EXPECT_NE(q.out.find("2016-10-04"), std::string::npos) << "evidence carries the date";
  std::string dot = dir_.Sub("seed.dot");
  auto e = Kg("export --format dot -o " + ShellQuote(dot));
  ASSERT_EQ(e.exit_code, 0) << e.err;
  std::string text = testing::ReadFile(dot);
  EXPECT_NE(text.find("John Kerry"), std::string::npos);
  if (RunCommand("command -v dot").exit_code == 0) {
    auto svg =
        RunCommand("dot -Tsvg " + ShellQuote(dot) + " -o " + ShellQuote(dir_.Sub("seed.svg")));
    EXPECT_EQ(svg.exit_code, 0) << svg.err;
  }
}

TEST_F(CliTest, ReingestIsIdempotentAndChangedDocumentsReplace) {
  std::string file = dir_.Sub("a.jsonl");
  WriteFile(file, std::string(kGoodLine) + "\n");
  ASSERT_EQ(Kg("ingest " + ShellQuote(file)).exit_code, 0);
  auto again = Kg("ingest " + ShellQuote(file));
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(again.err.find("0 new, 0 replaced, 1 unchanged"), std::string::npos) << again.err;
  WriteFile(file, R"({"id": "good-1", "text": "Russia accused Turkey of shelling Aleppo."})"
                  "\n");
  auto changed = Kg("ingest " + ShellQuote(file));
  ASSERT_EQ(changed.exit_code, 0) << changed.err;
  EXPECT_NE(changed.err.find("1 replaced"), std::string::npos) << changed.err;
  auto q = Kg("query --format json \"MATCH (a)-[r]->(b) RETURN a.name, r.relation, b.name\"");
  EXPECT_EQ(q.out.find("criticize"), std::string::npos) << "old events were removed: " << q.out;
  EXPECT_NE(q.out.find("accuse"), std::string::npos) << q.out;
}

TEST_F(CliTest, ImportedStoreCompactsOnceAndAnswersTheSame) {
  // The fixture's three bad rows are reported by line and the good ones loaded.
  auto imported =
      Kg("import " + ShellQuote(testing::SourcePath("tests/fixtures/import/edges.tsv")));
  ASSERT_EQ(imported.exit_code, 3) << imported.err;
  EXPECT_NE(imported.err.find("edges.tsv:8: not an ISO 8601 date"), std::string::npos)
      << imported.err;
  EXPECT_NE(imported.err.find("kg import: 5 edges"), std::string::npos) << imported.err;
  const std::string query =
      "query --format json \"MATCH (a)-[r]->(b) RETURN a.name, r.relation, b.name, r.date\"";
  auto before = Kg(query);
  ASSERT_EQ(before.exit_code, 0) << before.err;
  EXPECT_NE(before.out.find("Sergey Lavrov"), std::string::npos) << before.out;

  auto compact = Kg("optimize --compact");
  ASSERT_EQ(compact.exit_code, 0) << compact.err;
  EXPECT_NE(compact.err.find("kg optimize: compacted"), std::string::npos) << compact.err;
  auto again = Kg("optimize --compact");
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(again.err.find("nothing to compact"), std::string::npos) << again.err;

  EXPECT_EQ(Kg(query).out, before.out);
  auto check = Kg("check");
  EXPECT_EQ(check.exit_code, 0) << check.out << check.err;
}

TEST_F(CliTest, BadRecordsAreReportedWithLineAndGoodOnesKept) {
  std::string file = dir_.Sub("mixed.jsonl");
  std::string content;
  content += std::string(kGoodLine) + "\n";                                   // 1 good
  content += "{\"id\": \"x\", \"text\": \"unterminated}\n";                   // 2 malformed JSON
  content += "{\"text\": \"no id here\"}\n";                                  // 3 missing id
  content += "{\"id\": \"no-text\"}\n";                                       // 4 missing text
  content += "{\"id\": \"bad-utf8\", \"text\": \"caf\xC3\x28\"}\n";           // 5 invalid UTF-8
  content += "[1, 2, 3]\n";                                                   // 6 not an object
  content += "{\"id\": \"d\", \"text\": \"x\", \"date\": \"2016-02-30\"}\n";  // 7 bad date
  content += R"({"id": "good-2", "text": "Russia accused Turkey of shelling Aleppo."})"
             "\n";
  WriteFile(file, content);
  auto r = Kg("ingest " + ShellQuote(file));
  EXPECT_EQ(r.exit_code, 3) << "partial success exit code; stderr: " << r.err;
  for (const char* expected :
       {":2: malformed JSON", ":3: missing field 'id'", ":4: missing field 'text'",
        ":5: invalid UTF-8", ":6: record is not a JSON object", ":7: field 'date'",
        "6 records rejected"}) {
    EXPECT_NE(r.err.find(expected), std::string::npos) << expected << " in:\n" << r.err;
  }
  auto stats = Kg("stats --json");
  EXPECT_NE(stats.out.find("\"documents\":2"), std::string::npos) << stats.out;
}

TEST_F(CliTest, EmptyFileDirectoryAndMissingFileFailClearly) {
  std::string empty = dir_.Sub("empty.jsonl");
  WriteFile(empty, "");
  auto r = Kg("ingest " + ShellQuote(empty));
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.err.find("empty.jsonl: empty file"), std::string::npos) << r.err;
  auto d = Kg("ingest " + ShellQuote(dir_.path().string()));
  EXPECT_EQ(d.exit_code, 3);
  EXPECT_NE(d.err.find("is a directory"), std::string::npos) << d.err;
  auto m = Kg("ingest " + ShellQuote(dir_.Sub("nope.jsonl")));
  EXPECT_EQ(m.exit_code, 3);
  EXPECT_NE(m.err.find("nope.jsonl: cannot open"), std::string::npos) << m.err;
}

TEST_F(CliTest, HugeSingleLineIsRejectedAndTheNextRecordKept) {
  std::string file = dir_.Sub("huge.jsonl");
  {
    std::ofstream out(file, std::ios::binary);
    out << "{\"id\": \"huge\", \"text\": \"";
    std::string block(1 << 20, 'a');
    for (int i = 0; i < 50; ++i) out << block;
    out << "\"}\n" << kGoodLine << "\n";
  }
  auto r = Kg("ingest " + ShellQuote(file));
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_NE(r.err.find("huge.jsonl:1: record longer than"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("1 documents"), std::string::npos) << r.err;
}

TEST_F(CliTest, TextFilesAndStdin) {
  std::string txt = dir_.Sub("story.txt");
  WriteFile(txt, "Russia accused Turkey of shelling Aleppo.\n");
  auto r = Kg("ingest " + ShellQuote(txt));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto doc = Kg("query --format json \"MATCH (a)-[r:accuse]->(b) RETURN r.document\"");
  EXPECT_NE(doc.out.find("story.txt"), std::string::npos) << doc.out;
  auto piped = RunCommand("printf '%s\\n' " + ShellQuote(kGoodLine) + " | " +
                          ShellQuote(KgBinary()) + " extract -");
  ASSERT_EQ(piped.exit_code, 0) << piped.err;
  EXPECT_NE(piped.out.find("\"id\":\"good-1\""), std::string::npos) << piped.out;
  EXPECT_NE(piped.out.find("\"cameo\":\"111\""), std::string::npos) << piped.out;
}

TEST_F(CliTest, LockedAndUnusableStoresFailWithOneLineErrors) {
  std::string file = dir_.Sub("a.jsonl");
  WriteFile(file, std::string(kGoodLine) + "\n");
  // A store path that is a regular file.
  std::string not_dir = dir_.Sub("file.db");
  WriteFile(not_dir, "x");
  auto r = RunCommand(ShellQuote(KgBinary()) + " --db " + ShellQuote(not_dir) + " ingest " +
                      ShellQuote(file));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("kg ingest: error:"), std::string::npos) << r.err;
  // A store locked by another writer: hold it with a slow ingest from stdin.
  ASSERT_EQ(Kg("ingest " + ShellQuote(file)).exit_code, 0);
  std::string holder = "(sleep 3; printf '%s\\n' " + ShellQuote(kGoodLine) + ") | " +
                       ShellQuote(KgBinary()) + " --db " + ShellQuote(db_) +
                       " -q ingest - >/dev/null 2>&1 &";
  ASSERT_EQ(std::system(holder.c_str()), 0);
  std::system("sleep 1");
  auto locked = Kg("ingest " + ShellQuote(file));
  EXPECT_EQ(locked.exit_code, 1);
  EXPECT_NE(locked.err.find("locked"), std::string::npos) << locked.err;
  std::system("sleep 3");
}

TEST_F(CliTest, UsageErrorsExitWithTwo) {
  auto r = RunCommand(ShellQuote(KgBinary()) + " ingest");
  EXPECT_EQ(r.exit_code, 2) << r.err;
  auto unknown = RunCommand(ShellQuote(KgBinary()) + " frobnicate");
  EXPECT_EQ(unknown.exit_code, 2);
  auto help = RunCommand(ShellQuote(KgBinary()) + " ingest --help");
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_NE(help.out.find("--threads"), std::string::npos);
}

TEST_F(CliTest, QueryOnMissingStoreFailsClearly) {
  auto r = Kg("stats");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("no kg store"), std::string::npos) << r.err;
}

TEST_F(CliTest, ThreadsGiveIdenticalOutputAndUnknownVerbsAreReported) {
  std::string corpus = dir_.Sub("corpus.jsonl");
  // Many copies with distinct ids so that batches really run in parallel.
  std::string text = testing::ReadFile(testing::SourcePath("data/sample/articles.jsonl"));
  std::string big;
  for (int copy = 0; copy < 30; ++copy) {
    std::string c = text;
    for (size_t pos = 0; (pos = c.find("\"id\": \"", pos)) != std::string::npos; pos += 8) {
      c.insert(pos + 7, "c" + std::to_string(copy) + "-");
    }
    big += c;
  }
  WriteFile(corpus, big);
  auto one = Kg("-q extract -j 1 " + ShellQuote(corpus));
  auto two = Kg("-q extract -j 2 " + ShellQuote(corpus) + " --unknown " +
                ShellQuote(dir_.Sub("unknown.tsv")));
  ASSERT_EQ(one.exit_code, 0) << one.err;
  ASSERT_EQ(two.exit_code, 0) << two.err;
  EXPECT_GT(one.out.size(), 1000u);
  EXPECT_EQ(one.out, two.out);
  std::string unknown = testing::ReadFile(dir_.Sub("unknown.tsv"));
  EXPECT_EQ(unknown.rfind("verb\tcount\n", 0), 0u) << unknown;
}

}  // namespace
}  // namespace kg
