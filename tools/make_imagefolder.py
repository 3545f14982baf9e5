#!/usr/bin/python3
"""Makes a synthetic ImageFolder tree of JPEGs at ImageNet-like sizes, for `cambench bench data`,
`cambench check` and memory tests of streamed folders.

    /usr/bin/python3 tools/make_imagefolder.py OUT [--classes 20] [--train 200] [--val 20] [--seed 1]

writes OUT/train/cNNN/*.jpg and OUT/val/cNNN/*.jpg (classes x per-class images). Sizes are drawn from
the common ImageNet shapes (500x375, 375x500, 500x333, 500x500, 400x300, 640x480, ...), quality 90,
content smooth colour fields with random shapes and noise so decoding costs about what a photo does.
Needs Pillow (Debian: apt-get install -y python3-pil). Prints the number of files and their decoded
size (sum of W x H x 3 bytes).
"""
import argparse
import os
import random

from PIL import Image, ImageDraw, ImageFilter

SIZES = [(500, 375), (375, 500), (500, 333), (333, 500), (500, 500), (400, 300), (640, 480), (500, 400),
         (450, 338), (300, 400)]


def picture(r, w, h, tint):
    img = Image.linear_gradient("L").resize((w, h)).convert("RGB")
    base = Image.new("RGB", (w, h), tint)
    img = Image.blend(img, base, 0.6)
    draw = ImageDraw.Draw(img)
    for _ in range(12):
        x0, y0 = r.randrange(w), r.randrange(h)
        x1, y1 = x0 + r.randrange(20, w // 2), y0 + r.randrange(20, h // 2)
        colour = tuple(r.randrange(256) for _ in range(3))
        (draw.ellipse if r.random() < 0.5 else draw.rectangle)((x0, y0, x1, y1), fill=colour)
    noise = Image.effect_noise((w, h), 40).convert("RGB")
    img = Image.blend(img, noise, 0.25)
    return img.filter(ImageFilter.SMOOTH)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out")
    ap.add_argument("--classes", type=int, default=20)
    ap.add_argument("--train", type=int, default=200, help="training images per class")
    ap.add_argument("--val", type=int, default=20, help="validation images per class")
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    r = random.Random(a.seed)
    files = 0
    decoded = 0
    for split, per in (("train", a.train), ("val", a.val)):
        for c in range(a.classes):
            d = os.path.join(a.out, split, "c%03d" % c)
            os.makedirs(d, exist_ok=True)
            tint = tuple(r.randrange(256) for _ in range(3))
            for i in range(per):
                w, h = r.choice(SIZES)
                picture(r, w, h, tint).save(os.path.join(d, "%s_%05d.jpg" % (split, i)), quality=90)
                files += 1
                decoded += w * h * 3
    print("%d files, decoded size %.1f MiB" % (files, decoded / 2 ** 20))


if __name__ == "__main__":
    main()
