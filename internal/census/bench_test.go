package census

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"testing"
	"time"

	"github.com/glassbox-dev/glassbox/internal/census/censustest"
	"github.com/glassbox-dev/glassbox/internal/ratelimit"
)

// BenchmarkCensus runs one census of the fake Hub with the Hub's latency (20 ms a request) and
// reports what BENCHMARKS.md projects a whole-Hub census from: requests per model, models per
// second (and per worker), and the heap at each tenth of the census, so that memory flat in the
// number of models shows. Its size and mode come from the environment, so the same benchmark
// measures 100,000 models once by hand and a small census in CI:
//
//	GLASSBOX_CENSUS_BENCH_MODELS (default 2000), GLASSBOX_CENSUS_BENCH_DEEP=1,
//	GLASSBOX_CENSUS_BENCH_WORKERS (default 8), GLASSBOX_CENSUS_BENCH_DSN (default a temporary
//	SQLite file).
//
// The fake Hub applies the free account's limits per 5-minute window, scaled to 3-second
// windows (so rate limiting is exercised without hours of waiting); the projection in
// BENCHMARKS.md divides the requests by the real limits instead.
func BenchmarkCensus(b *testing.B) {
	models := envInt("GLASSBOX_CENSUS_BENCH_MODELS", 2000)
	workers := envInt("GLASSBOX_CENSUS_BENCH_WORKERS", 8)
	deep := os.Getenv("GLASSBOX_CENSUS_BENCH_DEEP") == "1"
	lim := map[string]int{}
	for k, v := range ratelimit.FreeAccount {
		lim[string(k)] = v
	}
	for i := 0; i < b.N; i++ {
		h := censustest.New(b, censustest.Config{Models: models, Latency: 20 * time.Millisecond, Limits: lim, Window: testWindow, Seed: 11})
		dsn := os.Getenv("GLASSBOX_CENSUS_BENCH_DSN")
		if dsn == "" {
			dsn = filepath.Join(b.TempDir(), "g.db")
		}
		var heaps []uint64
		next := models / 10
		progress := func(s Status) {
			if s.Done() >= next && len(heaps) < 10 {
				runtime.GC()
				var m runtime.MemStats
				runtime.ReadMemStats(&m)
				heaps = append(heaps, m.HeapInuse)
				next += models / 10
			}
		}
		start := time.Now()
		s, err := Run(context.Background(), RunConfig{DSN: dsn, Params: Params{Deep: deep}, Workers: workers, Version: "bench",
			Limits: limitsOf(lim), Client: client(h), Progress: progress, Interval: 200 * time.Millisecond, Tune: tune})
		if err != nil || s.State != StateFinished {
			b.Fatalf("census: %v (%+v)", err, s.Progress)
		}
		took := time.Since(start)
		b.ReportMetric(s.RequestsPerModel(), "requests/model")
		b.ReportMetric(float64(s.Done())/took.Seconds(), "models/s")
		b.ReportMetric(float64(s.Done())/took.Seconds()/float64(workers), "models/s/worker")
		b.ReportMetric(float64(s.BlobHits), "blob-hits")
		b.ReportMetric(float64(s.LineageFetches), "lineage-fetches")
		b.Logf("%d models (deep %t, %d workers): %s, %+v; heap in use at each tenth (MB): %s; requests by bucket: api %d, resolvers %d, pages %d",
			models, deep, workers, took.Round(time.Second), s.Progress, mb(heaps), h.Requests("api"), h.Requests("resolvers"), h.Requests("pages"))
	}
}

func limitsOf(m map[string]int) ratelimit.Limits {
	l := ratelimit.Limits{}
	for k, v := range m {
		l[ratelimit.Bucket(k)] = v
	}
	return l
}

func envInt(name string, def int) int {
	if n, err := strconv.Atoi(os.Getenv(name)); err == nil && n > 0 {
		return n
	}
	return def
}

func mb(hs []uint64) string {
	s := ""
	for _, h := range hs {
		s += fmt.Sprintf("%.0f ", float64(h)/(1<<20))
	}
	return s
}
