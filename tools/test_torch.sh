#!/usr/bin/env bash
# Runs the whole test suite, as .ci/run does, under another PyTorch than the pinned one: a throwaway venv with
# torch TORCH and torchvision TV on PYTHON, a clone of HEAD beside this checkout (so ../shared resolves), and a log
# in benchmarks/costs/torch_TORCH_pyX.Y_COMMIT.txt. PyPI's Linux wheels bring CUDA libraries (a few GB, fetched once).
#   bash tools/test_torch.sh 2.11.0 0.26.0 python3.12   # the GPU machine's versions (device tool's KINDS.md)
#   bash tools/test_torch.sh 2.4.1 0.19.1 python3.11    # the oldest torch that settings.ini accepts
#   bash tools/test_torch.sh 2.4.1 0.19.1 python3.10    # ... with the oldest Python (settings.ini's min_python)
# EXTRA pins more packages, e.g. EXTRA=numpy==2.5.2 for the GPU machine's numpy; the venv (/tmp/dfkd_torch_TORCH_pyX.Y)
# then also serves `VENV=/tmp/dfkd_torch_2.11.0_py3.12 bash benchmarks/rehearse_device.sh`.
set -euo pipefail
TORCH=${1:?"torch version, e.g. 2.11.0"}; TV=${2:?"the matching torchvision, e.g. 0.26.0"}; PYTHON=${3:-python3}
cd "$(dirname "$0")/.."
py=$("$PYTHON" -c 'import sys; print("%d.%d" % sys.version_info[:2])')   # venv, clone and log are per torch and Python
commit=$(git rev-parse --short HEAD); V=/tmp/dfkd_torch_${TORCH}_py$py; C=$(dirname "$PWD")/dfkd_torch_${TORCH}_py$py
LOG=$PWD/benchmarks/costs/torch_${TORCH}_py${py}_$commit.txt
pins=$(sed -n 's/^test_requirements = //p' settings.ini)   # nbdev, execnb, pytest as CI has them
deps=$(sed -n 's/^requirements = //p' settings.ini | tr ' ' '\n' | grep -v '^torch' | tr '\n' ' ')
[ -x "$V/bin/python" ] || "$PYTHON" -m venv "$V"
"$V/bin/pip" install -q "torch==$TORCH" "torchvision==$TV" $deps $pins ${EXTRA:-}
rm -rf "$C"; git clone -q . "$C"; "$V/bin/pip" install -q --no-deps -e "$C"
{ echo "# the test suite under torch $TORCH (tools/test_torch.sh), commit $commit, $(date -u +%F)"
  "$V/bin/python" -c "import platform, os, sys, torch, torchvision, numpy
print(f'machine: CPU ({platform.machine()}, {os.cpu_count()} cores); Python {sys.version.split()[0]}, torch {torch.__version__}, torchvision {torchvision.__version__}, numpy {numpy.__version__}')"
} > "$LOG"
# .ci/run itself, with this venv as the clone's .venv (the stamp tells it the install is done)
ln -sfn "$V" "$C/.venv"; touch "$V/.installed-$(cat "$C/settings.ini" "$C/setup.py" | cksum | cut -d' ' -f1)"
start=$SECONDS; rc=0
(cd "$C" && bash .ci/run) > "$C/ci.log" 2>&1 || rc=$?
nb=$(grep -B1 '^== doctests' "$C/ci.log" | head -n 1 || true)   # .ci/run stops before the doctests if a notebook fails
{ echo "notebooks (nbdev_test --flags slow): ${nb:-failed (see below)}"
  echo "doctests and tests: $(grep -E '[0-9]+ (passed|failed)' "$C/ci.log" | tail -n 1 || true)"
  echo "wall time: $((SECONDS - start)) s"
  [ $rc -eq 0 ] || tail -n 60 "$C/ci.log"
} >> "$LOG"
cat "$LOG"; exit $rc
