package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/glassbox-dev/glassbox/internal/artifact"
	"github.com/glassbox-dev/glassbox/internal/batch"
	"github.com/glassbox-dev/glassbox/internal/evidence"
	"github.com/glassbox-dev/glassbox/internal/release"
	"github.com/glassbox-dev/glassbox/internal/report"
)

func newInspect(stdout io.Writer) *cobra.Command {
	var format string
	c := &cobra.Command{
		Use:   "inspect FILE|FOLDER...",
		Short: "Show the header facts and safety of model files, without loading them",
		Long: `Read the header of a model file and print what it says about itself: format, parameter
count per dtype, metadata, licence and base-model keys (GGUF), and a safety verdict. Tensor
data is never read and nothing in the file is executed; pickles are judged by walking their
opcodes and classing every import they would make.

Given several files or a folder, inspect reads every model file (by name: safetensors, GGUF,
pickles, PyTorch archives, NumPy, ONNX …; links are not followed) in parallel in one process
and prints one table, or JSON Lines (one object per file) with --format json.

A malformed file prints the facts read before the defect with the error. Exit codes: 1 when
a file is dangerous to load or malformed (the check failed; the facts are still printed),
3 when a file cannot be opened or is not a regular file (a FIFO or device is refused without
being read).`,
		Example: `  glassbox inspect model.safetensors
  glassbox inspect model-Q4_K_M.gguf --format json
  glassbox inspect ./checkpoints ./downloads --format json > facts.jsonl`,
		Args: minArgs(1, "a FILE or FOLDER"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if format != "text" && format != "json" {
				return usageErr("inspect: unknown --format %q (text or json)", format)
			}
			if len(args) == 1 && !isFolder(args[0]) {
				return inspectOne(stdout, args[0], format)
			}
			return inspectMany(stdout, args, format)
		},
	}
	c.Flags().StringVarP(&format, "format", "f", "text", "output format: text or json (several files: JSON Lines)")
	return c
}

// isFolder reports whether p is a folder (not a link to one).
func isFolder(p string) bool {
	info, err := os.Lstat(p)
	return err == nil && info.IsDir()
}

// inspectOne prints one file's facts in full.
func inspectOne(stdout io.Writer, path, format string) error {
	r := batch.Inspect(path) // a FIFO or device is refused, never blocked on
	if r.Err != nil {
		return &exitError{exitUnreadable, fmt.Errorf("cannot read %v", r.Err)}
	}
	if format == "json" {
		if err := writeJSON(stdout, r.Facts); err != nil {
			return err
		}
	} else {
		printFacts(stdout, r.Facts)
	}
	return inspectVerdict(path, r.Facts)
}

// modelFile keeps, in a folder, the files whose names say they hold model weights or arrays.
func modelFile(p string) bool {
	return release.IsWeights(p) || artifact.Detect(p, nil) != artifact.FormatUnknown
}

// inspectMany reads every model file of the arguments in parallel and prints one table or JSON
// Lines; the exit code is the worst of the files' (3 unreadable, then 1 dangerous or malformed).
func inspectMany(stdout io.Writer, args []string, format string) error {
	paths, errs := batch.Files(args, modelFile)
	results := batch.Each(paths, batch.Inspect)
	var tw *tabwriter.Writer
	if format == "text" {
		tw = tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "PATH\tFORMAT\tSAFETY\tPARAMETERS\tNOTE")
	}
	unreadable, failed := len(errs), 0
	for _, r := range results {
		if r.Err != nil {
			unreadable++
		} else if inspectVerdict(r.Path, r.Facts) != nil {
			failed++
		}
		if err := writeInspected(stdout, tw, r); err != nil {
			return err
		}
	}
	if tw != nil {
		if err := tw.Flush(); err != nil {
			return err
		}
	}
	return batchVerdict(len(results), unreadable, failed, errs)
}

// writeInspected writes one row of the table, or one JSON line.
func writeInspected(stdout io.Writer, tw *tabwriter.Writer, r batch.Inspected) error {
	if tw == nil {
		line := any(r.Facts)
		if r.Err != nil {
			line = map[string]string{"path": r.Path, "error": r.Err.Error()}
		}
		b, err := json.Marshal(line)
		if err != nil {
			return err
		}
		_, err = stdout.Write(append(b, '\n'))
		return err
	}
	if r.Err != nil {
		report.SafePrintf(tw, "%s\t-\terror\t-\t%s\n", r.Path, r.Err.Error())
		return nil
	}
	f := r.Facts
	note := f.Error
	if note == "" && len(f.Globals) > 0 {
		note = dangerousGlobals(f.Globals)
	}
	params := "-"
	if f.Parameters > 0 {
		params = evidence.HumanParams(f.Parameters)
	}
	report.SafePrintf(tw, "%s\t%s\t%s\t%s\t%s\n", r.Path, f.Format, f.Safety, params, note)
	return nil
}

// dangerousGlobals lists the imports that are not innocuous, for the table's note column.
func dangerousGlobals(gs []artifact.Global) string {
	var parts []string
	for _, g := range gs {
		if g.Class != artifact.ClassInnocuous {
			parts = append(parts, g.Module+"."+g.Name)
		}
	}
	if len(parts) > 4 {
		parts = append(parts[:4], fmt.Sprintf("… %d more", len(parts)-4))
	}
	return strings.Join(parts, ", ")
}

// batchVerdict is the exit status of a many-file run.
func batchVerdict(n, unreadable, failed int, errs []error) error {
	switch {
	case unreadable > 0:
		msg := fmt.Sprintf("%d of %d files could not be read", unreadable, n)
		if len(errs) > 0 {
			msg += ": " + errs[0].Error()
		}
		return &exitError{exitUnreadable, errors.New(msg)}
	case failed > 0:
		return &exitError{exitCheck, fmt.Errorf("%d of %d files are dangerous to load or malformed", failed, n)}
	case n == 0:
		return &exitError{exitUnreadable, errors.New("no model files found")}
	}
	return nil
}

func printFacts(w io.Writer, f *artifact.Facts) {
	report.SafePrintf(w, "%s — %s, %s\n", f.Path, f.Format, f.Safety)
	if f.Parameters > 0 {
		var parts []string
		for dt, n := range f.DTypes {
			parts = append(parts, dt+" "+evidence.HumanParams(n))
		}
		sort.Strings(parts)
		report.SafePrintf(w, "  parameters: %s (%d)", evidence.HumanParams(f.Parameters), f.Parameters)
		if len(parts) > 0 {
			report.SafePrintf(w, " — %s", strings.Join(parts, ", "))
		}
		fmt.Fprintln(w)
	}
	if f.Tensors > 0 {
		report.SafePrintf(w, "  tensors: %d\n", f.Tensors)
	}
	if f.Version > 0 {
		report.SafePrintf(w, "  version: %d, %d metadata keys\n", f.Version, f.KVCount)
	}
	if f.Architecture != "" {
		report.SafePrintf(w, "  architecture: %s\n", f.Architecture)
	}
	if f.License != "" || f.LicenseName != "" {
		report.SafePrintf(w, "  licence: %s %s %s\n", f.License, f.LicenseName, f.LicenseLink)
	}
	for _, b := range f.BaseModels {
		report.SafePrintf(w, "  base model: %s %s %s\n", b.Organization, b.Name, b.RepoURL)
	}
	if f.LFS != nil {
		report.SafePrintf(w, "  Git LFS pointer: sha256 %s, %d bytes (weights not present)\n", f.LFS.OID, f.LFS.Size)
	}
	keys := make([]string, 0, len(f.Metadata))
	for k := range f.Metadata {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for i, k := range keys {
		if i == 20 {
			report.SafePrintf(w, "  … %d more metadata keys (--format json shows all)\n", len(keys)-20)
			break
		}
		v := f.Metadata[k]
		if len(v) > 100 {
			v = v[:100] + "…"
		}
		report.SafePrintf(w, "  %s = %s\n", k, v)
	}
	if f.Error != "" {
		report.SafePrintf(w, "  error: %s\n", f.Error)
	}
}

// inspectVerdict is the exit status of inspect: a check failure (code 1) when the file would
// run code when loaded or is malformed, nil otherwise.
func inspectVerdict(path string, f *artifact.Facts) error {
	switch {
	case f.Safety == artifact.SafetyDangerous && f.Error != "":
		return &exitError{exitCheck, fmt.Errorf("%s: dangerous to load, and malformed: %s", path, f.Error)}
	case f.Safety == artifact.SafetyDangerous:
		return &exitError{exitCheck, fmt.Errorf("%s: dangerous to load: it imports code that runs when it is loaded", path)}
	case f.Error != "":
		return &exitError{exitCheck, fmt.Errorf("%s: %s", path, f.Error)}
	}
	return nil
}
