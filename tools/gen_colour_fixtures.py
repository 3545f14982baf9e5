#!/usr/bin/python3
"""Writes the PyTorch references of ColourLightingTest: CutMix's ImageNet colour jitter and PCA
lighting on a small float image, with fixed step orders and weights.

Run with Debian's PyTorch (apt-get install -y python3-torch):
    /usr/bin/python3 tools/gen_colour_fixtures.py
Output: harness/src/test/resources/cambench/harness/data/colour/cutmix_colour.json. The reference
is written from the description of CutMix-PyTorch's utils.py (ColorJitter, Lighting): after
ToTensor, each step is x.lerp(g, a) with g = zeros (brightness), the grey image's mean
(contrast) or the grey image (saturation), grey = 0.299 R + 0.587 G + 0.114 B; lighting adds
(eigvec * alpha * eigval).sum(1) to the channels. The random draws are given, not drawn.
"""
import json
import os

import torch

OUT = os.path.join(os.path.dirname(__file__), "..", "harness", "src", "test", "resources", "cambench", "harness",
                   "data", "colour")
EIGVAL = [0.2175, 0.0188, 0.0045]
EIGVEC = [[-0.5675, 0.7192, 0.4009], [-0.5808, -0.0045, -0.8140], [-0.5836, -0.6948, 0.4203]]
STEPS = ["brightness", "contrast", "saturation"]


def image(c, h, w):
    """A deterministic uint8 image [c, h, w] from an LCG."""
    state = 2024
    values = []
    for _ in range(c * h * w):
        state = (state * 1103515245 + 12345) & 0x7FFFFFFF
        values.append((state >> 16) % 256)
    return values


def grey(x):
    g = x[0] * 0.299
    g = g + 0.587 * x[1]
    return g + 0.114 * x[2]


def jitter(x, order, alpha):
    for step, a in zip(order, alpha):
        name = STEPS[step]
        if name == "brightness":
            x = x.lerp(torch.zeros_like(x), a)
        elif name == "contrast":
            x = x.lerp(torch.full_like(x, float(grey(x).mean())), a)
        else:
            x = x.lerp(grey(x).unsqueeze(0).expand_as(x), a)
    return x


def lighting(x, alpha):
    a = torch.tensor(alpha, dtype=torch.float32)
    vec = torch.tensor(EIGVEC, dtype=torch.float32)
    val = torch.tensor(EIGVAL, dtype=torch.float32)
    rgb = vec.clone().mul(a.view(1, 3).expand(3, 3)).mul(val.view(1, 3).expand(3, 3)).sum(1)
    return x.add(rgb.view(3, 1, 1).expand_as(x))


def main():
    c, h, w = 3, 4, 5
    px = image(c, h, w)
    x0 = torch.tensor(px, dtype=torch.float32).view(c, h, w) / 255.0
    cases = []
    for order, alpha, light in [([0, 1, 2], [0.3, -0.2, 0.1], [0.0, 0.0, 0.0]),
                                ([2, 0, 1], [-0.39, 0.25, 0.6], [0.05, -0.12, 0.2]),
                                ([1, 2, 0], [0.0, 0.0, 0.0], [-0.1, 0.03, -0.07]),
                                ([1, 0, 2], [0.7, -0.4, -0.3], [0.11, 0.0, -0.02])]:
        a = [float(torch.tensor(v, dtype=torch.float32)) for v in alpha]
        l = [float(torch.tensor(v, dtype=torch.float32)) for v in light]
        y = lighting(jitter(x0.clone(), order, a), l)
        cases.append({"order": order, "alpha": a, "lighting": l, "expected": [float(v) for v in y.flatten()]})
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, "cutmix_colour.json"), "w") as f:
        json.dump({"channels": c, "height": h, "width": w, "pixels": px, "torch": torch.__version__,
                   "cases": cases}, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
