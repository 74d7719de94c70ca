package github

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"sync/atomic"
)

// Cache keeps GitHub API answers on disk. Answers pinned to a commit sha (a tree, a file at a
// sha) are served without asking; the rest are revalidated with If-None-Match (a 304 does not
// count against GitHub's rate limit); offline or unreachable, any kept answer stands in.
// Only complete 2xx answers are kept. Each answer is one file named by the SHA-256 of its URL,
// written to a temporary name and renamed, so a crash never leaves half an entry.
//
// TODO: share one cache with source/hub once its HTTPCache exposes load and store; the Hub's
// cache keys pinned answers by its own URL shapes, so this one keys GitHub's.
type Cache struct {
	Dir string

	hits, revalidated, stale atomic.Int64
}

// Hits is how many answers came from disk without a request; Revalidated how many a 304
// confirmed; Stale how many stood in for an API that could not be reached.
func (c *Cache) Hits() int64        { return c.hits.Load() }
func (c *Cache) Revalidated() int64 { return c.revalidated.Load() }
func (c *Cache) Stale() int64       { return c.stale.Load() }

// entry is one kept answer.
type entry struct {
	Key  string `json:"key"`
	ETag string `json:"etag,omitempty"`
	Body []byte `json:"body"`
}

func (c *Cache) file(key string) string {
	s := sha256.Sum256([]byte(key))
	return filepath.Join(c.Dir, "gh-"+hex.EncodeToString(s[:])+".json")
}

// load returns the entry kept for key, or nil (missing, corrupt, or another key's).
func (c *Cache) load(key string) *entry {
	name := c.file(key)
	if info, err := os.Stat(name); err != nil || info.Size() > 2*maxBody+1024 {
		return nil // base64 doubles at most; anything larger is not ours
	}
	raw, err := os.ReadFile(name)
	if err != nil {
		return nil
	}
	var e entry
	if json.Unmarshal(raw, &e) != nil || e.Key != key {
		return nil
	}
	return &e
}

// store keeps an answer; a failure only means the next audit asks again.
func (c *Cache) store(key string, body []byte, etag string) {
	data, err := json.Marshal(entry{Key: key, ETag: etag, Body: body})
	if err != nil || os.MkdirAll(c.Dir, 0o755) != nil {
		return
	}
	f, err := os.CreateTemp(c.Dir, ".tmp-*")
	if err != nil {
		return
	}
	_, werr := f.Write(data)
	if cerr := f.Close(); werr == nil {
		werr = cerr
	}
	if werr == nil {
		werr = os.Rename(f.Name(), c.file(key))
	}
	if werr != nil {
		os.Remove(f.Name())
	}
}
