#!/usr/bin/env bash
# Extraction and ingest throughput on ../shared/corpus/*.jsonl at 1x, 4x and
# 16x the input (copies concatenated, ids made unique per copy): sentences/s,
# MB/s and peak RSS of `kg extract` and `kg ingest` (batch path) and
# `kg ingest --bulk`, with ratios to the 1x run (flat RSS = memory does not
# grow with the corpus). Not a test; run by hand:
#   BUILD=build-perf bash benchmarks/run_extract.sh
#   MULTS="1 4" THREADS=2 BUILD=build-perf bash benchmarks/run_extract.sh
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
MULTS=${MULTS:-"1 4 16"}
THREADS=${THREADS:-1}
CORPUS=${CORPUS:-../shared/corpus}
KG=$BUILD/kg
WORK=${WORK:-$(mktemp -d /tmp/kg-extract-bench.XXXXXX)}
mkdir -p "$WORK"
[ -x /usr/bin/time ] || { echo "needs /usr/bin/time (apt-get install time)" >&2; exit 1; }
cat "$CORPUS"/*.jsonl > "$WORK/base.jsonl"
echo "# $(date -u +%FT%TZ) $(nproc) cpus; corpus $(ls "$CORPUS"/*.jsonl | xargs -n1 basename | tr '\n' ' ')($(du -m "$WORK/base.jsonl" | cut -f1) MB); threads $THREADS"
printf '| command | input | MB | sentences | s | sentences/s | MB/s | peak RSS MB |\n|---|---|---|---|---|---|---|---|\n' > "$WORK/table.md"
declare -A RATE RSS
run() {  # name mult cmd...
  local name=$1 mult=$2; shift 2
  /usr/bin/time -v -o "$WORK/t.txt" "$@" > /dev/null 2> "$WORK/log.txt" || true
  local summary; summary=$(tr '\r' '\n' < "$WORK/log.txt" | grep -E "^kg (extract|ingest): [0-9]+ documents" | tail -n1)
  local sentences; sentences=$(sed -E 's/.* ([0-9]+) sentences,.*/\1/' <<< "$summary")
  local wall; wall=$(awk -F': ' '/Elapsed \(wall clock\)/{n=split($2,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; print s}' "$WORK/t.txt")
  local rss; rss=$(awk -F': ' '/Maximum resident set size/{printf "%.0f", $2/1024}' "$WORK/t.txt")
  local mb; mb=$(du -m "$WORK/in$mult.jsonl" | cut -f1)
  local rate; rate=$(awk -v s="$sentences" -v w="$wall" 'BEGIN{printf "%.0f", s/w}')
  RATE[$name$mult]=$rate; RSS[$name$mult]=$rss
  printf '| %s | %sx | %s | %s | %s | %s | %s | %s |\n' "$name" "$mult" "$mb" "$sentences" "$wall" "$rate" \
    "$(awk -v m="$mb" -v w="$wall" 'BEGIN{printf "%.2f", m/w}')" "$rss" >> "$WORK/table.md"
}
for m in $MULTS; do
  : > "$WORK/in$m.jsonl"
  for ((k = 0; k < m; ++k)); do
    sed -E "s/\"id\": *\"/\"id\": \"c$k-/" "$WORK/base.jsonl" >> "$WORK/in$m.jsonl"
  done
  run extract "$m" "$KG" extract -j "$THREADS" "$WORK/in$m.jsonl"
  rm -rf "$WORK/db"; run ingest "$m" "$KG" --db "$WORK/db" ingest -j "$THREADS" "$WORK/in$m.jsonl"
  rm -rf "$WORK/db"; run "ingest --bulk" "$m" "$KG" --db "$WORK/db" ingest --bulk -j "$THREADS" "$WORK/in$m.jsonl"
  rm -f "$WORK/in$m.jsonl"
done
cat "$WORK/table.md"
set -- $MULTS
first=$1
for name in extract ingest "ingest --bulk"; do
  for m in $MULTS; do
    [ "$m" = "$first" ] && continue
    echo "$name ${m}x/${first}x: sentences/s x$(awk -v a="${RATE[$name$m]}" -v b="${RATE[$name$first]}" 'BEGIN{printf "%.2f", a/b}'), peak RSS x$(awk -v a="${RSS[$name$m]}" -v b="${RSS[$name$first]}" 'BEGIN{printf "%.2f", a/b}')"
  done
done
rm -rf "$WORK"
