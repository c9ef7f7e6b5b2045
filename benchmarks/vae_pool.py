"""Does the VAE encoder's bottleneck slow PRE-DFKD's memory down? AdaptiveAvgPool2d(2) against (4) on real CIFAR-10.

The encoder of `dfkd_nb.replay` pooled its last 8x8 feature map to 2x2 (512 features at width 64); PRE-DFKD's public
encoder keeps 4x4 (2048 features, its `fc_mu`/`fc_var` inputs). VAEs of each size in `VAE_SIZES` learn batches of real
CIFAR-10 training images (as `vae_speed.py --source real`: one update per batch of 64, PRE-DFKD's loss with the pinned
WRN-40-2 teacher, lr 5e-4) under both poolings, same seeds; every --every updates `memory_quality` judges the memory
on 256 fresh images: the classes and balance of its replay samples and its label fidelity.
`--kl-weight` sets the KL term's weight (PRE-DFKD's 1e-5 by default) to see whether a stronger pull to the prior
keeps the replay samples (decoded from prior codes) spread over the classes.
    python benchmarks/vae_pool.py [--updates 300] [--every 50] [--specs compact:2 compact:4 paper:2 paper:4] [--kl-weight 1e-5]
writes benchmarks/costs/vae_pool_<commit>.json (vae_pool_kl<weight>_<commit>.json for another KL weight)
"""
import argparse
from pathlib import Path
from dfkd_nb.core import get_runtime, run_info, save_json, set_seed
from dfkd_nb.data import find_resource, CIFAR10_MEAN, CIFAR10_STD
from dfkd_nb.models import load_teacher
from dfkd_nb.replay import make_memory, VAE_SIZES
from vae_bench import real_sampler, memory_curve, print_curves   # benchmarks/vae_bench.py

if __name__ == '__main__':
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--updates', type=int, default=300); ap.add_argument('--every', type=int, default=50)
    ap.add_argument('--specs', nargs='+', default=['compact:2', 'compact:4', 'paper:2', 'paper:4'], help='SIZE:POOL')
    ap.add_argument('--device', default='cpu'); ap.add_argument('--out', default='benchmarks/costs')
    ap.add_argument('--kl-weight', type=float, default=1e-5, help="the VAE loss's KL weight (PRE-DFKD: 1e-5)")
    a = ap.parse_args()
    rt = get_runtime(a.device); set_seed(0)
    teacher = load_teacher(find_resource('cifar10_wrn40_2.pt', 'teachers'), 'wrn40_2', rt=rt).eval()
    sample = real_sampler(rt, 64)
    rows = []
    for spec in a.specs:
        size, pool = spec.split(':'); pool = int(pool)
        set_seed(0)   # a VAE as `dfkd distill --replay vae` builds it for CuDFKD's generator (large, nz 512, ngf 64)
        mem = make_memory('vae', teacher, 'large', 512, 64, 32, 3, CIFAR10_MEAN, CIFAR10_STD, rt=rt, lr=5e-4, pool=pool,
                          kl_weight=a.kl_weight, **VAE_SIZES[size])
        set_seed(1); curve, secs = memory_curve(mem, teacher, sample, a.updates, a.every, f"{size} pool {pool}")
        rows.append(dict(vae=size, pool=pool, features=mem.vae.encoder.mu.in_features, mb=round(mem.megabytes(), 3),
                         seconds=round(secs, 1), curve=curve))
    info = run_info(rt)
    rec = dict(benchmark='vae_pool', dataset='cifar10', source='real training images', teacher='wrn40_2', lr=5e-4, kl_weight=a.kl_weight,
               batch_size=64, updates=a.updates, rows=rows, **info)
    out = Path(a.out); out.mkdir(parents=True, exist_ok=True)
    save_json(rec, out/f"vae_pool_{'' if a.kl_weight == 1e-5 else f'kl{a.kl_weight:g}_'}{info['commit']}.json")
    print_curves(rows, ('vae', 'pool', 'features', 'mb'), ('updates', 'replay_classes', 'replay_balance', 'vae_fidelity'))
