#!/usr/bin/env bash
# Installs dependencies, builds kg with its tests and runs them with CTest.
# Usage: scripts/test.sh [BUILD_DIR] [extra cmake args...]
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR="${1:-build}"
shift || true
bash scripts/install-deps.sh
bash scripts/build.sh "$BUILD_DIR" "$@"
cd "$BUILD_DIR"
ctest --output-on-failure -j "$(nproc)"
