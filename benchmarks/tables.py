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

PAPER_MLP50 = {  # Zhou & Chiam's mean RMSEs, student 50, decreasing a: teacher, noise, generator, direct
    'compactiv': (0.1450, 0.1554, 0.1551, 0.1514), 'cpusmall': (0.1663, 0.1760, 0.1744, 0.1737),
    'mv': (0.0227, 0.0237, 0.0235, 0.0235), 'puma32h': (0.2625, 0.2521, 0.2554, 0.2518)}

def regression_table(recs):
    "Test RMSE (mean ± std over seeds, student at the last epoch) per dataset, student size and strategy; paper means beside."
    by = {(r['dataset'], r['student'], r['method']): r for r in recs}
    strategies = [m for m in ('noise', 'generator', 'direct', 'generator_a1', 'direct_a1') if any(k[2] == m for k in by)]
    rows = ["| dataset | student | teacher | " + ' | '.join(strategies) + " | paper (mlp50): teacher / noise / generator / direct | seeds | epochs | seconds (whole sweep) | device | commit |",
            "|---|---|---|" + '---|' * len(strategies) + '---|---|---|---|---|---|']
    for ds, st in sorted({k[:2] for k in by}):
        some = next(v for k, v in by.items() if k[:2] == (ds, st))
        cell = lambda r: '-' if r is None else f"{r['rmse']:.4f} ± {r.get('rmse_std', 0):.4f}"
        paper = ' / '.join(f'{v:.4f}' for v in PAPER_MLP50[ds]) if st == 'mlp50' and ds in PAPER_MLP50 else ''
        rows.append(f"| {ds} | {st} | {some['teacher_rmse']:.4f} | " + ' | '.join(cell(by.get((ds, st, m))) for m in strategies) +
                    f" | {paper} | {len(some.get('seeds', [0]))} | {some.get('epochs')} | {some.get('sweep_seconds', some['seconds'])} | {some['device']} | {some['commit']} |")
    return '\n'.join(rows)

def generic_table(recs):
    rows = ["| method | dataset | teacher | student | teacher acc % | student acc % | seconds | device | torch | commit |",
            "|---|---|---|---|---|---|---|---|---|---|"]
    for r in recs:
        rows.append(f"| {r['method']} | {r['dataset']} | {r['teacher']} | {r['student']} | {_pct(r.get('teacher_acc'))} | "
                    f"{_pct(r.get('student_acc'))} | {r['seconds']} | {r['device']} | {r['torch']} | {r['commit']} |")
    return '\n'.join(rows)

TITLES = {'regression': 'Regression data-free KD (test RMSE on the standardised target, mean ± std over seeds)'}
RENDER = {'regression': regression_table}

def render_all(results_dir) -> str:
    recs = load(results_dir)
    if not recs: return '_No benchmark results recorded yet._'
    by = defaultdict(list)
    for r in recs: by[r.get('benchmark', 'other')].append(r)
    parts = []
    for b, rs in by.items():
        parts.append(f"### {TITLES.get(b, b)}\n\n" + RENDER.get(b, generic_table)(rs))
    return '\n\n'.join(parts)

if __name__ == '__main__': print(render_all(Path(__file__).parent/'results'))
