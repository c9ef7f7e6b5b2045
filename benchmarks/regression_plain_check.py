"""Diagnostic: does a plain, reference-style training loop land where the batched regression engine does?

The paper's code trains one `nn.Module` student at a time with autograd and `torch.optim.RMSprop`; `dfkd_nb.regression`
trains every seed and student size at once with hand-written gradients. For one data set and student size this trains
the ten teachers of split seeds 1..10 (init seed 0), then distils each of them twice: with a plain loop written the
reference's way (noise: batch 100, a = 0; direct: batch 50, fresh inputs with 2 RMSprop steps per student step,
a = 1 - (epoch+1)/E) and with `distill_regression` on the same teachers. Prints per-seed and mean test RMSE, last
epoch and validation-selected. Two worker processes, one thread each. Output kept in benchmarks/costs/:
    python benchmarks/regression_plain_check.py > benchmarks/costs/regression_plain_check_COMMIT.txt
"""
import argparse, math, statistics, time, torch
import concurrent.futures as cf, multiprocessing as mp
from torch import nn
import dfkd_nb.regression as R
from dfkd_nb.core import run_info

def plain(ds, t, strategy, hidden, seed, epochs=2000, ns=10, lr=1e-3, wd=1e-5, beta=1e-5, gamma=1e-5):
    "Distil teacher `t` of split seed `seed` the reference's way; returns (last, validation-selected) test RMSE."
    torch.set_num_threads(1)
    data, e = R.load_seeds(ds, [seed]), 0
    t = t.eval().requires_grad_(False)
    torch.manual_seed(1000 + seed)
    s = nn.Sequential(nn.Linear(data.d, hidden), nn.Tanh(), nn.Linear(hidden, 1))
    opt = torch.optim.RMSprop(s.parameters(), lr=lr, weight_decay=wd)
    rmse = lambda X, y: (s(X) - y).pow(2).mean().sqrt().item()
    best, best_state, m = math.inf, None, 100 if strategy == 'noise' else 50
    for ep in range(epochs):
        a = 0. if strategy == 'noise' else 1 - (ep + 1) / epochs
        for _ in range(ns):
            xp = torch.randn(m, data.d)
            loss = (1 - a) * (t(xp) - s(xp)).pow(2)
            if a > 0:
                x = nn.Parameter(torch.randn(m, data.d)); ox = torch.optim.RMSprop([x], lr=0.1, weight_decay=beta)
                for _ in range(2):
                    sx = s(x); ox.zero_grad(); (-(t(x) - sx).pow(2) + gamma * sx.pow(2)).mean().backward(); ox.step()
                loss = loss + a * (t(x.detach()) - s(x.detach())).pow(2)
            opt.zero_grad(); loss.mean().backward(); opt.step()
        with torch.no_grad(): v = rmse(data.X_val[e], data.y_val[e])
        if v < best: best, best_state = v, {k: p.clone() for k, p in s.state_dict().items()}
    with torch.no_grad():
        last = rmse(data.X_test[e], data.y_test[e]); s.load_state_dict(best_state)
        return last, rmse(data.X_test[e], data.y_test[e])

def engine(ds, T, strategy, hidden):
    torch.set_num_threads(1)
    data = R.load_seeds(ds, range(1, 11))
    r = R.distill_regression(T, data, strategy, 0. if strategy == 'noise' else 'decreasing', (hidden,), seed=1)
    return list(zip(r.last_rmse, r.val_selected_rmse))

if __name__ == '__main__':
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--dataset', default='compactiv')
    ap.add_argument('--hidden', type=int, default=25)
    ap.add_argument('--strategies', default='noise,direct')
    a = ap.parse_args()
    t0, strategies = time.perf_counter(), a.strategies.split(',')
    torch.set_num_threads(1)
    T = R.train_teachers(R.load_seeds(a.dataset, range(1, 11)), seed=0)[0]   # the sweep's init-0 teachers
    with cf.ProcessPoolExecutor(2, mp_context=mp.get_context('spawn')) as ex:
        eng = {st: ex.submit(engine, a.dataset, T, st, a.hidden) for st in strategies}
        pl = {(st, k): ex.submit(plain, a.dataset, T.member(k - 1), st, a.hidden, k) for st in strategies for k in range(1, 11)}
        for st in strategies:
            rows = {'plain loop': [pl[st, k].result() for k in range(1, 11)], 'dfkd_nb engine': eng[st].result()}
            for name, res in rows.items():
                last, val = zip(*res)
                print(f"{a.dataset} mlp{a.hidden} {st:6s} {name:14s} last {statistics.mean(last):.4f} "
                      f"validation-selected {statistics.mean(val):.4f}  per seed (val) {[round(v, 4) for v in val]}", flush=True)
    info = run_info()
    print(f"{time.perf_counter() - t0:.0f} s, 2 processes x 1 thread, {info['device']}, torch {info['torch']}, commit {info['commit']}")
