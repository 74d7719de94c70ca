package hub

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"path"
	"slices"
	"sort"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/glassbox-dev/glassbox/internal/artifact"
	"github.com/glassbox-dev/glassbox/internal/release"
	"github.com/glassbox-dev/glassbox/internal/source"
	"github.com/glassbox-dev/glassbox/internal/source/web"
)

// Options bound what Fetch reads. A zero field takes its value from DefaultOptions.
type Options struct {
	// MaxTextFile caps one card, licence, notice or configuration file.
	MaxTextFile int64
	// MaxDocFile caps other documentation and code files.
	MaxDocFile int64
	// MaxTexts caps how many text files are read.
	MaxTexts int
	// MaxWeights caps how many weights files get their headers read.
	MaxWeights int
	// HeaderPrefix is the first range read of a weights file; most headers fit in it.
	HeaderPrefix int64
	// MaxHeaderBytes caps the bytes read from one weights file.
	MaxHeaderBytes int64
	// MaxFiles caps the inventory; a larger repository is reported incomplete.
	MaxFiles int
	// MaxTreePages caps the pages of one file tree listing.
	MaxTreePages int
	// MaxParents and MaxDatasets cap the base models and datasets followed per model.
	MaxParents, MaxDatasets int
	// MaxRepos caps the repositories one audit reads, lineage included.
	MaxRepos int
}

// DefaultOptions suit model repositories: a card or licence is rarely over a megabyte, and a
// safetensors header of a large model is a few hundred kilobytes.
var DefaultOptions = Options{
	MaxTextFile: 1 << 20, MaxDocFile: 256 << 10, MaxTexts: 64, MaxWeights: 32,
	HeaderPrefix: 64 << 10, MaxHeaderBytes: 32 << 20, MaxFiles: 200_000, MaxTreePages: 500,
	MaxParents: 16, MaxDatasets: 16, MaxRepos: 64,
}

// orDefault fills zero fields from DefaultOptions.
func (o Options) orDefault() Options {
	d := DefaultOptions
	if o.MaxTextFile <= 0 {
		o.MaxTextFile = d.MaxTextFile
	}
	if o.MaxDocFile <= 0 {
		o.MaxDocFile = d.MaxDocFile
	}
	if o.MaxTexts <= 0 {
		o.MaxTexts = d.MaxTexts
	}
	if o.MaxWeights <= 0 {
		o.MaxWeights = d.MaxWeights
	}
	if o.HeaderPrefix <= 0 {
		o.HeaderPrefix = d.HeaderPrefix
	}
	if o.MaxHeaderBytes <= 0 {
		o.MaxHeaderBytes = d.MaxHeaderBytes
	}
	if o.MaxFiles <= 0 {
		o.MaxFiles = d.MaxFiles
	}
	if o.MaxTreePages <= 0 {
		o.MaxTreePages = d.MaxTreePages
	}
	if o.MaxParents <= 0 {
		o.MaxParents = d.MaxParents
	}
	if o.MaxDatasets <= 0 {
		o.MaxDatasets = d.MaxDatasets
	}
	if o.MaxRepos <= 0 {
		o.MaxRepos = d.MaxRepos
	}
	return o
}

// expand lists the info fields Fetch asks for, per kind. The Hub rejects fields a kind lacks.
var expand = map[Kind][]string{
	KindModel: {"baseModels", "cardData", "config", "disabled", "gated", "gguf", "lastModified",
		"library_name", "pipeline_tag", "private", "safetensors", "sha", "siblings", "tags"},
	KindDataset: {"cardData", "disabled", "gated", "lastModified", "private", "sha", "siblings", "tags"},
}

// repoInfo is the part of /api/models/{id} and /api/datasets/{id} that glassbox keeps.
type repoInfo struct {
	ID           string          `json:"id"`
	SHA          string          `json:"sha"`
	Private      bool            `json:"private"`
	Disabled     bool            `json:"disabled"`
	Gated        json.RawMessage `json:"gated"` // false, "auto" or "manual"
	LastModified string          `json:"lastModified"`
	LibraryName  string          `json:"library_name"`
	PipelineTag  string          `json:"pipeline_tag"`
	Tags         []string        `json:"tags"`
	CardData     json.RawMessage `json:"cardData"`
	Config       json.RawMessage `json:"config"`
	Safetensors  *struct {
		Parameters map[string]int64 `json:"parameters"`
		Total      int64            `json:"total"`
	} `json:"safetensors"`
	GGUF       json.RawMessage `json:"gguf"`
	Siblings   []sibling       `json:"siblings"`
	BaseModels json.RawMessage `json:"baseModels"`

	refused int // siblings left out for their path
}

// sibling is one file of an info response; size and lfs come only with blobs=true.
type sibling struct {
	RFilename string `json:"rfilename"`
	Size      *int64 `json:"size"`
	BlobID    string `json:"blobId"`
	LFS       *struct {
		SHA256      string `json:"sha256"`
		Size        int64  `json:"size"`
		PointerSize int64  `json:"pointerSize"`
	} `json:"lfs"`
}

// treeEntry is one entry of /api/models/{id}/tree/{rev}. Note lfs.oid here, lfs.sha256 in siblings.
type treeEntry struct {
	Type string `json:"type"`
	OID  string `json:"oid"`
	Size int64  `json:"size"`
	Path string `json:"path"`
	LFS  *struct {
		OID         string `json:"oid"`
		Size        int64  `json:"size"`
		PointerSize int64  `json:"pointerSize"`
	} `json:"lfs"`
}

// gated reads the info's gated field: "" for false or absent.
func (i *repoInfo) gated() string {
	var s string
	if json.Unmarshal(i.Gated, &s) == nil {
		return s
	}
	return ""
}

// hubInfo converts the API answer into the snapshot's form.
func (i *repoInfo) hubInfo(kind Kind) *release.HubInfo {
	h := &release.HubInfo{
		Kind: string(kind), ID: i.ID, SHA: i.SHA, Gated: i.gated(), Private: i.Private, Disabled: i.Disabled,
		LastModified: i.LastModified, LibraryName: i.LibraryName, PipelineTag: i.PipelineTag,
		Tags: i.Tags, CardData: canonical(i.CardData), Config: canonical(i.Config), GGUF: canonical(i.GGUF),
	}
	if i.Safetensors != nil {
		h.Parameters, h.ParametersTotal = i.Safetensors.Parameters, i.Safetensors.Total
	}
	h.BaseModelRelation, h.BaseModels = parseBaseModels(i.BaseModels)
	return h
}

// parseBaseModels reads the baseModels expansion, {"relation": r, "models": [{"id": …}]}, and
// tolerates a bare list of ids or objects.
func parseBaseModels(raw json.RawMessage) (relation string, ids []string) {
	var obj struct {
		Relation string            `json:"relation"`
		Models   []json.RawMessage `json:"models"`
	}
	var list []json.RawMessage
	switch {
	case json.Unmarshal(raw, &obj) == nil:
		relation, list = obj.Relation, obj.Models
	case json.Unmarshal(raw, &list) == nil:
	default:
		return "", nil
	}
	for _, m := range list {
		var s string
		var o struct {
			ID string `json:"id"`
		}
		if json.Unmarshal(m, &s) == nil && s != "" {
			ids = append(ids, s)
		} else if json.Unmarshal(m, &o) == nil && o.ID != "" {
			ids = append(ids, o.ID)
		}
	}
	return relation, ids
}

// canonical re-encodes JSON with sorted keys and no insignificant space; null and invalid
// JSON become nil so they are omitted.
func canonical(raw json.RawMessage) json.RawMessage {
	if len(raw) == 0 || string(raw) == "null" {
		return nil
	}
	d := json.NewDecoder(bytes.NewReader(raw))
	d.UseNumber()
	var v any
	if d.Decode(&v) != nil {
		return nil
	}
	b, err := json.Marshal(v) // maps marshal with sorted keys
	if err != nil {
		return nil
	}
	return b
}

// apiBase is the API path of a repository: /api/models/{id} or /api/datasets/{id}.
func apiBase(t Target) string {
	if t.Kind == KindDataset {
		return "/api/datasets/" + t.Repo
	}
	return "/api/models/" + t.Repo
}

// resolveURL is where the raw bytes of file p live at commit sha.
func (c *Client) resolveURL(t Target, sha, p string) string {
	c.init()
	prefix := "/"
	if t.Kind == KindDataset {
		prefix = "/datasets/"
	}
	segs := strings.Split(p, "/")
	for i, s := range segs {
		segs[i] = url.PathEscape(s)
	}
	return c.Endpoint + prefix + t.Repo + "/resolve/" + url.PathEscape(sha) + "/" + strings.Join(segs, "/")
}

// info reads a repository's metadata at t.Revision (the default branch when empty). The commit
// it names must be 40 hex digits, since every later URL and cache entry is pinned to it.
func (c *Client) info(ctx context.Context, t Target) (*repoInfo, error) {
	info, _, err := c.infoRaw(ctx, t)
	return info, err
}

// InfoJSON is a repository's info answer as the Hub gave it (the fields Fetch asks for), once
// checked as Fetch checks it: the listing-entry shape MetadataRelease reads.
func (c *Client) InfoJSON(ctx context.Context, t Target) (json.RawMessage, error) {
	_, raw, err := c.infoRaw(ctx, t)
	return raw, err
}

func (c *Client) infoRaw(ctx context.Context, t Target) (*repoInfo, json.RawMessage, error) {
	if t.Revision != "" {
		if err := checkRevision(t.Revision); err != nil {
			return nil, nil, fmt.Errorf("%w: %s: %v", source.ErrUnreadable, t, err)
		}
	}
	c.init()
	u := c.Endpoint + apiBase(t)
	if t.Revision != "" {
		u += "/revision/" + url.PathEscape(t.Revision)
	}
	q := url.Values{"expand": expand[t.Kind]}
	var raw json.RawMessage
	if err := c.getJSON(ctx, t.String(), u+"?"+q.Encode(), &raw, false); err != nil {
		return nil, nil, err
	}
	info, err := decodeInfo(raw, t)
	if err != nil {
		return nil, nil, fmt.Errorf("%w: %s: %w", source.ErrUnreadable, t, err)
	}
	return info, raw, nil
}

// decodeInfo reads an info answer for t and checks what later requests rely on: a 40-hex commit,
// a repository id (t's when the answer's is missing or malformed), file paths that pass
// CheckPath (the others are left out and counted).
func decodeInfo(raw []byte, t Target) (*repoInfo, error) {
	var info repoInfo
	if err := json.Unmarshal(raw, &info); err != nil {
		return nil, fmt.Errorf("decoding the Hub's answer: %v", err)
	}
	switch {
	case info.SHA == "":
		return nil, fmt.Errorf("the Hub gave no commit sha")
	case !IsCommit(info.SHA):
		return nil, fmt.Errorf("the Hub gave %q as the commit sha, not 40 hex digits", clip(info.SHA, 60))
	}
	if info.ID == "" || checkRepo(info.ID) != nil {
		info.ID = t.Repo
	}
	if info.Disabled {
		return nil, ErrDisabled
	}
	info.Siblings, info.refused = validSiblings(info.Siblings)
	return &info, nil
}

// clip shortens s to n bytes for a message, quoting it safely.
func clip(s string, n int) string {
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}

// validSiblings keeps the files whose path passes CheckPath and returns the others' count.
func validSiblings(sibs []sibling) ([]sibling, int) {
	out := sibs[:0]
	for _, s := range sibs {
		if CheckPath(s.RFilename) == nil {
			out = append(out, s)
		}
	}
	return out, len(sibs) - len(out)
}

// getJSON decodes one JSON answer of at most MaxAnswer bytes into v, holding that much of the
// memory budget while it does.
func (c *Client) getJSON(ctx context.Context, what, u string, v any, pinned bool) error {
	_, err := c.getJSONHeader(ctx, what, u, v, pinned)
	return err
}

// jsonCost is the memory a JSON answer takes per byte: the body as read, and what it decodes to.
const jsonCost = 3

// getJSONHeader is getJSON returning the answer's headers and final URL too (for Link). The
// memory reserved is jsonCost times the answer's announced length, or its cap when the length is
// not announced; no budget is held while the request waits for a worker or an answer.
func (c *Client) getJSONHeader(ctx context.Context, what, u string, v any, pinned bool) (*http.Response, error) {
	c.init()
	return c.getJSONCapped(ctx, what, u, v, pinned, c.MaxAnswer)
}

// getJSONCapped is getJSONHeader for an answer of at most maxAnswer bytes.
func (c *Client) getJSONCapped(ctx context.Context, what, u string, v any, pinned bool, maxAnswer int64) (*http.Response, error) {
	resp, err := c.get(ctx, what, u, nil, pinned)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	limit := maxAnswer
	if n := resp.ContentLength; n >= 0 && n < limit {
		limit = n
	}
	if err := c.Budget.Acquire(ctx, limit*jsonCost); err != nil {
		return nil, fmt.Errorf("%w: %s: %w", source.ErrUnreadable, what, err)
	}
	defer c.Budget.Release(limit * jsonCost)
	body, err := web.ReadAll(resp.Body, maxAnswer)
	if err == nil && int64(len(body)) > limit {
		err = fmt.Errorf("%w: the answer is longer than its Content-Length", web.ErrTooLarge)
	}
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %w", source.ErrUnreadable, what, err)
	}
	if err := json.Unmarshal(body, v); err != nil {
		return nil, fmt.Errorf("%w: %s: decoding the Hub's answer: %v", source.ErrUnreadable, what, err)
	}
	return resp, nil
}

// listing is a file tree as far as it could be read.
type listing struct {
	entries  []treeEntry
	complete bool
	notes    []string
}

// tree lists every file at sha, following the Link header's next page on the Hub's own origin.
// It stops after maxFiles entries or maxPages pages, at a page that is empty or repeats a
// cursor, and at a link to another origin, saying so in the notes; entries whose path fails
// CheckPath are left out and counted.
func (c *Client) tree(ctx context.Context, t Target, sha string, o Options) (listing, error) {
	c.init()
	u := c.Endpoint + apiBase(t) + "/tree/" + url.PathEscape(sha) + "?recursive=true"
	l := listing{complete: true}
	seen := map[string]bool{}
	refused := 0
	for pages := 0; u != ""; pages++ {
		if why := c.stopListing(u, seen, pages, o.MaxTreePages); why != "" {
			l.complete = false
			l.notes = append(l.notes, "file tree listing stopped: "+why)
			break
		}
		seen[u] = true
		var raw json.RawMessage
		resp, err := c.getJSONHeader(ctx, t.String()+": file tree", u, &raw, true)
		if err != nil {
			l.complete = false
			return l, err
		}
		page, err := decodeTreePage(raw)
		if err != nil {
			l.complete = false
			return l, fmt.Errorf("%w: %s: decoding the file tree: %v", source.ErrUnreadable, t, err)
		}
		refused += page.refused
		if page.entries == 0 && nextLink(resp.Header.Get("Link"), resp.Request.URL) != "" {
			l.complete = false
			l.notes = append(l.notes, "file tree listing stopped: the Hub sent an empty page with a next link")
			break
		}
		l.entries = append(l.entries, page.files...)
		if len(l.entries) >= o.MaxFiles {
			l.entries, l.complete = l.entries[:o.MaxFiles], false
			l.notes = append(l.notes, fmt.Sprintf("inventory capped at %d files", o.MaxFiles))
			break
		}
		u = nextLink(resp.Header.Get("Link"), resp.Request.URL)
	}
	if refused > 0 {
		l.complete = false
		l.notes = append(l.notes, fmt.Sprintf("left out %d file tree entries whose path is not a plain relative path (.., absolute, backslash, control characters)", refused))
	}
	return l, nil
}

// treePage is one page of a tree listing as decodeTreePage reads it.
type treePage struct {
	files   []treeEntry // the file entries whose path passes CheckPath
	entries int         // all entries, directories included
	refused int         // file entries left out for their path
}

// decodeTreePage reads one page of a tree listing.
func decodeTreePage(raw []byte) (treePage, error) {
	var page []treeEntry
	if err := json.Unmarshal(raw, &page); err != nil {
		return treePage{}, err
	}
	files, refused := page[:0], 0
	for _, e := range page {
		switch {
		case e.Type != "file":
		case CheckPath(e.Path) != nil:
			refused++
		default:
			files = append(files, e)
		}
	}
	return treePage{files: files, entries: len(page), refused: refused}, nil
}

// stopListing says why the next page u must not be fetched, or "".
func (c *Client) stopListing(u string, seen map[string]bool, pages, maxPages int) string {
	next, err := url.Parse(u)
	base, berr := url.Parse(c.Endpoint)
	switch {
	case err != nil || berr != nil:
		return "the next-page link is not a URL"
	case web.Origin(next) != web.Origin(base):
		return "the next-page link points to another origin (" + web.Redact(next.Scheme+"://"+next.Host) + ")"
	case seen[u]:
		return "the Hub repeated a page cursor"
	case pages >= maxPages:
		return fmt.Sprintf("page limit of %d reached", maxPages)
	}
	return ""
}

// Fetch reads one repository at t into a Release pinned to the commit t resolves to: the info
// (one request), then in parallel the file tree, the small text files and the headers of the
// weights files. Lineage is left to FetchLineage. A missing, private or disabled repository
// or a bad revision is an error wrapping source.ErrUnreadable; a gated one is read as far as
// the token allows, its unreadable files marked Gated.
func Fetch(ctx context.Context, c *Client, t Target, opts Options) (*release.Release, error) {
	info, err := c.info(ctx, t)
	if err != nil {
		return nil, err
	}
	rel := newRelease(t, info)
	readFiles(ctx, c, t, info, rel, opts)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return rel, nil
}

// newRelease starts the Release for t from its info: everything but the files.
func newRelease(t Target, info *repoInfo) *release.Release {
	return &release.Release{
		Schema: release.Schema, Target: t.String(), Name: info.ID, Revision: info.SHA,
		Complete: true, Hub: info.hubInfo(t.Kind),
	}
}

// readFiles fills rel's Files, Texts, FailedReads, Notes and Complete (and no other field, so lineage can
// be resolved into rel at the same time): the tree, the texts and the weights headers, read
// in parallel at info's commit.
func readFiles(ctx context.Context, c *Client, t Target, info *repoInfo, rel *release.Release, opts Options) {
	opts = opts.orDefault()
	pinned := Target{Kind: t.Kind, Repo: t.Repo, Revision: info.SHA}
	names := make([]string, 0, len(info.Siblings))
	for _, s := range info.Siblings {
		names = append(names, s.RFilename)
	}
	sort.Strings(names)

	var wg sync.WaitGroup
	var list listing
	var treeErr error
	r := &fileReads{texts: map[string]*release.Text{}, headers: map[string]json.RawMessage{}, gated: map[string]bool{}}
	wg.Go(func() { list, treeErr = c.tree(ctx, pinned, info.SHA, opts) })
	for _, p := range pickTexts(t.Kind, names, opts) {
		wg.Go(func() {
			x, err := c.readText(ctx, pinned, p, textCap(p, opts))
			r.record(p, err, func() {
				if x != nil {
					r.texts[p] = x
				}
			})
		})
	}
	weights := pickWeights(t.Kind, names, opts.MaxWeights)
	if n := countWeights(t.Kind, names); n > len(weights) {
		r.notes = append(r.notes, fmt.Sprintf("read the headers of %d of %d weights files", len(weights), n))
	}
	for _, p := range weights {
		wg.Go(func() {
			h, err := c.readHeader(ctx, pinned, p, opts)
			r.record(p, err, func() { r.headers[p] = h })
		})
	}
	wg.Wait()
	if ctx.Err() != nil {
		return
	}
	if treeErr != nil {
		r.notes = append(r.notes, fmt.Sprintf("file tree unreadable (%v); inventory from the repository info, without sizes", treeErr))
		rel.Complete = false
		rel.Files = filesFromSiblings(info.Siblings)
	} else {
		rel.Complete = rel.Complete && list.complete
		r.notes = append(r.notes, list.notes...)
		rel.Files = filesFromTree(list.entries)
	}
	if info.refused > 0 {
		rel.Complete = false
		r.notes = append(r.notes, fmt.Sprintf("left out %d files the repository info lists with a path that is not a plain relative path", info.refused))
	}
	r.fill(rel, c, t)
}

// fileReads collects what readFiles' parallel reads found, under mu.
type fileReads struct {
	mu      sync.Mutex
	texts   map[string]*release.Text
	headers map[string]json.RawMessage
	gated   map[string]bool
	failed  []release.FailedRead
	notes   []string
}

// record files the outcome of reading p: gated, failed, or read (ok stores it).
func (r *fileReads) record(p string, err error, ok func()) {
	r.mu.Lock()
	defer r.mu.Unlock()
	switch {
	case errors.Is(err, ErrGated), errors.Is(err, ErrUnauthorized):
		r.gated[p] = true
	case err != nil:
		r.failed = append(r.failed, release.FailedRead{Path: p, Error: web.Redact(err.Error())})
	default:
		ok()
	}
}

// fill puts the reads into rel, whose Files are set: texts and their hashes, headers, gated
// marks, failed reads, and the notes, all sorted.
func (r *fileReads) fill(rel *release.Release, c *Client, t Target) {
	if len(r.failed) > 0 {
		rel.Complete = false
		sort.Slice(r.failed, func(i, j int) bool { return r.failed[i].Path < r.failed[j].Path })
		rel.FailedReads = r.failed
	}
	for i := range rel.Files {
		f := &rel.Files[i]
		if x, ok := r.texts[f.Path]; ok {
			rel.Texts = append(rel.Texts, *x)
			if !x.Truncated {
				sum := sha256.Sum256([]byte(x.Content))
				f.SHA256 = hex.EncodeToString(sum[:])
			}
		}
		f.Header = r.headers[f.Path]
		f.Gated = r.gated[f.Path]
	}
	if len(r.gated) > 0 {
		rel.Complete = false
		g := slices.Sorted(maps.Keys(r.gated))
		r.notes = append(r.notes, fmt.Sprintf("%d files need accepted terms (%s): the repository is gated (%s); accept its terms at %s while logged in, then set HF_TOKEN to a token of that account",
			len(g), strings.Join(g[:min(len(g), 5)], ", ")+more(len(g), 5), orDefault(rel.Hub.Gated, "access required"), pageURL(c, t)))
	} else if rel.Hub.Gated != "" {
		r.notes = append(r.notes, fmt.Sprintf("the repository is gated (%s); the token in use has access", rel.Hub.Gated))
	}
	sort.Strings(r.notes)
	rel.Notes = r.notes
	sort.Slice(rel.Files, func(i, j int) bool { return rel.Files[i].Path < rel.Files[j].Path })
	sort.Slice(rel.Texts, func(i, j int) bool { return rel.Texts[i].Path < rel.Texts[j].Path })
}

// more says how many items a shortened list left out.
func more(n, shown int) string {
	if n <= shown {
		return ""
	}
	return fmt.Sprintf(" and %d more", n-shown)
}

// orDefault returns s, or d when s is empty.
func orDefault(s, d string) string {
	if s == "" {
		return d
	}
	return s
}

// pageURL is the repository's web page.
func pageURL(c *Client, t Target) string {
	if t.Kind == KindDataset {
		return c.Endpoint + "/datasets/" + t.Repo
	}
	return c.Endpoint + "/" + t.Repo
}

// filesFromTree builds the inventory from tree entries; LFS files carry their sha256 as the
// hash the content is expected to have.
func filesFromTree(entries []treeEntry) []release.File {
	files := make([]release.File, 0, len(entries))
	for _, e := range entries {
		f := release.File{Path: e.Path, Size: e.Size}
		if e.LFS != nil && e.LFS.OID != "" {
			f.LFS = &release.LFS{OID: e.LFS.OID, Size: e.LFS.Size}
			f.Expected = &release.Expected{SHA256: e.LFS.OID, From: "hub lfs.oid"}
			f.Size = e.LFS.Size
		}
		files = append(files, f)
	}
	return files
}

// filesFromSiblings builds the inventory from the info's file list when the tree is unreadable.
func filesFromSiblings(sibs []sibling) []release.File {
	files := make([]release.File, 0, len(sibs))
	for _, s := range sibs {
		f := release.File{Path: s.RFilename}
		if s.Size != nil {
			f.Size = *s.Size
		}
		if s.LFS != nil && s.LFS.SHA256 != "" {
			f.LFS = &release.LFS{OID: s.LFS.SHA256, Size: s.LFS.Size}
			f.Expected = &release.Expected{SHA256: s.LFS.SHA256, From: "hub lfs.sha256"}
		}
		files = append(files, f)
	}
	return files
}

// keyFiles are configuration files read up to MaxTextFile.
var keyFiles = map[string]bool{
	"config.json": true, "generation_config.json": true, "tokenizer_config.json": true, "params.json": true,
	"adapter_config.json": true, "model.safetensors.index.json": true, "pytorch_model.bin.index.json": true,
	"preprocessor_config.json": true, "processor_config.json": true, "special_tokens_map.json": true,
	"dataset_infos.json": true,
}

// docExt are documentation and code files read up to MaxDocFile.
var docExt = map[string]bool{
	".md": true, ".markdown": true, ".rst": true, ".py": true, ".sh": true, ".cff": true, ".bib": true,
	".yaml": true, ".yml": true, ".toml": true, ".jinja": true, ".rs": true, ".go": true, ".c": true,
	".cc": true, ".cpp": true, ".h": true, ".cu": true, ".js": true, ".ts": true, ".jl": true,
}

// isKeyText reports whether p is a card, licence, notice or configuration file.
func isKeyText(p string) bool {
	return keyFiles[path.Base(p)] || release.IsKeyText(p)
}

// textCap is how much of p is read.
func textCap(p string, o Options) int64 {
	if isKeyText(p) {
		return o.MaxTextFile
	}
	return o.MaxDocFile
}

// pickTexts chooses the text files to read from the names alone (sizes come later, with the
// tree; a range request caps each read instead): key files first, shallow before deep.
func pickTexts(kind Kind, names []string, o Options) []string {
	var key, doc []string
	for _, p := range names {
		ext := strings.ToLower(path.Ext(p))
		switch {
		case isKeyText(p) && (kind == KindModel || !strings.Contains(p, "/") || ext == ".md" || ext == "" || ext == ".txt"):
			key = append(key, p)
		case docExt[ext] && (kind == KindModel || ext == ".md" || ext == ".py"):
			doc = append(doc, p)
		}
	}
	byDepth := func(s []string) {
		sort.SliceStable(s, func(i, j int) bool { return strings.Count(s[i], "/") < strings.Count(s[j], "/") })
	}
	byDepth(key)
	byDepth(doc)
	out := append(key, doc...)
	return out[:min(len(out), o.MaxTexts)]
}

// countWeights counts the weights files a repository holds.
func countWeights(kind Kind, names []string) int {
	if kind != KindModel {
		return 0
	}
	n := 0
	for _, p := range names {
		if release.IsWeights(p) {
			n++
		}
	}
	return n
}

// pickWeights chooses the weights files whose headers are read, up to max, in path order.
func pickWeights(kind Kind, names []string, max int) []string {
	if kind != KindModel {
		return nil
	}
	var out []string
	for _, p := range names {
		if release.IsWeights(p) && len(out) < max {
			out = append(out, p)
		}
	}
	return out
}

// readText reads up to limit bytes of p by one range request. Binary content gives nil.
func (c *Client) readText(ctx context.Context, t Target, p string, limit int64) (*release.Text, error) {
	if err := c.Budget.Acquire(ctx, limit); err != nil {
		return nil, fmt.Errorf("%w: %s: %w", source.ErrUnreadable, p, err)
	}
	defer c.Budget.Release(limit)
	data, size, err := c.readRange(ctx, t.String()+": "+p, c.resolveURL(t, t.Revision, p), 0, limit)
	if err != nil {
		return nil, err
	}
	if bytes.IndexByte(data, 0) >= 0 {
		return nil, nil
	}
	return &release.Text{Path: p, Content: decodeText(data), Truncated: size > int64(len(data))}, nil
}

// decodeText keeps UTF-8 as it is and reads anything else as Latin-1, as old licence files are.
func decodeText(b []byte) string {
	if utf8.Valid(b) {
		return string(b)
	}
	if utf8.Valid(b[:max(0, len(b)-3)]) {
		return string(bytes.ToValidUTF8(b, []byte("\uFFFD"))) // a code point cut by the cap
	}
	rs := make([]rune, len(b))
	for i, c := range b {
		rs[i] = rune(c)
	}
	return string(rs)
}

// readHeader reads the header of weights file p through range requests and returns its
// artifact.Facts as JSON. A malformed header still gives Facts (with the error in them).
func (c *Client) readHeader(ctx context.Context, t Target, p string, o Options) (json.RawMessage, error) {
	facts, err := c.readFacts(ctx, t, p, o, false)
	if errors.Is(err, errOverBudget) {
		facts, err = c.readFacts(ctx, t, p, o, true)
	}
	if facts == nil {
		return nil, err
	}
	if err != nil && facts.Error == "" {
		facts.Error, facts.Safety = err.Error(), artifact.SafetyError
	}
	facts.ClipMetadata()
	b, err := json.Marshal(facts)
	if err != nil {
		return nil, err
	}
	return b, nil
}

// readFacts reads the header of p within the memory budget (see newRangeReader for reserve).
func (c *Client) readFacts(ctx context.Context, t Target, p string, o Options, reserve bool) (*artifact.Facts, error) {
	r, err := newRangeReader(ctx, c, t.String()+": "+p, c.resolveURL(t, t.Revision, p), o.HeaderPrefix, o.MaxHeaderBytes, reserve)
	if err != nil {
		return nil, err
	}
	defer r.release()
	facts, err := artifact.Read(p, r, r.size)
	if errors.Is(err, errOverBudget) || facts != nil && strings.Contains(facts.Error, errOverBudget.Error()) {
		return nil, errOverBudget
	}
	return facts, err
}
