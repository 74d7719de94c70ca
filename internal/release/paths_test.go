package release_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/glassbox-dev/glassbox/internal/release"
)

func TestUnsafePath(t *testing.T) {
	t.Parallel()
	tests := []struct{ path, want string }{
		{"model.safetensors", ""},
		{"sub/dir/README.md", ""},
		{"notes…md", ""}, // an ellipsis reads as "...", an ordinary name
		{"..hidden", ""},
		{"", "is empty"},
		{"../etc/passwd", "has a .. component"},
		{"a/../../b", "has a .. component"},
		{"a/./b", "has a . component"},
		{"a//b", "has an empty component"},
		{"a/", "has an empty component"},
		{"/etc/passwd", "is absolute"},
		{`a\..\b`, "contains a backslash"},
		{"C:/x", "starts with a drive letter"},
		{"c:x", "starts with a drive letter"},
		{"1:x", ""},
		{"notes:v2.md", ""},
		{"a\x00b", "contains a NUL byte"},
		{"a\xffb", "is not valid UTF-8"},
		{"a\x1b[2Jb", "contains a control character"},
		{"a\u009bb", "contains a control character"},
		{"．．/etc", `reads as "../etc" once Unicode-normalised (NFKC)`},
		{"a／‥／b", `reads as "a/../b" once Unicode-normalised (NFKC)`},
		{"a＼b", `reads as "a\\b" once Unicode-normalised (NFKC)`},
		{"／etc", `reads as "/etc" once Unicode-normalised (NFKC)`},
		{strings.Repeat("a/", 2049), "is longer than 4096 bytes"},
	}
	for _, tt := range tests {
		if got := release.UnsafePath(tt.path); got != tt.want {
			t.Errorf("UnsafePath(%q) = %q, want %q", tt.path, got, tt.want)
		}
	}
}

func TestEncodeName(t *testing.T) {
	t.Parallel()
	tests := []struct{ raw, want string }{
		{"README.md", "README.md"},
		{"é.py", "é.py"},
		{"a\x80", "a%80"},
		{"caf\xe9.md", "caf%E9.md"},
		{"a%80", "a%2580"}, // a literal that would read as an escape
		{"a%25", "a%2525"},
		{"100%", "100%"}, // percent signs that cannot are kept
		{"50%_off", "50%_off"},
		{"a%8a", "a%8a"},
		{"%\x80", "%%80"},
		{"\xc3", "%C3"},                 // a code point cut short
		{"a\x1b[31m.md", "a%1B[31m.md"}, // a terminal escape sequence
		{"tab\there", "tab%09here"},
		{"del\x7f", "del%7F"},
		{"csi\u009b2J", "csi%C2%9B2J"}, // a C1 control, valid UTF-8
		{"a%1B", "a%251B"},
		{"a%20b", "a%20b"}, // a space escape is not one of ours
		{"a%7F", "a%257F"},
	}
	seen := map[string]string{}
	for _, tt := range tests {
		got := release.EncodeName(tt.raw)
		if got != tt.want {
			t.Errorf("EncodeName(%q) = %q, want %q", tt.raw, got, tt.want)
		}
		if back := release.DecodeName(got); back != tt.raw {
			t.Errorf("DecodeName(%q) = %q, want %q", got, back, tt.raw)
		}
		if other, dup := seen[got]; dup {
			t.Errorf("%q and %q both encode as %q", other, tt.raw, got)
		}
		seen[got] = tt.raw
	}
}

// FuzzEncodeName: every byte string encodes to valid UTF-8 without control characters that
// decodes back to it, so two names never share an encoding.
func FuzzEncodeName(f *testing.F) {
	for _, s := range []string{"a\x80", "a%80", "%25%", "caf\xe9", "é", "%%80%2"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		e := release.EncodeName(raw)
		if !utf8.ValidString(e) {
			t.Fatalf("EncodeName(%q) = %q, not UTF-8", raw, e)
		}
		if strings.ContainsFunc(e, func(r rune) bool { return r < 0x20 || r >= 0x7F && r <= 0x9F }) {
			t.Fatalf("EncodeName(%q) = %q holds a control character", raw, e)
		}
		if back := release.DecodeName(e); back != raw {
			t.Fatalf("DecodeName(EncodeName(%q)) = %q", raw, back)
		}
		if strings.Count(e, "/") != strings.Count(raw, "/") {
			t.Fatalf("EncodeName(%q) = %q changed the path's components", raw, e)
		}
		_ = release.UnsafePath(e)
	})
}
