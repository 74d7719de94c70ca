package artifact

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// MaxLFSPointer is the size below which Git LFS treats a file as a possible pointer; real
// pointers are about 130 bytes.
const MaxLFSPointer = 1024

// LFSPointer is the identity of a file stored in Git LFS: a repository cloned without LFS
// holds these instead of the weights, and they still say which weights were published.
type LFSPointer struct {
	// OID is the SHA-256 of the real file, in lowercase hex.
	OID string `json:"oid"`
	// Size is the real file's size in bytes.
	Size int64 `json:"size"`
}

// lfsVersions are the spec URLs Git LFS accepts on a pointer's first line; the second is
// the pre-release name the client still honours.
var lfsVersions = []string{
	"https://git-lfs.github.com/spec/v1",
	"https://hawser.github.com/spec/v1",
}

// isLFSPointer recognises the first line of a pointer.
func isLFSPointer(head []byte) bool {
	for _, v := range lfsVersions {
		if bytes.HasPrefix(head, []byte("version "+v)) {
			return true
		}
	}
	return false
}

// ParseLFSPointer parses a Git LFS pointer file: a version line, then "oid sha256:<64 hex>"
// and "size <n>" lines (extension lines are allowed). It reports false for anything else,
// including the real content of a file that happens to start like a pointer.
func ParseLFSPointer(data []byte) (*LFSPointer, bool) {
	p, err := parseLFSPointer(data)
	return p, err == nil
}

// readLFSPointer fills f from a pointer file.
func readLFSPointer(f *Facts, r io.ReaderAt, size int64) error {
	if size >= MaxLFSPointer {
		return fmt.Errorf("file starts like a Git LFS pointer but is %d bytes; pointers are under %d", size, MaxLFSPointer)
	}
	data := make([]byte, size)
	if err := readFull(r, data, 0); err != nil {
		return fmt.Errorf("reading the Git LFS pointer: %w", err)
	}
	p, err := parseLFSPointer(data)
	if err != nil {
		return err
	}
	f.LFS = p
	return nil
}

// parseLFSPointer is ParseLFSPointer with the reason for a refusal.
func parseLFSPointer(data []byte) (*LFSPointer, error) {
	if len(data) >= MaxLFSPointer {
		return nil, fmt.Errorf("LFS pointer is %d bytes; pointers are under %d", len(data), MaxLFSPointer)
	}
	text := strings.TrimSuffix(string(data), "\n")
	lines := strings.Split(text, "\n")
	seen := map[string]bool{}
	var p LFSPointer
	for i, line := range lines {
		line = strings.TrimSuffix(line, "\r")
		key, val, ok := strings.Cut(line, " ")
		if !ok || key == "" || !lfsKey(key) {
			return nil, fmt.Errorf("LFS pointer line %d is not \"key value\"", i+1)
		}
		if seen[key] {
			return nil, fmt.Errorf("LFS pointer has %q twice", key)
		}
		seen[key] = true
		switch {
		case i == 0:
			if key != "version" || !knownLFSVersion(val) {
				return nil, errors.New("LFS pointer does not start with a known version line")
			}
		case key == "oid":
			hex, ok := strings.CutPrefix(val, "sha256:")
			if !ok || !isLowerHex(hex, 64) {
				return nil, fmt.Errorf("LFS pointer oid %q is not sha256:<64 lowercase hex digits>", clip([]byte(val)))
			}
			p.OID = hex
		case key == "size":
			n, err := strconv.ParseInt(val, 10, 64)
			if err != nil || n < 0 || val[0] == '+' {
				return nil, fmt.Errorf("LFS pointer size %q is not a non-negative integer", clip([]byte(val)))
			}
			p.Size = n
		}
	}
	if !seen["oid"] || !seen["size"] {
		return nil, errors.New("LFS pointer lacks an oid or a size line")
	}
	return &p, nil
}

// knownLFSVersion reports whether v is one of the spec URLs, exactly.
func knownLFSVersion(v string) bool {
	for _, known := range lfsVersions {
		if v == known {
			return true
		}
	}
	return false
}

// lfsKey reports whether k uses only the characters pointer keys may contain.
func lfsKey(k string) bool {
	for _, c := range k {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '.' || c == '-') {
			return false
		}
	}
	return true
}

// isLowerHex reports whether s is exactly n lowercase hexadecimal digits.
func isLowerHex(s string, n int) bool {
	if len(s) != n {
		return false
	}
	for _, c := range s {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}
