#!/usr/bin/env bash
# Run the search benchmark from the project root with the project venv.
# Creates the venv first (make install) when it is missing. Arguments go
# to run_search_benchmark.py, for example --requests 200 --explain.
set -euo pipefail
cd "$(dirname "$0")/.."
make install
exec .venv/bin/python benchmarks/run_search_benchmark.py "$@"
