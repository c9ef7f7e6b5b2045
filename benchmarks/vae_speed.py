"""How many updates does PRE-DFKD's VAE need on CIFAR-10 synthetic images? A decoupled check of size and learning rate.

A CuDFKD generator first trains for --g-steps steps against the pinned WRN-40-2 teacher (BatchNorm statistics,
one-hot and entropy terms; the adversarial weight is still zero this early in CuDFKD's curriculum) and is then
frozen. VAEs then learn its samples, one update per fresh batch, with PRE-DFKD's loss and its input (half the novel
batch plus 1/8 as many memory samples), and every --every updates `memory_quality` judges each VAE on fresh samples.
A fixed distribution is easier than the moving stream of a real run, so the updates a VAE needs here are a lower
bound for training. Only the teacher judges. `--source real` feeds the VAEs real CIFAR-10 training images instead
(a reference point: how fast the same VAE learns natural images; the data-free runs never read them).
    python benchmarks/vae_speed.py [--g-steps 100] [--updates 300] [--every 100] [--bs 64] [--vaes paper:5e-4 paper:2e-3 compact:2e-3]
    python benchmarks/vae_speed.py --updates 1500 --every 250 --vaes paper:5e-4:1e-3   # SIZE:LR:KL, another KL weight
    python benchmarks/vae_speed.py --source real --vaes paper:5e-4 --updates 200 --every 50
writes benchmarks/costs/vae_speed_<commit>.json (vae_speed_real_<commit>.json for real images)
"""
import argparse, time
from pathlib import Path
from dfkd_nb.core import get_runtime, run_info, save_json, set_seed
from dfkd_nb.data import find_resource, CIFAR10_MEAN, CIFAR10_STD
from dfkd_nb.models import load_teacher, get_model
from dfkd_nb.generators import get_generator
from dfkd_nb.datafree import GenerativeSynthesizer, get_method
from dfkd_nb.replay import make_memory, teacher_view, VAE_SIZES
from vae_bench import real_sampler, memory_curve, print_curves   # benchmarks/vae_bench.py

if __name__ == '__main__':
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--g-steps', type=int, default=100); ap.add_argument('--updates', type=int, default=300)
    ap.add_argument('--every', type=int, default=100); ap.add_argument('--bs', type=int, default=64)
    ap.add_argument('--vaes', nargs='+', default=['paper:5e-4', 'paper:2e-3', 'compact:2e-3'], help="SIZE:LR or SIZE:LR:KL, SIZE in VAE_SIZES, KL the loss's KL weight (PRE-DFKD's 1e-5 if not given)")
    ap.add_argument('--seed', type=int, default=0); ap.add_argument('--device', default='auto')
    ap.add_argument('--out', default='benchmarks/costs')
    ap.add_argument('--source', default='generator', choices=['generator', 'real'], help='what the VAEs learn')
    a = ap.parse_args()
    rt = get_runtime(a.device); info = run_info(rt); set_seed(a.seed)
    teacher = load_teacher(find_resource('cifar10_wrn40_2.pt', 'teachers'), 'wrn40_2', rt=rt).eval()
    m = get_method('cudfkd', batch_size=a.bs)   # its generator is also the VAE decoder's shape
    t0 = time.perf_counter()
    if a.source == 'real':   # batches of real training images, normalised as the teacher expects
        sample = real_sampler(rt, a.bs)
        g_steps = 0
    else:
        G = rt.model(get_generator(m.generator, m.nz, m.ngf, 32, 3, CIFAR10_MEAN, CIFAR10_STD))
        syn = GenerativeSynthesizer(teacher, rt.model(get_model('wrn16_1')), G, m.synthesis, a.bs, m.lr_g, 1, 1, m.betas, rt=rt)
        for _ in range(a.g_steps): syn.train_generator(0.)
        sample, g_steps = syn.sample, a.g_steps
    g_secs = time.perf_counter() - t0
    generator_view = teacher_view(sample(500), teacher)
    print(f"{a.source} source ({g_steps} generator steps, {g_secs:.0f} s): {generator_view}")
    rows = []
    for spec in a.vaes:
        size, lr, *kl = spec.split(':'); lr = float(lr)
        set_seed(a.seed)   # without a KL weight in the spec, the memory's own default (PRE-DFKD's) applies
        mem = make_memory('vae', teacher, m.generator, m.nz, m.ngf, 32, 3, CIFAR10_MEAN, CIFAR10_STD, rt=rt, lr=lr,
                          **({'kl_weight': float(kl[0])} if kl else {}), **VAE_SIZES[size])
        curve, secs = memory_curve(mem, teacher, sample, a.updates, a.every, f"{size} lr {lr:g} kl {mem.kl_weight:g}")
        rows.append(dict(vae=size, lr=lr, kl_weight=mem.kl_weight, mb=round(mem.megabytes(), 3), seconds=round(secs, 1), curve=curve))
    rec = dict(benchmark='vae_speed', dataset='cifar10', teacher='wrn40_2', source=a.source,
               generator=f'cudfkd ({m.generator}, nz {m.nz})' if a.source == 'generator' else None,
               g_steps=g_steps, batch_size=a.bs, seed=a.seed, g_seconds=round(g_secs, 1), generator_view=generator_view, rows=rows, **info)
    out = Path(a.out); out.mkdir(parents=True, exist_ok=True)
    save_json(rec, out/f"vae_speed_{'real_' * (a.source == 'real')}{info['commit']}.json")
    print_curves(rows, ('vae', 'mb', 'lr', 'kl_weight'), ('updates', 'replay_classes', 'replay_balance', 'replay_confidence', 'vae_fidelity'))
