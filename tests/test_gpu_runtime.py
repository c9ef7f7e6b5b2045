"""The GPU runtime's settings (bf16 autocast, channels_last) emulated on the CPU.

CI never has a GPU, so the CUDA code path would otherwise go untested until a benchmark runs on one. CPU autocast
supports bfloat16, and channels_last is a memory layout the CPU kernels accept, so every trainer can run here with
exactly the `Runtime` that `get_runtime('cuda')` builds, minus the device: dtype mix-ups (bf16 activations meeting
fp32 buffers, banks or losses), layout bugs and checkpoints of such runs show up in CI."""
import math
import pytest, torch
from conftest import cuda_runtime_on_cpu
from dfkd_nb.core import get_runtime, set_seed
from dfkd_nb.models import get_model
from dfkd_nb.learner import find_cb, Evaluate
from dfkd_nb.datafree import distill_datafree, DIGITS
from dfkd_nb.projector import distill_offline
from dfkd_nb.online import train_online

RT = cuda_runtime_on_cpu()   # get_runtime('cuda') on a CPU

def test_RT_is_what_get_runtime_builds_for_cuda(monkeypatch):
    "The emulation above stands for the real thing only while `get_runtime('cuda')` builds these settings."
    monkeypatch.setattr(torch.cuda, 'is_available', lambda: True)
    monkeypatch.setattr(torch.cuda, 'device_count', lambda: 1)
    flags = [(torch.backends.cudnn, 'benchmark'), (torch.backends.cudnn, 'allow_tf32'),
             (torch.backends.cuda.matmul, 'allow_tf32')]
    before = [getattr(mod, f) for mod, f in flags]
    try:
        rt = get_runtime('cuda')
        assert (rt.device, rt.amp_dtype, rt.channels_last) == (torch.device('cuda'), RT.amp_dtype, RT.channels_last)
        assert get_runtime('cuda', amp=False).amp_dtype is None and torch.backends.cudnn.benchmark
    finally:   # get_runtime switches these on for the process; put them back
        for (mod, f), v in zip(flags, before): setattr(mod, f, v)

def _fp32_and_finite(model):
    for n, p in model.named_parameters():
        assert p.dtype == torch.float32, f'{n} became {p.dtype}: autocast must not change parameter dtypes'
        assert p.isfinite().all(), n

def _changed(before, model): return any(not torch.equal(before[k], v) for k, v in model.state_dict().items() if v.is_floating_point())

@pytest.mark.parametrize('method,replay', [('cudfkd', 'vae'), ('cudfkd', 'bank'), ('dfad', 'none'), ('dafl', 'none')])
def test_datafree_under_bf16_channels_last_runs_and_resumes(tmp_path, digits, teacher, method, replay):
    kw = dict(eval_data=digits[1], steps_per_epoch=4, rt=RT, progress=False, replay=replay, bank_size=64, ckpt=tmp_path/'ck.pt', **DIGITS)
    set_seed(0); s = get_model('lenet5_half', in_channels=1); before = {k: v.clone() for k, v in s.state_dict().items()}
    a = distill_datafree(method, teacher, s, epochs=2, **kw)
    assert a.epoch == 2 and _changed(before, a.model)
    _fp32_and_finite(a.model)
    assert all(math.isfinite(h['loss']) for h in find_cb(a, Evaluate).history)
    b = distill_datafree(method, teacher, get_model('lenet5_half', in_channels=1), epochs=3, **kw)   # resumes from the checkpoint
    assert b.epoch == 3 and b.iter == 12
    if replay != 'none':
        x = b.source.next_batch(b)
        assert x.dtype == torch.float32 and x.shape[0] == DIGITS['batch_size'] + DIGITS['batch_size'] // 8

@pytest.mark.parametrize('objective', ['projector', 'kd'])
def test_offline_kd_under_bf16_channels_last(digits, teacher, objective):
    set_seed(0)
    learn = distill_offline(teacher, get_model('lenet5_half', in_channels=1), *digits, objective, epochs=6, bs=32, lr=0.05, rt=RT, progress=False)
    _fp32_and_finite(learn.model)
    assert find_cb(learn, Evaluate).history[-1]['acc'] > 0.35   # fp32 reaches 0.56-0.63 here, bf16 0.55-0.68; chance is 0.1
    for p in learn.parts.values(): _fp32_and_finite(p)

def test_online_dkel_under_bf16_channels_last(digits):
    set_seed(0)
    learn = train_online('dkel', *digits, arch='resnet8', peers=2, epochs=2, bs=32, lr=0.05, rt=RT, progress=False)
    assert learn.epoch == 2
    _fp32_and_finite(learn.model)
    conv = next(m.weight for m in learn.model.modules() if isinstance(m, torch.nn.Conv2d) and m.weight.shape[-1] > 1)
    assert conv.is_contiguous(memory_format=torch.channels_last)   # the runtime's layout reached the peers

def test_compiled_datafree_matches_eager_and_saves_plain_keys(tmp_path, digits, teacher, monkeypatch):
    """`compile=True` (CLI --compile) wraps only the forward passes: same losses as eager, checkpoints without `_orig_mod`.

    Dynamo traces the real graphs and AOT autograd builds their backward, but with the `aot_eager` backend: Inductor's
    C++ code generation costs 1.5 min of CI on a 2-core CPU and tests PyTorch's code generator, not this package."""
    from functools import partial
    from torch._dynamo.utils import counters
    monkeypatch.setattr(torch, 'compile', partial(torch.compile, backend='aot_eager'))
    torch._dynamo.reset(); counters.clear()
    hist = {}
    for comp in (False, True):
        set_seed(0)
        learn = distill_datafree('cudfkd', teacher, get_model('lenet5_half', in_channels=1), digits[1], epochs=1, steps_per_epoch=5,
                                 rt=RT, progress=False, compile=comp, ckpt=tmp_path/f'{comp}.pt', **DIGITS)
        hist[comp] = find_cb(learn, Evaluate).history[-1]
    assert counters['stats']['unique_graphs'] >= 3, counters['stats']   # teacher, student and generator were traced
    assert abs(hist[True]['loss'] - hist[False]['loss']) < 0.05 * abs(hist[False]['loss']) + 1e-3, hist
    ck = torch.load(tmp_path/'True.pt', weights_only=False)
    assert ck['model'].keys() == get_model('lenet5_half', in_channels=1).state_dict().keys()
