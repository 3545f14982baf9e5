#!/usr/bin/env python3
"""Plain eager PyTorch reference for `cambench bench train`: the same CIFAR nets, batch, threads.

ResNet-20/56 as cambench's CifarResNet (3x3 stem 16, stages 16/32/64, post-activation basic
blocks, 1x1 conv + BN projection shortcuts where the shape changes) and WRN-16-4 as its
WideResNet (pre-activation, 1x1 conv shortcut); SGD momentum 0.9, weight decay 5e-4, cross
entropy, random data (no input pipeline), warm-up then timed steps. Prints one JSON object.
With --profile FILE, 10 more steps run under torch.profiler (--profile-eval FILE: 4 evaluation batches): a Chrome trace to FILE and the top
ops by self time to stderr (bench/profile-compare.py sets it beside cambench's).

    /usr/bin/python3 bench/pytorch_train.py --model resnet20 --classes 100 --batch 128 --threads 2
"""
import argparse
import json
import resource
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


class BasicBlock(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.downsample = None
        if stride != 1 or cin != cout:
            self.downsample = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        h = F.relu(self.bn1(self.conv1(x)))
        h = self.bn2(self.conv2(h))
        return F.relu(h + (x if self.downsample is None else self.downsample(x)))


class CifarResNet(nn.Module):
    def __init__(self, n, classes, cin=3):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, 16, 3, 1, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(16)
        layers, c = [], 16
        for s, w in enumerate([16, 32, 64]):
            for b in range(n):
                layers.append(BasicBlock(c, w, 2 if s > 0 and b == 0 else 1))
                c = w
        self.layers = nn.Sequential(*layers)
        self.fc = nn.Linear(c, classes)

    def forward(self, x):
        h = self.layers(F.relu(self.bn1(self.conv1(x))))
        return self.fc(h.mean((2, 3)))


class WideBlock(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.bn1 = nn.BatchNorm2d(cin)
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.shortcut = None if (stride == 1 and cin == cout) else nn.Conv2d(cin, cout, 1, stride, bias=False)

    def forward(self, x):
        o = F.relu(self.bn1(x))
        h = self.conv1(o)
        h = self.conv2(F.relu(self.bn2(h)))
        return h + (x if self.shortcut is None else self.shortcut(o))


class WideResNet(nn.Module):
    def __init__(self, depth, k, classes, cin=3):
        super().__init__()
        n = (depth - 4) // 6
        widths = [16 * k, 32 * k, 64 * k]
        self.conv1 = nn.Conv2d(cin, 16, 3, 1, 1, bias=False)
        layers, c = [], 16
        for s, w in enumerate(widths):
            for b in range(n):
                layers.append(WideBlock(c, w, 1 if s == 0 or b > 0 else 2))
                c = w
        self.layers = nn.Sequential(*layers)
        self.bn = nn.BatchNorm2d(c)
        self.fc = nn.Linear(c, classes)

    def forward(self, x):
        h = F.relu(self.bn(self.layers(self.conv1(x))))
        return self.fc(h.mean((2, 3)))


def build(name, classes):
    if name.startswith("resnet"):
        return CifarResNet((int(name[6:]) - 2) // 6, classes)
    if name.startswith("wrn_"):
        _, d, k = name.split("_")
        return WideResNet(int(d), int(k), classes)
    raise SystemExit("unknown model " + name + " (resnetN or wrn_D_K)")


def profile(path, step, steps):
    """Runs `steps` training steps under torch.profiler (shapes recorded) and writes a Chrome trace.

    The trace is written from the profiler's events, in the layout libtorch's legacy profiler (and so
    `cambench bench train --profile`) uses: a JSON array of complete events, each with its input
    shapes in "shape", so both sides can be compared per operator and shape.
    """
    from torch.profiler import ProfilerActivity
    with torch.profiler.profile(activities=[ProfilerActivity.CPU], record_shapes=True) as prof:
        for _ in range(steps):
            step()
    events = [{"name": e.name, "ph": "X", "ts": e.time_range.start, "dur": e.time_range.end - e.time_range.start,
               "tid": e.thread, "pid": "CPU Functions", "shape": [list(s) for s in (e.input_shapes or [])]}
              for e in prof.events()]
    with open(path, "w") as f:
        json.dump(events, f)
    print(prof.key_averages().table(sort_by="self_cpu_time_total", row_limit=30), file=sys.stderr)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", default="resnet20")
    ap.add_argument("--classes", type=int, default=100)
    ap.add_argument("--batch", type=int, default=128)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--steps", type=int, default=60)
    ap.add_argument("--warmup", type=int, default=10)
    ap.add_argument("--profile", metavar="FILE", help="profile 10 more steps: Chrome trace to FILE")
    ap.add_argument("--profile-eval", metavar="FILE", help="profile 4 more evaluation batches: Chrome trace to FILE")
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.set_num_interop_threads(1)
    torch.manual_seed(1)
    net = build(a.model, a.classes)
    opt = torch.optim.SGD(net.parameters(), lr=0.1, momentum=0.9, weight_decay=5e-4)
    x = torch.randn(a.batch, 3, 32, 32)
    y = torch.randint(0, a.classes, (a.batch,))

    def step():
        opt.zero_grad()
        loss = F.cross_entropy(net(x), y)
        loss.backward()
        opt.step()
        return loss.item()

    net.train()
    for _ in range(a.warmup):
        step()
    t0 = time.perf_counter()
    c0 = time.process_time()
    for _ in range(a.steps):
        step()
    train_s = time.perf_counter() - t0
    train_cpu_s = time.process_time() - c0
    if a.profile:
        profile(a.profile, step, 10)
    net.eval()
    with torch.inference_mode():
        for _ in range(3):
            net(x)
        t0 = time.perf_counter()
        for _ in range(a.steps // 2):
            net(x).argmax(1).tolist()
        eval_s = time.perf_counter() - t0
        if a.profile_eval:
            profile(a.profile_eval, lambda: net(x).argmax(1).tolist(), 4)
    print(json.dumps({
        "framework": "pytorch-eager", "torch": torch.__version__, "model": a.model, "classes": a.classes,
        "batch": a.batch, "threads": a.threads, "steps": a.steps,
        "train_images_per_s": a.steps * a.batch / train_s,
        "train_step_ms": 1000 * train_s / a.steps,
        "train_cpu_ms_per_step": 1000 * train_cpu_s / a.steps,
        "eval_images_per_s": (a.steps // 2) * a.batch / eval_s,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0,
    }))


if __name__ == "__main__":
    main()
