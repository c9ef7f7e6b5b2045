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

def regression_table(recs):
    "Mean ± std test RMSE over seeds per dataset, student size and strategy (plus the paper's means for reference)."
    groups = defaultdict(list)
    for r in recs: groups[(r['dataset'], r['student'], r['method'])].append(r)
    strategies = list(dict.fromkeys(r['method'] for r in recs))
    rows = ["| dataset | student | teacher | " + ' | '.join(strategies) + " | seeds | seconds (whole sweep) | device |",
            "|---|---|---|" + '---|' * len(strategies) + '---|---|---|']
    for ds, st in sorted({(k[0], k[1]) for k in groups}):
        some = next(v for k, v in groups.items() if k[:2] == (ds, st))
        cells = [_ms([g['rmse'] for g in groups.get((ds, st, m), [])]) for m in strategies]
        rows.append(f"| {ds} | {st} | {_ms([g['teacher_rmse'] for g in some])} | " + ' | '.join(cells) +
                    f" | {len(some)} | {some[0].get('sweep_seconds', some[0]['seconds'])} | {some[0]['device']} |")
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
