package store

import (
	"context"
	"sync"
	"testing"

	"github.com/glassbox-dev/glassbox/internal/store/storetest"
)

// TestOpenConcurrently: processes starting together on a new database (serve, workers, a
// census) all open it; none fails on tables another just created.
func TestOpenConcurrently(t *testing.T) {
	for name, dsnFor := range storetest.DSNs() {
		t.Run(name, func(t *testing.T) {
			dsn := dsnFor(t)
			var wg sync.WaitGroup
			errs := make([]error, 8)
			for i := range errs {
				wg.Go(func() {
					st, err := Open(context.Background(), dsn)
					if err == nil {
						st.Close()
					}
					errs[i] = err
				})
			}
			wg.Wait()
			for i, err := range errs {
				if err != nil {
					t.Errorf("opener %d: %v", i, err)
				}
			}
		})
	}
}
