#include "nlp/tagger.h"

#include <algorithm>
#include <array>
#include <map>
#include <unordered_map>

#include "nlp/flat_map.h"
#include "nlp/hashing.h"
#include "nlp/lexical.h"
#include "nlp/model_file.h"
#include "nlp/perceptron.h"
#include "nlp/random.h"

namespace kg::nlp {
namespace {

constexpr std::array<std::string_view, kNumUpos> kUposNames = {
    "ADJ",  "ADP",  "ADV",   "AUX",   "CCONJ", "DET", "INTJ", "NOUN", "NUM",
    "PART", "PRON", "PROPN", "PUNCT", "SCONJ", "SYM", "VERB", "X"};

// The feature templates, in the order FeaturesAt emits them. Changing a
// template changes this text, hence the fingerprint, so old model files are
// refused instead of silently misread.
constexpr std::string_view kFeatureSpec =
    "tagger/1: bias w s2 s3 s4 p1 p3 shape flags+first t-1 t-2.t-1 t-1.w w-1 s3-1 w-2 w+1 s3+1 "
    "w+2 amb amb+1 amb+2 w-1.w w.w+1 t-1.amb amb.amb+1 t-1.s3 shape-1.shape.shape+1";
constexpr size_t kNumFeatures = 27;

// Atoms of the padding positions around a sentence.
constexpr uint64_t kStartWord = 0x5354415254ull, kEndWord = 0x454E44ull;
constexpr uint64_t kStartTag = 0xFFFF0001ull, kNoAmbiguity = 0xA3B1ull;

uint64_t Fingerprint() { return HashBytes(kFeatureSpec); }

}  // namespace

std::string_view UposName(Upos upos) { return kUposNames[static_cast<size_t>(upos)]; }

bool UposFromName(std::string_view name, Upos* out) {
  for (size_t i = 0; i < kUposNames.size(); ++i) {
    if (kUposNames[i] == name) {
      *out = static_cast<Upos>(i);
      return true;
    }
  }
  return false;
}

struct TaggerScratch {
  std::vector<WordAtoms> atoms;  // With two padding positions on each side.
  std::vector<uint64_t> amb;     // Ambiguity atom per padded position.
  std::vector<int16_t> scores;
  std::string text;
};
void TaggerScratchDeleter::operator()(TaggerScratch* s) const { delete s; }
TaggerScratchPtr NewTaggerScratch() { return TaggerScratchPtr(new TaggerScratch()); }

struct Tagger::Impl {
  std::vector<Upos> upos;
  std::vector<std::string> xpos;
  FlatMap64 dictionary;  // Hash of the exact form -> tag.
  FlatMap64 ambiguity;   // Lower-form atom -> ambiguity-class atom.
  WeightTable weights;

  // Fills atoms/amb for the sentence (padded by 2 on each side).
  void Prepare(std::span<const std::string_view> forms, TaggerScratch* s) const {
    const size_t n = forms.size();
    s->atoms.resize(n + 4);
    s->amb.resize(n + 4);
    for (size_t p : {size_t{0}, size_t{1}, n + 2, n + 3}) {
      const uint64_t w = p < 2 ? kStartWord : kEndWord;
      s->atoms[p] = WordAtoms{w, w, w, w, w, w, w, w, 0};
      s->amb[p] = w;
    }
    for (size_t i = 0; i < n; ++i) {
      ComputeAtoms(forms[i], &s->text, &s->atoms[i + 2]);
      const uint64_t* a = ambiguity.Find(s->atoms[i + 2].lower);
      s->amb[i + 2] = a ? *a : kNoAmbiguity;
    }
  }

  // Features of word i (0-based) given the previous two tags.
  static void FeaturesAt(const TaggerScratch& s, size_t i, uint64_t t1, uint64_t t2, uint64_t* f) {
    const size_t p = i + 2;
    const WordAtoms& w = s.atoms[p];
    const WordAtoms& wm1 = s.atoms[p - 1];
    const WordAtoms& wp1 = s.atoms[p + 1];
    uint32_t k = 0;
    f[k] = FeatureKey(k, 1), ++k;
    f[k] = FeatureKey(k, w.lower), ++k;
    f[k] = FeatureKey(k, w.suffix2), ++k;
    f[k] = FeatureKey(k, w.suffix3), ++k;
    f[k] = FeatureKey(k, w.suffix4), ++k;
    f[k] = FeatureKey(k, w.prefix1), ++k;
    f[k] = FeatureKey(k, w.prefix3), ++k;
    f[k] = FeatureKey(k, w.shape), ++k;
    f[k] = FeatureKey(k, w.flags, i == 0), ++k;
    f[k] = FeatureKey(k, t1), ++k;
    f[k] = FeatureKey(k, t2, t1), ++k;
    f[k] = FeatureKey(k, t1, w.lower), ++k;
    f[k] = FeatureKey(k, wm1.lower), ++k;
    f[k] = FeatureKey(k, wm1.suffix3), ++k;
    f[k] = FeatureKey(k, s.atoms[p - 2].lower), ++k;
    f[k] = FeatureKey(k, wp1.lower), ++k;
    f[k] = FeatureKey(k, wp1.suffix3), ++k;
    f[k] = FeatureKey(k, s.atoms[p + 2].lower), ++k;
    f[k] = FeatureKey(k, s.amb[p]), ++k;
    f[k] = FeatureKey(k, s.amb[p + 1]), ++k;
    f[k] = FeatureKey(k, s.amb[p + 2]), ++k;
    f[k] = FeatureKey(k, wm1.lower, w.lower), ++k;
    f[k] = FeatureKey(k, w.lower, wp1.lower), ++k;
    f[k] = FeatureKey(k, t1, s.amb[p]), ++k;
    f[k] = FeatureKey(k, s.amb[p], s.amb[p + 1]), ++k;
    f[k] = FeatureKey(k, t1, w.suffix3), ++k;
    f[k] = FeatureKey(k, wm1.shape, w.shape, wp1.shape), ++k;
  }

  static uint64_t TagAtom(uint16_t tag) { return 0x7A6700000000ull + tag; }

  // Fixed tag from the dictionary, or -1.
  int DictionaryTag(std::string_view form) const {
    const uint64_t* t = dictionary.Find(HashBytes(form));
    return t ? static_cast<int>(*t) : -1;
  }
};

Tagger::Tagger(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Tagger::~Tagger() = default;

size_t Tagger::num_tags() const { return impl_->upos.size(); }
Upos Tagger::upos(uint16_t tag) const { return impl_->upos[tag]; }
std::string_view Tagger::xpos(uint16_t tag) const { return impl_->xpos[tag]; }
size_t Tagger::num_features() const { return impl_->weights.num_features(); }
size_t Tagger::weight_bytes() const { return impl_->weights.bytes(); }

void Tagger::Tag(std::span<const std::string_view> forms, std::span<uint16_t> tags,
                 TaggerScratch* s) const {
  const Impl& m = *impl_;
  m.Prepare(forms, s);
  const size_t num_classes = m.upos.size();
  s->scores.resize(num_classes);
  uint64_t feats[kNumFeatures];
  uint64_t t1 = kStartTag, t2 = kStartTag;
  for (size_t i = 0; i < forms.size(); ++i) {
    int tag = m.DictionaryTag(forms[i]);
    if (tag < 0) {
      Impl::FeaturesAt(*s, i, t1, t2, feats);
      std::fill(s->scores.begin(), s->scores.end(), 0);
      m.weights.Score(feats, s->scores.data());
      tag = static_cast<int>(std::max_element(s->scores.begin(), s->scores.end()) -
                             s->scores.begin());
    }
    tags[i] = static_cast<uint16_t>(tag);
    t2 = t1;
    t1 = Impl::TagAtom(tags[i]);
  }
}

Status Tagger::Save(const std::string& path) const {
  ModelWriter w;
  w.U32(static_cast<uint32_t>(impl_->upos.size()));
  for (size_t t = 0; t < impl_->upos.size(); ++t) {
    w.U8(static_cast<uint8_t>(impl_->upos[t]));
    w.Str(impl_->xpos[t]);
  }
  impl_->dictionary.Write(&w);
  impl_->ambiguity.Write(&w);
  impl_->weights.Write(&w);
  return WriteModelFile(path, ModelKind::kTagger, Fingerprint(), w.payload());
}

Result<std::unique_ptr<Tagger>> Tagger::Load(const std::string& path) {
  std::string payload;
  KG_RETURN_IF_ERROR(ReadModelFile(path, ModelKind::kTagger, Fingerprint(), &payload));
  auto impl = std::make_unique<Impl>();
  ModelReader r(payload);
  const uint32_t n = r.U32();
  if (n == 0 || n > 0xFFFF) r.Fail();
  for (uint32_t t = 0; t < n && r.ok(); ++t) {
    const uint8_t u = r.U8();
    if (u >= kNumUpos) r.Fail();
    impl->upos.push_back(static_cast<Upos>(u));
    impl->xpos.push_back(r.Str());
  }
  bool ok = r.ok() && impl->dictionary.Read(&r) && impl->ambiguity.Read(&r) &&
            impl->weights.Read(&r) && impl->weights.num_classes() == n && r.at_end();
  for (const auto& [form, tag] : impl->dictionary.pairs()) ok = ok && tag < n;
  if (!ok) return Status::Corruption(path + ": tagger model payload does not decode");
  return std::unique_ptr<Tagger>(new Tagger(std::move(impl)));
}

double Tagger::UposAccuracy(const std::vector<TreebankSentence>& data) const {
  auto scratch = NewTaggerScratch();
  std::vector<std::string_view> forms;
  std::vector<uint16_t> tags;
  int64_t right = 0, total = 0;
  for (const TreebankSentence& s : data) {
    forms.assign(s.forms.begin(), s.forms.end());
    tags.assign(forms.size(), 0);
    Tag(forms, tags, scratch.get());
    for (size_t i = 0; i < forms.size(); ++i) right += UposName(upos(tags[i])) == s.upos[i];
    total += static_cast<int64_t>(forms.size());
  }
  return total == 0 ? 0.0 : 100.0 * static_cast<double>(right) / static_cast<double>(total);
}

Result<std::unique_ptr<Tagger>> Tagger::Train(const std::vector<TreebankSentence>& data,
                                              const std::vector<TreebankSentence>& dev,
                                              const TaggerTrainOptions& options,
                                              std::ostream* log) {
  if (data.empty()) return Status::InvalidArgument("no training sentences");
  auto impl = std::make_unique<Impl>();
  // Tag classes: (UPOS, XPOS) pairs, rare ones folded into their UPOS's most
  // frequent pair.
  std::map<std::pair<Upos, std::string>, int64_t> pair_count;
  for (const TreebankSentence& s : data) {
    for (size_t i = 0; i < s.forms.size(); ++i) {
      Upos u;
      if (!UposFromName(s.upos[i], &u)) {
        return Status::InvalidArgument("unknown UPOS '" + s.upos[i] + "' (word '" + s.forms[i] +
                                       "')");
      }
      ++pair_count[{u, s.xpos[i]}];
    }
  }
  std::map<std::pair<Upos, std::string>, uint16_t> class_of;
  std::map<Upos, std::pair<int64_t, uint16_t>> best_of_upos;
  for (const auto& [key, count] : pair_count) {
    if (count < options.min_tag_count) continue;
    const auto id = static_cast<uint16_t>(impl->upos.size());
    class_of[key] = id;
    impl->upos.push_back(key.first);
    impl->xpos.push_back(key.second);
    auto& best = best_of_upos[key.first];
    if (count > best.first) best = {count, id};
  }
  for (const auto& [key, count] : pair_count) {
    if (class_of.count(key)) continue;
    auto best = best_of_upos.find(key.first);
    if (best == best_of_upos.end()) {  // Every pair of this UPOS is rare: keep it.
      const auto id = static_cast<uint16_t>(impl->upos.size());
      class_of[key] = id;
      impl->upos.push_back(key.first);
      impl->xpos.push_back(key.second);
      best_of_upos[key.first] = {count, id};
    } else {
      class_of[key] = best->second.second;
    }
  }
  // Gold classes per sentence, word counts for the dictionary and ambiguity.
  std::vector<std::vector<uint16_t>> gold(data.size());
  std::unordered_map<std::string, std::map<uint16_t, int64_t>> form_tags;
  std::unordered_map<uint64_t, std::map<uint16_t, int64_t>> lower_tags;
  std::string text;
  for (size_t k = 0; k < data.size(); ++k) {
    const TreebankSentence& s = data[k];
    for (size_t i = 0; i < s.forms.size(); ++i) {
      Upos u;
      UposFromName(s.upos[i], &u);
      const uint16_t c = class_of[{u, s.xpos[i]}];
      gold[k].push_back(c);
      ++form_tags[s.forms[i]][c];
      NormalizeWord(s.forms[i], &text);
      ++lower_tags[HashBytes(text)][c];
    }
  }
  std::vector<std::pair<uint64_t, uint64_t>> dict, amb;
  for (const auto& [form, tags] : form_tags) {
    int64_t total = 0, best = 0;
    uint16_t best_tag = 0;
    for (auto [t, c] : tags) {
      total += c;
      if (c > best) best = c, best_tag = t;
    }
    if (total >= options.dict_min_count &&
        static_cast<double>(best) >= options.dict_purity * static_cast<double>(total)) {
      dict.push_back({HashBytes(form), best_tag});
    }
  }
  for (const auto& [lower, tags] : lower_tags) {
    int64_t total = 0;
    uint64_t h = 0xA3B2C3D4ull;
    for (auto [t, c] : tags) total += c, h = Mix(h, t);
    if (total >= options.ambiguity_min_count) amb.push_back({lower, h});
  }
  impl->dictionary.Build(std::move(dict));
  impl->ambiguity.Build(std::move(amb));

  const uint32_t num_classes = static_cast<uint32_t>(impl->upos.size());
  PerceptronTrainer trainer(num_classes);
  std::vector<size_t> order(data.size());
  for (size_t k = 0; k < order.size(); ++k) order[k] = k;
  Rng rng(options.seed);
  TaggerScratch scratch;
  std::vector<int64_t> scores(num_classes);
  std::vector<std::string_view> forms;
  uint64_t feats[kNumFeatures];
  for (int epoch = 1; epoch <= options.epochs; ++epoch) {
    Shuffle(&order, &rng);
    int64_t correct = 0, total = 0;
    for (size_t k : order) {
      const TreebankSentence& s = data[k];
      forms.assign(s.forms.begin(), s.forms.end());
      impl->Prepare(forms, &scratch);
      uint64_t t1 = kStartTag, t2 = kStartTag;
      for (size_t i = 0; i < forms.size(); ++i) {
        int guess = impl->DictionaryTag(forms[i]);
        if (guess < 0) {
          Impl::FeaturesAt(scratch, i, t1, t2, feats);
          std::fill(scores.begin(), scores.end(), 0);
          trainer.Score(feats, scores.data());
          guess = static_cast<int>(std::max_element(scores.begin(), scores.end()) - scores.begin());
          trainer.Tick();
          trainer.Update(feats, gold[k][i], static_cast<uint32_t>(guess));
        }
        correct += guess == gold[k][i];
        ++total;
        t2 = t1;
        t1 = Impl::TagAtom(static_cast<uint16_t>(guess));
      }
    }
    if (log) {
      *log << "tagger epoch " << epoch << ": train accuracy "
           << (100.0 * static_cast<double>(correct) /
               static_cast<double>(std::max<int64_t>(total, 1)))
           << "%, " << trainer.num_features() << " features";
      if (!dev.empty()) {
        auto copy = std::make_unique<Impl>(*impl);
        copy->weights = trainer.Compile(CompileOptions{options.prune_fraction, kNumFeatures});
        *log << "; dev UPOS " << Tagger(std::move(copy)).UposAccuracy(dev) << "%";
      }
      *log << "\n";
      log->flush();
    }
  }
  impl->weights = trainer.Compile(CompileOptions{options.prune_fraction, kNumFeatures});
  return std::unique_ptr<Tagger>(new Tagger(std::move(impl)));
}

}  // namespace kg::nlp
