"""What replay costs at the CIFAR-10 benchmark's scale: FLOPs and seconds per student step of CuDFKD with no replay,
a sample bank and PRE-DFKD's VAE, for the benchmark's teacher-student pairs.

On the 8x8 digits the VAE is several times larger than the LeNet teacher, so its cost there says little about
CIFAR-10. FLOPs (forward and backward, counted with torch's formulas over whole generator rounds of the real
training loop) do not depend on the device; the seconds are those of the machine it runs on.
    python benchmarks/replay_cost.py [--pairs resnet34:resnet18 wrn40_2:wrn16_1] [--bs 64] [--rounds 3]
writes benchmarks/costs/replay_cost_<device>.json and prints a markdown table.
"""
import argparse, json, re, time
from contextlib import nullcontext
from pathlib import Path
from torch.utils._python_dispatch import TorchDispatchMode
from torch.utils.flop_counter import flop_registry
from dfkd_nb.core import get_runtime, run_info, save_json
from dfkd_nb.data import load_cifar10, per_class_subset
from dfkd_nb.models import load_teacher, get_model
from dfkd_nb.datafree import distill_datafree, get_method

class FlopCount(TorchDispatchMode):
    "Matmul and convolution FLOPs, forward and backward, by torch's own formulas (FlopCounterMode's module tracking breaks autograd.grad)."
    flops = 0
    def __torch_dispatch__(self, func, types, args=(), kwargs=None):
        out = func(*args, **(kwargs or {}))
        if (count := flop_registry.get(func._overloadpacket)): self.flops += count(*args, **(kwargs or {}), out_val=out)
        return out

def run(teacher, student_arch, data, replay, bs, rounds, rt, count_flops):
    "One CuDFKD run of `rounds` generator rounds; returns (seconds, FLOPs or None, the learner)."
    steps = rounds * get_method('cudfkd').kd_steps
    counter = FlopCount() if count_flops else None
    t0 = time.perf_counter()
    with counter or nullcontext():
        learn = distill_datafree('cudfkd', teacher, get_model(student_arch), data, epochs=1, steps_per_epoch=steps, rt=rt,
                                 progress=False, replay=replay, batch_size=bs)
    return time.perf_counter() - t0, counter.flops if counter else None, learn

if __name__ == '__main__':
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--pairs', nargs='+', default=['resnet34:resnet18', 'wrn40_2:wrn16_1'])
    ap.add_argument('--bs', type=int, default=64, help='synthesis batch (the benchmark uses 512; FLOPs scale with it)')
    ap.add_argument('--rounds', type=int, default=3, help='generator rounds of 10 student steps each')
    ap.add_argument('--device', default='auto')
    ap.add_argument('--out', default='benchmarks/costs')
    a = ap.parse_args()
    rt = get_runtime(a.device)
    data = per_class_subset(load_cifar10('test'), 1)  # evaluation is for reporting only: 10 images keep it negligible
    rows, recs = [], []
    for pair in a.pairs:
        t_arch, s_arch = pair.split(':')
        teacher = load_teacher(f'cifar10_{t_arch}.pt', t_arch, rt=rt)
        base = None
        for replay in ('none', 'bank', 'vae'):
            _, flops, learn = run(teacher, s_arch, data, replay, a.bs, a.rounds, rt, True)
            secs, _, _ = run(teacher, s_arch, data, replay, a.bs, a.rounds, rt, False)
            steps = learn.iter
            rec = dict(teacher=t_arch, student=s_arch, replay=replay, batch_size=a.bs, rounds=a.rounds, steps=steps,
                       gflops_per_step=round(flops / steps / 1e9, 2), seconds_per_step=round(secs / steps, 3),
                       replay_mb=round(learn.source.memory.megabytes(), 2) if replay != 'none' else None, **run_info(rt))
            base = base or rec
            rec['flops_vs_none'] = round(rec['gflops_per_step'] / base['gflops_per_step'], 3)
            rec['seconds_vs_none'] = round(rec['seconds_per_step'] / base['seconds_per_step'], 3)
            recs.append(rec); print(json.dumps(rec), flush=True)
    device = re.sub(r'\W+', '_', recs[0]['device']).strip('_')  # 'CPU (x86_64, 2 cores)' -> CPU_x86_64_2_cores
    out = Path(a.out)/f"replay_cost_{device}.json"
    save_json(recs, out)
    print(f"\n| teacher -> student | replay | GFLOPs per student step (batch {a.bs}) | x no replay | seconds per step | x no replay | replay memory MB |")
    print("|---|---|---|---|---|---|---|")
    for r in recs:
        print(f"| {r['teacher']} -> {r['student']} | {r['replay']} | {r['gflops_per_step']} | {r['flops_vs_none']} | "
              f"{r['seconds_per_step']} | {r['seconds_vs_none']} | {r['replay_mb'] if r['replay_mb'] is not None else '-'} |")
    print(f"wrote {out}")
