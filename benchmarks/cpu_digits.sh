#!/usr/bin/env bash
# The classification methods (issues 3, 4, 6, 7) measured on the embedded digits (8x8 greyscale, 10 classes) on
# this 2-core CPU, so every method has a measured comparison while the CIFAR-10 benchmarks wait for a GPU. The
# scale is small, the mechanisms are the full ones; read the numbers as that, not as the papers' CIFAR-10 results.
#   bash benchmarks/cpu_digits.sh [datafree|dfad-step|gen-cosine|replay|replay-steps|replay-size|kd|online|all] [SEEDS] [MINUTES]
# Data-free runs get the same wall-clock budget (MINUTES, default 0.5) each, as issue 3 asks; kd and online runs the
# same epochs. `replay-steps` (not in `all`) runs the replay comparison at equal student steps instead, as the
# PRE-DFKD paper compares (EPOCHS of 50 steps, default 70: what CuDFKD without replay did in one minute on the
# first CPU that ran it; the CPUs lent since are up to 3x faster), for each of REPLAY_METHODS (default: dfad cudfkd).
# `replay-size` (not in `all`) runs CuDFKD with the paper-size and the compact VAE at those equal steps. `dfad-step`
# (not in `all`) runs DFAD with its script's step schedule (both learning rates x0.1 at 20 % and 40 % of the budget)
# next to our default cosine, on one CPU in turn.
# `gen-cosine` (not in `all`) runs each method of GEN_METHODS (default: cudfkd dfad) with the generator's rate annealed
# by cosine like the student's (`--hp gen_schedule=cosine`), and each of GEN_DEFAULTS (default: cudfkd) with its
# own constant rate beside it, on one CPU in turn (DFAD's default ran 5 seeds in `dfad-step`).
# Each run starts fresh in runs/cpu_digits/ and writes its record into benchmarks/results/; then
# `python tools/make_readme.py` rebuilds the README tables. About 35 min for `all 3 1` on two cores.
set -euo pipefail
WHAT=${1:-all}; SEEDS=${2:-3}; MIN=${3:-0.5}
DFKD=${DFKD:-.venv/bin/dfkd}; RUNS=${RUNS:-runs/cpu_digits}; RES=${RES:-benchmarks/results}
T=$RUNS/teacher/digits_lenet5.pt
common=(--data digits --device cpu --results "$RES")
run() {  # name, then the dfkd command and its arguments: a fresh run each time
  rm -rf "$RUNS/$1"; echo "== $1"
  "$DFKD" "${@:2}" "${common[@]}" --out "$RUNS/$1" 2>/dev/null | tail -n 1  # its headline numbers (the bar is on stderr)
}
# the teacher: the demo's recipe (LeNet-5, 15 epochs); no record, its accuracy is in every record as teacher_acc
[ -f "$T" ] || "$DFKD" train-teacher --arch lenet5 --data digits --epochs 15 --bs 32 --lr 0.05 --device cpu --out "$RUNS/teacher" 2>/dev/null | tail -n 1
df=(--teacher "$T" --teacher-arch lenet5 --student lenet5_half --minutes "$MIN" --steps-per-epoch 50)
kd=(--teacher "$T" --teacher-arch lenet5 --student lenet5_half --epochs 15 --bs 32 --lr 0.05)
for s in $(seq 1 "$SEEDS"); do
  if [[ $WHAT == datafree || $WHAT == all ]]; then
    for m in dfad dafl dfq cudfkd; do run "df_${m}_s$s" distill --method $m "${df[@]}" --seed $s; done
  fi
  if [[ $WHAT == dfad-step ]]; then
    run "df_dfad_s$s" distill --method dfad "${df[@]}" --seed $s
    run "df_dfad_step_s$s" distill --method dfad --hp "lr_milestones=(0.2,0.4)" "${df[@]}" --seed $s
  fi
  if [[ $WHAT == gen-cosine ]]; then
    for m in ${GEN_DEFAULTS:-cudfkd}; do run "df_${m}_s$s" distill --method $m "${df[@]}" --seed $s; done
    for m in ${GEN_METHODS:-cudfkd dfad}; do run "df_${m}_gcos_s$s" distill --method $m --hp gen_schedule=cosine "${df[@]}" --seed $s; done
  fi
  if [[ $WHAT == replay || $WHAT == all ]]; then
    run "df_dfad_vae_s$s" distill --method dfad --replay vae "${df[@]}" --seed $s
    for r in vae bank; do run "df_cudfkd_${r}_s$s" distill --method cudfkd --replay $r "${df[@]}" --seed $s; done
  fi
  if [[ $WHAT == replay-steps ]]; then
    ep=(--teacher "$T" --teacher-arch lenet5 --student lenet5_half --epochs "${EPOCHS:-70}" --steps-per-epoch 50 --seed $s)
    for m in ${REPLAY_METHODS:-dfad cudfkd}; do  # DFAD without and with the VAE; CuDFKD with the bank too
      for r in none vae $([[ $m == cudfkd ]] && echo bank); do run "df_${m}_${r}_ep${EPOCHS:-70}_s$s" distill --method $m --replay $r "${ep[@]}"; done
    done
  fi
  if [[ $WHAT == replay-size ]]; then
    ep=(--teacher "$T" --teacher-arch lenet5 --student lenet5_half --epochs "${EPOCHS:-70}" --steps-per-epoch 50 --seed $s)
    for z in paper compact; do run "df_cudfkd_vae_${z}_ep${EPOCHS:-70}_s$s" distill --method cudfkd --replay vae --vae-size $z "${ep[@]}"; done
  fi
  if [[ $WHAT == kd || $WHAT == all ]]; then
    for o in ce kd feature_l2 projector; do run "kd_${o}_s$s" kd --objective $o "${kd[@]}" --seed $s; done
    # ablations, one seed; the no-projector ablation needs equal feature sizes (LeNet-5 84, half 42), so not here
    if [[ $s == 1 ]]; then for o in projector_no_norm projector_l2; do run "kd_${o}_s$s" kd --objective $o "${kd[@]}" --seed $s; done; fi
  fi
  if [[ $WHAT == online || $WHAT == all ]]; then
    for m in independent dml pcl dkel; do
      run "online_${m}_s$s" online --method $m --arch resnet8 --peers 3 --epochs 10 --bs 64 --lr 0.05 --seed $s
    done
  fi
done
