package euaiact

import (
	"testing"

	"github.com/glassbox-dev/glassbox/internal/framework"
	"github.com/glassbox-dev/glassbox/internal/license"
)

// TestTermRulesCoverEveryTerm fails when a term is added to the licence catalogue's table
// without a rule here (or a rule names a term the table does not have): condition 1 must judge
// every term by name, never fall back to "a term glassbox does not classify".
func TestTermRulesCoverEveryTerm(t *testing.T) {
	t.Parallel()
	names := license.TermNames()
	for _, n := range names {
		if r := classify(n); r.term != n || r.why == "a term glassbox does not classify" || r.why == "" {
			t.Errorf("term %s has no rule for the EU AI Act licence condition", n)
		}
	}
	known := map[string]bool{}
	for _, n := range names {
		known[n] = true
	}
	seen := map[string]bool{}
	for _, r := range termRules {
		if !known[r.term] {
			t.Errorf("rule for %q, which is not a licence term name", r.term)
		}
		if seen[r.term] {
			t.Errorf("two rules for %s", r.term)
		}
		seen[r.term] = true
	}
}

// TestTermRulesFollowFrameworks pins the results FRAMEWORKS.md §5 fixes: user and revenue
// thresholds, non-commercial and research-only terms and a separate commercial licence
// disqualify; attribution and same-terms conditions are allowed.
func TestTermRulesFollowFrameworks(t *testing.T) {
	t.Parallel()
	want := map[string]framework.Result{
		"non-commercial": framework.Fail, "research-only": framework.Fail, "commercial-limited": framework.Fail,
		"user-cap": framework.Fail, "revenue-cap": framework.Fail, "no-derivatives": framework.Fail,
		"geographic": framework.Fail, "use-policy": framework.Pass, "policy-by-reference": framework.Pass,
		"no-training-others": framework.Unknown, "revocable": framework.Unknown,
		"attribution": framework.Pass, "naming": framework.Pass, "copyleft": framework.Pass,
	}
	for n, res := range want {
		if got := classify(n).result; got != res {
			t.Errorf("%s: %s, want %s", n, got, res)
		}
	}
	if got := classify("").result; got != framework.Unknown {
		t.Errorf("a restriction without a term name: %s, want unknown", got)
	}
}
