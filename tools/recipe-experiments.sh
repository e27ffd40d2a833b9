#!/usr/bin/env bash
# Short training runs of recipe variants, one after the other (never two at once), and a Markdown table of what each
# reached: the experiments behind a built-in recipe such as resnet18-fmnist (docs/results.md keeps the table).
#
#   tools/recipe-experiments.sh OUT_DIR IMAGES EPOCHS 'LABEL|TRAIN OPTIONS' ...
#   e.g. tools/recipe-experiments.sh ~/experiments 10000 3 \
#          'recipe as built in|--recipe resnet18-fmnist' \
#          'no label smoothing|--recipe resnet18-fmnist --label-smoothing 0'
#
# Each variant trains with `train OPTIONS --limit IMAGES --epochs EPOCHS --out OUT_DIR/LABEL` (the first IMAGES of
# training, validation and test data); an existing OUT_DIR/LABEL with a result.json is reported, not trained again,
# so an interrupted series continues where it stopped. Run it on an otherwise idle machine: the table has times.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ $# -lt 4 ]; then
    sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 2
fi
out=$1 images=$2 epochs=$3
shift 3
mkdir -p "$out"
./moderncnns --version >/dev/null # builds the jar when a source is newer
rows=()
for variant in "$@"; do
    label=${variant%%|*}
    options=${variant#*|}
    directory="$out/$(echo "$label" | tr -c 'A-Za-z0-9._-' '-' | sed 's/-*$//')"
    if [ ! -f "$directory/result.json" ]; then
        rm -rf "$directory" # an unfinished try: start it again
        # shellcheck disable=SC2086 # the options are words on purpose
        ./moderncnns train $options --limit "$images" --epochs "$epochs" --out "$directory" \
            --checkpoint-minutes 0 > "$directory.log" 2>&1 || { echo "$label failed, see $directory.log" >&2; continue; }
    fi
    rows+=("$(python3 - "$directory/result.json" "$label" "$options" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
print("| %s | `%s` | %d | %.2f (epoch %d) | %.2f | %.0f | %.1f |" % (sys.argv[2], sys.argv[3], r["epochs"],
      r["best_validation_accuracy"], r["best_epoch"], r["best_test_accuracy"], r["seconds"], r["images_per_second"]))
PY
)")
done
echo "Recipe experiments: first $images images of each subset, $epochs epochs, $(nproc) cores, $(date -u +%F)"
echo
echo "| variant | options | epochs | best validation acc % | test acc % at best | training s | images/s |"
echo "|---|---|---:|---:|---:|---:|---:|"
printf '%s\n' "${rows[@]}"
