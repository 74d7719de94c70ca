package hub

import (
	"context"
	"sync"
	"time"

	"github.com/glassbox-dev/glassbox/internal/source/hub/hubtest"
)

// The fake Hub lives in package hubtest so that the CLI's tests can use it too; these short
// names keep this package's tests readable.
type (
	fakeHub  = hubtest.Hub
	fakeRepo = hubtest.Repo
	fakeFile = hubtest.File
	fault    = hubtest.Fault
)

var (
	newFakeHub      = hubtest.New
	fixtures        = hubtest.Fixtures
	commit          = hubtest.Commit
	text            = hubtest.Text
	sha256hex       = hubtest.SHA256Hex
	safetensorsFile = hubtest.SafetensorsFile
)

// clientFor returns a client for the fake Hub that never sleeps for real; sleeps are recorded.
func clientFor(h *fakeHub, token string) (*Client, *[]time.Duration) {
	c := NewClient("test")
	c.Endpoint, c.Token = h.URL, token
	var mu sync.Mutex
	slept := new([]time.Duration)
	c.Sleep = func(_ context.Context, d time.Duration) error {
		mu.Lock()
		*slept = append(*slept, d)
		mu.Unlock()
		return nil
	}
	return c, slept
}
