package ratelimit

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"
)

// takeCounter is a Store that counts the Takes it forwards.
type takeCounter struct {
	Store
	takes atomic.Int64
}

// Take counts and forwards.
func (c *takeCounter) Take(ctx context.Context, name string, n, lim int, w time.Duration, now time.Time) (int, time.Time, error) {
	c.takes.Add(1)
	return c.Store.Take(ctx, name, n, lim, w, now)
}

// BenchmarkWait measures Wait on a bucket that never runs out (so every cost is the
// limiter's and the Store's), from parallel goroutines, and reports Store round trips per
// request.
func BenchmarkWait(b *testing.B) {
	stores := map[string]func(b *testing.B) Store{
		"memory": func(*testing.B) Store { return NewMemory() },
		"sqlite": func(b *testing.B) Store {
			return NewSQL(openDB(b, "sqlite:"+filepath.Join(b.TempDir(), "bench.db")))
		},
	}
	if dsn := os.Getenv("GLASSBOX_BENCH_POSTGRES"); dsn != "" {
		stores["postgres"] = func(b *testing.B) Store { return NewSQL(openDB(b, dsn)) }
	}
	for name, open := range stores {
		for _, batch := range []int{DefaultMaxBatch, 1} {
			b.Run(fmt.Sprintf("%s/batch%d", name, batch), func(b *testing.B) {
				st := &takeCounter{Store: open(b)}
				l := New(st, "bench", Limits{API: 1 << 30})
				l.MaxBatch = batch
				b.ReportAllocs()
				b.RunParallel(func(pb *testing.PB) {
					for pb.Next() {
						if err := l.Wait(context.Background(), API); err != nil {
							b.Error(err)
							return
						}
					}
				})
				b.ReportMetric(float64(st.takes.Load())/float64(b.N), "takes/op")
			})
		}
	}
}
