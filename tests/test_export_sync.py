"The package is the notebooks' export: exporting again must not change dfkd_nb/."
import shutil, subprocess, sys
from pathlib import Path
from conftest import ROOT

def test_package_matches_notebooks(tmp_path):
    for p in ('nbs', 'settings.ini', 'setup.py'):
        src = ROOT/p
        (shutil.copytree if src.is_dir() else shutil.copy)(src, tmp_path/p)
    exe = Path(sys.executable).parent/'nbdev_export'
    subprocess.run([str(exe)], cwd=tmp_path, check=True, capture_output=True)
    fresh = {p.relative_to(tmp_path/'dfkd_nb'): p.read_text() for p in (tmp_path/'dfkd_nb').rglob('*.py')}
    have = {p.relative_to(ROOT/'dfkd_nb'): p.read_text() for p in (ROOT/'dfkd_nb').rglob('*.py')}
    stale = sorted(str(k) for k in fresh.keys() | have.keys() if fresh.get(k) != have.get(k))
    assert not stale, f"dfkd_nb/ is out of date with nbs/ for {stale}: run nbdev_export"

def test_module_docstrings_are_whole_sentences():
    # nbdev turns the first line of a notebook's `> description` into the module docstring: a description wrapped
    # over several lines leaves `help(module)` with half a sentence
    import importlib
    for p in sorted((ROOT/'dfkd_nb').glob('[a-z]*.py')):
        doc = importlib.import_module(f'dfkd_nb.{p.stem}').__doc__
        assert doc and doc.rstrip().endswith('.'), f"dfkd_nb/{p.name}: docstring {doc!r} is cut: keep the description of its notebook on one line"
