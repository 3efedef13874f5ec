#!/usr/bin/env bash
# Link Grammar as the full-parse reference for extraction speed (issue 8):
# kg_lg_parse parses the first N sentences (whole articles) of the Reuters
# prose stories with Link Grammar on one thread and writes those articles to
# a file; `kg extract -j 1` then runs on exactly that file (COPIES
# concatenated copies with renamed ids, so its run is long enough to time).
# Prints both sentences/s (wall, each tool's own clock, load excluded) and
# sentences per CPU second, and the ratios kg / Link Grammar. Installs Debian's
# liblink-grammar-dev when missing (root or sudo) and (re)configures BUILD so
# that kg_lg_parse is built. Not a test; run by hand:
#   BUILD=build N=2000 bash benchmarks/run_linkgrammar.sh
#   N=500 TIMEOUT=5 MAX_WORDS=60 BUILD=build-perf bash benchmarks/run_linkgrammar.sh
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
N=${N:-2000}
TIMEOUT=${TIMEOUT:-10}
MAX_WORDS=${MAX_WORDS:-0}
COPIES=${COPIES:-40}
JOBS=${JOBS:-2}
CORPUS=${CORPUS:-../shared/corpus/reuters21578.jsonl}
[ -x /usr/bin/time ] || { echo "needs /usr/bin/time (apt-get install time)" >&2; exit 1; }

if ! pkg-config --exists link-grammar || [ ! -d /usr/share/link-grammar/en ]; then
  # liblink-grammar5 pulls in link-grammar-dictionaries-en (the English dictionary).
  if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO=sudo; fi
  $SUDO apt-get install -y --no-install-recommends liblink-grammar-dev link-grammar-dictionaries-en
fi

if [ -f "$BUILD/CMakeCache.txt" ]; then
  cmake -S . -B "$BUILD" -DKG_BUILD_BENCHMARKS=ON > /dev/null
else
  cmake -S . -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release -DKG_BUILD_BENCHMARKS=ON > /dev/null
fi
cmake --build "$BUILD" -j "$JOBS" --target kg kg_lg_parse > /dev/null

WORK=$(mktemp -d /tmp/kg-lg-bench.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
echo "# $(date -u +%FT%TZ) $(nproc) cpus, load $(cut -d' ' -f1-3 /proc/loadavg); $(basename "$CORPUS") prose records; N=$N timeout ${TIMEOUT}s max-words $MAX_WORDS"

"$BUILD/kg_lg_parse" --limit "$N" --timeout "$TIMEOUT" --max-words "$MAX_WORDS" \
  --articles-out "$WORK/articles.jsonl" "$CORPUS" > "$WORK/lg.log"
# Link Grammar writes its own locale notes on stdout too; keep only the summary.
lg=$(grep -E "^kg_lg_parse: " "$WORK/lg.log")
echo "$lg"
lg_sentences=$(sed -E 's/.* ([0-9]+) sentences \(.*/\1/' <<< "$lg")
lg_rate=$(sed -E 's/.* ([0-9.]+) sentences\/s .*/\1/' <<< "$lg")

: > "$WORK/in.jsonl"
for ((k = 0; k < COPIES; ++k)); do
  sed -E "s/\"id\": *\"/\"id\": \"c$k-/" "$WORK/articles.jsonl" >> "$WORK/in.jsonl"
done
# CPU seconds of a one-article run (loading the dictionaries and the tagger)
# are subtracted so that both CPU rates count parsing work only.
kg_run() {  # input -> "sentences sentences/s cpu_seconds" of `kg extract -j 1`
  /usr/bin/time -f "%U %S" -o "$WORK/time.txt" "$BUILD/kg" extract -j 1 "$1" > /dev/null 2> "$WORK/kg.log"
  local summary; summary=$(tr '\r' '\n' < "$WORK/kg.log" | grep -E "^kg extract: [0-9]+ documents" | tail -n1)
  echo "$(sed -E 's/.* ([0-9]+) sentences,.*/\1/' <<< "$summary") $(sed -E 's/.*\(([0-9]+) sentences\/s\).*/\1/' <<< "$summary") $(awk '{print $1 + $2}' "$WORK/time.txt")"
}
head -n 1 "$WORK/articles.jsonl" > "$WORK/one.jsonl"
read -r one_sentences _ one_cpu <<< "$(kg_run "$WORK/one.jsonl")"
read -r kg_sentences kg_rate kg_cpu <<< "$(kg_run "$WORK/in.jsonl")"
echo "$(tr '\r' '\n' < "$WORK/kg.log" | grep -E "^kg extract: [0-9]+ documents" | tail -n1) ($COPIES copies); $kg_cpu s CPU"
kg_cpu_rate=$(awk -v s="$kg_sentences" -v s1="$one_sentences" -v c="$kg_cpu" -v c1="$one_cpu" \
  'BEGIN{printf "%.0f", (s - s1) / (c - c1)}')
lg_cpu_rate=$(sed -E 's/.*\(([0-9.]+) per CPU s\).*/\1/' <<< "$lg")

if [ "$kg_sentences" -ne $((lg_sentences * COPIES)) ]; then
  echo "warning: kg extract counted $kg_sentences sentences, expected $COPIES x $lg_sentences" >&2
fi
printf '| parser | sentences | sentences/s | sentences/CPU s |\n|---|---|---|---|\n'
printf '| Link Grammar 5 (one thread) | %s | %s | %s |\n' "$lg_sentences" "$lg_rate" "$lg_cpu_rate"
printf '| kg extract -j 1 | %s | %s | %s |\n' "$kg_sentences" "$kg_rate" "$kg_cpu_rate"
# On a loaded machine the CPU ratio is the steadier one.
echo "kg / Link Grammar: x$(awk -v a="$kg_rate" -v b="$lg_rate" 'BEGIN{printf "%.0f", a/b}') sentences/s, x$(awk -v a="$kg_cpu_rate" -v b="$lg_cpu_rate" 'BEGIN{printf "%.0f", a/b}') sentences/CPU s"
