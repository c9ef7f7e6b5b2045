"The `dfkd` console script as a user runs it."
import json, subprocess, sys
from pathlib import Path
import pytest
from conftest import need_shared, ROOT

DFKD = str(Path(sys.executable).parent/'dfkd')

def run(*args, ok=True):
    p = subprocess.run([DFKD, *args], capture_output=True, text=True, cwd=ROOT, timeout=900)
    if ok: assert p.returncode == 0, p.stderr[-3000:]
    return p

def test_help_lists_commands():
    out = run('--help').stdout
    for c in ('demo', 'train-teacher', 'eval-teacher', 'regress'): assert c in out

def test_unknown_command_fails_clearly():
    p = run('distil-everything', ok=False)
    assert p.returncode == 2 and 'unknown command' in p.stderr

def test_demo_writes_summary_and_plot(tmp_path):
    out = run('demo', '--epochs', '6', '--out', str(tmp_path), '--device', 'cpu').stdout
    assert 'teacher lenet5' in out and 'student lenet5_half' in out
    s = json.loads((tmp_path/'summary.json').read_text())
    assert s['teacher_acc'] > 0.8 and s['student_acc'] > 0.5 and (tmp_path/'accuracy.png').stat().st_size > 1000

def test_train_teacher_writes_a_valid_benchmark_record(tmp_path):
    run('train-teacher', '--arch', 'lenet5', '--data', 'digits', '--epochs', '3', '--bs', '32', '--lr', '0.05',
        '--out', str(tmp_path/'run'), '--results', str(tmp_path/'results'), '--device', 'cpu')
    rec = json.loads(next((tmp_path/'results').glob('*.json')).read_text())
    assert rec['student_acc'] > 0.5 and rec['images_per_second'] > 0 and rec['device'].startswith('CPU')
    assert (tmp_path/'run'/'digits_lenet5.pt').exists() and (tmp_path/'run'/'checkpoint.pt').exists()
    # resuming a finished run is a no-op that keeps the result
    run('train-teacher', '--arch', 'lenet5', '--data', 'digits', '--epochs', '3', '--bs', '32', '--out', str(tmp_path/'run'), '--device', 'cpu')
    assert len((tmp_path/'run'/'log.jsonl').read_text().splitlines()) == 3

@need_shared('teachers', 'cifar10_wrn40_2.pt')
def test_eval_teacher_subset():
    out = run('eval-teacher', '--ckpt', 'cifar10_wrn40_2.pt', '--arch', 'wrn40_2', '--per-class', '20', '--device', 'cpu').stdout
    acc = float(out.split('top-1 ')[1].split()[0])
    assert acc > 0.85 and 'on 200 cifar10' in out
