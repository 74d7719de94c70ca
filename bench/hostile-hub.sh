#!/bin/sh
# hostile-hub.sh runs each case of BenchmarkHostile (internal/source/hub) in its own process, so
# that each reported peak RSS (VmHWM, read by the benchmark at its end) is that case's alone.
# The fake Hub runs in the same process but streams or generates what it sends.
set -eu
cd "$(dirname "$0")/.."
go test -c -o /tmp/hub.test ./internal/source/hub
for c in info-2GB info-gzip-bomb 16-parents-info-2GB 16-parents-info-2GB-cached \
	32-weights-31MB-headers 32-weights-31MB-headers-cached empty-page-cursors \
	10000-directory-pages 10000-parents-and-datasets; do
	/tmp/hub.test -test.run '^$' -test.bench "BenchmarkHostile/^$c\$" -test.benchtime 1x | grep '^Benchmark'
done
