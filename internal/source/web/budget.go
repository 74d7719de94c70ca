package web

import (
	"context"
	"fmt"
	"sync"
)

// Budget bounds the bytes that parallel fetches hold in memory at once: each reserves what it
// may hold before reading and releases it when done. A reservation larger than the whole budget
// is refused rather than waited for. The zero Budget is unlimited.
type Budget struct {
	// Limit is the total; zero or less means no limit.
	Limit int64

	mu    sync.Mutex
	used  int64
	peak  int64
	freed chan struct{} // closed and replaced whenever bytes are released
}

// Acquire reserves n bytes, waiting for other fetches to release theirs, until ctx ends.
func (b *Budget) Acquire(ctx context.Context, n int64) error {
	if b == nil || b.Limit <= 0 {
		return nil
	}
	if n > b.Limit {
		return fmt.Errorf("%w: %s is more than the memory budget of %s", ErrTooLarge, Size(n), Size(b.Limit))
	}
	for {
		b.mu.Lock()
		if b.used+n <= b.Limit {
			b.used += n
			b.peak = max(b.peak, b.used)
			b.mu.Unlock()
			return nil
		}
		if b.freed == nil {
			b.freed = make(chan struct{})
		}
		ch := b.freed
		b.mu.Unlock()
		select {
		case <-ch:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// TryAcquire reserves n bytes if they are free now, without waiting.
func (b *Budget) TryAcquire(n int64) bool {
	if b == nil || b.Limit <= 0 {
		return true
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.used+n > b.Limit {
		return false
	}
	b.used += n
	b.peak = max(b.peak, b.used)
	return true
}

// Release returns n bytes reserved earlier.
func (b *Budget) Release(n int64) {
	if b == nil || b.Limit <= 0 || n == 0 {
		return
	}
	b.mu.Lock()
	b.used -= n
	if b.freed != nil {
		close(b.freed)
		b.freed = nil
	}
	b.mu.Unlock()
}

// Peak is the most bytes reserved at once so far.
func (b *Budget) Peak() int64 {
	if b == nil {
		return 0
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.peak
}
