#!/usr/bin/env python3
"""Sets two operator profiles side by side: self time per step of each op, PyTorch vs cambench.

    ./cambench bench train --model resnet20 --profile cb.json
    /usr/bin/python3 bench/pytorch_train.py --model resnet20 --warmup 40 --profile pt.json
    python3 bench/profile-compare.py pt.json cb.json [--steps 10] [--by-shape] [--top 40]

Both traces are JSON arrays of complete events (libtorch's legacy Chrome trace, which both tools
write, or {"traceEvents": [...]}). An event's self time is its duration minus those of the events
nested directly in it on the same thread, as cambench's OpProfile computes it. --by-shape keys ops
by their input shapes too, which tells layers apart (a conv on [128,16,32,32] is stage 1, on
[128,64,8,8] stage 3). Rows are sorted by the larger of the two self times; "diff" is cambench minus
PyTorch, ms per step; rows present on one side only show "-" on the other. Standard library only.
"""
import argparse
import json
from collections import defaultdict


def load(path):
    with open(path) as f:
        data = json.load(f)
    events = data["traceEvents"] if isinstance(data, dict) else data
    return [e for e in events if e.get("ph") == "X" and "dur" in e]


def shape_key(event):
    dims = [d for d in event.get("shape") or [] if d]
    return "x".join("[" + ",".join(str(v) for v in d) + "]" for d in dims)


def self_times(events, by_shape):
    """{key: [calls, self_us, total_us]} with key = name or (name, input shapes)."""
    threads = defaultdict(list)
    for e in events:
        threads[(str(e.get("pid")), str(e.get("tid")))].append(
            {"name": e["name"], "ts": float(e["ts"]), "dur": float(e["dur"]), "self": float(e["dur"]),
             "shape": shape_key(e) if by_shape else ""})
    out = defaultdict(lambda: [0, 0.0, 0.0])
    for evs in threads.values():
        evs.sort(key=lambda e: (e["ts"], -e["dur"]))
        stack = []
        for e in evs:
            while stack and stack[-1]["ts"] + stack[-1]["dur"] <= e["ts"]:
                stack.pop()
            if stack:
                stack[-1]["self"] -= e["dur"]
            stack.append(e)
        for e in evs:
            t = out[(e["name"], e["shape"])]
            t[0] += 1
            t[1] += e["self"]
            t[2] += e["dur"]
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("pytorch", help="trace from bench/pytorch_train.py --profile")
    ap.add_argument("cambench", help="trace from cambench bench train --profile")
    ap.add_argument("--steps", type=int, default=10, help="training steps in each trace (both write 10)")
    ap.add_argument("--by-shape", action="store_true", help="one row per op and input shapes (per layer)")
    ap.add_argument("--top", type=int, default=40, help="rows to print")
    a = ap.parse_args()
    pt = self_times(load(a.pytorch), a.by_shape)
    cb = self_times(load(a.cambench), a.by_shape)
    n = float(a.steps)
    keys = sorted(set(pt) | set(cb), key=lambda k: -max(pt.get(k, [0, 0])[1], cb.get(k, [0, 0])[1]))
    width = 90 if a.by_shape else 56

    def cell(t, i, fmt):
        return fmt % (t[i] / n / (1000.0 if i else 1.0)) if t else "-"

    print("%-*s %9s %9s %10s %10s %9s" % (width, "op (per step)", "pt_calls", "cb_calls", "pt_self_ms",
                                          "cb_self_ms", "diff_ms"))
    for k in keys[:a.top]:
        p, c = pt.get(k), cb.get(k)
        label = k[0] + ("  " + k[1] if k[1] else "")
        if len(label) > width:
            label = label[:width - 3] + "..."
        diff = ((c[1] if c else 0) - (p[1] if p else 0)) / n / 1000
        print("%-*s %9s %9s %10s %10s %+9.2f" % (width, label, cell(p, 0, "%.1f"), cell(c, 0, "%.1f"),
                                                 cell(p, 1, "%.2f"), cell(c, 1, "%.2f"), diff))
    pt_all = sum(t[1] for t in pt.values()) / n / 1000
    cb_all = sum(t[1] for t in cb.values()) / n / 1000
    pt_calls = sum(t[0] for t in pt.values()) / n
    cb_calls = sum(t[0] for t in cb.values()) / n
    print("%-*s %9.0f %9.0f %10.2f %10.2f %+9.2f" % (width, "all ops", pt_calls, cb_calls, pt_all, cb_all,
                                                     cb_all - pt_all))


if __name__ == "__main__":
    main()
