package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/glassbox-dev/glassbox/internal/policy"
	"github.com/glassbox-dev/glassbox/internal/report"
)

func newCheck(stdout, stderr io.Writer) *cobra.Command {
	var policyFile, out, format string
	var initPolicy bool
	var opts auditOptions
	c := &cobra.Command{
		Use:   "check --policy POLICY TARGET... | check --init [-o FILE]",
		Short: "Gate releases on a policy: exit 1 when one breaks a rule, saying which and why",
		Long: `Check releases against a policy and exit 1 when any breaks a rule, naming the rule, its
message and what glassbox found; exit 0 when all pass, 2 when the policy is wrong (bad YAML,
invalid CEL, a helper given a name it does not know), 3 when a target cannot be read.

A policy is a YAML file of rules, each a CEL expression (https://cel.dev) over the
glassbox.report/v1 JSON report that must be true for a release to pass:

  rules:
    - name: commercial-use
      message: the weights' terms must allow commercial use at any scale
      expr: '!has_term("non-commercial") && !has_term("user-cap")'

Helpers:
` + helperList() + `
Variables: report (the whole document) and its fields name, target, tier (the G7 label),
frameworks, weights, findings, licenses, components, lineage, datasets, artifacts.

--init writes a commented starting policy that fails on HIGH findings, unsafe pickles and
hash mismatches, and shows every helper.

TARGET is anything 'glassbox scan' accepts (a folder, a snapshot, hf:ORG/NAME), a JSON
report saved with 'glassbox scan -f json' (one or an array), or a folder holding only saved
reports and snapshots, each of which is checked.`,
		Example: `  glassbox check --init -o glassbox-policy.yaml
  glassbox check --policy glassbox-policy.yaml ./my-model
  glassbox check --policy glassbox-policy.yaml hf:acme/model --verify
  glassbox check -p policy.yaml reports/`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if initPolicy {
				if len(args) > 0 || policyFile != "" {
					return usageErr("check --init takes no TARGET and no --policy")
				}
				return writeStarter(out, stdout)
			}
			if format != "text" && format != "json" {
				return usageErr("check: unknown --format %q (text or json)", format)
			}
			if policyFile == "" || len(args) == 0 {
				return usageErr("check needs --policy POLICY and at least one TARGET (or --init)")
			}
			p, err := loadPolicy(policyFile)
			if err != nil {
				return err
			}
			audits, err := loadAudits(cmd.Context(), args, opts, stderr)
			if err != nil {
				return err
			}
			return runCheck(p, audits, format, stdout)
		},
	}
	c.Flags().StringVarP(&policyFile, "policy", "p", "", "the policy file (YAML)")
	c.Flags().StringVarP(&format, "format", "f", "text", "text, or json: one object per release with its target, tier, pass and violations")
	c.Flags().BoolVar(&initPolicy, "init", false, "print a commented starting policy (or write it to -o FILE)")
	c.Flags().StringVarP(&out, "output", "o", "", "with --init: write the policy to FILE")
	c.Flags().BoolVar(&opts.verify, "verify", false, "hash the weights of live targets (as scan --verify does), so hash-mismatch rules can fire")
	c.Flags().StringVar(&opts.weights, "weights", "", "with --verify and a Hub target: the folder holding a local copy of the repository's files")
	addHubFlags(c, &opts)
	return c
}

func helperList() string {
	var b strings.Builder
	for _, h := range policy.Helpers {
		fmt.Fprintf(&b, "  %-32s %s\n", h.Sig, h.Doc)
	}
	return b.String()
}

func writeStarter(path string, stdout io.Writer) error {
	if path != "" && path != "-" {
		if _, err := os.Stat(path); err == nil {
			return usageErr("check --init: %s exists; not overwriting it", path)
		}
	}
	w, closeOut, err := output(path, stdout)
	if err != nil {
		return err
	}
	if _, err := io.WriteString(w, policy.Starter); err != nil {
		closeOut()
		return err
	}
	return closeOut()
}

// maxPolicyFile bounds a policy file.
const maxPolicyFile = 1 << 20

func loadPolicy(path string) (*policy.Policy, error) {
	data, err := readAtMost(path, maxPolicyFile)
	if err != nil {
		return nil, &exitError{exitUsage, errors.Unwrap(err)}
	}
	p, err := policy.Parse(path, data)
	if err != nil {
		return nil, &exitError{exitUsage, err}
	}
	return p, nil
}

// checked is one release's outcome, as --format json writes it.
type checked struct {
	Target     string             `json:"target"`
	Tier       string             `json:"tier"`
	Pass       bool               `json:"pass"`
	Violations []policy.Violation `json:"violations"`
}

// runCheck checks every report and prints PASS or FAIL with the broken rules (or JSON); it
// returns an exit-1 error when any release breaks the policy.
func runCheck(p *policy.Policy, audits []audited, format string, stdout io.Writer) error {
	var results []checked
	failed := 0
	for _, au := range audits {
		vs, err := p.Check(au.doc)
		if err != nil {
			return &exitError{exitUsage, err}
		}
		r := checked{Target: au.from, Pass: len(vs) == 0, Violations: vs}
		if name, _ := au.doc["target"].(string); name != "" {
			r.Target = name
		}
		tier, _ := au.doc["tier"].(map[string]any)
		r.Tier, _ = tier["label"].(string)
		if r.Violations == nil {
			r.Violations = []policy.Violation{}
		}
		if !r.Pass {
			failed++
		}
		results = append(results, r)
	}
	if err := writeChecked(stdout, results, format); err != nil {
		return err
	}
	if failed > 0 {
		return &exitError{exitCheck, fmt.Errorf("%d of %d releases break the policy %s", failed, len(audits), p.Name)}
	}
	return nil
}

func writeChecked(w io.Writer, results []checked, format string) error {
	if format == "json" {
		enc := json.NewEncoder(w)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		return enc.Encode(results)
	}
	var b strings.Builder
	for _, r := range results {
		verdict := "PASS"
		if !r.Pass {
			verdict = "FAIL"
		}
		report.SafePrintf(&b, "%s %s (%s)\n", verdict, r.Target, r.Tier)
		for _, v := range r.Violations {
			report.SafePrintf(&b, "  ✗ %s: %s\n", v.Rule, v.Message)
			for _, why := range v.Because {
				report.SafePrintf(&b, "      because: %s\n", why)
			}
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}
