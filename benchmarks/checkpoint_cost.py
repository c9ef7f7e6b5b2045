"""What a data-free run's checkpoint costs: its size, the seconds `atomic_save` takes to write it, and the seconds a
`Checkpoint` holds training up now that it writes in the background (the copy to the host, `host_copy`).

The state is CuDFKD's on CIFAR-10 with a ResNet-18 student, as `Learner.state_dict` holds it: the student and its SGD
momentum, and the `large` generator (nz 512, ngf 64) and its Adam moments. `distill_datafree` writes it after every
epoch, inside the run's wall-clock budget. The teacher is never saved. The file is written on this machine's disk;
on a GPU, copying the tensors to the host comes on top.

    python benchmarks/checkpoint_cost.py [--repeats 5] [--folder DIR]   # writes benchmarks/costs/checkpoint_cost_COMMIT.json
"""
import argparse, json, statistics, tempfile, time
from pathlib import Path
import torch
from dfkd_nb.core import atomic_save, rng_state, run_info, git_commit
from dfkd_nb.learner import Checkpoint
from dfkd_nb.models import get_model
from dfkd_nb.generators import get_generator

def cudfkd_state():
    "A state dict shaped like CuDFKD's R34 -> R18 run after its first steps (optimiser states filled in)."
    s = get_model('resnet18'); G = get_generator('large', nz=512, ngf=64, img_size=32, nc=3, mean=(0.5,) * 3, std=(0.25,) * 3)
    opt, gopt = torch.optim.SGD(s.parameters(), lr=0.1, momentum=0.9), torch.optim.Adam(G.parameters())
    for m, o in ((s, opt), (G, gopt)):
        for p in m.parameters(): p.grad = torch.zeros_like(p)
        o.step()
    return dict(model=s.state_dict(), opt=opt.state_dict(), parts={}, source=dict(G=G.state_dict(), opt=gopt.state_dict()),
                rng=rng_state(), iter=0, epoch=0, elapsed=0.)

def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--repeats', type=int, default=5); ap.add_argument('--folder', default=None)
    a = ap.parse_args()
    sd, folder = cudfkd_state(), Path(a.folder or tempfile.mkdtemp())
    secs = []
    for _ in range(a.repeats):
        t = time.perf_counter(); atomic_save(sd, folder/'checkpoint.pt'); secs.append(time.perf_counter() - t)
    ck, held = Checkpoint(folder/'background.pt'), []
    for _ in range(a.repeats):
        ck.wait(); t = time.perf_counter(); ck.save(sd); held.append(time.perf_counter() - t)
    ck.wait()
    meta = run_info()
    out = dict(what='CuDFKD CIFAR-10 checkpoint, ResNet-18 student, large generator (nz 512, ngf 64)',
               megabytes=round((folder/'checkpoint.pt').stat().st_size / 2**20, 1), seconds=[round(s, 3) for s in secs],
               median_seconds=round(statistics.median(secs), 3), background_held_seconds=[round(s, 3) for s in held],
               background_median_held_seconds=round(statistics.median(held), 3), **meta)
    path = Path(__file__).parent/'costs'/f"checkpoint_cost_{git_commit()}.json"
    path.write_text(json.dumps(out, indent=2) + '\n'); print(json.dumps(out, indent=2)); print('wrote', path)

if __name__ == '__main__': main()
