#!/usr/bin/env bash
# kg against the peers of ../shared/bench-peers (Kuzu, SQLite, networkx) in
# one run on the same generated edges. Copies the read-only harness to a temp
# folder, registers `kg` (build/kg_peer) as a fourth peer in its run_all.sh,
# runs all four, then prints the harness table and kg's ratio to each peer
# (peer time / kg time: > 1 means kg is faster). Run by hand, not in CI:
#   BUILD=build-perf EDGES=1000000 ACTORS=100000 bash benchmarks/peers/run_peers.sh
# Env: BUILD (default build), EDGES, ACTORS, SEED, REPS, PEERS (default
# "kg kuzu sqlite networkx"), KEEP=1 keeps the temp folder; other run_all.sh
# variables pass through. setup.sh needs root (apt, npm ci ~550 MB).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
BUILD=${BUILD:-build}
case $BUILD in /*) ;; *) BUILD=$root/$BUILD ;; esac
[ -x "$BUILD/kg_peer" ] || { echo "build $BUILD/kg_peer first" >&2; exit 1; }
src=${PEERS_SRC:-$root/../shared/bench-peers}
work=$(mktemp -d /tmp/kg-peers.XXXXXX)
cp -r "$src/." "$work/"
chmod -R u+w "$work"
# Register kg: one more case line in run_all.sh.
sed -i "s|^    kuzu)     cmd=|    kg)       cmd=(\"$BUILD/kg_peer\" --edges \"\$data\" --reps \"\$REPS\") ;;\n    kuzu)     cmd=|" "$work/run_all.sh"
grep -q 'kg_peer' "$work/run_all.sh" || { echo "could not register kg in run_all.sh" >&2; exit 1; }
if [ -d /tmp/kg-peers-kuzu_node_modules ] && [ ! -d "$work/kuzu_node/node_modules" ]; then
  ln -s /tmp/kg-peers-kuzu_node_modules "$work/kuzu_node/node_modules"   # reuse an earlier npm ci
fi
bash "$work/setup.sh" >&2
if [ ! -L "$work/kuzu_node/node_modules" ] && [ ! -d /tmp/kg-peers-kuzu_node_modules ]; then
  cp -r "$work/kuzu_node/node_modules" /tmp/kg-peers-kuzu_node_modules
fi
export PEERS=${PEERS:-"kg kuzu sqlite networkx"}
(cd "$work" && ./run_all.sh)
jsonl=$(ls -t "$work"/results/*.jsonl | head -n1)
/usr/bin/python3 - "$jsonl" <<'PY'
import json, sys
runs = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
ok = {r["peer"]: r for r in runs if "error" not in r}
kg = ok.get("kg")
if not kg:
    sys.exit("kg did not finish")
keys = ["load", "b_accuse_count", "c_top10_accusers", "f_who_accused_russia",
        "hub_top_outdegree", "d_2hop_distinct", "e_shortest_paths"]
def t(r, k):
    if k == "load":
        return r.get("load_s")
    v = r["timings"].get(k, {})
    return v.get("total_s") if k == "e_shortest_paths" else v.get("median_s")
others = [p for p in ok if p != "kg"]
print("\nkg ratio = peer time / kg time (> 1: kg faster)\n")
print("| metric | kg | " + " | ".join(f"{p} (ratio)" for p in others) + " |")
print("|---|---|" + "---|" * len(others))
for k in keys:
    mine = t(kg, k)
    cells = []
    for p in others:
        v = t(ok[p], k)
        cells.append("–" if v is None or not mine else f"{v:.4g} s ({v / mine:.2f}x)")
    print(f"| {k} | {mine:.4g} s | " + " | ".join(cells) + " |")
print(f"| peak RSS MB | {kg.get('peak_rss_mb')} | " + " | ".join(str(ok[p].get('peak_rss_mb')) for p in others) + " |")
PY
echo "results: $jsonl"
[ -n "${KEEP:-}" ] || rm -rf "$work"
