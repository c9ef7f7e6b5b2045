"""Run the notebooks and save them with their outputs, so that a reader sees what each example prints and draws.

The notebooks are read on GitHub and in the docs nbdev builds, and both show the outputs saved in the file: without
them a tutorial is code with no results and no plots. Outputs go stale when the code changes, so each notebook saved
here carries a stamp of the code that produced them (its own code cells and the exported package), and
`tests/test_notebook_outputs.py` fails when a notebook's stamp no longer matches. Cells run as `nbdev_test --flags
slow` runs them (CI's choice): `slow` cells run, `cuda` cells only where there is a GPU, `#| eval: false` never.

    python tools/run_notebooks.py                        # every notebook, two at a time (about 3 minutes on 2 cores)
    python tools/run_notebooks.py nbs/06_datafree.ipynb  # some
    python tools/run_notebooks.py --stale                # only those whose stamp no longer matches

`make notebooks` runs it with the repository's `.venv`. It cleans what it saved as `nbdev_clean` does (which keeps
outputs and the stamp) and, when it ran `nbs/index.ipynb`, rebuilds the README, which shows what that notebook prints.
"""
import hashlib, json, os, subprocess, sys, time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STAMP_KEY = 'dfkd_nb'   # notebook metadata key; settings.ini's allowed_metadata_keys keeps it through nbdev_clean

def notebooks() -> list:
    return sorted(p for p in (ROOT/'nbs').rglob('*.ipynb') if '.ipynb_checkpoints' not in p.parts)

def code_stamp(nb_path: Path) -> str:
    "A hash of what a notebook's outputs depend on: its code cells and every module of the exported package."
    h = hashlib.sha256()
    for p in sorted((ROOT/'dfkd_nb').glob('*.py')): h.update(p.name.encode() + b'\0' + p.read_bytes() + b'\0')
    nb = json.loads(Path(nb_path).read_text())
    for c in nb['cells']:
        if c['cell_type'] == 'code': h.update(''.join(c['source']).encode() + b'\0')
    return h.hexdigest()[:16]

def saved_stamp(nb_path: Path):
    return json.loads(Path(nb_path).read_text())['metadata'].get(STAMP_KEY, {}).get('outputs_of')

def skipped(cell, flags: set) -> bool:
    "Whether `nbdev_test` would leave `cell` unrun, skipping `flags`: markdown, export calls, `#| eval: false`, flags."
    from nbdev.process import extract_directives   # nbdev's own reading of `#|` lines (`#|eval:false` too)
    if cell['cell_type'] != 'code' or 'nbdev_export(' in cell['source']: return True
    d = extract_directives(cell, remove=False)
    return d.get('eval:', [''])[0].lower() == 'false' or bool(flags & d.keys())

def _as_shown(text: str) -> str:
    "Text as a terminal shows it: of each line redrawn with carriage returns, the last drawing."
    return '\n'.join(line.rstrip('\r').rsplit('\r', 1)[-1] for line in text.split('\n'))

def run_one(nb_path: Path):
    "Execute one notebook in its own folder, as nbdev_test does, and save it with outputs and stamp."
    import torch
    from execnb.nbio import read_nb, write_nb
    from execnb.shell import CaptureShell
    skip = set() if torch.cuda.is_available() else {'cuda'}
    nb = read_nb(nb_path)
    for c in nb.cells:
        if c.cell_type == 'code': c.outputs = []
    os.environ['IN_TEST'] = '1'
    import random, numpy as np   # the shell runs in this process: a seed here makes unseeded examples repeatable,
    random.seed(0); np.random.seed(0); torch.manual_seed(0)   # so a rerun changes only what the code changed
    cwd = os.getcwd(); os.chdir(nb_path.parent)
    try: CaptureShell(nb_path, mpl_format='png').run_all(nb, exc_stop=True, preproc=lambda c: skipped(c, skip))
    finally: os.chdir(cwd)
    for c in nb.cells:   # a progress bar redraws itself with carriage returns: keep what a terminal shows at the end
        for o in c.get('outputs', []):
            if o.get('output_type') == 'stream': o['text'] = _as_shown(''.join(o['text']))
    nb.metadata[STAMP_KEY] = dict(outputs_of=code_stamp(nb_path))
    write_nb(nb, nb_path)

def run_all(paths: list, workers: int = 2) -> list:
    "Run each notebook in a process of its own, `workers` at a time with the cores shared out; the failures."
    threads = max(1, (os.cpu_count() or 1) // workers)
    env = dict(os.environ, OMP_NUM_THREADS=str(threads), MPLBACKEND='Agg', PYTHONHASHSEED='0')
    def job(p):
        t = time.time()
        r = subprocess.run([sys.executable, __file__, '--one', str(p)], env=env, capture_output=True, text=True)
        print(f"{'ok  ' if r.returncode == 0 else 'FAIL'} {p.relative_to(ROOT)} ({time.time() - t:.0f} s)", flush=True)
        if r.returncode: print(r.stderr[-4000:], file=sys.stderr)
        return r.returncode
    with ThreadPoolExecutor(workers) as ex: codes = list(ex.map(job, paths))
    return [p for p, rc in zip(paths, codes) if rc]

if __name__ == '__main__':
    args = sys.argv[1:]
    if args[:1] == ['--one']: run_one(Path(args[1]).resolve()); sys.exit()
    if args == ['--stale']: paths = [p for p in notebooks() if saved_stamp(p) != code_stamp(p)]
    else: paths = [Path(a).resolve() for a in args] or notebooks()
    if not paths: print('every notebook shows the outputs of the current code'); sys.exit()
    paths.sort(key=lambda p: -p.stat().st_size)   # the largest (roughly the slowest) first: the workers finish together
    os.chdir(ROOT)   # nbdev_clean reads settings.ini from here
    failed = run_all(paths)
    done = [str(p) for p in paths if p not in failed]
    from nbdev.clean import nbdev_clean
    for p in done: nbdev_clean(fname=p)
    if ROOT/'nbs'/'index.ipynb' in paths and ROOT/'nbs'/'index.ipynb' not in failed:   # the README shows its outputs
        subprocess.run([sys.executable, str(ROOT/'tools'/'make_readme.py')], check=True, cwd=ROOT)
    if failed: sys.exit(f"{len(failed)} notebook(s) failed: {', '.join(str(p.relative_to(ROOT)) for p in failed)}")
