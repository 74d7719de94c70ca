package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/glassbox-dev/glassbox/internal/eval"
)

func TestMissingDataDir(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "absent")
	var stdout, stderr bytes.Buffer
	if code := run([]string{"-shared", missing}, &stdout, &stderr); code != 2 {
		t.Errorf("exit %d, want 2", code)
	}
	if !strings.Contains(stderr.String(), "evaluation data not found at "+missing) {
		t.Errorf("stderr %q does not say the data is missing", stderr.String())
	}
	if stdout.Len() != 0 {
		t.Errorf("stdout %q, want nothing", stdout.String())
	}
}

func TestUsageErrors(t *testing.T) {
	for _, args := range [][]string{{"-nope"}, {"extra"}} {
		var stdout, stderr bytes.Buffer
		if code := run(args, &stdout, &stderr); code != 2 {
			t.Errorf("%v: exit %d, want 2", args, code)
		}
		if !strings.Contains(stderr.String(), "usage: glassbox-eval") {
			t.Errorf("%v: stderr %q lacks the usage line", args, stderr.String())
		}
	}
}

// TestRealData runs the program on the shared data: the exit status follows the bars, the
// table is printed and -markdown writes the same results.
func TestRealData(t *testing.T) {
	dir := filepath.Join("..", "..", "..", "shared", "eval")
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("skipping: the shared evaluation data is not at %s: %v", dir, err)
	}
	md := filepath.Join(t.TempDir(), "EVAL.md")
	var stdout, stderr bytes.Buffer
	code := run([]string{"-shared", dir, "-markdown", md}, &stdout, &stderr)
	rep, err := eval.Run(dir)
	if err != nil {
		t.Fatal(err)
	}
	want := 0
	if !rep.OK() {
		want = 1
		if !strings.Contains(stderr.String(), "below the bar") {
			t.Errorf("stderr %q does not name the failing rows", stderr.String())
		}
	}
	if code != want {
		t.Errorf("exit %d, want %d; stderr: %s", code, want, stderr.String())
	}
	if !strings.Contains(stdout.String(), "MOT parity") || !strings.Contains(stdout.String(), "Disagreements") {
		t.Errorf("stdout lacks the table:\n%s", stdout.String())
	}
	var wantMD bytes.Buffer
	if err := rep.Markdown(&wantMD); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(md)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != wantMD.String() {
		t.Error("-markdown wrote something other than the report")
	}
}
