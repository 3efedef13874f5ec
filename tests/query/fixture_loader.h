// Test helper: loads tests/golden/queries/fixture.tsv (format described in
// that file) into a GraphStore through PutDocument.
#pragma once

#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "graph/date.h"
#include "graph/graph_store.h"
#include "graph/ids.h"
#include "tests/test_util.h"

namespace kg::testing {

inline std::vector<std::string> SplitTabs(const std::string& line) {
  std::vector<std::string> out;
  size_t start = 0;
  while (true) {
    const size_t tab = line.find('\t', start);
    out.push_back(line.substr(start, tab == std::string::npos ? std::string::npos : tab - start));
    if (tab == std::string::npos) return out;
    start = tab + 1;
  }
}

inline std::vector<std::string> SplitOn(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : s) {
    if (c == sep) {
      out.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  out.push_back(cur);
  return out;
}

inline std::string Underscores(std::string s) {
  for (char& c : s) {
    if (c == '_') c = ' ';
  }
  return s;
}

// Returns an error message, or "" on success.
inline std::string LoadFixture(GraphStore* store, const std::string& path) {
  std::istringstream in(ReadFile(path));
  std::string line;
  std::map<std::string, ActorRecord> actors;
  std::vector<std::string> doc_order;
  std::map<std::string, DocumentMeta> docs;
  std::map<std::string, std::vector<Event>> events;
  int line_no = 0;
  while (std::getline(in, line)) {
    ++line_no;
    if (line.empty() || line[0] == '#') continue;
    const auto f = SplitTabs(line);
    const std::string where = path + ":" + std::to_string(line_no) + ": ";
    if (f[0] == "actor" && f.size() == 5) {
      ActorRecord rec;
      rec.name = f[1];
      rec.code = f[2];
      rec.type = ParseActorType(f[3]).value_or(ActorType::kUnknown);
      if (!f[4].empty()) rec.aliases = SplitOn(f[4], '|');
      actors[rec.name] = rec;
    } else if (f[0] == "doc" && f.size() == 5) {
      DocumentMeta meta;
      meta.id = f[1];
      if (f[2] != "-") {
        auto d = ParseIsoDate(f[2]);
        if (!d.ok()) return where + d.status().message();
        meta.date = *d;
      }
      meta.source = f[3];
      meta.title = f[4];
      meta.content_hash = Hash64(meta.id + meta.title);
      docs[meta.id] = meta;
      doc_order.push_back(meta.id);
    } else if (f[0] == "event" && f.size() == 6) {
      if (!docs.count(f[1])) return where + "unknown document " + f[1];
      Event ev;
      auto ref = [&](const std::string& name) {
        ActorRef r;
        r.text = name;
        r.name = name;
        if (actors.count(name)) r.code = actors[name].code;
        return r;
      };
      ev.source = ref(f[2]);
      ev.target = ref(f[4]);
      const auto rel = SplitOn(f[3], '|');
      ev.relation = rel[0];
      if (rel.size() > 1 && rel[1] != "-") ev.cameo = rel[1];
      std::string quote = f[2] + " " + ev.relation + " " + f[4] + ".";
      for (const auto& flag : SplitOn(f[5], ' ')) {
        if (flag == "-" || flag.empty()) continue;
        if (flag == "neg") {
          ev.negated = true;
        } else if (flag.starts_with("g=")) {
          ev.goldstein = std::stod(flag.substr(2));
        } else if (flag.starts_with("attr=")) {
          ev.attributed_to = Underscores(flag.substr(5));
        } else if (flag.starts_with("quote=")) {
          quote = Underscores(flag.substr(6));
        } else {
          return where + "unknown flag " + flag;
        }
      }
      auto& list = events[f[1]];
      Mention m;
      m.sentence = static_cast<uint32_t>(list.size());
      m.begin = 0;
      m.end = static_cast<uint32_t>(quote.size());
      m.quote = quote;
      ev.mentions.push_back(m);
      list.push_back(ev);
    } else {
      return where + "bad fixture record";
    }
  }
  std::vector<ActorRecord> all;
  for (const auto& [name, rec] : actors) all.push_back(rec);
  for (const auto& id : doc_order) {
    DocumentMeta meta = docs[id];
    meta.sentences = static_cast<uint32_t>(events[id].size());
    auto r = store->PutDocument(meta, events[id], all);
    if (!r.ok()) return "loading " + id + ": " + r.status().ToString();
  }
  return "";
}

}  // namespace kg::testing
