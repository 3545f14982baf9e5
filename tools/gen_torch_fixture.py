#!/usr/bin/python3
"""Writes the PyTorch state_dict fixtures of TorchStateDictTest and FineTuneTest.

    /usr/bin/python3 tools/gen_torch_fixture.py [--check]

checkpoint.pt is what a training script typically saves: {'epoch', 'arch', 'state_dict', ...} with
DataParallel's 'module.' prefix, a transposed (non-contiguous) tensor, two slices sharing one
storage at offsets, float64, float16 and bfloat16 tensors, a 0-d tensor and an int64
num_batches_tracked. checkpoint.expected.json lists what cambench must read: every floating-point
tensor of the state_dict as float32, row-major, without the prefix. resnet8_backbone.pt (protocols
test resources) is the backbone of cambench's resnet8 on 3-channel inputs under its torchvision-style
names, float16 to keep it small, no classifier: FineTuneTest fine-tunes from it. --check only compares
the expected file with a fresh computation. Needs Debian's python3-torch.
"""
import argparse
import collections
import json
import os

import torch

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "harness", "src", "test", "resources",
                    "fixtures", "torch")


def state():
    g = torch.Generator().manual_seed(20261202)
    sd = collections.OrderedDict()
    sd["module.conv1.weight"] = torch.randn(4, 3, 3, 3, generator=g)
    sd["module.fc.weight"] = torch.randn(5, 6, generator=g).t()          # non-contiguous view
    shared = torch.randn(20, generator=g)
    sd["module.bn1.running_mean"] = shared[5:9]                          # offset 5 into one storage
    sd["module.bn1.running_var"] = shared[10:14].abs()
    sd["module.bn1.num_batches_tracked"] = torch.tensor(7)               # int64: skipped
    sd["module.proj.weight"] = torch.randn(3, 2, dtype=torch.float64, generator=g)
    sd["module.half.weight"] = torch.randn(2, 2, generator=g).half()
    sd["module.bf16.weight"] = torch.randn(3, generator=g).bfloat16()
    sd["module.scale"] = torch.tensor(1.5)
    return sd


def resnet8_backbone():
    """cambench's resnet8 (CRD/mdistiller CIFAR ResNet, one basic block per stage) without fc."""
    g = torch.Generator().manual_seed(8)
    sd = collections.OrderedDict()

    def conv(name, cout, cin, k):
        sd[name + ".weight"] = (torch.randn(cout, cin, k, k, generator=g) * (2.0 / (cin * k * k)) ** 0.5).half()

    def bn(name, c):
        sd[name + ".weight"] = (1 + 0.1 * torch.randn(c, generator=g)).half()
        sd[name + ".bias"] = (0.1 * torch.randn(c, generator=g)).half()
        sd[name + ".running_mean"] = (0.1 * torch.randn(c, generator=g)).half()
        sd[name + ".running_var"] = (1 + 0.1 * torch.rand(c, generator=g)).half()
        sd[name + ".num_batches_tracked"] = torch.tensor(100)

    conv("conv1", 16, 3, 3)
    bn("bn1", 16)
    cin = 16
    for stage, width in enumerate([16, 32, 64], start=1):
        block = "layer%d.0" % stage
        conv(block + ".conv1", width, cin, 3)
        bn(block + ".bn1", width)
        conv(block + ".conv2", width, width, 3)
        bn(block + ".bn2", width)
        if cin != width:
            conv(block + ".downsample.0", width, cin, 1)
            bn(block + ".downsample.1", width)
        cin = width
    return sd


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true")
    a = ap.parse_args()
    sd = state()
    expected = collections.OrderedDict()
    for name, t in sd.items():
        if t.is_floating_point():
            expected[name[len("module."):]] = {"shape": list(t.shape),
                                               "values": t.float().contiguous().flatten().tolist()}
    text = json.dumps(expected, indent=1) + "\n"
    path = os.path.join(HERE, "checkpoint.expected.json")
    if a.check:
        with open(path) as f:
            same = f.read() == text
        print("checkpoint.expected.json", "matches" if same else "DIFFERS")
        raise SystemExit(0 if same else 1)
    os.makedirs(HERE, exist_ok=True)
    torch.save({"epoch": 3, "arch": "fixture", "state_dict": sd, "best_acc1": torch.tensor(71.25),
                "lr": 0.1, "note": "caf\u00e9", "milestones": [2, 4], "flags": (True, None)},
               os.path.join(HERE, "checkpoint.pt"))
    with open(path, "w") as f:
        f.write(text)
    backbone_dir = os.path.join(HERE, "..", "..", "..", "..", "..", "..", "protocols", "src", "test", "resources",
                                "fixtures", "torch")
    os.makedirs(backbone_dir, exist_ok=True)
    torch.save(resnet8_backbone(), os.path.join(backbone_dir, "resnet8_backbone.pt"))
    print("wrote", os.path.join(HERE, "checkpoint.pt"), "checkpoint.expected.json and",
          os.path.normpath(os.path.join(backbone_dir, "resnet8_backbone.pt")))


if __name__ == "__main__":
    main()
