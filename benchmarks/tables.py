"""Markdown tables of the benchmark records in benchmarks/results/*.json (one JSON object per run)."""
import json
from collections import defaultdict
from pathlib import Path
from statistics import mean, stdev

def load(results_dir):
    return [json.loads(p.read_text()) | {'_file': p.name} for p in sorted(Path(results_dir).glob('*.json'))]

def _pct(v): return '-' if v is None else f"{100 * v:.2f}"
def _ms(vals, fmt='{:.4f}'):
    vals = [v for v in vals if v is not None]
    if not vals: return '-'
    return fmt.format(mean(vals)) + (f" ± {fmt.format(stdev(vals))}" if len(vals) > 1 else '')

PAPER_MLP50 = {  # Zhou & Chiam's mean RMSEs, student 50 (validation-selected): teacher, then one value per method
    'compactiv': dict(teacher=0.1450, noise=0.1554, generator=0.1551, direct=0.1514, generator_a1=0.1837, direct_a1=0.1531),
    'cpusmall':  dict(teacher=0.1663, noise=0.1760, generator=0.1744, direct=0.1737, generator_a1=0.1842, direct_a1=0.1737),
    'mv':        dict(teacher=0.0227, noise=0.0237, generator=0.0235, direct=0.0235, generator_a1=0.0441, direct_a1=0.0271),
    'puma32h':   dict(teacher=0.2625, noise=0.2521, generator=0.2554, direct=0.2518, generator_a1=0.2640, direct_a1=0.2495)}

def _pool(recs):
    "The records plus, for each configuration run with several `init_seed`s on one kind of machine, one record pooling all their runs."
    groups = defaultdict(list)
    for r in recs: groups[r['dataset'], r.get('teacher'), r['student'], len(r.get('seeds', [0])), r['method'], _machine(r)].append(r)
    out = list(recs)
    for g in groups.values():
        g = list({r.get('init_seed', 0): r for r in g}.values())  # one sweep per init seed: the last, as the rows show
        if len(g) < 2: continue
        p = dict(g[0], init_seed=f"pooled ({len(g)} x {len(g[0]['seeds'])})")
        for f in ('rmse', 'rmse_val_selected', 'teacher_rmse'):
            runs = [v for r in g for v in r.get(f + '_per_seed') or []]
            if runs: p[f], p[f + '_std'] = mean(runs), stdev(runs)
        p['sweep_seconds'] = ' + '.join(str(r.get('sweep_seconds', r['seconds'])) for r in g)
        p['commit'] = _commits(g)
        if cpus := dict.fromkeys(r['cpu'] for r in g if r.get('cpu')): p['cpu'] = ', '.join(cpus)
        out.append(p)
    return out

def _regression_rows(recs, columns, paper, compact=False):
    """One row per (dataset, teacher recipe, student, seed count, init seed, machine kind), and a pooled row where several
    init seeds ran; `columns` are (header, method, field); `paper` the methods quoted beside. `compact` keeps only the
    pooled row of a configuration that has one."""
    key = lambda r: (r['dataset'], r.get('teacher', 'mlp500'), r['student'], len(r.get('seeds', [0])), str(r.get('init_seed', 0)), r['method'], _machine(r))
    row = lambda k: k[:5] + k[6:]   # a key without its method
    by = {key(r): r for r in _pool(recs)}
    columns = [c for c in columns if any(k[5] == c[1] for k in by)]
    methods = {m for _, m, _ in columns}
    rows = ["| dataset | student | teacher | " + ' | '.join(h for h, _, _ in columns) +
            f" | paper (mlp50): {' / '.join(m.removesuffix('_a1') for m in paper)} | seeds | init seed | epochs | seconds (whole sweep) | device | commit |",
            "|---|---|---|" + '---|' * len(columns) + '---|---|---|---|---|---|---|']
    pooled = {k[:4] + k[6:] for k in by if not k[4].isdigit() and k[5] in methods}  # configurations with a pooled row in these columns
    for ds, tr, st, n, init, mach in sorted({row(k) for k in by}, key=lambda k: (k[0], k[2], k[3], k[1] != 'mlp500', k[1], k[5] != 'CPU', k[5],
                                                                               not k[4].isdigit(), int(k[4]) if k[4].isdigit() else 0)):
        if compact and init.isdigit() and (ds, tr, st, n, mach) in pooled: continue
        got = [by[k] for k in by if row(k) == (ds, tr, st, n, init, mach) and k[5] in methods]
        if not got: continue
        cell = lambda r, f: '-' if r is None or r.get(f) is None else f"{r[f]:.4f} ± {r.get(f + '_std', 0):.4f}"
        quoted = ' / '.join(f'{PAPER_MLP50[ds][m]:.4f}' for m in paper) if st == 'mlp50' and ds in PAPER_MLP50 else ''
        runs = lambda get: ', '.join(dict.fromkeys(str(get(r)) for r in got))  # several sweeps may fill one row
        teacher = (f"{got[0]['teacher_rmse']:.4f}" + (f" ± {got[0]['teacher_rmse_std']:.4f}" if 'teacher_rmse_std' in got[0] else '')
                   + ('' if tr == 'mlp500' else f" ({tr})"))   # another recipe than the paper's is named
        rows.append(f"| {ds} | {st} | {teacher} | " + ' | '.join(cell(by.get((ds, tr, st, n, init, m, mach)), f) for _, m, f in columns) +
                    f" | {quoted} | {n} | {init} | {got[0].get('epochs')} | {runs(lambda r: r.get('sweep_seconds', r['seconds']))} | {_device(got)} | {_commits(got)} |")
    return '\n'.join(rows)

DECREASING = ('noise', 'generator', 'direct')

def regression_table(recs, compact=False):
    "Test RMSE (mean ± std over seeds) per dataset, student size and strategy, at the last epoch and validation-selected; paper means beside."
    cols = lambda f: [(m, m, f) for m in DECREASING]
    rows = lambda columns, paper: _regression_rows(recs, columns, paper, compact)
    out = "Students at the last epoch (data-free):\n\n" + rows(cols('rmse'), ('teacher',) + DECREASING)
    if any(r.get('rmse_val_selected_std') is not None for r in recs):
        out += ("\n\nStudents at their best epoch on the real validation split, the paper's protocol (not data-free; "
                "the paper's numbers are this kind):\n\n" + rows(cols('rmse_val_selected'), ('teacher',) + DECREASING))
    a1 = [(f"{m.removesuffix('_a1')}, {w}", m, f) for w, f in (('last', 'rmse'), ('val-selected', 'rmse_val_selected')) for m in ('generator_a1', 'direct_a1')]
    if any(r['method'] in ('generator_a1', 'direct_a1') for r in recs):
        out += ("\n\nSynthetic inputs only (a = 1, no noise mixed in; batch 2m = 100), last epoch and validation-selected "
                "(the paper's numbers are validation-selected):\n\n" + rows(a1, ('generator_a1', 'direct_a1')))
    return out

def generic_table(recs):
    rows = ["| method | dataset | teacher | student | teacher acc % | student acc % | seconds | img/s | device | torch | commit |",
            "|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in recs:
        rows.append(f"| {r['method']} | {r['dataset']} | {r['teacher']} | {r['student']} | {_pct(r.get('teacher_acc'))} | "
                    f"{_pct(r.get('student_acc'))} | {r['seconds']} | {_f(r.get('images_per_second'), '{:.0f}')} | {r['device']} | {r['torch']} | {r['commit']} |")
    return '\n'.join(rows)

def _f(v, fmt='{:.1f}'): return '-' if v is None else fmt.format(v)

def _runs_by(recs, *keys):
    """Records grouped by the values of `keys` and by machine kind (one group = the seeds of one configuration on one
    kind of machine: a GPU's seconds and precision are not a CPU's), in sorted order; each with its `keys` values."""
    groups = defaultdict(list)
    for r in recs: groups[tuple(r.get(k) for k in keys) + (_machine(r),)].append(r)
    return [(k[:-1], g) for k, g in sorted(groups.items(), key=lambda kv: [(v is None, v) for v in kv[0]])]  # missing values last

def _head(*cols): return ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]

def _reached(vals, unit='seeds', fmt='{:.0f}'):
    "Mean seconds to a level over the seeds (or runs, where seeds reran) that reached it, and how many did when not all."
    got = [v for v in vals if v is not None]
    if not got: return '-'
    return fmt.format(mean(got)) + ('' if len(got) == len(vals) else f" ({len(got)}/{len(vals)} {unit})")

def _machine(r):
    "What a row's runs must share: the GPU model, or 'CPU' (every CPU record says `CPU (arch, cores)`; see `_device`)."
    return 'CPU' if str(r['device']).startswith('CPU') else r['device']

def _device(g):
    "The device of a row's runs; for CPU runs, with the CPU models their records name (since 15a903d), since two CPUs of one description can differ 2x in speed."
    cpus = [x['cpu'] for x in g if x.get('cpu')] if _machine(g[0]) == 'CPU' else []
    if not cpus: return g[0]['device']
    return f"{g[0]['device']}: {', '.join(dict.fromkeys(cpus))}" + ('' if len(cpus) == len(g) else f" ({len(cpus)}/{len(g)} runs)")

def _commits(g):
    "Each commit of the runs `g` once, in order; a pooled record's `commit` already lists several."
    return ', '.join(dict.fromkeys(c for x in g for c in str(x['commit']).split(', ')))

def _reran(g) -> bool:
    "Whether some seed of a row's runs ran more than once (a rerun at another commit); records without a seed never count."
    seeds = [x.get('seed') for x in g]
    return None not in seeds and len(set(seeds)) < len(seeds)

def _seeds(g) -> str:
    "How many runs a row averages, and where seeds reran how many seeds they are."
    return f"{len(g)} runs, {len({x['seed'] for x in g})} seeds" if _reran(g) else str(len(g))

def _budget(r): return f"{r['minutes']:g} min" if r.get('minutes') else f"{r['epochs']} ep" if r.get('epochs') else '-'

def _label(name, hp):
    "A method or objective with the settings its runs overrode (`--hp`): runs with other settings are other rows."
    return f"{name} ({hp})" if hp else name

def datafree_table(recs):
    "Data-free runs (mean ± std over seeds): accuracy, ratio to the teacher, robustness over training, speed and memory."
    rows = _head('method', 'data', 'teacher -> student', 'budget', 'teacher %', 'last %', 'ratio', 'mean % over training (var)',
                 'max drop after 1/4', 'best % (on test, labelled)', 's to 0.90x', 's to 0.95x', 'img/s', 'replay MB (keep-all MB)',
                 'replay classes, VAE fidelity', 'peak GB', 'seeds', 'seconds', 'device', 'commit')
    for (ds, t, st, b, m, hp), g in _runs_by([dict(r, _budget=_budget(r)) for r in recs], 'dataset', 'teacher', 'student', '_budget', 'method', 'hp'):
        pc = lambda k: _ms([100 * x[k] for x in g if x.get(k) is not None], '{:.2f}')
        unit = 'runs' if _reran(g) else 'seeds'
        av = lambda k, fmt='{:.1f}': _f(mean(v) if (v := [x[k] for x in g if x.get(k) is not None]) else None, fmt)
        mem = '-' if g[0].get('replay', 'none') == 'none' else av('replay_memory_mb', '{:.2f}') + ('' if (k := av('replay_keep_all_mb', '{:,.0f}')) == '-' else f" ({k})")
        # what the teacher saw in the memory at the end (records since c4875e9): classes among replay samples, and
        # the share of novel samples a VAE's reconstruction keeps the teacher's label for
        mq = '-' if g[0].get('replay_classes') is None else av('replay_classes') + ('' if (f := av('vae_fidelity', '{:.2f}')) == '-' else f", {f}")
        rows.append(f"| {_label(m, hp)} | {ds} | {t} -> {st} | {b} | {_pct(g[0]['teacher_acc'])} | {pc('student_acc')} | {_ms([x.get('ratio') for x in g], '{:.3f}')} | "
                    f"{pc('mean_acc')} ({av('var_acc_points')}) | {av('max_drop_points_after_quarter')} | {pc('best_acc_on_eval_data')} | "
                    f"{_reached([x.get('seconds_to_0.90x') for x in g], unit)} | {_reached([x.get('seconds_to_0.95x') for x in g], unit)} | {av('images_per_second', '{:.0f}')} | "
                    f"{mem} | {mq} | {av('peak_gpu_mem_gb', '{:.2f}')} | {_seeds(g)} | {av('seconds')} | {_device(g)} | {_commits(g)} |")
    return '\n'.join(rows)

def online_table(recs):
    """Online KD: first peer and mean of peers (mean ± std over seeds), the peers' averaged prediction, the ensemble head
    (trained by PCL and DKEL only; records before 2026-12-03 also carry the untrained head of the others, not shown),
    mean teacher, cost per epoch."""
    rows = _head('method', 'data', 'peers', 'epochs', 'peer 1 %', 'mean of peers %', 'peer average %', 'ensemble head %', 'mean teacher 1 %', 'disagreement',
                 's/epoch', 'seeds', 'device', 'commit')
    # a mean-teacher decay other than the papers' 0.999 (recorded since `--ema` exists) is its own row
    tagged = [dict(r, _ema=None if r.get('ema') in (None, 0.999) else f"ema={r['ema']:g}") for r in recs]
    for (ds, st, m, ep, ema), g in _runs_by(tagged, 'dataset', 'student', 'method', 'epochs', '_ema'):
        pc = lambda k: _ms([100 * x[k] for x in g if x.get(k) is not None], '{:.2f}')
        head = pc('acc_ensemble') if m in ('online_pcl', 'online_dkel') else '-'
        rows.append(f"| {_label(m, ema)} | {ds} | {st} | {ep} | {pc('student_acc')} | {pc('acc_mean_peers')} | {pc('acc_peer_average')} | {head} | {pc('acc_mean_teacher1')} | "
                    f"{_ms([x['disagreement'] for x in g], '{:.3f}')} | {_ms([x['seconds_per_epoch'] for x in g], '{:.1f}')} | {_seeds(g)} | {_device(g)} | {_commits(g)} |")
    return '\n'.join(rows)

def _cpu_share(g):
    "Threads each run used and the 1-minute load when it ended (records since 56a870c): a load above the threads means the seconds were shared."
    got = [f"{x['threads']} / {x['cpu_load']:.1f}" for x in g if x.get('threads') and x.get('cpu_load') is not None]
    if not got: return '-'
    return ', '.join(got) + ('' if len(got) == len(g) else f" ({len(got)}/{len(g)} runs)")

def kd_table(recs):
    "Offline KD objectives: last-epoch accuracy, mean ± std over seeds, and what each run's seconds shared the CPU with."
    rows = _head('objective', 'data', 'teacher -> student', 'epochs', 'teacher %', 'student % (last)', 'seeds', 's/run', 'threads / load',
                 'device', 'commit')
    for (ds, t, st, m, ep, hp), g in _runs_by(recs, 'dataset', 'teacher', 'student', 'method', 'epochs', 'hp'):
        rows.append(f"| {_label(m[3:], hp)} | {ds} | {t} -> {st} | {ep} | {_pct(g[0]['teacher_acc'])} | {_ms([100 * x['student_acc'] for x in g], '{:.2f}')} | {_seeds(g)} | "
                    f"{_ms([x['seconds'] for x in g], '{:.0f}')} | {_cpu_share(g)} | {_device(g)} | {_commits(g)} |")
    return '\n'.join(rows)

def kind(r) -> str:
    "Which table a record belongs to."
    if r.get('benchmark') == 'regression': return 'regression'
    if str(r['method']).startswith('online_'): return 'online'
    if str(r['method']).startswith('kd_'): return 'kd'
    if 'ratio' in r: return 'datafree'
    return 'other'

TITLES = {'regression': 'Regression data-free KD (test RMSE on the standardised target, mean ± std over seeds)',
          'datafree': 'Data-free KD (student accuracy on the real test set, reported only; nothing selected on it)',
          'kd': 'Offline KD with data: the projector recipe and its baselines', 'online': 'Online KD (no pretrained teacher)',
          'other': 'Other runs'}
RENDER = {'datafree': datafree_table, 'kd': kd_table, 'online': online_table}  # regression: regression_table(rs, compact)

def render_all(results_dir, compact=False) -> str:
    "Every table; `compact` (the README's) shows only the pooled row of a regression configuration run under several init seeds."
    recs = load(results_dir)
    if not recs: return '_No benchmark results recorded yet._'
    by = defaultdict(list)
    for r in recs: by[kind(r)].append(r)
    parts = []
    for b, rs in by.items():
        table = regression_table(rs, compact) if b == 'regression' else RENDER.get(b, generic_table)(rs)
        parts.append(f"### {TITLES.get(b, b)}\n\n" + table)
    return '\n\n'.join(parts)

if __name__ == '__main__': print(render_all(Path(__file__).parent/'results'))
