package report_test

import (
	"bytes"
	"encoding/json"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/glassbox-dev/glassbox/internal/assess"
	"github.com/glassbox-dev/glassbox/internal/license"
	"github.com/glassbox-dev/glassbox/internal/release"
	"github.com/glassbox-dev/glassbox/internal/report"
)

const body = "# Tiny\n\nA small model we trained to test our own tools; it writes short replies.\n"

// releases are small in-memory releases, one per headline tier the report colours differently.
var releases = map[string]func() *release.Release{
	"empty": func() *release.Release { return &release.Release{Name: "empty", Target: "./empty", Complete: true} },
	"open-weights": func() *release.Release {
		return build("open", map[string]string{
			"README.md":   "---\nlicense: apache-2.0\nlibrary_name: transformers\n---\n" + body + "This tiny model is fully open source.\n",
			"LICENSE":     "SPDX-License-Identifier: Apache-2.0\nShared by the tiny model team.\n",
			"config.json": `{"model_type": "tiny"}`,
		}, "model.safetensors")
	},
	"weights-available": func() *release.Release {
		return build("llama-tune", map[string]string{
			"README.md":   "---\nlicense: apache-2.0\nbase_model: meta-llama/Llama-3.1-8B\n---\n" + body + "This tiny model is fully open source.\n",
			"config.json": `{"model_type": "tiny"}`,
		}, "model.safetensors", "train.py")
	},
	"closed": func() *release.Release {
		return build("closed", map[string]string{"README.md": "---\nlicense: mit\n---\n" + body}, "inference.py")
	},
}

func build(name string, texts map[string]string, files ...string) *release.Release {
	rel := &release.Release{Name: name, Target: "./" + name, Revision: "sha256:00000000000000" + name[:2], Complete: true}
	for p, c := range texts {
		rel.Files = append(rel.Files, release.File{Path: p, Size: int64(len(c))})
		rel.Texts = append(rel.Texts, release.Text{Path: p, Content: c})
	}
	for _, p := range files {
		f := release.File{Path: p, Size: 2048}
		if strings.HasSuffix(p, ".safetensors") {
			f.Header = json.RawMessage(`{"path":"` + p + `","format":"safetensors","parameters":7000000000,"safety":"safe"}`)
		}
		rel.Files = append(rel.Files, f)
	}
	rel.Sort()
	return rel
}

func run(name string) *assess.Assessment {
	return assess.Run(releases[name](), license.Default())
}

func names() []string {
	var out []string
	for n := range releases {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

func TestTextColour(t *testing.T) {
	t.Parallel()
	for _, name := range names() {
		for _, verbose := range []bool{false, true} {
			a := run(name)
			var plain, colour bytes.Buffer
			if err := report.Text(&plain, a, report.TextOptions{Color: false, Verbose: verbose}); err != nil {
				t.Fatal(err)
			}
			if err := report.Text(&colour, a, report.TextOptions{Color: true, Verbose: verbose}); err != nil {
				t.Fatal(err)
			}
			if strings.Contains(plain.String(), "\x1b[") {
				t.Errorf("%s verbose=%v: Color false writes escape codes:\n%q", name, verbose, plain.String())
			}
			if !strings.Contains(colour.String(), "\x1b[") {
				t.Errorf("%s verbose=%v: Color true writes no escape codes", name, verbose)
			}
			if got := stripANSI(colour.String()); got != plain.String() {
				t.Errorf("%s verbose=%v: colour output without its codes differs from plain:\n%s\n---\n%s", name, verbose, got, plain.String())
			}
		}
	}
}

// stripANSI removes SGR escape sequences.
func stripANSI(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == 0x1b && i+1 < len(s) && s[i+1] == '[' {
			j := i + 2
			for j < len(s) && s[j] != 'm' {
				j++
			}
			i = j
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

func TestTextContent(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		verbose bool
		first   string   // the headline
		want    []string // substrings, in order
		not     []string
	}{
		{
			name:  "open-weights",
			first: "open — Open Weights",
			want: []string{
				"  ✓ weights released: weights present (model.safetensors, 7B parameters)",
				"  ✓ deployment code released: inference code: library:transformers — implemented by transformers",
				"  ✗ training code under an Open Source licence: no training code in the release",
				"      to fix: release the training code under an OSI-approved licence to reach open-source-ai",
				"MOF: ", " · OSAID 1.0: fail (",
				"components: 5/17 present · findings: 0",
			},
			not: []string{"components:\n", "evidence:\n"},
		},
		{
			name:  "weights-available",
			first: "llama-tune — Weights Available",
			want: []string{
				"  ✗ weights under an Open Source licence: weights under Apache-2.0 AND LicenseRef-Llama-3.1-Community",
				"to fix: release the weights under an OSI-approved licence",
				"  HIGH license-conflict: the card declares Apache-2.0 but the base model meta-llama/Llama-3.1-8B",
				"  MEDIUM openwashing:",
				"findings: 2 (1 high, 1 medium)",
			},
		},
		{
			name:    "closed",
			verbose: true,
			first:   "closed — Closed",
			want: []string{
				"  ✗ weights released: no weights files or LFS pointers in the release",
				"      to fix: publish the final model parameters",
				"components:\n",
				"  Model parameters (Final)         absent   ",
				"  Inference code                   present  inference.py under MIT [",
				"evidence:\n",
				"  E1   README.md:2 license: mit",
			},
		},
		{
			name:  "empty",
			first: "empty — Insufficient evidence",
			want:  []string{"  ? weights released: the inventory is empty or incomplete", "OSAID 1.0: insufficient-evidence (parameters under OSI-approved terms unknown)", "components: 0/17 present · findings: 0"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var b bytes.Buffer
			if err := report.Text(&b, run(tt.name), report.TextOptions{Verbose: tt.verbose}); err != nil {
				t.Fatal(err)
			}
			out := b.String()
			if first, _, _ := strings.Cut(out, "\n"); first != tt.first {
				t.Errorf("headline %q, want %q", first, tt.first)
			}
			rest := out
			for _, w := range tt.want {
				i := strings.Index(rest, w)
				if i < 0 {
					t.Errorf("output lacks %q (in order):\n%s", w, out)
					continue
				}
				rest = rest[i+len(w):]
			}
			for _, w := range tt.not {
				if strings.Contains(out, w) {
					t.Errorf("output has %q:\n%s", w, out)
				}
			}
		})
	}
}

// TestTextShowsOnlyTheBlockingFix: without -v only the fix that keeps the release from the
// next tier is printed.
func TestTextShowsOnlyTheBlockingFix(t *testing.T) {
	t.Parallel()
	a := run("open-weights")
	var quiet, verbose bytes.Buffer
	_ = report.Text(&quiet, a, report.TextOptions{})
	_ = report.Text(&verbose, a, report.TextOptions{Verbose: true})
	if n := strings.Count(quiet.String(), "to fix:"); n != 1 {
		t.Errorf("default output has %d fixes, want 1:\n%s", n, quiet.String())
	}
	if n := strings.Count(verbose.String(), "to fix:"); n < 2 {
		t.Errorf("verbose output has %d fixes, want every failed criterion's", n)
	}
}

func TestJSONDeterministic(t *testing.T) {
	t.Parallel()
	for _, name := range names() {
		var a, b bytes.Buffer
		if err := report.JSON(&a, run(name)); err != nil {
			t.Fatal(err)
		}
		if err := report.JSON(&b, run(name)); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(a.Bytes(), b.Bytes()) {
			t.Errorf("%s: two reports of the same release differ", name)
		}
		if !json.Valid(a.Bytes()) || !bytes.HasSuffix(a.Bytes(), []byte("}\n")) {
			t.Errorf("%s: not one JSON object ending in a newline", name)
		}
	}
}

// TestJSONContract checks the fields CONTRACT.md promises scripts.
func TestJSONContract(t *testing.T) {
	t.Parallel()
	for _, name := range names() {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var b bytes.Buffer
			if err := report.JSON(&b, run(name)); err != nil {
				t.Fatal(err)
			}
			var doc map[string]json.RawMessage
			if err := json.Unmarshal(b.Bytes(), &doc); err != nil {
				t.Fatal(err)
			}
			arrays := []string{"components", "licenses", "datasets", "lineage", "artifacts", "claims", "findings", "evidence"}
			for _, k := range append([]string{"schema", "target", "revision", "tier", "frameworks"}, arrays...) {
				if _, ok := doc[k]; !ok {
					t.Errorf("no top-level key %q", k)
				}
			}
			for _, k := range arrays {
				if !bytes.HasPrefix(doc[k], []byte("[")) {
					t.Errorf("%s is %s, want an array (never null)", k, doc[k])
				}
			}
			var top struct {
				Schema   string `json:"schema"`
				Target   string `json:"target"`
				Revision string `json:"revision"`
				Tier     struct {
					Label   string `json:"label"`
					Reasons []struct {
						Criterion string    `json:"criterion"`
						Result    string    `json:"result"`
						Evidence  *[]string `json:"evidence"`
					} `json:"reasons"`
				} `json:"tier"`
				Frameworks struct {
					MOF *struct {
						Class    *int               `json:"class"`
						Progress map[string]float64 `json:"progress"`
					} `json:"mof"`
					OSAID *struct {
						Verdict  string                     `json:"verdict"`
						Elements map[string]json.RawMessage `json:"elements"`
					} `json:"osaid"`
				} `json:"frameworks"`
				Components []struct {
					ID       int       `json:"id"`
					Name     string    `json:"name"`
					Status   string    `json:"status"`
					Evidence *[]string `json:"evidence"`
				} `json:"components"`
			}
			if err := json.Unmarshal(b.Bytes(), &top); err != nil {
				t.Fatal(err)
			}
			if top.Schema != "glassbox.report/v1" || top.Target != "./"+releases[name]().Name {
				t.Errorf("schema %q target %q", top.Schema, top.Target)
			}
			if top.Tier.Label == "" || len(top.Tier.Reasons) != 7 {
				t.Errorf("tier %+v: want a label and 7 reasons", top.Tier)
			}
			for _, r := range top.Tier.Reasons {
				if r.Criterion == "" || r.Result == "" || r.Evidence == nil {
					t.Errorf("tier reason %+v: want criterion, result and an evidence array", r)
				}
			}
			mof := top.Frameworks.MOF
			if mof == nil || mof.Class == nil {
				t.Fatalf("frameworks.mof = %+v, want class and progress", mof)
			}
			if diff := cmp.Diff([]string{"1", "2", "3"}, sortedKeys(mof.Progress)); diff != "" {
				t.Errorf("mof progress keys (-want +got):\n%s", diff)
			}
			osaid := top.Frameworks.OSAID
			if osaid == nil || osaid.Verdict == "" {
				t.Fatalf("frameworks.osaid = %+v, want verdict and elements", osaid)
			}
			if diff := cmp.Diff([]string{"code", "data_information", "parameters"}, sortedKeys(osaid.Elements)); diff != "" {
				t.Errorf("osaid elements (-want +got):\n%s", diff)
			}
			for k, raw := range osaid.Elements {
				var el struct {
					Result string `json:"result"`
				}
				if json.Unmarshal(raw, &el) != nil || el.Result == "" {
					t.Errorf("osaid element %s = %s, want a result", k, raw)
				}
			}
			if len(top.Components) != 17 {
				t.Errorf("%d components, want 17", len(top.Components))
			}
			for _, c := range top.Components {
				if c.ID == 0 || c.Name == "" || c.Evidence == nil {
					t.Errorf("component %+v: want id, name and an evidence array", c)
				}
				switch c.Status {
				case "present", "absent", "gated", "unknown":
				default:
					t.Errorf("component %s status %q is not in the contract's vocabulary", c.Name, c.Status)
				}
			}
		})
	}
}

func TestJSONValues(t *testing.T) {
	t.Parallel()
	var b bytes.Buffer
	if err := report.JSON(&b, run("weights-available")); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Revision string `json:"revision"`
		Tier     struct {
			Label string `json:"label"`
		} `json:"tier"`
		Licenses []struct {
			Expression  string   `json:"expression"`
			Key         string   `json:"key"`
			Scope       string   `json:"scope"`
			Source      string   `json:"source"`
			HubID       string   `json:"hub_id"`
			OSIApproved bool     `json:"osi_approved"`
			Evidence    []string `json:"evidence"`
		} `json:"licenses"`
		Lineage []struct {
			Ref, Relation, License string
		} `json:"lineage"`
		Findings []struct {
			ID, Severity string
		} `json:"findings"`
		Artifacts []struct {
			Path       string `json:"path"`
			Format     string `json:"format"`
			Parameters int64  `json:"parameters"`
			Safety     string `json:"safety"`
		} `json:"artifacts"`
		Summary struct {
			ComponentsPresent int            `json:"components_present"`
			ComponentsTotal   int            `json:"components_total"`
			Findings          map[string]int `json:"findings"`
		} `json:"summary"`
	}
	if err := json.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Revision != "sha256:00000000000000ll" || doc.Tier.Label != "weights-available" {
		t.Errorf("revision %q tier %q", doc.Revision, doc.Tier.Label)
	}
	if len(doc.Licenses) != 1 || doc.Licenses[0].Expression != "Apache-2.0" || doc.Licenses[0].Key != "apache-2.0" ||
		doc.Licenses[0].Source != "card" || doc.Licenses[0].HubID != "apache-2.0" || doc.Licenses[0].Scope != "release" || !doc.Licenses[0].OSIApproved {
		t.Errorf("licences = %+v", doc.Licenses)
	}
	if len(doc.Lineage) != 1 || doc.Lineage[0].Ref != "hf:meta-llama/Llama-3.1-8B" || doc.Lineage[0].Relation != "finetune" || doc.Lineage[0].License != "LicenseRef-Llama-3.1-Community" {
		t.Errorf("lineage = %+v", doc.Lineage)
	}
	if len(doc.Findings) != 2 || doc.Findings[0].ID != "license-conflict" || doc.Findings[0].Severity != "high" || doc.Findings[1].ID != "openwashing" {
		t.Errorf("findings = %+v", doc.Findings)
	}
	if len(doc.Artifacts) != 1 || doc.Artifacts[0].Path != "model.safetensors" || doc.Artifacts[0].Format != "safetensors" || doc.Artifacts[0].Parameters != 7_000_000_000 || doc.Artifacts[0].Safety != "safe" {
		t.Errorf("artifacts = %+v", doc.Artifacts)
	}
	if doc.Summary.ComponentsTotal != 17 || doc.Summary.Findings["high"] != 1 || doc.Summary.Findings["medium"] != 1 {
		t.Errorf("summary = %+v", doc.Summary)
	}
}

func TestJSONMany(t *testing.T) {
	t.Parallel()
	var b bytes.Buffer
	if err := report.JSONMany(&b, []*assess.Assessment{run("open-weights"), run("closed")}); err != nil {
		t.Fatal(err)
	}
	var docs []struct {
		Name string `json:"name"`
		Tier struct {
			Label string `json:"label"`
		} `json:"tier"`
	}
	if err := json.Unmarshal(b.Bytes(), &docs); err != nil {
		t.Fatal(err)
	}
	if len(docs) != 2 || docs[0].Name != "open" || docs[0].Tier.Label != "open-weights" || docs[1].Tier.Label != "closed" {
		t.Errorf("documents = %+v", docs)
	}
	b.Reset()
	if err := report.JSONMany(&b, nil); err != nil || strings.TrimSpace(b.String()) != "[]" {
		t.Errorf("JSONMany(nil) = %q, %v; want []", b.String(), err)
	}
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
