#!/usr/bin/env bash
# Trains and runs each network with DL4J (moderncnns benchmark) and with the notebook's PyTorch code, alternately
# (never at the same time), for several rounds, and prints the medians side by side with DL4J/PyTorch ratios.
#
#   tools/benchmark-models.sh [ROUNDS] [MODEL ...]        e.g. tools/benchmark-models.sh 3 lenet-bn resnet18
#
# Needs cli/target/cli.jar (./moderncnns --version builds it) and Debian's python3-torch. Iterations per model are
# chosen so that each measurement takes tens of seconds on a 2-core machine; THREADS (default: all cores) is given
# to both.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-3}
shift || true
models=("$@")
[ ${#models[@]} -gt 0 ] || models=(lenet-bn resnet18 alexnet vgg11-small)
threads=${THREADS:-$(nproc)}
results=$(mktemp)

iterations() {
  case "$1" in
    lenet-bn) echo 40 ;;
    resnet18) echo 4 ;;
    *) echo 3 ;;
  esac
}

for round in $(seq "$rounds"); do
  for model in "${models[@]}"; do
    n=$(iterations "$model")
    echo "round $round: $model ($n iterations) ..." >&2
    java -Xmx4g -Dorg.bytedeco.javacpp.maxbytes=12G -jar cli/target/cli.jar benchmark --model "$model" \
        --iterations "$n" --warmup 1 --threads "$threads" --json 2>/dev/null >> "$results"
    /usr/bin/python3 tools/bench_models_pytorch.py --model "$model" --iterations "$n" --warmup 1 \
        --threads "$threads" >> "$results"
  done
done

/usr/bin/python3 - "$results" <<'PY'
import json, statistics, sys
rows = [json.loads(line) for line in open(sys.argv[1]) if line.strip()]
print(f"{'model':12s} {'batch':>5s} {'input':>5s} | {'train img/s DL4J':>16s} {'PyTorch':>9s} {'ratio':>6s} | "
      f"{'infer img/s DL4J':>16s} {'PyTorch':>9s} {'ratio':>6s} | {'peak RSS DL4J':>13s} {'PyTorch':>9s}")
for model in dict.fromkeys(r['model'] for r in rows):
    d = [r for r in rows if r['model'] == model and not r['backend'].startswith('PyTorch')]
    p = [r for r in rows if r['model'] == model and r['backend'].startswith('PyTorch')]
    med = lambda rs, k: statistics.median(r[k] for r in rs)
    print(f"{model:12s} {d[0]['batch_size']:5d} {d[0]['input_size']:5d} | "
          f"{med(d, 'train_images_per_second'):16.1f} {med(p, 'train_images_per_second'):9.1f} "
          f"{med(d, 'train_images_per_second') / med(p, 'train_images_per_second'):6.2f} | "
          f"{med(d, 'inference_images_per_second'):16.1f} {med(p, 'inference_images_per_second'):9.1f} "
          f"{med(d, 'inference_images_per_second') / med(p, 'inference_images_per_second'):6.2f} | "
          f"{med(d, 'peak_rss_bytes') / 2**30:11.2f}GB {med(p, 'peak_rss_bytes') / 2**30:7.2f}GB")
print(f"(medians of {len(rows) // 2 // max(1, len(set(r['model'] for r in rows)))} rounds; raw results: {sys.argv[1]})")
PY
