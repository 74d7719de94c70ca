package main

import (
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/spf13/cobra"

	"github.com/glassbox-dev/glassbox/internal/artifact"
	"github.com/glassbox-dev/glassbox/internal/evidence"
	"github.com/glassbox-dev/glassbox/internal/report"
	"github.com/glassbox-dev/glassbox/internal/source"
)

func newInspect(stdout io.Writer) *cobra.Command {
	var format string
	c := &cobra.Command{
		Use:   "inspect FILE",
		Short: "Show the header facts and safety of one model file, without loading it",
		Long: `Read the header of one model file and print what it says about itself: format, parameter
count per dtype, metadata, licence and base-model keys (GGUF), and a safety verdict. Tensor
data is never read and nothing in the file is executed; pickles are judged by walking their
opcodes and classing every import they would make.

A malformed file prints the facts read before the defect with the error. Exit codes: 1 when
the file is dangerous to load or malformed (the check failed; the facts are still printed),
3 when it cannot be opened or is not a regular file (a FIFO or device is refused without
being read).`,
		Example: `  glassbox inspect model.safetensors
  glassbox inspect model-Q4_K_M.gguf --format json`,
		Args: exactArgs(1, "one FILE"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if format != "text" && format != "json" {
				return usageErr("inspect: unknown --format %q (text or json)", format)
			}
			path := args[0]
			f, size, err := source.OpenRegular(path) // a FIFO or device is refused, never blocked on
			if err != nil {
				return &exitError{exitUnreadable, fmt.Errorf("cannot read %v", err)}
			}
			defer f.Close()
			facts, rerr := artifact.Read(path, f, size)
			if facts == nil {
				facts = &artifact.Facts{Path: path, Format: artifact.FormatUnknown, Size: size, Safety: artifact.SafetyError}
			}
			if rerr != nil && facts.Error == "" {
				facts.Error, facts.Safety = rerr.Error(), artifact.SafetyError
			}
			if format == "json" {
				if err := writeJSON(stdout, facts); err != nil {
					return err
				}
			} else {
				printFacts(stdout, facts)
			}
			return inspectVerdict(path, facts)
		},
	}
	c.Flags().StringVarP(&format, "format", "f", "text", "output format: text or json")
	return c
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
