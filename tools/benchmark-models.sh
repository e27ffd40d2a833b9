#!/usr/bin/env bash
# The side-by-side comparison of docs/performance.md, in one command: trains and runs each network with DL4J
# (moderncnns benchmark) and with the notebook's PyTorch code, alternately (never at the same time), for several
# rounds, and prints the medians side by side with DL4J/PyTorch ratios; then the convolutions' GFLOP/s against the
# machine's measured FP32 peak (tools/fp32_peak.c), the whole notebook lab's training time on both sides (when all
# four networks are measured), and one real BN-LeNet epoch against its pure training steps.
#
#   tools/benchmark-models.sh [ROUNDS] [MODEL ...]        e.g. tools/benchmark-models.sh 3 lenet-bn resnet18
#
# Needs Debian's python3-torch and gcc; builds cli/target/cli.jar first if it is missing or stale. THREADS
# (default: all cores) is given to both. REAL_EPOCH=0 skips the real-epoch measurement. Both sides run on the same
# memory allocator: jemalloc as the moderncnns launcher sets it up when the machine has it (libjemalloc2), the C
# library's malloc with ALLOCATOR=libc or without jemalloc; the table says which.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-3}
shift || true
models=("$@")
[ ${#models[@]} -gt 0 ] || models=(lenet-bn resnet18 alexnet vgg11-small)
threads=${THREADS:-$(nproc)}
if [ "${ALLOCATOR:-jemalloc}" = jemalloc ]; then
  . tools/jemalloc.sh # as ./moderncnns does
fi
results=$(mktemp)
./moderncnns --version >&2 # builds the jar when a source is newer

gcc -O2 -march=native -fopenmp tools/fp32_peak.c -o "$results.peak"
peak=$(OMP_NUM_THREADS=$threads "$results.peak")
echo "FP32 peak: $peak" >&2

iterations() {
  case "$1" in
    lenet-bn) echo 100 ;;
    resnet18) echo 6 ;;
    *) echo 4 ;;
  esac
}

# Warm-up steps, the same on both sides. DL4J needs more than PyTorch: the first step sizes its workspaces and the JIT
# compiles the batch-norm kernel over the first steps (2026-12-02, per-step times at the presets: ResNet-18 21.6 s,
# 3.0 s, then 2.65-2.75 s; VGG-11 small 29.1, 4.1, 3.5, then 3.35 s; BN-LeNet 656, 170, 97 ms, then 45-110 ms).
warmup() {
  case "$1" in
    lenet-bn) echo 20 ;;
    *) echo 3 ;;
  esac
}

for round in $(seq "$rounds"); do
  for model in "${models[@]}"; do
    n=$(iterations "$model")
    w=$(warmup "$model")
    echo "round $round: $model ($w warm-up, $n timed iterations) ..." >&2
    java -Xmx4g -Dorg.bytedeco.javacpp.maxbytes=12G -jar cli/target/cli.jar benchmark --model "$model" \
        --iterations "$n" --warmup "$w" --threads "$threads" --json 2>/dev/null >> "$results"
    /usr/bin/python3 tools/bench_models_pytorch.py --model "$model" --iterations "$n" --warmup "$w" \
        --threads "$threads" >> "$results"
  done
done
if [ "${REAL_EPOCH:-1}" != 0 ]; then
  echo "one real BN-LeNet epoch (50,000 images + 10,000 validation) ..." >&2
  java -Xmx4g -jar cli/target/cli.jar benchmark --model lenet-bn --iterations 100 --warmup 20 --threads "$threads" \
      --real-epoch 50000 --json 2>/dev/null > "$results.epoch"
fi

/usr/bin/python3 - "$results" "$peak" <<'PY'
import json, os, statistics, sys
rows = [json.loads(line) for line in open(sys.argv[1]) if line.strip()]
peak = json.loads(sys.argv[2])['fp32_peak_gflops']
dl4j = lambda m: [r for r in rows if r['model'] == m and r['backend'].startswith('DL4J')]
torch = lambda m: [r for r in rows if r['model'] == m and r['backend'].startswith('PyTorch')]
med = lambda rs, k: statistics.median(r[k] for r in rs)
models = list(dict.fromkeys(r['model'] for r in rows))
print(f"| model | batch | input | train img/s DL4J | PyTorch | ratio | inference img/s DL4J | PyTorch | ratio "
      f"| peak RSS DL4J | PyTorch |")
print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
for m in models:
    d, p = dl4j(m), torch(m)
    t, tp = med(d, 'train_images_per_second'), med(p, 'train_images_per_second')
    i, ip = med(d, 'inference_images_per_second'), med(p, 'inference_images_per_second')
    print(f"| {m} | {d[0]['batch_size']} | {d[0]['input_size']} | {t:,.1f} | {tp:,.1f} | {t / tp:.2f} | {i:,.1f} | "
          f"{ip:,.1f} | {i / ip:.2f} | {med(d, 'peak_rss_bytes') / 2**30:.2f} GB | "
          f"{med(p, 'peak_rss_bytes') / 2**30:.2f} GB |")
print(f"\nmedians of {len(dl4j(models[0]))} rounds; {rows[0]['threads']} threads; memory allocator "
      f"{rows[0].get('allocator', 'libc')} on both sides; raw results: {sys.argv[1]}")
# The notebook's whole lab: each network's epochs (its recipe's) of 50,000 training images at the measured speeds.
lab_epochs = {'alexnet': 5, 'vgg11-small': 5, 'lenet-bn': 10, 'resnet18': 5}
if all(m in models for m in lab_epochs):
    hours = lambda side: sum(e * 50_000 / med(side(m), 'train_images_per_second')
                             for m, e in lab_epochs.items()) / 3600
    h, hp = hours(dl4j), hours(torch)
    print(f"\nThe notebook's whole lab (AlexNet, VGG-11 small, ResNet-18 5 epochs, BN-LeNet 10, 50,000 images each; "
          f"training steps only): DL4J {h:.2f} h, PyTorch {hp:.2f} h: **{hp / h:.2f}x** faster.")
print(f"\nConvolution FLOPs per training image and GFLOP/s over the whole training step (a lower bound for the "
      f"convolutions' own rate), against the measured FP32 peak of {peak:.0f} GFLOP/s:\n")
print("| model | conv GFLOP / image | DL4J GFLOP/s | % of peak | PyTorch GFLOP/s | % of peak |")
print("|---|---:|---:|---:|---:|---:|")
for m in models:
    f = torch(m)[0]['conv_train_flops_per_image'] / 1e9
    d, p = f * med(dl4j(m), 'train_images_per_second'), f * med(torch(m), 'train_images_per_second')
    print(f"| {m} | {f:.3f} | {d:.1f} | {100 * d / peak:.0f} % | {p:.1f} | {100 * p / peak:.0f} % |")
epoch_file = sys.argv[1] + '.epoch'
if os.path.exists(epoch_file) and os.path.getsize(epoch_file):
    e = json.loads(open(epoch_file).read())
    print(f"\nOne real BN-LeNet epoch: {e['real_epoch_train_images_per_second']:,.0f} training images/s through the "
          f"full loop against {e['train_images_per_second']:,.0f} for the pure training steps "
          f"({100 * e['loop_overhead_fraction']:.1f} % slower); the epoch took {e['real_epoch_seconds']:.1f} s, "
          f"{e['real_epoch_validation_seconds']:.1f} s of it validation.")
PY
