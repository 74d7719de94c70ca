//go:build unix

package main

import (
	"bytes"
	"path/filepath"
	"syscall"
	"testing"
)

// TestCheckNeverOpensFIFOs: a FIFO named like a saved report, or given as the policy, is not
// opened (which would block forever).
func TestCheckNeverOpensFIFOs(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "report.json")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	var out, errb bytes.Buffer
	if code := run([]string{"check", "-p", fifo, dir}, &out, &errb); code != exitUsage || !bytes.Contains(errb.Bytes(), []byte("not a regular file")) {
		t.Errorf("FIFO policy: exit %d, %s", code, errb.String())
	}
	out.Reset()
	errb.Reset()
	run([]string{"check", "--init", "-o", filepath.Join(dir, "p.yaml")}, &out, &errb)
	run([]string{"check", "-p", filepath.Join(dir, "p.yaml"), dir}, &out, &errb) // returns: the folder is read as a release
}
