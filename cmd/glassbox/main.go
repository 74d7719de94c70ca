// Command glassbox tells how open an AI model release really is, with the evidence: it reads the
// release itself (files, licence texts, model card, weights headers, lineage) and places it on the
// openness spectrum (G7 tiers, MOF class, OSI OSAID verdict), citing a file, line or field for
// every judgement. It never executes model content.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/glassbox-dev/glassbox/internal/assess"
)

// Exit codes (CONTRACT.md).
const (
	exitOK         = 0
	exitCheck      = 1 // a policy or check failed
	exitUsage      = 2
	exitUnreadable = 3
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

// exitError carries the exit code an error should end the process with.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

func usageErr(format string, args ...any) error {
	return &exitError{exitUsage, fmt.Errorf(format, args...)}
}

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run executes the command line and returns the exit code; main and the CLI tests share it.
// Standard output is written through a checkedWriter, so a write error (a full disk, a closed
// pipe) ends the run with exit code 3 and says so, whatever the command.
func run(args []string, stdout, stderr io.Writer) int {
	return runContext(context.Background(), args, stdout, stderr)
}

// runContext is run with a context that long-running commands (serve, worker) stop on.
func runContext(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	out := &checkedWriter{w: stdout, name: "standard output"}
	root := newRoot(out, stderr)
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	if err == nil {
		err = out.result()
	}
	if err == nil {
		return exitOK
	}
	code := exitUsage // errors that are not ours come from cobra's own parsing
	var ee *exitError
	if errors.As(err, &ee) {
		code = ee.code
	}
	msg := strings.TrimSpace(err.Error())
	if code == exitUsage && !strings.Contains(msg, "--help") {
		msg += " (see 'glassbox --help')"
	}
	fmt.Fprintln(stderr, "glassbox: "+msg)
	return code
}

func newRoot(stdout, stderr io.Writer) *cobra.Command {
	root := &cobra.Command{
		Use:   "glassbox",
		Short: "How open is an AI model release, really? With the evidence.",
		Long: `glassbox audits an AI model release (a Hugging Face Hub model, hf:ORG/NAME; a local
directory laid out like a model repository; or a snapshot file) and places it on the openness
spectrum:

  G7 tier     closed · weights-available · open-weights · open-source-ai · open-source-ai-open-data
  MOF         Model Openness Framework class (I, II, III or Unclassified)
  OSAID 1.0   OSI Open Source AI Definition: pass, fail or insufficient-evidence
  OSAI index  European Open Source AI Index score over twelve parameters
  EU AI Act   Art. 53(2) open-source exemption: eligible, not-eligible or cannot-determine
              (not legal advice)

Every judgement cites evidence (a file and line, a card field, a weights header key).
glassbox never executes model content.

Exit codes: 0 success; 1 a check failed (scan: a hash mismatch, a file that changed while
hashed, or malformed weights; inspect: a dangerous or malformed file); 2 usage error; 3 the
target could not be read, or the output could not be written.`,
		SilenceUsage:  true,
		SilenceErrors: true,
		Version:       version,
	}
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return usageErr("%s: %v", c.CommandPath(), err)
	})
	root.AddCommand(newScan(stdout, stderr), newSnapshot(stdout, stderr), newInspect(stdout), newMOF(stdout), newLicense(stdout))
	root.AddCommand(newOSAI(stdout))
	root.AddCommand(newServe(stderr), newWorker(stderr), newToken(stdout))
	root.AddCommand(newBOM(stdout, stderr), newCheck(stdout, stderr), newDiff(stdout, stderr), newCensus(stdout, stderr))
	return root
}

// exactArgs is cobra.ExactArgs with a usage exit code and a message that names the command.
func exactArgs(n int, what string) cobra.PositionalArgs {
	return func(c *cobra.Command, args []string) error {
		if len(args) != n {
			return usageErr("%s needs %s (got %d arguments)", c.CommandPath(), what, len(args))
		}
		return nil
	}
}

func minArgs(n int, what string) cobra.PositionalArgs {
	return func(c *cobra.Command, args []string) error {
		if len(args) < n {
			return usageErr("%s needs %s", c.CommandPath(), what)
		}
		return nil
	}
}

// output opens --output, or returns stdout. Writes to the file go through a checkedWriter:
// the close function returns the first write or close error as an exit code 3 error naming
// the file, so a report cut short is never taken for a complete one.
func output(path string, stdout io.Writer) (io.Writer, func() error, error) {
	if path == "" || path == "-" {
		return stdout, func() error { return nil }, nil
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, nil, &exitError{exitUnreadable, fmt.Errorf("cannot write %s: %v", path, describeErr(err))}
	}
	w := &checkedWriter{w: f, name: path}
	return w, func() error {
		if err := f.Close(); err != nil && w.err == nil {
			w.err = err
		}
		return w.result()
	}, nil
}

// checkedWriter remembers the first error writing to w and drops later writes, so renderers
// that ignore Fprintf's errors cannot hide a failed write. Write itself always succeeds: the
// error is reported once, by result, as a write error rather than as whatever the renderer
// would have made of it.
type checkedWriter struct {
	w    io.Writer
	name string
	err  error
}

func (c *checkedWriter) Write(p []byte) (int, error) {
	if c.err == nil {
		if _, err := c.w.Write(p); err != nil {
			c.err = err
		}
	}
	return len(p), nil
}

// result is the write error as the run reports it: exit code 3, no usage hint.
func (c *checkedWriter) result() error {
	if c.err == nil {
		return nil
	}
	return &exitError{exitUnreadable, fmt.Errorf("cannot write to %s: %v", c.name, describeErr(c.err))}
}

// integrityFindings are the findings that mean a check on the release's own bytes failed: a
// hash that disagrees with what the release or its source promises, weights that do not parse.
// scan exits with code 1 when a report holds one (after writing the report).
var integrityFindings = map[string]bool{"hash-mismatch": true, "malformed-weights": true}

// checkFailed returns an exit code 1 error naming the targets whose reports hold integrity
// findings, or nil.
func checkFailed(as []*assess.Assessment) error {
	var failed []string
	for _, a := range as {
		ids := map[string]bool{}
		for _, f := range a.Facts.Findings {
			if integrityFindings[f.ID] {
				ids[f.ID] = true
			}
		}
		if len(ids) > 0 {
			failed = append(failed, fmt.Sprintf("%s (%s)", a.Facts.Target, strings.Join(slices.Sorted(maps.Keys(ids)), ", ")))
		}
	}
	if len(failed) == 0 {
		return nil
	}
	return &exitError{exitCheck, fmt.Errorf("check failed: %s; see the report's findings", strings.Join(failed, "; "))}
}
