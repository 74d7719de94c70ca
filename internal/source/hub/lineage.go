package hub

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"

	"github.com/glassbox-dev/glassbox/internal/release"
)

// FetchLineage reads what rel was made from and attaches it to rel:
//
//   - rel.Parents: the models the card's base_model names (a list is a merge), in card order,
//     falling back to the Hub's computed baseModels when the card names none;
//   - rel.Datasets: the datasets the card's datasets names, in card order, falling back to the
//     dataset: tags.
//
// Each is fetched like Fetch does, as a Release of its own and, for parents, resolved the same
// way, so rel becomes a tree: depth 1 reads rel's parents and datasets only, depth 2 their
// parents and datasets too, and so on. A reference that would close a cycle, that is not a
// Hub id, or that cannot be read (missing, private) becomes a stub Release with no files,
// Complete false and a note saying why; it never fails the lineage. A repository met along
// several paths (a merge of siblings) is fetched once and copied into each place it appears,
// so the JSON is a tree and stays deterministic. Independent fetches run in parallel, and a
// parent's own parents are looked up as soon as its info is known, while its files are still
// being read. The only error returned is the context's.
func FetchLineage(ctx context.Context, c *Client, rel *release.Release, depth int, opts Options) error {
	l := newLineage(c, opts)
	rel.Notes = append(rel.Notes, l.resolve(ctx, rel, ancestryOf(rel), depth, l.opts.MaxRepos-1)...)
	return ctx.Err()
}

// Audit reads t and its lineage to depth: Fetch and FetchLineage in one, overlapped, so the
// parents and datasets are looked up as soon as t's info is known. This is the fewest round
// trips on the critical path the API allows: t's info, a parent's info, a parent's files.
func Audit(ctx context.Context, c *Client, t Target, depth int, opts Options) (*release.Release, error) {
	info, err := c.info(ctx, t)
	if err != nil {
		return nil, err
	}
	rel := newRelease(t, info)
	l := newLineage(c, opts)
	var notes []string
	var wg sync.WaitGroup
	wg.Go(func() { notes = l.resolve(ctx, rel, ancestryOf(rel), depth, l.opts.MaxRepos-1) })
	readFiles(ctx, c, t, info, rel, opts)
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	rel.Notes = append(rel.Notes, notes...)
	return rel, nil
}

// ancestryOf starts cycle detection at rel.
func ancestryOf(rel *release.Release) []string {
	if rel.Hub == nil {
		return nil
	}
	return []string{strings.ToLower(rel.Hub.ID)}
}

// Repos gives the repositories a lineage is built from instead of the Hub's own answers: a
// census reads base models and datasets from its shared store, once for every child.
type Repos interface {
	// Repo returns the release of t (its info and whatever files are known), or an error
	// saying why it cannot be read.
	Repo(ctx context.Context, t Target) (*release.Release, error)
}

// ResolveLineage fills rel's Parents and Datasets to depth as FetchLineage does, taking every
// repository from repos.
func ResolveLineage(ctx context.Context, rel *release.Release, depth int, opts Options, repos Repos) error {
	l := newLineage(nil, opts)
	l.repos = repos
	rel.Notes = append(rel.Notes, l.resolve(ctx, rel, ancestryOf(rel), depth, l.opts.MaxRepos-1)...)
	return ctx.Err()
}

// lineage memoises fetches across one FetchLineage or Audit call.
type lineage struct {
	c     *Client
	repos Repos // when set, repositories come from here instead of c
	opts  Options
	mu    sync.Mutex
	calls map[string]*call
}

// newLineage starts the memo of one audit.
func newLineage(c *Client, opts Options) *lineage {
	return &lineage{c: c, opts: opts.orDefault(), calls: map[string]*call{}}
}

// call is one repository's fetch, shared by everyone who asks for it: head is closed once
// the info (or err) is known, done once the files are read too.
type call struct {
	head, done chan struct{}
	info       *repoInfo
	rel        *release.Release
	err        error
}

// start begins fetching t unless that is already under way.
func (l *lineage) start(ctx context.Context, t Target) *call {
	key := strings.ToLower(t.String())
	l.mu.Lock()
	defer l.mu.Unlock()
	if cl, ok := l.calls[key]; ok {
		return cl
	}
	cl := &call{head: make(chan struct{}), done: make(chan struct{})}
	l.calls[key] = cl
	go func() {
		defer close(cl.done)
		if l.repos != nil {
			cl.rel, cl.err = l.repos.Repo(ctx, t)
			close(cl.head)
			return
		}
		cl.info, cl.err = l.c.info(ctx, t)
		close(cl.head)
		if cl.err == nil {
			rel := newRelease(t, cl.info)
			readFiles(ctx, l.c, t, cl.info, rel, l.opts)
			cl.rel = rel
		}
	}()
	return cl
}

// wait blocks until ch is closed or ctx is done.
func wait(ctx context.Context, ch chan struct{}) error {
	select {
	case <-ch:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// resolve fills rel.Parents and rel.Datasets, recursing into parents while depth lasts, and
// returns the notes it has for rel. ancestry holds the lower-cased ids from the root down to
// rel, for cycle detection. quota is how many repositories rel's lineage may still read: each
// parent and dataset takes one, and what is left is shared evenly among the parents in card
// order, so the bound on repositories per audit gives the same tree whatever the timing.
func (l *lineage) resolve(ctx context.Context, rel *release.Release, ancestry []string, depth, quota int) []string {
	if rel.Hub == nil || rel.Hub.Kind != string(KindModel) {
		return nil
	}
	parents, datasets := baseModelRefs(rel.Hub), datasetRefs(rel.Hub)
	if depth <= 0 {
		if len(parents)+len(datasets) > 0 {
			return []string{"lineage not followed further: depth limit reached"}
		}
		return nil
	}
	var notes []string
	if len(parents) > l.opts.MaxParents {
		notes = append(notes, fmt.Sprintf("followed the first %d of %d base models the card names", l.opts.MaxParents, len(parents)))
		parents = parents[:l.opts.MaxParents]
	}
	if len(datasets) > l.opts.MaxDatasets {
		notes = append(notes, fmt.Sprintf("followed the first %d of %d datasets the card names", l.opts.MaxDatasets, len(datasets)))
		datasets = datasets[:l.opts.MaxDatasets]
	}
	if n := len(parents) + len(datasets); n > quota {
		notes = append(notes, fmt.Sprintf("followed %d of %d base models and datasets: the audit's limit of %d repositories was reached", max(quota, 0), n, l.opts.MaxRepos))
		parents = parents[:min(len(parents), max(quota, 0))]
		datasets = datasets[:min(len(datasets), max(quota-len(parents), 0))]
	}
	shares := split(quota-len(parents)-len(datasets), len(parents))
	ps := make([]*release.Release, len(parents))
	ds := make([]*release.Release, len(datasets))
	var wg sync.WaitGroup
	for i, id := range parents {
		wg.Go(func() { ps[i] = l.parent(ctx, id, ancestry, depth, shares[i]) })
	}
	for i, id := range datasets {
		wg.Go(func() { ds[i] = l.dataset(ctx, id) })
	}
	wg.Wait()
	if len(ps) > 0 {
		rel.Parents = ps
	}
	if len(ds) > 0 {
		rel.Datasets = ds
	}
	return notes
}

// split shares n among k, the first ones getting the remainder.
func split(n, k int) []int {
	out := make([]int, k)
	for i := range out {
		out[i] = max(n, 0) / k
		if i < max(n, 0)%k {
			out[i]++
		}
	}
	return out
}

// parent reads one base model and its own lineage, within quota repositories.
func (l *lineage) parent(ctx context.Context, id string, ancestry []string, depth, quota int) *release.Release {
	ref := id
	if !IsTarget(ref) {
		ref = "hf:" + id
	}
	t, err := ParseTarget(ref)
	if err != nil || t.Kind != KindModel {
		return stub("hf:"+id, id, fmt.Sprintf("base model %q is not a Hub model id", id))
	}
	for _, a := range ancestry {
		if a == strings.ToLower(t.Repo) {
			return stub(t.String(), id, fmt.Sprintf("base model %s is already in this lineage (cycle: %s → %s); not followed", id, strings.Join(ancestry, " → "), strings.ToLower(t.Repo)))
		}
	}
	cl := l.start(ctx, t)
	if err := wait(ctx, cl.head); err != nil {
		return stub(t.String(), id, err.Error())
	}
	if cl.err != nil {
		return stub(t.String(), id, fmt.Sprintf("base model could not be read: %v", cl.err))
	}
	if cl.info == nil { // from Repos: the release as given, its own lineage resolved here
		cp := *cl.rel
		cp.Parents, cp.Datasets = nil, nil
		cp.Notes = append(append([]string(nil), cl.rel.Notes...), l.resolve(ctx, &cp, append(ancestry[:len(ancestry):len(ancestry)], strings.ToLower(t.Repo)), depth-1, quota)...)
		return &cp
	}
	cp := newRelease(t, cl.info)
	notes := l.resolve(ctx, cp, append(ancestry[:len(ancestry):len(ancestry)], strings.ToLower(t.Repo)), depth-1, quota)
	if err := wait(ctx, cl.done); err != nil {
		return stub(t.String(), id, err.Error())
	}
	cp.Files, cp.Texts, cp.Complete, cp.FailedReads = cl.rel.Files, cl.rel.Texts, cl.rel.Complete, cl.rel.FailedReads
	cp.Notes = append(append([]string(nil), cl.rel.Notes...), notes...)
	return cp
}

// dataset reads one dataset's card and files.
func (l *lineage) dataset(ctx context.Context, id string) *release.Release {
	t, err := ParseTarget("hf:datasets/" + id)
	if err != nil {
		return stub("hf:datasets/"+id, id, fmt.Sprintf("dataset %q is not a Hub dataset id", id))
	}
	cl := l.start(ctx, t)
	if err := wait(ctx, cl.done); err != nil {
		return stub(t.String(), id, err.Error())
	}
	if cl.err != nil {
		return stub(t.String(), id, fmt.Sprintf("dataset could not be read: %v", cl.err))
	}
	cp := *cl.rel
	return &cp
}

// stub stands for a lineage entry that was not read.
func stub(target, name, why string) *release.Release {
	return &release.Release{Schema: release.Schema, Target: target, Name: name, Notes: []string{why}}
}

// baseModelRefs lists the parents: the card's base_model, else the Hub's baseModels.
func baseModelRefs(h *release.HubInfo) []string {
	if ids := cardList(h.CardData, "base_model"); len(ids) > 0 {
		return ids
	}
	return dedup(h.BaseModels)
}

// datasetRefs lists the datasets: the card's datasets, else the dataset: tags.
func datasetRefs(h *release.HubInfo) []string {
	if ids := cardList(h.CardData, "datasets"); len(ids) > 0 {
		return ids
	}
	var ids []string
	for _, tag := range h.Tags {
		if id, ok := strings.CutPrefix(tag, "dataset:"); ok {
			ids = append(ids, id)
		}
	}
	return dedup(ids)
}

// cardList reads a card field that may be a string or a list of strings, leniently: other
// values are skipped, blanks trimmed, duplicates dropped.
func cardList(card json.RawMessage, key string) []string {
	var m map[string]json.RawMessage
	if json.Unmarshal(card, &m) != nil {
		return nil
	}
	raw, ok := m[key]
	if !ok {
		return nil
	}
	var one string
	if json.Unmarshal(raw, &one) == nil {
		return dedup([]string{one})
	}
	var list []json.RawMessage
	if json.Unmarshal(raw, &list) != nil {
		return nil
	}
	var ids []string
	for _, v := range list {
		if json.Unmarshal(v, &one) == nil {
			ids = append(ids, one)
		}
	}
	return dedup(ids)
}

// dedup trims ids and drops blanks and repeats (case-insensitively), keeping first order.
func dedup(ids []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, id := range ids {
		id = strings.TrimSpace(id)
		k := strings.ToLower(id)
		if id == "" || seen[k] {
			continue
		}
		seen[k] = true
		out = append(out, id)
	}
	return out
}
