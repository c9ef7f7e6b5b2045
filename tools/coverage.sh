#!/usr/bin/env bash
# Which lines of dfkd_nb/ does no check run? Line coverage of the doctests, tests/ (the CLI's subprocesses included)
# and every notebook, measured in a scratch clone of the committed HEAD. About 10 minutes on 2 CPU cores.
#
#     bash tools/coverage.sh            # the report: file, statements, missed, cover, the missed line numbers
#
# Read the report with care: an API notebook's own checks run the notebook's copy of its functions, not the module's,
# so code checked only in its own chapter shows as missed. Look a missed line up in its notebook (an error message is
# easy to grep for) before calling it unchecked. Uses the repository's .venv (run `make test` once first) and installs
# coverage.py into it if it is missing.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
PY=$ROOT/.venv/bin/python
[ -x "$PY" ] || { echo "no .venv: run 'make test' once first" >&2; exit 1; }
$PY -c 'import coverage' 2>/dev/null || $PY -m pip install -q coverage
WORK=$(mktemp -d); trap 'rm -rf "$WORK"' EXIT
git clone -q "$ROOT" "$WORK/repo"; cd "$WORK/repo"
mkdir "$WORK/site"; echo 'import coverage; coverage.process_startup()' > "$WORK/site/sitecustomize.py"  # follow subprocesses
printf '[run]\nsource = dfkd_nb\nparallel = True\ndata_file = %s/.coverage\n' "$WORK" > "$WORK/coveragerc"
[ -d "$ROOT/../shared" ] && ln -s "$(cd "$ROOT/../shared" && pwd)" "$WORK/shared"   # data and teachers, as ../shared
export COVERAGE_PROCESS_START=$WORK/coveragerc PYTHONPATH=$WORK/site:$WORK/repo MPLBACKEND=Agg PYTHONHASHSEED=0 OMP_NUM_THREADS=1
ls nbs/*.ipynb nbs/tutorials/*.ipynb | xargs -P 2 -I{} "$PY" tools/run_notebooks.py --one {}
OMP_NUM_THREADS=2 "$PY" -m pytest -q --doctest-modules dfkd_nb tests -p no:cacheprovider | tail -1
"$PY" -m coverage combine -q --rcfile="$WORK/coveragerc"
# this checkout's package only (the packaging tests measure copies of it in their sdists and wheels too)
"$PY" -m coverage report -m --rcfile="$WORK/coveragerc" --include="$WORK/repo/dfkd_nb/*"
