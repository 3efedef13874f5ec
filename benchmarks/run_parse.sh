#!/usr/bin/env bash
# Accuracy and speed of the language layer on the UD treebanks of
# ../shared/ud with the shipped models (data/models): UPOS, XPOS, UAS and
# LAS from `kg eval --conllu` (gold tokens, LAS on universal relations) and
# words/s of `kg parse --conllu` (one thread, loading excluded), for EWT test
# and dev, GUM test, and news-like subsets: GUM test's news documents and
# EWT test's newsgroup and weblog genres. Not a test; run by hand:
#   BUILD=build bash benchmarks/run_parse.sh
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
UD=${UD:-../shared/ud}
KG=$BUILD/kg
WORK=$(mktemp -d /tmp/kg-parse-bench.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
# Sentences of a CoNLL-U file whose document (newdoc id) or sent_id matches a pattern.
subset() {  # file pattern out
  awk -v pat="$2" 'BEGIN{RS=""; ORS="\n\n"} {
    if (match($0, /# newdoc id = [^\n]*/)) doc = substr($0, RSTART, RLENGTH);
    if (doc ~ pat || $0 ~ ("# sent_id = " pat)) print }' "$1" > "$3"
}
subset "$UD/GUM/en_gum-permissive-test.conllu" "GUM_news" "$WORK/gum-news.conllu"
subset "$UD/UD_English-EWT/en_ewt-ud-test.conllu" "(newsgroup|weblog)" "$WORK/ewt-news.conllu"
printf '| set | sentences | words | UPOS | XPOS | UAS | LAS | words/s |\n|---|---|---|---|---|---|---|---|\n'
for set in "EWT test:$UD/UD_English-EWT/en_ewt-ud-test.conllu" "EWT dev:$UD/UD_English-EWT/en_ewt-ud-dev.conllu" \
           "GUM test:$UD/GUM/en_gum-permissive-test.conllu" "GUM test news:$WORK/gum-news.conllu" \
           "EWT test newsgroup+weblog:$WORK/ewt-news.conllu"; do
  name=${set%%:*}; file=${set#*:}
  "$KG" parse --conllu "$file" -o "$WORK/pred.conllu" 2> "$WORK/log"
  rate=$(sed -nE 's/.*\(([0-9]+) words\/s\).*/\1/p' "$WORK/log")
  "$KG" eval --conllu "$file" "$WORK/pred.conllu" > "$WORK/eval"
  read -r sentences words <<< "$(sed -nE 's/sentences ([0-9]+), words ([0-9]+)/\1 \2/p' "$WORK/eval")"
  col() { awk -v k="$1" '$1 == k {print $2}' "$WORK/eval"; }
  printf '| %s | %s | %s | %s | %s | %s | %s | %s |\n' "$name" "$sentences" "$words" "$(col UPOS)" \
    "$(col XPOS)" "$(col UAS)" "$(col LAS)" "$rate"
done
