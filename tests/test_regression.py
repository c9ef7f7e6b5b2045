"The regression sweep's job scheduling: two worker processes give the records one process gives."
import math
import numpy as np
from dfkd_nb.regression import regression_sweep

def _toy(tmp_path, name, d, seed):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(600, d)).astype('float32'); y = np.tanh(X @ rng.normal(size=d)) + 0.05 * rng.normal(size=600)
    (tmp_path/name).mkdir(); np.save(tmp_path/name/'X.npy', X); np.save(tmp_path/name/'y.npy', y)
    return str(tmp_path/name)

def test_two_workers_match_one(tmp_path):
    sets = [_toy(tmp_path, 'a', 4, 0), _toy(tmp_path, 'b', 6, 1)]
    kw = dict(seeds=[0, 1], student_hidden=(8, 16), strategies=('noise', 'generator', 'direct'), epochs=15,
              teacher_epochs=5, train_size=400, progress=False, log=lambda s: None)
    one, two = regression_sweep(sets, workers=1, **kw), regression_sweep(sets, workers=2, **kw)
    key = lambda r: (r['dataset'], r['method'], r['student'])
    assert [key(r) for r in one] == [key(r) for r in two] and len(one) == 2 * 3 * 2   # same records, same order
    assert [r['dataset'] for r in one][:6] == ['a'] * 6 and [r['method'] for r in one][:2] == ['noise'] * 2
    for r1, r2 in zip(one, two):
        assert all(math.isclose(u, v, rel_tol=1e-4) for u, v in zip(r1['rmse_per_seed'], r2['rmse_per_seed']))
        assert all(math.isclose(u, v, rel_tol=1e-4) for u, v in zip(r1['teacher_rmse_per_seed'], r2['teacher_rmse_per_seed']))

def test_init_seed_repeats_the_experiment(tmp_path):
    "Same splits, other initialisations: `init_seed` changes teachers and students; the same value reproduces them."
    sets = [_toy(tmp_path, 'a', 4, 0)]
    kw = dict(seeds=[0, 1], student_hidden=(8,), strategies=('direct',), epochs=10, teacher_epochs=4, train_size=400,
              progress=False, log=lambda s: None)
    r0, r0b, r1 = (regression_sweep(sets, init_seed=k, **kw)[0] for k in (0, 0, 1))
    assert r0['init_seed'] == 0 and r1['init_seed'] == 1 and r0['seeds'] == r1['seeds'] == [0, 1]
    assert r0['teacher_rmse_per_seed'] == r0b['teacher_rmse_per_seed'] and r0['rmse_per_seed'] == r0b['rmse_per_seed']
    assert all(abs(u - v) > 1e-6 for u, v in zip(r0['teacher_rmse_per_seed'], r1['teacher_rmse_per_seed']))
    assert all(abs(u - v) > 1e-6 for u, v in zip(r0['rmse_per_seed'], r1['rmse_per_seed']))

def test_interrupted_sweep_resumes(tmp_path):
    "Finished jobs are kept; a rerun redoes only the missing one and gives the same records; other settings are refused."
    import pytest
    sets, jobs = [_toy(tmp_path, 'a', 4, 0)], tmp_path/'jobs'
    kw = dict(seeds=[0, 1], student_hidden=(8,), strategies=('noise', 'direct'), epochs=10, teacher_epochs=4, train_size=400,
              progress=False, resume_dir=jobs)
    lines = []
    full = regression_sweep(sets, log=lambda s: None, **kw)
    assert all('sweep_seconds' in r and 'resumed_jobs' not in r for r in full)
    next(jobs.glob('*_direct.json')).unlink()                          # 'interrupted' before the direct job finished
    again = regression_sweep(sets, log=lines.append, **kw)
    assert sum('(resumed)' in l for l in lines) == 2 and len(lines) == 3   # teachers and noise kept; direct rerun
    assert [r['rmse_per_seed'] for r in again] == [r['rmse_per_seed'] for r in full]
    assert all(r['resumed_jobs'] == 2 and 'sweep_seconds' not in r for r in again)  # its wall clock would mislead
    with pytest.raises(ValueError, match='other settings'): regression_sweep(sets, log=lambda s: None, **{**kw, 'epochs': 11})
