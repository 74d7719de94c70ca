package server

import (
	"context"

	"github.com/riverqueue/river"
)

// InsertMany: the server never queues other kinds of job itself.
func (q *fakeQueue) InsertMany(context.Context, []river.InsertManyParams) (int, error) { return 0, nil }
