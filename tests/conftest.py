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
