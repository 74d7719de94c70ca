package artifact

import (
	"io"
	"sort"
	"strconv"
	"sync"
)

func itoa(n int) string { return strconv.Itoa(n) }

func sortStrings(s []string) { sort.Strings(s) }

// zeroTail is a file of any size that holds prefix and then zeros, like a sparse file, and
// records the largest single read so tests can prove that tensor data is never fetched.
type zeroTail struct {
	prefix []byte
	mu     sync.Mutex
	// maxRead is the largest number of bytes asked for in one ReadAt.
	maxRead int
	// total is the number of bytes asked for altogether.
	total int64
}

func (z *zeroTail) ReadAt(p []byte, off int64) (int, error) {
	z.mu.Lock()
	z.maxRead = max(z.maxRead, len(p))
	z.total += int64(len(p))
	z.mu.Unlock()
	for i := range p {
		if pos := off + int64(i); pos < int64(len(z.prefix)) {
			p[i] = z.prefix[pos]
		} else {
			p[i] = 0
		}
	}
	return len(p), nil
}

// failingReader fails every read, as a broken disk or network would.
type failingReader struct{}

func (failingReader) ReadAt([]byte, int64) (int, error) { return 0, io.ErrClosedPipe }
