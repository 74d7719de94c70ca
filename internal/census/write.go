package census

import (
	"context"

	"github.com/glassbox-dev/glassbox/internal/census/report"
	"github.com/glassbox-dev/glassbox/internal/store"
)

// WriteReport writes the state of openness the latest census of the store found into dir
// (report.WriteAll's files) and returns the files written.
func WriteReport(ctx context.Context, dsn, dir, version string) ([]string, error) {
	st, err := store.Open(ctx, dsn)
	if err != nil {
		return nil, err
	}
	defer st.Close()
	d, err := newDB(st)
	if err != nil {
		return nil, err
	}
	s := &Service{db: d, st: st, version: version, now: timeNow}
	c, err := s.Latest(ctx)
	if err != nil {
		return nil, err
	}
	p, err := s.Progress(ctx, c)
	if err != nil {
		return nil, err
	}
	return report.WriteAll(dir, s.Meta(c, p), s.Rows(ctx, c))
}
