package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/glassbox-dev/glassbox/internal/batch"
	"github.com/glassbox-dev/glassbox/internal/lazyre"
	"github.com/glassbox-dev/glassbox/internal/license"
	"github.com/glassbox-dev/glassbox/internal/report"
	"github.com/glassbox-dev/glassbox/internal/source"
)

// maxLicenseInput bounds what 'glassbox license' reads: licence texts are kilobytes.
const maxLicenseInput = 16 << 20

func newLicense(stdout io.Writer) *cobra.Command {
	var format, family string
	var terms []string
	var list bool
	c := &cobra.Command{
		Use:   "license FILE|FOLDER...|-",
		Short: "Identify the licence(s) in a text, or list the licence catalogue",
		Long: `Identify the licences in a text file (or standard input with -): AI model licences and
their use policies (Llama, Gemma, Qwen, OpenRAIL, NVIDIA, Stability, …, told apart by version),
SPDX licence texts, and SPDX-License-Identifier lines. Each match has the catalogue key, the
SPDX or LicenseRef id, name, version, coverage (the share of the text it spans) and line range.
A file that holds a licence and its use policy gives both. A YAML front-matter header at the
top of the file is skipped. No match prints an empty list; it is not an error.

Given several files or a folder (whose files named like licences, notices, policies or terms
are read; links are not followed), each is identified in parallel in one process and the
result is one table, or JSON Lines ({"path", "matches", "expression"} per file) with --format
json.

With --list, print the catalogue instead: --family keeps one family, and each --term keeps the
licences with that kind of clause (` + strings.Join(license.TermNames(), ", ") + `).`,
		Example: `  glassbox license LICENSE
  glassbox license ./licenses --format json > licences.jsonl
  cat LICENSE | glassbox license - --format json
  glassbox license --list --family llama
  glassbox license --list --term user-cap --format json`,
		Args: func(c *cobra.Command, args []string) error {
			if list {
				return exactArgs(0, "no FILE with --list")(c, args)
			}
			return minArgs(1, "a FILE, a FOLDER, or - for standard input")(c, args)
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			if format != "text" && format != "json" {
				return usageErr("license: unknown --format %q (text or json)", format)
			}
			if !list && (family != "" || len(terms) > 0) {
				return usageErr("license: --family and --term filter --list")
			}
			cat := license.Default()
			if list {
				for _, t := range terms {
					if _, known := (*license.Entry)(nil).HasTerm(t); !known {
						return usageErr("license: unknown --term %q (one of %s)", t, strings.Join(license.TermNames(), ", "))
					}
				}
				return listCatalogue(stdout, cat, family, terms, format)
			}
			if len(args) > 1 || isFolder(args[0]) {
				return licenseMany(stdout, cat, args, format)
			}
			text, err := readInput(args[0], cmd.InOrStdin())
			if err != nil {
				return err
			}
			matches := cat.Identify(text)
			if matches == nil {
				matches = []license.Match{}
			}
			var ids []string
			for _, m := range matches {
				ids = append(ids, m.ID)
			}
			expr := strings.Join(uniq(ids), " AND ")
			if format == "json" {
				return writeJSON(stdout, map[string]any{"matches": matches, "expression": expr})
			}
			if len(matches) == 0 {
				fmt.Fprintln(stdout, "no licence identified")
				return nil
			}
			tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "KEY\tID\tVERSION\tCOVERAGE\tLINES\tHOW")
			for _, m := range matches {
				fmt.Fprintf(tw, "%s\t%s\t%s\t%.2f\t%d-%d\t%s\n", m.Key, m.ID, orDash(m.Version), m.Coverage, m.Lines[0], m.Lines[1], m.How)
			}
			return tw.Flush()
		},
	}
	c.Flags().StringVarP(&format, "format", "f", "text", "output format: text or json")
	c.Flags().BoolVar(&list, "list", false, "print the licence catalogue instead of identifying a text")
	c.Flags().StringVar(&family, "family", "", "with --list: only licences of this family (llama, gemma, qwen, openrail, nvidia, creative-commons …)")
	c.Flags().StringSliceVar(&terms, "term", nil, "with --list: only licences with this kind of clause; repeat to require several ("+strings.Join(license.TermNames(), ", ")+")")
	return c
}

// licenceNameRe keeps, in a folder, the files named like licence texts.
var licenceNameRe = lazyre.New(`(?i)licen[cs]e|copying|notice|polic(y|ies)|terms|eula`)

// licenseMany identifies the licences of many files in parallel: one table, or JSON Lines.
func licenseMany(stdout io.Writer, cat *license.Catalogue, args []string, format string) error {
	paths, errs := batch.Files(args, func(p string) bool { return licenceNameRe.MatchString(filepath.Base(p)) })
	results := batch.Each(paths, func(p string) batch.Identified { return batch.Identify(cat, p) })
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	if format == "text" {
		fmt.Fprintln(tw, "PATH\tEXPRESSION\tMATCHES")
	}
	unreadable := len(errs)
	for _, r := range results {
		if r.Err != nil {
			unreadable++
		}
		if err := writeIdentified(stdout, tw, format, r); err != nil {
			return err
		}
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	return batchVerdict(len(results), unreadable, 0, errs)
}

// writeIdentified writes one file's licences as a table row or a JSON line.
func writeIdentified(stdout io.Writer, tw *tabwriter.Writer, format string, r batch.Identified) error {
	if format == "json" {
		line := struct {
			Path       string          `json:"path"`
			Matches    []license.Match `json:"matches,omitempty"`
			Expression string          `json:"expression"`
			Error      string          `json:"error,omitempty"`
		}{Path: r.Path, Matches: r.Matches, Expression: r.Expression}
		if r.Err != nil {
			line.Error = r.Err.Error()
		}
		b, err := json.Marshal(line)
		if err != nil {
			return err
		}
		_, err = stdout.Write(append(b, '\n'))
		return err
	}
	switch {
	case r.Err != nil:
		report.SafePrintf(tw, "%s\terror\t%s\n", r.Path, r.Err.Error())
	case len(r.Matches) == 0:
		report.SafePrintf(tw, "%s\t-\tno licence identified\n", r.Path)
	default:
		var ms []string
		for _, m := range r.Matches {
			ms = append(ms, fmt.Sprintf("%s %s %.2f", m.ID, orDash(m.Version), m.Coverage))
		}
		report.SafePrintf(tw, "%s\t%s\t%s\n", r.Path, r.Expression, strings.Join(ms, "; "))
	}
	return nil
}

func readInput(name string, stdin io.Reader) (string, error) {
	var r io.Reader = stdin
	if name != "-" {
		f, _, err := source.OpenRegular(name) // a FIFO or device is refused, never blocked on
		if err != nil {
			return "", &exitError{exitUnreadable, fmt.Errorf("cannot read %v", err)}
		}
		defer f.Close()
		r = f
	}
	data, err := io.ReadAll(io.LimitReader(r, maxLicenseInput+1))
	if err != nil {
		return "", &exitError{exitUnreadable, fmt.Errorf("cannot read %s: %v", name, err)}
	}
	if len(data) > maxLicenseInput {
		return "", &exitError{exitUnreadable, fmt.Errorf("%s: larger than %d MB; a licence text is far smaller", name, maxLicenseInput>>20)}
	}
	return string(data), nil
}

// listed is a catalogue entry as --list prints it in JSON: the entry with its verdicts.
type listed struct {
	*license.Entry
	Open         bool     `json:"open"`
	Restrictions []string `json:"restrictions"`
	// RestrictionTerms names the term of each restriction, in the same order.
	RestrictionTerms []string `json:"restriction_terms"`
}

func listCatalogue(w io.Writer, cat *license.Catalogue, family string, terms []string, format string) error {
	out := []listed{}
	for _, e := range cat.Entries() {
		if family != "" && !strings.EqualFold(e.Family, family) {
			continue
		}
		if family == "" && len(terms) == 0 && e.Kind == "" && !e.OSI {
			continue // the bare SPDX list is long; show it with --family, --term or in JSON
		}
		keep := true
		for _, t := range terms {
			if has, _ := e.HasTerm(t); !has {
				keep = false
			}
		}
		if keep {
			out = append(out, listed{e, e.Open(), append([]string{}, e.Restrictions()...), append([]string{}, e.RestrictionTerms()...)})
		}
	}
	if format == "json" {
		return writeJSON(w, out)
	}
	if len(out) == 0 {
		fmt.Fprintln(w, "no licence in the catalogue matches")
		return nil
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "KEY\tVERSION\tID\tOSI\tOPEN\tRESTRICTIONS")
	for _, l := range out {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", l.Key, orDash(l.Version), l.ID, yesNo(l.OSI), yesNo(l.Open), orDash(strings.Join(l.Restrictions, "; ")))
	}
	return tw.Flush()
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

func uniq(s []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, x := range s {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

func describeErr(err error) string {
	if os.IsNotExist(err) {
		return "no such file or directory"
	}
	if os.IsPermission(err) {
		return "permission denied"
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error() // the caller names the path
	}
	return err.Error()
}
