#!/usr/bin/env bash
# Header-only cost does not grow with weight bytes (issue: model files, benchmark (a)).
#  1. scan of 20 sparse shards of 5 GB vs the same release with 1 MB shards: ratio of medians;
#  2. inspect of one 100 GB sparse safetensors file: peak resident memory.
# Needs: Go, GNU time (/usr/bin/time). Files are sparse: they take almost no disk.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${RUNS:-7}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
go build -o "$work/glassbox" ./cmd/glassbox
go run ./bench/sparse "$work/small" 20 $((1 << 20))
go run ./bench/sparse "$work/large" 20 $((5 * 1000 * 1000 * 1000))
go run ./bench/sparse "$work/huge" 1 $((100 * 1000 * 1000 * 1000))
du -sh --apparent-size "$work/large" | sed 's/^/apparent size of large: /'
du -sh "$work/large" | sed 's/^/on disk: /'

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
timeit() { # prints the mean seconds of 10 back-to-back scans (one run's resolution is too coarse)
  local t0 t1
  t0=$(date +%s.%N)
  for _ in $(seq 10); do "$work/glassbox" scan "$1" --format json >/dev/null; done
  t1=$(date +%s.%N)
  awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.4f\n", (b - a) / 10 }'
}
"$work/glassbox" scan "$work/small" >/dev/null # warm the page cache and licence scanner build
small=$(for _ in $(seq "$runs"); do timeit "$work/small"; done | median)
large=$(for _ in $(seq "$runs"); do timeit "$work/large"; done | median)
echo "scan, 20 shards of 1 MB: median ${small}s over $runs runs"
echo "scan, 20 shards of 5 GB: median ${large}s over $runs runs"
awk -v s="$small" -v l="$large" 'BEGIN { printf "ratio 5 GB / 1 MB: %.2f (target <= 1.2)\n", (s > 0 ? l / s : 0) }'

/usr/bin/time -f "%M" "$work/glassbox" inspect "$work/huge/model-00001-of-00001.safetensors" --format json >/dev/null 2>"$work/m"
echo "inspect of a 100 GB sparse safetensors file: peak RSS $(( $(tail -1 "$work/m") / 1024 )) MB (target < 50 MB)"
