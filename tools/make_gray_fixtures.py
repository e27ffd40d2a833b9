#!/usr/bin/python3
"""Writes the image fixtures of PredictorTest: small PNG, GIF, BMP and JPEG files in every mode the JDK decodes,
and the 8-bit gray values Pillow's convert('L') gives for each (expected.json). Run with Debian's python3-pil
(Pillow 9.4 here):  /usr/bin/python3 tools/make_gray_fixtures.py
"""
import json
import pathlib

import numpy as np
from PIL import Image

out = pathlib.Path(__file__).resolve().parent.parent / "training/src/test/resources/fixtures/pillow-gray"
out.mkdir(parents=True, exist_ok=True)
rng = np.random.default_rng(5)
h, w = 17, 23
rgb = rng.integers(0, 256, (h, w, 3), dtype=np.uint8)
alpha = rng.integers(0, 256, (h, w), dtype=np.uint8)
gray = rng.integers(0, 256, (h, w), dtype=np.uint8)
images = {
    "rgb.png": Image.fromarray(rgb, "RGB"),
    "gray.png": Image.fromarray(gray, "L"),
    "gray-alpha.png": Image.fromarray(np.dstack([gray, alpha]), "LA"),
    "rgba.png": Image.fromarray(np.dstack([rgb, alpha]), "RGBA"),
    "palette.png": Image.fromarray(rgb, "RGB").quantize(64),
    # 16-bit gray: Pillow opens it in mode "I" and convert('L') clips at 255
    "gray16.png": Image.fromarray(rng.integers(0, 65536, (h, w), dtype=np.uint16), "I;16"),
    "gray16-low.png": Image.fromarray(rng.integers(0, 300, (h, w), dtype=np.uint16), "I;16"),
    "palette.gif": Image.fromarray(rgb, "RGB").quantize(64),
    "rgb.bmp": Image.fromarray(rgb, "RGB"),
    "gray.bmp": Image.fromarray(gray, "L"),
    "rgb.jpg": Image.fromarray(rgb, "RGB"),
    "gray.jpg": Image.fromarray(gray, "L"),
    "cmyk.jpg": Image.fromarray(rgb, "RGB").convert("CMYK"),
}
expected = {}
for name, image in images.items():
    image.save(out / name)
    reread = Image.open(out / name)
    expected[name] = {"mode": reread.mode, "gray": np.asarray(reread.convert("L")).flatten().tolist()}
(out / "expected.json").write_text(json.dumps(expected))
print(f"{len(images)} images and expected.json in {out}")
