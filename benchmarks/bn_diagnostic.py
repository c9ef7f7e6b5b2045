"""Diagnostic, not data-free: how much of a data-free student's accuracy loss is its BatchNorm statistics?

Loads each run's saved student, reports its digits test accuracy as distilled and after re-estimating the BatchNorm
running statistics on the real training images (weights untouched). Used for the note on CuDFKD's late drop in benchmarks/CPU_FINDINGS.md:
    python benchmarks/bn_diagnostic.py runs/cpu_digits/df_cudfkd_s1 runs/cpu_digits/df_cudfkd_s2 [--arch lenet5_half]
"""
import argparse, torch
from pathlib import Path
from dfkd_nb.core import get_runtime
from dfkd_nb.data import load_digits, ImageLoader
from dfkd_nb.models import load_teacher, evaluate

def reestimate_bn(model, data, rt, bs=256):
    "Recompute every BatchNorm layer's running mean and variance as the exact average over `data` (one pass, no grad)."
    for m in model.modules():
        if isinstance(m, torch.nn.modules.batchnorm._BatchNorm): m.reset_running_stats(); m.momentum = None
    model.train()
    with torch.no_grad():
        for x, _ in ImageLoader(data, bs=bs, rt=rt): model(x)
    return model.eval()

if __name__ == '__main__':
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('runs', nargs='+'); ap.add_argument('--arch', default='lenet5_half')
    a = ap.parse_args()
    rt = get_runtime('cpu'); tr, te = load_digits()
    for run in a.runs:
        s = load_teacher(Path(run)/f'digits_{a.arch}.pt', a.arch, num_classes=10, in_channels=1, rt=rt)
        before = evaluate(s, te, rt=rt)['acc']
        after = evaluate(reestimate_bn(s, tr, rt), te, rt=rt)['acc']
        print(f"{run}: as distilled {before:.3f}, with BatchNorm statistics of the real training images {after:.3f}")
