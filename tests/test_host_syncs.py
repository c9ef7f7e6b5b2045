"""No host syncs in the inner loop (#3's speed requirement), checked on the CPU.

On a GPU, every operation whose result Python must read (`.item()`, `float(t)`, `if t:`) or whose output size depends
on the data (boolean masks, `nonzero`, `unique`, `bincount`) stops the host until the GPU's queue has drained, and
a loop that does so every step leaves the GPU idle between kernels. CI has no GPU, but every such operation reaches
PyTorch's dispatcher as one of a few ATen ops, on the CPU as on CUDA. A dispatch mode records them while the learner
runs its steps (everything between the first and the last step of an epoch: the source, the objective, backward, the
optimiser and the per-step callbacks); the epoch's end, where the loss is checked and the model evaluated, may sync.

Not counted: `.item()` that torch's own optimisers call on their step counters, which live on the host unless
`capturable=True`; and copies to the host (`.cpu()`), which a CPU run cannot tell from a no-op."""
import collections, traceback
import pytest, torch
from torch.utils._python_dispatch import TorchDispatchMode
from dfkd_nb.core import Runtime, set_seed
from dfkd_nb.data import load_digits, per_class_subset
from dfkd_nb.models import get_model
from dfkd_nb.learner import Learner, StepStats, train_classifier
from dfkd_nb.datafree import distill_datafree, DIGITS
from dfkd_nb.projector import distill_offline
from dfkd_nb.online import train_online

RT = Runtime(torch.device('cpu'), torch.bfloat16, channels_last=True)   # get_runtime('cuda')'s settings on a CPU
SYNCING = {'_local_scalar_dense', 'is_nonzero', 'equal', 'nonzero', 'masked_select', 'bincount',
           '_unique2', 'unique_dim', 'unique_consecutive', 'repeat_interleave'}

class HostSyncs(TorchDispatchMode):
    "Count the ATen ops that make a CUDA host wait, with where the first of each kind came from."
    def __init__(self, seen: collections.Counter, where: dict): super().__init__(); self.seen, self.where = seen, where
    def __torch_dispatch__(self, func, types, args=(), kwargs=None):
        name = func._schema.name.split('::')[-1]
        masked = name.startswith('index') and any(isinstance(a, (list, tuple)) and any(
            torch.is_tensor(i) and i.dtype == torch.bool for i in a) for a in args)   # x[mask], x[mask] = v
        if name in SYNCING or masked:
            stack = traceback.extract_stack()[:-1]
            if not any('/torch/optim/' in f.filename for f in stack):   # the optimisers' host-side step counters
                self.seen[name] += 1
                self.where.setdefault(name, ''.join(traceback.format_list(stack[-6:])))
        return func(*args, **(kwargs or {}))

@pytest.fixture
def syncs(monkeypatch):
    "Watch each step and each step's callbacks of every `Learner`; `log_every` so large that no loss check falls inside."
    seen, where = collections.Counter(), {}
    one_step, cb = Learner.one_step, Learner.cb
    def watched_step(self):
        self.log_every = 10**9
        with HostSyncs(seen, where): return one_step(self)
    def watched_cb(self, name):
        if name != 'after_step': return cb(self, name)
        with HostSyncs(seen, where): return cb(self, name)
    monkeypatch.setattr(Learner, 'one_step', watched_step); monkeypatch.setattr(Learner, 'cb', watched_cb)
    def report(): return dict(seen), '\n'.join(f'{k}:\n{v}' for k, v in where.items())
    return report

@pytest.fixture(scope='module')
def digits():
    tr, te = load_digits()
    return per_class_subset(tr, 20), per_class_subset(te, 10)

@pytest.fixture(scope='module')
def teacher(digits):
    set_seed(0)
    return train_classifier(get_model('lenet5', in_channels=1), *digits, epochs=1, bs=32, rt=RT, progress=False).model.eval()

def test_the_watch_sees_syncs(syncs):
    "The check can fail: an objective that reads its loss each step, or indexes with a mask, is caught."
    class Reads:
        def __call__(self, learn, batch):
            loss = learn.model(batch[0]).logsumexp(1)
            if loss.isfinite().all(): loss = loss[loss > -1e9]   # bool(tensor), then a boolean mask (and its backward)
            return loss.mean(), {}
    class Zeros:
        def next_batch(self, learn): return torch.ones(4, 2), None
    m = torch.nn.Linear(2, 2)
    Learner(m, torch.optim.SGD(m.parameters(), lr=0.1), Zeros(), Reads(), epochs=1, steps_per_epoch=3).fit()
    seen, _ = syncs()
    assert seen == dict(_local_scalar_dense=3, index=3, index_put=3), seen

@pytest.mark.parametrize('method,replay,extra', [
    ('cudfkd', 'none', {}), ('cudfkd', 'none', dict(self_paced='batch')), ('cudfkd', 'vae', {}), ('cudfkd', 'bank', {}),
    ('dfad', 'none', {}), ('dafl', 'none', {}), ('dfq', 'none', {})])
def test_datafree_steps_do_not_sync(syncs, digits, teacher, method, replay, extra):
    # 12 steps of kd_steps=5: three generator rounds, VAE updates and replay; the adversarial ramp reached (CuDFKD);
    # a time budget (read without syncing) and StepStats, which every GPU data-free run logs
    set_seed(0)
    learn = distill_datafree(method, teacher, get_model('lenet5_half', in_channels=1), digits[1], epochs=1, steps_per_epoch=12,
                             minutes=60, rt=RT, progress=False, replay=replay, bank_size=64, extra_cbs=[StepStats()],
                             **{**DIGITS, **extra})
    assert learn.iter == 12
    seen, where = syncs()
    assert not seen, f'{method} (replay {replay}) syncs every step: {seen}\n{where}'

@pytest.mark.parametrize('method', ['dkel', 'pcl', 'dml'])
def test_online_steps_do_not_sync(syncs, digits, method):
    set_seed(0)
    learn = train_online(method, *digits, arch='resnet8', peers=2, epochs=1, bs=64, rt=RT, progress=False)
    assert learn.iter == 3   # 200 images, batches of 64
    seen, where = syncs()
    assert not seen, f'{method} syncs every step: {seen}\n{where}'

@pytest.mark.parametrize('objective', ['projector', 'kd', 'feature_l2', 'ce'])
def test_offline_steps_do_not_sync(syncs, digits, teacher, objective):
    set_seed(0)
    learn = distill_offline(teacher, get_model('lenet5_half', in_channels=1), *digits, objective, epochs=1, bs=64, rt=RT,
                            progress=False)
    assert learn.iter == 3   # 200 images, batches of 64
    seen, where = syncs()
    assert not seen, f'{objective} syncs every step: {seen}\n{where}'

def test_regression_syncs_per_epoch_not_per_batch(tmp_path):
    """The regression engine has its own loop over epochs of batches: it may sync once an epoch (early stopping, the
    divergence check, the best-on-validation copy), never per batch. More batches per epoch, same count."""
    import numpy as np
    from dfkd_nb.regression import load_seeds, train_teachers, distill_regression
    rng = np.random.default_rng(0); X = rng.normal(size=(700, 3))
    np.save(tmp_path/'X.npy', X); np.save(tmp_path/'y.npy', np.sin(X[:, 0]) + X[:, 1] ** 2)
    data = load_seeds(tmp_path, [1, 2], train_size=480)
    def count(f, **kw):
        seen, where = collections.Counter(), {}
        with HostSyncs(seen, where): f(**kw)
        return dict(seen)
    teachers = [count(train_teachers, data=data, hidden=20, epochs=3, bs=bs, patience=100) for bs in (240, 48)]   # 2 or 10 batches
    assert teachers[0] == teachers[1] and teachers[0], teachers
    T, _ = train_teachers(data, hidden=20, epochs=3)
    for strategy in ('noise', 'generator', 'direct'):
        students = [count(distill_regression, teacher=T, data=data, strategy=strategy, student_hidden=(5,), epochs=3, ns=ns)
                    for ns in (2, 6)]
        assert students[0] == students[1] and students[0], (strategy, students)
