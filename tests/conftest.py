from pathlib import Path
import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent/'shared'

@pytest.fixture(autouse=True)
def _in_root(monkeypatch):
    "Run every test from the repository root, as the README's commands do."
    monkeypatch.chdir(ROOT)

def need_shared(*parts):
    "Skip with a reason when the project's shared data (../shared) is absent; CI always has it."
    p = SHARED.joinpath(*parts)
    return pytest.mark.skipif(not p.exists(), reason=f"needs {p}")

# The CUDA runtime's settings on a CPU (bf16 autocast, channels_last): what `get_runtime('cuda')` builds, minus the
# device; tests/test_gpu_runtime.py checks that it stays so.
def cuda_runtime_on_cpu():
    import torch
    from dfkd_nb.core import Runtime
    return Runtime(torch.device('cpu'), torch.bfloat16, channels_last=True)

@pytest.fixture(scope='session')
def digits():
    "A small class-balanced digits split: 400 training images, 200 test images."
    from dfkd_nb.data import load_digits, per_class_subset
    tr, te = load_digits()
    return per_class_subset(tr, 40), per_class_subset(te, 20)

@pytest.fixture(scope='session')
def teacher(digits):
    "A LeNet-5 trained under the CUDA runtime's settings on `digits` (frozen by the tests that distil it)."
    from dfkd_nb.core import set_seed
    from dfkd_nb.models import get_model
    from dfkd_nb.learner import train_classifier, find_cb, Evaluate
    set_seed(0)
    learn = train_classifier(get_model('lenet5', in_channels=1), *digits, epochs=6, bs=32, lr=0.05, rt=cuda_runtime_on_cpu(),
                             progress=False)
    assert find_cb(learn, Evaluate).history[-1]['acc'] > 0.5   # bf16 training still learns
    return learn.model.eval()
