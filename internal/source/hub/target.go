// Package hub reads model and dataset releases from the Hugging Face Hub over its HTTP API:
// repository metadata, the file tree with LFS hashes, the small text files that matter, and
// weights headers by HTTP range requests, all pinned to one commit. It also resolves a model's
// lineage (base models and datasets) into Releases of their own.
//
// Everything goes through a Client, which handles authentication, retries, rate limits and
// pagination, bounds concurrency and counts requests.
package hub

import (
	"fmt"
	"net/url"
	"strings"
)

// Kind is the type of a Hub repository.
type Kind string

// Repository kinds glassbox reads.
const (
	KindModel   Kind = "model"
	KindDataset Kind = "dataset"
)

// Target names one Hub repository at an optional revision.
type Target struct {
	Kind Kind
	// Repo is the repository id: "org/name", or a bare "name" for old top-level repositories.
	Repo string
	// Revision is a branch, tag or commit; empty means the default branch.
	Revision string
}

// String writes the target in the hf: form ParseTarget reads.
func (t Target) String() string {
	s := "hf:"
	if t.Kind == KindDataset {
		s += "datasets/"
	}
	s += t.Repo
	if t.Revision != "" {
		s += "@" + t.Revision
	}
	return s
}

// IsTarget reports whether s is written as a Hub target (hf: or a huggingface.co URL), so a
// caller can choose this source before parsing.
func IsTarget(s string) bool {
	return strings.HasPrefix(s, "hf:") || strings.HasPrefix(s, "https://huggingface.co/") || strings.HasPrefix(s, "https://hf.co/")
}

// ParseTarget reads hf:ORG/NAME[@REVISION], hf:datasets/ORG/NAME[@REVISION] and
// https://huggingface.co/[datasets/]ORG/NAME[/tree/REVISION].
func ParseTarget(s string) (Target, error) {
	var t Target
	var err error
	switch {
	case strings.HasPrefix(s, "hf:"):
		t, err = parseHF(strings.TrimPrefix(s, "hf:"))
	case strings.HasPrefix(s, "https://huggingface.co/"), strings.HasPrefix(s, "https://hf.co/"):
		t, err = parseURL(s)
	default:
		err = fmt.Errorf("not a Hub target (want hf:ORG/NAME or https://huggingface.co/ORG/NAME)")
	}
	if err != nil {
		return Target{}, fmt.Errorf("%q: %w", s, err)
	}
	return t, nil
}

// parseHF reads the part after "hf:".
func parseHF(s string) (Target, error) {
	t := Target{Kind: KindModel}
	if rest, ok := strings.CutPrefix(s, "datasets/"); ok {
		t.Kind, s = KindDataset, rest
	} else if rest, ok := strings.CutPrefix(s, "models/"); ok {
		s = rest
	}
	if repo, rev, ok := strings.Cut(s, "@"); ok {
		if rev == "" {
			return Target{}, fmt.Errorf("empty revision after @")
		}
		s, t.Revision = repo, rev
	}
	if err := checkRepo(s); err != nil {
		return Target{}, err
	}
	if t.Revision != "" {
		if err := checkRevision(t.Revision); err != nil {
			return Target{}, err
		}
	}
	t.Repo = s
	return t, nil
}

// parseURL reads a repository page URL as the Hub's web site writes it.
func parseURL(s string) (Target, error) {
	u, err := url.Parse(s)
	if err != nil {
		return Target{}, err
	}
	parts := strings.Split(strings.Trim(u.EscapedPath(), "/"), "/")
	t := Target{Kind: KindModel}
	if len(parts) > 0 && parts[0] == "datasets" {
		t.Kind, parts = KindDataset, parts[1:]
	}
	// A repository id has one or two segments; what follows is a page (tree/REV, blob/REV/…).
	n := len(parts)
	for i, p := range parts {
		if p == "tree" || p == "blob" || p == "resolve" {
			n = i
			break
		}
	}
	if n == 0 || n > 2 {
		return Target{}, fmt.Errorf("no ORG/NAME repository in the URL path")
	}
	t.Repo = strings.Join(parts[:n], "/")
	if n < len(parts) {
		if n+1 >= len(parts) {
			return Target{}, fmt.Errorf("no revision after /%s/", parts[n])
		}
		rev, err := url.PathUnescape(parts[n+1])
		if err != nil {
			return Target{}, err
		}
		if err := checkRevision(rev); err != nil {
			return Target{}, err
		}
		t.Revision = rev
	}
	if err := checkRepo(t.Repo); err != nil {
		return Target{}, err
	}
	return t, nil
}

// checkRepo accepts the repository ids the Hub allows: one or two segments of letters, digits,
// '-', '_' and '.', not starting or ending with '-' or '.'.
func checkRepo(repo string) error {
	segs := strings.Split(repo, "/")
	if repo == "" || len(segs) > 2 {
		return fmt.Errorf("repository id %q is not ORG/NAME", repo)
	}
	for _, seg := range segs {
		if seg == "" || len(seg) > 96 || strings.Trim(seg, "-.") != seg || strings.Contains(seg, "..") {
			return fmt.Errorf("repository id %q is not ORG/NAME", repo)
		}
		for _, c := range seg {
			if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.') {
				return fmt.Errorf("repository id %q has the character %q", repo, c)
			}
		}
	}
	return nil
}
