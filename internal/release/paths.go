package release

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// MaxPathLen bounds an inventory path, in bytes: Linux allows 4,096, and no release needs more.
const MaxPathLen = 4096

// UnsafePath says why p cannot name a file inside a release root, or returns "" when it can.
// An inventory path is slash-separated and relative: it may not be empty or absolute, start
// with a drive letter, hold a backslash, a NUL or another control character (EncodeName
// writes those as %XX), an empty, "." or ".." component, nor a
// character whose Unicode compatibility form (NFKC) is a dot, a slash or a backslash, so that
// a consumer that normalises names ("．．／etc") cannot be walked out of the root either.
func UnsafePath(p string) string {
	switch {
	case p == "":
		return "is empty"
	case len(p) > MaxPathLen:
		return fmt.Sprintf("is longer than %d bytes", MaxPathLen)
	case strings.ContainsRune(p, 0):
		return "contains a NUL byte"
	case strings.ContainsRune(p, '\\'):
		return "contains a backslash"
	case strings.HasPrefix(p, "/"):
		return "is absolute"
	case len(p) >= 2 && p[1] == ':' && ('A' <= p[0] && p[0] <= 'Z' || 'a' <= p[0] && p[0] <= 'z'):
		return "starts with a drive letter"
	case !utf8.ValidString(p):
		return "is not valid UTF-8"
	case strings.ContainsFunc(p, isControl):
		return "contains a control character"
	}
	if why := badComponents(p); why != "" {
		return why
	}
	return NormalisedEscape(p)
}

// NormalisedEscape says how p, once its compatibility characters are normalised (NFKC), would
// climb out of a root or hold a backslash ("．．／etc" reads as "../etc"), or returns "".
func NormalisedEscape(p string) string {
	if n := normalisedDots(p); n != p {
		if strings.ContainsRune(n, '\\') || strings.HasPrefix(n, "/") || badComponents(strings.Trim(n, "/")) != "" {
			return "reads as " + strconv.Quote(n) + " once Unicode-normalised (NFKC)"
		}
	}
	return ""
}

// badComponents names an empty, "." or ".." component of p.
func badComponents(p string) string {
	for _, part := range strings.Split(p, "/") {
		switch part {
		case "":
			return "has an empty component"
		case ".", "..":
			return "has a " + part + " component"
		}
	}
	return ""
}

// nfkcDots maps the characters whose Unicode compatibility form (NFKC, Unicode 15) holds a
// dot, slash or backslash to that form: fullwidth and small stops and solidi, leaders, "⒈",
// "℀" (a/c) and the like. Mapping them before the component checks is NFKC as far as path
// syntax can tell.
var nfkcDots = map[rune]string{
	'\u2024': ".", '\u2025': "..", '\u2026': "...", '\uFE19': "...", '\uFE30': "..", '\uFE52': ".", '\uFF0E': ".",
	'\uFF0F': "/", '\uFE68': "\\", '\uFF3C': "\\",
	'\u2100': "a/c", '\u2101': "a/s", '\u2105': "c/o", '\u2106': "c/u",
	'\u33C2': "a.m.", '\u33C7': "Co.", '\u33D8': "p.m.", '\U0001F100': "0.",
}

// normalisedDots returns p with the characters of nfkcDots replaced by their NFKC form.
func normalisedDots(p string) string {
	var b strings.Builder
	for _, r := range p {
		if s, ok := nfkcDots[r]; ok {
			b.WriteString(s)
		} else if r >= '\u2488' && r <= '\u249B' { // ⒈ … ⒛
			fmt.Fprintf(&b, "%d.", r-'\u2487')
		} else {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// EncodeName turns a file name's raw bytes into the one string glassbox stores and prints for
// it, whatever the source: valid UTF-8 is kept, except that each byte of an invalid sequence and
// of a control character (C0, DEL, C1: terminal escape sequences) becomes %XX in upper-case hex.
// A literal '%' that would read as such an escape (or as "%25") is itself written %25, so two
// different names never encode alike and DecodeName gives the raw bytes back. The result is
// valid UTF-8 without control characters; a plain name is returned unchanged.
func EncodeName(raw string) string {
	if plainName(raw) {
		return raw
	}
	var b strings.Builder
	for i := 0; i < len(raw); {
		r, n := utf8.DecodeRuneInString(raw[i:])
		switch {
		case r == utf8.RuneError && n == 1, isControl(r):
			for _, c := range []byte(raw[i : i+n]) {
				fmt.Fprintf(&b, "%%%02X", c)
			}
		case r == '%' && escapeLike(raw[i+1:]):
			b.WriteString("%25")
		default:
			b.WriteString(raw[i : i+n])
		}
		i += n
	}
	return b.String()
}

// plainName reports whether EncodeName leaves s as it is: valid UTF-8 with no '%' and no
// control character.
func plainName(s string) bool {
	if !utf8.ValidString(s) || strings.Contains(s, "%") {
		return false
	}
	for _, r := range s {
		if isControl(r) {
			return false
		}
	}
	return true
}

// isControl reports the C0 controls, DEL and the C1 controls (U+0080 to U+009F).
func isControl(r rune) bool { return r < 0x20 || r == 0x7F || r >= 0x80 && r <= 0x9F }

// escapeLike reports whether s starts like the tail of an EncodeName escape: "25", or two
// upper-case hex digits whose byte EncodeName escapes (a control byte, or 0x80 and above).
func escapeLike(s string) bool {
	if len(s) < 2 {
		return false
	}
	if s[:2] == "25" {
		return true
	}
	hi, lo := strings.IndexByte(hexDigits, s[0]), strings.IndexByte(hexDigits, s[1])
	if hi < 0 || lo < 0 {
		return false
	}
	v := byte(hi<<4 | lo)
	return v < 0x20 || v == 0x7F || v >= 0x80
}

const hexDigits = "0123456789ABCDEF"

// DecodeName returns the raw bytes EncodeName encoded as e.
func DecodeName(e string) string {
	if !strings.Contains(e, "%") {
		return e
	}
	var b strings.Builder
	for i := 0; i < len(e); i++ {
		if e[i] != '%' || !escapeLike(e[i+1:]) {
			b.WriteByte(e[i])
			continue
		}
		if e[i+1:i+3] == "25" {
			b.WriteByte('%')
		} else {
			b.WriteByte(byte(strings.IndexByte(hexDigits, e[i+1])<<4 | strings.IndexByte(hexDigits, e[i+2])))
		}
		i += 2
	}
	return b.String()
}

// CheckPaths returns an error naming the first inventory or text path of r, or of its parents
// and datasets, that UnsafePath rejects. A snapshot is input like any other: its paths are
// later joined to a folder (scan --verify) and printed.
func (r *Release) CheckPaths() error {
	for _, f := range r.Files {
		if why := UnsafePath(f.Path); why != "" {
			return fmt.Errorf("file path %q %s", f.Path, why)
		}
	}
	for _, t := range r.Texts {
		if why := UnsafePath(t.Path); why != "" {
			return fmt.Errorf("text path %q %s", t.Path, why)
		}
	}
	for _, sub := range append(append([]*Release(nil), r.Parents...), r.Datasets...) {
		if sub == nil {
			continue
		}
		if err := sub.CheckPaths(); err != nil {
			return fmt.Errorf("%s: %w", sub.Target, err)
		}
	}
	return nil
}
