#!/usr/bin/env bash
# Runs the whole test suite (the notebooks, then the doctests and tests/) with N PyTorch threads in every process.
# Seeded training gives other numbers under another thread count (reductions split differently), so every check in
# the notebooks and tests must hold for any; CI runs the notebooks with one thread each and tests/ with all cores.
# torch caps OMP_NUM_THREADS at the cores it sees, so a sitecustomize sets the count with torch.set_num_threads
# instead: on a 2-core machine `bash tools/test_threads.sh 4` reproduces a 4-thread run's numbers (slowly).
# A log goes to benchmarks/costs/threads_N_COMMIT.txt. Uses the repository's .venv (run `make test` once first).
set -euo pipefail
N=${1:?"threads per process, e.g. 4"}
cd "$(dirname "$0")/.."
LOG=benchmarks/costs/threads_${N}_$(git rev-parse --short HEAD).txt
site=$(mktemp -d); trap 'rm -rf "$site"' EXIT
echo "import torch; torch.set_num_threads($N)" > "$site/sitecustomize.py"
export PATH="$PWD/.venv/bin:$PATH" MPLBACKEND=Agg PYTHONHASHSEED=0 PYTHONPATH="$site${PYTHONPATH:+:$PYTHONPATH}"
python -c "import torch; assert torch.get_num_threads() == $N"
start=$SECONDS; nb=failed
nbdev_test --flags slow --n_workers 1 > "$site/nb.log" 2>&1 && nb=passed || tail -n 30 "$site/nb.log"
python -m pytest -q -p no:cacheprovider --doctest-modules dfkd_nb tests > "$site/tests.log" 2>&1 || true
tests=$(grep -E '[0-9]+ (passed|failed)' "$site/tests.log" | tail -n 1 || echo 'no summary')
{ echo "# the test suite with $N torch threads per process (tools/test_threads.sh), commit $(git rev-parse --short HEAD), $(date -u +%F)"
  python -c "import platform, os, torch; print(f'machine: CPU ({platform.machine()}, {os.cpu_count()} cores); torch {torch.__version__}')"
  echo "notebooks (nbdev_test --flags slow, one at a time): $nb"
  echo "doctests and tests: $tests"
  echo "wall time: $((SECONDS - start)) s"
} | tee "$LOG"
[ "$nb" = passed ] && ! grep -qE '[0-9]+ failed|error' <<< "$tests"
