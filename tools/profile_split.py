#!/usr/bin/env python3
"""Splits an async-profiler CPU profile (collapsed stacks) of `moderncnns benchmark` into where a training step's
time goes: each layer kind's forward and backward pass, the updater, and the rest. Used by profile-model.sh.

    python3 tools/profile_split.py profile.txt [conv_train_flops_per_image train_images_per_second]

With the two numbers (from tools/bench_models_pytorch.py and the benchmark), it also prints the convolutions' own
GFLOP/s: the convolution FLOPs over the time the profile attributes to convolution layers.
"""
import re
import sys
from collections import Counter


def split(path):
    parts = Counter()
    total = 0
    for line in open(path):
        stack, samples = line.rsplit(' ', 1)
        frames = stack.split(';')
        if not any('ComputationGraph.fit' in f for f in frames):
            continue  # inference passes, JIT compiler, GC threads
        samples = int(samples)
        total += samples
        key = 'other: graph bookkeeping, loss, workspaces'
        for i, frame in enumerate(frames):
            vertex = re.search(r'(?:LayerVertex|ElementWiseVertex)\.(doForward|doBackward)', frame)
            if vertex:
                direction = 'forward' if vertex.group(1) == 'doForward' else 'backward'
                if 'ElementWiseVertex' in frame:
                    key = 'residual add ' + direction
                elif i + 1 < len(frames):
                    layer = re.search(r'/(\w+)\.\w+$', frames[i + 1].split('_[')[0])
                    key = (layer.group(1) if layer else frames[i + 1]) + ' ' + direction
                break
            if 'updater' in frame.lower() or 'updateGradientAccordingToParams' in frame:
                key = 'updater (SGD step)'
                break
        parts[key] += samples
    return parts, total


def main():
    parts, total = split(sys.argv[1])
    print(f'{"share of training step":>22s}  part')
    for key, samples in parts.most_common():
        print(f'{100 * samples / total:21.1f} %  {key}')
    if len(sys.argv) == 4:
        conv = sum(n for k, n in parts.items() if k.startswith('ConvolutionLayer')) / total
        achieved = float(sys.argv[2]) * float(sys.argv[3]) / 1e9
        print(f'convolutions: {100 * conv:.1f} % of the step; {achieved:.1f} GFLOP/s over the whole step, '
              f'{achieved / conv:.1f} GFLOP/s while in convolution layers')


if __name__ == '__main__':
    main()
