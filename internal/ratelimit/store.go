package ratelimit

import (
	"context"
	"fmt"
	"sync"
	"time"
)

// Store keeps the buckets' counts where every process sharing a census sees them.
type Store interface {
	// Take grants up to n requests of bucket `name` in the current window (starting a new
	// window of length w with limit lim when the stored one has ended), returning how many
	// were granted and the window's end (when none were granted, the caller waits until then).
	Take(ctx context.Context, name string, n, lim int, w time.Duration, now time.Time) (granted int, windowEnd time.Time, err error)
	// Observe records what the server said: `remaining` requests left in a window ending at
	// `end`. It lowers what is available (used = max(used, lim-remaining)), never raises it,
	// and moves the stored window end to the server's.
	Observe(ctx context.Context, name string, remaining int, end time.Time, lim int) error
}

// row is one bucket's stored state; end is in unix milliseconds, as the table keeps it, and
// zero for a bucket never used.
type row struct {
	end  int64
	used int
	lim  int
}

// take grants up to n of lim at now, moving to the next window when the stored one is over:
// on the same grid when it ended less than a window ago, else starting now.
func (r row) take(n, lim int, w time.Duration, now time.Time) (row, int) {
	ms, wm := now.UnixMilli(), max(w.Milliseconds(), 1)
	if ms >= r.end {
		next := ms + wm
		if r.end > 0 && ms-r.end < wm {
			next = r.end + wm
		}
		r = row{end: next}
	}
	r.lim = lim
	granted := min(max(n, 0), max(lim-r.used, 0))
	r.used += granted
	return r, granted
}

// observe applies a server report: availability only goes down, the window end follows the
// server's.
func (r row) observe(remaining int, end time.Time, lim int) row {
	r.used = max(r.used, lim-max(remaining, 0))
	r.lim = lim
	r.end = end.UnixMilli()
	return r
}

// checkArgs refuses requests no window could answer sensibly.
func checkArgs(name string, lim int, w time.Duration) error {
	switch {
	case name == "":
		return fmt.Errorf("ratelimit: empty bucket name")
	case lim < 0:
		return fmt.Errorf("ratelimit: bucket %s: negative limit %d", name, lim)
	case w <= 0:
		return fmt.Errorf("ratelimit: bucket %s: window %v is not positive", name, w)
	}
	return nil
}

// memory is a Store for one process.
type memory struct {
	mu   sync.Mutex
	rows map[string]row
}

// NewMemory returns a Store kept in this process's memory: for one process, and for tests.
func NewMemory() Store { return &memory{rows: map[string]row{}} }

// Take implements Store.
func (m *memory) Take(ctx context.Context, name string, n, lim int, w time.Duration, now time.Time) (int, time.Time, error) {
	if err := checkArgs(name, lim, w); err != nil {
		return 0, time.Time{}, err
	}
	if err := ctx.Err(); err != nil {
		return 0, time.Time{}, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	r, granted := m.rows[name].take(n, lim, w, now)
	m.rows[name] = r
	return granted, time.UnixMilli(r.end), nil
}

// Observe implements Store.
func (m *memory) Observe(ctx context.Context, name string, remaining int, end time.Time, lim int) error {
	if err := checkArgs(name, lim, time.Second); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.rows[name] = m.rows[name].observe(remaining, end, lim)
	return nil
}
