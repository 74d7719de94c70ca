package license

import (
	"crypto/sha256"
	"sync"
)

// identifyMemo remembers what Identify found in the texts it read last, by content hash, so a
// licence text met again (a census reads the same LICENSE in thousands of repositories; a
// server audits the same base models over and over) is identified once. It holds at most
// memoSize results and forgets the oldest half when full; texts over memoMaxText are not kept.
type identifyMemo struct {
	mu   sync.Mutex
	now  map[[32]byte][]Match
	prev map[[32]byte][]Match
}

const (
	memoSize    = 2048
	memoMaxText = 256 << 10
)

func (m *identifyMemo) get(k [32]byte) ([]Match, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if r, ok := m.now[k]; ok {
		return r, true
	}
	r, ok := m.prev[k]
	if ok {
		m.put(k, r)
	}
	return r, ok
}

// put keeps r; when the current generation is full it becomes the previous one (two
// generations give least-recently-used eviction without a list).
func (m *identifyMemo) put(k [32]byte, r []Match) {
	if len(m.now) >= memoSize/2 || m.now == nil {
		m.prev, m.now = m.now, make(map[[32]byte][]Match, memoSize/2)
	}
	m.now[k] = r
}

// identifyOnce is Identify through the catalogue's memo; the result is a copy the caller may
// change.
func (c *Catalogue) identifyOnce(text string, identify func(string) []Match) []Match {
	if len(text) > memoMaxText {
		return identify(text)
	}
	k := sha256.Sum256([]byte(text))
	if r, ok := c.memo.get(k); ok {
		return clone(r)
	}
	r := identify(text)
	c.memo.mu.Lock()
	c.memo.put(k, clone(r))
	c.memo.mu.Unlock()
	return r
}

func clone(ms []Match) []Match {
	if ms == nil {
		return nil
	}
	return append([]Match(nil), ms...)
}
