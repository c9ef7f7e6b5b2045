"""The source distribution pip falls back on, and `python -m build` makes the wheel from, must be complete: setup.py
reads settings.ini, so an sdist without it cannot be installed. `tools/test_wheel.sh` checks the whole path
(sdist, wheel, install, demo); this is its quick part (setuptools is a test requirement: Python 3.12 venvs lack it)."""
import configparser, shutil, subprocess, sys, tarfile
from conftest import ROOT

def run(args, cwd):
    r = subprocess.run([sys.executable, *args], cwd=cwd, capture_output=True, text=True)
    assert r.returncode == 0, f"{' '.join(args)} failed in {cwd}:\n{r.stderr[-2000:]}"
    return r.stdout

def test_sdist_carries_what_setup_reads(tmp_path):
    src = tmp_path/'src'; src.mkdir()   # a copy, so the build leaves no egg-info or dist/ in the checkout
    for p in ROOT.iterdir():
        if p.is_file(): shutil.copy(p, src/p.name)
    for d in ('dfkd_nb', 'tests'): shutil.copytree(ROOT/d, src/d, ignore=shutil.ignore_patterns('__pycache__'))
    run(['setup.py', '-q', 'sdist', '--dist-dir', str(tmp_path/'dist')], src)
    sdist, = (tmp_path/'dist').glob('dfkd_nb-*.tar.gz')
    safe = dict(filter='data') if hasattr(tarfile, 'data_filter') else {}   # the filter came in Python 3.10.12
    with tarfile.open(sdist) as t: t.extractall(tmp_path/'unpacked', **safe)
    top, = (tmp_path/'unpacked').iterdir()
    cfg = configparser.ConfigParser(delimiters=['=']); cfg.read(ROOT/'settings.ini')
    assert (top/'dfkd_nb'/'learner.py').exists() and (top/'LICENSE').exists()
    # setup.py run inside the unpacked sdist, as pip runs it: it finds its settings and states the version
    assert run(['setup.py', '--version'], top).split()[-1] == cfg['DEFAULT']['version']
