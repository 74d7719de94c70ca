package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/glassbox-dev/glassbox/internal/assess"
	"github.com/glassbox-dev/glassbox/internal/license"
	"github.com/glassbox-dev/glassbox/internal/release"
	"github.com/glassbox-dev/glassbox/internal/report"
	"github.com/glassbox-dev/glassbox/internal/source"
	"github.com/glassbox-dev/glassbox/internal/source/hub"
)

func newScan(stdout, stderr io.Writer) *cobra.Command {
	var format, out string
	var verbose, verify bool
	c := &cobra.Command{
		Use:   "scan TARGET...",
		Short: "Audit model releases and report where they sit on the openness spectrum",
		Long: `Audit one or more model releases and report their G7 tier, MOF class and OSAID verdict
with the evidence behind each judgement.

TARGET is a local directory laid out like a model repository (README.md with YAML front
matter, LICENSE*, USE_POLICY*, config.json, weights, code, docs) or a snapshot file written
by 'glassbox snapshot'. An empty directory gives insufficient-evidence, not an error.

Formats: text (default; colour only on a terminal, NO_COLOR honoured) and json (the
glassbox.report/v1 document of CONTRACT.md; several targets give a JSON array).`,
		Example: `  glassbox scan ./examples/open-weights
  glassbox scan ./my-model --format json --output report.json
  glassbox scan examples/* -v`,
		Args: minArgs(1, "at least one TARGET (a model directory or snapshot file)"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if format != "text" && format != "json" {
				return usageErr("scan: unknown --format %q (text or json)", format)
			}
			var as []*assess.Assessment
			for _, t := range args {
				a, err := audit(cmd.Context(), t, verify, stderr)
				if err != nil {
					return err
				}
				as = append(as, a)
			}
			w, closeOut, err := output(out, stdout)
			if err != nil {
				return err
			}
			if format == "json" {
				if len(as) == 1 {
					err = report.JSON(w, as[0])
				} else {
					err = report.JSONMany(w, as)
				}
			} else {
				opt := report.TextOptions{Color: out == "" && colorOK(stdout), Verbose: verbose}
				for i, a := range as {
					if i > 0 {
						fmt.Fprintln(w)
					}
					if err = report.Text(w, a, opt); err != nil {
						break
					}
				}
			}
			if cerr := closeOut(); err == nil {
				err = cerr
			}
			return err
		},
	}
	c.Flags().StringVarP(&format, "format", "f", "text", "output format: text or json")
	c.Flags().StringVarP(&out, "output", "o", "", "write the report to FILE instead of standard output")
	c.Flags().BoolVarP(&verbose, "verbose", "v", false, "list every component, every fix and every evidence item")
	c.Flags().BoolVar(&verify, "verify", false, "hash every weights file (SHA-256, in parallel) and check it against the Hugging Face cache blob name, checksum files and shard indexes")
	return c
}

// audit reads a target, hashes its weights if asked, and runs the pure pipeline over it.
func audit(ctx context.Context, target string, verify bool, stderr io.Writer) (*assess.Assessment, error) {
	rel, err := readTarget(ctx, target)
	if err != nil {
		return nil, err
	}
	if verify {
		if info, err := os.Stat(target); err != nil || !info.IsDir() {
			return nil, usageErr("scan --verify needs a directory holding the weights; %s is not one", target)
		}
		if err := verifyWeights(ctx, target, rel, stderr); err != nil {
			return nil, err
		}
	}
	return assess.Run(rel, license.Default()), nil
}

// verifyWeights hashes the weights files, with a progress bar on a terminal.
func verifyWeights(ctx context.Context, dir string, rel *release.Release, stderr io.Writer) error {
	if ctx == nil {
		ctx = context.Background()
	}
	var progress source.Progress
	if f, ok := stderr.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		bar := progressbar.NewOptions64(source.VerifyBytes(rel),
			progressbar.OptionSetWriter(stderr),
			progressbar.OptionSetDescription("verifying "+rel.Name),
			progressbar.OptionShowBytes(true),
			progressbar.OptionThrottle(100*time.Millisecond),
			progressbar.OptionClearOnFinish(),
		)
		defer bar.Finish()
		progress = func(n int64) { _ = bar.Add64(n) }
	}
	if err := source.Verify(ctx, dir, rel, progress); err != nil {
		return &exitError{exitUnreadable, err}
	}
	return nil
}

func readTarget(ctx context.Context, target string) (*release.Release, error) {
	if ctx == nil {
		ctx = context.Background()
	}
	var rel *release.Release
	var err error
	if hub.IsTarget(target) {
		t, perr := hub.ParseTarget(target)
		if perr != nil {
			return nil, usageErr("%v", perr)
		}
		rel, err = auditHub(ctx, t)
	} else {
		rel, err = source.Open(ctx, target)
	}
	switch {
	case err == nil:
		return rel, nil
	case errors.Is(err, source.ErrUnsupported):
		return nil, &exitError{exitUsage, err}
	default:
		return nil, &exitError{exitUnreadable, err}
	}
}

// auditHub reads a Hub target from the network, or from the local Hugging Face cache when
// HF_HUB_OFFLINE is set or the Hub cannot be reached (an answer from the Hub, such as "repository
// not found", is final and does not fall back).
func auditHub(ctx context.Context, t hub.Target) (*release.Release, error) {
	if hub.Offline() {
		return hub.FromCache(ctx, t)
	}
	rel, err := hub.Audit(ctx, hub.NewClient(version), t, lineageDepth, hub.DefaultOptions)
	var answer *hub.Error
	if err == nil || errors.As(err, &answer) || ctx.Err() != nil {
		return rel, err
	}
	if cached, cerr := hub.FromCache(ctx, t); cerr == nil {
		cached.Notes = append(cached.Notes, "the Hub could not be reached: "+err.Error())
		return cached, nil
	}
	return nil, err
}

// lineageDepth bounds how many generations of base models a Hub audit reads.
const lineageDepth = 3

// colorOK reports whether w is a terminal that wants colour (https://no-color.org).
func colorOK(w io.Writer) bool {
	if os.Getenv("NO_COLOR") != "" || os.Getenv("TERM") == "dumb" {
		return false
	}
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

func newSnapshot(stdout io.Writer) *cobra.Command {
	var out string
	c := &cobra.Command{
		Use:   "snapshot TARGET --output FILE",
		Short: "Save what glassbox reads of a release, for offline and repeatable audits",
		Long: `Read a release and save the snapshot (file inventory, hashes, the text files that matter,
weights header facts) as JSON. 'glassbox scan FILE' on the snapshot gives the same report as
scanning the release itself, byte for byte.`,
		Args: exactArgs(1, "one TARGET"),
		RunE: func(cmd *cobra.Command, args []string) error {
			rel, err := readTarget(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			data, err := rel.Marshal()
			if err != nil {
				return err
			}
			w, closeOut, err := output(out, stdout)
			if err != nil {
				return err
			}
			if _, err := w.Write(append(data, '\n')); err != nil {
				return err
			}
			return closeOut()
		},
	}
	c.Flags().StringVarP(&out, "output", "o", "", "write the snapshot to FILE (default: standard output)")
	return c
}
