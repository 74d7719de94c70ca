package policy_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/glassbox-dev/glassbox/internal/policy"
)

// doc builds a report document the way a saved JSON report decodes.
func doc(t *testing.T, js string) policy.Document {
	t.Helper()
	var d policy.Document
	if err := json.Unmarshal([]byte(js), &d); err != nil {
		t.Fatal(err)
	}
	return d
}

const llamaTune = `{"schema": "glassbox.report/v1", "name": "llama-tune", "tier": {"label": "weights-available"},
 "frameworks": {"mof": {"class": 0, "label": "Unclassified"}, "osaid": {"verdict": "fail"}},
 "licenses": [{"expression": "Apache-2.0", "key": "apache-2.0", "scope": "release"}],
 "lineage": [{"ref": "hf:meta-llama/Llama-3.1-8B", "key": "llama3.1"}],
 "weights": {"licenses": ["Apache-2.0", "LicenseRef-Llama-3.1-Community"], "known": true},
 "findings": [{"id": "license-conflict", "severity": "high", "message": "card says Apache-2.0 over a Llama base"},
              {"id": "openwashing", "severity": "medium", "message": "calls itself open source"}]}`

const olmo = `{"schema": "glassbox.report/v1", "name": "olmo", "tier": {"label": "open-source-ai-open-data"},
 "frameworks": {"mof": {"class": 1, "label": "Class I"}, "osaid": {"verdict": "pass"}},
 "licenses": [{"expression": "Apache-2.0", "key": "apache-2.0", "scope": "release"}],
 "weights": {"licenses": ["Apache-2.0"], "known": true}, "findings": []}`

func parse(t *testing.T, rules string) *policy.Policy {
	t.Helper()
	p, err := policy.Parse("test.yaml", []byte("rules:\n"+rules))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestHelpers(t *testing.T) {
	t.Parallel()
	tests := []struct {
		expr       string
		tune, open bool
		because    []string // for llama-tune when it fails
	}{
		{`tier_at_least("open-weights")`, false, true, []string{"tier is weights-available, below open-weights"}},
		{`tier_at_least("weights-available")`, true, true, nil},
		{`!has_term("user-cap")`, false, true, []string{"weights terms have user-cap (llama3.1)"}},
		{`!has_term("non-commercial")`, true, true, nil},
		{`"use-policy" in terms()`, true, false, nil},
		{`!has_finding("license-conflict")`, false, true, []string{"HIGH license-conflict: card says Apache-2.0 over a Llama base"}},
		{`!has_severity("medium")`, false, true, []string{"HIGH license-conflict: card says Apache-2.0 over a Llama base", "MEDIUM openwashing: calls itself open source"}},
		{`mof_class_at_least(2)`, false, true, []string{"MOF is Unclassified"}},
		{`mof_class_at_least(1)`, false, true, []string{"MOF is Unclassified"}},
		{`osaid_pass()`, false, true, []string{"OSAID 1.0 verdict is fail"}},
		{`findings.filter(f, f.severity == "medium").size() <= 0`, false, true, nil},
		{`report.name == name && tier == "weights-available"`, true, false, nil},
	}
	for _, tt := range tests {
		p := parse(t, "  - name: r\n    expr: '"+strings.ReplaceAll(tt.expr, "'", "''")+"'\n")
		for _, c := range []struct {
			js   string
			want bool
		}{{llamaTune, tt.tune}, {olmo, tt.open}} {
			v, err := p.Check(doc(t, c.js))
			if err != nil {
				t.Fatalf("%s: %v", tt.expr, err)
			}
			if got := len(v) == 0; got != c.want {
				t.Errorf("%s over %s: passes %v, want %v", tt.expr, c.js[45:60], got, c.want)
			}
			if c.js == llamaTune && len(v) == 1 {
				if diff := cmp.Diff(tt.because, v[0].Because); diff != "" {
					t.Errorf("%s: because (-want +got):\n%s", tt.expr, diff)
				}
			}
		}
	}
}

// TestUnknownTermsFailClosed: a weights licence glassbox cannot place counts as having any
// forbidden term, so a gate never passes on ignorance.
func TestUnknownTermsFailClosed(t *testing.T) {
	t.Parallel()
	p := parse(t, "  - name: commercial\n    expr: '!has_term(\"non-commercial\")'\n")
	d := doc(t, `{"schema": "glassbox.report/v1", "licenses": [], "weights": {"licenses": ["LicenseRef-Acme-Model"], "known": false}}`)
	v, err := p.Check(d)
	if err != nil || len(v) != 1 || !strings.Contains(strings.Join(v[0].Because, ";"), "LicenseRef-Acme-Model are unknown") {
		t.Errorf("violations %+v, err %v: want one naming the unknown licence", v, err)
	}
}

func TestViolationMessage(t *testing.T) {
	t.Parallel()
	p := parse(t, "  - name: open\n    message: weights must be open\n    expr: tier_at_least('open-weights')\n  - name: plain\n    expr: |\n      tier ==\n        'closed'\n")
	v, err := p.Check(doc(t, llamaTune))
	if err != nil {
		t.Fatal(err)
	}
	want := []policy.Violation{
		{Rule: "open", Message: "weights must be open", Because: []string{"tier is weights-available, below open-weights"}},
		{Rule: "plain", Message: "expr is false: tier == 'closed'"},
	}
	if diff := cmp.Diff(want, v); diff != "" {
		t.Errorf("violations (-want +got):\n%s", diff)
	}
}

// TestBadPolicies: every mistake is an error naming the file and the rule.
func TestBadPolicies(t *testing.T) {
	t.Parallel()
	tests := []struct{ policy, want string }{
		{"rules:\n  - name: a\n    expr: 'tier =='\n", "test.yaml: rule a: invalid CEL: "},
		{"rules:\n  - name: a\n    expr: 'tier'\n", "rule a: expr gives string; it must give a bool"},
		{"rules:\n  - name: a\n    expr: 'nope(1)'\n", "rule a: invalid CEL: "},
		{"rules:\n  - name: a\n    expr: 'true'\n  - name: a\n    expr: 'true'\n", "test.yaml: two rules are named a"},
		{"rules:\n  - expr: 'true'\n", "test.yaml: rule 1 has no name"},
		{"rules:\n  - name: a\n", "test.yaml: rule a has no expr"},
		{"rules:\n  - name: a\n    exp: 'true'\n", "test.yaml: not a policy: "},
		{"rules: []\n", "test.yaml: the policy has no rules"},
		{"- a\n", "test.yaml: not a policy: "},
	}
	for _, tt := range tests {
		_, err := policy.Parse("test.yaml", []byte(tt.policy))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%q: err = %v, want one containing %q", tt.policy, err, tt.want)
		}
	}
}

// TestEvalErrors: a helper given a name it does not know is a policy error (ErrEval), not a
// violation.
func TestEvalErrors(t *testing.T) {
	t.Parallel()
	for expr, want := range map[string]string{
		`has_term("comercial")`:         `has_term: unknown term "comercial"`,
		`tier_at_least("open")`:         `tier_at_least: unknown tier "open"`,
		`has_finding("pickle")`:         `has_finding: unknown finding "pickle"`,
		`has_severity("critical")`:      `has_severity: unknown severity "critical"`,
		`mof_class_at_least(4)`:         `mof_class_at_least: class 4 is not 1, 2 or 3`,
		`report.frameworks.nope.x == 1`: `rule r: `,
	} {
		p := parse(t, "  - name: r\n    expr: '"+strings.ReplaceAll(expr, "'", "''")+"'\n")
		_, err := p.Check(doc(t, llamaTune))
		if !errors.Is(err, policy.ErrEval) || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: err = %v, want ErrEval containing %q", expr, err, want)
		}
	}
}

// TestCostBounded: an expression that would run for ages stops at the cost limit.
func TestCostBounded(t *testing.T) {
	t.Parallel()
	p := parse(t, "  - name: slow\n    expr: '[1,2,3,4,5,6,7,8,9,10].all(a, [1,2,3,4,5,6,7,8,9,10].all(b, [1,2,3,4,5,6,7,8,9,10].all(c, [1,2,3,4,5,6,7,8,9,10].all(d, [1,2,3,4,5,6,7,8,9,10].all(e, [1,2,3,4,5,6,7,8,9,10].all(f, [1,2,3,4,5,6,7,8,9,10].all(g, a+b+c+d+e+f+g > 0)))))))'\n")
	if _, err := p.Check(doc(t, olmo)); err == nil || !strings.Contains(err.Error(), "cost") {
		t.Errorf("err = %v, want the cost limit", err)
	}
}

// TestStarter: the starter policy parses, passes a clean release and fails a HIGH finding.
func TestStarter(t *testing.T) {
	t.Parallel()
	p, err := policy.Parse("starter", []byte(policy.Starter))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, r := range p.Rules {
		names = append(names, r.Name)
	}
	if diff := cmp.Diff([]string{"no-high-findings", "no-unsafe-pickles", "no-hash-mismatches"}, names); diff != "" {
		t.Errorf("rules (-want +got):\n%s", diff)
	}
	if v, err := p.Check(doc(t, olmo)); err != nil || len(v) != 0 {
		t.Errorf("clean release: %+v, %v", v, err)
	}
	if v, err := p.Check(doc(t, llamaTune)); err != nil || len(v) != 1 || v[0].Rule != "no-high-findings" {
		t.Errorf("HIGH finding: %+v, %v", v, err)
	}
}

func TestReports(t *testing.T) {
	t.Parallel()
	if !policy.IsReport([]byte(olmo)) || !policy.IsReport([]byte("["+olmo+","+llamaTune+"]")) || policy.IsReport([]byte(`{"schema": "glassbox.release/v1"}`)) {
		t.Error("IsReport misreads")
	}
	docs, err := policy.Reports("r.json", []byte("["+olmo+","+llamaTune+"]"))
	if err != nil || len(docs) != 2 {
		t.Errorf("Reports = %d, %v", len(docs), err)
	}
	if _, err := policy.Reports("r.json", []byte(`{"schema": "other"}`)); err == nil || !strings.Contains(err.Error(), `r.json: document 1 has schema "other"`) {
		t.Errorf("err = %v", err)
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte(policy.Starter))
	f.Add([]byte("rules:\n  - name: a\n    expr: 'tier_at_least(\"open-weights\") && !has_term(\"user-cap\")'\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := policy.Parse("fuzz.yaml", data)
		if err != nil {
			return
		}
		var d policy.Document
		_ = json.Unmarshal([]byte(llamaTune), &d)
		_, _ = p.Check(d)
	})
}

// TestReportsShape: a saved report whose fields have the wrong types is refused as a damaged
// report, naming the field, before any rule runs.
func TestReportsShape(t *testing.T) {
	t.Parallel()
	for js, want := range map[string]string{
		`{"schema": "glassbox.report/v1", "findings": "oops"}`: "r.json: document 1: findings is string, not an array",
		`{"schema": "glassbox.report/v1", "tier": "weird"}`:    "r.json: document 1: tier is string, not an object with a label",
		`{"schema": "glassbox.report/v1", "weights": [1]}`:     "r.json: document 1: weights is []interface {}, not an object",
		`{"schema": "glassbox.report/v1", "name": {"a": "b"}}`: "r.json: document 1: name is map[string]interface {}, not a string",
	} {
		if _, err := policy.Reports("r.json", []byte(js)); err == nil || err.Error() != want {
			t.Errorf("%s: err = %v, want %q", js, err, want)
		}
	}
}
