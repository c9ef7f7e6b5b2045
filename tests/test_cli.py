"The `dfkd` console script as a user runs it."
import json, subprocess, sys
from pathlib import Path
import pytest
from conftest import need_shared, ROOT
from dfkd_nb.replay import VAE_SIZES

DFKD = str(Path(sys.executable).parent/'dfkd')

def run(*args, ok=True):
    p = subprocess.run([DFKD, *args], capture_output=True, text=True, cwd=ROOT, timeout=900)
    if ok: assert p.returncode == 0, p.stderr[-3000:]
    return p

def test_help_lists_commands():
    out = run('--help').stdout
    for c in ('demo', 'distill', 'kd', 'online', 'train-teacher', 'eval-teacher', 'regress', 'compare'): assert c in out

def test_python_m_runs_the_cli_without_an_install():
    "A copied tree (the GPU machine's) runs `python -m dfkd_nb.cli` with the tree on the path, the console script's twin."
    import os
    p = subprocess.run([sys.executable, '-m', 'dfkd_nb.cli', '--version'], capture_output=True, text=True, cwd=ROOT, timeout=300,
                       env=dict(os.environ, PYTHONPATH=str(ROOT)))
    assert p.returncode == 0 and p.stdout.startswith('dfkd_nb '), p.stderr[-2000:]

def test_unknown_command_fails_clearly():
    p = run('distil-everything', ok=False)
    assert p.returncode == 2 and 'unknown command' in p.stderr

def test_demo_writes_summary_and_plot(tmp_path):
    # 8 teacher epochs (16 data-free ones): at 6 the data-free student ended at 0.69 with 2 or 4 threads but 0.25 with
    # one (a different floating-point order); at 8 it ended at 0.74-0.75 with each
    out = run('demo', '--epochs', '8', '--out', str(tmp_path), '--device', 'cpu').stdout
    assert 'teacher lenet5' in out and 'student lenet5_half' in out
    s = json.loads((tmp_path/'summary.json').read_text())
    assert s['teacher_acc'] > 0.8 and s['student_acc'] > 0.3 and s['student_acc_kd_with_data'] > 0.8 and (tmp_path/'accuracy.png').stat().st_size > 1000
    assert abs(weights_acc(tmp_path/'student_lenet5_half.pt', 'lenet5_half') - s['student_acc']) < 1e-6
    assert abs(weights_acc(tmp_path/'teacher_lenet5.pt', 'lenet5') - s['teacher_acc']) < 1e-6

def test_train_teacher_writes_a_valid_benchmark_record(tmp_path):
    run('train-teacher', '--arch', 'lenet5', '--data', 'digits', '--epochs', '3', '--bs', '32', '--lr', '0.05',
        '--out', str(tmp_path/'run'), '--results', str(tmp_path/'results'), '--device', 'cpu')
    rec = json.loads(next((tmp_path/'results').glob('*.json')).read_text())
    assert rec['student_acc'] > 0.5 and rec['device'].startswith('CPU')
    # throughput counts images, not epochs: 3 epochs of 42 full 32-image batches (1,347 training digits), over the
    # run's seconds (rounded to 0.1 s in the record, hence the slack)
    assert abs(rec['images_per_second'] * rec['seconds'] / (3 * 42 * 32) - 1) < 0.02 + 0.06 / rec['seconds'], rec
    assert (tmp_path/'run'/'digits_lenet5.pt').exists() and (tmp_path/'run'/'checkpoint.pt').exists()
    # resuming a finished run is a no-op that keeps the result
    run('train-teacher', '--arch', 'lenet5', '--data', 'digits', '--epochs', '3', '--bs', '32', '--lr', '0.05', '--out', str(tmp_path/'run'), '--device', 'cpu')
    assert len((tmp_path/'run'/'log.jsonl').read_text().splitlines()) == 3

@need_shared('teachers', 'cifar10_wrn40_2.pt')
def test_eval_teacher_subset():
    out = run('eval-teacher', '--ckpt', 'cifar10_wrn40_2.pt', '--arch', 'wrn40_2', '--per-class', '20', '--device', 'cpu').stdout
    acc = float(out.split('top-1 ')[1].split()[0])
    assert acc > 0.85 and 'on 200 cifar10' in out

def weights_acc(path, arch):
    "Load a weights file the way a user would (strictly, by architecture name) and return its digits test accuracy."
    from dfkd_nb.data import load_digits
    from dfkd_nb.models import load_teacher, evaluate
    te = load_digits()[1]
    return evaluate(load_teacher(path, arch, num_classes=10, in_channels=1), te)['acc']

@pytest.fixture(scope='module')
def digits_teacher(tmp_path_factory):
    d = tmp_path_factory.mktemp('teacher')
    run('train-teacher', '--arch', 'lenet5', '--data', 'digits', '--epochs', '8', '--bs', '32', '--lr', '0.05',
        '--out', str(d), '--device', 'cpu')
    return d/'digits_lenet5.pt'

def test_distill_digits_record_and_resume(tmp_path, digits_teacher):
    args = ('distill', '--method', 'dfad', '--data', 'digits', '--teacher', str(digits_teacher), '--teacher-arch', 'lenet5',
            '--student', 'lenet5_half', '--steps-per-epoch', '20', '--out', str(tmp_path/'run'), '--device', 'cpu')
    run(*args, '--epochs', '2', '--results', str(tmp_path/'results'))
    rec = json.loads(next((tmp_path/'results').glob('*.json')).read_text())
    for k in ('method', 'dataset', 'teacher', 'student', 'teacher_acc', 'student_acc', 'seconds', 'device', 'torch', 'commit',
              'mean_acc', 'var_acc_points', 'images_per_second'): assert k in rec, k
    assert rec['teacher_acc'] > 0.8 and 0 <= rec['student_acc'] <= 1 and rec['steps'] == 40  # learning itself: 06_datafree
    assert (tmp_path/'run'/'synthetic_samples.png').exists() and (tmp_path/'run'/'accuracy.png').exists()
    assert abs(weights_acc(tmp_path/'run'/'digits_lenet5_half.pt', 'lenet5_half') - rec['student_acc']) < 1e-6  # the student is kept
    run(*args, '--epochs', '3')  # resumes from the checkpoint: one more epoch, not three
    assert json.loads((tmp_path/'run'/'summary.json').read_text())['steps'] == 60
    assert len((tmp_path/'run'/'log.jsonl').read_text().splitlines()) == 3

def test_resume_under_other_settings_is_refused(tmp_path, digits_teacher):
    """--out holds a checkpoint: the run continues only under the settings that started it (budget, device and --results may
    change), and with the teacher that started it: another one written under the same path is refused by the checkpoint."""
    import shutil, torch
    from dfkd_nb.models import get_model
    teacher = tmp_path/'teachers'/'t.pt'; teacher.parent.mkdir(); shutil.copy(digits_teacher, teacher)
    args = ('distill', '--data', 'digits', '--teacher', str(teacher), '--teacher-arch', 'lenet5', '--student', 'lenet5_half',
            '--steps-per-epoch', '5', '--out', str(tmp_path), '--device', 'cpu')
    run(*args, '--method', 'dfad', '--epochs', '1')
    p = run(*args, '--method', 'dfq', '--epochs', '2', ok=False)
    assert p.returncode == 1 and "belongs to a run with other settings (--method 'dfad' there, 'dfq' now)" in p.stderr, p.stderr[-2000:]
    assert len((tmp_path/'log.jsonl').read_text().splitlines()) == 1   # untouched
    p = run(*args, '--method', 'dfad', '--epochs', '2', '--seed', '1', ok=False)   # another seed is another run
    assert p.returncode == 1 and '(--seed 0 there, 1 now)' in p.stderr, p.stderr[-2000:]
    run(*args, '--method', 'dfad', '--epochs', '2', '--device', 'auto')
    assert len((tmp_path/'log.jsonl').read_text().splitlines()) == 2
    torch.save(get_model('lenet5', in_channels=1).state_dict(), teacher)   # same path and architecture, other weights
    p = run(*args, '--method', 'dfad', '--epochs', '3', ok=False)
    assert p.returncode == 1 and "it was started with other settings: teacher 'LeNet5, 21408 weights (" in p.stderr, p.stderr[-2000:]
    assert len((tmp_path/'log.jsonl').read_text().splitlines()) == 2   # untouched

def test_distill_no_eval_reads_no_images(tmp_path):
    "--no-eval: a CIFAR-10-shaped run where no CIFAR-10 source or cached decode can be found still distils a student."
    import os, torch
    from dfkd_nb.models import get_model, load_teacher
    torch.manual_seed(0); torch.save(get_model('resnet8', num_classes=10).state_dict(), tmp_path/'teacher.pt')
    env = {**os.environ, 'DFKD_DATA': str(tmp_path/'nothing'), 'DFKD_CACHE': str(tmp_path/'empty_cache')}
    args = [DFKD, 'distill', '--method', 'dfad', '--data', 'cifar10', '--teacher', str(tmp_path/'teacher.pt'), '--teacher-arch', 'resnet8',
            '--student', 'resnet8', '--epochs', '1', '--steps-per-epoch', '3', '--batch-size', '16', '--out', str(tmp_path/'run'), '--device', 'cpu']
    p = subprocess.run([*args, '--no-eval'], capture_output=True, text=True, cwd=tmp_path, env=env, timeout=600)
    assert p.returncode == 0, p.stderr[-3000:]
    assert 'not evaluated' in p.stdout
    s = json.loads((tmp_path/'run'/'summary.json').read_text())
    assert s['teacher_acc'] is None and s['student_acc'] is None and s['steps'] == 3 and 0 <= s['synthetic_agreement'] <= 1
    assert s['batch_size'] == 16   # --batch-size replaces the method's 256
    assert not (tmp_path/'run'/'accuracy.png').exists() and (tmp_path/'run'/'synthetic_samples.png').exists()
    load_teacher(tmp_path/'run'/'cifar10_resnet8.pt', 'resnet8')                  # the student is kept, loadable strictly
    args[args.index(str(tmp_path/'run'))] = str(tmp_path/'run2')   # another run: this one continues only with --no-eval
    p = subprocess.run(args, capture_output=True, text=True, cwd=tmp_path, env=env, timeout=600)   # without --no-eval it needs the data
    assert p.returncode == 1 and 'DFKD_DATA' in p.stderr
    p = subprocess.run([*args, '--no-eval', 'true', '--results', str(tmp_path/'res')], capture_output=True, text=True, cwd=tmp_path, env=env)
    assert p.returncode == 1 and '--no-eval measures no accuracy' in p.stderr and not (tmp_path/'res').exists()

def test_own_imagefolder_dataset_end_to_end(tmp_path):
    "A user's ImageFolder zip (two colour classes, 16x16): train a teacher on it, evaluate it, distil it; files named after it."
    import os, zipfile, io, numpy as np
    from PIL import Image
    g, zpath = np.random.default_rng(0), tmp_path/'colours.zip'
    with zipfile.ZipFile(zpath, 'w') as z:
        for split, n in (('train', 48), ('test', 16)):
            for c, rgb in (('red', (200, 30, 30)), ('blue', (30, 30, 200))):
                for i in range(n):
                    buf = io.BytesIO(); Image.fromarray(np.clip(np.array(rgb) + g.integers(-60, 60, (16, 16, 3)), 0, 255).astype(np.uint8)).save(buf, 'PNG')
                    z.writestr(f'colours/{split}/{c}/{i}.png', buf.getvalue())
    env = {**os.environ, 'DFKD_CACHE': str(tmp_path/'cache')}
    def dfkd(*a): 
        p = subprocess.run([DFKD, *a, '--device', 'cpu'], capture_output=True, text=True, cwd=tmp_path, env=env, timeout=600)
        assert p.returncode == 0, p.stderr[-3000:]
        return p.stdout
    dfkd('train-teacher', '--data', str(zpath), '--arch', 'resnet8', '--epochs', '4', '--bs', '16', '--lr', '0.05', '--out', 'teacher', '--results', 'res')
    rec = json.loads(next((tmp_path/'res').glob('train_teacher_colours_resnet8_*.json')).read_text())
    assert rec['dataset'] == 'colours' and rec['student_acc'] > 0.9                      # 32 test images, two easy classes
    assert 'top-1 ' in dfkd('eval-teacher', '--data', str(zpath), '--ckpt', 'teacher/colours_resnet8.pt', '--arch', 'resnet8')
    dfkd('distill', '--method', 'dfad', '--data', str(zpath), '--teacher', 'teacher/colours_resnet8.pt', '--teacher-arch', 'resnet8',
         '--student', 'resnet8', '--epochs', '1', '--steps-per-epoch', '3', '--batch-size', '16', '--out', 'distill')
    s = json.loads((tmp_path/'distill'/'summary.json').read_text())
    assert s['dataset'] == 'colours' and s['teacher_acc'] == rec['student_acc'] and (tmp_path/'distill'/'colours_resnet8.pt').exists()
    # --no-eval with a folder: its shape, classes and training-split normalisation, and no accuracy
    from dfkd_nb.cli import _spec
    from dfkd_nb.data import load_image_folder
    spec, tr = _spec(str(zpath)), load_image_folder(zpath, 'train')
    assert (spec.in_channels, spec.img_size, spec.classes, spec.mean, spec.std) == (3, 16, ['blue', 'red'], tr.mean, tr.std) and len(spec) == 0
    assert 'not evaluated' in dfkd('distill', '--method', 'dfad', '--data', str(zpath), '--teacher', 'teacher/colours_resnet8.pt',
                                   '--teacher-arch', 'resnet8', '--student', 'resnet8', '--epochs', '1', '--steps-per-epoch', '2',
                                   '--batch-size', '16', '--out', 'blind', '--no-eval', 'true')
    s = json.loads((tmp_path/'blind'/'summary.json').read_text())
    assert s['dataset'] == 'colours' and s['student_acc'] is None and (tmp_path/'blind'/'colours_resnet8.pt').exists()

def test_image_size_fits_a_folder_of_mixed_sizes(tmp_path):
    "Photos come in many sizes: refused with the fix named, then loaded with --image-size (shorter side, centre crop)."
    import os, numpy as np
    from PIL import Image
    g = np.random.default_rng(0)
    for split, n in (('train', 16), ('test', 8)):
        for c, level in (('dark', 40), ('light', 210)):
            (tmp_path/'photos'/split/c).mkdir(parents=True)
            for i in range(n):
                w, h = (20, 14) if i % 2 else (12, 18)
                Image.fromarray(np.clip(level + g.integers(-30, 30, (h, w, 3)), 0, 255).astype(np.uint8)).save(tmp_path/'photos'/split/c/f'{i}.png')
    env = {**os.environ, 'DFKD_CACHE': str(tmp_path/'cache')}
    def dfkd(*a, ok=True):
        p = subprocess.run([DFKD, *a, '--device', 'cpu'], capture_output=True, text=True, cwd=tmp_path, env=env, timeout=600)
        assert (p.returncode == 0) == ok, p.stderr[-3000:]
        return p
    teach = ('train-teacher', '--data', 'photos', '--arch', 'resnet8', '--epochs', '3', '--bs', '8', '--lr', '0.05', '--out', 'teacher')
    p = dfkd(*teach, ok=False)
    assert 'different sizes' in p.stderr and '--image-size' in p.stderr and not (tmp_path/'teacher'/'photos_resnet8.pt').exists()
    dfkd(*teach, '--image-size', '12')
    again = dfkd(*teach, '--image-size', '12').stderr   # the same command once more: the finished run, and a note that nothing trained
    assert "dfkd train-teacher: warning: the run in teacher/checkpoint.pt has already done its 3 epochs, so nothing was trained" in again
    out = dfkd('eval-teacher', '--data', 'photos', '--image-size', '12', '--ckpt', 'teacher/photos_resnet8.pt', '--arch', 'resnet8').stdout
    assert 'on 16 photos test images' in out and float(out.split('top-1 ')[1].split()[0]) > 0.9   # dark against light
    p = dfkd('eval-teacher', '--data', 'digits', '--image-size', '8', '--ckpt', 'teacher/photos_resnet8.pt', '--arch', 'resnet8', ok=False)
    assert '--image-size resizes the images of your own folder' in p.stderr
    assert dfkd(*teach, '--image-size', '0', ok=False).stderr.count('--image-size must be above 0') == 1

def test_distill_hp_overrides_reach_the_run(tmp_path, digits_teacher):
    "--hp sets method settings (here the generator rounds and the batch); a bad name fails first and lists the valid ones."
    args = ('distill', '--method', 'cudfkd', '--data', 'digits', '--teacher', str(digits_teacher), '--teacher-arch', 'lenet5',
            '--student', 'lenet5_half', '--epochs', '1', '--steps-per-epoch', '6', '--device', 'cpu')
    run(*args, '--hp', 'batch_size=16, kd_steps=3,adv_start=0.5', '--out', str(tmp_path/'run'), '--results', str(tmp_path/'res'))
    rec = json.loads(next((tmp_path/'res').glob('*.json')).read_text())
    assert rec['batch_size'] == 16 and rec['hp'] == 'batch_size=16, kd_steps=3,adv_start=0.5'
    assert abs(rec['synthetic_images_per_second'] / rec['images_per_second'] - (6 + 6 // 3) / 6) < 0.02  # kd_steps=3: 2 generator rounds
    assert 'adv_start=0.5' in next((tmp_path/'res').glob('*.json')).name
    p = run(*args, '--hp', 'adv_mx=3', ok=False)
    assert p.returncode == 1 and "no setting 'adv_mx'" in p.stderr and 'adv_max' in p.stderr

def test_distill_step_stats_reach_the_log(tmp_path, digits_teacher):
    "--step-stats true adds the student's gradient norm, move and align to every epoch's log line; without it, none."
    args = ('distill', '--method', 'cudfkd', '--data', 'digits', '--teacher', str(digits_teacher), '--teacher-arch', 'lenet5',
            '--student', 'lenet5_half', '--epochs', '2', '--steps-per-epoch', '4', '--device', 'cpu', '--hp', 'batch_size=16')
    run(*args, '--step-stats', 'true', '--out', str(tmp_path/'watched'))
    logs = [json.loads(l) for l in (tmp_path/'watched'/'log.jsonl').read_text().splitlines()]
    assert len(logs) == 2 and all(r['grad_norm'] > 0 and r['moved'] > 0 and 0 < r['align'] < 2 for r in logs), logs
    run(*args, '--out', str(tmp_path/'plain'))
    assert 'align' not in (tmp_path/'plain'/'log.jsonl').read_text()

def test_distill_wrong_teacher_arch_explains(digits_teacher):
    p = run('distill', '--data', 'digits', '--teacher', str(digits_teacher), '--teacher-arch', 'lenet5_half', '--epochs', '1',
            '--device', 'cpu', ok=False)
    assert p.returncode == 1 and 'shape' in p.stderr.lower() and 'Traceback' not in p.stderr
    assert "does not fit --teacher-arch lenet5_half:" in p.stderr and "pass --teacher-arch lenet5." in p.stderr, p.stderr

def test_bad_device_explains(tmp_path):
    "A device that is not there is refused before any work, with the choices and without a traceback."
    for device, says in (('gpu', "device 'gpu' is not one torch knows; use 'auto', 'cpu', 'cuda' or 'cuda:N'"),
                         ('cuda:7', "device 'cuda:7' was asked for but torch sees")):
        p = run('train-teacher', '--data', 'digits', '--arch', 'lenet5', '--epochs', '1', '--out', str(tmp_path), '--device', device, ok=False)
        assert p.returncode == 1 and says in p.stderr and 'Traceback' not in p.stderr, p.stderr[-2000:]
    assert not (tmp_path/'digits_lenet5.pt').exists()

@pytest.mark.parametrize('cmd,bad,says', [
    ('kd', ('--bs', '0'), '--bs must be above 0, got 0'),
    ('kd', ('--epochs', '0'), '--epochs must be above 0, got 0'),
    ('distill', ('--steps-per-epoch', '0'), '--steps-per-epoch must be above 0, got 0'),
    ('distill', ('--minutes', '-1'), '--minutes must be above 0, got -1.0'),
    ('online', ('--lr', '-0.1'), '--lr must be above 0, got -0.1'),
    ('online', ('--init-steps', '-1'), '--init-steps must be 0 or more, got -1'),
    ('kd', ('--wd', '-1'), '--wd must be 0 or more, got -1.0'),
    ('distill', ('--seed', '-1'), '--seed must be 0 or more, got -1'),
    ('distill', ('--hp', 'T=5e'), "cudfkd: T must be float, got '5e'"),
    ('kd', ('--hp', 'w_feat=2,projector=no'), "objective 'projector': projector must be bool, got 'no'"),
    ('kd', ('--hp', 'alpha=-1'), 'alpha must be above 0, got -1'),
    ('distill', ('--student', 'resnet99'), "unknown student architecture 'resnet99'"),
    ('kd', ('--teacher-arch', 'wrn99'), "unknown teacher architecture 'wrn99'")])
def test_bad_numbers_and_settings_are_refused_first(tmp_path, cmd, bad, says):
    "A size, count or budget not above 0, or a setting of the wrong kind, is refused first (the teacher named here does not exist)."
    teacher = () if cmd == 'online' else ('--teacher', 'absent.pt')   # online KD has no teacher
    p = run(cmd, '--data', 'digits', *teacher, '--device', 'cpu', '--out', str(tmp_path), *bad, ok=False)
    assert p.returncode == 1 and says in p.stderr and 'Traceback' not in p.stderr, p.stderr[-2000:]
    assert not list(tmp_path.iterdir())   # no trace: no settings, checkpoint, log or weights

def test_regress_on_a_user_folder(tmp_path):
    import numpy as np
    rng = np.random.default_rng(0)
    X = rng.normal(size=(700, 4)).astype('float32'); y = np.tanh(X @ rng.normal(size=4)) + 0.05 * rng.normal(size=700)
    (tmp_path/'toy').mkdir(); np.save(tmp_path/'toy'/'X.npy', X); np.save(tmp_path/'toy'/'y.npy', y)
    run('regress', '--data', str(tmp_path/'toy'), '--seeds', '2', '--students', '8', '--strategies', 'noise,direct',
        '--epochs', '60', '--teacher-epochs', '30', '--train-size', '500', '--workers', '1',
        '--results', str(tmp_path/'results'), '--out', str(tmp_path/'out'))
    recs = [json.loads(f.read_text()) for f in (tmp_path/'results').glob('*.json')]
    assert sorted(r['method'] for r in recs) == ['direct', 'noise']
    for r in recs: assert 0 < r['rmse'] < 1 and r['teacher_rmse'] < 0.5  # a standardised target: predicting 0 gives ~1
    # teachers without early stopping train every epoch, and their records and files say so
    run('regress', '--data', str(tmp_path/'toy'), '--seeds', '1', '--students', '8', '--strategies', 'noise', '--epochs', '5',
        '--teacher-epochs', '12', '--teacher-patience', '12', '--train-size', '500', '--workers', '1',
        '--results', str(tmp_path/'results'), '--out', str(tmp_path/'out'))
    r = json.loads(next((tmp_path/'results').glob('*_tpatience12.json')).read_text())
    assert (r['teacher'], r['teacher_epochs'], r['teacher_patience']) == ('mlp500, patience 12', 12, 12)

def test_regress_rejects_mismatched_lengths(tmp_path):
    import numpy as np
    np.save(tmp_path/'X.npy', np.zeros((10, 3))); np.save(tmp_path/'y.npy', np.zeros(9))
    p = run('regress', '--data', str(tmp_path), '--seeds', '1', '--epochs', '1', '--workers', '1', ok=False)
    assert p.returncode != 0 and '10' in p.stderr and '9' in p.stderr

@pytest.mark.parametrize('bad,says', [(('--seeds', '0'), '--seeds must be above 0, got 0'),
                                      (('--students', '25,0'), 'student_hidden must be above 0, got 0'),
                                      (('--students', '25,x'), "--students takes comma-separated hidden sizes, such as 25,50; got '25,x'"),
                                      (('--select', 'best'), "select must be 'last' (data-free) or 'val'")])
def test_regress_refuses_bad_settings_before_any_job(tmp_path, bad, says):
    import numpy as np
    np.save(tmp_path/'X.npy', np.zeros((10, 3))); np.save(tmp_path/'y.npy', np.zeros(10))
    p = run('regress', '--data', str(tmp_path), '--train-size', '5', '--workers', '1', '--out', str(tmp_path/'out'), *bad, ok=False)
    assert p.returncode == 1 and says in p.stderr and 'regression sweep' not in p.stderr and not (tmp_path/'out').exists(), p.stderr[-2000:]

def test_kd_projector_trains_and_checkpoints_the_projector(tmp_path, digits_teacher):
    "A ResNet-8 student: the recipe can collapse the half-width LeNet-5's unnormalised features (see 10_projector)."
    import torch
    run('kd', '--objective', 'projector', '--data', 'digits', '--teacher', str(digits_teacher), '--teacher-arch', 'lenet5',
        '--student', 'resnet8', '--epochs', '3', '--bs', '32', '--lr', '0.05', '--out', str(tmp_path/'run'),
        '--results', str(tmp_path/'results'), '--device', 'cpu')
    rec = json.loads(next((tmp_path/'results').glob('*.json')).read_text())
    assert rec['method'] == 'kd_projector' and rec['student_acc'] > 0.5 and rec['teacher_acc'] > 0.8
    assert abs(weights_acc(tmp_path/'run'/'digits_resnet8.pt', 'resnet8') - rec['student_acc']) < 1e-6
    # the teacher is judged once; its accuracy and the student's agreement with it match a separate evaluation
    from dfkd_nb.data import load_digits
    from dfkd_nb.models import load_teacher, evaluate
    te, load = load_digits()[1], lambda p, a: load_teacher(p, a, num_classes=10, in_channels=1)
    assert abs(rec['teacher_acc'] - weights_acc(digits_teacher, 'lenet5')) < 1e-6
    agree = evaluate(load(tmp_path/'run'/'digits_resnet8.pt', 'resnet8'), te, load(digits_teacher, 'lenet5'))['agreement']
    assert abs(rec['last_agreement'] - agree) < 1e-6
    ck = torch.load(tmp_path/'run'/'checkpoint.pt', weights_only=False)
    assert ck['parts']['projector']['weight'].shape == (84, 64)
    p = run('kd', '--objective', 'projector_no_proj', '--data', 'digits', '--teacher', str(digits_teacher),
            '--teacher-arch', 'lenet5', '--student', 'lenet5_half', '--epochs', '1', '--device', 'cpu', '--out', str(tmp_path/'x'), ok=False)
    assert p.returncode != 0 and 'projector' in p.stderr
    kd = ('kd', '--objective', 'projector', '--data', 'digits', '--teacher', str(digits_teacher), '--teacher-arch', 'lenet5',
          '--student', 'lenet5_half', '--epochs', '1', '--bs', '32', '--device', 'cpu')
    run(*kd, '--hp', 'w_feat=0', '--out', str(tmp_path/'nofeat'))   # --hp reaches the objective: no feature term is computed
    log = json.loads((tmp_path/'nofeat'/'log.jsonl').read_text().splitlines()[-1])
    assert 'kl' in log and 'feat' not in log and json.loads((tmp_path/'nofeat'/'summary.json').read_text())['hp'] == 'w_feat=0'
    out = run('compare', '--runs', f"{tmp_path/'run'},{tmp_path/'nofeat'}", '--out', str(tmp_path/'curves.png')).stdout
    last = {l.split()[0]: float(l.split()[2]) for l in out.splitlines()[1:3]}   # the two runs' rows: name, epochs, last acc, ...
    assert last == pytest.approx({'run': rec['student_acc'], 'nofeat': json.loads((tmp_path/'nofeat'/'summary.json').read_text())['student_acc']}, abs=1e-4)
    assert (tmp_path/'curves.png').stat().st_size > 1000
    p = run(*kd, '--hp', 'temperature=2', '--out', str(tmp_path/'y'), ok=False)
    assert p.returncode == 1 and "no setting 'temperature'" in p.stderr and 'alpha' in p.stderr and not (tmp_path/'y').exists()

def digits_vae_mb(**size):
    "MB of DFAD's VAE memory for the digits, built here as the CLI builds it."
    from dfkd_nb.datafree import get_method, DIGITS
    from dfkd_nb.replay import make_memory
    m = get_method('dfad', **DIGITS)
    return make_memory('vae', None, m.generator, m.nz, m.ngf, 8, 1, **size).megabytes()

@pytest.mark.parametrize('replay,size', [('bank', 'paper'), ('vae', 'paper'), ('vae', 'compact')])
def test_distill_with_replay_reports_its_memory(tmp_path, digits_teacher, replay, size):
    run('distill', '--method', 'dfad', '--data', 'digits', '--teacher', str(digits_teacher), '--teacher-arch', 'lenet5',
        '--student', 'lenet5_half', '--epochs', '1', '--steps-per-epoch', '12', '--replay', replay, '--bank-size', '100',
        '--vae-size', size, '--out', str(tmp_path/'run'), '--results', str(tmp_path/'results'), '--device', 'cpu')
    f = next((tmp_path/'results').glob('*.json')); rec = json.loads(f.read_text())
    kind = replay + ('-compact' if size == 'compact' else '')
    assert rec['method'] == f'dfad+{kind}' and f.name.startswith(f'datafree_dfad_{kind}_digits') and rec['replay'] == replay
    assert rec['replay_memory_mb'] > 0 and rec['vae_size'] == (size if replay == 'vae' else None)
    # the VAE settings chosen for the digits, and the VAE's size
    assert rec['replay_kw'] == ({'kl_weight': 0.1, **VAE_SIZES[size]} if replay == 'vae' else None)
    # what the teacher sees in the memory at the end: a VAE's label fidelity only for a VAE
    assert 1 <= rec['replay_classes'] <= 10 and 0 <= rec['replay_balance'] <= 1 and 0.1 <= rec['replay_confidence'] <= 1
    assert ('vae_fidelity' in rec) == (replay == 'vae')
    if replay == 'vae':   # the VAE the run kept is the size asked for, and the compact one is smaller
        assert rec['replay_memory_mb'] == round(digits_vae_mb(**VAE_SIZES[size]), 3)
        if size == 'compact': assert rec['replay_memory_mb'] < 0.5 * digits_vae_mb()
    if replay == 'bank': assert abs(rec['replay_memory_mb'] - round(100 * 64 * 4 / 2**20, 3)) < 1e-9
    assert rec['replay_keep_all_mb'] == round(rec['steps'] * rec['batch_size'] * 64 * 4 / 2**20, 3)  # every novel sample, float32 8x8
    import torch
    mem = torch.load(tmp_path/'run'/'checkpoint.pt', weights_only=False)['source']['memory']
    assert ('bank' in mem and len(mem['bank']) == 100) if replay == 'bank' else ('vae' in mem and mem['updates'] > 0)
    assert (tmp_path/'run'/'replay_samples.png').stat().st_size > 1000   # generator samples beside replay samples

def test_distill_vae_kl_weight(tmp_path, digits_teacher):
    base = ('distill', '--method', 'dfad', '--data', 'digits', '--teacher', str(digits_teacher), '--teacher-arch', 'lenet5',
            '--student', 'lenet5_half', '--epochs', '1', '--steps-per-epoch', '12', '--device', 'cpu')
    run(*base, '--replay', 'vae', '--vae-kl', '0.001', '--out', str(tmp_path/'run'), '--results', str(tmp_path/'results'))
    f = next((tmp_path/'results').glob('*.json')); rec = json.loads(f.read_text())
    # the weight replaces the digits' 0.1, and names its own row and record
    assert rec['replay_kw'] == {'kl_weight': 0.001, **VAE_SIZES['paper']} and rec['method'] == 'dfad+vae-kl0.001'
    assert f.name.startswith('datafree_dfad_vae-kl0.001_digits')
    for bad in (('--replay', 'bank', '--vae-kl', '0.01'), ('--replay', 'vae', '--vae-kl', '-1')):
        p = run(*base, *bad, '--out', str(tmp_path/'x'), ok=False)
        assert p.returncode == 1 and '--vae-kl sets the KL weight' in p.stderr and not (tmp_path/'x').exists()

def test_online_dkel_digits_record(tmp_path):
    run('online', '--method', 'dkel', '--arch', 'resnet8', '--data', 'digits', '--epochs', '2', '--bs', '64', '--lr', '0.05',
        '--out', str(tmp_path/'run'), '--results', str(tmp_path/'results'), '--device', 'cpu')
    f = next((tmp_path/'results').glob('*.json')); rec = json.loads(f.read_text())
    assert f.name.startswith('online_dkel_digits_resnet8x3_') and '_ema' not in f.name   # the papers' decay: no tag
    assert rec['method'] == 'online_dkel' and rec['student'] == 'resnet8x3' and rec['student_acc'] > 0.5
    assert 0 <= rec['disagreement'] <= 1 and rec['acc_mean_teacher1'] is not None and rec['seconds_per_epoch'] > 0 and rec['ema'] == 0.999
    assert abs(weights_acc(tmp_path/'run'/'digits_resnet8_peer1.pt', 'resnet8') - rec['student_acc']) < 1e-6  # peer 1, standalone
    assert (tmp_path/'run'/'disagreement.png').stat().st_size > 1000   # peer diversity over training
    run('online', '--method', 'pcl', '--arch', 'wrn16_1', '--peers', '2', '--data', 'digits', '--epochs', '1', '--bs', '64',
        '--ema', '0.9', '--out', str(tmp_path/'wrn'), '--results', str(tmp_path/'wrn_results'), '--device', 'cpu')
    f = next((tmp_path/'wrn_results').glob('*.json')); rec = json.loads(f.read_text())
    assert f.name.startswith('online_pcl_digits_wrn16_1x2_ema0.9_') and rec['ema'] == 0.9   # another decay: its own record
    assert rec['student'] == 'wrn16_1x2' and abs(weights_acc(tmp_path/'wrn'/'digits_wrn16_1_peer1.pt', 'wrn16_1') - rec['student_acc']) < 1e-6
    import torch   # the decay reached the run itself, not only its record's name
    assert torch.load(tmp_path/'wrn'/'checkpoint.pt', weights_only=False)['settings']['ema'] == 0.9
    p = run('online', '--method', 'dkel', '--arch', 'lenet5', '--data', 'digits', '--epochs', '1', '--device', 'cpu',
            '--out', str(tmp_path/'x'), ok=False)
    assert p.returncode != 0 and 'ResNets and WRNs, not LeNet5' in p.stderr
    p = run('online', '--method', 'pcl', '--arch', 'resnet8', '--data', 'digits', '--ema', '1.5', '--device', 'cpu',
            '--out', str(tmp_path/'y'), ok=False)
    assert p.returncode != 0 and "ema must be a decay in [0, 1)" in p.stderr

def run_signalled(patch: str, *args):
    "Run `dfkd` in a Python where `patch`, run first, makes the process send itself a signal at a chosen point."
    code = f"import os, signal, sys\n{patch}\nfrom dfkd_nb.cli import main\nsys.exit(main(sys.argv[1:]))"
    return subprocess.run([sys.executable, '-c', code, *args], capture_output=True, text=True, cwd=ROOT, timeout=900)

SIGNALLED = {   # a command, and the weights file it leaves
    'distill': (['distill', '--method', 'cudfkd', '--replay', 'vae', '--student', 'lenet5_half', '--epochs', '3',
                 '--steps-per-epoch', '20', '--step-stats', 'true'], 'digits_lenet5_half.pt'),
    'online': (['online', '--method', 'dkel', '--arch', 'resnet8', '--epochs', '2', '--bs', '64', '--lr', '0.05'],
               'digits_resnet8_peer1.pt'),
    'kd': (['kd', '--objective', 'projector', '--student', 'lenet5_half', '--epochs', '2', '--bs', '64'], 'digits_lenet5_half.pt')}

@pytest.mark.parametrize('cmd', list(SIGNALLED))
def test_sigterm_saves_the_run_and_the_same_command_continues_it(tmp_path, digits_teacher, cmd):
    """SIGTERM in mid-epoch (the process sends it to itself after step 30, in epoch 2, as `timeout` would at a deadline):
    exit code 143 and a message; the same command then ends with the weights and log of a run that was never stopped,
    to the bit. CuDFKD with VAE replay (the generator's, memory's and student's states, step statistics), DKEL (the
    peers' data pass, their views and the mean teacher) and projector KD (the data pass and the projector)."""
    import re, torch
    args, weights = SIGNALLED[cmd]
    args = [*args, '--data', 'digits', '--device', 'cpu']
    if cmd != 'online': args += ['--teacher', str(digits_teacher), '--teacher-arch', 'lenet5']
    run(*args, '--out', str(tmp_path/'whole'))
    p = run_signalled("from dfkd_nb.learner import Learner\nstep = Learner.one_step\ndef one_step(self):\n    logs = step(self)\n"
                      "    if self.iter == 30: os.kill(os.getpid(), signal.SIGTERM)\n    return logs\nLearner.one_step = one_step",
                      *args, '--out', str(tmp_path/'cut'))
    assert p.returncode == 143, (p.returncode, p.stderr[-3000:])
    m = re.search(r'SIGTERM stopped training after step 30 \(step (\d+) of (\d+) in epoch 2\); the run is saved in', p.stderr)
    assert m and int(m[1]) + int(m[2]) == 30, p.stderr[-2000:]   # in mid-epoch: the 2nd epoch's steps after the 1st's
    assert p.stderr.rstrip().endswith('run the same command again to continue it'), p.stderr[-2000:]
    assert not (tmp_path/'cut'/'summary.json').exists() and len((tmp_path/'cut'/'log.jsonl').read_text().splitlines()) == 1
    run(*args, '--out', str(tmp_path/'cut'))
    whole, cut = (torch.load(tmp_path/d/weights) for d in ('whole', 'cut'))
    assert all(torch.equal(whole[k], cut[k]) for k in whole)
    logs = [[{k: v for k, v in json.loads(l).items() if k != 'seconds'} for l in (tmp_path/d/'log.jsonl').read_text().splitlines()]
            for d in ('whole', 'cut')]
    assert logs[0] == logs[1] and len(logs[0]) == int(args[args.index('--epochs') + 1]), logs
    if cmd == 'distill': assert 'moved' in logs[0][1]   # the step statistics' epoch sums came through too

def test_ctrl_c_in_a_regression_sweep_keeps_its_finished_jobs(tmp_path):
    "Ctrl-C while the sweep's second job runs: exit code 130, a message that names --resume, and --resume reuses the first."
    import numpy as np
    rng = np.random.default_rng(0)
    X = rng.normal(size=(300, 3)).astype('float32'); y = np.tanh(X @ rng.normal(size=3))
    (tmp_path/'toy').mkdir(); np.save(tmp_path/'toy'/'X.npy', X); np.save(tmp_path/'toy'/'y.npy', y)
    args = ['regress', '--data', str(tmp_path/'toy'), '--seeds', '1', '--students', '4', '--strategies', 'noise,direct',
            '--epochs', '3', '--teacher-epochs', '3', '--train-size', '200', '--workers', '1', '--out', str(tmp_path/'out')]
    p = run_signalled("signal.signal(signal.SIGINT, signal.default_int_handler)\n"   # as a terminal's job gets it (CI ignores it)
                      "import dfkd_nb.regression as R\njob, calls = R._strategy_job, []\ndef ctrl_c(*a, **k):\n    calls.append(1)\n"
                      "    if len(calls) == 2: os.kill(os.getpid(), signal.SIGINT)\n    return job(*a, **k)\nR._strategy_job = ctrl_c",
                      *args)
    assert p.returncode == 130 and 'dfkd regress: interrupted; its finished jobs are kept in' in p.stderr, (p.returncode, p.stderr[-2000:])
    assert '--resume continues' in p.stderr and 'Traceback' not in p.stderr, p.stderr[-2000:]
    kept = sorted(f.name.rsplit('_', 1)[-1] for f in (tmp_path/'out'/'jobs').iterdir())   # (names start with the data's path)
    assert kept == ['direct.json', 'settings.json', 'teachers.pt'], kept   # the teachers and the first strategy (the cheaper)
    p = run(*args, '--resume', 'true')
    assert sum('(resumed)' in l for l in p.stdout.splitlines() + p.stderr.splitlines()) == 2, p.stdout + p.stderr
