"""A short check that the regression engine runs on a GPU: one small sweep on the CPU, the same on CUDA.

    python benchmarks/gpu_regression_smoke.py OUT_DIR

It needs no data (a toy set, made here, of the same kind as the tests'), so the GPU scripts can run it at the end of
a call when a minute is left. It writes OUT_DIR/regression_smoke.json with, per device, the teachers' and each
(strategy, student)'s mean test RMSE and the sweep's seconds. It is a smoke test, not a benchmark record: the two
devices draw different random numbers, so the RMSEs should agree in size, not digit for digit.
"""
import json, sys, tempfile, time
from pathlib import Path
import numpy as np, torch
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from dfkd_nb.regression import regression_sweep

def toy_set(folder: Path, n: int = 3000, d: int = 8, seed: int = 0) -> str:
    "A smooth nonlinear target of `d` Gaussian features, with a little noise, as X.npy and y.npy."
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, d)).astype('float32')
    y = np.tanh(X @ rng.normal(size=d) / 2) + 0.3 * np.sin(X[:, 0]) + 0.05 * rng.normal(size=n)
    folder.mkdir(parents=True); np.save(folder/'X.npy', X); np.save(folder/'y.npy', y)
    return str(folder)

def main(out: Path):
    out.mkdir(parents=True, exist_ok=True)
    kw = dict(seeds=[0, 1, 2], student_hidden=(25, 50), strategies=('noise', 'generator', 'direct'), epochs=100,
              teacher_epochs=30, train_size=2000, progress=False, log=lambda s: None)
    res = dict(what='regression engine, CPU against CUDA, on a toy set', settings={k: v for k, v in kw.items() if k != 'log'})
    with tempfile.TemporaryDirectory() as tmp:
        ds = toy_set(Path(tmp)/'toy')
        for dev in ['cpu'] + (['cuda'] if torch.cuda.is_available() else []):
            t0 = time.perf_counter()
            recs = regression_sweep([ds], device=dev, **kw)
            res[dev] = dict(seconds=round(time.perf_counter() - t0, 1), teacher_rmse=recs[0]['teacher_rmse'],
                            rmse={f"{r['method']} {r['student']}": round(r['rmse'], 4) for r in recs},
                            **{k: recs[0][k] for k in ('device', 'torch', 'commit', 'date')})   # the records' run info
            print(dev, json.dumps(res[dev]))
    (out/'regression_smoke.json').write_text(json.dumps(res, indent=2) + '\n')

if __name__ == '__main__': main(Path(sys.argv[1] if len(sys.argv) > 1 else 'runs/regression_smoke'))
