package queue

import (
	"context"
	"database/sql"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river/rivertype"
)

// stateCounter counts audit jobs by River state.
type stateCounter func(ctx context.Context) (map[rivertype.JobState]int, error)

// depthQuery counts audit jobs by River state; River has no counting call of its own, and
// listing every job to count it would not scale with the queue.
const depthQuery = `SELECT state, COUNT(*) FROM river_job WHERE kind = 'audit' GROUP BY state`

func sqlStates(db *sql.DB) stateCounter {
	return func(ctx context.Context) (map[rivertype.JobState]int, error) {
		rows, err := db.QueryContext(ctx, depthQuery)
		if err != nil {
			return nil, err
		}
		defer rows.Close()
		return countStates(rows)
	}
}

func pgxStates(pool *pgxpool.Pool) stateCounter {
	return func(ctx context.Context) (map[rivertype.JobState]int, error) {
		rows, err := pool.Query(ctx, depthQuery)
		if err != nil {
			return nil, err
		}
		defer rows.Close()
		return countStates(rows)
	}
}

// stateRows is what database/sql's and pgx's rows both offer.
type stateRows interface {
	Next() bool
	Scan(dest ...any) error
	Err() error
}

// countStates reads depthQuery's (state, count) rows.
func countStates(rows stateRows) (map[rivertype.JobState]int, error) {
	out := map[rivertype.JobState]int{}
	for rows.Next() {
		var state string
		var n int
		if err := rows.Scan(&state, &n); err != nil {
			return nil, err
		}
		out[rivertype.JobState(state)] += n
	}
	return out, rows.Err()
}

// Depth implements Queue: River's states folded into the API's four statuses, each present.
func (q *riverQueue[TTx]) Depth(ctx context.Context) (map[string]int, error) {
	states, err := q.states(ctx)
	if err != nil {
		return nil, err
	}
	out := map[string]int{Queued: 0, Running: 0, Done: 0, Failed: 0}
	for s, n := range states {
		out[statusOf(s)] += n
	}
	return out, nil
}
