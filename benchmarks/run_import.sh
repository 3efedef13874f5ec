#!/usr/bin/env bash
# Bulk-import benchmark: generates synthetic edge tables (kg_gen_edges) at
# 1 M and 10 M edges and times `kg import` into a fresh store: edges/s and
# peak RSS (VmHWM via /usr/bin/time -v), CPU seconds (user + sys: the figure
# to compare when the machine is shared, since wall time then depends on the
# other load) and the load average before each run, with the 10 M / 1 M ratios.
# Not a test; run by hand from the repository root after building:
#   BUILD=build-perf bash benchmarks/run_import.sh            # 1 M and 10 M
#   SIZES="1000000" BUILD=build-perf bash benchmarks/run_import.sh
#   REPEAT=5 ... : each size imported 5 times (a row per run), then the
#   median and best edges/s per size (a shared VM's speed drifts by 10-15 %
#   between runs minutes apart, so one run says little).
#   COMPACT=1 ... : after each import also times `kg optimize --compact`
#   (bulk files are written uncompressed) and reports the compressed size.
# Baseline in the same script: right before each import, kg_bench's
# BM_SstFileWriterFloor measures what RocksDB's SstFileWriter alone takes
# now (CPU ns per entry of a 40-byte key and a 19-byte value, and per byte,
# from the same with 330-byte values); "floor s" is the import's SST entries
# and bytes at those costs over the loader's 2 threads, a lower bound for
# the load, and "import / floor" is the ratio that the machine's drifting
# speed moves much less than seconds. Counting bytes keeps the ratio fair
# when a format change trades entries for larger values (event runs).
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
SIZES=${SIZES:-"1000000 10000000"}
SEED=${SEED:-42}
REPEAT=${REPEAT:-1}
COMPACT=${COMPACT:-}
WORK=${WORK:-$(mktemp -d /tmp/kg-import-bench.XXXXXX)}
mkdir -p "$WORK"
KG=$BUILD/kg
GEN=$BUILD/kg_gen_edges
BENCH=$BUILD/kg_bench
[ -x /usr/bin/time ] || { echo "needs /usr/bin/time (apt-get install time)" >&2; exit 1; }
[ -x "$KG" ] && [ -x "$GEN" ] && [ -x "$BENCH" ] || { echo "build $KG, $GEN and $BENCH first" >&2; exit 1; }
# "<ns per 59-byte entry> <ns per byte>": two values sizes, one line.
floor_costs() {
  "$BENCH" --benchmark_filter='BM_SstFileWriterFloor/(19|330)$' --benchmark_format=csv 2>/dev/null |
    awk -F, '/SstFileWriterFloor\/19"/{a = 1e9 / $7} /SstFileWriterFloor\/330"/{b = 1e9 / $7}
             END{printf "%.0f %.3f", a, (b - a) / 311}'
}
echo "# $(date -u +%FT%TZ) $(nproc) cpus: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'); work dir $WORK"
printf '| edges | file MB | import s | edges/s | CPU s | peak RSS MB | store MB | load before | SST M entries | SST MB | SST ns/entry + ns/byte now | floor s | import / floor | compact s | compacted MB |\n|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n' > "$WORK/table.md"
declare -A RATE RSS RATES
for n in $SIZES; do
  data=$WORK/e$n.tsv
  [ -s "$data" ] || "$GEN" --edges "$n" --actors $((n / 10)) --seed "$SEED" --out "$data"
  for run in $(seq "$REPEAT"); do
    rm -rf "$WORK/db$n"
    sync
    load=$(cut -d' ' -f1 /proc/loadavg)
    read -r ns ns_byte <<< "$(floor_costs)"
    /usr/bin/time -v -o "$WORK/time$n.txt" "$KG" --db "$WORK/db$n" import "$data" 2> "$WORK/import$n.log"
    cat "$WORK/import$n.log" | tr '\r' '\n' | tail -n 2
    wall=$(awk -F': ' '/Elapsed \(wall clock\)/{n=split($2,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; print s}' "$WORK/time$n.txt")
    rss=$(awk -F': ' '/Maximum resident set size/{printf "%.0f", $2/1024}' "$WORK/time$n.txt")
    cpu=$(awk -F': ' '/User time|System time/{s+=$2} END{printf "%.1f", s}' "$WORK/time$n.txt")
    rate=$(awk -v n="$n" -v w="$wall" 'BEGIN{printf "%.0f", n/w}')
    mb=$(awk -v b="$(stat -L -c %s "$data")" 'BEGIN{printf "%.0f", b/1e6}')
    store=$(du -sm "$WORK/db$n" | cut -f1)
    entries=$(tr '\r' '\n' < "$WORK/import$n.log" | grep -o '[0-9.]* M entries' | tail -n 1 | cut -d' ' -f1)
    sst_mb=$(tr '\r' '\n' < "$WORK/import$n.log" | grep -o 'entries, [0-9.]* MB' | tail -n 1 | cut -d' ' -f2)
    # An entry of the benchmark is 59 bytes: its fixed cost is the rest.
    floor=$(awk -v e="$entries" -v mb="$sst_mb" -v ns="$ns" -v nb="$ns_byte" \
      'BEGIN{printf "%.2f", (e * 1e6 * (ns - 59 * nb) + mb * 1e6 * nb) / 1e9 / 2}')
    vs_floor=$(awk -v w="$wall" -v f="$floor" 'BEGIN{printf "%.2f", (f > 0 ? w / f : 0)}')
    compact_s=-; compacted=-
    if [ -n "$COMPACT" ]; then
      start=$(date +%s.%N)
      "$KG" --db "$WORK/db$n" optimize --compact
      compact_s=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN{printf "%.2f", b-a}')
      compacted=$(du -sm "$WORK/db$n" | cut -f1)
    fi
    RATE[$n]=$rate; RSS[$n]=$rss; RATES[$n]="${RATES[$n]:-} $rate"
    printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s + %s | %s | %s | %s | %s |\n' "$n" "$mb" "$wall" "$rate" "$cpu" "$rss" "$store" "$load" "$entries" "$sst_mb" "$ns" "$ns_byte" "$floor" "$vs_floor" "$compact_s" "$compacted" >> "$WORK/table.md"
  done
done
cat "$WORK/table.md"
if [ "$REPEAT" -gt 1 ]; then
  for n in $SIZES; do
    echo "${n} edges, ${REPEAT} runs: edges/s median $(echo ${RATES[$n]} | tr ' ' '\n' | sort -n | awk '{a[NR]=$1} END{print a[int((NR+1)/2)]}'), best $(echo ${RATES[$n]} | tr ' ' '\n' | sort -n | tail -1)"
  done
fi
set -- $SIZES
if [ $# -ge 2 ]; then
  echo "ratio ${2}/${1}: edges/s x$(awk -v a="${RATE[$2]}" -v b="${RATE[$1]}" 'BEGIN{printf "%.2f", a/b}'), peak RSS x$(awk -v a="${RSS[$2]}" -v b="${RSS[$1]}" 'BEGIN{printf "%.2f", a/b}')"
fi
echo "target: >= 1,000,000 edges/s at 10 M edges, peak RSS < 1024 MB"
[ -n "${KEEP:-}" ] || rm -rf "$WORK"/db*
