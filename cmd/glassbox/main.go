// Command glassbox tells how open an AI model release really is, with the evidence: it reads the
// release itself (files, licence texts, model card, weights headers, lineage) and places it on the
// openness spectrum (G7 tiers, MOF class, OSI OSAID verdict), citing a file, line or field for
// every judgement. It never executes model content.
package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"
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
func run(args []string, stdout, stderr io.Writer) int {
	root := newRoot(stdout, stderr)
	root.SetArgs(args)
	err := root.Execute()
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

Exit codes: 0 success, 1 a check failed, 2 usage error, 3 the target could not be read.`,
		SilenceUsage:  true,
		SilenceErrors: true,
		Version:       version,
	}
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return usageErr("%s: %v", c.CommandPath(), err)
	})
	root.AddCommand(newScan(stdout, stderr), newSnapshot(stdout), newInspect(stdout), newMOF(stdout), newLicense(stdout))
	root.AddCommand(newOSAI(stdout))
	root.AddCommand(newBOM(stdout, stderr), newCheck(stdout, stderr), newDiff(stdout, stderr))
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

// output opens --output, or returns stdout.
func output(path string, stdout io.Writer) (io.Writer, func() error, error) {
	if path == "" || path == "-" {
		return stdout, func() error { return nil }, nil
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, nil, &exitError{exitUnreadable, fmt.Errorf("cannot write %s: %v", path, err)}
	}
	return f, f.Close, nil
}
