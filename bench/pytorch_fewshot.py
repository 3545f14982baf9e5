#!/usr/bin/env python3
"""Plain per-episode PyTorch reference for `cambench bench fewshot`: CloserLook's test-time recipe.

For each episode, one after another (as CloserLookFewShot's methods/baselinefinetune.py does): a
new head, Baseline (nn.Linear) or Baseline++ (cosine classifier: weight-normalised linear layer on
L2-normalised features, scale 2 for <= 200 classes), trained 100 epochs over the support set in
random minibatches of 4 with SGD (lr 0.01, momentum 0.9, dampening 0.9, weight decay 1e-3), then
query accuracy. Features are random non-negative class clusters of the same sizes as cambench's
bench (20 classes). The rate per episode is constant, so --episodes 60 is enough to time it.
Prints one JSON object.

    /usr/bin/python3 bench/pytorch_fewshot.py --way 5 --shot 5 --query 16 --dim 512 --threads 2
"""
import argparse
import json
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


class CosineHead(nn.Module):
    """Baseline++'s classifier: scale * cos(x, w_k) with a weight-normalised w_k = g_k v_k / |v_k|."""

    def __init__(self, dim, way):
        super().__init__()
        self.linear = nn.utils.weight_norm(nn.Linear(dim, way, bias=False), name="weight", dim=0)
        self.scale = 2.0 if way <= 200 else 10.0

    def forward(self, x):
        return self.scale * self.linear(x / (x.norm(dim=1, keepdim=True) + 1e-5))


def features(classes, per_class, dim, gen):
    means = torch.rand(classes, dim, generator=gen) * 0.6
    x = (means.repeat_interleave(per_class, 0) + torch.randn(classes * per_class, dim, generator=gen)).clamp_min(0)
    return x, torch.arange(classes).repeat_interleave(per_class)


def episode(x, y, classes, way, shot, query, gen):
    chosen = torch.randperm(classes, generator=gen)[:way]
    support, support_y, queries, query_y = [], [], [], []
    for k, c in enumerate(chosen.tolist()):
        rows = (y == c).nonzero().squeeze(1)
        rows = rows[torch.randperm(len(rows), generator=gen)]
        support.append(x[rows[:shot]])
        queries.append(x[rows[shot:shot + query]])
        support_y += [k] * shot
        query_y += [k] * query
    return torch.cat(support), torch.tensor(support_y), torch.cat(queries), torch.tensor(query_y)


def fine_tune(head, s, sy, q, qy, gen, epochs=100, batch=4):
    opt = torch.optim.SGD(head.parameters(), lr=0.01, momentum=0.9, dampening=0.9, weight_decay=1e-3)
    for _ in range(epochs):
        order = torch.randperm(len(s), generator=gen)
        for i in range(0, len(s), batch):
            rows = order[i:i + batch]
            opt.zero_grad()
            F.cross_entropy(head(s[rows]), sy[rows]).backward()
            opt.step()
    with torch.no_grad():
        return 100.0 * (head(q).argmax(1) == qy).float().mean().item()


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--way", type=int, default=5)
    ap.add_argument("--shot", type=int, default=5)
    ap.add_argument("--query", type=int, default=16)
    ap.add_argument("--dim", type=int, default=512)
    ap.add_argument("--episodes", type=int, default=60)
    ap.add_argument("--head", choices=["cosine", "linear"], default="cosine")
    ap.add_argument("--threads", type=int, default=2)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    gen = torch.Generator().manual_seed(1)
    classes = max(20, a.way)
    x, y = features(classes, a.shot + a.query + 4, a.dim, gen)
    accs = []
    t0 = time.perf_counter()
    for _ in range(a.episodes):
        s, sy, q, qy = episode(x, y, classes, a.way, a.shot, a.query, gen)
        head = CosineHead(a.dim, a.way) if a.head == "cosine" else nn.Linear(a.dim, a.way)
        accs.append(fine_tune(head, s, sy, q, qy, gen))
    seconds = time.perf_counter() - t0
    print(json.dumps({
        "framework": "pytorch-eager-per-episode", "torch": torch.__version__, "episodes": a.episodes,
        "seconds": seconds, "episodes_per_s": a.episodes / seconds, "way": a.way, "shot": a.shot,
        "query": a.query, "dim": a.dim, "head": a.head, "threads": a.threads,
        "mean_accuracy": sum(accs) / len(accs),
    }))


if __name__ == "__main__":
    main()
