package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// TestCheckExitCodes: 0 when every release passes, 1 when one breaks a rule, 2 for a policy
// error, 3 for a target that cannot be read.
func TestCheckExitCodes(t *testing.T) {
	ex := examplesDir(t)
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	starter := write("starter.yaml", "")
	var out, errb bytes.Buffer
	if code := run([]string{"check", "--init"}, &out, &errb); code != 0 {
		t.Fatalf("--init: exit %d", code)
	}
	starter = write("starter.yaml", out.String())
	badCEL := write("bad.yaml", "rules:\n  - name: b\n    expr: 'tier =='\n")
	badArg := write("arg.yaml", "rules:\n  - name: b\n    expr: 'tier_at_least(\"open\")'\n")
	tests := []struct {
		args []string
		code int
	}{
		{[]string{"check", "-p", starter, filepath.Join(ex, "open-weights")}, exitOK},
		{[]string{"check", "-p", starter, filepath.Join(ex, "open-weights"), filepath.Join(ex, "apache-over-llama")}, exitCheck},
		{[]string{"check", "-p", badCEL, filepath.Join(ex, "open-weights")}, exitUsage},
		{[]string{"check", "-p", badArg, filepath.Join(ex, "open-weights")}, exitUsage},
		{[]string{"check", "-p", filepath.Join(dir, "none.yaml"), filepath.Join(ex, "open-weights")}, exitUsage},
		{[]string{"check", "-p", starter, filepath.Join(dir, "no-such-release")}, exitUnreadable},
	}
	for _, tt := range tests {
		var out, errb bytes.Buffer
		if code := run(tt.args, &out, &errb); code != tt.code {
			t.Errorf("%v: exit %d, want %d\n%s%s", tt.args[1:3], code, tt.code, out.String(), errb.String())
		}
	}
}
