package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/goccy/go-yaml"
)

// TestCIExamples: the workflow and hooks in examples/ci parse, and every glassbox command they
// run names a real command with flags it has, so the examples cannot drift from the CLI.
func TestCIExamples(t *testing.T) {
	dir := filepath.Join("..", "..", "examples", "ci")
	var workflow struct {
		Jobs map[string]struct {
			Steps []struct {
				Run string `yaml:"run"`
			} `yaml:"steps"`
		} `yaml:"jobs"`
	}
	data, err := os.ReadFile(filepath.Join(dir, "github-actions.yml"))
	if err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal(data, &workflow); err != nil {
		t.Fatalf("github-actions.yml: %v", err)
	}
	var scripts []string
	for _, j := range workflow.Jobs {
		for _, s := range j.Steps {
			scripts = append(scripts, s.Run)
		}
	}
	for _, f := range []string{"pre-commit", "pre-commit-config.yaml"} {
		data, err := os.ReadFile(filepath.Join(dir, f))
		if err != nil {
			t.Fatal(err)
		}
		scripts = append(scripts, string(data))
	}
	n := 0
	for _, s := range scripts {
		for _, cmd := range glassboxCommands(s) {
			n++
			if err := commandLineErr(cmd); err != nil {
				t.Errorf("glassbox %s: %v", strings.Join(cmd, " "), err)
			}
		}
	}
	if commandLineErr([]string{"scan", "--no-such-flag"}) == nil || commandLineErr([]string{"frobnicate"}) == nil {
		t.Error("the command-line check accepts an unknown flag or command")
	}
	if n < 6 {
		t.Errorf("found %d glassbox commands in examples/ci, want the scan, bom, check, diff and install steps", n)
	}
}

var glassboxCmdRe = regexp.MustCompile(`(?m)(?:^|[\s'"])glassbox ((?:scan|bom|check|diff|snapshot|inspect|license|mof|osai)\b[^\n'|;&]*)`)

// glassboxCommands lists the argument lists of the glassbox commands in a shell script.
func glassboxCommands(script string) [][]string {
	var out [][]string
	for _, m := range glassboxCmdRe.FindAllStringSubmatch(script, -1) {
		var args []string
		for _, w := range strings.Fields(m[1]) {
			if strings.HasPrefix(w, "#") {
				break
			}
			args = append(args, strings.Trim(w, `"'`))
		}
		out = append(out, args)
	}
	return out
}

// commandLineErr resolves args to a command and parses its flags.
func commandLineErr(args []string) error {
	root := newRoot(&bytes.Buffer{}, &bytes.Buffer{})
	c, rest, err := root.Find(args)
	if err != nil {
		return err
	}
	if c == root {
		return fmt.Errorf("no such command")
	}
	return c.ParseFlags(rest)
}
