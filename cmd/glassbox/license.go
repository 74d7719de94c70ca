package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/glassbox-dev/glassbox/internal/license"
)

// maxLicenseInput bounds what 'glassbox license' reads: licence texts are kilobytes.
const maxLicenseInput = 16 << 20

func newLicense(stdout io.Writer) *cobra.Command {
	var format, family string
	var list bool
	c := &cobra.Command{
		Use:   "license FILE|-",
		Short: "Identify the licence(s) in a text, or list the licence catalogue",
		Long: `Identify the licences in a text file (or standard input with -): SPDX licence texts,
AI model licences known to the catalogue, and SPDX-License-Identifier lines. Each match has
the catalogue key, the SPDX or LicenseRef id, name, version, coverage and line range.
No match prints an empty list; it is not an error.

With --list, print the catalogue instead (--family filters it).`,
		Example: `  glassbox license LICENSE
  cat LICENSE | glassbox license - --format json
  glassbox license --list --family llama`,
		Args: func(c *cobra.Command, args []string) error {
			if list {
				return nil
			}
			return exactArgs(1, "one FILE, or - for standard input")(c, args)
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			if format != "text" && format != "json" {
				return usageErr("license: unknown --format %q (text or json)", format)
			}
			cat := license.Default()
			if list {
				return listCatalogue(stdout, cat, family, format)
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
			fmt.Fprintln(tw, "ID\tNAME\tVERSION\tCOVERAGE\tLINES\tHOW")
			for _, m := range matches {
				fmt.Fprintf(tw, "%s\t%s\t%s\t%.2f\t%d-%d\t%s\n", m.ID, m.Name, m.Version, m.Coverage, m.Lines[0], m.Lines[1], m.How)
			}
			return tw.Flush()
		},
	}
	c.Flags().StringVarP(&format, "format", "f", "text", "output format: text or json")
	c.Flags().BoolVar(&list, "list", false, "print the licence catalogue instead of identifying a text")
	c.Flags().StringVar(&family, "family", "", "with --list: only licences of this family (llama, gemma, openrail, creative-commons …)")
	return c
}

func readInput(name string, stdin io.Reader) (string, error) {
	var r io.Reader = stdin
	if name != "-" {
		f, err := os.Open(name)
		if err != nil {
			return "", &exitError{exitUnreadable, fmt.Errorf("cannot read %s: %v", name, describeErr(err))}
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

func listCatalogue(w io.Writer, cat *license.Catalogue, family, format string) error {
	var out []*license.Entry
	for _, e := range cat.Entries() {
		if family != "" && !strings.EqualFold(e.Family, family) {
			continue
		}
		if family == "" && e.Kind == "" && !e.OSI {
			continue // the bare SPDX list is long; show it with --family or in JSON
		}
		out = append(out, e)
	}
	if format == "json" {
		return writeJSON(w, out)
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "KEY\tID\tOSI\tOPEN\tRESTRICTIONS")
	for _, e := range out {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", e.Key, e.ID, yesNo(e.OSI), yesNo(e.Open()), strings.Join(e.Restrictions(), "; "))
	}
	return tw.Flush()
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
	return err.Error()
}
