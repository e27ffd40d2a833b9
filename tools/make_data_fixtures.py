#!/usr/bin/python3
"""Writes the fmnist-data test fixtures from the reference implementation (PyTorch/torchvision).

Run with Debian's PyTorch (python3-torch, python3-torchvision), never needed at run time:

    /usr/bin/python3 tools/make_data_fixtures.py [--data /usr/share/datasets/fashion-mnist]

Outputs (committed under fmnist-data/src/test/resources/fixtures/):
  torch-random-split.json  torch.utils.data.random_split index lists, compact: count, first/last indices and the
                           SHA-256 of the whole list (one index per line, '\n'-terminated), for several seeds/sizes.
  torch-resize.bin.gz      real Fashion-MNIST images and their transforms.Resize(n) + ToTensor() output, as bytes.
  pil-resize-rect.bin      a 37x23 test pattern resized by Pillow to 28x28 and 50x10 (non-square, for predict).
"""
import argparse
import gzip
import hashlib
import json
import os
import struct

import numpy as np
import torch
import torchvision
from PIL import Image
from torchvision import transforms

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, '..', 'fmnist-data', 'src', 'test', 'resources', 'fixtures')

# (seed, lengths): the notebook's split for three seeds, a 64-bit seed, a three-way split and a small one.
SPLITS = [
    (42, [50000, 10000]),
    (0, [50000, 10000]),
    (7, [50000, 10000]),
    (2 ** 40 + 5, [50000, 10000]),
    (42, [30000, 20000, 10000]),
    (123, [100, 23]),
]

RESIZE_SOURCES = [('train', i) for i in range(16)] + [('test', i) for i in range(8)]
RESIZE_SIZES = [14, 96, 224]


def index_digest(indices):
    text = ''.join(f'{i}\n' for i in indices)
    return hashlib.sha256(text.encode('ascii')).hexdigest()


def split_fixtures():
    cases = []
    for seed, lengths in SPLITS:
        subsets = torch.utils.data.random_split(range(sum(lengths)), lengths,
                                                generator=torch.Generator().manual_seed(seed))
        cases.append({
            'seed': seed,
            'lengths': lengths,
            'subsets': [{
                'count': len(s.indices),
                'first': list(s.indices[:10]),
                'last': list(s.indices[-10:]),
                'sha256': index_digest(s.indices),
            } for s in subsets],
        })
    return {'torch': torch.__version__, 'cases': cases}


def read_idx_images(path):
    with gzip.open(path, 'rb') as f:
        magic, n, rows, cols = struct.unpack('>IIII', f.read(16))
        assert magic == 2051
        return np.frombuffer(f.read(), dtype=np.uint8).reshape(n, rows, cols)


def resize_fixture(data_dir):
    """Layout (big-endian ints): count, number of sizes, the sizes; then per image: subset (0 train, 1 test),
    index, 784 source bytes, then for each size n*n bytes of round(ToTensor(Resize(n)(img)) * 255)."""
    sets = {'train': read_idx_images(os.path.join(data_dir, 'train-images-idx3-ubyte.gz')),
            'test': read_idx_images(os.path.join(data_dir, 't10k-images-idx3-ubyte.gz'))}
    out = bytearray(struct.pack('>II', len(RESIZE_SOURCES), len(RESIZE_SIZES)))
    for n in RESIZE_SIZES:
        out += struct.pack('>I', n)
    for subset, index in RESIZE_SOURCES:
        pixels = sets[subset][index]
        out += struct.pack('>II', 0 if subset == 'train' else 1, index)
        out += pixels.tobytes()
        img = Image.fromarray(pixels, mode='L')  # exactly what torchvision.datasets.FashionMNIST does
        for n in RESIZE_SIZES:
            tensor = transforms.Compose([transforms.Resize(n), transforms.ToTensor()])(img)
            as_bytes = (tensor * 255).round().to(torch.uint8)
            # ToTensor is uint8 / 255 in float32, so the bytes are exact.
            assert torch.equal(as_bytes.float().div(255), tensor)
            out += as_bytes.numpy().tobytes()
    return bytes(out)


def rect_fixture():
    """Layout: width, height, pixels; then for each target (w, h): w, h, pixels (all ints big-endian, bytes raw)."""
    w, h = 37, 23
    pattern = np.array([[(x * 7 + y * 13 + (x * y) % 29) % 256 for x in range(w)] for y in range(h)], dtype=np.uint8)
    out = bytearray(struct.pack('>II', w, h)) + pattern.tobytes()
    for tw, th in [(28, 28), (50, 10)]:
        resized = np.asarray(Image.fromarray(pattern, mode='L').resize((tw, th), Image.BILINEAR), dtype=np.uint8)
        out += struct.pack('>II', tw, th) + resized.tobytes()
    return bytes(out)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--data', default='/usr/share/datasets/fashion-mnist')
    args = parser.parse_args()
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, 'torch-random-split.json'), 'w') as f:
        json.dump(split_fixtures(), f, indent=1)
        f.write('\n')
    with gzip.GzipFile(os.path.join(OUT, 'torch-resize.bin.gz'), 'wb', mtime=0) as f:
        f.write(resize_fixture(args.data))
    with open(os.path.join(OUT, 'pil-resize-rect.bin'), 'wb') as f:
        f.write(rect_fixture())
    print('torch', torch.__version__, 'torchvision', torchvision.__version__, '->', os.path.normpath(OUT))


if __name__ == '__main__':
    main()
