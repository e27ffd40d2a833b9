#!/usr/bin/python3
"""The notebook's networks in PyTorch, timed as `moderncnns benchmark` times the DL4J ones: random data at the
notebook's batch size and resolution, a warm-up, then training steps (SGD + cross-entropy) and inference passes.
Prints one JSON object with the same keys as `moderncnns benchmark --json`.

Needs Debian's python3-torch (development only). Debian's build defaults to one thread here: --threads sets it.

    /usr/bin/python3 tools/bench_models_pytorch.py --model lenet-bn --iterations 20 --threads 2
"""
import argparse
import json
import os
import resource
import sys
import time

import torch
from torch import nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import make_architecture_fixtures as notebook  # noqa: E402  (the notebook's model definitions)

PRESETS = {  # id: (constructor with the notebook's dropout, batch size, input side, learning rate)
    'alexnet': (lambda: notebook.alexnet(0.5), 128, 224, 0.01),
    'vgg11': (lambda: notebook.vgg(((1, 64), (1, 128), (2, 256), (2, 512), (2, 512)), 0.5), 128, 224, 0.05),
    'vgg11-small': (lambda: notebook.vgg(((1, 16), (1, 32), (2, 64), (2, 128), (2, 128)), 0.5), 128, 224, 0.05),
    'lenet-bn': (lambda: notebook.lenet_bn(0.0), 256, 28, 1.0),
    'resnet18': (lambda: notebook.resnet18(0.0), 256, 96, 0.05),
}


def conv_train_flops_per_image(net, side):
    """Floating-point operations of the convolutions in one training step, per image: the forward pass
    (2 x multiply-adds), the weight gradient (as many) and the input gradient (as many, except for the first layer,
    whose input needs none). Counted from the layers' real output shapes; the direct-convolution count, which is
    what oneDNN's and PyTorch's CPU kernels execute."""
    counts = []

    def hook(module, inputs, output):
        macs = output.numel() * (module.in_channels // module.groups) * module.kernel_size[0] * module.kernel_size[1]
        counts.append(macs)

    handles = [m.register_forward_hook(hook) for m in net.modules() if isinstance(m, nn.Conv2d)]
    with torch.no_grad():
        net.eval()
        net(torch.zeros(1, 1, side, side))
    for handle in handles:
        handle.remove()
    return 2 * (3 * sum(counts) - counts[0])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--model', required=True, choices=sorted(PRESETS))
    parser.add_argument('--batch-size', type=int)
    parser.add_argument('--iterations', type=int, default=10)
    parser.add_argument('--warmup', type=int, default=2)
    parser.add_argument('--threads', type=int, default=os.cpu_count())
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(42)
    make, preset_batch, side, lr = PRESETS[args.model]
    batch = args.batch_size or preset_batch
    net = make()
    x = torch.rand(batch, 1, side, side)
    y = torch.arange(batch) % 10
    loss_fn = nn.CrossEntropyLoss()
    optimizer = torch.optim.SGD(net.parameters(), lr=lr)

    def step():
        optimizer.zero_grad()
        loss_fn(net(x), y).backward()
        optimizer.step()

    net.train()
    for _ in range(args.warmup):
        step()
    start = time.perf_counter()
    for _ in range(args.iterations):
        step()
    train = batch * args.iterations / (time.perf_counter() - start)

    net.eval()
    with torch.no_grad():
        for _ in range(args.warmup):
            net(x)
        start = time.perf_counter()
        for _ in range(args.iterations):
            net(x)
        inference = batch * args.iterations / (time.perf_counter() - start)
    print(json.dumps({
        'model': args.model, 'batch_size': batch, 'input_size': side, 'iterations': args.iterations,
        'train_images_per_second': train, 'inference_images_per_second': inference,
        'peak_rss_bytes': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024, 'threads': args.threads,
        'backend': 'PyTorch ' + torch.__version__, 'allocator': allocator(),
        'conv_train_flops_per_image': conv_train_flops_per_image(net, side)}))


def allocator():
    """'jemalloc' when it is mapped into this process (LD_PRELOAD), else 'libc', as moderncnns benchmark says."""
    try:
        with open('/proc/self/maps') as maps:
            return 'jemalloc' if 'libjemalloc' in maps.read() else 'libc'
    except OSError:
        return 'libc'


if __name__ == '__main__':
    main()
