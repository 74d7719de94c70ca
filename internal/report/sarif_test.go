package report_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/glassbox-dev/glassbox/internal/assess"
	"github.com/glassbox-dev/glassbox/internal/license"
	"github.com/glassbox-dev/glassbox/internal/release"
	"github.com/glassbox-dev/glassbox/internal/report"
)

type sarifDoc struct {
	Version string `json:"version"`
	Runs    []struct {
		Tool struct {
			Driver struct {
				Name  string `json:"name"`
				Rules []struct {
					ID         string `json:"id"`
					Properties struct {
						Tags             []string `json:"tags"`
						SecuritySeverity string   `json:"security-severity"`
					} `json:"properties"`
				} `json:"rules"`
			} `json:"driver"`
		} `json:"tool"`
		Results []struct {
			RuleID    string `json:"ruleId"`
			RuleIndex int    `json:"ruleIndex"`
			Level     string `json:"level"`
			Message   struct {
				Text string `json:"text"`
			} `json:"message"`
			Locations []struct {
				Physical struct {
					Artifact struct {
						URI string `json:"uri"`
					} `json:"artifactLocation"`
					Region *struct {
						StartLine int `json:"startLine"`
						EndLine   int `json:"endLine"`
					} `json:"region"`
				} `json:"physicalLocation"`
			} `json:"locations"`
			Fingerprints map[string]string `json:"partialFingerprints"`
		} `json:"results"`
	} `json:"runs"`
}

func sarifOf(t *testing.T, opt report.SARIFOptions, as ...*assess.Assessment) sarifDoc {
	t.Helper()
	var b bytes.Buffer
	if err := report.SARIF(&b, as, opt); err != nil {
		t.Fatal(err)
	}
	var doc sarifDoc
	if err := json.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	return doc
}

// TestSARIFResults: findings become results at the level of their severity, failed G7
// criteria become g7/ results, each result's rule is in the driver's rules at its index, and
// locations point at the card lines they cite, under the release's root.
func TestSARIFResults(t *testing.T) {
	t.Parallel()
	doc := sarifOf(t, report.SARIFOptions{Version: "1.2.3", Roots: []string{"models/llama-tune"}}, run("weights-available"))
	if doc.Version != "2.1.0" || len(doc.Runs) != 1 || doc.Runs[0].Tool.Driver.Name != "glassbox" {
		t.Fatalf("log = %+v", doc)
	}
	r := doc.Runs[0]
	var got []string
	for _, res := range r.Results {
		if res.RuleIndex >= len(r.Tool.Driver.Rules) || r.Tool.Driver.Rules[res.RuleIndex].ID != res.RuleID {
			t.Errorf("result %s: ruleIndex %d does not name its rule", res.RuleID, res.RuleIndex)
		}
		if len(res.Locations) == 0 || res.Fingerprints["glassbox/v1"] == "" || res.Message.Text == "" {
			t.Errorf("result %s: want a location, a fingerprint and a message: %+v", res.RuleID, res)
		}
		got = append(got, res.RuleID+" "+res.Level)
	}
	want := []string{
		"license-conflict error",
		"openwashing warning",
		"g7/weights-under-an-open-source-licence warning",
		"g7/training-data-or-data-information note",
		"g7/full-training-data-under-open-terms note",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("results (-want +got):\n%s", diff)
	}
	conflict := r.Results[0].Locations[0].Physical
	if conflict.Artifact.URI != "models/llama-tune/README.md" || conflict.Region == nil || conflict.Region.StartLine != 2 {
		t.Errorf("license-conflict at %+v, want models/llama-tune/README.md line 2 (the card's license field)", conflict)
	}
}

// TestSARIFFingerprintsStable: the fingerprints do not change when the card's lines move, and
// differ between releases.
func TestSARIFFingerprintsStable(t *testing.T) {
	t.Parallel()
	a := run("weights-available")
	rel := releases["weights-available"]()
	for i := range rel.Texts {
		if rel.Texts[i].Path == "README.md" {
			rel.Texts[i].Content = strings.Replace(rel.Texts[i].Content, "---\n", "---\n# moved\n", 1)
		}
	}
	moved := assess.Run(rel, license.Default())
	fp := func(doc sarifDoc) []string {
		var out []string
		for _, r := range doc.Runs[0].Results {
			out = append(out, r.Fingerprints["glassbox/v1"])
		}
		return out
	}
	before, after := sarifOf(t, report.SARIFOptions{}, a), sarifOf(t, report.SARIFOptions{}, moved)
	if before.Runs[0].Results[0].Locations[0].Physical.Region.StartLine == after.Runs[0].Results[0].Locations[0].Physical.Region.StartLine {
		t.Fatal("the edit did not move the card's lines")
	}
	if diff := cmp.Diff(fp(before), fp(after)); diff != "" {
		t.Errorf("fingerprints changed with line numbers (-before +after):\n%s", diff)
	}
	other := sarifOf(t, report.SARIFOptions{}, run("open-weights"))
	for _, x := range fp(other) {
		for _, y := range fp(before) {
			if x == y {
				t.Errorf("two releases share fingerprint %s", x)
			}
		}
	}
}

// TestSARIFSecurityRules: an unsafe pickle is an error with a security-severity, located at the
// weights file; openness rules carry none.
func TestSARIFSecurityRules(t *testing.T) {
	t.Parallel()
	rel := build("pickled", map[string]string{"README.md": "---\nlicense: mit\n---\n" + body}, "model.safetensors")
	rel.Files = append(rel.Files, release.File{Path: "pytorch_model.bin", Size: 100,
		Header: json.RawMessage(`{"path":"pytorch_model.bin","format":"pickle","safety":"dangerous","globals":[{"module":"os","name":"system","class":"dangerous"}]}`)})
	rel.Sort()
	doc := sarifOf(t, report.SARIFOptions{}, assess.Run(rel, license.Default()))
	run := doc.Runs[0]
	found := false
	for _, res := range run.Results {
		rule := run.Tool.Driver.Rules[res.RuleIndex]
		if res.RuleID != "unsafe-pickle" {
			if rule.Properties.SecuritySeverity != "" {
				t.Errorf("rule %s has security-severity %q; openness rules have none", rule.ID, rule.Properties.SecuritySeverity)
			}
			continue
		}
		found = true
		if res.Level != "error" || rule.Properties.SecuritySeverity != "8.0" || res.Locations[0].Physical.Artifact.URI != "pytorch_model.bin" {
			t.Errorf("unsafe-pickle: level %s, security-severity %q, at %s; want error, 8.0, pytorch_model.bin", res.Level, rule.Properties.SecuritySeverity, res.Locations[0].Physical.Artifact.URI)
		}
	}
	if !found {
		t.Errorf("no unsafe-pickle result: %+v", run.Results)
	}
}
