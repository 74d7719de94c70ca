package main

import (
	"encoding/json"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/glassbox-dev/glassbox/internal/policy"
)

func newDiff(stdout, stderr io.Writer) *cobra.Command {
	var format, failOn string
	var opts auditOptions
	c := &cobra.Command{
		Use:   "diff A B",
		Short: "Show how openness changed between two releases, revisions or saved reports",
		Long: `Compare two audits and show what changed from A to B: the G7 tier, the weights' licences,
their terms (by clause name) and restrictions, the findings, the components and each
framework's standing (MOF class, OSAID verdict, OSAI index score, EU AI Act exemption). Each
change is marked - (less open), + (more open) or ~ (neither).

A and B are anything 'glassbox scan' accepts (two folders, two revisions hf:ORG/NAME@r1 and
hf:ORG/NAME@r2, snapshots) or JSON reports saved with 'glassbox scan -f json'.

--fail-on worse exits 1 when openness went down anywhere (a lower tier, a framework ranking
lower, weights no longer open, a restrictive term or restriction added, a component lost);
--fail-on change exits 1 on any change.`,
		Example: `  glassbox diff hf:acme/model@v1 hf:acme/model@v2
  glassbox diff last-release.json ./my-model --fail-on worse
  glassbox diff a.json b.json -f json`,
		Args: exactArgs(2, "two targets or saved reports, A and B"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if format != "text" && format != "json" {
				return usageErr("diff: unknown --format %q (text or json)", format)
			}
			if failOn != "" && failOn != "worse" && failOn != "change" {
				return usageErr("diff: unknown --fail-on %q (worse or change)", failOn)
			}
			var docs []policy.Document
			for _, t := range args {
				as, err := loadAudits(cmd.Context(), []string{t}, opts, stderr)
				if err != nil {
					return err
				}
				if len(as) != 1 {
					return usageErr("diff: %s holds %d reports; give one report or release on each side", t, len(as))
				}
				docs = append(docs, as[0].doc)
			}
			d := policy.Compare(docs[0], docs[1])
			if err := writeDiff(stdout, d, format); err != nil {
				return err
			}
			switch {
			case failOn == "worse" && d.Worse():
				return &exitError{exitCheck, fmt.Errorf("openness went down from %s to %s", d.A, d.B)}
			case failOn == "change" && len(d.Changes) > 0:
				return &exitError{exitCheck, fmt.Errorf("%d changes from %s to %s", len(d.Changes), d.A, d.B)}
			}
			return nil
		},
	}
	c.Flags().StringVarP(&format, "format", "f", "text", "text or json")
	c.Flags().StringVar(&failOn, "fail-on", "", "exit 1 when openness went down (worse) or on any change (change)")
	c.Flags().BoolVar(&opts.verify, "verify", false, "hash the weights of live targets (as scan --verify does)")
	addHubFlags(c, &opts)
	return c
}

func writeDiff(w io.Writer, d policy.Diff, format string) error {
	if format == "json" {
		enc := json.NewEncoder(w)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		return enc.Encode(d)
	}
	_, err := io.WriteString(w, d.Text())
	return err
}
