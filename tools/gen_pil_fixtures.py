#!/usr/bin/python3
"""Writes the Pillow reference images and random-resized-crop statistics for PilCompatTest.

Run with Debian's Pillow (apt-get install -y python3-pil):
    /usr/bin/python3 tools/gen_pil_fixtures.py
Outputs (small PNGs and one JSON file) go to
harness/src/test/resources/cambench/harness/data/pil/. Each reference is the torchvision
transform on a PIL image spelled out in Pillow calls (torchvision is not needed):
  Resize(24) -> img.resize((w', 24), BILINEAR); CenterCrop(S) -> crop at round((in - S) / 2);
  RandomResizedCrop -> img.crop(box).resize((S, S), BILINEAR); RandomHorizontalFlip -> transpose;
  CloserLook's ImageJitter -> ImageEnhance.Brightness/Contrast/Color(...).enhance(f) in that order;
  a CMYK JPEG and its convert("RGB").
"""
import json
import math
import os
import random

from PIL import Image, ImageEnhance

OUT = os.path.join(os.path.dirname(__file__), "..", "harness", "src", "test", "resources", "cambench", "harness",
                   "data", "pil")


def source(w, h):
    """A deterministic RGB test card: gradients, a checkerboard and LCG noise (PNG, lossless)."""
    img = Image.new("RGB", (w, h))
    px = img.load()
    state = 12345
    for y in range(h):
        for x in range(w):
            state = (state * 1103515245 + 12345) & 0x7FFFFFFF
            noise = (state >> 16) % 64
            check = 90 if ((x // 5) + (y // 4)) % 2 else 0
            px[x, y] = ((x * 255) // (w - 1), (y * 255) // (h - 1) // 2 + noise, (check + noise * 2) % 256)
    return img


def center_crop(img, s):
    w, h = img.size
    top = int(round((h - s) / 2.0))
    left = int(round((w - s) / 2.0))
    return img.crop((left, top, left + s, top + s))


def jitter(img, fb, fc, fs):
    img = ImageEnhance.Brightness(img).enhance(fb)
    img = ImageEnhance.Contrast(img).enhance(fc)
    return ImageEnhance.Color(img).enhance(fs)


def rrc_stats(h, w, n, seed):
    """torchvision RandomResizedCrop.get_params (scale 0.08-1, ratio 3/4-4/3, 10 tries, then the
    center fallback), drawn n times with Python's random: moments of area fraction and log ratio."""
    r = random.Random(seed)
    area = h * w
    fracs, logs = [], []
    for _ in range(n):
        box = None
        for _ in range(10):
            target = area * r.uniform(0.08, 1.0)
            ratio = math.exp(r.uniform(math.log(3 / 4), math.log(4 / 3)))
            cw = int(round(math.sqrt(target * ratio)))
            ch = int(round(math.sqrt(target / ratio)))
            if 0 < cw <= w and 0 < ch <= h:
                box = (ch, cw)
                break
        if box is None:
            in_ratio = w / h
            if in_ratio < 3 / 4:
                box = (min(h, int(round(w / (3 / 4)))), w)
            elif in_ratio > 4 / 3:
                box = (h, min(w, int(round(h * (4 / 3)))))
            else:
                box = (h, w)
        fracs.append(box[0] * box[1] / area)
        logs.append(math.log(box[1] / box[0]))

    def moments(v):
        m = sum(v) / len(v)
        sd = math.sqrt(sum((x - m) ** 2 for x in v) / (len(v) - 1))
        q = sorted(v)
        return {"mean": m, "sd": sd, "q10": q[len(q) // 10], "q50": q[len(q) // 2], "q90": q[9 * len(q) // 10]}

    return {"height": h, "width": w, "samples": n, "area_fraction": moments(fracs), "log_ratio": moments(logs)}


def main():
    os.makedirs(OUT, exist_ok=True)
    src = source(53, 37)
    src.save(os.path.join(OUT, "source.png"))
    bl = Image.BILINEAR
    # torchvision Resize(24) + CenterCrop(20): the shorter side (37) becomes 24, the longer int(24 * 53 / 37).
    short = src.resize((int(24 * 53 / 37), 24), bl)
    center_crop(short, 20).save(os.path.join(OUT, "short24_center20.png"))
    # RandomResizedCrop's resized_crop at top 5, left 7, height 20, width 30, to 16x16 (downscale).
    rrc = src.crop((7, 5, 37, 25)).resize((16, 16), bl)
    rrc.save(os.path.join(OUT, "box_t5_l7_h20_w30_to16.png"))
    # The same crop flipped, and an upscaling crop (12x9 box to 24x24).
    rrc.transpose(Image.FLIP_LEFT_RIGHT).save(os.path.join(OUT, "box_t5_l7_h20_w30_to16_flip.png"))
    src.crop((30, 20, 42, 29)).resize((24, 24), bl).save(os.path.join(OUT, "box_t20_l30_h9_w12_to24.png"))
    # Fine-grained recipe in miniature: Resize((40, 40)), crop 32 at top 3 left 5, flip.
    sq = src.resize((40, 40), bl)
    sq.crop((5, 3, 37, 35)).transpose(Image.FLIP_LEFT_RIGHT).save(os.path.join(OUT, "resize40_crop32_t3_l5_flip.png"))
    # CloserLook test transform in miniature: Resize((23, 23)) (int(20 * 1.15)), CenterCrop(20).
    center_crop(src.resize((23, 23), bl), 20).save(os.path.join(OUT, "resize23_center20.png"))
    # CloserLook's ImageJitter with fixed factors on the 16x16 crop (one factor > 1 clips).
    jitter(rrc, 1.3, 0.7, 1.25).save(os.path.join(OUT, "box16_jitter_b1.3_c0.7_s1.25.png"))
    jitter(rrc, 0.65, 1.35, 0.8).save(os.path.join(OUT, "box16_jitter_b0.65_c1.35_s0.8.png"))
    # A CMYK JPEG (Adobe, as Photoshop-made files in ImageNet) and Pillow's RGB of it.
    src.convert("CMYK").save(os.path.join(OUT, "cmyk.jpg"), quality=95)
    Image.open(os.path.join(OUT, "cmyk.jpg")).convert("RGB").save(os.path.join(OUT, "cmyk_rgb.png"))
    stats = {"pillow": Image.__version__ if hasattr(Image, "__version__") else "unknown",
             "rrc_400x300": rrc_stats(300, 400, 200000, 7), "rrc_100x400": rrc_stats(400, 100, 200000, 8)}
    with open(os.path.join(OUT, "rrc_stats.json"), "w") as f:
        json.dump(stats, f, indent=1, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    main()
