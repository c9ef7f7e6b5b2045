"""What the inner loop does on a GPU, checked on the CPU: no host syncs (#3's speed requirement), channels_last
and bf16 convolutions all the way, no gradient computed that nothing uses.

On a GPU, every operation whose result Python must read (`.item()`, `float(t)`, `if t:`) or whose output size
depends on the data (boolean masks, `nonzero`, `unique`, `bincount`) stops the host until the GPU's queue has
drained, and a loop that does so every step leaves the GPU idle between kernels. A convolution whose input is not in
its weights' channels_last layout converts it first, a copy at every call, and one left out of bf16 autocast runs at
a fraction of the tensor cores' speed. CI has no GPU, but all three reach PyTorch's dispatcher as the same ATen ops
on the CPU as on CUDA. A dispatch mode records them while the learner runs its steps (everything between the first
and the last step of an epoch: the source, the objective, backward, the optimiser and the per-step callbacks) under
the runtime `get_runtime('cuda')` builds; the epoch's end, where the loss is checked and the model evaluated, may
sync.

Another watch counts the convolutions' backward passes: the teacher's weights never get a gradient, the student's
get none from the generator's adversarial term (#3: no teacher gradients where none are needed).

Not counted: `.item()` that torch's own optimisers call on their step counters, which live on the host unless
`capturable=True`; and copies to the host (`.cpu()`), which a CPU run cannot tell from a no-op."""
import collections, traceback
import pytest, torch
from conftest import cuda_runtime_on_cpu
from torch.utils._python_dispatch import TorchDispatchMode
from dfkd_nb.core import Runtime, set_seed
from dfkd_nb.models import get_model
from dfkd_nb.learner import Learner, CrossEntropy, StepStats
from dfkd_nb.datafree import distill_datafree, DIGITS
from dfkd_nb.projector import distill_offline
from dfkd_nb.online import train_online

RT = cuda_runtime_on_cpu()   # get_runtime('cuda')'s settings on a CPU
SYNCING = {'_local_scalar_dense', 'is_nonzero', 'equal', 'nonzero', 'masked_select', 'bincount',
           '_unique2', 'unique_dim', 'unique_consecutive', 'repeat_interleave'}

def host_sync(name, args):
    "The op's name if it makes a CUDA host wait: it reads a value, or sizes its output by the data (x[mask], x[mask] = v)."
    masked = name.startswith('index') and any(isinstance(a, (list, tuple)) and any(
        torch.is_tensor(i) and i.dtype == torch.bool for i in a) for a in args)
    return name if name in SYNCING or masked else None

def layout_copy(name, args):
    "What a 2-D convolution converts before it runs: an input or weight out of channels_last."
    if name != 'convolution' or args[0].ndim != 4: return None
    off = [k for k, t in (('input', args[0]), ('weight', args[1])) if not t.is_contiguous(memory_format=torch.channels_last)]
    return f"conv {' and '.join(off)} not channels_last" if off else None

def fp32_convolution(name, args):
    "A convolution that runs in fp32 under bf16 autocast: a part of the step left outside the runtime's autocast."
    return 'conv in fp32' if name == 'convolution' and args[0].dtype == torch.float32 else None

class Watch(TorchDispatchMode):
    "Count the ATen ops that `flag(name, args)` labels, with where (in this package) the first of each label came from."
    def __init__(self, flag, seen: collections.Counter, where: dict):
        super().__init__(); self.flag, self.seen, self.where = flag, seen, where
    def __torch_dispatch__(self, func, types, args=(), kwargs=None):
        label = self.flag(func._schema.name.split('::')[-1], args)
        if label:
            stack = traceback.extract_stack()[:-1]
            if not any('/torch/optim/' in f.filename for f in stack):   # the optimisers' host-side step counters
                self.seen[label] += 1
                self.where.setdefault(label, ' <- '.join(f'{f.name} ({f.filename.split("/")[-1]}:{f.lineno})'
                                                         for f in stack if 'dfkd_nb' in f.filename or 'test_' in f.filename))
        return func(*args, **(kwargs or {}))

def watched(flag, f, *args, **kw) -> tuple[dict, dict]:
    "What one call `f(*args, **kw)` dispatched that `flag` labels, and where."
    seen, where = collections.Counter(), {}
    with Watch(flag, seen, where): f(*args, **kw)
    return dict(seen), where

@pytest.fixture(params=[host_sync, layout_copy, fp32_convolution])
def steps_do(request, monkeypatch):
    """Watch each step and each step's callbacks of every `Learner` for one kind of op; returns what was seen and where.
    The losses are read every 4 steps (`test_losses_are_read_every_log_every_steps`), outside the watch, so that the
    progress bar shows them inside it."""
    seen, where = collections.Counter(), {}
    one_step, cb = Learner.one_step, Learner.cb
    def watched_step(self):
        self.log_every = 4
        with Watch(request.param, seen, where): return one_step(self)
    def watched_cb(self, name):
        if name != 'after_step': return cb(self, name)
        with Watch(request.param, seen, where): return cb(self, name)
    monkeypatch.setattr(Learner, 'one_step', watched_step); monkeypatch.setattr(Learner, 'cb', watched_cb)
    def report(): return dict(seen), '\n'.join(f'{k}: {v}' for k, v in where.items())
    report.flag = request.param
    return report

def test_the_watches_can_fail(steps_do):
    """The checks can fail: an objective that reads its loss each step and indexes with a mask is caught by the first;
    a model in channels_last fed images that are not, by the second; a learner left in fp32, by the third."""
    class Reads:
        def __call__(self, learn, batch):
            loss = learn.model(batch[0]).logsumexp((1, 2, 3))
            if loss.isfinite().all(): loss = loss[loss > -1e9]   # bool(tensor), then a boolean mask (and its backward)
            return loss.mean(), {}
    class Ones:
        def next_batch(self, learn): return torch.ones(4, 2, 5, 5), None   # NCHW, not channels_last
    m = torch.nn.Conv2d(2, 3, 3).to(memory_format=torch.channels_last)
    Learner(m, torch.optim.SGD(m.parameters(), lr=0.1), Ones(), Reads(), epochs=1, steps_per_epoch=3).fit()
    seen, where = steps_do()
    expected = {host_sync: dict(_local_scalar_dense=3, index=3, index_put=3), layout_copy: {'conv input not channels_last': 3},
                fp32_convolution: {'conv in fp32': 3}}   # a Learner without a runtime: fp32
    assert seen == expected[steps_do.flag], seen
    assert 'test_inner_loop.py' in where

@pytest.mark.parametrize('method,replay,extra', [
    ('cudfkd', 'none', {}), ('cudfkd', 'none', dict(self_paced='batch')), ('cudfkd', 'vae', {}), ('cudfkd', 'bank', {}),
    ('dfad', 'none', {}), ('dafl', 'none', {}), ('dfq', 'none', {})])
def test_datafree_steps(steps_do, digits, teacher, method, replay, extra):
    # 12 steps of kd_steps=5: three generator rounds, VAE updates and replay; the adversarial ramp reached (CuDFKD);
    # a time budget (read without syncing), the progress bar and StepStats, which every GPU data-free run logs
    set_seed(0)
    learn = distill_datafree(method, teacher, get_model('lenet5_half', in_channels=1), digits[1], epochs=1, steps_per_epoch=12,
                             minutes=60, rt=RT, progress=True, replay=replay, bank_size=64, extra_cbs=[StepStats()],
                             **{**DIGITS, **extra})
    assert learn.iter == 12
    seen, where = steps_do()
    assert not seen, f'{method} (replay {replay}) does this every step: {seen}\n{where}'

@pytest.mark.parametrize('method', ['dkel', 'pcl', 'dml'])
def test_online_steps(steps_do, digits, method):
    set_seed(0)
    learn = train_online(method, *digits, arch='resnet8', peers=2, epochs=1, bs=64, rt=RT, progress=False)
    assert learn.iter == 6   # 400 images, batches of 64
    seen, where = steps_do()
    assert not seen, f'{method} does this every step: {seen}\n{where}'

@pytest.mark.parametrize('objective', ['projector', 'kd', 'feature_l2', 'ce'])
def test_offline_steps(steps_do, digits, teacher, objective):
    set_seed(0)
    learn = distill_offline(teacher, get_model('lenet5_half', in_channels=1), *digits, objective, epochs=1, bs=64, rt=RT,
                            progress=False)
    assert learn.iter == 6   # 400 images, batches of 64
    seen, where = steps_do()
    assert not seen, f'{objective} does this every step: {seen}\n{where}'

@pytest.mark.parametrize('flag', [host_sync, layout_copy, fp32_convolution])
def test_evaluation_runs_like_the_steps(digits, teacher, flag):
    """The per-epoch evaluations, of a classifier with its teacher agreement and of online peers with their mean
    teachers: bf16 and channels_last convolutions, and reads of values only at the end, as many for 20 batches as
    for 2 (its one copy of the logits to the host a CPU cannot see)."""
    from dfkd_nb.models import evaluate
    from dfkd_nb.online import online_metrics, MultiBranch
    net = RT.model(MultiBranch('resnet8', 2, 10, 1))
    for f in (lambda bs: evaluate(teacher, digits[1], teacher=teacher, bs=bs, rt=RT),
              lambda bs: online_metrics(net, digits[1], mean=net, bs=bs, rt=RT)):
        (many, where), (few, _) = watched(flag, f, 10), watched(flag, f, 100)
        assert many == few and (flag == host_sync or not many), (many, few, where)

def test_losses_are_read_every_log_every_steps(monkeypatch):
    "The one read the steps make: the summed losses, every `log_every` steps and at the epoch's end."
    read, check = [], Learner._check
    monkeypatch.setattr(Learner, '_check', lambda self: (read.append(self.iter), check(self)))
    class Zeros:
        def next_batch(self, learn): return torch.zeros(4, 2), torch.zeros(4, dtype=torch.long)
    m = torch.nn.Linear(2, 2)
    Learner(m, torch.optim.SGD(m.parameters(), lr=0.1), Zeros(), CrossEntropy(), epochs=2, steps_per_epoch=25, log_every=20).fit()
    assert read == [20, 25, 40, 50], read

class WeightGrads(TorchDispatchMode):
    "Count the convolutions' backward passes by weight (its storage) and whether they compute the weight's gradient."
    def __init__(self): super().__init__(); self.seen = collections.Counter()
    def __torch_dispatch__(self, func, types, args=(), kwargs=None):
        if func._schema.name == 'aten::convolution_backward': self.seen[args[2].data_ptr(), bool(args[-1][1])] += 1
        return func(*args, **(kwargs or {}))
    def by(self, **modules):
        "{(module name, 'weight' or 'input only'): count}; fp32 only, as autocast hands convolutions bf16 copies."
        own = {p.data_ptr(): k for k, m in modules.items() for p in m.parameters()}
        out = collections.Counter()
        for (ptr, weight), n in self.seen.items(): out[own.get(ptr, '?'), 'weight' if weight else 'input only'] += n
        return dict(out)

@pytest.mark.parametrize('method,replay', [('cudfkd', 'vae'), ('dfad', 'none'), ('dafl', 'none'), ('dfq', 'none')])
def test_datafree_computes_no_weight_gradient_it_does_not_use(digits, teacher, method, replay):
    """#3: no teacher gradients where none are needed. The teacher's weights never get one (the generator and the VAE
    still need gradients through it, to their inputs); the student's get one per student step, none from the
    generator's adversarial term, which needs the student only as a path to the images; the generator's one per
    generator step; the VAE decoder's none while replay samples are inferred (only their codes are optimised)."""
    rt = Runtime(torch.device('cpu'), channels_last=True)
    set_seed(0); watch = WeightGrads()
    with watch: learn = distill_datafree(method, teacher, get_model('lenet5_half', in_channels=1), digits[1], epochs=1,
                                         steps_per_epoch=10, rt=rt, progress=False, replay=replay, **DIGITS)
    syn = learn.source.source if replay != 'none' else learn.source
    mods = dict(teacher=teacher, student=learn.model, generator=syn.G)
    if replay == 'vae': mods.update(decoder=learn.source.memory.vae.decoder, encoder=learn.source.memory.vae.encoder)
    seen = watch.by(**mods)
    convs = lambda m: sum(isinstance(c, torch.nn.Conv2d) for c in m.modules())
    rounds = -(-10 // syn.kd_steps) * syn.g_steps
    assert ('teacher', 'weight') not in seen and seen[('teacher', 'input only')] > 0, seen
    assert seen[('student', 'weight')] == 10 * convs(learn.model), seen
    assert seen[('generator', 'weight')] == rounds * convs(syn.G), seen
    if replay == 'vae':
        updates = learn.source.memory.updates
        assert seen[('decoder', 'weight')] == updates * convs(mods['decoder']) and seen[('decoder', 'input only')] > 0, seen
    assert ('?', 'weight') not in seen, seen

@pytest.mark.parametrize('objective', ['projector', 'kd'])
def test_offline_kd_runs_no_backward_through_the_teacher(digits, teacher, objective):
    rt = Runtime(torch.device('cpu'), channels_last=True)
    set_seed(0); watch = WeightGrads()
    with watch: learn = distill_offline(teacher, get_model('lenet5_half', in_channels=1), *digits, objective, epochs=1, bs=64,
                                        rt=rt, progress=False)
    seen = watch.by(teacher=teacher, student=learn.model)
    assert seen == {('student', 'weight'): 6 * 2}, seen   # 6 steps, 2 convolutions; no backward through the teacher

def test_regression_syncs_per_epoch_not_per_batch(tmp_path):
    """The regression engine has its own loop over epochs of batches: it may sync once an epoch (early stopping, the
    divergence check, the best-on-validation copy), never per batch. More batches per epoch, same count."""
    import numpy as np
    from dfkd_nb.regression import load_seeds, train_teachers, distill_regression
    rng = np.random.default_rng(0); X = rng.normal(size=(700, 3))
    np.save(tmp_path/'X.npy', X); np.save(tmp_path/'y.npy', np.sin(X[:, 0]) + X[:, 1] ** 2)
    data = load_seeds(tmp_path, [1, 2], train_size=480)
    count = lambda f, **kw: watched(host_sync, f, **kw)[0]
    teachers = [count(train_teachers, data=data, hidden=20, epochs=3, bs=bs, patience=100) for bs in (240, 48)]   # 2 or 10 batches
    assert teachers[0] == teachers[1] and teachers[0], teachers
    T, _ = train_teachers(data, hidden=20, epochs=3)
    for strategy in ('noise', 'generator', 'direct'):
        students = [count(distill_regression, teacher=T, data=data, strategy=strategy, student_hidden=(5,), epochs=3, ns=ns)
                    for ns in (2, 6)]
        assert students[0] == students[1] and students[0], (strategy, students)
