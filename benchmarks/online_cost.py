"""What an epoch of each online method costs against independent training, at the CIFAR-10 benchmark's scale.

Issue #6's target: a DKEL epoch costs at most 1.5x an independent one. An epoch of the benchmark is 390 training steps
(batch 128, ResNet-32, 3 peers) and one evaluation of the 10,000 test images (every peer and the ensemble; PCL and DKEL
also their mean teachers). Each method trains `--steps` steps of the real loop (`train_online`) on a slice of the
training set, the first `--warmup` untimed, and evaluates `--eval` test images; the epoch is then 390 steps plus
10,000 / `--eval` evaluations. DKEL's one-off teacher initialisation (2 steps) is left out. FLOPs (forward and
backward, torch's formulas, counted in one more run) do not depend on the device; the seconds are the machine's own.
With `--repeats R` the methods are timed R times in turn (a, b, c, a, b, c, ...) and each keeps its median step and
evaluation: a machine whose speed drifts, or a neighbour's burst of work, then shifts all methods alike. `--profile N`
trains each method once more under torch's profiler and prints the N costliest operators of its steps (where the
seconds go when they do not follow the FLOPs).
    python benchmarks/online_cost.py [--arch resnet32] [--peers 3] [--steps 12] [--warmup 3] [--eval 1000] [--repeats 1] [--profile 0] [--device auto]
writes benchmarks/costs/online_cost_<arch>_<device>_<commit>.json and prints a markdown table.
"""
import argparse, json, re, statistics, sys
from contextlib import nullcontext
from pathlib import Path
sys.path.insert(0, str(Path(__file__).parent))
from replay_cost import FlopCount
from dfkd_nb.core import get_runtime, run_info, save_json
from dfkd_nb.data import load_cifar10, per_class_subset
from dfkd_nb.learner import Callback
from dfkd_nb.online import METHODS, online_metrics, train_online

class StepMarks(Callback):
    "After every step (and the EMA update): the synced clock and, when counting, the FLOPs so far."
    order = 100
    def __init__(self, counter=None): self.counter, self.marks = counter, []
    def after_step(self, learn): self.marks.append((learn.elapsed(), self.counter.flops if self.counter else 0))

def per_step(marks, warmup, i):
    "Mean increase of mark component `i` per step after `warmup` steps."
    return (marks[-1][i] - marks[warmup - 1][i]) / (len(marks) - warmup)

def measure(method, train, test, a, rt, count):
    counter = FlopCount() if count else None
    marks = StepMarks(counter)
    with counter or nullcontext():
        learn = train_online(method, train, None, a.arch, a.peers, epochs=1, bs=a.bs, rt=rt, progress=False,
                             extra_cbs=[marks])
        if count: f0 = counter.flops
        for _ in range(1 if count else 2):  # the second evaluation is timed warm
            t0 = learn.elapsed(); online_metrics(learn.model, test, learn.parts.get('mean'), rt); t_eval = learn.elapsed() - t0
    step = per_step(marks.marks, a.warmup, 1 if count else 0)
    return (step, counter.flops - f0) if count else (step, t_eval)

if __name__ == '__main__':
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--arch', default='resnet32')
    ap.add_argument('--peers', type=int, default=3)
    ap.add_argument('--bs', type=int, default=128)
    ap.add_argument('--steps', type=int, default=12, help='training steps per method, warm-up included')
    ap.add_argument('--warmup', type=int, default=3, help='first steps left out of the timing')
    ap.add_argument('--eval', type=int, default=1000, help='test images evaluated (the epoch scales it to 10,000)')
    ap.add_argument('--methods', nargs='+', default=list(METHODS))
    ap.add_argument('--repeats', type=int, default=1, help='timings per method, taken in turn; each keeps the median')
    ap.add_argument('--profile', type=int, default=0, help="print each method's N costliest operators (one more profiled run)")
    ap.add_argument('--device', default='auto')
    ap.add_argument('--out', default='benchmarks/costs')
    a = ap.parse_args()
    if not 0 < a.warmup < a.steps: raise SystemExit(f"--warmup must be in 1..{a.steps - 1} (--steps {a.steps}), got {a.warmup}")
    if a.repeats < 1: raise SystemExit(f"--repeats must be at least 1, got {a.repeats}")
    rt = get_runtime(a.device)
    full_train, full_test = load_cifar10('train'), load_cifar10('test')
    train = per_class_subset(full_train, -(-a.bs * a.steps // 10))  # a.steps batches of the real images
    if len(train) < a.bs * a.steps: raise SystemExit(f"{a.steps} steps of batch {a.bs} need {a.bs * a.steps} training images, the data has {len(train)}: lower --steps")
    test = per_class_subset(full_test, a.eval // 10)
    steps_per_epoch, evals_per_epoch = len(full_train) // a.bs, len(full_test) / len(test)  # 390 and 10 on CIFAR-10
    timings = {m: [] for m in a.methods}
    for _ in range(a.repeats):
        for method in a.methods: timings[method].append(measure(method, train, test, a, rt, False))
    recs, base = [], None
    for method in a.methods:
        steps, evals = zip(*timings[method])
        step_s, eval_s = statistics.median(steps), statistics.median(evals)
        step_f, eval_f = measure(method, train, test, a, rt, True)
        rec = dict(method=method, arch=a.arch, peers=a.peers, batch_size=a.bs, timed_steps=a.steps - a.warmup, repeats=a.repeats,
                   seconds_per_step_each=[round(t, 4) for t in steps], eval_seconds_each=[round(t, 3) for t in evals],
                   eval_images=len(test), seconds_per_step=round(step_s, 4), eval_seconds=round(eval_s, 3),
                   gflops_per_step=round(step_f / 1e9, 2), eval_gflops=round(eval_f / 1e9, 2),
                   epoch_seconds=round(steps_per_epoch * step_s + evals_per_epoch * eval_s, 1),
                   epoch_tflops=round((steps_per_epoch * step_f + evals_per_epoch * eval_f) / 1e12, 2), **run_info(rt))
        base = base or rec
        rec['seconds_vs_first'] = round(rec['epoch_seconds'] / base['epoch_seconds'], 3)
        rec['flops_vs_first'] = round(rec['epoch_tflops'] / base['epoch_tflops'], 3)
        recs.append(rec); print(json.dumps(rec), flush=True)
    for method in (a.methods if a.profile > 0 else []):
        from torch.profiler import profile, ProfilerActivity
        acts = [ProfilerActivity.CPU] + ([ProfilerActivity.CUDA] if rt.is_cuda else [])
        with profile(activities=acts) as prof:   # the training steps alone (with DKEL's two initialisation steps)
            train_online(method, train, None, a.arch, a.peers, epochs=1, bs=a.bs, rt=rt, progress=False)
        by = 'self_cuda_time_total' if rt.is_cuda else 'self_cpu_time_total'
        print(f"\n{method}: the {a.profile} costliest operators of {a.steps} training steps\n"
              + prof.key_averages().table(sort_by=by, row_limit=a.profile), flush=True)
    device = re.sub(r'\W+', '_', recs[0]['device']).strip('_')
    out = Path(a.out)/f"online_cost_{a.arch}_{device}_{recs[0]['commit']}.json"
    save_json(recs, out)
    first = recs[0]['method']
    print(f"\n| method | s per step | eval s ({len(test):,} images) | epoch s | x {first} | "
          f"GFLOPs per step | epoch TFLOPs | x {first} |\n|---|---|---|---|---|---|---|---|")
    for r in recs:
        print(f"| {r['method']} | {r['seconds_per_step']} | {r['eval_seconds']} | {r['epoch_seconds']} | {r['seconds_vs_first']} | "
              f"{r['gflops_per_step']} | {r['epoch_tflops']} | {r['flops_vs_first']} |")
    print(f"wrote {out}")
