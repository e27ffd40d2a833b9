#!/usr/bin/python3
"""The notebook's data pipeline in PyTorch, timed the way DataPipelineBenchmark times ours.

torchvision.datasets.FashionMNIST + transforms.Resize(n) + ToTensor, random_split(50000/10000, seed 42), and a
DataLoader(shuffle=True, num_workers=2) exactly as load_data_fashion_mnist() builds it; one warm-up epoch, then one
timed epoch over the training split with the consumer doing nothing. Needs Debian's python3-torch and
python3-torchvision (never a runtime dependency of the project).

    /usr/bin/python3 tools/bench_data_pytorch.py [--data /usr/share/datasets/fashion-mnist] [--workers 2]
"""
import argparse
import gzip
import os
import resource
import shutil
import tempfile
import time

import torch
import torchvision
from torchvision import transforms

FILES = ['train-images-idx3-ubyte', 'train-labels-idx1-ubyte', 't10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte']


def unpack(data_dir, root):
    """torchvision reads unpacked files from root/FashionMNIST/raw (it checks Zalando's .gz MD5s otherwise)."""
    raw = os.path.join(root, 'FashionMNIST', 'raw')
    os.makedirs(raw, exist_ok=True)
    for name in FILES:
        with gzip.open(os.path.join(data_dir, name + '.gz'), 'rb') as src, open(os.path.join(raw, name), 'wb') as dst:
            shutil.copyfileobj(src, dst)


def epoch_rate(loader):
    start = time.perf_counter()
    n = 0
    for x, _ in loader:
        n += x.shape[0]
    seconds = time.perf_counter() - start
    return n / seconds, seconds


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--data', default='/usr/share/datasets/fashion-mnist')
    parser.add_argument('--workers', type=int, default=2)
    args = parser.parse_args()
    torch.set_num_threads(1)
    with tempfile.TemporaryDirectory() as root:
        unpack(args.data, root)
        print(f'PyTorch {torch.__version__}, torchvision {torchvision.__version__}, DataLoader num_workers={args.workers}')
        print(f'{"measurement":44s} {"images/s":>14s} {"seconds":>10s}')
        for batch_size, resize in [(256, None), (256, 96), (128, 224)]:
            trans = [transforms.ToTensor()]
            if resize:
                trans.insert(0, transforms.Resize(resize))
            train = torchvision.datasets.FashionMNIST(root=root, train=True, transform=transforms.Compose(trans),
                                                      download=False)
            train, _ = torch.utils.data.random_split(train, [50000, 10000],
                                                     generator=torch.Generator().manual_seed(42))
            loader = torch.utils.data.DataLoader(train, batch_size, shuffle=True, num_workers=args.workers)
            epoch_rate(loader)  # warm-up epoch
            rate, seconds = epoch_rate(loader)
            side = resize or 28
            print(f'{f"DataLoader batch {batch_size} at {side}x{side} (1 epoch)":44s} {rate:14,.0f} {seconds:10.2f}')
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(f'Peak resident memory: main process {own:,} kB, largest worker {workers:,} kB')


if __name__ == '__main__':
    main()
