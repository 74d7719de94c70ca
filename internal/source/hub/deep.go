package hub

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"path"
	"strings"
	"sync"

	"github.com/glassbox-dev/glassbox/internal/release"
)

// Blobs keeps file contents by blob id (git oid of a plain file, LFS sha256 of a weights file)
// across models and processes. A text is kept under its blob id as read (at most the text cap;
// a single NUL byte for a binary file); a weights file under "header:" and its blob id, as the
// header facts read from it (artifact.Facts as JSON), all glassbox keeps of one.
type Blobs interface {
	Get(ctx context.Context, key string) ([]byte, bool, error)
	Put(ctx context.Context, key string, data []byte) error
}

// DeepStats counts what one Deepen cost: the HTTP requests it sent (redirects included) and
// the blobs found in and missing from Blobs.
type DeepStats struct {
	Requests             int
	BlobHits, BlobMisses int
}

// binaryBlob stands for a text file that turned out binary, so a hit skips it as a read would.
var binaryBlob = []byte{0}

// Deepen adds to a metadata release what the deep census reads: the file tree at its sha (one
// request: oids, sizes, LFS), then the card, licence and notice texts (pickTexts' key texts),
// and the header of at most one weights file where the listing does not already tell (GGUF: its
// licence metadata; pickle files: safety; safetensors only without the listing's safetensors
// summary), each read once per blob id through blobs. Afterwards the release is as Fetch makes
// one (the real card replaces the synthetic one, Files come from the tree, Complete and
// FailedReads as Fetch sets them), with Metadata false. Configuration and documentation files
// are not read. When the tree cannot be read the release is left as it was and the error
// returned; a failing blob store costs only the sharing, and its error is returned after the
// release is deepened.
func Deepen(ctx context.Context, c *Client, rel *release.Release, blobs Blobs, opts Options) (DeepStats, error) {
	ctx, counter := withCounter(ctx)
	var st DeepStats
	t, err := deepTarget(rel)
	if err != nil {
		return st, err
	}
	opts = opts.orDefault()
	list, err := c.tree(ctx, t, t.Revision, opts)
	st.Requests = int(counter.Load())
	if err != nil {
		return st, err
	}
	d := &deepRead{c: c, t: t, blobs: blobs, opts: opts, byPath: map[string]treeEntry{},
		r: &fileReads{texts: map[string]*release.Text{}, headers: map[string]json.RawMessage{}, gated: map[string]bool{}}}
	for _, e := range list.entries {
		d.byPath[e.Path] = e
	}
	d.read(ctx, deepTexts(list.entries, opts), deepWeights(list.entries, rel.Hub))
	if err := ctx.Err(); err != nil {
		return st, err
	}
	rel.Files, rel.Texts, rel.FailedReads, rel.Metadata = filesFromTree(list.entries), nil, nil, false
	rel.Complete = list.complete
	d.r.notes = append(d.r.notes, list.notes...)
	if n := countWeights(KindModel, treePaths(list.entries)); n > 1 {
		d.r.notes = append(d.r.notes, fmt.Sprintf("deep census read: the headers of at most 1 of %d weights files", n))
	}
	d.r.fill(rel, c, t)
	st.Requests, st.BlobHits, st.BlobMisses = int(counter.Load()), d.hits, d.misses
	return st, errors.Join(d.errs...)
}

// deepTarget is the pinned target of a metadata release.
func deepTarget(rel *release.Release) (Target, error) {
	switch {
	case rel == nil || rel.Hub == nil:
		return Target{}, errors.New("deepen: the release has no Hub metadata")
	case rel.Hub.Kind != string(KindModel):
		return Target{}, fmt.Errorf("deepen: %s is a %s, not a model", rel.Hub.ID, rel.Hub.Kind)
	case checkRepo(rel.Hub.ID) != nil:
		return Target{}, fmt.Errorf("deepen: %w", checkRepo(rel.Hub.ID))
	case !IsCommit(rel.Hub.SHA):
		return Target{}, fmt.Errorf("deepen: %s: commit %q is not 40 hex digits", rel.Hub.ID, clip(rel.Hub.SHA, 60))
	}
	return Target{Kind: KindModel, Repo: rel.Hub.ID, Revision: rel.Hub.SHA}, nil
}

// treePaths lists the paths of tree entries.
func treePaths(entries []treeEntry) []string {
	out := make([]string, len(entries))
	for i, e := range entries {
		out[i] = e.Path
	}
	return out
}

// deepTexts are the card, licence and notice texts among pickTexts' choice.
func deepTexts(entries []treeEntry, o Options) []string {
	var out []string
	for _, p := range pickTexts(KindModel, treePaths(entries), o) {
		if release.IsKeyText(p) {
			out = append(out, p)
		}
	}
	return out
}

// pickleExt are the weights formats that may hold pickles, whose safety only a header read tells.
var pickleExt = map[string]bool{".bin": true, ".pt": true, ".pth": true, ".ckpt": true, ".pkl": true, ".pickle": true, ".joblib": true}

// deepWeights is the one weights file whose header tells what the listing does not, or "": a
// pickle first (safety), then a GGUF file (its licence metadata), then a safetensors file when
// the listing gave no safetensors summary; the first in path order of each kind.
func deepWeights(entries []treeEntry, hub *release.HubInfo) string {
	first := map[string]string{}
	for _, e := range entries {
		if !release.IsWeights(e.Path) {
			continue
		}
		kind := strings.ToLower(path.Ext(e.Path))
		if pickleExt[kind] {
			kind = "pickle"
		}
		if _, ok := first[kind]; !ok {
			first[kind] = e.Path
		}
	}
	if p := first["pickle"]; p != "" {
		return p
	}
	if p := first[".gguf"]; p != "" {
		return p
	}
	if hub == nil || len(hub.Parameters) == 0 && hub.ParametersTotal == 0 {
		return first[".safetensors"]
	}
	return ""
}

// deepRead is one Deepen's reads, shared through blobs.
type deepRead struct {
	c      *Client
	t      Target
	blobs  Blobs
	opts   Options
	byPath map[string]treeEntry
	r      *fileReads

	mu           sync.Mutex
	hits, misses int
	errs         []error
}

// blobKey is the id a file's content is shared under: the LFS sha256, else the git oid.
func blobKey(e treeEntry) string {
	if e.LFS != nil && e.LFS.OID != "" {
		return e.LFS.OID
	}
	return e.OID
}

// read reads the texts and the weights header in parallel; paths with the same blob are read once.
func (d *deepRead) read(ctx context.Context, texts []string, weights string) {
	byKey := map[string][]string{}
	var keys []string
	for _, p := range texts {
		k := blobKey(d.byPath[p])
		if k == "" {
			k = "path:" + p // no oid: read, never shared
		}
		if byKey[k] == nil {
			keys = append(keys, k)
		}
		byKey[k] = append(byKey[k], p)
	}
	var wg sync.WaitGroup
	for _, k := range keys {
		wg.Go(func() { d.text(ctx, k, byKey[k]) })
	}
	if weights != "" {
		wg.Go(func() { d.header(ctx, weights) })
	}
	wg.Wait()
}

// text reads the text shared by paths (one blob) from blobs or the Hub, and files it for each.
func (d *deepRead) text(ctx context.Context, key string, paths []string) {
	e, limit := d.byPath[paths[0]], d.opts.MaxTextFile
	data, ok := d.lookup(ctx, key)
	if !ok {
		x, err := d.c.readText(ctx, d.t, paths[0], limit)
		if err != nil {
			for _, p := range paths {
				d.r.record(p, err, nil)
			}
			return
		}
		data = binaryBlob
		if x != nil {
			data = []byte(x.Content)
		}
		d.store(ctx, key, data)
	}
	if bytes.IndexByte(data, 0) >= 0 {
		return
	}
	for _, p := range paths {
		x := &release.Text{Path: p, Content: string(data), Truncated: e.Size > limit}
		d.r.record(p, nil, func() { d.r.texts[p] = x })
	}
}

// header reads the header facts of weights file p from blobs or the Hub.
func (d *deepRead) header(ctx context.Context, p string) {
	key := blobKey(d.byPath[p])
	if key != "" {
		key = "header:" + key
	}
	data, ok := d.lookup(ctx, key)
	if !ok {
		h, err := d.c.readHeader(ctx, d.t, p, d.opts)
		if err != nil || h == nil {
			d.r.record(p, err, func() {})
			return
		}
		data = h
		d.store(ctx, key, data)
	}
	d.r.record(p, nil, func() { d.r.headers[p] = data })
}

// lookup gets key from blobs, counting the hit or miss; a blob store error counts as a miss.
func (d *deepRead) lookup(ctx context.Context, key string) ([]byte, bool) {
	if strings.HasPrefix(key, "path:") || key == "" || d.blobs == nil {
		return nil, false
	}
	data, ok, err := d.blobs.Get(ctx, key)
	d.mu.Lock()
	defer d.mu.Unlock()
	if err != nil {
		d.errs = append(d.errs, fmt.Errorf("blob store: get %s: %w", key, err))
	}
	if ok && err == nil {
		d.hits++
		return data, true
	}
	d.misses++
	return nil, false
}

// store puts data under key, keeping any error for Deepen to return.
func (d *deepRead) store(ctx context.Context, key string, data []byte) {
	if strings.HasPrefix(key, "path:") || key == "" || d.blobs == nil {
		return
	}
	if err := d.blobs.Put(ctx, key, data); err != nil {
		d.mu.Lock()
		d.errs = append(d.errs, fmt.Errorf("blob store: put %s: %w", key, err))
		d.mu.Unlock()
	}
}

// MemoryBlobs is a Blobs in memory, bounded in bytes: when full, the oldest blobs go first.
// It suits tests and single runs; the census keeps its blobs in its database.
type MemoryBlobs struct {
	// Max bounds the bytes held; zero or less means 256 MB.
	Max int64

	mu    sync.Mutex
	data  map[string][]byte
	order []string
	size  int64
}

// Get returns a copy of the blob stored under key.
func (m *MemoryBlobs) Get(_ context.Context, key string) ([]byte, bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	b, ok := m.data[key]
	return bytes.Clone(b), ok, nil
}

// Put stores a copy of data under key, dropping the oldest blobs to stay under Max. A blob
// larger than Max is not kept.
func (m *MemoryBlobs) Put(_ context.Context, key string, data []byte) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	limit := m.Max
	if limit <= 0 {
		limit = 256 << 20
	}
	if _, ok := m.data[key]; ok || int64(len(data)) > limit {
		return nil
	}
	if m.data == nil {
		m.data = map[string][]byte{}
	}
	for m.size+int64(len(data)) > limit && len(m.order) > 0 {
		m.size -= int64(len(m.data[m.order[0]]))
		delete(m.data, m.order[0])
		m.order = m.order[1:]
	}
	m.data[key] = bytes.Clone(data)
	m.order = append(m.order, key)
	m.size += int64(len(data))
	return nil
}

// Len is the number of blobs held.
func (m *MemoryBlobs) Len() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.data)
}
