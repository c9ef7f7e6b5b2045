#!/usr/bin/env bash
# Checks the package as pip users get it, not as this checkout runs it: builds an sdist from a clone of HEAD and the
# wheel from that sdist (as `python -m build` does, so the sdist must be complete: MANIFEST.in), installs
# it (no -e) into a throwaway venv with the pinned torch, and, from an empty folder far from the repository (so
# nothing resolves through nbs/, tests/ or ../shared), runs `dfkd --help`, `dfkd demo` and the docstring examples of
# the installed modules. The build's own warnings are counted; the log goes to benchmarks/costs/wheel_pyX.Y_COMMIT.txt.
#   bash tools/test_wheel.sh              # PYTHON=python3.13 bash tools/test_wheel.sh for another Python
set -euo pipefail
PYTHON=${PYTHON:-python3}
cd "$(dirname "$0")/.."
py=$("$PYTHON" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
commit=$(git rev-parse --short HEAD); W=$(mktemp -d /tmp/dfkd_wheel.XXXX); trap 'rm -rf "$W"' EXIT   # a failed run too
LOG=$PWD/benchmarks/costs/wheel_py${py}_$commit.txt
git clone -q . "$W/src"
"$PYTHON" -m venv "$W/venv"; P=$W/venv/bin/python
$P -m pip install -q torch==2.14.1 torchvision==0.29.1 pytest build 2>&1 | grep -v '^WARNING: Location' || true
$P -m build --outdir "$W/dist" "$W/src" > "$W/build.log" 2>&1 || { tail -n 30 "$W/build.log"; exit 1; }
$P -m pip install -q "$W"/dist/*.whl 2>&1 | grep -v '^WARNING: Location' || true
mkdir "$W/elsewhere"; cd "$W/elsewhere"
start=$SECONDS
{ echo "# the installed wheel (tools/test_wheel.sh), commit $commit, $(date -u +%F)"
  $P -c "import platform, os, sys, torch, dfkd_nb
print(f'machine: CPU ({platform.machine()}, {os.cpu_count()} cores); Python {sys.version.split()[0]},',
      f'torch {torch.__version__}')
print(f'dfkd_nb {dfkd_nb.__version__} imported from {os.path.dirname(dfkd_nb.__file__)}')"
  echo "sdist: $(cd "$W/dist" && ls *.tar.gz), $(tar tzf "$W"/dist/*.tar.gz | grep -c '[^/]$') files"
  # pip's notes on this machine's local indexes and setuptools' on byte-compiling are not the package's warnings
  warned=$(grep -i warning "$W/build.log" | grep -v "Location " | grep -vc "byte-compiling is disabled" || true)
  files=$(unzip -l "$W"/dist/*.whl | tail -n 1 | awk '{print $2}')
  echo "wheel (built from the sdist): $(cd "$W/dist" && ls *.whl), $files files; build warnings: $warned"
  echo "metadata: $(unzip -p "$W"/dist/*.whl '*/METADATA' | grep -E '^(License|Requires-Python):' | tr '\n' ' ')"
  echo "dfkd --help lists: $("$W/venv/bin/dfkd" --help | awk '/^  [a-z]/ {print $1}' | tr '\n' ' ')"
  echo "dfkd demo: $("$W/venv/bin/dfkd" demo 2>/dev/null | grep -E '^(teacher|student)' | tr '\n' ' ')"
  examples=$($P -m pytest -q -p no:cacheprovider --doctest-modules --pyargs dfkd_nb 2>&1 | tail -n 1)
  echo "docstring examples of the installed modules: $examples"
  echo "wall time (demo and examples): $((SECONDS - start)) s"
} | tee "$LOG"
