package census

import (
	"context"
	"fmt"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/glassbox-dev/glassbox/internal/source/hub"
)

// uniqueStates keep a job unique while it waits, runs or has completed: a page or a model at a
// sha is never queued twice (until River cleans completed jobs away, a day later; by then the
// census tables already say what was done).
var uniqueStates = []rivertype.JobState{
	rivertype.JobStateAvailable, rivertype.JobStatePending, rivertype.JobStateRunning,
	rivertype.JobStateRetryable, rivertype.JobStateScheduled, rivertype.JobStateCompleted,
}

// PageArgs is one listing page of a census round.
type PageArgs struct {
	Census int64  `json:"census" river:"unique"`
	Round  int    `json:"round" river:"unique"`
	URL    string `json:"url" river:"unique"`
	// Seen is how many models the pages before this one listed (for Params.Limit).
	Seen int `json:"seen"`
}

// Kind implements river.JobArgs.
func (PageArgs) Kind() string { return "census_page" }

// ModelArgs is the audit of one model of a census at one sha.
type ModelArgs struct {
	Census int64  `json:"census" river:"unique"`
	Model  string `json:"model" river:"unique"`
	SHA    string `json:"sha" river:"unique"`
}

// Kind implements river.JobArgs.
func (ModelArgs) Kind() string { return "census_model" }

// Attempts: a page is retried long (the whole census waits on it); a model a few times, then
// recorded unreadable.
const (
	pageAttempts  = 10
	modelAttempts = 3
)

func pageJob(c *Census, url string, seen int) river.InsertManyParams {
	return river.InsertManyParams{Args: PageArgs{Census: c.ID, Round: c.Round, URL: url, Seen: seen},
		InsertOpts: &river.InsertOpts{Queue: QueueName, MaxAttempts: pageAttempts, Priority: 1,
			UniqueOpts: river.UniqueOpts{ByArgs: true, ByState: uniqueStates}}}
}

func modelJob(c *Census, e hub.ListEntry) river.InsertManyParams {
	return river.InsertManyParams{Args: ModelArgs{Census: c.ID, Model: e.ID, SHA: e.SHA},
		InsertOpts: &river.InsertOpts{Queue: QueueName, MaxAttempts: modelAttempts, Priority: 2,
			UniqueOpts: river.UniqueOpts{ByArgs: true, ByState: uniqueStates}}}
}

// Register adds the census's workers to a queue's. Their jobs are bounded by the queue's job
// timeout (queue.Config.JobTimeout; Run makes it 5 minutes), which also decides when River
// takes a job of a killed process over: a worker's own longer Timeout would delay that.
func (s *Service) Register(w *river.Workers) {
	river.AddWorker(w, &pageWorker{s: s})
	river.AddWorker(w, &modelWorker{s: s})
}

// pageWorker reads listing pages.
type pageWorker struct {
	river.WorkerDefaults[PageArgs]
	s *Service
}

// Work reads the page, records its entries, queues their audits and the next page, in that
// order, so a crash at any point leaves the page to be read again and nothing lost.
func (w *pageWorker) Work(ctx context.Context, job *river.Job[PageArgs]) error {
	s, a := w.s, job.Args
	c, err := s.db.byID(ctx, a.Census)
	if err != nil {
		return river.JobCancel(err)
	}
	if c.Round != a.Round {
		return nil // a page of a round since ended
	}
	ctx, cost := withCost(ctx)
	page, err := s.client.List(ctx, a.URL)
	if err != nil {
		if final(err) || job.Attempt >= job.MaxAttempts {
			// The listing cannot go on: what was listed is still audited, and the census
			// says why it stopped.
			return s.db.listingFailed(ctx, c, fmt.Sprintf("listing stopped at %s: %v", a.URL, err), cost.Load())
		}
		return err
	}
	entries, next := page.Entries, page.Next
	if lim := c.Params.Limit; lim > 0 && a.Seen+len(entries) >= lim {
		entries, next = entries[:max(0, min(len(entries), lim-a.Seen))], ""
	}
	todo, err := s.db.listed(ctx, c, entries, s.now())
	if err != nil {
		return fmt.Errorf("census: recording page %s: %v", a.URL, err)
	}
	jobs := make([]river.InsertManyParams, 0, len(todo)+1)
	for _, e := range todo {
		jobs = append(jobs, modelJob(c, e))
	}
	if next != "" {
		jobs = append(jobs, pageJob(c, next, a.Seen+len(entries)))
	}
	if _, err := s.q.InsertMany(ctx, jobs); err != nil {
		return err
	}
	return s.db.pageRead(ctx, c, next, cost.Load())
}

// modelWorker audits models.
type modelWorker struct {
	river.WorkerDefaults[ModelArgs]
	s *Service
}

// Work audits the model unless that was done at this sha; its last failed attempt records it
// unreadable.
func (w *modelWorker) Work(ctx context.Context, job *river.Job[ModelArgs]) error {
	err := w.s.auditModel(ctx, job.Args)
	if err == nil {
		return nil
	}
	if final(err) || job.Attempt >= job.MaxAttempts {
		return w.s.unreadable(ctx, job.Args, err)
	}
	return err
}
