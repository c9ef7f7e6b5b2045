"""Diagnostic: how much does the paper's 10-seed teacher mean move with the initialisation alone?

The paper's code (Zhou & Chiam) seeds only the train/validation/test split, so every rerun of its experiment draws new
initial weights and minibatch orders. For each data set this trains the teachers of split seeds 1..10 (the paper's
splits and recipe, `train_teachers`) under `--inits` initialisation seeds and prints each draw's mean test RMSE, then the
spread of those means. `--val batch16` estimates the validation loss as the reference code does (the mean of per-batch
MSEs over a shuffled validation set in batches of 16) instead of exactly, to check that this detail does not matter.
Two worker processes, one thread each. The README and 08_regression quote its output, kept in benchmarks/costs/:
    python benchmarks/regression_teacher_spread.py > benchmarks/costs/regression_teacher_spread_COMMIT.txt
"""
import argparse, statistics, time, torch
import concurrent.futures as cf, multiprocessing as mp
import dfkd_nb.regression as R
from dfkd_nb.core import run_info

PAPER_TEACHER = {'compactiv': 0.1450, 'cpusmall': 0.1663, 'mv': 0.0227, 'puma32h': 0.2625}

def batch_mean_rmse(data, bs=16):
    "`rmse` that, on the validation split, returns sqrt(mean of per-batch MSEs over shuffled batches), as the reference."
    exact = R.rmse
    def f(model, X, y):
        if X is not data.X_val: return exact(model, X, y)
        E, n = X.shape[:2]
        perm = torch.argsort(torch.rand(E, n), 1)
        se = (model.predict(X) - y).pow(2)[torch.arange(E)[:, None], perm, 0]
        return torch.stack([se[:, i:i + bs].mean(1) for i in range(0, n, bs)], 1).mean(1).sqrt()
    return f

def teachers(ds, init, val):
    torch.set_num_threads(1)
    data, exact = R.load_seeds(ds, range(1, 11)), R.rmse
    if val == 'batch16': R.rmse = batch_mean_rmse(data)
    try: _, h = R.train_teachers(data, seed=init)
    finally: R.rmse = exact   # worker processes are reused: the next job must see the exact estimate again
    return ds, init, val, sum(h['test_rmse']) / len(h['test_rmse']), h['epochs']

if __name__ == '__main__':
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--datasets', default='compactiv,cpusmall,mv,puma32h')
    ap.add_argument('--inits', type=int, default=8, help='initialisation seeds 0..N-1')
    ap.add_argument('--val', default='exact', help="comma-separated: exact, batch16")
    a = ap.parse_args()
    jobs = [(ds, k, v) for v in a.val.split(',') for ds in a.datasets.split(',') for k in range(a.inits)]
    t0, got = time.perf_counter(), {}
    with cf.ProcessPoolExecutor(2, mp_context=mp.get_context('spawn')) as ex:
        for ds, k, v, m, ep in ex.map(teachers, *zip(*jobs)):
            got.setdefault((ds, v), []).append(m)
            print(f"{ds:9s} val {v:7s} init {k}: 10-seed mean teacher RMSE {m:.4f} (stopped by epoch {ep})", flush=True)
    for (ds, v), ms in got.items():
        print(f"{ds:9s} val {v:7s}: {len(ms)} draws, mean {statistics.mean(ms):.4f}, std {statistics.stdev(ms):.4f}, "
              f"range {min(ms):.4f}-{max(ms):.4f}; paper {PAPER_TEACHER.get(ds, float('nan')):.4f}")
    info = run_info()
    print(f"{time.perf_counter() - t0:.0f} s, 2 processes x 1 thread, {info['device']}, torch {info['torch']}, commit {info['commit']}")
