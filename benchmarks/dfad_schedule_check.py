"""Which half of DFAD's step schedule keeps it from collapsing: the student's decay, or the generator's?

`cpu_digits.sh dfad-step` found DFAD's script schedule (`lr_milestones=(0.2, 0.4)`: both learning rates x0.1 at 20 %
and 40 % of training) ending far above our default (cosine for the student, a constant generator rate). This runs the
two mixed schedules on the same digits task, budget and seeds, and writes one JSON summary into benchmarks/costs/:
    python benchmarks/dfad_schedule_check.py runs/cpu_digits/teacher/digits_lenet5.pt --seeds 5 --minutes 1
  student_step_only  student x0.1 at 20 % and 40 %, generator constant
  both_cosine        student and generator both annealed by cosine
"""
import argparse, json, statistics as st
from pathlib import Path
from dfkd_nb.core import get_runtime, run_info
from dfkd_nb.data import load_digits
from dfkd_nb.models import get_model, load_teacher
from dfkd_nb.learner import Callback, Evaluate, cosine, step_decay, lr_setter, find_cb
from dfkd_nb.datafree import distill_datafree, DIGITS

class ScheduleBoth(Callback):
    "Sets the student's and the generator's learning rates from two schedules before every step."
    order = -5   # after distill_datafree's own student schedule (-10), so this one wins
    def __init__(self, student, generator): self.student, self.generator = student, generator
    def before_step(self, learn):
        lr_setter(learn.opt)(self.student(learn.progress)); lr_setter(learn.source.opt)(self.generator(learn.progress))

def variants(lr, lr_g, ms=(0.2, 0.4)):
    return dict(student_step_only=ScheduleBoth(step_decay(lr, ms), lambda p: lr_g),
                both_cosine=ScheduleBoth(cosine(lr), cosine(lr_g)))

if __name__ == '__main__':
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('teacher'); ap.add_argument('--seeds', type=int, default=5); ap.add_argument('--minutes', type=float, default=1.)
    ap.add_argument('--out', default='benchmarks/costs')
    a = ap.parse_args()
    rt = get_runtime('cpu'); _, te = load_digits()
    t = load_teacher(a.teacher, 'lenet5', num_classes=10, in_channels=1, rt=rt)
    res = dict(task='DFAD on the digits, LeNet-5 -> LeNet-5-half, 50 steps an epoch', minutes=a.minutes, **run_info(rt))
    for name, cb in variants(DIGITS['lr'], DIGITS['lr_g']).items():   # the callbacks hold no state: one serves every seed
        runs = []
        for seed in range(1, a.seeds + 1):
            learn = distill_datafree('dfad', t, get_model('lenet5_half', in_channels=1), te, epochs=10**6, steps_per_epoch=50,
                                     minutes=a.minutes, rt=rt, seed=seed, progress=False, extra_cbs=[cb], **DIGITS)
            s = find_cb(learn, Evaluate).summary()
            runs.append(dict(seed=seed, steps=learn.iter, last_acc=s['last_acc'], mean_acc=s['mean_acc'],
                             max_drop_points_after_quarter=s['max_drop_points_after_quarter'],
                             final_lr=learn.opt.param_groups[0]['lr'], final_lr_g=learn.source.opt.param_groups[0]['lr']))
            print(name, runs[-1], flush=True)
        res[name] = dict(runs=runs, **{f'{k}_mean': round(st.mean(r[k] for r in runs), 4)
                                       for k in ('last_acc', 'mean_acc', 'max_drop_points_after_quarter')})
    path = Path(a.out)/f"dfad_schedule_check_{res['commit']}.json"
    path.write_text(json.dumps(res, indent=1)); print('wrote', path)
