"""Which learning-rate schedule keeps a data-free method from collapsing late in training: the student's, or the generator's?

`cpu_digits.sh dfad-step` found DFAD's script schedule (`lr_milestones=(0.2, 0.4)`: both learning rates x0.1 at 20 %
and 40 % of training) ending far above our default (cosine for the student, a constant generator rate). This runs a
method under four schedules on the same digits task, budget and seeds, and writes one JSON summary into
benchmarks/costs/ (`schedule_check_METHOD_COMMIT.json`):
    python benchmarks/schedule_check.py runs/cpu_digits/teacher/digits_lenet5.pt --method cudfkd --seeds 5 --minutes 1
  default            our default: student cosine, generator constant
  both_step          DFAD's script: student and generator x0.1 at 20 % and 40 % (`--hp lr_milestones=(0.2,0.4)`)
  student_step_only  student x0.1 at 20 % and 40 %, generator constant (`--hp "lr_milestones=(0.2,0.4),gen_schedule=constant"`)
  both_cosine        student and generator both annealed by cosine (`--hp gen_schedule=cosine`)
`--variants` picks some of them (the DFAD check at 06e8320 ran the last two, when this file was
dfad_schedule_check.py; its first two are `cpu_digits.sh dfad-step`). Those runs and the CuDFKD one at ab64b36 set the
last two schedules with a callback; since `gen_schedule` (the same functions of progress) they are method settings.
"""
import argparse, json, statistics as st
from pathlib import Path
from dfkd_nb.core import get_runtime, run_info
from dfkd_nb.data import load_digits
from dfkd_nb.models import get_model, load_teacher
from dfkd_nb.learner import Evaluate, find_cb
from dfkd_nb.datafree import distill_datafree, DIGITS

def variants(ms=(0.2, 0.4)):
    "Each schedule as the method settings it overrides: all four are the library's own (`lr_milestones`, `gen_schedule`)."
    return dict(default={}, both_step=dict(lr_milestones=ms), student_step_only=dict(lr_milestones=ms, gen_schedule='constant'),
                both_cosine=dict(gen_schedule='cosine'))

if __name__ == '__main__':
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('teacher'); ap.add_argument('--method', default='cudfkd')
    ap.add_argument('--variants', default='default,both_step,student_step_only,both_cosine')
    ap.add_argument('--seeds', type=int, default=5); ap.add_argument('--minutes', type=float, default=1.)
    ap.add_argument('--out', default='benchmarks/costs')
    a = ap.parse_args()
    rt = get_runtime('cpu'); _, te = load_digits()
    t = load_teacher(a.teacher, 'lenet5', num_classes=10, in_channels=1, rt=rt)
    all_variants = variants()
    names = a.variants.split(',')
    if bad := [n for n in names if n not in all_variants]: ap.error(f'unknown variants {bad}; choose from {list(all_variants)}')
    res = dict(task=f'{a.method} on the digits, LeNet-5 -> LeNet-5-half, 50 steps an epoch', method=a.method,
               minutes=a.minutes, **run_info(rt))
    for name in names:
        runs = []
        for seed in range(1, a.seeds + 1):
            learn = distill_datafree(a.method, t, get_model('lenet5_half', in_channels=1), te, epochs=10**6, steps_per_epoch=50,
                                     minutes=a.minutes, rt=rt, seed=seed, progress=False, **all_variants[name], **DIGITS)
            s = find_cb(learn, Evaluate).summary()
            runs.append(dict(seed=seed, steps=learn.iter, last_acc=s['last_acc'], mean_acc=s['mean_acc'],
                             max_drop_points_after_quarter=s['max_drop_points_after_quarter'],
                             final_lr=learn.opt.param_groups[0]['lr'], final_lr_g=learn.source.opt.param_groups[0]['lr']))
            print(name, runs[-1], flush=True)
        res[name] = dict(runs=runs, **{f'{k}_mean': round(st.mean(r[k] for r in runs), 4)
                                       for k in ('last_acc', 'mean_acc', 'max_drop_points_after_quarter')})
    path = Path(a.out)/f"schedule_check_{a.method}_{res['commit']}.json"
    path.write_text(json.dumps(res, indent=1)); print('wrote', path)
