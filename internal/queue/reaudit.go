package queue

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/glassbox-dev/glassbox/internal/source/hub"
	"github.com/glassbox-dev/glassbox/internal/store"
)

// ReauditArgs is the periodic job that queues a re-audit of every stored model whose
// repository has moved on since its latest audit.
type ReauditArgs struct{}

// Kind implements river.JobArgs.
func (ReauditArgs) Kind() string { return "reaudit" }

// InsertOpts keeps one re-audit sweep waiting or running at a time.
func (ReauditArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{MaxAttempts: 3, UniqueOpts: river.UniqueOpts{ByState: []rivertype.JobState{
		rivertype.JobStateAvailable, rivertype.JobStatePending, rivertype.JobStateRunning,
		rivertype.JobStateRetryable, rivertype.JobStateScheduled,
	}}}
}

// StaleFunc names the targets to audit again.
type StaleFunc func(ctx context.Context) ([]string, error)

// HeadFunc tells the commit a Hub target's revision (the default branch when none) is at now.
type HeadFunc func(ctx context.Context, target string) (string, error)

// Stale returns the StaleFunc that pages through the latest audit of every stored model and
// keeps the Hub targets whose revision head now names another commit. Targets pinned to a
// commit never move and are not asked about; a model the Hub cannot answer for is skipped (its
// next sweep asks again), so one gone repository does not stop the rest.
func Stale(st store.Store, head HeadFunc) StaleFunc {
	return func(ctx context.Context) ([]string, error) {
		var out []string
		for offset := 0; ; offset += store.MaxLimit {
			page, err := st.Search(ctx, store.Query{Limit: store.MaxLimit, Offset: offset})
			if err != nil {
				return out, err
			}
			for _, a := range page.Audits {
				if moved(ctx, head, a) {
					out = append(out, a.Target)
				}
			}
			if len(page.Audits) < store.MaxLimit || ctx.Err() != nil {
				return out, ctx.Err()
			}
		}
	}
}

// moved reports whether a's target now resolves to another commit than the one audited.
func moved(ctx context.Context, head HeadFunc, a store.Audit) bool {
	t, err := hub.ParseTarget(a.Target)
	if err != nil || !hub.IsTarget(a.Target) || hub.IsCommit(t.Revision) {
		return false
	}
	sha, err := head(ctx, a.Target)
	return err == nil && sha != "" && sha != a.Revision
}

// HubHead asks the Hub (HF_ENDPOINT, with the on-disk HTTP cache) for the commit a target's
// revision is at. Package hub exports no info-only call, so this is a Fetch cut to the least it
// reads: the info, one tree page, one text and one header, each a 304 when the cache has it.
func HubHead(version string) HeadFunc {
	return func(ctx context.Context, target string) (string, error) {
		t, err := hub.ParseTarget(target)
		if err != nil {
			return "", err
		}
		c := hub.NewClient(version)
		if dir := hub.DefaultHTTPCacheDir(); dir != "" {
			c.Cache = &hub.HTTPCache{Dir: dir}
		}
		ctx, cancel := context.WithTimeout(ctx, time.Minute)
		defer cancel()
		rel, err := hub.Fetch(ctx, c, t, hub.Options{MaxTexts: 1, MaxWeights: 1, MaxFiles: 1, MaxTreePages: 1, HeaderPrefix: 1 << 10, MaxHeaderBytes: 1 << 10})
		if err != nil {
			return "", err
		}
		return rel.Revision, nil
	}
}

// reauditWorker runs the sweep and queues an audit of each stale target.
type reauditWorker struct {
	river.WorkerDefaults[ReauditArgs]
	stale  StaleFunc
	submit func(ctx context.Context, target string) (Job, error)
}

// Work queues what the sweep found; the audit jobs' uniqueness keeps a target queued once.
func (w *reauditWorker) Work(ctx context.Context, _ *river.Job[ReauditArgs]) error {
	if w.stale == nil {
		return nil // a sweep queued by a process configured with one; this one has none
	}
	targets, err := w.stale(ctx)
	var errs []error
	for _, t := range targets {
		if _, err := w.submit(ctx, t); err != nil {
			errs = append(errs, err)
		}
	}
	if err != nil {
		errs = append(errs, fmt.Errorf("re-audit sweep: %v", err))
	}
	return errors.Join(errs...)
}
