#!/bin/sh
# yaml-bombs.sh times `glassbox osai` and `glassbox mof` on hostile YAML records of about
# 100 KB (issue 11): nesting by indentation, by "- " on one line, by brackets, and a billion
# laughs. It prints elapsed seconds and peak RSS per run. Each run is held to 60 s and 4 GB of
# address space so a binary without the guard cannot take the machine down.
#
#   bench/yaml-bombs.sh [BINARY]    (default: go build ./cmd/glassbox into a temp dir)
set -eu
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
bin=${1:-}
if [ -z "$bin" ]; then
	bin=$dir/glassbox
	go build -o "$bin" ./cmd/glassbox
fi

# indent: "a:" lines, each one space deeper (450 levels, ~100 KB).
awk 'BEGIN { printf "release:\n"; for (i = 1; i <= 450; i++) { s = ""; for (j = 0; j < i; j++) s = s " "; printf "%sa:\n", s } }' >"$dir/indent.yml"
# dashes: 50,000 nested sequences on one line (100 KB).
awk 'BEGIN { printf "release:\n  components:\n  "; for (i = 0; i < 50000; i++) printf "- "; printf "x\n" }' >"$dir/dashes.yml"
# brackets: 100,000 nested flow sequences (100 KB).
awk 'BEGIN { printf "release: "; for (i = 0; i < 100000; i++) printf "["; printf "\n" }' >"$dir/brackets.yml"
# laughs: nine levels of ten aliases each (10^9 values once expanded, 600 bytes written).
awk 'BEGIN { printf "release:\n  name: x\n  a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n";
	for (i = 1; i <= 9; i++) { printf "  a%d: &a%d [", i, i; for (j = 0; j < 10; j++) printf "%s*a%d", (j ? ", " : ""), i - 1; printf "]\n" } }' >"$dir/laughs.yml"

printf '%-10s %-5s %-8s %-10s %s\n' bomb cmd seconds peak-RSS result
for f in indent dashes brackets laughs; do
	for cmd in mof osai; do
		(ulimit -v 4000000; /usr/bin/time -o "$dir/time" -f "%e %M" timeout 60 "$bin" "$cmd" "$dir/$f.yml" >/dev/null 2>"$dir/err") || true
		res=$(head -1 "$dir/err" | cut -c1-90)
		set -- $(grep '^[0-9.]* [0-9]*$' "$dir/time" || echo "- -")
		printf '%-10s %-5s %-8s %-10s %s\n' "$f" "$cmd" "$1" "$2 KB" "$res"
	done
done
