// kg_gen_edges: a deterministic synthetic conflict-event table for `kg import`
// benchmarks. One line per edge in our edge TSV format:
//   source<TAB>relation<TAB>target<TAB>date<TAB>doc[<TAB>cameo<TAB>goldstein]
// Actors are drawn with probability proportional to 1/(rank+1)^zipf, so the
// 40 named hubs (USA, Russia, China, ...) are very connected and the tail is
// sparse; 24 relations across all CAMEO quad classes with a milder skew;
// dates 2000-2024; documents of 1-5 events sharing the document's date.
//
//   kg_gen_edges --edges 10000000 --actors 1000000 --seed 42 --out e10m.tsv [--cameo]
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>
#include <vector>

namespace {

constexpr const char* kRelations[][3] = {
    {"accuse", "112", "-2.0"},     {"criticize", "111", "-2.0"},
    {"meet", "040", "1.0"},        {"attack", "183", "-10.0"},
    {"threaten", "130", "-4.4"},   {"support", "051", "3.4"},
    {"sanction", "163", "-8.0"},   {"negotiate", "046", "7.0"},
    {"praise", "051", "3.4"},      {"condemn", "111", "-2.0"},
    {"demand", "100", "-5.0"},     {"reject", "120", "-4.0"},
    {"provide aid", "070", "7.0"}, {"protest", "140", "-6.5"},
    {"arrest", "173", "-5.0"},     {"cooperate", "061", "6.4"},
    {"deny", "016", "-0.9"},       {"warn", "130", "-4.4"},
    {"invade", "192", "-10.0"},    {"mediate", "043", "2.8"},
    {"appeal", "020", "3.0"},      {"investigate", "090", "-2.0"},
    {"bomb", "195", "-10.0"},      {"suspend relations", "161", "-4.0"}};
constexpr size_t kNumRelations = sizeof(kRelations) / sizeof(kRelations[0]);

constexpr const char* kNamed[] = {"USA",
                                  "Russia",
                                  "China",
                                  "Ukraine",
                                  "Iran",
                                  "Israel",
                                  "UN",
                                  "EU",
                                  "NATO",
                                  "Syria",
                                  "Turkey",
                                  "UK",
                                  "France",
                                  "Germany",
                                  "John Kerry",
                                  "Vladimir Putin",
                                  "Barack Obama",
                                  "Sergey Lavrov",
                                  "Benjamin Netanyahu",
                                  "Hamas",
                                  "Hezbollah",
                                  "Iraq",
                                  "Afghanistan",
                                  "Taliban",
                                  "Pakistan",
                                  "India",
                                  "North Korea",
                                  "South Korea",
                                  "Japan",
                                  "Saudi Arabia",
                                  "Egypt",
                                  "Libya",
                                  "Yemen",
                                  "Venezuela",
                                  "Cuba",
                                  "Recep Erdogan",
                                  "Bashar al-Assad",
                                  "Volodymyr Zelensky",
                                  "Xi Jinping",
                                  "Joe Biden"};
constexpr size_t kNumNamed = sizeof(kNamed) / sizeof(kNamed[0]);

void Usage() {
  std::fprintf(stderr,
               "usage: kg_gen_edges --edges N [--actors M] [--seed S] [--zipf Z] [--cameo] "
               "--out FILE|-\n");
  std::exit(2);
}

}  // namespace

int main(int argc, char** argv) {
  uint64_t edges = 0, actors = 0, seed = 42;
  double zipf = 1.0;
  bool cameo = false;
  std::string out_path;
  for (int i = 1; i < argc; ++i) {
    auto next = [&]() -> const char* {
      if (i + 1 >= argc) Usage();
      return argv[++i];
    };
    if (!std::strcmp(argv[i], "--edges"))
      edges = std::strtoull(next(), nullptr, 10);
    else if (!std::strcmp(argv[i], "--actors"))
      actors = std::strtoull(next(), nullptr, 10);
    else if (!std::strcmp(argv[i], "--seed"))
      seed = std::strtoull(next(), nullptr, 10);
    else if (!std::strcmp(argv[i], "--zipf"))
      zipf = std::strtod(next(), nullptr);
    else if (!std::strcmp(argv[i], "--cameo"))
      cameo = true;
    else if (!std::strcmp(argv[i], "--out"))
      out_path = next();
    else
      Usage();
  }
  if (edges == 0 || out_path.empty()) Usage();
  if (actors == 0) actors = std::max<uint64_t>(100, edges / 10);
  if (actors < 2) Usage();

  std::vector<std::string> names(actors);
  for (uint64_t i = 0; i < actors; ++i) {
    if (i < kNumNamed) {
      names[i] = kNamed[i];
    } else {
      char buf[32];
      std::snprintf(buf, sizeof buf, "A%07llu", static_cast<unsigned long long>(i));
      names[i] = buf;
    }
  }
  std::vector<double> actor_cum(actors), rel_cum(kNumRelations);
  double total = 0;
  for (uint64_t i = 0; i < actors; ++i) actor_cum[i] = total += 1.0 / std::pow(i + 1.0, zipf);
  double rel_total = 0;
  for (size_t i = 0; i < kNumRelations; ++i) rel_cum[i] = rel_total += 1.0 / std::pow(i + 1.0, 0.6);

  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  auto pick_actor = [&] {
    const double x = unit(rng) * total;
    return static_cast<uint64_t>(std::upper_bound(actor_cum.begin(), actor_cum.end(), x) -
                                 actor_cum.begin()) %
           actors;
  };
  auto pick_relation = [&] {
    const double x = unit(rng) * rel_total;
    return static_cast<size_t>(std::upper_bound(rel_cum.begin(), rel_cum.end(), x) -
                               rel_cum.begin()) %
           kNumRelations;
  };
  // 2000-01-01 .. 2024-12-31 as days since 1970-01-01.
  constexpr int kDay0 = 10957, kDay1 = 20088;
  std::uniform_int_distribution<int> day(kDay0, kDay1);
  std::uniform_int_distribution<int> doc_size(1, 5);

  std::FILE* out = out_path == "-" ? stdout : std::fopen(out_path.c_str(), "wb");
  if (out == nullptr) {
    std::perror(out_path.c_str());
    return 1;
  }
  std::string buf;
  buf.reserve(1 << 22);
  char date[48];
  uint64_t written = 0, doc = 0;
  while (written < edges) {
    // Civil date of the document.
    const int z0 = day(rng) + 719468;
    const int era = z0 / 146097;
    const unsigned doe = static_cast<unsigned>(z0 - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    const unsigned d = doy - (153 * mp + 2) / 5 + 1;
    const unsigned m = mp < 10 ? mp + 3 : mp - 9;
    const int y = static_cast<int>(yoe) + era * 400 + (m <= 2);
    std::snprintf(date, sizeof date, "%04d-%02u-%02u", y, m, d);
    char doc_id[24];
    std::snprintf(doc_id, sizeof doc_id, "d%09llu", static_cast<unsigned long long>(doc++));
    for (int k = doc_size(rng); k > 0 && written < edges; --k, ++written) {
      const uint64_t s = pick_actor();
      uint64_t t = pick_actor();
      while (t == s) t = pick_actor();
      const auto& rel = kRelations[pick_relation()];
      buf += names[s];
      buf += '\t';
      buf += rel[0];
      buf += '\t';
      buf += names[t];
      buf += '\t';
      buf += date;
      buf += '\t';
      buf += doc_id;
      if (cameo) {
        buf += '\t';
        buf += rel[1];
        buf += '\t';
        buf += rel[2];
      }
      buf += '\n';
      if (buf.size() > (1 << 22) - 256) {
        std::fwrite(buf.data(), 1, buf.size(), out);
        buf.clear();
      }
    }
  }
  std::fwrite(buf.data(), 1, buf.size(), out);
  if (out != stdout) std::fclose(out);
  std::fprintf(stderr, "kg_gen_edges: %llu edges, %llu documents, %llu actors (seed %llu)\n",
               static_cast<unsigned long long>(edges), static_cast<unsigned long long>(doc),
               static_cast<unsigned long long>(actors), static_cast<unsigned long long>(seed));
  return 0;
}
