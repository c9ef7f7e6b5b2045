"""Why does CuDFKD's student fall at the end of a long digits run, when its learning rate is almost zero?

At 300 epochs of 50 steps (`REPLAY_METHODS=cudfkd EPOCHS=300 bash benchmarks/cpu_digits.sh replay-steps 3`) CuDFKD
falls in the last twentieth of training, with or without replay, while the student's cosine rate is under 1 % of its
peak. This reruns such a run (the CLI's seeding: the same numbers as `dfkd distill --data digits --epochs 300
--steps-per-epoch 50 --seed S`) and watches the student after every epoch: test accuracy (reporting only), its
learning rate, the mean norm of its gradients, how far its weights moved (relative), and how consistently its steps
point one way (`align`: that move over the move SGD with momentum m makes when every step's gradient points the
same way, the sum over steps of the rate times the gradient's norm, over 1 - m; 1 for identical directions, about
1/sqrt(50) = 0.14 for unrelated ones), plus how many classes the teacher sees in 512 generator samples. Variants:
the method's constant generator rate and `gen_schedule=cosine`. The three step numbers are `StepStats`' (since
e2ed9d3's run, which computed them in this script, the same way). Writes `benchmarks/costs/fall_check_COMMIT.json`
and a plot beside it:
    python benchmarks/fall_check.py runs/cpu_digits/teacher/digits_lenet5.pt --seeds 1,2,3
"""
import argparse, json, torch
from pathlib import Path
import matplotlib; matplotlib.use('Agg'); import matplotlib.pyplot as plt
from dfkd_nb.core import get_runtime, run_info, set_seed
from dfkd_nb.data import load_digits
from dfkd_nb.models import get_model, load_teacher
from dfkd_nb.learner import Callback, StepStats
from dfkd_nb.datafree import distill_datafree, DIGITS
from dfkd_nb.replay import teacher_view

VARIANTS = dict(constant={}, cosine=dict(gen_schedule='cosine'))

class Watch(Callback):
    "After every epoch, one row: `StepStats`' numbers, the accuracy, both rates, and the classes the teacher sees in G's samples."
    order = 50  # after StepStats and Evaluate, whose numbers it copies
    def __init__(self, teacher, n=512): self.teacher, self.n, self.rows = teacher, n, []
    def after_epoch(self, learn):
        G = learn.source.G  # the synthesizer's generator (this script runs without replay)
        with torch.no_grad(), torch.random.fork_rng():  # sampling here must not shift the run's own random numbers
            was = G.training; G.eval(); seen = teacher_view(G.sample(self.n), self.teacher); G.train(was)
        st = learn.last_logs
        self.rows.append(dict(epoch=learn.epoch, acc=round(float(learn.metrics['acc']), 4), lr=learn.opt.param_groups[0]['lr'],
                              lr_g=learn.source.opt.param_groups[0]['lr'], grad=round(st['grad_norm'], 4),
                              moved=round(st['moved'], 5), align=round(st['align'], 3) if 'align' in st else None,
                              teacher_classes=seen['classes']))

def plot(res, path):
    fig, axs = plt.subplots(1, 3, figsize=(13, 3.4))
    for name, runs in res['variants'].items():
        for i, r in enumerate(runs):
            rows, e = r['rows'], [x['epoch'] for x in r['rows']]
            kw = dict(color='C0' if name == 'constant' else 'C1', alpha=0.8, label=f'generator rate {name}' if i == 0 else None)
            axs[0].plot(e, [x['acc'] for x in rows], **kw)
            axs[1].plot(e, [x['grad'] for x in rows], **kw)
            axs[2].plot(e[:-1], [x['align'] for x in rows[:-1]], **kw)  # the last epoch's rate is 0
    for ax, t in zip(axs, ('test accuracy (reporting only)', "mean norm of the student's gradient", 'align: 1 = every step the same way')):
        ax.set_title(t, fontsize=10); ax.set_xlabel('epoch'); ax.grid(alpha=0.3)
    axs[0].legend(); fig.suptitle(res['task'], fontsize=10); fig.tight_layout(); fig.savefig(path, dpi=110); plt.close(fig)

if __name__ == '__main__':
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('teacher'); ap.add_argument('--seeds', default='2'); ap.add_argument('--epochs', type=int, default=300)
    ap.add_argument('--variants', default=','.join(VARIANTS)); ap.add_argument('--out', default='benchmarks/costs')
    a = ap.parse_args()
    names = a.variants.split(',')
    if bad := [n for n in names if n not in VARIANTS]: ap.error(f'unknown variants {bad}; choose from {list(VARIANTS)}')
    rt = get_runtime('cpu'); _, te = load_digits()
    t = load_teacher(a.teacher, 'lenet5', num_classes=10, in_channels=1, rt=rt)
    res = dict(task=f'CuDFKD on the digits, LeNet-5 -> LeNet-5-half, {a.epochs} epochs of 50 steps', epochs=a.epochs,
               **run_info(rt), variants={})
    for name in names:
        runs = res['variants'][name] = []
        for seed in map(int, a.seeds.split(',')):
            watch = Watch(t)
            set_seed(seed); s = get_model('lenet5_half', num_classes=10, in_channels=1)  # as the CLI makes it
            distill_datafree('cudfkd', t, s, te, epochs=a.epochs, steps_per_epoch=50, rt=rt, seed=seed, progress=False,
                             extra_cbs=[StepStats(), watch], **VARIANTS[name], **DIGITS)
            runs.append(dict(seed=seed, last_acc=watch.rows[-1]['acc'], rows=watch.rows))
            late = (watch.rows[max(-16, -len(watch.rows))], watch.rows[-2])  # the last 15 epochs, less the last (its rate is 0)
            print(name, seed, *({k: r[k] for k in ('epoch', 'acc', 'grad', 'align', 'teacher_classes')} for r in late), flush=True)
    path = Path(a.out)/f"fall_check_{res['commit']}.json"
    path.write_text(json.dumps(res, indent=1)); plot(res, path.with_suffix('.png')); print('wrote', path, 'and', path.with_suffix('.png'))
