"""How small can PRE-DFKD's VAE memory be? VAEs of several sizes learn the same synthetic stream side by side.

One CuDFKD run on CIFAR-10 (pinned WRN-40-2 -> WRN-16-1) with VAE replay; the first VAE (the library's default,
its decoder the generator's shape) supplies the replay, and every VAE observes the same novel batches on the same
schedule (PRE-DFKD's: the first 4 student steps of every 10). At the end each memory is judged by what replay
needs from it, with the teacher as the only judge (no real data is read):
- fidelity: the share of synthetic images whose reconstruction (through the posterior mean) keeps the teacher's
  label, for a batch kept from every epoch (early batches are what the memory must not forget);
- memory samples (class-balanced inference, as replay draws them): classes covered, balance (entropy of the class
  histogram over log 10) and the teacher's mean confidence;
- size in MB, against a 10,000-sample bank of these images.
    python benchmarks/vae_size.py [--epochs 8] [--steps 80] [--bs 128] [--sizes 512:64:64 128:32:32 48:16:16]
Sizes are nz:ngf:nef[:kl_weight] (latent, decoder width, encoder width; the KL weight defaults to the paper's 1e-5). Writes benchmarks/costs/vae_size_<commit>.json and
vae_size_<commit>.png (memory samples of each VAE beside the generator's).
"""
import argparse, time
from pathlib import Path
from dfkd_nb.core import get_runtime, run_info, save_json
from dfkd_nb.data import image_spec, find_resource, CIFAR10_CLASSES, CIFAR10_MEAN, CIFAR10_STD
from dfkd_nb.models import load_teacher, get_model
from dfkd_nb.learner import Callback
from dfkd_nb.datafree import distill_datafree, get_method
from dfkd_nb.replay import make_memory, teacher_view, vae_fidelity

class Tee:
    "A memory that feeds every novel batch to all `mems` (replay comes from the first) and keeps one batch per `every` observations."
    def __init__(self, mems, every, keep=64): self.mems, self.every, self.keep, self.count, self.kept = mems, every, keep, 0, []
    def observe(self, x, learn=None):
        if self.count % self.every == 0: self.kept.append(x[:self.keep].detach().float().clone())
        self.count += 1
        for m in self.mems: m.observe(x, learn)
    def sample(self, n): return self.mems[0].sample(n)
    def megabytes(self): return self.mems[0].megabytes()

class Widen(Callback):
    "Before training, replace the replay source's memory by a `Tee` over it and the extra memories."
    def __init__(self, extra, every): self.extra, self.every = extra, every
    def before_fit(self, learn): learn.source.memory = self.tee = Tee([learn.source.memory, *self.extra], self.every)

if __name__ == '__main__':
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--epochs', type=int, default=8); ap.add_argument('--steps', type=int, default=80)
    ap.add_argument('--bs', type=int, default=128); ap.add_argument('--seed', type=int, default=0)
    ap.add_argument('--sizes', nargs='+', default=['512:64:64', '128:32:32', '48:16:16'])
    ap.add_argument('--n', type=int, default=500, help='memory samples judged per VAE')
    ap.add_argument('--device', default='auto'); ap.add_argument('--out', default='benchmarks/costs')
    a = ap.parse_args()
    rt = get_runtime(a.device)
    spec = image_spec(3, 32, CIFAR10_CLASSES, CIFAR10_MEAN, CIFAR10_STD, 'cifar10')
    teacher = load_teacher(find_resource('cifar10_wrn40_2.pt', 'teachers'), 'wrn40_2', rt=rt).eval()
    m = get_method('cudfkd', batch_size=a.bs)
    sizes = [(*map(int, s.split(':')[:3]), float(s.split(':')[3]) if s.count(':') == 3 else 1e-5) for s in a.sizes]
    if sizes[0][:2] != (m.nz, m.ngf): raise SystemExit(f"the first size is the replaying default: {m.nz}:{m.ngf}:64")
    extra = [make_memory('vae', teacher, m.generator, m.nz, m.ngf, 32, 3, CIFAR10_MEAN, CIFAR10_STD, m.kd_steps, rt,
                         vae_nz=nz, vae_ngf=ngf, nef=nef, kl_weight=kl) for nz, ngf, nef, kl in sizes[1:]]
    info = run_info(rt)   # the code that runs: files edited while it runs do not change the record's commit
    widen = Widen(extra, a.steps)
    t0 = time.perf_counter()
    learn = distill_datafree('cudfkd', teacher, get_model('wrn16_1'), spec, epochs=a.epochs, steps_per_epoch=a.steps, rt=rt,
                             seed=a.seed, replay='vae', replay_kw=dict(nef=sizes[0][2], kl_weight=sizes[0][3]), extra_cbs=[widen], batch_size=a.bs)
    secs = time.perf_counter() - t0
    tee, bank_mb = widen.tee, 10_000 * 3 * 32 * 32 * 4 / 2**20
    xg = learn.source.source.G.eval().sample(a.n)
    rows = [dict(vae='generator (novel samples)', **teacher_view(xg, teacher))]
    for (nz, ngf, nef, kl), mem in zip(sizes, tee.mems):
        fid = [vae_fidelity(mem.vae, teacher, x, mem.rt) for x in tee.kept]
        q = max(1, len(fid) // 4)
        rows.append(dict(vae=f'nz {nz}, ngf {ngf}, nef {nef}, KL weight {kl:g}', mb=round(mem.megabytes(), 3), bank_over_vae=round(bank_mb / mem.megabytes(), 1),
                         updates=mem.updates, fidelity_first_quarter=round(sum(fid[:q]) / q, 4), fidelity_last=fid[-1],
                         fidelity_per_epoch=fid, **teacher_view(mem.sample(a.n), teacher)))
    rec = dict(benchmark='vae_size', method='cudfkd+vae', dataset='cifar10', teacher='wrn40_2', student='wrn16_1',
               epochs=a.epochs, steps_per_epoch=a.steps, batch_size=a.bs, seed=a.seed, bank_10k_mb=round(bank_mb, 2),
               seconds=round(secs, 1), rows=rows, **info)
    out = Path(a.out); out.mkdir(parents=True, exist_ok=True)
    save_json(rec, out/f"vae_size_{info['commit']}.json")
    print(f"{a.epochs} epochs x {a.steps} steps, batch {a.bs}, {secs:.0f} s on {info['device']}; 10,000-sample bank {bank_mb:.1f} MB")
    print('| memory | MB | bank / memory | fidelity, first quarter | fidelity, last | classes | balance | confidence |')
    print('|---|---|---|---|---|---|---|---|')
    for r in rows:
        print(f"| {r['vae']} | {r.get('mb', '-')} | {r.get('bank_over_vae', '-')} | {r.get('fidelity_first_quarter', '-')} | "
              f"{r.get('fidelity_last', '-')} | {r['classes']} | {r['balance']} | {r['confidence']} |")
    import matplotlib; matplotlib.use('Agg'); import matplotlib.pyplot as plt
    from torchvision.utils import make_grid
    norm = learn.source.source.G.norm
    grids = [('generator', xg[:32])] + [(r['vae'], mem.sample(32)) for r, mem in zip(rows[1:], tee.mems)]
    fig, axes = plt.subplots(1, len(grids), figsize=(3.2 * len(grids), 1.9))
    for ax, (t, x) in zip(axes, grids):
        ax.imshow(make_grid(norm.inverse(x).float().clamp(0, 1).cpu(), nrow=8, padding=1).permute(1, 2, 0)); ax.set_title(t, fontsize=8); ax.axis('off')
    fig.tight_layout(); fig.savefig(out/f"vae_size_{info['commit']}.png", dpi=110)
