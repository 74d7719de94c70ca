package hub

import (
	"fmt"
	"strings"

	"github.com/glassbox-dev/glassbox/internal/lazyre"
	"github.com/glassbox-dev/glassbox/internal/release"
)

// CheckPath accepts a file path as it may appear in a repository, by the one rule every source
// and snapshot applies (release.UnsafePath): slash-separated, relative, no empty, "." or ".."
// segment, no backslash, NUL or other control character, valid UTF-8, and the same after Unicode
// NFKC normalisation (so "‥" cannot stand for ".."). Paths from the Hub's answers and from the
// local cache go through it before they are joined to anything, so a Hub snapshot always
// re-reads.
func CheckPath(p string) error {
	if why := release.UnsafePath(p); why != "" {
		return fmt.Errorf("path %q %s", p, why)
	}
	return nil
}

// commitRe matches a full commit sha.
var commitRe = lazyre.New(`^[0-9a-f]{40}$`)

// IsCommit reports whether s is a full 40-hex commit sha.
func IsCommit(s string) bool { return commitRe.MatchString(s) }

// checkRevision accepts a branch, tag or commit as git allows them (refs/pr/1 included) and
// refuses what could move a path or URL: "..", a leading or trailing '/', empty segments,
// backslashes, control characters and spaces.
func checkRevision(rev string) error {
	if len(rev) > 256 {
		return fmt.Errorf("revision of %d bytes", len(rev))
	}
	if strings.HasSuffix(rev, "/") || strings.Contains(rev, "..") || strings.ContainsAny(rev, " ~^:?*[") {
		return fmt.Errorf("revision %q is not a branch, tag or commit", rev)
	}
	if err := CheckPath(rev); err != nil {
		return fmt.Errorf("revision %q is not a branch, tag or commit", rev)
	}
	return nil
}
