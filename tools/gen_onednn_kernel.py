#!/usr/bin/python3
"""Writes onednn_kernel.pt, the TorchScript module behind cambench's fused evaluation path.

    /usr/bin/python3 tools/gen_onednn_kernel.py [--check]

DJL 0.33 binds no oneDNN-layout ("mkldnn") tensor ops, but it runs TorchScript, and TorchScript
reaches every ATen op. This module is one method, forward(op, tensors, ints), that dispatches on an
op code to the handful of ops the fused path needs: conversion to and from oneDNN's blocked layout,
weight prepacking, convolution with bias and fused ReLU, in-place residual add, a whole
post-activation basic block in one call, max pooling, and evaluation-mode BatchNorm (+ ReLU) for
pre-activation nets. The op codes are OneDnnKernel.Op in
harness/src/main/java/cambench/harness/engine/OneDnnKernel.java; keep both in step. The module
holds no weights (the Java side passes them in), so the file is ~3 KB and its code is readable in
the zip (code/__torch__.py). Before writing, every op is checked against dense eager PyTorch.
--check only checks (nothing written). Needs Debian's python3-torch (1.13); libtorch 2.5.1 loads it.
"""
import argparse
import os
from typing import List

import torch
from torch import Tensor

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "harness", "src", "main", "resources",
                   "cambench", "harness", "engine", "onednn_kernel.pt")


class OneDnnKernel(torch.nn.Module):
    def forward(self, op: int, ts: List[Tensor], ints: List[int]) -> Tensor:
        if op == 0:  # TO_ONEDNN: dense NCHW -> oneDNN blocked layout
            return ts[0].to_mkldnn()
        if op == 1:  # TO_DENSE
            return ts[0].to_dense()
        if op == 2:  # PACK_CONV: weight -> the blocked layout the convolution wants; ints pad, stride, groups
            return torch._C._nn.mkldnn_reorder_conv2d_weight(
                ts[0].to_mkldnn(), [ints[0], ints[0]], [ints[1], ints[1]], [1, 1], ints[2])
        if op == 3:  # CONV: x, packed w, bias; ints pad, stride, groups, relu (0/1)
            y = torch.mkldnn_convolution(ts[0], ts[1], ts[2], [ints[0], ints[0]], [ints[1], ints[1]], [1, 1],
                                         ints[2])
            if ints[3] == 1:
                y = torch.relu_(y)
            return y
        if op == 4:  # ADD: ts[0] += ts[1] (in place), then ReLU when ints[0] == 1
            y = ts[0].add_(ts[1])
            if ints[0] == 1:
                y = torch.relu_(y)
            return y
        if op == 5:  # BASIC_BLOCK: relu(conv3x3(relu(conv3x3(x))) + shortcut); ts x, w1, b1, w2, b2[, wp, bp]
            s = ints[0]
            h = torch.relu_(torch.mkldnn_convolution(ts[0], ts[1], ts[2], [1, 1], [s, s], [1, 1], 1))
            h = torch.mkldnn_convolution(h, ts[3], ts[4], [1, 1], [1, 1], [1, 1], 1)
            if len(ts) == 7:
                h = h.add_(torch.mkldnn_convolution(ts[0], ts[5], ts[6], [0, 0], [s, s], [1, 1], 1))
            else:
                h = h.add_(ts[0])
            return torch.relu_(h)
        if op == 6:  # MAX_POOL: ints kernel, stride, padding (floor mode)
            return torch.max_pool2d(ts[0], [ints[0], ints[0]], [ints[1], ints[1]], [ints[2], ints[2]], [1, 1], False)
        if op == 7:  # BATCH_NORM (evaluation, eps 1e-5): x, gamma, beta, running mean, running var; ints relu
            y = torch.batch_norm(ts[0], ts[1], ts[2], ts[3], ts[4], False, 0.1, 1e-5, False)
            if ints[0] == 1:
                y = torch.relu_(y)
            return y
        raise RuntimeError("onednn_kernel: unknown op " + str(op))


def check(m):
    """Every op against dense eager PyTorch on random data (float32 rounding only)."""
    g = torch.Generator().manual_seed(7)
    x = torch.randn(4, 8, 10, 10, generator=g)
    w1, b1 = torch.randn(16, 8, 3, 3, generator=g), torch.randn(16, generator=g)
    w2, b2 = torch.randn(16, 16, 3, 3, generator=g), torch.randn(16, generator=g)
    wp, bp = torch.randn(16, 8, 1, 1, generator=g), torch.randn(16, generator=g)
    xm = m(0, [x], [])
    assert torch.equal(m(1, [xm], []), x)

    def pack(w, pad, stride):
        return m(2, [w], [pad, stride, 1])

    conv = m(1, [m(3, [xm, pack(w1, 1, 2), b1], [1, 2, 1, 1])], [])
    ref = torch.relu(torch.conv2d(x, w1, b1, 2, 1))
    assert (conv - ref).abs().max() < 1e-4, "conv"
    y = torch.randn(4, 8, 10, 10, generator=g)
    added = m(1, [m(4, [m(0, [x], []), m(0, [y], [])], [1])], [])
    assert torch.allclose(added, torch.relu(x + y)), "add"
    for stride, proj in ((1, False), (2, True)):
        xin = x if proj else torch.randn(4, 16, 10, 10, generator=g)
        ws = [w1, b1] if proj else [torch.randn(16, 16, 3, 3, generator=g), b1]
        tensors = [m(0, [xin], []), pack(ws[0], 1, stride), ws[1], pack(w2, 1, 1), b2]
        if proj:
            tensors += [pack(wp, 0, stride), bp]
        out = m(1, [m(5, tensors, [stride])], [])
        h = torch.conv2d(torch.relu(torch.conv2d(xin, ws[0], ws[1], stride, 1)), w2, b2, 1, 1)
        sc = torch.conv2d(xin, wp, bp, stride, 0) if proj else xin
        assert (out - torch.relu(h + sc)).abs().max() < 1e-4, "basic block"
    pooled = m(1, [m(6, [xm], [3, 2, 1])], [])
    assert torch.equal(pooled, torch.max_pool2d(x, 3, 2, 1)), "max pool"
    gamma, beta = torch.rand(8, generator=g) + 0.5, torch.randn(8, generator=g)
    mean, var = 0.1 * torch.randn(8, generator=g), torch.rand(8, generator=g) + 0.5
    bn = m(1, [m(7, [xm, gamma, beta, mean, var], [1])], [])
    ref = torch.relu(torch.batch_norm(x, gamma, beta, mean, var, False, 0.1, 1e-5, False))
    assert (bn - ref).abs().max() < 1e-5, "batch norm"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="check the ops only, write nothing")
    a = ap.parse_args()
    m = torch.jit.script(OneDnnKernel())
    with torch.no_grad():
        check(m)
    if not a.check:
        m.save(OUT)
        print("wrote", os.path.normpath(OUT), os.path.getsize(OUT), "bytes")
    else:
        print("all ops match eager PyTorch")


if __name__ == "__main__":
    main()
