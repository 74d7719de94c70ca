// Package census audits every model a Hub listing returns and keeps the answer current: how
// many releases are closed, weights-available, open-weights, Open Source AI, with the evidence of
// each in the store of `glassbox serve`.
//
// A census is a listing query (Params). Its listing pages and its model audits are River jobs in
// the store's database, so any number of processes (`glassbox census`, `glassbox worker`,
// `glassbox serve`) share one census, and a census stopped or killed resumes where it was:
//
//   - a page job reads one listing page (GET /api/models with expand=, the cursor followed as
//     given), records every entry (census_repos: the entry an audit is judged from, shared by the
//     children naming it as a base; census_models: the model in this round), queues an audit for
//     each model that is new or whose sha moved, then queues the next page;
//   - a model job judges the model from its listing entry (a metadata audit), or with Deep reads
//     its README, licence texts and one weights header too, every file once per blob id across
//     all models (census_blobs); base models and datasets come from census_repos, fetched once
//     when a child names one the listing has not given yet. The report is saved as any audit is,
//     and the census keeps its row (report.Row).
//
// Both jobs are idempotent: a page read twice queues nothing twice (jobs are unique by their
// arguments) and a model audited at its sha is not audited again, so a job run again after a
// crash repeats a request at most. Running the same census again starts a new round that
// re-lists and re-audits only the models whose sha changed.
package census

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"strings"
	"sync"
	"time"

	"github.com/riverqueue/river"

	"github.com/glassbox-dev/glassbox/internal/census/report"
	"github.com/glassbox-dev/glassbox/internal/queue"
	"github.com/glassbox-dev/glassbox/internal/source/hub"
	"github.com/glassbox-dev/glassbox/internal/store"
)

// ErrNoCensus means the store holds no census yet.
var ErrNoCensus = errors.New("no census has run in this store (start one with 'glassbox census')")

// QueueName is the River queue census jobs run in, apart from single audits.
const QueueName = "census"

// Params is a census's listing query; the same Params name the same census.
type Params struct {
	Author string `json:"author,omitempty"`
	Filter string `json:"filter,omitempty"`
	Search string `json:"search,omitempty"`
	Sort   string `json:"sort,omitempty"`
	// Limit caps the models listed (0: every model the query lists).
	Limit int `json:"limit,omitempty"`
	// Deep reads each model's README, licence texts and a weights header besides its listing
	// entry.
	Deep bool `json:"deep,omitempty"`
}

// Key identifies the census of these Params.
func (p Params) Key() string {
	return fmt.Sprintf("author=%s&filter=%s&search=%s&sort=%s&limit=%d&deep=%t", p.Author, p.Filter, p.Search, p.Sort, p.Limit, p.Deep)
}

// String describes the query for people ("author=meta-llama, deep").
func (p Params) String() string {
	var parts []string
	for _, kv := range [][2]string{{"author", p.Author}, {"filter", p.Filter}, {"search", p.Search}, {"sort", p.Sort}} {
		if kv[1] != "" {
			parts = append(parts, kv[0]+"="+kv[1])
		}
	}
	if p.Limit > 0 {
		parts = append(parts, fmt.Sprintf("limit=%d", p.Limit))
	}
	if len(parts) == 0 {
		parts = append(parts, "all models")
	}
	if p.Deep {
		parts = append(parts, "deep")
	}
	return strings.Join(parts, ", ")
}

func (p Params) query() hub.ListQuery {
	return hub.ListQuery{Author: p.Author, Filter: p.Filter, Search: p.Search, Sort: p.Sort, Limit: p.Limit}
}

// Config is what a Service works with.
type Config struct {
	Store store.Store
	// Client reads the Hub; give it a transport that shares the census's rate limiter.
	Client *hub.Client
	// Version is glassbox's, recorded with every audit.
	Version string
	// Now tells the time (tests fix it).
	Now func() time.Time
}

// timeNow is time.Now, the clock when none is given.
var timeNow = time.Now

// Service runs census jobs and reads their results.
type Service struct {
	db      *db
	st      store.Store
	client  *hub.Client
	blobs   *blobStore
	version string
	now     func() time.Time
	q       queue.Queue

	sumMu  sync.Mutex // guards the kept dashboard summary
	sum    *report.Summary
	sumKey summaryKey
	sumAt  time.Time
}

// New makes a Service over a store opened by store.Open.
func New(cfg Config) (*Service, error) {
	d, err := newDB(cfg.Store)
	if err != nil {
		return nil, err
	}
	if cfg.Client == nil {
		return nil, errors.New("census: a Hub client is needed")
	}
	now := cfg.Now
	if now == nil {
		now = timeNow
	}
	return &Service{db: d, st: cfg.Store, client: cfg.Client, blobs: newBlobStore(d, 64<<20), version: cfg.Version, now: now}, nil
}

// SetQueue gives the service the queue its jobs queue more jobs on (the queue's workers are
// registered with Register before it opens, so it comes second).
func (s *Service) SetQueue(q queue.Queue) { s.q = q }

// Start begins the census of p, continues it when it is under way, or starts its next round
// when the last one finished, and queues the listing page it is at.
func (s *Service) Start(ctx context.Context, p Params) (*Census, error) {
	if s.q == nil {
		return nil, errors.New("census: no queue")
	}
	if p.Limit < 0 {
		return nil, errors.New("census: the limit is a number of models, 0 or more")
	}
	c, _, err := s.db.begin(ctx, p, s.now())
	if err != nil {
		return nil, err
	}
	if c.State != StateListing {
		return c, nil
	}
	page := c.Cursor
	if page == "" {
		page = s.client.ListURL(p.query())
	}
	seen, err := s.db.seen(ctx, c)
	if err != nil {
		return nil, err
	}
	if _, err := s.q.InsertMany(ctx, []river.InsertManyParams{pageJob(c, page, seen)}); err != nil {
		return nil, err
	}
	return c, nil
}

// Progress counts what the census has done, marking it finished once nothing remains.
func (s *Service) Progress(ctx context.Context, c *Census) (Progress, error) {
	p, err := s.db.progress(ctx, c)
	if err != nil {
		return p, err
	}
	if fin, err := s.db.finish(ctx, c, p, s.now()); err != nil {
		return p, err
	} else if fin && p.State != StateFinished {
		return s.db.progress(ctx, c)
	}
	return p, nil
}

// Latest is the census started last.
func (s *Service) Latest(ctx context.Context) (*Census, error) { return s.db.latest(ctx) }

// Rows streams the per-model rows of a census's current round.
func (s *Service) Rows(ctx context.Context, c *Census) iter.Seq2[report.Row, error] {
	return s.db.rows(ctx, c)
}

// Meta describes a census for its report.
func (s *Service) Meta(c *Census, p Progress) report.Meta {
	return report.Meta{Query: c.Params.String(), Listed: p.Listed, Audited: p.Audited, Unreadable: p.Unreadable,
		Started: p.Started, Finished: p.Finished, Requests: p.Requests, RequestsPerModel: p.RequestsPerModel(),
		Deep: c.Params.Deep, GlassboxVersion: s.version}
}

// Summary is the latest census's meta and aggregated rows, for the web UI's dashboard; it wraps
// ErrNoCensus when there is none. Aggregating reads every row (seconds for a whole-Hub census),
// so the summary is kept: for good once the round is finished, else for SummaryEvery while it
// runs (the meta, with its counts, is always current).
func (s *Service) Summary(ctx context.Context) (report.Meta, *report.Summary, error) {
	c, err := s.Latest(ctx)
	if err != nil {
		return report.Meta{}, nil, err
	}
	p, err := s.Progress(ctx, c)
	if err != nil {
		return report.Meta{}, nil, err
	}
	key := summaryKey{census: c.ID, round: c.Round, finished: p.State == StateFinished, done: p.Done()}
	s.sumMu.Lock()
	defer s.sumMu.Unlock()
	if s.sum != nil && s.sumKey.census == key.census && s.sumKey.round == key.round &&
		(s.sumKey == key || !key.finished && s.now().Sub(s.sumAt) < SummaryEvery) {
		return s.Meta(c, p), s.sum, nil
	}
	sum := report.NewSummary()
	for r, err := range s.Rows(ctx, c) {
		if err != nil {
			return report.Meta{}, nil, err
		}
		sum.Add(r)
	}
	s.sum, s.sumKey, s.sumAt = sum, key, s.now()
	return s.Meta(c, p), sum, nil
}

// SummaryEvery is how long a running census's dashboard summary is reused.
const SummaryEvery = time.Minute

// summaryKey says which census state a kept summary aggregates.
type summaryKey struct {
	census   int64
	round    int
	finished bool
	done     int
}
