# Sourced by the GPU benchmark scripts. The device image has PyTorch, numpy, scikit-learn, matplotlib, tqdm, pillow
# and torchvision, but not fastcore (the CLI's only other dependency), and nothing installs from the network there:
# put the pure-Python fastcore wheel into the tree (benchmarks/stage_carry.sh does) and it is installed to /tmp/site.
PY=$(command -v python3 || command -v python) || { echo "no python3 on this machine" >&2; exit 3; }
export PYTHONPATH=.${PYTHONPATH:+:$PYTHONPATH} MPLBACKEND=Agg PYTHONUNBUFFERED=1
if ! "$PY" -c "import fastcore.script" 2>/dev/null; then
  whl=$(ls .carry/env/fastcore-*.whl 2>/dev/null | head -n 1 || true)
  [ -n "$whl" ] || { echo "fastcore is missing here and no .carry/env/fastcore-*.whl came along: run benchmarks/stage_carry.sh first" >&2; exit 3; }
  PIP_ROOT_USER_ACTION=ignore "$PY" -m pip install -q --no-index --no-deps --no-compile --upgrade --target /tmp/site "$whl"
  export PYTHONPATH=/tmp/site:$PYTHONPATH
  "$PY" -c "import fastcore.script" || { echo "installing $whl into /tmp/site did not make fastcore importable" >&2; exit 3; }
fi
[ -f .carry/env/COMMIT ] && export DFKD_COMMIT=$(cat .carry/env/COMMIT)   # no .git travels to the device
# The device kills a call at its limit (600 s), and then nothing is packed. So every run stops at the call's deadline
# (SIGTERM, CALL_SECONDS after the script started): the run saves itself at the end of the step it is in (SIGKILL
# follows 10 s later), and repeating the call on the still warm machine resumes it there.
CALL_END=$((SECONDS + ${CALL_SECONDS:-570}))
dfkd() {  # the CLI, run from the tree, until the deadline
  local left=$((CALL_END - SECONDS)) rc=0
  if [ "$left" -le 15 ]; then echo "not started, the call's deadline is near: dfkd $*" >&2; return 124; fi
  timeout -k 10 "$left" "$PY" -c "import sys; from dfkd_nb.cli import main; sys.exit(main())" "$@" || rc=$?
  [ "$rc" -ne 124 ] || echo "stopped at the call's deadline; repeat the call while the machine is warm to resume" >&2
  return "$rc"
}
"$PY" -c "import torch; print('torch', torch.__version__, 'cuda', torch.cuda.is_available())"
nvidia-smi --query-gpu=name,memory.total --format=csv,noheader 2>/dev/null || true
RUNS=runs/gpu; RES=$RUNS/results; mkdir -p "$RES"   # runs/ stays on a warm machine: a repeated call resumes
pack_results() {  # all of $RUNS but checkpoints, as one archive in $OUT (at most 8 files come back from the device)
  local dest=${OUT:-runs}/gpu_runs.tgz
  tar czf "$dest.part" --exclude='*.pt' -C "$(dirname "$RUNS")" "$(basename "$RUNS")" && mv "$dest.part" "$dest"
  echo "packed $(ls "$RES" | wc -l) records into $dest ($(du -h "$dest" | cut -f1))"
}
run() {  # NAME, then a dfkd command and its arguments: the run lives in $RUNS/NAME, its console in NAME.out; then pack
  local name=$1; shift
  dfkd "$@" --results "$RES" --out "$RUNS/$name" 2>&1 | tee "$RUNS/$name.out" | tail -n 3 || echo "FAILED: $name (see $RUNS/$name.out)"
  pack_results
}
