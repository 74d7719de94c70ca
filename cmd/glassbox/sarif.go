package main

import (
	"os"
	"path/filepath"
	"strings"
)

// sarifRoots gives each target's folder relative to the current folder, so SARIF locations are
// relative to the repository a CI job runs in; "" (relative to the scanned root) for Hub
// targets, snapshot files and folders outside the current one.
func sarifRoots(targets []string) []string {
	roots := make([]string, len(targets))
	for i, t := range targets {
		if filepath.IsAbs(t) || strings.Contains(t, ":") {
			continue
		}
		info, err := os.Stat(t)
		if err != nil || !info.IsDir() {
			continue
		}
		clean := filepath.ToSlash(filepath.Clean(t))
		if clean == ".." || strings.HasPrefix(clean, "../") {
			continue
		}
		roots[i] = clean
	}
	return roots
}
