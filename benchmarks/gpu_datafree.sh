#!/usr/bin/env bash
# One GPU session of the data-free benchmarks (issues 2, 3, 4), run through the `device` tool from the repo root:
#   stage first (here):  mkdir -p .carry && cp ../shared/data/cifar10-jpeg-test.zip ../shared/teachers/cifar10_resnet34.pt .carry/
#   then on the device:  bash benchmarks/gpu_datafree.sh [MINUTES]     (carry: [".carry"])
# Each run writes its JSON record into $OUT/results (copy them into benchmarks/results/ afterwards) and its plots
# into $OUT/<run>. Same code version and the same wall-clock budget for every method.
set -euo pipefail
MIN=${1:-3}
OUT=${OUT:-runs/gpu}; RES=$OUT/results; mkdir -p "$RES"
export PYTHONPATH=. DFKD_DATA=.carry DFKD_TEACHERS=.carry MPLBACKEND=Agg
dfkd() { python -c "import sys; from dfkd_nb.cli import main; sys.exit(main())" "$@"; }  # nothing installs there
nvidia-smi --query-gpu=name,memory.total --format=csv,noheader || true
common="--teacher cifar10_resnet34.pt --teacher-arch resnet34 --student resnet18 --data cifar10 --minutes $MIN --eval-every 1 --steps-per-epoch 200 --results $RES"
for m in cudfkd dfad dafl; do
  dfkd distill --method $m $common --out "$OUT/$m" 2>&1 | tail -n 3
done
dfkd distill --method cudfkd $common --replay vae --out "$OUT/cudfkd_vae" 2>&1 | tail -n 3
ls -la "$RES"
