#!/usr/bin/env bash
# GPU benchmarks that train on the CIFAR-10 training set: online KD (issue 6) and projector KD (issue 7), run through
# the `device` tool from the repo root, after `bash benchmarks/stage_carry.sh` here. Both zips (65 MB) fit one 64 MiB
# upload only without a teacher, so the data goes first and stays on the machine while it is warm (30 s idle):
#   call 1:  bash benchmarks/gpu_kd_online.sh [teacher,][cost,]online [EPOCHS] [SEEDS]   carry [".carry/data", ".carry/env"]
#   call 2:  bash benchmarks/gpu_kd_online.sh kd|ablation [EPOCHS] [SEEDS]   carry [".carry/teachers", ".carry/env"]
# The first argument is one set or several joined by commas. `teacher` is #2's smoke run: `dfkd train-teacher`,
# ResNet-18, TEACHER_EPOCHS (default 3) epochs, its record giving images/second. `cost` is benchmarks/online_cost.py
# (each online method's epoch against an independent one, timed three times in turn; a minute or two; COST_ARGS
# overrides its settings), written to $RUNS/costs. Call 2 finds the zips of call 1 on a warm machine; on a fresh
# one load_cifar10 falls back to the decode in $DFKD_CACHE if that survived, with a warning, and fails with a clear
# message otherwise. EMA sets `online`'s mean-teacher decay (default the papers' 0.999, a 1,000-step average, a
# quarter of a 10-epoch run; at 8 CPU epochs EMA=0.99 lifted DKEL by 0.27 and PCL by 0.46 points on the mean of
# five seeds, PCL's inside the seed noise, benchmarks/CPU_FINDINGS.md).
# Every run checkpoints under runs/gpu (kept while warm), so repeating a call that ran out of time resumes it. After
# every run, records, logs and plots (no checkpoints) are packed into $OUT/gpu_runs.tgz; unpack it here, copy
# runs/gpu/results/*.json into benchmarks/results/ and run tools/make_readme.py.
set -euo pipefail
WHAT=${1:?"teacher, cost, online, kd or ablation (or several, joined by commas)"}; EP=${2:-15}; SEEDS=${3:-1}
export DFKD_DATA=.carry/data DFKD_TEACHERS=.carry/teachers DFKD_CACHE=.cache/dfkd
source benchmarks/device_env.sh   # python3, fastcore from .carry, `dfkd`, `run`, $RUNS
"$PY" -c "from dfkd_nb.data import load_cifar10; [print(s, tuple(load_cifar10(s).x.shape)) for s in ('train', 'test')]"
kd_pair() {  # objective seed teacher-file teacher-arch student
  run "kd_$1_$4_$5_s$2" kd --objective $1 --seed $2 --teacher $3 --teacher-arch $4 --student $5 --epochs $EP
}
for what in ${WHAT//,/ }; do for s in $(seq 1 "$SEEDS"); do
  case $what in
    teacher)  [ "$s" -gt 1 ] || run "train_teacher_resnet18" train-teacher --arch resnet18 --epochs "${TEACHER_EPOCHS:-3}" --seed 1 ;;
    cost)     [ "$s" -gt 1 ] || { "$PY" benchmarks/online_cost.py ${COST_ARGS:---steps 40 --warmup 10 --eval 10000 --repeats 3} --out "$RUNS/costs" \
                                 2>&1 | tail -n 7 || echo "FAILED: online_cost"; pack_results; } ;;
    online)   for m in independent dml pcl dkel; do
                run "online_${m}${EMA:+_ema$EMA}_s$s" online --method $m --arch resnet32 --peers 3 --epochs $EP --seed $s ${EMA:+--ema $EMA}
              done ;;
    kd)       for o in ce kd feature_l2 projector; do kd_pair $o $s cifar10_wrn40_2.pt wrn40_2 wrn16_2; done
              for o in kd projector; do kd_pair $o $s cifar10_resnet34.pt resnet34 resnet18; done ;;
    ablation) for o in projector_no_proj projector_no_norm projector_l2; do kd_pair $o $s cifar10_wrn40_2.pt wrn40_2 wrn16_2; done ;;
    *) echo "unknown benchmark $what: teacher, cost, online, kd or ablation" >&2; exit 2 ;;
  esac
done; done
