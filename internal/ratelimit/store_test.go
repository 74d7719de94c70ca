package ratelimit

import (
	"context"
	"database/sql"
	"sync"
	"testing"
	"time"

	"github.com/glassbox-dev/glassbox/internal/store"
	"github.com/glassbox-dev/glassbox/internal/store/storetest"
)

var t0 = time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)

// opener makes, for one test, Stores that all share one database: each call is a new
// connection pool, as a separate process would have.
type opener func() Store

// stores returns an opener for every kind of Store the test can reach: memory, SQLite, and
// PostgreSQL when storetest provides one.
func stores(t *testing.T) map[string]func(t *testing.T) opener {
	out := map[string]func(t *testing.T) opener{
		"memory": func(*testing.T) opener {
			m := NewMemory()
			return func() Store { return m }
		},
	}
	for name, dsn := range storetest.DSNs() {
		out[name] = func(t *testing.T) opener {
			d := dsn(t)
			if name == "sqlite" {
				d = "sqlite:" + d
			}
			return func() Store { return NewSQL(openDB(t, d)) }
		}
	}
	return out
}

// openDB opens and migrates the store at dsn, closed when the test ends.
func openDB(t testing.TB, dsn string) (*sql.DB, bool) {
	t.Helper()
	st, err := store.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	db, pg := store.SQL(st)
	if db == nil {
		t.Fatal("store.SQL returned no database")
	}
	return db, pg
}

// take calls st.Take and fails the test on error.
func take(t *testing.T, st Store, name string, n, lim int, w time.Duration, now time.Time) (int, time.Time) {
	t.Helper()
	g, end, err := st.Take(context.Background(), name, n, lim, w, now)
	if err != nil {
		t.Fatalf("Take(%s, %d): %v", name, n, err)
	}
	return g, end
}

func TestStoreTake(t *testing.T) {
	for kind, open := range stores(t) {
		t.Run(kind, func(t *testing.T) {
			o := open(t)
			procs := []Store{o(), o()} // alternated: what one process took, the other sees
			w := time.Minute
			steps := []struct {
				at      time.Duration
				n, lim  int
				granted int
				end     time.Duration
			}{
				{0, 4, 10, 4, time.Minute},                     // the first window starts at the first request
				{10 * time.Second, 8, 10, 6, time.Minute},      // only what is left
				{20 * time.Second, 1, 10, 0, time.Minute},      // none: wait until the end
				{70 * time.Second, 3, 10, 3, 2 * time.Minute},  // the next window, on the same grid
				{80 * time.Second, 9, 12, 9, 2 * time.Minute},  // a higher limit applies at once
				{10 * time.Minute, 2, 10, 2, 11 * time.Minute}, // after a long pause, a window starts now
				{10 * time.Minute, 0, 10, 0, 11 * time.Minute},
			}
			for i, s := range steps {
				g, end := take(t, procs[i%2], "h/api", s.n, s.lim, w, t0.Add(s.at))
				if g != s.granted || !end.Equal(t0.Add(s.end)) {
					t.Errorf("step %d: granted %d until %v, want %d until %v", i, g, end.Sub(t0), s.granted, s.end)
				}
			}
			if g, _ := take(t, procs[0], "other/api", 5, 10, w, t0); g != 5 {
				t.Errorf("a second bucket granted %d, want 5", g)
			}
		})
	}
}

func TestStoreObserve(t *testing.T) {
	for kind, open := range stores(t) {
		t.Run(kind, func(t *testing.T) {
			st, ctx, w := open(t)(), context.Background(), time.Minute
			take(t, st, "b", 3, 10, w, t0)
			// The server counts 6 used and ends its window at 0:40: both are trusted.
			if err := st.Observe(ctx, "b", 4, t0.Add(40*time.Second), 10); err != nil {
				t.Fatal(err)
			}
			if g, end := take(t, st, "b", 10, 10, w, t0.Add(time.Second)); g != 4 || !end.Equal(t0.Add(40*time.Second)) {
				t.Errorf("after the report: granted %d until %v, want 4 until 40s", g, end.Sub(t0))
			}
			// A report of more remaining never raises availability.
			if err := st.Observe(ctx, "b", 9, t0.Add(40*time.Second), 10); err != nil {
				t.Fatal(err)
			}
			if g, _ := take(t, st, "b", 1, 10, w, t0.Add(2*time.Second)); g != 0 {
				t.Errorf("a higher remaining raised availability: granted %d", g)
			}
			// The next window follows the server's grid.
			if g, end := take(t, st, "b", 1, 10, w, t0.Add(41*time.Second)); g != 1 || !end.Equal(t0.Add(100*time.Second)) {
				t.Errorf("next window: granted %d until %v, want 1 until 100s", g, end.Sub(t0))
			}
			// A report for a bucket never taken from creates it.
			if err := st.Observe(ctx, "fresh", 2, t0.Add(30*time.Second), 10); err != nil {
				t.Fatal(err)
			}
			if g, _ := take(t, st, "fresh", 5, 10, w, t0); g != 2 {
				t.Errorf("fresh bucket after a report granted %d, want 2", g)
			}
		})
	}
}

func TestStoreRefusesBadArguments(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	for _, st := range []Store{NewMemory(), NewSQL(nil, false)} {
		if _, _, err := st.Take(ctx, "", 1, 10, time.Minute, t0); err == nil {
			t.Errorf("%T: Take with an empty name succeeded", st)
		}
		if _, _, err := st.Take(ctx, "b", 1, 10, 0, t0); err == nil {
			t.Errorf("%T: Take with a zero window succeeded", st)
		}
		if _, _, err := st.Take(ctx, "b", 1, -1, time.Minute, t0); err == nil {
			t.Errorf("%T: Take with a negative limit succeeded", st)
		}
		if err := st.Observe(ctx, "", 1, t0, 10); err == nil {
			t.Errorf("%T: Observe with an empty name succeeded", st)
		}
	}
	ctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, _, err := NewMemory().Take(ctx, "b", 1, 10, time.Minute, t0); err == nil {
		t.Error("Take with a cancelled context succeeded")
	}
}

// TestStoreConcurrentTakes: goroutines on two connection pools ("processes") taking at once
// get exactly the limit between them.
func TestStoreConcurrentTakes(t *testing.T) {
	for kind, open := range stores(t) {
		t.Run(kind, func(t *testing.T) {
			o := open(t)
			procs := []Store{o(), o()}
			const lim = 40
			var mu sync.Mutex
			total := 0
			var wg sync.WaitGroup
			for g := range 8 {
				wg.Go(func() {
					for range 10 {
						n, _, err := procs[g%2].Take(context.Background(), "c/api", 3, lim, time.Minute, t0)
						if err != nil {
							t.Error(err)
							return
						}
						mu.Lock()
						total += n
						mu.Unlock()
					}
				})
			}
			wg.Wait()
			if total != lim {
				t.Errorf("granted %d in one window, want exactly %d", total, lim)
			}
		})
	}
}
