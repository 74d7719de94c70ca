package census

import (
	"context"
	"testing"
	"time"

	"github.com/glassbox-dev/glassbox/internal/queue"
	"github.com/glassbox-dev/glassbox/internal/store"
	"github.com/glassbox-dev/glassbox/internal/store/storetest"
	"github.com/glassbox-dev/glassbox/internal/target"
)

// TestCensusSharedWorkers: a census run by `glassbox census` and a `glassbox worker` on the
// same store shares its jobs and its rate limit: both processes audit, every model once, and
// together they never exceed the Hub's limits.
func TestCensusSharedWorkers(t *testing.T) {
	for name, dsnFor := range storetest.DSNs() {
		t.Run(name, func(t *testing.T) {
			dsn := dsnFor(t)
			h := fakeHub(t, 300)
			ctx := context.Background()
			st, err := store.Open(ctx, dsn)
			if err != nil {
				t.Fatal(err)
			}
			defer st.Close()
			c, limiter, err := SharedClient(st, client(h), "test", limits())
			if err != nil {
				t.Fatal(err)
			}
			tune(limiter)
			svc, err := New(Config{Store: st, Client: c, Version: "test"})
			if err != nil {
				t.Fatal(err)
			}
			q, err := queue.Open(ctx, dsn, queue.Config{Workers: 1, Audit: queue.Auditor(st, target.Options{Version: "test"}),
				Register: svc.Register, Queues: map[string]int{QueueName: 3}})
			if err != nil {
				t.Fatal(err)
			}
			defer q.Close()
			svc.SetQueue(q)
			if err := q.Start(ctx); err != nil {
				t.Fatal(err)
			}
			defer func() {
				stop, cancel := context.WithTimeout(ctx, 10*time.Second)
				defer cancel()
				_ = q.Stop(stop)
			}()
			s := runCensus(t, dsn, h, Params{})
			if s.Listed != 300 || s.Audited != 300 {
				t.Fatalf("%+v, want 300 listed and audited", s.Progress)
			}
			if g := limiter.Stats(); g["api"].Granted == 0 {
				t.Errorf("the worker process sent no request (limiter %+v): it took no census job", g)
			}
			for id, n := range auditCounts(t, dsn, h.IDs()) {
				if n != 1 {
					t.Errorf("%s has %d audits, want 1", id, n)
				}
			}
		})
	}
}
