package main

import (
	"fmt"
	"io"
	"math"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/glassbox-dev/glassbox/internal/framework/osai"
	"github.com/glassbox-dev/glassbox/internal/report"
	"github.com/glassbox-dev/glassbox/internal/source"
)

// maxOSAIRecord bounds an index record read: real ones are a few kilobytes.
const maxOSAIRecord = 4 << 20

func newOSAI(stdout io.Writer) *cobra.Command {
	var format string
	c := &cobra.Command{
		Use:   "osai RECORD.yaml",
		Short: "Score a European Open Source AI Index record (osai-index.eu YAML)",
		Long: `Score a record of the European Open Source AI Index (osai-index.eu) as the index's site does:
each of the twelve parameters is open (1), partial (0.5) or closed (0), a blank or missing
class counts 0, and the score is their mean.

Text output lists the twelve parameters with their classes and the score as a percentage; JSON
output gives the score (0..1, four decimals) and each parameter's class, notes and links.`,
		Example: `  glassbox osai OLMo.yaml
  glassbox osai OLMo.yaml --format json`,
		Args: exactArgs(1, "one RECORD.yaml"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if format != "text" && format != "json" {
				return usageErr("osai: unknown --format %q (text or json)", format)
			}
			rec, err := readOSAIRecord(args[0])
			if err != nil {
				return err
			}
			if format == "json" {
				return writeJSON(stdout, osaiJSON(rec))
			}
			printOSAI(stdout, rec)
			return nil
		},
	}
	c.Flags().StringVarP(&format, "format", "f", "text", "output format: text or json")
	return c
}

func readOSAIRecord(path string) (*osai.Record, error) {
	f, _, err := source.OpenRegular(path) // a FIFO or device is refused, never blocked on
	if err != nil {
		return nil, &exitError{exitUnreadable, fmt.Errorf("cannot read %v", err)}
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxOSAIRecord+1))
	if err != nil {
		return nil, &exitError{exitUnreadable, fmt.Errorf("cannot read %s: %v", path, err)}
	}
	if len(data) > maxOSAIRecord {
		return nil, &exitError{exitUnreadable, fmt.Errorf("%s: larger than %d MB, not an OSAI index record", path, maxOSAIRecord>>20)}
	}
	// The parser's errors start with the name it is given, so the path the user typed leads.
	rec, err := osai.ParseRecord(path, data)
	if err != nil {
		return nil, &exitError{exitUnreadable, err}
	}
	rec.File = filepath.Base(path)
	return rec, nil
}

// osaiParam is one parameter in the JSON output.
type osaiParam struct {
	Class osai.Class `json:"class"`
	Notes string     `json:"notes,omitempty"`
	Link  string     `json:"link,omitempty"`
}

type osaiDoc struct {
	Name       string               `json:"name"`
	File       string               `json:"file"`
	Org        string               `json:"org,omitempty"`
	Type       string               `json:"type,omitempty"`
	Score      float64              `json:"score"`
	Percent    string               `json:"percent"`
	Parameters map[string]osaiParam `json:"parameters"`
	Problems   []string             `json:"problems,omitempty"`
}

func osaiJSON(rec *osai.Record) osaiDoc {
	d := osaiDoc{
		Name: rec.Name, File: rec.File, Org: rec.Org, Type: rec.Type,
		Score: math.Round(rec.Score()*1e4) / 1e4, Percent: percent(rec.Score()),
		Parameters: map[string]osaiParam{}, Problems: rec.Problems,
	}
	for _, p := range osai.Params {
		d.Parameters[p.Key] = osaiParam{Class: rec.Classes[p.Key], Notes: rec.Notes[p.Key], Link: rec.Links[p.Key]}
	}
	return d
}

// percent renders a score the way the index's site shows it, to two decimals.
func percent(score float64) string { return fmt.Sprintf("%.2f%%", score*100) }

func printOSAI(w io.Writer, rec *osai.Record) {
	title := rec.Name
	if rec.Org != "" {
		title += " (" + rec.Org + ")"
	}
	report.SafePrintf(w, "%s — European Open Source AI Index score %s\n", title, percent(rec.Score()))
	group := ""
	for _, p := range osai.Params {
		if p.Group != group {
			group = p.Group
			report.SafePrintf(w, "  %s\n", group)
		}
		report.SafePrintf(w, "    %-22s %-23s %s\n", p.Key, p.Name, rec.Classes[p.Key])
	}
	for _, p := range rec.Problems {
		report.SafePrintf(w, "  note: %s (scored 0)\n", p)
	}
	fmt.Fprintln(w, "score: mean of open 1, partial 0.5, closed or blank 0 over the twelve parameters")
}
