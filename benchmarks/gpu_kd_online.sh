#!/usr/bin/env bash
# GPU benchmarks that train on the CIFAR-10 training set: online KD (issue 6) and projector KD (issue 7), run through
# the `device` tool from the repo root. Both zips (65 MB) fit one 64 MiB upload only without a teacher, so the data
# goes first and stays decoded on the machine ($DFKD_CACHE inside the tree, kept between calls while it is warm):
#   call 1, stage here:  rm -rf .carry && mkdir .carry && cp ../shared/data/cifar10-jpeg-{train,test}.zip .carry/
#           device:      bash benchmarks/gpu_kd_online.sh online [EPOCHS] [SEEDS]           (carry: [".carry"])
#   call 2, stage here:  rm -rf .carry && mkdir .carry && cp ../shared/teachers/cifar10_{wrn40_2,resnet34}.pt .carry/
#           device:      bash benchmarks/gpu_kd_online.sh kd|ablation [EPOCHS] [SEEDS]      (carry: [".carry"])
#           (the zips are gone then: load_cifar10 falls back to the decode of call 1, with a warning)
# Every run checkpoints under runs/ (also kept while warm), so repeating a call that ran out of time resumes it.
# Records go to $OUT/results; copy them into benchmarks/results/ and run tools/make_readme.py.
set -euo pipefail
WHAT=${1:?"online, kd or ablation"}; EP=${2:-15}; SEEDS=${3:-1}
OUT=${OUT:-runs/gpu}; RES=$OUT/results; mkdir -p "$RES"
export PYTHONPATH=. DFKD_DATA=.carry DFKD_TEACHERS=.carry DFKD_CACHE=.cache/dfkd MPLBACKEND=Agg
dfkd() { python -c "import sys; from dfkd_nb.cli import main; sys.exit(main())" "$@"; }  # nothing installs there
nvidia-smi --query-gpu=name,memory.total --format=csv,noheader || true
python -c "from dfkd_nb.data import load_cifar10; [print(s, tuple(load_cifar10(s).x.shape)) for s in ('train', 'test')]"
kd_pair() {  # objective seed teacher-file teacher-arch student
  dfkd kd --objective $1 --seed $2 --teacher $3 --teacher-arch $4 --student $5 --epochs $EP --results "$RES" \
          --out "$OUT/kd_$1_$4_$5_s$2" 2>&1 | tail -n 2
}
for s in $(seq 1 "$SEEDS"); do
  case $WHAT in
    online)   for m in independent dml pcl dkel; do
                dfkd online --method $m --arch resnet32 --peers 3 --epochs $EP --seed $s --results "$RES" \
                            --out "$OUT/online_${m}_s$s" 2>&1 | tail -n 2
              done ;;
    kd)       for o in ce kd feature_l2 projector; do kd_pair $o $s cifar10_wrn40_2.pt wrn40_2 wrn16_2; done
              for o in kd projector; do kd_pair $o $s cifar10_resnet34.pt resnet34 resnet18; done ;;
    ablation) for o in projector_no_proj projector_no_norm projector_l2; do kd_pair $o $s cifar10_wrn40_2.pt wrn40_2 wrn16_2; done ;;
    *) echo "unknown benchmark $WHAT: online, kd or ablation" >&2; exit 2 ;;
  esac
done
ls -la "$RES"
