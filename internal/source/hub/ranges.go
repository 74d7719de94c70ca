package hub

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"github.com/glassbox-dev/glassbox/internal/source"
)

// readRange reads bytes [off, off+n) of the file at u (fewer at the end of the file) and
// returns them with the file's total size. A server that ignores Range is read up to the
// bytes wanted and no further.
func (c *Client) readRange(ctx context.Context, what, u string, off, n int64) ([]byte, int64, error) {
	resp, err := c.get(ctx, what, u, map[string]string{"Range": fmt.Sprintf("bytes=%d-%d", off, off+n-1)}, true)
	var he *Error
	if errors.As(err, &he) && he.Status == http.StatusRequestedRangeNotSatisfiable {
		return nil, 0, nil // an empty file: no byte is satisfiable
	}
	if err != nil {
		return nil, 0, err
	}
	defer resp.Body.Close()
	size := resp.ContentLength
	body := io.Reader(resp.Body)
	if resp.StatusCode == http.StatusPartialContent {
		if total, ok := contentRangeTotal(resp.Header.Get("Content-Range")); ok {
			size = total
		}
	} else if off > 0 {
		if _, err := io.CopyN(io.Discard, body, off); err != nil {
			return nil, 0, fmt.Errorf("%w: %s: %v", source.ErrUnreadable, what, err)
		}
	}
	data, err := io.ReadAll(io.LimitReader(body, n))
	if err != nil {
		return nil, 0, fmt.Errorf("%w: %s: %v", source.ErrUnreadable, what, err)
	}
	if size < 0 {
		size = off + int64(len(data))
	}
	return data, size, nil
}

// contentRangeTotal reads the total of "bytes 0-99/1234".
func contentRangeTotal(h string) (int64, bool) {
	_, total, ok := strings.Cut(h, "/")
	if !ok || total == "*" {
		return 0, false
	}
	n, err := strconv.ParseInt(strings.TrimSpace(total), 10, 64)
	return n, err == nil && n >= 0
}

// rangeReader is an io.ReaderAt over HTTP range requests with a small cache. Header readers
// mostly read forward from the start, so a miss next to cached bytes extends them, and each
// miss fetches twice as much as the last one: a long GGUF header costs a few requests, not
// one per key.
type rangeReader struct {
	ctx       context.Context
	c         *Client
	what, url string
	size      int64
	limit     int64 // total bytes this reader may fetch
	// held is what the reader reserved of the client's Budget; when reserved, all of limit was
	// taken up front, else each fetch takes its share without waiting (see readHeader).
	held     int64
	reserved bool

	mu      sync.Mutex
	segs    []segment
	fetched int64
	chunk   int64
}

// segment is a run of cached bytes starting at off.
type segment struct {
	off  int64
	data []byte
}

// headerCost is the memory a header read takes per byte fetched: the fetched segments, the
// parser's copy of the header and what it decodes (measured with 31 MB safetensors headers,
// see BENCHMARKS.md).
const headerCost = 4

// errOverBudget: growing a header read would wait for memory while holding some.
var errOverBudget = errors.New("memory budget busy")

// newRangeReader fetches the first prefix bytes of u, which also tells the file's size. With
// reserve, the reader takes all of limit from the budget first (waiting for it), else just the
// prefix. The caller calls release when done.
func newRangeReader(ctx context.Context, c *Client, what, u string, prefix, limit int64, reserve bool) (*rangeReader, error) {
	hold := prefix
	if reserve {
		hold = limit
	}
	if err := c.Budget.Acquire(ctx, hold*headerCost); err != nil {
		return nil, fmt.Errorf("%w: %s: %w", source.ErrUnreadable, what, err)
	}
	r := &rangeReader{ctx: ctx, c: c, what: what, url: u, limit: limit, held: hold, reserved: reserve, chunk: prefix}
	data, size, err := c.readRange(ctx, what, u, 0, prefix)
	if err != nil {
		r.release()
		return nil, err
	}
	r.size, r.segs, r.fetched = size, []segment{{0, data}}, int64(len(data))
	return r, nil
}

// release returns the reader's share of the budget.
func (r *rangeReader) release() {
	r.c.Budget.Release(r.held * headerCost)
	r.held = 0
}

// ReadAt reads len(p) bytes at off, from the cache or by one more range request.
func (r *rangeReader) ReadAt(p []byte, off int64) (int, error) {
	if off < 0 {
		return 0, fmt.Errorf("negative offset %d", off)
	}
	if off >= r.size {
		return 0, io.EOF
	}
	want := min(int64(len(p)), r.size-off)
	r.mu.Lock()
	defer r.mu.Unlock()
	i := r.find(off, want)
	if i < 0 {
		var err error
		if i, err = r.fill(off, want); err != nil {
			return 0, err
		}
	}
	s := r.segs[i]
	n := copy(p, s.data[off-s.off:])
	if n < len(p) {
		return n, io.EOF
	}
	return n, nil
}

// find returns the segment holding [off, off+n), or -1.
func (r *rangeReader) find(off, n int64) int {
	for i, s := range r.segs {
		if off >= s.off && off+n <= s.off+int64(len(s.data)) {
			return i
		}
	}
	return -1
}

// fill fetches what [off, off+n) misses: it extends a segment that off falls in (or ends at),
// else starts a new one.
func (r *rangeReader) fill(off, n int64) (int, error) {
	r.chunk = min(r.chunk*2, 8<<20)
	for i := range r.segs {
		s := &r.segs[i]
		end := s.off + int64(len(s.data))
		if off >= s.off && off <= end {
			get := min(max(off+n-end, r.chunk), r.size-end)
			data, err := r.fetch(end, get)
			if err != nil {
				return 0, err
			}
			s.data = append(s.data, data...)
			if off+n > s.off+int64(len(s.data)) {
				return 0, fmt.Errorf("%s: short read at offset %d", r.what, end)
			}
			return i, nil
		}
	}
	get := min(max(n, r.chunk), r.size-off)
	data, err := r.fetch(off, get)
	if err != nil {
		return 0, err
	}
	if int64(len(data)) < n {
		return 0, fmt.Errorf("%s: short read at offset %d", r.what, off)
	}
	r.segs = append(r.segs, segment{off, data})
	return len(r.segs) - 1, nil
}

// fetch reads n bytes at off within the reader's byte budget.
func (r *rangeReader) fetch(off, n int64) ([]byte, error) {
	if r.fetched+n > r.limit {
		return nil, fmt.Errorf("%s: header reading stopped at %d bytes (limit %d)", r.what, r.fetched, r.limit)
	}
	// Waiting for memory while holding some could deadlock parallel readers: take it now or
	// give up, and readHeader starts again holding the whole limit.
	if !r.reserved && r.fetched+n > r.held {
		grow := r.fetched + n - r.held
		if !r.c.Budget.TryAcquire(grow * headerCost) {
			return nil, errOverBudget
		}
		r.held += grow
	}
	data, _, err := r.c.readRange(r.ctx, r.what, r.url, off, n)
	if err != nil {
		return nil, err
	}
	r.fetched += int64(len(data))
	return data, nil
}
