#!/usr/bin/env bash
# Rehearses GPU benchmark calls here, on the CPU, under the device's conditions: a copy of the working tree without
# .git, a Python that has the project's packages except fastcore (as the device image), and .carry staged by
# stage_carry.sh with CIFAR-10 cut to 10 test / 50 train images per class. It catches crashes and missing pieces
# before device time is spent; the accuracies it prints mean nothing. Each argument is one call's command:
#   bash benchmarks/rehearse_device.sh "gpu_datafree.sh replay 0.05" "gpu_kd_online.sh online 1 1" "gpu_kd_online.sh kd 1 1"
# The default (no arguments) is the quick WRN sets, about 3 minutes; sets with the ResNet-34 teacher (methods, replay,
# long, kd) take minutes per run here, as a data-free step of ResNet-34 at batch 512 costs about a minute on 2 cores.
# VENV picks the Python environment (default .venv). The device has Python 3.12, torch 2.11.0, torchvision 0.26.0 and
# numpy 2.5.2 (the device tool's KINDS.md); to rehearse against exactly those, build that venv (and test the suite in it):
#   EXTRA=numpy==2.5.2 bash tools/test_torch.sh 2.11.0 0.26.0 python3.12
#   VENV=/tmp/dfkd_torch_2.11.0_py3.12 bash benchmarks/rehearse_device.sh
# Exits non-zero if any run failed.
set -euo pipefail
cd "$(dirname "$0")/.."
SHARED=$(cd "${SHARED:-../shared}" && pwd); W=${REHEARSAL:-/tmp/dfkd_rehearsal}
[ $# -gt 0 ] || set -- "gpu_datafree.sh wrn 0.05" "gpu_kd_online.sh online 1 1" "gpu_kd_online.sh ablation 1 1"
rm -rf "$W"; mkdir -p "$W/tree" "$W/out" "$W/bin" "$W/site" "$W/tiny"
bash benchmarks/stage_carry.sh > /dev/null
git ls-files -co --exclude-standard -z | xargs -0 tar cf - | tar xf - -C "$W/tree"   # what the device gets: no .git
cp -r .carry "$W/tree/"
(cd "$W/tiny"
 unzip -q "$SHARED/data/cifar10-jpeg-test.zip" 'cifar10-jpeg/test/*/000[0-9].jpg'
 unzip -q "$SHARED/data/cifar10-jpeg-train.zip" 'cifar10-jpeg/train/*/00[0-4][0-9].jpg'
 zip -qr cifar10-jpeg-test.zip cifar10-jpeg/test && zip -qr cifar10-jpeg-train.zip cifar10-jpeg/train)
cp "$W/tiny/cifar10-jpeg-test.zip" "$W/tree/.carry/test/"; cp "$W/tiny"/cifar10-jpeg-*.zip "$W/tree/.carry/data/"
# the project's environment minus fastcore, through the base interpreter (a venv's python would see its own packages)
VENV=${VENV:-.venv}; site=$("$VENV/bin/python" -c "import site; print(site.getsitepackages()[0])")
for e in "$site"/*; do case $(basename "$e") in fastcore*|*dfkd*) ;; *) ln -s "$e" "$W/site/" ;; esac; done
printf '#!/bin/sh\nexport PYTHONPATH="${PYTHONPATH:+$PYTHONPATH:}%s"\nexec %s "$@"\n' "$W/site" \
  "$("$VENV/bin/python" -c 'import sys; print(sys._base_executable)')" > "$W/bin/python3"
chmod +x "$W/bin/python3"
if PATH="$W/bin:$PATH" python3 -c "import fastcore" 2> /dev/null; then echo "rehearsal python still sees fastcore" >&2; exit 3; fi
for call in "$@"; do
  echo "== device call: bash benchmarks/$call"
  (cd "$W/tree" && PATH="$W/bin:$PATH" OUT="$W/out" bash benchmarks/$call 2>&1 | tr '\r' '\n' | grep -v 'it/s\]$\|s/s\]$\|s/it\]$\|^$' | tail -n 40)
done
echo "== returned: $(ls "$W/out")"; tar tzf "$W/out/gpu_runs.tgz" | grep 'results/.*json' || true
if grep -rl "Traceback" "$W/tree/runs/gpu" --include='*.out'; then echo "the runs above failed (their .out files)" >&2; exit 1; fi
echo "rehearsal passed: every run wrote its record"
