package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/glassbox-dev/glassbox/internal/framework/mof"
	"github.com/glassbox-dev/glassbox/internal/license"
	"github.com/glassbox-dev/glassbox/internal/report"
	"github.com/glassbox-dev/glassbox/internal/source"
)

// maxRecord bounds a MOF record read: real ones are a few kilobytes.
const maxRecord = 8 << 20

func newMOF(stdout io.Writer) *cobra.Command {
	var format string
	var motCompat bool
	c := &cobra.Command{
		Use:   "mof RECORD.yml",
		Short: "Evaluate a Model Openness Framework record (Model Openness Tool YAML)",
		Long: `Evaluate a Model Openness Framework record in the Model Openness Tool's YAML format.

With --mot-compat the class and per-class progress are computed exactly as the reference tool
computes them, quirks included (exact SPDX ids from its 2024 licence list; a class's progress
is 0 when a higher class is incomplete).

Without it the record is judged in glassbox mode: licence names are normalised ("Apache 2.0"
is Apache-2.0), expressions are evaluated, progress counts every class on its own, and the
output lists each place where the two modes differ and why.`,
		Example: `  glassbox mof Amber.yml --mot-compat --format json
  glassbox mof Amber.yml`,
		Args: exactArgs(1, "one RECORD.yml"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if format != "text" && format != "json" {
				return usageErr("mof: unknown --format %q (text or json)", format)
			}
			rec, err := readRecord(args[0])
			if err != nil {
				return err
			}
			cat := license.Default()
			if motCompat {
				res := mof.MOT(rec)
				if format == "json" {
					return writeJSON(stdout, res)
				}
				printMOF(stdout, rec.Name, "MOT-compatible", res, nil)
				return nil
			}
			res := mof.Glassbox(mof.FromRecord(rec, cat))
			diffs := mof.Compare(rec, cat)
			if diffs == nil {
				diffs = []mof.Difference{}
			}
			if format == "json" {
				return writeJSON(stdout, struct {
					mof.Result
					Mode        string           `json:"mode"`
					Differences []mof.Difference `json:"differences"`
				}{res, "glassbox", diffs})
			}
			printMOF(stdout, rec.Name, "glassbox", res, diffs)
			return nil
		},
	}
	c.Flags().BoolVar(&motCompat, "mot-compat", false, "compute exactly as the Model Openness Tool does")
	c.Flags().StringVarP(&format, "format", "f", "text", "output format: text or json")
	return c
}

func readRecord(path string) (*mof.Record, error) {
	f, _, err := source.OpenRegular(path) // a FIFO or device is refused, never blocked on
	if err != nil {
		return nil, &exitError{exitUnreadable, fmt.Errorf("cannot read %v", err)}
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxRecord+1))
	if err != nil {
		return nil, &exitError{exitUnreadable, fmt.Errorf("cannot read %s: %v", path, err)}
	}
	if len(data) > maxRecord {
		return nil, &exitError{exitUnreadable, fmt.Errorf("%s: larger than %d MB, not a MOF record", path, maxRecord>>20)}
	}
	rec, err := mof.ParseRecord(data)
	if err != nil {
		return nil, &exitError{exitUnreadable, fmt.Errorf("%s: %v", path, err)}
	}
	return rec, nil
}

func printMOF(w io.Writer, name, mode string, res mof.Result, diffs []mof.Difference) {
	report.SafePrintf(w, "%s — MOF %s (%s mode)\n", name, res.Label, mode)
	report.SafePrintf(w, "  progress: Class III %.2f%% · Class II %.2f%% · Class I %.2f%%\n", res.Progress[3], res.Progress[2], res.Progress[1])
	for _, c := range res.Components {
		lic := c.License
		if lic == "" {
			lic = "-"
		}
		line := fmt.Sprintf("  %-32s %-10s %s", c.Name, c.Status, lic)
		if c.Warning != "" {
			line += "  (" + c.Warning + ")"
		}
		report.SafePrintf(w, "%s\n", strings.TrimRight(line, " "))
	}
	if mode == "glassbox" {
		if len(diffs) == 0 {
			fmt.Fprintln(w, "MOT-compatible mode agrees.")
			return
		}
		fmt.Fprintln(w, "differences from MOT-compatible mode:")
		for _, d := range diffs {
			what := d.Component
			if d.Kind == mof.DiffProgress {
				what = fmt.Sprintf("Class %d progress", d.Class)
			} else if d.Kind == mof.DiffClass {
				what = "class"
			}
			report.SafePrintf(w, "  %s: MOT %s, glassbox %s — %s\n", what, d.MOT, d.Glassbox, d.Why)
		}
	}
}
