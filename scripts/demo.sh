#!/usr/bin/env bash
# The main job on the bundled sample corpus: install dependencies, build, ingest
# data/sample/articles.jsonl into out/sample.db, answer a query and draw the
# graph as out/sample.dot and out/sample.svg.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh build
mkdir -p out
rm -rf out/sample.db
KG=./build/kg
$KG --db out/sample.db ingest data/sample/articles.jsonl
echo
echo "== Who accused, blamed or criticized whom (with evidence) =="
$KG --db out/sample.db query --format table --evidence \
  "MATCH (a)-[r:accuse|blame|criticize|condemn]->(b) RETURN a.name, r.relation, b.name"
echo
echo "== Most frequent pairs =="
$KG --db out/sample.db top --limit 5
$KG --db out/sample.db export --format dot -o out/sample.dot
$KG --db out/sample.db export --format svg -o out/sample.svg
echo
echo "Wrote out/sample.dot and out/sample.svg"
