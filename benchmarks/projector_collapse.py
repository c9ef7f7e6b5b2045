"""Diagnostic: when does the projector recipe collapse a small student's features on the digits?

For each (student, learning rate, seed): a LeNet-5 teacher (15 epochs, as in the notebooks), then the `projector`
objective for 6 epochs at batch 32, on one CPU thread by default (the floating-point order matters: see 10_projector).
Prints one line per run (accuracy and `feat_std` per epoch; the last epoch's cross-entropy and dead features) and the machine and commit;
benchmarks/CPU_FINDINGS.md and 10_projector quote its output, kept in benchmarks/costs/:
    python benchmarks/projector_collapse.py > benchmarks/costs/projector_collapse_digits_COMMIT.txt
"""
import argparse, time, torch
from dfkd_nb.core import get_runtime, set_seed, run_info
from dfkd_nb.data import load_digits
from dfkd_nb.models import get_model
from dfkd_nb.learner import train_classifier, find_cb, Evaluate
from dfkd_nb.projector import distill_offline

RUNS = [('lenet5_half', 0.02, s) for s in range(4)] + [('lenet5_half', 0.05, s) for s in range(3)] + \
       [('resnet8', 0.05, s) for s in range(4)]

if __name__ == '__main__':
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--threads', type=int, default=1)
    torch.set_num_threads(ap.parse_args().threads)
    rt = get_runtime('cpu'); tr, te = load_digits(); teachers = {}; t0 = time.perf_counter()
    x = te.normalizer()(te.x.float() / 255)
    for arch, lr, seed in RUNS:
        if seed not in teachers:
            set_seed(seed)
            teachers[seed] = train_classifier(get_model('lenet5', in_channels=1), tr, te, epochs=15, bs=32, lr=0.05, rt=rt,
                                              progress=False).model.eval()
        set_seed(seed)
        l = distill_offline(teachers[seed], get_model(arch, in_channels=1), tr, te, 'projector', epochs=6, bs=32, lr=lr,
                            rt=rt, progress=False)
        h = find_cb(l, Evaluate).history
        with torch.no_grad(): z = l.model.eval()(x, return_features=True)[1]
        dead = (z.abs().sum(0) == 0).float().mean().item()
        print(f"{arch:12s} lr {lr:.2f} seed {seed}: acc {[round(r['acc'], 3) for r in h]} "
              f"feat_std {[round(r['feat_std'], 4) for r in h]} last ce {h[-1]['ce']:.3f} dead features {dead:.0%}", flush=True)
    info = run_info(rt)
    print(f"{time.perf_counter() - t0:.0f} s, {torch.get_num_threads()} thread(s), {info['device']}, torch {info['torch']}, commit {info['commit']}")
