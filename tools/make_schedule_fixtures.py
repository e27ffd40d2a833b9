#!/usr/bin/python3
"""Writes PyTorch's learning rates and optimizer steps for training's LearningRates and Optimizer tests.

torch-learning-rates.csv: for each case (shape, base rate, minibatches T, warm-up minibatches W) the rate PyTorch's
schedulers give every minibatch when stepped once per minibatch: LinearLR(1/W, 1, W - 1) then, via SequentialLR at
W, ConstantLR(factor=1) / MultiStepLR([L // 2, L * 3 // 4], 0.1) / CosineAnnealingLR(L) over L = T - W, and
OneCycleLR(max_lr=base, total_steps=T, pct_start=W / T or 0.3).

torch-optimizer-steps.csv: parameters [1, -2, 0.5] after each of 6 steps of a fixed gradient sequence
(g_t[k] = sin(t + k), t from 0) for torch.optim.SGD(momentum=0.9), SGD(momentum=0.9, nesterov=True) and
Adam(), all at lr 0.1, in float64. Run with Debian's PyTorch (development only):

    /usr/bin/python3 tools/make_schedule_fixtures.py
"""
import math
import os

import torch
from torch.optim import lr_scheduler as s

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, '..', 'training', 'src', 'test', 'resources', 'fixtures')

CASES = [('constant', 0.1, 20, 0), ('constant', 0.1, 20, 5), ('step', 0.1, 20, 0), ('step', 0.05, 23, 4),
         ('cosine', 0.1, 20, 0), ('cosine', 0.2, 30, 6), ('one-cycle', 0.1, 25, 0), ('one-cycle', 0.4, 40, 10)]


def rates(shape, base, total, warmup):
    p = torch.nn.Parameter(torch.zeros(1))
    opt = torch.optim.SGD([p], lr=base)
    if shape == 'one-cycle':
        sched = s.OneCycleLR(opt, max_lr=base, total_steps=total, pct_start=(warmup / total) if warmup else 0.3)
    else:
        length = total - warmup
        main = {'constant': lambda: s.ConstantLR(opt, factor=1.0, total_iters=0),
                'step': lambda: s.MultiStepLR(opt, [length // 2, length * 3 // 4], 0.1),
                'cosine': lambda: s.CosineAnnealingLR(opt, length)}[shape]
        if warmup:
            warm = s.LinearLR(opt, start_factor=1 / warmup, end_factor=1.0, total_iters=warmup - 1)
            sched = s.SequentialLR(opt, [warm, main()], milestones=[warmup])
        else:
            sched = main()
    out = []
    for _ in range(total):
        out.append(opt.param_groups[0]['lr'])
        opt.step()
        sched.step()
    return out


def steps(make):
    p = torch.nn.Parameter(torch.tensor([1.0, -2.0, 0.5], dtype=torch.float64))
    opt = make([p])
    out = []
    for t in range(6):
        p.grad = torch.tensor([math.sin(t + k) for k in range(3)], dtype=torch.float64)
        opt.step()
        out.append(p.detach().clone().tolist())
    return out


def main():
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, 'torch-learning-rates.csv'), 'w') as f:
        f.write('shape,base,total,warmup,iteration,rate\n')
        for shape, base, total, warmup in CASES:
            for i, rate in enumerate(rates(shape, base, total, warmup)):
                f.write('%s,%r,%d,%d,%d,%r\n' % (shape, base, total, warmup, i, rate))
    optimizers = {'momentum': lambda ps: torch.optim.SGD(ps, lr=0.1, momentum=0.9),
                  'nesterov': lambda ps: torch.optim.SGD(ps, lr=0.1, momentum=0.9, nesterov=True),
                  'adam': lambda ps: torch.optim.Adam(ps, lr=0.1)}
    with open(os.path.join(OUT, 'torch-optimizer-steps.csv'), 'w') as f:
        f.write('optimizer,step,p0,p1,p2\n')
        for name, make in optimizers.items():
            for t, values in enumerate(steps(make)):
                f.write('%s,%d,%s\n' % (name, t + 1, ','.join(repr(v) for v in values)))


if __name__ == '__main__':
    main()
