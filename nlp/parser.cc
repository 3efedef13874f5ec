#include "nlp/parser.h"

#include <algorithm>
#include <limits>
#include <map>
#include <set>

#include "nlp/evaluate.h"
#include "nlp/flat_map.h"
#include "nlp/hashing.h"
#include "nlp/lexical.h"
#include "nlp/model_file.h"
#include "nlp/perceptron.h"
#include "nlp/random.h"
#include "nlp/transition.h"

namespace kg::nlp {
namespace {

// The feature templates, in the order MoveFeatures() and LabelFeatures()
// emit them. Changing a template changes this text, hence the fingerprint,
// so old model files are refused instead of silently misread.
constexpr std::string_view kFeatureSpec =
    "parser/4 arc-eager root-last, rare words as tags: S0wp S0w S0p N0wp N0w N0p N1wp N1w N1p N2wp "
    "N2w N2p "
    "S0wp.N0wp S0wp.N0w S0w.N0wp S0wp.N0p S0p.N0wp S0w.N0w S0p.N0p N0p.N1p N0p.N1p.N2p "
    "S0p.N0p.N1p S0hp.S0p.N0p S0p.S0lp.N0p S0p.S0rp.N0p S0p.N0p.N0lp S0w.d S0p.d N0w.d N0p.d "
    "S0w.N0w.d S0p.N0p.d S0w.vr S0p.vr S0w.vl S0p.vl N0w.vl N0p.vl S0hw S0hp S0l S0lw S0lp S0ll "
    "S0rw S0rp S0rl N0lw N0lp N0ll S0h2w S0h2p S0hl S0l2w S0l2p S0l2l S0r2w S0r2p S0r2l N0l2w "
    "N0l2p N0l2l S0p.S0lp.S0l2p S0p.S0rp.S0r2p S0p.S0hp.S0h2p N0p.N0lp.N0l2p S0w.sr S0p.sr "
    "S0w.sl S0p.sl N0w.sl N0p.sl S1p.S0p.N0p S1w.S1p bias; joint move-label classes";
constexpr size_t kNumFeatures = 75;

constexpr uint64_t kNoneWord = 0x4E4F4E45ull, kRootWord = 0x524F4F54ull;
constexpr uint64_t kUnknownWord = 0x554E4Bull;

uint64_t Fingerprint() { return HashBytes(kFeatureSpec); }

uint64_t TagAtom(Upos upos, std::string_view xpos) {
  return Mix(static_cast<uint64_t>(upos) + 1, HashBytes(xpos));
}

int DistanceBucket(int d) {
  if (d <= 4) return d;
  if (d <= 7) return 5;
  if (d <= 12) return 6;
  return 7;
}

// Index of the best allowed entry of scores (ties: the lower index).
template <typename Score, typename Allowed>
uint32_t ArgMax(const Score* scores, uint32_t n, Allowed allowed) {
  uint32_t best = 0;
  bool found = false;
  for (uint32_t c = 0; c < n; ++c) {
    if (!allowed(c)) continue;
    if (!found || scores[c] > scores[best]) {
      best = c;
      found = true;
    }
  }
  return best;
}

}  // namespace

struct ParserScratch {
  std::vector<uint64_t> w, p;  // Word and tag atoms per token 0..n+1.
  std::vector<int16_t> scores;
  std::string text;
  ArcEagerState state;
};
void ParserScratchDeleter::operator()(ParserScratch* s) const { delete s; }
ParserScratchPtr NewParserScratch() { return ParserScratchPtr(new ParserScratch()); }

struct Parser::Impl {
  std::vector<std::string> labels;  // Sorted; label ids index this.
  uint16_t root_label = 0;
  uint16_t fallback_label = 0;  // For extra root children (parataxis, else dep).
  WeightTable weights;          // num_classes() classes.

  int Find(std::string_view name) const {
    auto it = std::lower_bound(labels.begin(), labels.end(), name);
    return it != labels.end() && *it == name ? static_cast<int>(it - labels.begin()) : -1;
  }
  // Sets root_label and fallback_label; false when there is no "root".
  bool InitLabels() {
    const int root = Find("root");
    if (root < 0) return false;
    root_label = static_cast<uint16_t>(root);
    int fallback = Find("parataxis");
    if (fallback < 0) fallback = Find("dep");
    if (fallback < 0) fallback = root == 0 && labels.size() > 1 ? 1 : 0;
    fallback_label = static_cast<uint16_t>(fallback);
    return true;
  }

  // Words seen at least min_word_count times in training; the others are
  // represented by their tag (and the features that use them are shared).
  FlatMap64 vocabulary;

  void Prepare(std::span<const ParserWord> words, ParserScratch* s) const {
    const size_t n = words.size();
    s->w.resize(n + 2);
    s->p.resize(n + 2);
    s->w[0] = s->p[0] = kNoneWord;
    s->w[n + 1] = s->p[n + 1] = kRootWord;
    for (size_t i = 0; i < n; ++i) {
      NormalizeWord(words[i].form, &s->text);
      const uint64_t w = HashBytes(s->text);
      s->p[i + 1] = TagAtom(words[i].upos, words[i].xpos);
      s->w[i + 1] = vocabulary.Find(w) ? w : Mix(kUnknownWord, s->p[i + 1]);
    }
  }

  static void Features(const ArcEagerState& st, const ParserScratch& sc, uint64_t* f) {
    const std::vector<uint64_t>& W = sc.w;
    const std::vector<uint64_t>& P = sc.p;
    const int n = st.n();
    const int s0 = st.s0(), s1 = st.s1(), n0 = st.b();
    const int n1 = n0 + 1 <= n + 1 ? n0 + 1 : 0;
    const int n2 = n0 + 2 <= n + 1 ? n0 + 2 : 0;
    const int s0h = s0 ? st.head(s0) : 0;
    const int s0h2 = (s0h >= 1 && s0h <= n) ? st.head(s0h) : 0;
    const int s0l = st.leftmost(s0), s0r = st.rightmost(s0);
    const int s0l2 = st.left2(s0), s0r2 = st.right2(s0);
    const int n0l = st.leftmost(n0), n0l2 = st.left2(n0);
    auto lab = [&](int t) -> uint64_t { return t && st.head(t) ? st.label(t) + 1u : 0u; };
    const uint64_t S0w = W[s0], S0p = P[s0], N0w = W[n0], N0p = P[n0];
    const uint64_t N1w = W[n1], N1p = P[n1], N2w = W[n2], N2p = P[n2];
    const uint64_t S0wp = Mix(S0w, S0p), N0wp = Mix(N0w, N0p);
    const uint64_t d = s0 ? static_cast<uint64_t>(DistanceBucket(n0 - s0)) : 0;
    const uint64_t vr = st.right_valency(s0), vl = st.left_valency(s0);
    const uint64_t n0vl = st.left_valency(n0);
    uint32_t k = 0;
    auto F1 = [&](uint64_t a) { f[k] = FeatureKey(k, a), ++k; };
    auto F2 = [&](uint64_t a, uint64_t b) { f[k] = FeatureKey(k, a, b), ++k; };
    auto F3 = [&](uint64_t a, uint64_t b, uint64_t c) { f[k] = FeatureKey(k, a, b, c), ++k; };
    F1(S0wp), F1(S0w), F1(S0p), F1(N0wp), F1(N0w), F1(N0p);
    F2(N1w, N1p), F1(N1w), F1(N1p), F2(N2w, N2p), F1(N2w), F1(N2p);
    F2(S0wp, N0wp), F2(S0wp, N0w), F2(S0w, N0wp), F2(S0wp, N0p), F2(S0p, N0wp), F2(S0w, N0w);
    F2(S0p, N0p), F2(N0p, N1p), F3(N0p, N1p, N2p), F3(S0p, N0p, N1p);
    F3(P[s0h], S0p, N0p), F3(S0p, P[s0l], N0p), F3(S0p, P[s0r], N0p), F3(S0p, N0p, P[n0l]);
    F2(S0w, d), F2(S0p, d), F2(N0w, d), F2(N0p, d), F3(S0w, N0w, d), F3(S0p, N0p, d);
    F2(S0w, vr), F2(S0p, vr), F2(S0w, vl), F2(S0p, vl), F2(N0w, n0vl), F2(N0p, n0vl);
    F1(W[s0h]), F1(P[s0h]), F1(lab(s0)), F1(W[s0l]), F1(P[s0l]), F1(lab(s0l));
    F1(W[s0r]), F1(P[s0r]), F1(lab(s0r)), F1(W[n0l]), F1(P[n0l]), F1(lab(n0l));
    F1(W[s0h2]), F1(P[s0h2]), F1(lab(s0h)), F1(W[s0l2]), F1(P[s0l2]), F1(lab(s0l2));
    F1(W[s0r2]), F1(P[s0r2]), F1(lab(s0r2)), F1(W[n0l2]), F1(P[n0l2]), F1(lab(n0l2));
    F3(S0p, P[s0l], P[s0l2]), F3(S0p, P[s0r], P[s0r2]), F3(S0p, P[s0h], P[s0h2]);
    F3(N0p, P[n0l], P[n0l2]);
    const uint64_t sr = st.right_labels(s0), sl = st.left_labels(s0), n0sl = st.left_labels(n0);
    F2(S0w, sr), F2(S0p, sr), F2(S0w, sl), F2(S0p, sl), F2(N0w, n0sl), F2(N0p, n0sl);
    F3(P[s1], S0p, N0p), F2(W[s1], P[s1]), F1(1);
  }

  // Classes: 0 SHIFT, 1 REDUCE, 2 + 2l LEFT-l, 3 + 2l RIGHT-l.
  uint32_t num_classes() const { return 2 + 2 * static_cast<uint32_t>(labels.size()); }
  static Move MoveOf(uint32_t c) {
    return c == 0 ? Move::kShift : c == 1 ? Move::kReduce : (c & 1) ? Move::kRight : Move::kLeft;
  }
  static uint16_t LabelOf(uint32_t c) { return c < 2 ? 0 : static_cast<uint16_t>((c - 2) / 2); }
  // Whether class c is allowed in state st: its move is valid, and only a
  // LEFT arc to the root is labelled "root".
  bool Allowed(const ArcEagerState& st, const bool* valid, uint32_t c) const {
    const Move m = MoveOf(c);
    if (!valid[static_cast<int>(m)]) return false;
    if (m == Move::kLeft) return (LabelOf(c) == root_label) == (st.b() == st.n() + 1);
    if (m == Move::kRight) return LabelOf(c) != root_label;
    return true;
  }
  template <typename Score>
  uint32_t Best(const ArcEagerState& st, const Score* scores) const {
    const bool valid[kNumMoves] = {st.Valid(Move::kShift), st.Valid(Move::kReduce),
                                   st.Valid(Move::kLeft), st.Valid(Move::kRight)};
    return ArgMax(scores, num_classes(), [&](uint32_t c) { return Allowed(st, valid, c); });
  }

  void Finish(const ArcEagerState& st, std::span<int> heads, std::span<uint16_t> out) const {
    const int n = st.n();
    int root = 0;
    for (int t = 1; t <= n; ++t) {
      int h = st.head(t);
      uint16_t l = st.label(t);
      if (h == n + 1) {
        if (root == 0) {
          root = t;
          h = 0;
        } else {
          h = root;  // A second root child hangs from the first.
          l = fallback_label;
        }
      }
      heads[t - 1] = h;
      out[t - 1] = l;
    }
  }
};

Parser::Parser(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Parser::~Parser() = default;

size_t Parser::num_labels() const { return impl_->labels.size(); }
std::string_view Parser::label_name(uint16_t label) const { return impl_->labels[label]; }
int Parser::label_id(std::string_view name) const { return impl_->Find(name); }
size_t Parser::num_features() const { return impl_->weights.num_features(); }
size_t Parser::weight_bytes() const { return impl_->weights.bytes(); }

void Parser::Parse(std::span<const ParserWord> words, std::span<int> heads,
                   std::span<uint16_t> labels, ParserScratch* s) const {
  const Impl& m = *impl_;
  const int n = static_cast<int>(words.size());
  if (n == 0) return;
  m.Prepare(words, s);
  ArcEagerState& st = s->state;
  st.Reset(n);
  s->scores.resize(m.num_classes());
  uint64_t feats[kNumFeatures];
  while (!st.Terminal()) {
    Impl::Features(st, *s, feats);
    std::fill(s->scores.begin(), s->scores.end(), 0);
    m.weights.Score(feats, s->scores.data());
    const uint32_t c = m.Best(st, s->scores.data());
    st.Apply(Impl::MoveOf(c), Impl::LabelOf(c));
  }
  m.Finish(st, heads, labels);
}

Status Parser::Save(const std::string& path) const {
  ModelWriter w;
  w.Strings(impl_->labels);
  impl_->vocabulary.Write(&w);
  impl_->weights.Write(&w);
  return WriteModelFile(path, ModelKind::kParser, Fingerprint(), w.payload());
}

Result<std::unique_ptr<Parser>> Parser::Load(const std::string& path) {
  std::string payload;
  KG_RETURN_IF_ERROR(ReadModelFile(path, ModelKind::kParser, Fingerprint(), &payload));
  auto impl = std::make_unique<Impl>();
  ModelReader r(payload);
  impl->labels = r.Strings();
  bool ok = r.ok() && impl->vocabulary.Read(&r) && !impl->labels.empty() &&
            impl->labels.size() < 0x7FFF &&
            std::is_sorted(impl->labels.begin(), impl->labels.end()) && impl->weights.Read(&r) &&
            impl->weights.num_classes() == impl->num_classes() && r.at_end();
  if (!ok) return Status::Corruption(path + ": parser model payload does not decode");
  if (!impl->InitLabels()) return Status::Corruption(path + ": parser model has no 'root' label");
  return std::unique_ptr<Parser>(new Parser(std::move(impl)));
}

}  // namespace kg::nlp

namespace kg::nlp {
namespace {

// Parses `data` and returns (UAS, LAS) in percent, LAS over universal labels.
std::pair<double, double> Score(const Parser& parser, const std::vector<TreebankSentence>& data) {
  auto scratch = NewParserScratch();
  std::vector<ParserWord> words;
  std::vector<int> heads;
  std::vector<uint16_t> labels;
  int64_t total = 0, uas = 0, las = 0;
  for (const TreebankSentence& s : data) {
    words.resize(s.forms.size());
    for (size_t i = 0; i < s.forms.size(); ++i) {
      Upos u = Upos::kX;
      UposFromName(s.upos[i], &u);
      words[i] = {s.forms[i], u, s.xpos[i]};
    }
    heads.assign(words.size(), 0);
    labels.assign(words.size(), 0);
    parser.Parse(words, heads, labels, scratch.get());
    for (size_t i = 0; i < words.size(); ++i) {
      ++total;
      if (heads[i] != s.heads[i]) continue;
      ++uas;
      las += UniversalRelation(parser.label_name(labels[i])) == UniversalRelation(s.deprels[i]);
    }
  }
  const double t = static_cast<double>(std::max<int64_t>(total, 1));
  return {100.0 * static_cast<double>(uas) / t, 100.0 * static_cast<double>(las) / t};
}

}  // namespace

Result<std::unique_ptr<Parser>> Parser::Train(const std::vector<TreebankSentence>& data,
                                              const std::vector<TreebankSentence>& dev,
                                              const ParserTrainOptions& options,
                                              std::ostream* log) {
  if (data.empty()) return Status::InvalidArgument("no training sentences");
  auto impl = std::make_unique<Impl>();
  std::set<std::string> label_set{"root"};
  for (const TreebankSentence& s : data) label_set.insert(s.deprels.begin(), s.deprels.end());
  impl->labels.assign(label_set.begin(), label_set.end());
  {
    std::map<uint64_t, int64_t> counts;
    std::string text;
    for (const TreebankSentence& s : data) {
      for (const std::string& form : s.forms) {
        NormalizeWord(form, &text);
        ++counts[HashBytes(text)];
      }
    }
    std::vector<std::pair<uint64_t, uint64_t>> vocabulary;
    for (auto [word, count] : counts) {
      if (count >= options.min_word_count) vocabulary.push_back({word, 1});
    }
    impl->vocabulary.Build(std::move(vocabulary));
    if (log) *log << "parser: vocabulary of " << impl->vocabulary.size() << " words\n";
  }
  if (impl->labels.size() > 0x7FFE) return Status::InvalidArgument("too many relation labels");
  impl->InitLabels();

  // Gold trees, token-indexed (root = n + 1), projectivized.
  struct Gold {
    std::vector<int> heads;
    std::vector<uint16_t> labels;
    std::vector<ParserWord> words;
  };
  std::vector<Gold> gold(data.size());
  int64_t lifted = 0, nonprojective = 0;
  for (size_t k = 0; k < data.size(); ++k) {
    const TreebankSentence& s = data[k];
    const int n = static_cast<int>(s.forms.size());
    std::vector<int> heads = s.heads;
    if (!IsProjective(heads)) {
      ++nonprojective;
      lifted += Projectivize(&heads);
    }
    Gold& g = gold[k];
    g.heads.assign(n + 2, 0);
    g.labels.assign(n + 2, 0);
    for (int i = 1; i <= n; ++i) {
      const int h = heads[i - 1];
      g.heads[i] = h == 0 ? n + 1 : h;
      g.labels[i] = static_cast<uint16_t>(impl->Find(h == 0 ? "root" : s.deprels[i - 1]));
      if (h != 0 && g.labels[i] == impl->root_label) g.labels[i] = impl->fallback_label;
      Upos u = Upos::kX;
      UposFromName(s.upos[i - 1], &u);
      g.words.push_back({s.forms[i - 1], u, s.xpos[i - 1]});
    }
  }
  if (log) {
    *log << "parser: " << data.size() << " sentences, " << impl->labels.size() << " labels, "
         << nonprojective << " non-projective trees (" << lifted << " arcs lifted)\n";
  }

  const uint32_t num_classes = impl->num_classes();
  PerceptronTrainer trainer(num_classes);
  std::vector<size_t> order(data.size());
  for (size_t k = 0; k < order.size(); ++k) order[k] = k;
  Rng rng(options.seed);
  ParserScratch scratch;
  std::vector<int64_t> scores(num_classes);
  std::vector<uint8_t> on_stack;
  uint64_t feats[kNumFeatures];
  for (int epoch = 1; epoch <= options.epochs; ++epoch) {
    Shuffle(&order, &rng);
    int64_t moves = 0, wrong = 0;
    const bool explore = epoch >= options.explore_from_epoch;
    for (size_t k : order) {
      const Gold& g = gold[k];
      const int n = static_cast<int>(g.words.size());
      impl->Prepare(g.words, &scratch);
      ArcEagerState& st = scratch.state;
      st.Reset(n);
      while (!st.Terminal()) {
        Impl::Features(st, scratch, feats);
        std::fill(scores.begin(), scores.end(), 0);
        trainer.Score(feats, scores.data());
        const uint32_t guess = impl->Best(st, scores.data());
        const MoveCosts costs = ComputeCosts(st, g.heads, &on_stack);
        // A class's cost: its move's attachment cost, plus one for a wrong
        // label on a gold arc.
        const int b = st.b(), s0 = st.s0();
        auto cost = [&](uint32_t c) {
          const Move m = Impl::MoveOf(c);
          int x = costs[m];
          if (m == Move::kLeft && g.heads[s0] == b) x += Impl::LabelOf(c) != g.labels[s0];
          if (m == Move::kRight && g.heads[b] == s0) x += Impl::LabelOf(c) != g.labels[b];
          return x;
        };
        const bool valid[kNumMoves] = {st.Valid(Move::kShift), st.Valid(Move::kReduce),
                                       st.Valid(Move::kLeft), st.Valid(Move::kRight)};
        int least = std::numeric_limits<int>::max();
        for (uint32_t c = 0; c < num_classes; ++c) {
          if (impl->Allowed(st, valid, c)) least = std::min(least, cost(c));
        }
        // The best-scoring allowed class of least cost (zero for projective gold).
        const uint32_t best_gold = ArgMax(scores.data(), num_classes, [&](uint32_t c) {
          return impl->Allowed(st, valid, c) && cost(c) == least;
        });
        trainer.Tick();
        ++moves;
        uint32_t next = best_gold;
        if (cost(guess) > least) {
          ++wrong;
          trainer.Update(feats, best_gold, guess);
          if (explore && rng.Unit() < options.explore_probability) next = guess;
        }
        st.Apply(Impl::MoveOf(next), Impl::LabelOf(next));
      }
    }
    if (log) {
      *log << "parser epoch " << epoch << ": " << wrong << " of " << moves
           << " moves wrong in training (" << trainer.num_features() << " features)";
      if (!dev.empty()) {
        Parser snapshot(std::make_unique<Impl>(*impl));
        snapshot.impl_->weights =
            trainer.Compile(CompileOptions{options.prune_fraction, kNumFeatures});
        auto [uas, las] = Score(snapshot, dev);
        *log << "; dev UAS " << uas << " LAS " << las;
      }
      *log << "\n";
      log->flush();
    }
  }
  for (double f : options.prune_sweep) {  // Tuning aid: dev scores of smaller models.
    if (!log || dev.empty()) break;
    Parser snapshot(std::make_unique<Impl>(*impl));
    snapshot.impl_->weights = trainer.Compile(CompileOptions{f, kNumFeatures});
    auto [uas, las] = Score(snapshot, dev);
    *log << "prune " << f << ": " << snapshot.impl_->weights.num_features() << " features, "
         << static_cast<double>(snapshot.impl_->weights.bytes()) / 1048576.0 << " MiB; dev UAS "
         << uas << " LAS " << las << "\n";
  }
  impl->weights = trainer.Compile(CompileOptions{options.prune_fraction, kNumFeatures});
  return std::unique_ptr<Parser>(new Parser(std::move(impl)));
}

void TagTreebank(const Tagger& tagger, std::vector<TreebankSentence>* data) {
  auto scratch = NewTaggerScratch();
  std::vector<std::string_view> forms;
  std::vector<uint16_t> tags;
  for (TreebankSentence& s : *data) {
    forms.assign(s.forms.begin(), s.forms.end());
    tags.assign(forms.size(), 0);
    tagger.Tag(forms, tags, scratch.get());
    for (size_t i = 0; i < forms.size(); ++i) {
      s.upos[i] = std::string(UposName(tagger.upos(tags[i])));
      s.xpos[i] = std::string(tagger.xpos(tags[i]));
    }
  }
}

Status JackknifeTags(std::vector<TreebankSentence>* data, int folds,
                     const TaggerTrainOptions& options, std::ostream* log) {
  if (folds < 2) return Status::InvalidArgument("jackknifing needs at least 2 folds");
  std::vector<TreebankSentence> tagged = *data;
  for (int fold = 0; fold < folds; ++fold) {
    std::vector<TreebankSentence> train, held;
    std::vector<size_t> held_index;
    for (size_t k = 0; k < data->size(); ++k) {
      if (static_cast<int>(k % static_cast<size_t>(folds)) == fold) {
        held.push_back((*data)[k]);
        held_index.push_back(k);
      } else {
        train.push_back((*data)[k]);
      }
    }
    if (train.empty() || held.empty()) continue;
    KG_ASSIGN_OR_RETURN(auto tagger, Tagger::Train(train, {}, options, nullptr));
    TagTreebank(*tagger, &held);
    int64_t right = 0, total = 0;
    for (size_t j = 0; j < held.size(); ++j) {
      const TreebankSentence& gold = (*data)[held_index[j]];
      for (size_t i = 0; i < gold.upos.size(); ++i) right += held[j].upos[i] == gold.upos[i];
      total += static_cast<int64_t>(gold.upos.size());
      tagged[held_index[j]] = std::move(held[j]);
    }
    if (log) {
      *log << "jackknife fold " << fold + 1 << "/" << folds << ": UPOS "
           << 100.0 * static_cast<double>(right) / static_cast<double>(std::max<int64_t>(total, 1))
           << "% on " << held.size() << " held-out sentences\n";
      log->flush();
    }
  }
  *data = std::move(tagged);
  return Status::Ok();
}

}  // namespace kg::nlp
