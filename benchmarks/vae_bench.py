"""What the VAE-memory diagnostics share (`vae_speed.py`, `vae_pool.py`): a stream of real CIFAR-10 images and the
loop that trains a memory on a stream and lets the teacher judge it as it learns."""
import time
import torch
from dfkd_nb.data import load_cifar10
from dfkd_nb.replay import memory_quality

def real_sampler(rt, bs: int = 64):
    "Batches of `bs` random CIFAR-10 training images, normalised as the teacher expects, on `rt`'s device."
    real = load_cifar10('train'); norm = real.normalizer().to(rt.device)
    return lambda n=bs: norm(real.x[torch.randint(len(real), (n,))].to(rt.device).float() / 255)

def print_curves(rows, row_keys, point_keys):
    "A markdown table with a line per judged point of every row's curve: the row's `row_keys`, then the point's `point_keys`."
    keys = [*row_keys, *point_keys]
    print('| ' + ' | '.join(k.replace('_', ' ') for k in keys) + ' |\n|' + '---|' * len(keys))
    for r in rows:
        for c in r['curve']: print('| ' + ' | '.join(str(r[k]) for k in row_keys) + ' | ' + ' | '.join(str(c.get(k)) for k in point_keys) + ' |')

def memory_curve(mem, teacher, sample, updates: int, every: int, label: str) -> tuple[list, float]:
    """Train `mem` on `updates` batches of `sample()`, every batch a training batch; every `every` updates (and at the
    last) record `memory_quality` on 256 fresh samples and the VAE loss's parts. Returns (curve, seconds)."""
    mem.vae_steps = mem.kd_steps = 1
    curve, t0 = [], time.perf_counter()
    for u in range(1, updates + 1):
        mem.observe(sample())
        if u % every == 0 or u == updates:
            q = memory_quality(mem, teacher, sample(256))
            curve.append(dict(updates=u, **q, **{k: round(v.item(), 4) for k, v in mem.last.items()}))
            print(f"{label}: {curve[-1]} ({time.perf_counter() - t0:.0f} s)", flush=True)
    return curve, time.perf_counter() - t0
