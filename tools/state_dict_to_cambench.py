#!/usr/bin/python3
"""Converts between a PyTorch state_dict (.pt, torch.save) and a cambench weights file (.params).

cambench reads backbones from its own weights format (docs/transfer.md: big-endian, magic
'CBCK', version 1, a JSON text ({"model": NAME}), then named float32 arrays) and reads zip-format
torch.save files directly (`train --backbone model.pt`). This script is for the rest (legacy
pre-1.6 files, other objects in the pickle) and for going back to PyTorch:

    tools/state_dict_to_cambench.py resnet50.pt resnet50.params --model resnet50
    tools/state_dict_to_cambench.py --to-pt run/weights/X.params X.pt

Names are kept as they are (a leading 'module.' of DataParallel is removed); cambench's models use
torchvision-style names (conv1.weight, layer1.0.bn1.running_mean, ..., fc.weight). Integer
tensors (num_batches_tracked) are skipped. A checkpoint dict holding 'state_dict' is unwrapped.
Needs python3-torch (Debian).
"""
import argparse
import json
import struct

import torch

MAGIC = 0x43424B43


def _utf(name):
    b = name.encode("utf-8")
    return struct.pack(">H", len(b)) + b


def write_params(path, arrays, meta):
    out = [struct.pack(">ii", MAGIC, 1)]
    text = json.dumps(meta).encode("utf-8")
    out.append(struct.pack(">i", len(text)) + text)
    out.append(struct.pack(">i", len(arrays)))
    for name, t in arrays.items():
        t = t.detach().to(torch.float32).contiguous().cpu()
        out.append(_utf(name))
        out.append(struct.pack(">i", t.dim()))
        out.append(b"".join(struct.pack(">q", d) for d in t.shape))
        out.append(t.numpy().astype(">f4").tobytes())
    with open(path, "wb") as f:
        f.write(b"".join(out))


def read_params(path):
    with open(path, "rb") as f:
        data = f.read()
    magic, version = struct.unpack_from(">ii", data, 0)
    if magic != MAGIC or version != 1:
        raise SystemExit(f"{path}: not a cambench weights file")
    pos = 8
    (n,) = struct.unpack_from(">i", data, pos)
    meta = json.loads(data[pos + 4:pos + 4 + n].decode("utf-8"))
    pos += 4 + n
    (count,) = struct.unpack_from(">i", data, pos)
    pos += 4
    arrays = {}
    for _ in range(count):
        (ln,) = struct.unpack_from(">H", data, pos)
        name = data[pos + 2:pos + 2 + ln].decode("utf-8")
        pos += 2 + ln
        (dims,) = struct.unpack_from(">i", data, pos)
        pos += 4
        shape = struct.unpack_from(">" + "q" * dims, data, pos)
        pos += 8 * dims
        size = 1
        for d in shape:
            size *= d
        values = torch.frombuffer(bytearray(data[pos:pos + 4 * size]), dtype=torch.float32)
        pos += 4 * size
        # stored big-endian: swap to native
        arrays[name] = torch.from_numpy(values.numpy().view(">f4").astype("<f4")).reshape(shape)
    return arrays, meta


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("source")
    p.add_argument("target")
    p.add_argument("--model", default="unknown", help="architecture name stored in the file (cambench list models)")
    p.add_argument("--to-pt", action="store_true", help="convert a cambench .params file to a state_dict .pt")
    a = p.parse_args()
    if a.to_pt:
        arrays, _ = read_params(a.source)
        torch.save(arrays, a.target)
        return
    sd = torch.load(a.source, map_location="cpu")
    if isinstance(sd, dict) and "state_dict" in sd and isinstance(sd["state_dict"], dict):
        sd = sd["state_dict"]
    arrays = {}
    for k, v in sd.items():
        if not torch.is_tensor(v) or not v.is_floating_point():
            continue
        arrays[k[len("module."):] if k.startswith("module.") else k] = v
    write_params(a.target, arrays, {"model": a.model, "source": a.source})


if __name__ == "__main__":
    main()
