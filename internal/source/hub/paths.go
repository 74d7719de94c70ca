package hub

import (
	"fmt"
	"regexp"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// CheckPath accepts a file path as it may appear in a repository: slash-separated, relative,
// with no empty, "." or ".." segment, no backslash, NUL or other control character, and the
// same after Unicode NFKC normalisation (so "‥" cannot stand for ".."). Paths from the Hub's
// answers and from the local cache go through it before they are joined to anything.
func CheckPath(p string) error {
	switch {
	case p == "":
		return fmt.Errorf("empty path")
	case len(p) > 4096:
		return fmt.Errorf("path of %d bytes", len(p))
	case strings.HasPrefix(p, "/"):
		return fmt.Errorf("absolute path %q", p)
	case strings.ContainsRune(p, '\\'):
		return fmt.Errorf("path %q has a backslash", p)
	}
	for _, r := range p {
		if unicode.IsControl(r) || r == unicode.ReplacementChar {
			return fmt.Errorf("path %q has the character %U", p, r)
		}
	}
	if n := norm.NFKC.String(p); n != p && checkSegments(n) != nil {
		return fmt.Errorf("path %q reads as %q once normalised", p, n)
	}
	return checkSegments(p)
}

// checkSegments refuses empty, "." and ".." segments and a drive letter.
func checkSegments(p string) error {
	for _, s := range strings.Split(p, "/") {
		if s == "" || s == "." || s == ".." {
			return fmt.Errorf("path %q has a %q segment", p, s)
		}
	}
	if len(p) >= 2 && p[1] == ':' {
		return fmt.Errorf("path %q starts with a drive letter", p)
	}
	return nil
}

// commitRe matches a full commit sha.
var commitRe = regexp.MustCompile(`^[0-9a-f]{40}$`)

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
