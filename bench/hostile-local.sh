#!/usr/bin/env bash
# Measures glassbox on hostile local input: each case is built in a temporary folder, then
# `glassbox scan` (or snapshot) runs under /usr/bin/time -v; the script prints the exit code,
# the wall time, the peak RSS and the first note or error line. The limits in play are
# source.DefaultLimits (200,000 files, 400,000 folder entries, 64 folders deep, 1 MiB per text,
# 64 MiB of texts, 1 GiB of weights headers) and source.MaxSnapshot (128 MiB).
#
#   bench/hostile-local.sh [FILES]     (FILES: entries of the wide folder, default 250000)
set -euo pipefail
cd "$(dirname "$0")/.."
files=${1:-250000}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go build -o "$tmp/glassbox" ./cmd/glassbox

measure() { # name, then the glassbox arguments
  local name=$1; shift
  local code=0
  /usr/bin/time -v -o "$tmp/time" "$tmp/glassbox" "$@" >"$tmp/out" 2>"$tmp/err" || code=$?
  local wall rss line
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/{print $2}' "$tmp/time")
  rss=$(awk -F': ' '/Maximum resident set size/{print $2}' "$tmp/time")
  line=$(head -c 300 "$tmp/err" | head -1)
  printf '| %s | %s | %s | %s MB | %s |\n' "$name" "$code" "$wall" "$((rss / 1024))" "$line"
}

echo "| case | exit | wall | peak RSS | first line on stderr |"
echo "|---|---|---|---|---|"

# Wide: more files in one folder than the inventory takes.
mkdir "$tmp/wide"
(cd "$tmp/wide" && seq -f 'f%.0f.py' 1 "$files" | xargs touch)
measure "wide: $files empty files in one folder" scan "$tmp/wide"

# Deep: a chain of 1,000 folders with a file at each level.
deep="$tmp/deep"
p=$deep
for i in $(seq 1000); do p="$p/d"; done
mkdir -p "$p"
p=$deep
for i in $(seq 1000); do p="$p/d"; echo "x = $i" >"$p/m.py"; done
measure "deep: 1,000 nested folders" scan "$deep"

# Sparse giants: 1 TiB weights and a 1 TiB card (text head, zeros after).
mkdir "$tmp/sparse"
for f in model.safetensors model.gguf README.md; do
  awk 'BEGIN { for (i = 0; i < 300; i++) print "# a card line" }' >"$tmp/sparse/$f"
  truncate -s 1T "$tmp/sparse/$f"
done
measure "sparse: two 1 TiB weights files, a 1 TiB card" scan "$tmp/sparse"

# Many weights files each claiming a 99 MB header (sparse zeros: read, then not JSON).
mkdir "$tmp/headers"
for i in $(seq 64); do
  printf '\xc0\x9e\xe6\x05\x00\x00\x00\x00' >"$tmp/headers/model-$i.safetensors" # 99,000,000
  truncate -s 100M "$tmp/headers/model-$i.safetensors"
done
measure "64 weights files claiming 99 MB headers" scan "$tmp/headers"

# Links: 10,000 links out of the folder, 1,000 link loops, links to /dev/zero.
mkdir "$tmp/links"
(cd "$tmp/links" && for i in $(seq 10000); do ln -s /etc/passwd "LICENSE-$i"; done &&
  for i in $(seq 1000); do ln -s "loop-$i.bin" "loop-$i.bin"; done &&
  for i in $(seq 100); do ln -s /dev/zero "zero-$i.safetensors"; done)
measure "links: 10,000 out, 1,000 loops, 100 to /dev/zero" scan "$tmp/links"

# FIFOs named like weights and cards (a blocking open would hang here).
mkdir "$tmp/fifos"
(cd "$tmp/fifos" && mkfifo README.md LICENSE $(seq -f 'model-%.0f.safetensors' 1 1000))
measure "FIFOs: 1,002 named like weights and cards" scan "$tmp/fifos"

# Non-blocking refusals.
measure "scan /dev/zero (as a snapshot)" scan /dev/zero
measure "inspect a FIFO" inspect "$tmp/fifos/model-1.safetensors"

# A snapshot just under the cap: one 250 MB text (cut to 1 MiB once read).
python3 - "$tmp/big.json" <<'PY'
import sys
with open(sys.argv[1], "w") as f:
    f.write('{"schema":"glassbox.release/v1","target":"big","name":"big","revision":"x","complete":true,')
    f.write('"files":[{"path":"README.md","size":262144000}],"texts":[{"path":"README.md","content":"')
    f.write("a" * (120 << 20))
    f.write('"}]}')
PY
measure "snapshot of 120 MB (one text)" scan "$tmp/big.json"
truncate -s 200M "$tmp/over.json"
measure "snapshot of 200 MB (over the cap)" scan "$tmp/over.json"
