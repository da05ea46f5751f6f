#!/usr/bin/env bash
# Run the load test from the project root with the project venv and locust.
# Arguments go to run_load_test.py, for example --users 40 --duration 180.
set -euo pipefail
cd "$(dirname "$0")/.."
make install
.venv/bin/python -m pip install --quiet -r requirements/load.txt
exec .venv/bin/python benchmarks/run_load_test.py "$@"
