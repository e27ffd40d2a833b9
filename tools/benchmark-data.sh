#!/usr/bin/env bash
# Runs the data pipeline benchmark of fmnist-data and then the notebook's PyTorch DataLoader on the same machine,
# one after the other (never at the same time), and prints both tables.
# Needs: the dataset (Debian package dataset-fashion-mnist, or FMNIST_HOME), and for the PyTorch side
# Debian's python3-torch and python3-torchvision.
set -euo pipefail
cd "$(dirname "$0")/.."
data_dir=${FMNIST_HOME:-/usr/share/datasets/fashion-mnist}

echo "== DL4J / modern-cnns (fmnist-data) =="
mvn -q -B -pl fmnist-data test-compile exec:java -Dexec.classpathScope=test \
    -Dexec.mainClass=io.github.moderncnns.data.DataPipelineBenchmark
echo
echo "== PyTorch (the notebook's load_data_fashion_mnist) =="
/usr/bin/python3 tools/bench_data_pytorch.py --data "$data_dir"
