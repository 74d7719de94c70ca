package census

import (
	"container/list"
	"context"
	"database/sql"
	"errors"
	"sync"
)

// blobStore keeps files by blob id for every census and worker (census_blobs), with the most
// recently used ones in memory up to a byte budget, so a licence text read once is read from
// the Hub never again and from the database rarely. It implements hub.Blobs.
type blobStore struct {
	d      *db
	mu     sync.Mutex
	budget int
	used   int
	lru    *list.List // of *blobEntry, most recent first
	byKey  map[string]*list.Element
}

type blobEntry struct {
	key  string
	data []byte
}

func newBlobStore(d *db, budget int) *blobStore {
	return &blobStore{d: d, budget: budget, lru: list.New(), byKey: map[string]*list.Element{}}
}

// Get returns a blob's bytes when any census has read it.
func (b *blobStore) Get(ctx context.Context, key string) ([]byte, bool, error) {
	if data, ok := b.cached(key); ok {
		return data, true, nil
	}
	var data []byte
	err := b.d.sql.QueryRowContext(ctx, b.d.q(`SELECT data FROM census_blobs WHERE key = ?`), key).Scan(&data)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	b.keep(key, data)
	return data, true, nil
}

// Put stores a blob read from the Hub (a blob id names one content, so the first stored stays).
func (b *blobStore) Put(ctx context.Context, key string, data []byte) error {
	if data == nil {
		data = []byte{}
	}
	if _, err := b.d.sql.ExecContext(ctx, b.d.q(`INSERT INTO census_blobs (key, data) VALUES (?, ?) ON CONFLICT (key) DO NOTHING`), key, data); err != nil {
		return err
	}
	b.keep(key, data)
	return nil
}

func (b *blobStore) cached(key string) ([]byte, bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	el, ok := b.byKey[key]
	if !ok {
		return nil, false
	}
	b.lru.MoveToFront(el)
	return el.Value.(*blobEntry).data, true
}

// keep remembers a blob in memory, dropping the least recently used past the budget (a blob
// larger than a quarter of it is not kept).
func (b *blobStore) keep(key string, data []byte) {
	if len(data) > b.budget/4 {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if _, ok := b.byKey[key]; ok {
		return
	}
	b.byKey[key] = b.lru.PushFront(&blobEntry{key: key, data: data})
	b.used += len(data)
	for b.used > b.budget {
		last := b.lru.Back()
		e := last.Value.(*blobEntry)
		b.lru.Remove(last)
		delete(b.byKey, e.key)
		b.used -= len(e.data)
	}
}
