"""Diagnostic: is the paper's 25-unit sheet a run of its earlier trainer?

The paper's `results_summary.xlsx` has two sheets. The 50-unit one (split seeds 1-10) matches the current reference
code, whose teachers stop early (patience 50, about 70 epochs); our sweep reproduces it. The 25-unit one averages
split seeds 0-10, and its direct students are 0.003-0.005 better than ours on compactiv, cpusmall and puma32h. The
reference repository also keeps `trainer_old.py`, whose teacher loop has patience 500: within its 100 (default) or
500 epochs the teachers never stop early and keep their best validation epoch. This script trains the teachers of
split seeds 0-10 all three ways (under each of --init-seeds) and distils 25-unit students from each (noise, a = 0; direct, decreasing a; students chosen
on validation data, the paper's protocol), next to the 25-unit sheet. `--students wd1e-6` adds students with the
older trainer's default weight decay. One worker process per (data set, init seed), two at a time.
    python benchmarks/regression_25_check.py > benchmarks/costs/regression_25_check_COMMIT.txt
    python benchmarks/regression_25_check.py --data compactiv --teachers patience50 --students paper,wd1e-6 --init-seeds 0,1
"""
import argparse, statistics, time, torch
import concurrent.futures as cf, multiprocessing as mp
import dfkd_nb.regression as R
from dfkd_nb.core import run_info

SHEET25 = {'compactiv': (0.1441, 0.1588, 0.1562), 'cpusmall': (0.1672, 0.1840, 0.1817),   # teacher, noise, direct
           'mv': (0.0236, 0.0250, 0.0252), 'puma32h': (0.2589, 0.2474, 0.2464)}
TEACHERS = {'patience50': ('early stop (patience 50)', 500, R.PAPER_PATIENCE),   # name: (label, epochs, patience)
            'epochs100': ('100 epochs, no early stop', 100, 500),
            'epochs500': ('500 epochs, no early stop', 500, 500)}
STUDENTS = {'paper': ('', {}), 'wd1e-6': (', student wd 1e-6', dict(wd=1e-6))}   # the older trainer's default wd

def job(ds, seeds, epochs, teachers, students, init_seed):
    torch.set_num_threads(1)
    data, lines = R.load_seeds(ds, seeds), []
    for name in teachers:
        label, teacher_epochs, patience = TEACHERS[name]
        t0 = time.perf_counter()
        T, h = R.train_teachers(data, epochs=teacher_epochs, patience=patience, seed=init_seed)
        row = f"{ds:9s} teachers {label:26s} {statistics.mean(h['test_rmse']):.4f} ({h['epochs']} epochs, {time.perf_counter() - t0:.0f} s)"
        for st in students:
            suffix, kw = STUDENTS[st]
            res = [row + suffix + (f', init seed {init_seed}' if init_seed else '')]
            for strategy, a in (('noise', 0.), ('direct', 'decreasing')):
                r = R.distill_regression(T, data, strategy, a, (25,), epochs=epochs, select='val', seed=init_seed + 1, **kw)
                res.append(f"{strategy} {statistics.mean(r.val_selected_rmse):.4f} (last {statistics.mean(r.last_rmse):.4f})")
            lines.append('  '.join(res))
    return lines

if __name__ == '__main__':
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--data', default='compactiv,cpusmall,mv,puma32h')
    ap.add_argument('--seeds', default='0-10', help="split seeds, 'first-last'")
    ap.add_argument('--epochs', type=int, default=2000)
    ap.add_argument('--teachers', default=','.join(TEACHERS), help=f"teacher recipes: {', '.join(TEACHERS)}")
    ap.add_argument('--students', default='paper', help=f"student settings: {', '.join(STUDENTS)}")
    ap.add_argument('--init-seeds', default='0', help='comma-separated init seeds (weights, batches, noise)')
    a = ap.parse_args()
    lo, hi = map(int, a.seeds.split('-'))
    info, t0 = run_info(), time.perf_counter()   # the commit is taken now: edits during the run do not mark it
    with cf.ProcessPoolExecutor(2, mp_context=mp.get_context('spawn')) as ex:
        futs = [ex.submit(job, ds, list(range(lo, hi + 1)), a.epochs, a.teachers.split(','), a.students.split(','), int(i))
                for ds in a.data.split(',') for i in a.init_seeds.split(',')]
        for f in futs: print('\n'.join(f.result()), flush=True)
        for ds in a.data.split(','):
            t, n, d = SHEET25[ds]
            print(f"{ds:9s} paper's 25-unit sheet{'':17s} {t:.4f}  noise {n:.4f}  direct {d:.4f}")
    print(f"students: 25 hidden units, chosen on validation data (the paper's protocol); split seeds {a.seeds}")
    print(f"{time.perf_counter() - t0:.0f} s, 2 processes x 1 thread, {info['device']}, torch {info['torch']}, commit {info['commit']}")
