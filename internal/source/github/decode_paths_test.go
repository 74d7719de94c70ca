package github

import "testing"

// TestTreePathsContained: tree entries that could climb out of a root, or that a snapshot would
// refuse, are left out of the inventory.
func TestTreePathsContained(t *testing.T) {
	for p, ok := range map[string]bool{
		"scripts/train.py": true, "a/b/c.md": true,
		"../etc/passwd": false, "a/../../b": false, "/etc/passwd": false, `a\b`: false,
		"a//b": false, "．．/etc": false, "x\x00y": false, "bad\x1b[31m": false, "": false,
	} {
		if cleanPath(p) != ok {
			t.Errorf("cleanPath(%q) = %v, want %v", p, !ok, ok)
		}
	}
}
