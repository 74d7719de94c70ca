package census

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"

	"github.com/glassbox-dev/glassbox/internal/census/report"
	"github.com/glassbox-dev/glassbox/internal/queue"
	"github.com/glassbox-dev/glassbox/internal/release"
	rpt "github.com/glassbox-dev/glassbox/internal/report"
	"github.com/glassbox-dev/glassbox/internal/source"
	"github.com/glassbox-dev/glassbox/internal/source/hub"
	"github.com/glassbox-dev/glassbox/internal/store"
	"github.com/glassbox-dev/glassbox/internal/target"
)

// Audit modes, as rows and reports name them.
const (
	ModeMetadata = "metadata"
	ModeDeep     = "deep"
)

// auditModel audits one model of a census at the sha its job names, unless that is done.
func (s *Service) auditModel(ctx context.Context, a ModelArgs) error {
	status, audited, err := s.db.modelState(ctx, a.Census, a.Model)
	if err != nil {
		return fmt.Errorf("census: %s: %v", a.Model, err)
	}
	if audited == a.SHA && status != statusListed {
		return nil // done before a crash or by another worker
	}
	c, err := s.db.byID(ctx, a.Census)
	if err != nil {
		return err
	}
	raw, ok, err := s.db.entry(ctx, a.Model)
	if err != nil {
		return err
	}
	if !ok {
		return fmt.Errorf("%w: %s: no listing entry stored", source.ErrUnreadable, a.Model)
	}
	e, err := hub.ParseEntry(raw)
	if err != nil {
		return fmt.Errorf("%w: %s: %v", source.ErrUnreadable, a.Model, err)
	}
	if e.SHA != a.SHA {
		return nil // listed again at another sha: that job audits it
	}
	ctx, cost := withCost(ctx)
	k := &counters{}
	row, err := s.audit(ctx, c, e, k)
	if err != nil {
		return err
	}
	k.requests = cost.Load()
	return s.db.done(ctx, a.Census, row, *k)
}

// audit judges one listing entry (and with Deep, its files), saves the report and returns the
// census row.
func (s *Service) audit(ctx context.Context, c *Census, e hub.ListEntry, k *counters) (report.Row, error) {
	rel, err := hub.MetadataRelease(e)
	if err != nil {
		return report.Row{}, fmt.Errorf("%w: %s: %v", source.ErrUnreadable, e.ID, err)
	}
	mode := ModeMetadata
	if c.Params.Deep {
		mode = ModeDeep
		st, err := hub.Deepen(ctx, s.client, rel, s.blobs, hub.DefaultOptions)
		k.blobHits, k.blobMisses = int64(st.BlobHits), int64(st.BlobMisses)
		if err != nil {
			return report.Row{}, err
		}
	}
	if err := hub.ResolveLineage(ctx, rel, target.LineageDepth, hub.DefaultOptions, &repos{s: s, k: k}); err != nil {
		return report.Row{}, err
	}
	t := "hf:" + e.ID
	a, err := target.AuditRelease(ctx, t, rel, target.Options{Version: s.version})
	if err != nil {
		return report.Row{}, err
	}
	var doc bytes.Buffer
	if err := rpt.JSON(&doc, a); err != nil {
		return report.Row{}, err
	}
	snap, err := rel.Marshal()
	if err != nil {
		return report.Row{}, err
	}
	m, err := queue.ModelOf(t)
	if err != nil {
		return report.Row{}, fmt.Errorf("%w: %v", source.ErrUnreadable, err)
	}
	saved := &store.Audit{Model: m, Target: t, Revision: e.SHA, Version: s.version, Report: doc.Bytes(), Snapshot: snap}
	id, err := s.st.Save(ctx, saved)
	if err != nil {
		return report.Row{}, err
	}
	return rowOf(doc.Bytes(), saved.Index, e, mode, id) // Save read the index columns
}

// unreadable records a model the census could not audit, and why.
func (s *Service) unreadable(ctx context.Context, a ModelArgs, cause error) error {
	r := report.Row{ID: a.Model, Org: orgOf(a.Model), SHA: a.SHA, Status: statusUnreadable, Error: cause.Error(),
		Licenses: []string{}, Terms: []string{}, Findings: []string{}, BaseModels: []string{}}
	if raw, ok, err := s.db.entry(ctx, a.Model); err == nil && ok {
		if e, err := hub.ParseEntry(raw); err == nil {
			r = entryRow(e)
			r.SHA, r.Status, r.Error = a.SHA, statusUnreadable, cause.Error()
		}
	}
	if c, err := s.db.byID(ctx, a.Census); err == nil {
		r.Mode = ModeMetadata
		if c.Params.Deep {
			r.Mode = ModeDeep
		}
	}
	return s.db.done(ctx, a.Census, r, counters{})
}

// final reports whether an audit or a listing page will fail the same way on retry: the Hub
// answered that the repository or page is not there, gated, disabled or refused, or its answer
// cannot be read. An unreachable Hub, a rate limit and a timeout are worth retrying.
func final(err error) bool {
	var he *hub.Error
	if errors.As(err, &he) {
		return he.Final()
	}
	for _, passing := range []error{hub.ErrUnreachable, hub.ErrRateLimited, context.DeadlineExceeded, context.Canceled} {
		if errors.Is(err, passing) {
			return false
		}
	}
	return errors.Is(err, source.ErrUnreadable)
}

// entryRow is a row's listing part: who, when, how popular, whether gated.
func entryRow(e hub.ListEntry) report.Row {
	var extra struct {
		Gated json.RawMessage `json:"gated"`
	}
	_ = json.Unmarshal(e.Raw, &extra)
	g := strings.TrimSpace(string(extra.Gated))
	return report.Row{ID: e.ID, Org: orgOf(e.ID), SHA: e.SHA, Downloads: e.Downloads, Likes: e.Likes,
		CreatedAt: e.CreatedAt, LastModified: e.LastModified, Gated: g != "" && g != "false" && g != "null",
		Licenses: []string{}, Terms: []string{}, Findings: []string{}, BaseModels: []string{}}
}

func orgOf(id string) string {
	if org, _, ok := strings.Cut(id, "/"); ok {
		return org
	}
	return ""
}

// repos gives a lineage the base models and datasets a census already knows (listed, or
// fetched for an earlier child), fetching and remembering the others.
type repos struct {
	s *Service
	k *counters
}

// Repo implements hub.Repos.
func (r *repos) Repo(ctx context.Context, t hub.Target) (*release.Release, error) {
	key := t.Repo
	if t.Kind == hub.KindDataset {
		key = "datasets/" + t.Repo
	}
	raw, ok, err := r.s.db.entry(ctx, key)
	if err != nil {
		return nil, err
	}
	if ok {
		atomic.AddInt64(&r.k.lineageHits, 1)
	} else {
		atomic.AddInt64(&r.k.lineageFetches, 1)
		if raw, err = r.s.client.InfoJSON(ctx, hub.Target{Kind: t.Kind, Repo: t.Repo}); err != nil {
			return nil, err
		}
		e, err := hub.ParseEntry(raw)
		if err != nil {
			return nil, err
		}
		if err := r.s.db.remember(ctx, key, e.SHA, raw, r.s.now()); err != nil {
			return nil, err
		}
	}
	e, err := hub.ParseEntry(raw)
	if err != nil {
		return nil, err
	}
	rel, err := hub.MetadataRelease(e)
	if err != nil {
		return nil, err
	}
	if t.Kind == hub.KindDataset {
		rel.Target = t.String()
		if rel.Hub != nil {
			rel.Hub.Kind = string(hub.KindDataset)
		}
	}
	return rel, nil
}

// costKey carries a job's request counter in its context.
type costKey struct{}

// withCost gives ctx a counter of the Hub requests made under it.
func withCost(ctx context.Context) (context.Context, *atomic.Int64) {
	n := &atomic.Int64{}
	return context.WithValue(ctx, costKey{}, n), n
}

// CountingTransport counts each request against the job whose context it carries.
func CountingTransport(base http.RoundTripper) http.RoundTripper {
	if base == nil {
		base = http.DefaultTransport
	}
	return countRequests{base}
}

type countRequests struct{ base http.RoundTripper }

func (t countRequests) RoundTrip(r *http.Request) (*http.Response, error) {
	if n, ok := r.Context().Value(costKey{}).(*atomic.Int64); ok {
		n.Add(1)
	}
	return t.base.RoundTrip(r)
}
