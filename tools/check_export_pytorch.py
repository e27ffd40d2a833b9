#!/usr/bin/python3
"""Checks `moderncnns export` against PyTorch: loads the exported state_dict into the notebook's PyTorch model with
load_state_dict (strict: every key, no extra one), runs both models on the same images in inference mode (DL4J
through `moderncnns predict --json`), and compares the class probabilities. Development only (Debian's
python3-torch); CI tests the Java side of the round trip.

    /usr/bin/python3 tools/check_export_pytorch.py MODEL_ID INPUT_SIZE MODEL_ZIP [CLI_JAR]

It writes the export and the test images with the CLI jar (default cli/target/cli.jar) into a temporary directory.
"""
import json
import os
import subprocess
import sys
import tempfile

import numpy as np
import torch
from PIL import Image

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import make_architecture_fixtures as notebook  # noqa: E402  (the notebook's models, verbatim)

MODELS = {
    'alexnet': lambda: notebook.alexnet(0.5),
    'vgg11': lambda: notebook.vgg(((1, 64), (1, 128), (2, 256), (2, 512), (2, 512)), 0.5),
    'vgg11-small': lambda: notebook.vgg(((1, 16), (1, 32), (2, 64), (2, 128), (2, 128)), 0.5),
    'lenet-bn': lambda: notebook.lenet_bn(0.5),
    'resnet18': lambda: notebook.resnet18(0.5),
}


def main():
    model_id, size, model_zip = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    jar = sys.argv[4] if len(sys.argv) > 4 else os.path.join(os.path.dirname(__file__), '..', 'cli', 'target',
                                                              'cli.jar')
    with tempfile.TemporaryDirectory() as work:
        npz = os.path.join(work, 'state_dict.npz')
        subprocess.run(['java', '-jar', jar, 'export', '--model-file', model_zip, '--out', npz], check=True)
        net = MODELS[model_id]()
        arrays = np.load(npz)
        result = net.load_state_dict({k: torch.from_numpy(arrays[k]) for k in arrays.files}, strict=True)
        print(f'load_state_dict(strict=True): {len(arrays.files)} tensors, missing {result.missing_keys}, '
              f'unexpected {result.unexpected_keys}')
        net.eval()

        # the same images for both: 8-bit grays at the model's input size (no resize), as predict reads them
        pixels = (np.random.default_rng(7).random((8, size, size)) * 255).astype(np.uint8)
        files = []
        for i, image in enumerate(pixels):
            files.append(os.path.join(work, f'image-{i}.png'))
            Image.fromarray(image, 'L').save(files[-1])
        predicted = subprocess.run(['java', '-jar', jar, 'predict', '--json', '--model-file', model_zip] + files,
                                   check=True, capture_output=True, text=True).stdout
        dl4j = np.array([list(json.loads(line)['probabilities'].values()) for line in predicted.splitlines()])
        with torch.no_grad():
            pytorch = torch.softmax(net(torch.from_numpy(pixels[:, None].astype(np.float32) / 255)), 1).numpy()
        difference = np.abs(dl4j - pytorch).max()
        same = bool((dl4j.argmax(1) == pytorch.argmax(1)).all())
        print(f'{model_id} at {size}: largest difference of the class probabilities {difference:.3g}; '
              f'same predicted classes: {same}')
        sys.exit(0 if difference <= 1e-4 and same else 1)


if __name__ == '__main__':
    main()
