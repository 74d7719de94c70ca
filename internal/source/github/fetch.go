package github

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/url"
	"path"
	"strings"
	"unicode/utf8"

	"github.com/glassbox-dev/glassbox/internal/lazyre"
	"github.com/glassbox-dev/glassbox/internal/links"
	"github.com/glassbox-dev/glassbox/internal/release"
)

// Target names a repository at an optional ref (branch, tag or commit) and folder.
type Target struct {
	Owner, Name string
	Ref, Path   string
}

// ID is the repository as glassbox cites it: "github.com/OWNER/NAME".
func (t Target) ID() string { return "github.com/" + t.Owner + "/" + t.Name }

// String writes the target in the gh: form ParseTarget reads.
func (t Target) String() string {
	s := "gh:" + t.Owner + "/" + t.Name
	if t.Ref != "" {
		s += "@" + t.Ref
	}
	return s
}

// IsTarget reports whether s is written as a GitHub target (gh: or a github.com URL).
func IsTarget(s string) bool {
	return strings.HasPrefix(s, "gh:") || strings.HasPrefix(s, "https://github.com/") || strings.HasPrefix(s, "https://www.github.com/")
}

// ParseTarget reads gh:OWNER/NAME[@REF] and https://github.com/OWNER/NAME[/tree/REF[/PATH]].
func ParseTarget(s string) (Target, error) {
	u := s
	if rest, ok := strings.CutPrefix(s, "gh:"); ok {
		repo, ref, hasRef := strings.Cut(rest, "@")
		if hasRef && ref == "" {
			return Target{}, fmt.Errorf("%q: empty ref after @", s)
		}
		if strings.Count(repo, "/") != 1 {
			return Target{}, fmt.Errorf("%q: want gh:OWNER/REPO[@REF]", s)
		}
		u = "https://github.com/" + repo
		if hasRef {
			u += "/tree/" + ref
		}
	}
	r, ok := links.ParseGitHub(u)
	if !ok {
		return Target{}, fmt.Errorf("%q: not a GitHub repository (want gh:OWNER/REPO[@REF] or https://github.com/OWNER/REPO)", s)
	}
	return Target{Owner: r.Owner, Name: r.Name, Ref: r.Ref, Path: r.Path}, nil
}

// Options bound what Fetch reads. Zero fields take DefaultOptions' values.
type Options struct {
	// MaxTree is the most tree entries kept; a longer tree is cut and reported incomplete.
	MaxTree int
	// MaxTexts is the most small text files read; MaxText the largest one read.
	MaxTexts int
	MaxText  int64
}

// DefaultOptions suit code repositories.
var DefaultOptions = Options{MaxTree: 20000, MaxTexts: 8, MaxText: 256 << 10}

func (o Options) orDefault() Options {
	if o.MaxTree <= 0 {
		o.MaxTree = DefaultOptions.MaxTree
	}
	if o.MaxTexts <= 0 {
		o.MaxTexts = DefaultOptions.MaxTexts
	}
	if o.MaxText <= 0 {
		o.MaxText = DefaultOptions.MaxText
	}
	return o
}

var shaRe = lazyre.New(`^[0-9a-f]{40}$`)

// Fetch reads t at the commit its ref (else the default branch) resolves to: the tree as the
// inventory and the small text files that matter (README, licences, notices, Python project
// files, at the root and in t.Path) as texts. The repository's own licence guess is returned
// in Meta, never put in the Release: the licence is the LICENSE text's.
func Fetch(ctx context.Context, c *Client, t Target, opts Options) (*release.Release, Meta, error) {
	opts = opts.orDefault()
	repoPath := "/repos/" + url.PathEscape(t.Owner) + "/" + url.PathEscape(t.Name)
	raw, err := c.get(ctx, t.ID(), repoPath, "")
	if err != nil {
		return nil, Meta{}, err
	}
	meta, err := DecodeRepo(raw)
	if err != nil {
		return nil, Meta{}, fmt.Errorf("%s: %w", t.ID(), err)
	}
	sha, err := c.resolve(ctx, t, repoPath, meta)
	if err != nil {
		return nil, meta, err
	}
	raw, err = c.get(ctx, t.ID()+"@"+sha[:7]+": tree", repoPath+"/git/trees/"+sha+"?recursive=1", "")
	if err != nil {
		return nil, meta, err
	}
	tree, err := DecodeTree(raw)
	if err != nil {
		return nil, meta, fmt.Errorf("%s@%s: %w", t.ID(), sha[:7], err)
	}
	rel := newRelease(t, sha, tree, opts)
	readTexts(ctx, c, t, repoPath, sha, rel, opts)
	rel.Sort()
	return rel, meta, nil
}

// resolve returns the commit sha t's ref (or the default branch) points to.
func (c *Client) resolve(ctx context.Context, t Target, repoPath string, meta Meta) (string, error) {
	ref := t.Ref
	if ref == "" {
		ref = meta.DefaultBranch
	}
	if shaRe.MatchString(ref) {
		return ref, nil
	}
	if ref == "" {
		return "", fmt.Errorf("%s: the repository has no default branch (empty repository?)", t.ID())
	}
	raw, err := c.get(ctx, t.ID()+"@"+ref, repoPath+"/commits/"+escapePath(ref), "application/vnd.github.sha")
	if err != nil {
		return "", err
	}
	sha := strings.TrimSpace(string(raw))
	if !shaRe.MatchString(sha) {
		return "", fmt.Errorf("%s@%s: the API answered %q, not a commit sha", t.ID(), ref, clipStr(sha, 60))
	}
	return sha, nil
}

// newRelease turns a tree into a Release inventory, bounded by opts.MaxTree.
func newRelease(t Target, sha string, tree Tree, opts Options) *release.Release {
	rel := &release.Release{
		Schema: release.Schema, Target: Target{Owner: t.Owner, Name: t.Name, Ref: sha}.String(),
		Name: t.Owner + "/" + t.Name, Revision: sha, Complete: !tree.Truncated,
	}
	if tree.Truncated {
		rel.Notes = append(rel.Notes, "GitHub truncated the tree (too many entries): the inventory is incomplete")
	}
	for _, e := range tree.Entries {
		if e.Type != "blob" {
			continue
		}
		if len(rel.Files) >= opts.MaxTree {
			rel.Complete = false
			rel.Notes = append(rel.Notes, fmt.Sprintf("tree cut at %d files: the inventory is incomplete", opts.MaxTree))
			break
		}
		rel.Files = append(rel.Files, release.File{Path: e.Path, Size: e.Size})
	}
	return rel
}

// readTexts reads the small text files that decide licences and components; a file that
// cannot be read is a note.
func readTexts(ctx context.Context, c *Client, t Target, repoPath, sha string, rel *release.Release, opts Options) {
	for _, p := range pickTexts(rel.Files, t.Path, opts) {
		raw, err := c.get(ctx, t.ID()+"@"+sha[:7]+": "+p, repoPath+"/contents/"+escapePath(p)+"?ref="+sha, "")
		var content []byte
		if err == nil {
			content, err = DecodeContent(raw, opts.MaxText)
		}
		if err == nil && bytes.IndexByte(content, 0) >= 0 {
			err = fmt.Errorf("binary content")
		}
		if err != nil {
			rel.Notes = append(rel.Notes, fmt.Sprintf("%s not read: %v", p, err))
			continue
		}
		rel.Texts = append(rel.Texts, release.Text{Path: p, Content: decodeText(content)})
		sum := sha256.Sum256(content)
		for i := range rel.Files {
			if rel.Files[i].Path == p {
				rel.Files[i].SHA256 = hex.EncodeToString(sum[:])
			}
		}
	}
}

// projectFiles say what a Python project is and what it depends on, or, for a model published
// on GitHub, what the model is (config.json).
var projectFiles = map[string]bool{"pyproject.toml": true, "setup.py": true, "setup.cfg": true, "config.json": true}

// pickTexts chooses the texts to read: key texts (README, LICENSE, NOTICE, …) at the root and
// in folder, then project files at the root, each at most opts.MaxText bytes.
func pickTexts(files []release.File, folder string, opts Options) []string {
	var key, proj []string
	for _, f := range files {
		dir := path.Dir(f.Path)
		if f.Size > opts.MaxText || (dir != "." && dir != folder) {
			continue
		}
		switch {
		case release.IsKeyText(f.Path):
			key = append(key, f.Path)
		case dir == "." && projectFiles[f.Path]:
			proj = append(proj, f.Path)
		}
	}
	out := append(key, proj...)
	return out[:min(len(out), opts.MaxTexts)]
}

// decodeText keeps UTF-8 as it is and reads anything else as Latin-1, the usual encoding of
// older licence files, so that the snapshot's JSON holds exactly what was read.
// TODO: share with source.decodeText, which does the same for local folders.
func decodeText(b []byte) string {
	if utf8.Valid(b) {
		return string(b)
	}
	rs := make([]rune, len(b))
	for i, c := range b {
		rs[i] = rune(c)
	}
	return string(rs)
}

// escapePath escapes each segment of a slash-separated path.
func escapePath(p string) string {
	segs := strings.Split(p, "/")
	for i, s := range segs {
		segs[i] = url.PathEscape(s)
	}
	return strings.Join(segs, "/")
}

func clipStr(s string, n int) string {
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}
