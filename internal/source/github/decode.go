package github

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/glassbox-dev/glassbox/internal/release"
)

// Meta is what GET /repos/{owner}/{repo} says that glassbox uses.
type Meta struct {
	FullName      string
	DefaultBranch string
	// License is GitHub's spdx_id for the repository's licence: a hint ("NOASSERTION" when
	// GitHub could not tell, "" when it found no licence file).
	License  string
	Archived bool
	Fork     bool
}

// DecodeRepo reads a repository answer.
func DecodeRepo(raw []byte) (Meta, error) {
	var r struct {
		FullName      string `json:"full_name"`
		DefaultBranch string `json:"default_branch"`
		Archived      bool   `json:"archived"`
		Fork          bool   `json:"fork"`
		License       *struct {
			SPDX string `json:"spdx_id"`
		} `json:"license"`
	}
	if err := json.Unmarshal(raw, &r); err != nil {
		return Meta{}, fmt.Errorf("repository answer is not JSON: %w", err)
	}
	m := Meta{FullName: r.FullName, DefaultBranch: r.DefaultBranch, Archived: r.Archived, Fork: r.Fork}
	if r.License != nil {
		m.License = r.License.SPDX
	}
	return m, nil
}

// Tree is a git tree listing.
type Tree struct {
	Entries   []TreeEntry
	Truncated bool
}

// TreeEntry is one path of a tree.
type TreeEntry struct {
	Path string `json:"path"`
	Type string `json:"type"` // blob, tree or commit (a submodule)
	Size int64  `json:"size"`
	SHA  string `json:"sha"`
}

// DecodeTree reads a recursive tree answer. Paths that could escape a folder (absolute, "..",
// empty segments) are dropped, as are negative sizes.
func DecodeTree(raw []byte) (Tree, error) {
	var r struct {
		Tree      []TreeEntry `json:"tree"`
		Truncated bool        `json:"truncated"`
	}
	if err := json.Unmarshal(raw, &r); err != nil {
		return Tree{}, fmt.Errorf("tree answer is not JSON: %w", err)
	}
	t := Tree{Truncated: r.Truncated}
	for _, e := range r.Tree {
		if cleanPath(e.Path) && e.Size >= 0 {
			t.Entries = append(t.Entries, e)
		}
	}
	return t, nil
}

func cleanPath(p string) bool {
	// The rule every source and snapshot applies, so a snapshot with linked repositories re-reads.
	return release.UnsafePath(p) == ""
}

// DecodeContent reads a contents answer for one file and returns its bytes, refusing anything
// but a base64 file of at most max bytes.
func DecodeContent(raw []byte, max int64) ([]byte, error) {
	var r struct {
		Type     string `json:"type"`
		Encoding string `json:"encoding"`
		Size     int64  `json:"size"`
		Content  string `json:"content"`
	}
	if err := json.Unmarshal(raw, &r); err != nil {
		return nil, fmt.Errorf("contents answer is not JSON: %w", err)
	}
	if r.Type != "file" {
		return nil, fmt.Errorf("not a file (type %q)", r.Type)
	}
	if r.Encoding != "base64" {
		return nil, fmt.Errorf("content encoding %q, want base64 (file too large for the contents API?)", r.Encoding)
	}
	if r.Size > max || int64(base64.StdEncoding.DecodedLen(len(r.Content))) > max+max/2+4 {
		return nil, fmt.Errorf("file of %d bytes is over the %d-byte cap", r.Size, max)
	}
	data, err := base64.StdEncoding.DecodeString(strings.NewReplacer("\n", "", "\r", "").Replace(r.Content))
	if err != nil {
		return nil, fmt.Errorf("content is not base64: %w", err)
	}
	if int64(len(data)) > max {
		return nil, errors.New("decoded content over the cap")
	}
	return data, nil
}
