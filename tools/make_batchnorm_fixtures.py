#!/usr/bin/python3
"""Writes the PyTorch reference for re-estimating batch-norm statistics (training's BatchNormStatistics).

BN-LeNet with the formula parameters of make_architecture_fixtures.py goes through
torch.optim.swa_utils.update_bn over three fixed minibatches (16 images each, x = 0.5 + 0.5 sin(0.1 k + b) for
element k of minibatch b), in float64. The .npz holds the float32 state_dict before (its running statistics are the
formula's, which update_bn discards) and, under "expected.<buffer>", every running mean and variance after.
Run with Debian's PyTorch (development only):

    /usr/bin/python3 tools/make_batchnorm_fixtures.py
"""
import os
import sys

import numpy as np
import torch
from torch.optim.swa_utils import update_bn

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from make_architecture_fixtures import fill, lenet_bn  # noqa: E402

OUT = os.path.join(HERE, '..', 'training', 'src', 'test', 'resources', 'fixtures', 'torch-precise-bn-lenet.npz')
BATCHES, BATCH, SIZE = 3, 16, 28


def minibatch(b):
    n = BATCH * SIZE * SIZE
    x = 0.5 + 0.5 * np.sin(0.1 * np.arange(n, dtype=np.float64) + b)
    return torch.from_numpy(x.astype(np.float32).reshape(BATCH, 1, SIZE, SIZE)).double()


def main():
    torch.manual_seed(0)
    net = lenet_bn(0.0)
    fill(net)
    arrays = {k: v.numpy().copy() for k, v in net.state_dict().items()}
    net = net.double()
    update_bn([minibatch(b) for b in range(BATCHES)], net)
    for name, buffer in net.named_buffers():
        if name.endswith('running_mean') or name.endswith('running_var'):
            arrays['expected.' + name] = buffer.numpy().copy()
    np.savez(OUT, **arrays)
    print('wrote', os.path.normpath(OUT), 'torch', torch.__version__)


if __name__ == '__main__':
    main()
