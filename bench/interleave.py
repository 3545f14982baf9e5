#!/usr/bin/env python3
"""Runs benchmark commands interleaved, round after round, and compares their medians.

    python3 bench/interleave.py --rounds 3 --field train_images_per_s \\
        glibc="CAMBENCH_ALLOCATOR=glibc ./cambench bench train --model wrn_16_4 --steps 20 --json" \\
        tcmalloc="CAMBENCH_ALLOCATOR=tcmalloc ./cambench bench train --model wrn_16_4 --steps 20 --json"

Each command prints one JSON object on stdout (its last line starting with "{" ... the whole
output is parsed first); --field names the number to compare (repeat --field for more). Round r
runs the commands in the order rotated by r, so that neither always runs first after a pause.
Prints every value, the median, min-max spread and each command's median over the first's, plus
the 1-minute load average before each run (the noise indicator on a shared machine).
Standard library only.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys


def parse_json(text):
    try:
        return json.loads(text)
    except ValueError:
        start = text.find("{")
        end = text.rfind("}")
        return json.loads(text[start:end + 1])


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--field", action="append", required=True, help="JSON field to compare (repeatable)")
    ap.add_argument("commands", nargs="+", help="NAME=COMMAND (run with bash)")
    a = ap.parse_args()
    named = []
    for c in a.commands:
        name, _, cmd = c.partition("=")
        named.append((name, cmd))
    values = {n: {f: [] for f in a.field} for n, _ in named}
    loads = {n: [] for n, _ in named}
    for r in range(a.rounds):
        order = named[r % len(named):] + named[:r % len(named)]
        for name, cmd in order:
            load = os.getloadavg()[0]
            out = subprocess.run(["bash", "-c", cmd], stdout=subprocess.PIPE, text=True, check=True).stdout
            d = parse_json(out)
            loads[name].append(load)
            for f in a.field:
                values[name][f].append(float(d.get(f, "nan")))
            print("round %d %-12s load %.1f  %s" % (r + 1, name, load,
                  "  ".join("%s=%.2f" % (f, values[name][f][-1]) for f in a.field)), file=sys.stderr, flush=True)
    first = named[0][0]
    for f in a.field:
        if len(named) > 1:
            print("%s: median over rounds of the ratio to %s's run of the same round (robust to load drifting"
                  " between rounds)" % (f, first))
            for name, _ in named[1:]:
                ratios = [v / b for v, b in zip(values[name][f], values[first][f])]
                print("  %-12s %.3fx  per round %s" % (name, statistics.median(ratios),
                                                    ",".join("%.2f" % x for x in ratios)))
        print("%s (median of %d rounds, [min, max], median / %s's; load = 1-min load average at start)"
              % (f, a.rounds, first))
        base = statistics.median(values[first][f])
        for name, _ in named:
            v = values[name][f]
            med = statistics.median(v)
            print("  %-12s %10.2f  [%.2f, %.2f]  %.3fx  load %s" % (name, med, min(v), max(v), med / base,
                  ",".join("%.1f" % x for x in loads[name])))


if __name__ == "__main__":
    main()
