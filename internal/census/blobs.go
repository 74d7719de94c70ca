package census

import (
	"context"
	"database/sql"
	"errors"

	"github.com/glassbox-dev/glassbox/internal/source/hub"
)

// blobStore keeps files by blob id for every census and worker (census_blobs), with recent ones
// in memory (hub.MemoryBlobs, bounded), so a licence text read once is read from the Hub never
// again and from the database rarely. It implements hub.Blobs.
type blobStore struct {
	d     *db
	cache *hub.MemoryBlobs
}

func newBlobStore(d *db, budget int64) *blobStore {
	return &blobStore{d: d, cache: &hub.MemoryBlobs{Max: budget}}
}

// Get returns a blob's bytes when any census has read it.
func (b *blobStore) Get(ctx context.Context, key string) ([]byte, bool, error) {
	if data, ok, _ := b.cache.Get(ctx, key); ok {
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
	_ = b.cache.Put(ctx, key, data)
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
	return b.cache.Put(ctx, key, data)
}
