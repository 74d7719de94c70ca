package report_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/glassbox-dev/glassbox/internal/framework"
	"github.com/glassbox-dev/glassbox/internal/report"
)

// TestExplainLadder: the rungs run bottom to top, the release's tier is the highest reached,
// and each rung carries the criteria it adds.
func TestExplainLadder(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		reached []string
		current string
	}{
		{"open-weights", []string{"closed", "weights-available", "open-weights"}, "open-weights"},
		{"weights-available", []string{"closed", "weights-available"}, "weights-available"},
		{"closed", []string{"closed"}, "closed"},
		{"empty", nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			rungs := report.Explain(run(tt.name))
			var tiers, reached []string
			current := ""
			checks := 0
			for _, r := range rungs {
				tiers = append(tiers, r.Tier)
				if r.Reached {
					reached = append(reached, r.Tier)
				}
				if r.Current {
					current = r.Tier
				}
				checks += len(r.Checks)
				for _, c := range r.Checks {
					if r.Reached && c.Result != framework.Pass {
						t.Errorf("%s is reached but %s is %s", r.Tier, c.Criterion, c.Result)
					}
				}
			}
			want := []string{"closed", "weights-available", "open-weights", "open-source-ai", "open-source-ai-open-data"}
			if diff := cmp.Diff(want, tiers); diff != "" {
				t.Errorf("tiers (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.reached, reached); diff != "" {
				t.Errorf("reached (-want +got):\n%s", diff)
			}
			if current != tt.current || checks != 7 {
				t.Errorf("current %q (want %q), %d checks (want 7)", current, tt.current, checks)
			}
		})
	}
}

// TestTextExplain: --explain walks the spectrum and details every framework.
func TestTextExplain(t *testing.T) {
	t.Parallel()
	var b bytes.Buffer
	if err := report.Text(&b, run("weights-available"), report.TextOptions{Explain: true}); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	order := []string{
		"The spectrum, bottom to top:",
		"✓ Closed (no requirement",
		"✓ Weights Available  ← this release",
		"✗ Open Weights (1 of 2 criteria missing)",
		"✗ weights under an Open Source licence",
		"to fix: release the weights under an OSI-approved licence",
		"✗ Open Source AI (",
		"training code under an Open Source licence",
		"✗ Open Source AI with Open Data (1 of 1 criteria missing)",
		"MOF (Model Openness Framework): Unclassified",
		"Class III  ",
		"OSI Open Source AI Definition 1.0: fail",
		"European Open Source AI Index: ",
		"datasources_basemodel",
		"EU AI Act, Article 53(2) open-source exemption: not-eligible",
		"note: Not legal advice",
		"Findings:",
	}
	at := 0
	for _, s := range order {
		i := strings.Index(out[at:], s)
		if i < 0 {
			t.Fatalf("missing or out of order: %q\n%s", s, out)
		}
		at += i + len(s)
	}
}

// TestMarkdown: the Markdown report holds the same explanation and every framework, with table
// cells that cannot break the table.
func TestMarkdown(t *testing.T) {
	t.Parallel()
	var b bytes.Buffer
	if err := report.Markdown(&b, run("weights-available")); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, s := range []string{
		"# llama-tune: Weights Available\n",
		"## The spectrum, bottom to top\n",
		"### ✓ Weights Available (**this release**)\n",
		"### ✗ Open Weights (not reached)\n",
		"  - to fix: release the weights under an OSI-approved licence",
		"## MOF (Model Openness Framework): Unclassified\n",
		"| Class III | ",
		"## OSI Open Source AI Definition 1.0: fail\n",
		"## European Open Source AI Index: ",
		"| weights\\_basemodel | ",
		"## EU AI Act, Article 53(2) open-source exemption: not-eligible\n",
		"> Not legal advice",
		"## Components\n",
		"| 10 | Model parameters (Final) | present | ",
		"## Lineage and datasets\n",
		"## Evidence\n",
	} {
		if !strings.Contains(out, s) {
			t.Errorf("markdown lacks %q", s)
		}
	}
	// Every table row has as many cells as its header.
	cols := 0
	for _, line := range strings.Split(out, "\n") {
		if !strings.HasPrefix(line, "|") {
			cols = 0
			continue
		}
		n := strings.Count(strings.ReplaceAll(line, `\|`, ""), "|")
		if cols == 0 {
			cols = n
		} else if n != cols {
			t.Errorf("row has %d separators, header %d: %s", n, cols, line)
		}
	}
}

// TestJSONNewFrameworks: osai and euaiact appear in the shape CONTRACT.md gives.
func TestJSONNewFrameworks(t *testing.T) {
	t.Parallel()
	var b bytes.Buffer
	if err := report.JSON(&b, run("open-weights")); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Frameworks struct {
			OSAI struct {
				Score      *float64 `json:"score"`
				Parameters map[string]struct {
					Class string `json:"class"`
				} `json:"parameters"`
			} `json:"osai"`
			EU struct {
				Exemption  string `json:"exemption"`
				Conditions []struct {
					Condition string `json:"condition"`
					Result    string `json:"result"`
				} `json:"conditions"`
				Notes []string `json:"notes"`
			} `json:"euaiact"`
		} `json:"frameworks"`
	}
	if err := json.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	o := doc.Frameworks.OSAI
	if o.Score == nil || *o.Score < 0 || *o.Score > 1 || len(o.Parameters) != 12 {
		t.Fatalf("osai = %+v", o)
	}
	// A local folder cannot show whether downloads are gated.
	if o.Parameters["weights_endmodel"].Class != "unknown" {
		t.Errorf("weights_endmodel = %q, want unknown for a local copy", o.Parameters["weights_endmodel"].Class)
	}
	eu := doc.Frameworks.EU
	if len(eu.Conditions) != 4 || eu.Conditions[0].Result != "pass" || len(eu.Notes) < 3 || !strings.HasPrefix(eu.Notes[0], "Not legal advice") {
		t.Errorf("euaiact = %+v", eu)
	}
	switch eu.Exemption {
	case "eligible", "not-eligible", "cannot-determine":
	default:
		t.Errorf("exemption %q", eu.Exemption)
	}
}
