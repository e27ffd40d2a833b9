#!/usr/bin/python3
"""Writes the PyTorch reference results that prove the DL4J networks compute the notebook's functions.

For each notebook model: every parameter and batch-norm buffer is set by a deterministic formula that the Java test
computes too (no random generator), a fixed input batch goes through the model, and the script records
  - log-softmax of the logits in training mode (batch statistics) and in inference mode (running statistics),
  - the cross-entropy loss, the L2 norm of each parameter's gradient,
  - each parameter's L2 norm after one SGD step at the notebook's learning rate, and the batch-norm running
    statistics after that step.
Dropout is set to p=0 so both sides are deterministic, and both sides compute in float64. For BN-LeNet it also saves the formula's state_dict as .npz,
for the weight-import test. Run with Debian's PyTorch (development only):

    /usr/bin/python3 tools/make_architecture_fixtures.py
"""
import json
import math
import os

import numpy as np
import torch
from torch import nn

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, '..', 'architectures', 'src', 'test', 'resources', 'fixtures')


# ---- the notebook's models, verbatim except dropout p (a parameter here, 0 for the comparison) ----

def alexnet(p):
    return nn.Sequential(
        nn.Conv2d(1, 96, kernel_size=11, stride=4, padding=1), nn.ReLU(),
        nn.MaxPool2d(kernel_size=3, stride=2),
        nn.Conv2d(96, 256, kernel_size=5, padding=2), nn.ReLU(),
        nn.MaxPool2d(kernel_size=3, stride=2),
        nn.Conv2d(256, 384, kernel_size=3, padding=1), nn.ReLU(),
        nn.Conv2d(384, 384, kernel_size=3, padding=1), nn.ReLU(),
        nn.Conv2d(384, 256, kernel_size=3, padding=1), nn.ReLU(),
        nn.MaxPool2d(kernel_size=3, stride=2),
        nn.Flatten(),
        nn.Linear(6400, 4096), nn.ReLU(),
        nn.Dropout(p=p),
        nn.Linear(4096, 4096), nn.ReLU(),
        nn.Dropout(p=p),
        nn.Linear(4096, 10))


def vgg_block(num_convs, in_channels, out_channels):
    layers = []
    for _ in range(num_convs):
        layers.append(nn.Conv2d(in_channels, out_channels, kernel_size=3, padding=1))
        layers.append(nn.ReLU())
        in_channels = out_channels
    layers.append(nn.MaxPool2d(kernel_size=2, stride=2))
    return nn.Sequential(*layers)


def vgg(conv_arch, p):
    conv_blks = []
    in_channels = 1
    for (num_convs, out_channels) in conv_arch:
        conv_blks.append(vgg_block(num_convs, in_channels, out_channels))
        in_channels = out_channels
    return nn.Sequential(
        *conv_blks, nn.Flatten(),
        nn.Linear(out_channels * 7 * 7, 4096), nn.ReLU(), nn.Dropout(p),
        nn.Linear(4096, 4096), nn.ReLU(), nn.Dropout(p),
        nn.Linear(4096, 10))


def lenet_bn(p):
    return nn.Sequential(
        nn.Conv2d(1, 6, kernel_size=5), nn.BatchNorm2d(6), nn.Sigmoid(),
        nn.AvgPool2d(kernel_size=2, stride=2),
        nn.Conv2d(6, 16, kernel_size=5), nn.BatchNorm2d(16), nn.Sigmoid(),
        nn.AvgPool2d(kernel_size=2, stride=2), nn.Flatten(),
        nn.Linear(256, 120), nn.BatchNorm1d(120), nn.Sigmoid(),
        nn.Linear(120, 84), nn.BatchNorm1d(84), nn.Sigmoid(),
        nn.Linear(84, 10))


class Residual(nn.Module):
    def __init__(self, input_channels, num_channels, use_1x1conv=False, strides=1):
        super().__init__()
        self.conv1 = nn.Conv2d(input_channels, num_channels, kernel_size=3, padding=1, stride=strides)
        self.bn1 = nn.BatchNorm2d(num_channels)
        self.conv2 = nn.Conv2d(num_channels, num_channels, kernel_size=3, padding=1)
        self.bn2 = nn.BatchNorm2d(num_channels)
        if use_1x1conv:
            self.conv3 = nn.Conv2d(input_channels, num_channels, kernel_size=1, stride=strides)
        else:
            self.conv3 = None

    def forward(self, X):
        Y = nn.ReLU()(self.bn1(self.conv1(X)))
        Y = self.bn2(self.conv2(Y))
        if self.conv3:
            X = self.conv3(X)
        Y += X
        return nn.ReLU()(Y)


def resnet_block(input_channels, num_channels, num_residuals, first_block=False):
    blk = []
    for i in range(num_residuals):
        if i == 0 and not first_block:
            blk.append(Residual(input_channels, num_channels, use_1x1conv=True, strides=2))
        else:
            blk.append(Residual(num_channels, num_channels))
    return blk


def resnet18(p):
    b1 = nn.Sequential(nn.Conv2d(1, 64, kernel_size=7, stride=2, padding=3), nn.BatchNorm2d(64), nn.ReLU(),
                       nn.MaxPool2d(kernel_size=3, stride=2, padding=1))
    b2 = nn.Sequential(*resnet_block(64, 64, 2, first_block=True))
    b3 = nn.Sequential(*resnet_block(64, 128, 2))
    b4 = nn.Sequential(*resnet_block(128, 256, 2))
    b5 = nn.Sequential(*resnet_block(256, 512, 2))
    return nn.Sequential(b1, b2, b3, b4, b5, nn.AdaptiveAvgPool2d((1, 1)), nn.Flatten(), nn.Linear(512, 10))


# id, constructor, input size, batch, notebook learning rate
MODELS = [
    ('alexnet', lambda: alexnet(0.0), 224, 2, 0.01),
    ('vgg11', lambda: vgg(((1, 64), (1, 128), (2, 256), (2, 512), (2, 512)), 0.0), 224, 2, 0.05),
    ('vgg11-small', lambda: vgg(((1, 16), (1, 32), (2, 64), (2, 128), (2, 128)), 0.0), 224, 2, 0.05),
    ('lenet-bn', lambda: lenet_bn(0.0), 28, 8, 1.0),
    ('resnet18', lambda: resnet18(0.0), 96, 4, 0.05),
]


# ---- the deterministic values, computed identically by ArchitectureFixture.java ----

def kind_of(name, tensor, bn_modules):
    module = name.rsplit('.', 1)[0]
    leaf = name.rsplit('.', 1)[1]
    if module in bn_modules:
        return {'weight': 'bn_weight', 'bias': 'bn_bias', 'running_mean': 'running_mean',
                'running_var': 'running_var'}[leaf]
    return 'weight' if leaf == 'weight' else 'bias'


def uniform(n, t):
    """n values in [-1, 1) from SplitMix64 of (k + (t + 1) * golden gamma): integer arithmetic, exact on both sides."""
    with np.errstate(over='ignore'):
        z = np.arange(n, dtype=np.uint64) + np.uint64(t + 1) * np.uint64(0x9E3779B97F4A7C15)
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        z = z ^ (z >> np.uint64(31))
    return (z >> np.uint64(11)).astype(np.float64) * 2.0 ** -53 * 2.0 - 1.0


def formula(kind, shape, t):
    n = int(np.prod(shape))
    s = uniform(n, t)
    if kind == 'weight':
        fan_in = shape[1] * int(np.prod(shape[2:]))
        v = math.sqrt(6.0 / fan_in) * s  # uniform with variance 2 / fan_in (He)
    elif kind == 'bias' or kind == 'bn_bias' or kind == 'running_mean':
        v = 0.1 * s
    elif kind == 'bn_weight':
        v = 1.0 + 0.1 * s
    else:  # running_var
        v = 1.0 + 0.25 * (1.0 + s)
    return torch.from_numpy(v.astype(np.float32).reshape(shape))


def make_input(batch, size):
    n = batch * size * size
    x = 0.5 + 0.5 * np.sin(0.1 * np.arange(n, dtype=np.float64))
    return torch.from_numpy(x.astype(np.float32).reshape(batch, 1, size, size))


def fill(net):
    bn_modules = {name for name, m in net.named_modules() if isinstance(m, (nn.BatchNorm1d, nn.BatchNorm2d))}
    entries = []
    state = net.state_dict()
    with torch.no_grad():
        for t, (name, tensor) in enumerate((k, v) for k, v in state.items() if not k.endswith('num_batches_tracked')):
            kind = kind_of(name, tensor, bn_modules)
            tensor.copy_(formula(kind, list(tensor.shape), t))
            entries.append({'name': name, 'shape': list(tensor.shape), 'kind': kind})
    return entries


def rounded(values):
    return [float(f'{v:.12g}') for v in values]


def run(model_id, make, size, batch, lr):
    torch.manual_seed(0)
    net = make()
    entries = fill(net)
    # float64 on both sides: the comparison then tests the function, not float32 rounding (which alone moves these
    # gradient norms by up to 0.7 % between PyTorch's own float32 and float64 runs)
    net = net.double()
    x = make_input(batch, size).double()
    y = torch.tensor([(3 * i + 1) % 10 for i in range(batch)])
    loss_fn = nn.CrossEntropyLoss()

    net.eval()
    with torch.no_grad():
        eval_log_probs = torch.log_softmax(net(x), dim=1)

    net.train()
    logits = net(x)
    loss = loss_fn(logits, y)
    optimizer = torch.optim.SGD(net.parameters(), lr=lr)
    optimizer.zero_grad()
    loss.backward()
    grad_norms = {name: float(p.grad.norm()) for name, p in net.named_parameters()}
    optimizer.step()
    post_norms = {name: float(p.detach().norm()) for name, p in net.named_parameters()}
    running = {name: rounded(b.flatten().tolist()) for name, b in net.named_buffers()
               if name.endswith('running_mean') or name.endswith('running_var')}
    return {
        'model': model_id, 'torch': torch.__version__, 'input_size': size, 'batch': batch, 'learning_rate': lr,
        'labels': y.tolist(),
        'parameters': entries,
        'train': {'log_probs': [rounded(r) for r in torch.log_softmax(logits, dim=1).tolist()],
                  'loss': float(loss), 'grad_norms': grad_norms, 'post_step_norms': post_norms,
                  'running_after_step': running},
        'eval': {'log_probs': [rounded(r) for r in eval_log_probs.tolist()]},
    }


def main():
    torch.set_num_threads(2)
    os.makedirs(OUT, exist_ok=True)
    for model_id, make, size, batch, lr in MODELS:
        result = run(model_id, make, size, batch, lr)
        if model_id == 'lenet-bn':
            # the formula's weights as a state_dict .npz, for the weight-import test (num_batches_tracked included)
            net = make()
            fill(net)
            np.savez(os.path.join(OUT, 'torch-lenet-bn-state-dict.npz'),
                     **{k: v.numpy() for k, v in net.state_dict().items()})
        path = os.path.join(OUT, f'torch-{model_id}.json')
        with open(path, 'w') as f:
            json.dump(result, f, separators=(',', ':'))
            f.write('\n')
        print(f'{model_id}: loss {result["train"]["loss"]:.6f}, '
              f'{sum(np.prod(e["shape"]) for e in result["parameters"] if e["kind"] in ("weight", "bias", "bn_weight", "bn_bias")):,} '
              f'trainable, {os.path.getsize(path):,} bytes')


if __name__ == '__main__':
    main()
