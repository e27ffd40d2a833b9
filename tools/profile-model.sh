#!/usr/bin/env bash
# Profiles DL4J training of one network with async-profiler (from Maven Central) and prints where the step's time
# goes by layer kind and direction, and the convolutions' own GFLOP/s (compare with tools/fp32_peak.c).
#
#   tools/profile-model.sh MODEL [ITERATIONS] [benchmark options...]     e.g. tools/profile-model.sh vgg11-small 3
#
# Needs cli/target/cli.jar (./moderncnns --version builds it) and, for the FLOP count, Debian's python3-torch.
set -euo pipefail
cd "$(dirname "$0")/.."
model=$1
iterations=${2:-3}
shift $(( $# >= 2 ? 2 : 1 ))
version=3.0
mvn -q dependency:get -Dartifact=tools.profiler:async-profiler:$version -Dtransitive=false >&2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
unzip -q -o "$HOME/.m2/repository/tools/profiler/async-profiler/$version/async-profiler-$version.jar" \
    'linux-x64/*' -d "$work"
java -Xmx4g -Dorg.bytedeco.javacpp.maxbytes=12G \
    -agentpath:"$work/linux-x64/libasyncProfiler.so=start,event=cpu,interval=2ms,file=$work/profile.txt,collapsed" \
    -jar cli/target/cli.jar benchmark --model "$model" --iterations "$iterations" --warmup 1 --json "$@" \
    2>/dev/null | tail -1 > "$work/result.json" # the agent prints "Profiling started" first
cat "$work/result.json"
rate=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["train_images_per_second"])' "$work/result.json")
flops=$(/usr/bin/python3 -c 'import sys; sys.argv=["x"]; sys.path.insert(0, "tools")
import bench_models_pytorch as b
make, batch, side, lr = b.PRESETS["'"$model"'"]
print(b.conv_train_flops_per_image(make(), side))' 2>/dev/null || true)
python3 tools/profile_split.py "$work/profile.txt" ${flops:+$flops $rate}
