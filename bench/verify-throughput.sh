#!/usr/bin/env bash
# scan --verify throughput against sha256sum run over the same files one after another
# (issue: model files, benchmark (b)). Files are sparse, so reading them costs no disk I/O and
# both sides are bound by hashing. FILES and MB set the size of the test (default 8 × 512 MB).
set -euo pipefail
cd "$(dirname "$0")/.."
files=${FILES:-8}
mb=${MB:-512}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
go build -o "$work/glassbox" ./cmd/glassbox
mkdir -p "$work/rel"
for i in $(seq "$files"); do
  truncate -s "${mb}M" "$work/rel/shard-$i.bin"
done
printf -- '---\nlicense: mit\n---\n# bench\n' >"$work/rel/README.md"
total=$((files * mb))
now() { date +%s.%N; }
t0=$(now); for f in "$work"/rel/*.bin; do sha256sum "$f" >/dev/null; done; t1=$(now)
t2=$(now); "$work/glassbox" scan "$work/rel" --verify --format json >/dev/null; t3=$(now)
t4=$(now); GOMAXPROCS=1 "$work/glassbox" scan "$work/rel" --verify --format json >/dev/null; t5=$(now)
awk -v a="$t0" -v b="$t1" -v c="$t2" -v d="$t3" -v e="$t4" -v f="$t5" -v mb="$total" -v cpus="$(nproc)" 'BEGIN {
  s = b - a; g = d - c; one = f - e
  printf "sha256sum, one file after another: %.2fs, %.0f MB/s\n", s, mb / s
  printf "glassbox scan --verify, GOMAXPROCS=1: %.2fs, %.0f MB/s\n", one, mb / one
  printf "glassbox scan --verify (%d CPUs): %.2fs, %.0f MB/s\n", cpus, g, mb / g
  printf "speed-up over sha256sum: %.2fx (target >= 1.7 on 2 cores); from parallel hashing alone: %.2fx\n", s / g, one / g
}'
