"README tables are built from benchmark records: each record lands in its table with the right numbers."
import json, pytest, sys
from conftest import ROOT
sys.path.insert(0, str(ROOT/'benchmarks'))
import tables

BASE = dict(dataset='cifar10', seconds=60.0, device='GPU', torch='2.11', commit='abc')

def test_records_are_routed_and_aggregated(tmp_path):
    recs = [dict(BASE, method='cudfkd+vae', teacher='resnet34', student='resnet18', teacher_acc=0.9215, student_acc=0.88, ratio=0.955,
                 replay='vae', replay_memory_mb=36.34, replay_keep_all_mb=4500.2),
            dict(BASE, method='kd_projector', teacher='wrn40_2', student='wrn16_2', teacher_acc=0.9086, student_acc=0.90, epochs=30),
            dict(BASE, method='kd_projector', teacher='wrn40_2', student='wrn16_2', teacher_acc=0.9086, student_acc=0.92, epochs=30),
            dict(BASE, method='online_dkel', teacher='-', student='resnet32x3', teacher_acc=0., student_acc=0.9, acc_mean_peers=0.9,
                 acc_ensemble=0.91, acc_mean_teacher1=0.92, disagreement=0.05, seconds_per_epoch=12., epochs=40)]
    for i, r in enumerate(recs): (tmp_path/f'{i}.json').write_text(json.dumps(r))
    assert [tables.kind(r) for r in recs] == ['datafree', 'kd', 'kd', 'online']
    md = tables.render_all(tmp_path)
    assert '| cudfkd+vae | cifar10 | resnet34 -> resnet18 | - | 92.15 | 88.00 | 0.955 |' in md
    assert '| 36.34 (4,500) |' in md   # the VAE's MB beside what keeping every novel sample would take
    assert '91.00 ± 1.41 | 2 |' in md  # two projector seeds: mean 91.00, sample std 1.41
    assert '### Online KD' in md and '| online_dkel | cifar10 | resnet32x3 | 40 | 90.00 | 90.00 | - | 91.00 | 92.00 |' in md

def test_online_table_hides_an_untrained_ensemble_head(tmp_path):
    "DML and independent peers never train the ensemble head: its chance-level accuracy is not shown; the peer average is."
    rec = lambda m: dict(BASE, method=m, teacher='-', student='resnet8x3', teacher_acc=0., student_acc=0.9, acc_mean_peers=0.9,
                         acc_peer_average=0.93, acc_ensemble=0.08, disagreement=0.05, seconds_per_epoch=1., epochs=10)
    for m in ('online_dml', 'online_pcl'): (tmp_path/f'{m}.json').write_text(json.dumps(rec(m)))
    md = tables.render_all(tmp_path)
    assert '| online_dml | cifar10 | resnet8x3 | 10 | 90.00 | 90.00 | 93.00 | - | - |' in md
    assert '| online_pcl | cifar10 | resnet8x3 | 10 | 90.00 | 90.00 | 93.00 | 8.00 | - |' in md

def test_online_runs_with_another_mean_teacher_decay_are_their_own_row(tmp_path):
    "A run with `--ema 0.99` is not pooled with the papers' 0.999 (nor with records from before `ema` was recorded)."
    rec = lambda acc, seed, **kw: dict(BASE, method='online_pcl', teacher='-', student='resnet8x3', teacher_acc=0., student_acc=acc,
                                      acc_mean_peers=acc, acc_peer_average=acc, acc_ensemble=acc, disagreement=0.05, seconds_per_epoch=1.,
                                      epochs=8, seed=seed, **kw)
    for i, r in enumerate([rec(0.74, 1), rec(0.76, 2, ema=0.999), rec(0.8, 1, ema=0.99)]): (tmp_path/f'{i}.json').write_text(json.dumps(r))
    md = tables.render_all(tmp_path)
    assert '| online_pcl | cifar10 | resnet8x3 | 8 | 75.00 ± 1.41 |' in md
    assert '| online_pcl (ema=0.99) | cifar10 | resnet8x3 | 8 | 80.00 |' in md

def test_datafree_seeds_are_aggregated_per_budget(tmp_path):
    run = lambda acc, t90, seed: dict(BASE, method='cudfkd', dataset='digits', teacher='lenet5', student='lenet5_half', teacher_acc=0.98,
                                     student_acc=acc, ratio=acc / 0.98, minutes=0.5, epochs=20, seed=seed, **{'seconds_to_0.90x': t90})
    recs = [run(0.90, 20., 1), run(0.80, None, 2), dict(run(0.5, None, 3), minutes=None)]  # the third: an epoch budget, its own row
    for i, r in enumerate(recs): (tmp_path/f'{i}.json').write_text(json.dumps(r))
    md = tables.render_all(tmp_path)
    assert '| cudfkd | digits | lenet5 -> lenet5_half | 0.5 min | 98.00 | 85.00 ± 7.07 |' in md
    assert '| 20 (1/2 seeds) | - |' in md and '| - | - | 2 |' in md  # no replay: no replay memory (and no GPU memory on a CPU) and '| 20 ep | 98.00 | 50.00 |' in md

def test_seed_reruns_are_counted_as_runs_of_fewer_seeds(tmp_path):
    "A seed rerun at another commit pools into its row; the row says it averages 3 runs of 2 seeds, not 3 seeds."
    run = lambda seed, commit: dict(BASE, method='dfad', dataset='digits', teacher='lenet5', student='lenet5_half', teacher_acc=0.98,
                                    student_acc=0.5, ratio=0.51, minutes=1, seed=seed, commit=commit, **{'seconds_to_0.90x': None})
    for i, r in enumerate([run(1, 'a'), dict(run(2, 'a'), **{'seconds_to_0.90x': 30.}), run(1, 'b')]):
        (tmp_path/f'{i}.json').write_text(json.dumps(r))
    md = tables.render_all(tmp_path)
    assert '| 3 runs, 2 seeds | 60.0 | GPU | a, b |' in md and '| 30 (1/3 runs) |' in md
    (tmp_path/'2.json').unlink()
    assert '| 2 | 60.0 | GPU | a |' in tables.render_all(tmp_path)

def test_runs_with_other_settings_are_other_rows(tmp_path):
    kd = lambda acc, hp=None: dict(BASE, method='kd_projector', teacher='wrn40_2', student='wrn16_2', teacher_acc=0.9, student_acc=acc,
                                   epochs=30, **({'hp': hp} if hp else {}))
    teacher = dict(BASE, method='train_teacher', teacher='-', student='resnet18', teacher_acc=0., student_acc=0.8, images_per_second=20123.4)
    for i, r in enumerate([kd(0.90), kd(0.92), kd(0.80, 'alpha=2')]): (tmp_path/f'{i}.json').write_text(json.dumps(r))
    (tmp_path/'t.json').write_text(json.dumps(teacher))
    md = tables.render_all(tmp_path)
    assert '| projector | cifar10 | wrn40_2 -> wrn16_2 | 30 | 90.00 | 91.00 ± 1.41 | 2 |' in md   # the --hp run is not averaged in
    assert '| projector (alpha=2) | cifar10 | wrn40_2 -> wrn16_2 | 30 | 90.00 | 80.00 | 1 |' in md
    assert '| 80.00 | 60.0 | 20123 | GPU |' in md    # the teacher smoke run shows its images/second

def test_no_records_says_so(tmp_path):
    assert 'No benchmark results' in tables.render_all(tmp_path)

def test_regression_tables_last_and_validation_selected(tmp_path):
    r = dict(BASE, benchmark='regression', method='direct', dataset='mv', teacher='mlp500', student='mlp50', rmse=0.0205,
             rmse_std=0.001, rmse_val_selected=0.0183, rmse_val_selected_std=0.002, teacher_rmse=0.0146, seeds=[1, 2], epochs=2000)
    (tmp_path/'r.json').write_text(json.dumps(r))
    md = tables.render_all(tmp_path)
    last, val = md.split("paper's protocol")
    assert '| mv | mlp50 | 0.0146 | 0.0205 ± 0.0010 | 0.0227 / 0.0237 / 0.0235 / 0.0235 | 2 | 0 | 2000 |' in last
    assert '| mv | mlp50 | 0.0146 | 0.0183 ± 0.0020 |' in val
    assert '| 2 | 0 | 2000 | 60.0 | GPU | abc |' in val   # no sweep_seconds: the run's own seconds

def test_regression_a1_table_and_rows_from_two_sweeps(tmp_path):
    base = dict(BASE, benchmark='regression', dataset='mv', teacher='mlp500', student='mlp50', teacher_rmse=0.024,
                seeds=[1, 2], epochs=2000, rmse_val_selected_std=0.001)
    recs = [dict(base, method='noise', rmse=0.029, rmse_std=0.001, rmse_val_selected=0.0241, sweep_seconds=900.0, commit='aaa'),
            dict(base, method='direct', rmse=0.028, rmse_std=0.002, rmse_val_selected=0.0245, sweep_seconds=1000.0, commit='bbb'),
            dict(base, method='direct_a1', rmse=0.030, rmse_std=0.003, rmse_val_selected=0.0270, sweep_seconds=700.0, commit='ccc')]
    for i, r in enumerate(recs): (tmp_path/f'{i}.json').write_text(json.dumps(r))
    main, a1 = tables.render_all(tmp_path).split('Synthetic inputs only')
    assert 'a1' not in main and '| noise | direct |' in main    # only the strategies that have records get a column
    assert '| 0.0290 ± 0.0010 | 0.0280 ± 0.0020 | 0.0227 / 0.0237 / 0.0235 / 0.0235 | 2 | 0 | 2000 | 900.0, 1000.0 | GPU | aaa, bbb |' in main
    assert '| teacher | direct, last | direct, val-selected | paper (mlp50): generator / direct |' in a1
    assert '| mv | mlp50 | 0.0240 | 0.0300 ± 0.0030 | 0.0270 ± 0.0010 | 0.0441 / 0.0271 | 2 | 0 | 2000 | 700.0 | GPU | ccc |' in a1
    # the README's compact form: a pooled decreasing-a row (two init seeds) must not hide the lone a = 1 sweep
    (tmp_path/'n1.json').write_text(json.dumps(dict(recs[0], init_seed=1, rmse_per_seed=[.03, .03], teacher_rmse_per_seed=[.02, .02])))
    (tmp_path/'0.json').write_text(json.dumps(dict(recs[0], rmse_per_seed=[.03, .03], teacher_rmse_per_seed=[.02, .02])))
    main, a1 = tables.render_all(tmp_path, compact=True).split('Synthetic inputs only')
    assert 'pooled (2 x 2)' in main and '| mv | mlp50 | 0.0240 | 0.0300 ± 0.0030 |' in a1

def test_regression_repeats_get_a_row_each_and_a_pooled_row(tmp_path):
    "Sweeps repeated with other init seeds: one row per init seed, then one pooling every run (mean and std by hand)."
    base = dict(BASE, benchmark='regression', method='direct', dataset='mv', teacher='mlp500', student='mlp50',
                seeds=[1, 2], epochs=2000)
    runs = {0: ([0.02, 0.04], [0.01, 0.03], [0.010, 0.012]), 1: ([0.03, 0.05], [0.02, 0.02], [0.014, 0.016])}
    for k, (last, val, teach) in runs.items():
        r = dict(base, rmse=sum(last) / 2, rmse_std=0.01, rmse_per_seed=last, rmse_val_selected=sum(val) / 2,
                 rmse_val_selected_std=0.01, rmse_val_selected_per_seed=val, teacher_rmse=sum(teach) / 2,
                 teacher_rmse_per_seed=teach, sweep_seconds=100.0 + k, commit=f'c{k}')
        if k: r['init_seed'] = k          # records from before init_seed existed count as init seed 0
        (tmp_path/f'{k}.json').write_text(json.dumps(r))
    old = dict(r, init_seed=0, rmse_per_seed=[9., 9.], teacher_rmse_per_seed=[9., 9.])   # an older sweep of init seed 0:
    (tmp_path/'-old.json').write_text(json.dumps(old))                                  # sorted first, so superseded
    last = tables.render_all(tmp_path).split("paper's protocol")[0]
    rows = [l for l in last.splitlines() if l.startswith('| mv')]
    assert [l.split(' | ')[6] for l in rows] == ['0', '1', 'pooled (2 x 2)']
    # pooled over 4 runs: last 0.02, 0.04, 0.03, 0.05 -> mean 0.035, sample std 0.0129; teacher mean 0.013, std 0.0026
    assert rows[2].startswith('| mv | mlp50 | 0.0130 ± 0.0026 | 0.0350 ± 0.0129 |')
    assert rows[2].endswith('| 100.0 + 101.0 | GPU | c0, c1 |')
    (tmp_path/'three.json').write_text(json.dumps(dict(r, seeds=[1, 2, 3], rmse_per_seed=[.1] * 3)))  # run once: nothing to pool
    compact = tables.render_all(tmp_path, compact=True).split("paper's protocol")[0]   # the README's: pooled rows and lone runs
    assert [l.split(' | ')[5:7] for l in compact.splitlines() if l.startswith('| mv')] == [['2', 'pooled (2 x 2)'], ['3', '1']]

def test_regression_rows_order_init_seeds_as_numbers():
    base = dict(BASE, benchmark='regression', method='direct', dataset='mv', teacher='mlp500', student='mlp50',
                seeds=[1, 2], epochs=2000, rmse=0.03, rmse_std=0.001, rmse_per_seed=[0.03, 0.03], teacher_rmse=0.02,
                teacher_rmse_per_seed=[0.02, 0.02])
    rows = tables._regression_rows([dict(base, init_seed=k) for k in (10, 2, 0)], [('direct', 'direct', 'rmse')],
                                   ('teacher', 'direct')).splitlines()[2:]
    assert [r.split(' | ')[6] for r in rows] == ['0', '2', '10', 'pooled (3 x 2)']

def test_regression_teacher_recipes_are_never_pooled():
    "Teachers of another recipe (no early stop) get their own rows, named, after the paper-recipe rows; not pooled with them."
    base = dict(BASE, benchmark='regression', method='direct', dataset='mv', student='mlp50', seeds=[1, 2], epochs=2000,
                rmse=0.03, rmse_std=0.001, rmse_per_seed=[0.03, 0.03], teacher_rmse=0.02, teacher_rmse_per_seed=[0.02, 0.02])
    recs = [dict(base, teacher='mlp500, patience 500', init_seed=0, rmse_per_seed=[.01, .01], teacher_rmse=0.013),
            dict(base, teacher='mlp500', init_seed=0), dict(base, teacher='mlp500', init_seed=1)]
    rows = tables._regression_rows(recs, [('direct', 'direct', 'rmse')], ('teacher', 'direct')).splitlines()[2:]
    assert [r.split(' | ')[2] for r in rows] == ['0.0200', '0.0200', '0.0200 ± 0.0000', '0.0130 (mlp500, patience 500)']
    assert rows[2].split(' | ')[6] == 'pooled (2 x 2)' and rows[3].split(' | ')[3] == '0.0300 ± 0.0010'

def test_readme_and_results_page_are_up_to_date():
    "README.md and benchmarks/RESULTS.md are generated: a record or index.ipynb edit needs `python tools/make_readme.py`."
    sys.path.insert(0, str(ROOT/'tools'))
    import make_readme
    stale = [p for p, text in make_readme.build().items() if (ROOT/p).read_text() != text]
    assert not stale, f"{stale} out of date: run `python tools/make_readme.py`"

def test_readme_counts_the_planted_bugs():
    "The README says how many bugs `tools/mutation_check.py` plants: the number of its mutations, not an older one."
    sys.path.insert(0, str(ROOT/'tools'))
    from mutation_check import MUTATIONS
    import re
    said = re.findall(r'plants (\d+) plausible bugs', ' '.join((ROOT/'README.md').read_text().split()))
    assert said == [str(len(MUTATIONS))], (said, len(MUTATIONS))

@pytest.mark.parametrize('page', ['README.md', 'benchmarks/RESULTS.md', 'benchmarks/CPU_FINDINGS.md'])
def test_pages_have_no_empty_tables(page):
    "Every table on a results page has at least one row under its header (a filter that drops every row leaves a bare header)."
    lines = (ROOT/page).read_text().splitlines() + ['']
    empty = [lines[i - 1] for i, l in enumerate(lines[:-1]) if set(l) <= set('|-: ') and l.startswith('|---') and not lines[i + 1].startswith('|')]
    assert not empty, f"tables without rows in {page}: {empty}"

@pytest.mark.parametrize('page', ['README.md', 'benchmarks/CPU_FINDINGS.md'])
def test_pages_images_and_links_exist(page):
    "Every image and local link a results page shows is a file of the repository (a moved plot would leave a broken picture)."
    import re
    page = ROOT/page
    targets = re.findall(r'\]\(([^)\s#]+)\)', page.read_text())
    local = [t for t in targets if not t.startswith('http')]
    missing = [t for t in local if not (page.parent/t).exists()]
    assert any(t.endswith('.png') for t in local) and not missing, missing

def test_kd_rows_say_what_their_seconds_shared(tmp_path):
    kd = lambda seed, **kw: dict(BASE, method='kd_ce', teacher='wrn40_2', student='wrn16_2', teacher_acc=0.9, student_acc=0.7, epochs=2, seed=seed, **kw)
    for i, r in enumerate([kd(1), kd(2, threads=1, cpu_load=2.96)]): (tmp_path/f'{i}.json').write_text(json.dumps(r))
    assert '| 60 ± 0 | 1 / 3.0 (1/2 runs) | GPU |' in tables.render_all(tmp_path)  # the older record does not say
    (tmp_path/'0.json').unlink()
    assert '| 60 | 1 / 3.0 | GPU |' in tables.render_all(tmp_path)

def test_committed_records_carry_the_required_fields():
    "Every record in benchmarks/results says what ran, where and at which commit, and what it scored (accuracy, or RMSE)."
    need = {'method', 'dataset', 'teacher', 'student', 'seconds', 'device', 'torch', 'commit'}
    recs = tables.load(ROOT/'benchmarks'/'results')
    bad = {r['_file']: sorted(need - set(r)) or 'no score' for r in recs
           if need - set(r) or not ('rmse' in r or {'teacher_acc', 'student_acc'} <= set(r))}
    assert len(recs) > 100 and not bad, bad

def test_gpu_and_cpu_runs_are_separate_rows_and_cpu_rows_name_their_cpus(tmp_path):
    "A GPU run of a configuration never pools with its CPU runs (other seconds, other precision); CPU rows name the CPU models their records carry."
    kd = lambda seed, device, **kw: dict(BASE, method='kd_kd', teacher='wrn40_2', student='wrn16_2', teacher_acc=0.9, student_acc=0.7 + seed / 100,
                                         epochs=10, seed=seed, device=device, **kw)
    recs = [kd(1, 'CPU (x86_64, 2 cores)'), kd(2, 'CPU (x86_64, 2 cores)', cpu='AMD EPYC'), kd(3, 'NVIDIA H200')]
    for i, r in enumerate(recs): (tmp_path/f'{i}.json').write_text(json.dumps(r))
    md = tables.render_all(tmp_path)
    assert '| 71.50 ± 0.71 | 2 |' in md and '| CPU (x86_64, 2 cores): AMD EPYC (1/2 runs) |' in md
    assert '| 73.00 | 1 |' in md and '| NVIDIA H200 |' in md
    df = lambda seed, device: dict(BASE, method='cudfkd', teacher='wrn40_2', student='wrn16_1', teacher_acc=0.9, student_acc=0.3, ratio=0.33,
                                   minutes=15, seed=seed, device=device)
    for i, r in enumerate([df(1, 'CPU (x86_64, 2 cores)'), df(2, 'NVIDIA H200')]): (tmp_path/f'{i}.json').write_text(json.dumps(r))
    (tmp_path/'2.json').unlink()
    md = tables.render_all(tmp_path)
    assert md.count('| cudfkd | cifar10 | wrn40_2 -> wrn16_1 | 15 min |') == 2

def test_regression_gpu_sweeps_never_pool_with_cpu_sweeps():
    "A GPU sweep is its own row after the CPU rows of its configuration, and pools only with GPU sweeps; rows name their CPUs."
    base = dict(BASE, benchmark='regression', method='direct', dataset='mv', teacher='mlp500', student='mlp50', seeds=[1, 2],
                epochs=2000, rmse_std=0.001, teacher_rmse=0.02, teacher_rmse_per_seed=[0.02, 0.02])
    cpu = lambda init, v, **kw: dict(base, init_seed=init, rmse=v, rmse_per_seed=[v, v], device='CPU (x86_64, 2 cores)', **kw)
    recs = [cpu(0, .03, cpu='AMD EPYC'), cpu(1, .05, cpu='Intel Xeon'), dict(base, init_seed=2, rmse=.5, rmse_per_seed=[.5, .5], device='NVIDIA H200')]
    rows = tables._regression_rows(recs, [('direct', 'direct', 'rmse')], ('teacher', 'direct')).splitlines()[2:]
    assert [(r.split(' | ')[3], r.split(' | ')[6], r.split(' | ')[-2]) for r in rows] == [
        ('0.0300 ± 0.0010', '0', 'CPU (x86_64, 2 cores): AMD EPYC'), ('0.0500 ± 0.0010', '1', 'CPU (x86_64, 2 cores): Intel Xeon'),
        ('0.0400 ± 0.0115', 'pooled (2 x 2)', 'CPU (x86_64, 2 cores): AMD EPYC, Intel Xeon'), ('0.5000 ± 0.0010', '2', 'NVIDIA H200')]

def test_regression_rows_list_each_commit_once():
    "A pooled row whose methods were swept at different commits lists every commit once, not once per method."
    base = dict(BASE, benchmark='regression', dataset='mv', teacher='mlp500', student='mlp50', seeds=[1, 2], epochs=2000,
                rmse=0.03, rmse_std=0.001, rmse_per_seed=[0.03, 0.03], teacher_rmse=0.02, teacher_rmse_per_seed=[0.02, 0.02])
    recs = [dict(base, method='direct', init_seed=0, commit='c0'), dict(base, method='direct', init_seed=1, commit='c1'),
            dict(base, method='noise', init_seed=0, commit='c0'), dict(base, method='noise', init_seed=1, commit='c2')]
    rows = tables._regression_rows(recs, [('noise', 'noise', 'rmse'), ('direct', 'direct', 'rmse')], ('teacher', 'noise', 'direct')).splitlines()[2:]
    assert rows[-1].split(' | ')[7] == 'pooled (2 x 2)' and rows[-1].endswith('| c0, c1, c2 |')   # was 'c0, c1, c0, c2'
