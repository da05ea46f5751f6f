#!/usr/bin/env bash
# Run the indicators benchmark from the project root with the project venv.
# Creates the venv first (make install) when it is missing. Arguments go
# to run_indicators_benchmark.py, for example --rounds 50 --fiscal-year 2024.
set -euo pipefail
cd "$(dirname "$0")/.."
make install
exec .venv/bin/python benchmarks/run_indicators_benchmark.py "$@"
