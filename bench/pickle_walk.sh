#!/usr/bin/env bash
# Times glassbox's pickle opcode walk against Python's pickletools.genops on the same
# opcode-dense pickle: a protocol 2 list of two-int tuples, written by bench/picklewalk
# (pickle.dumps would write the same bytes). Both walk every opcode without unpickling; the
# Go walk also models the stack and memo to find imports.
#
#   bench/pickle_walk.sh [MB]     (default 100; PYTHON picks the interpreter, RUNS the Go repeats)
set -euo pipefail
cd "$(dirname "$0")/.."
mb=${1:-100}
python=${PYTHON:-python3}
runs=${RUNS:-3}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

go build -o "$tmp/picklewalk" ./bench/picklewalk
"$tmp/picklewalk" gen -mb "$mb" "$tmp/dense.pkl"
size=$(wc -c <"$tmp/dense.pkl")
echo "file: $size bytes ($mb MB requested), $("$python" --version 2>&1), $(go version | cut -d' ' -f3)"

# Go: best of $runs (the first run also warms the page cache for Python).
best=""
for _ in $(seq "$runs"); do
  out=$("$tmp/picklewalk" walk "$tmp/dense.pkl")
  secs=$(echo "$out" | awk '{print $6}')
  if [ -z "$best" ] || awk -v a="$secs" -v b="$best" 'BEGIN{exit !(a<b)}'; then best=$secs; go_out=$out; fi
done
py_out=$("$python" bench/pickle_walk.py "$tmp/dense.pkl")

go_ops=$(echo "$go_out" | awk '{print $2}')
py_ops=$(echo "$py_out" | awk '{print $2}')
py_secs=$(echo "$py_out" | awk '{print $6}')
echo "go:     $go_out"
echo "python: $py_out"
if [ "$go_ops" != "$py_ops" ]; then
  echo "opcode counts differ: go $go_ops, python $py_ops" >&2
  exit 1
fi
awk -v n="$go_ops" -v g="$best" -v p="$py_secs" 'BEGIN {
  printf "go     %.1f M opcodes/s\npython %.2f M opcodes/s\nratio  %.1fx\n", n/g/1e6, n/p/1e6, p/g
}'
