package policy

import (
	"fmt"
	"slices"
	"strings"

	"cel.dev/cel-go/cel"
	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/common/types/ref"

	"github.com/glassbox-dev/glassbox/internal/framework/g7"
	"github.com/glassbox-dev/glassbox/internal/lazyre"
	"github.com/glassbox-dev/glassbox/internal/license"
	"github.com/glassbox-dev/glassbox/internal/report"
)

// Helpers documents the named helpers, for --help and the starter policy.
var Helpers = []struct{ Sig, Doc string }{
	{`tier_at_least("open-weights")`, "the G7 tier is this tier or higher (insufficient-evidence is below every tier)"},
	{`has_term("non-commercial")`, "the weights' terms, inherited ones included, have this clause (names: glassbox license --list terms); true when a weights licence's terms are unknown, so a gate fails closed"},
	{`terms()`, "the clause names the weights' terms have"},
	{`has_finding("unsafe-pickle")`, "the report has a finding with this id"},
	{`has_severity("high")`, "the report has a finding of this severity or a higher one"},
	{`mof_class_at_least(2)`, "the MOF class is this class or a better one (I is best; Unclassified meets none)"},
	{`osaid_pass()`, "the OSI Open Source AI Definition verdict is pass"},
}

func (e *env) helpers() []cel.EnvOption {
	b := cel.BoolType
	return []cel.EnvOption{
		cel.Function("tier_at_least", cel.Overload("tier_at_least_string", []*cel.Type{cel.StringType}, b, str1(e.tierAtLeast))),
		cel.Function("has_term", cel.Overload("has_term_string", []*cel.Type{cel.StringType}, b, str1(e.hasTerm))),
		cel.Function("terms", cel.Overload("terms", nil, cel.ListType(cel.StringType), cel.FunctionBinding(func(...ref.Val) ref.Val {
			return types.DefaultTypeAdapter.NativeToValue(e.terms())
		}))),
		cel.Function("has_finding", cel.Overload("has_finding_string", []*cel.Type{cel.StringType}, b, str1(e.hasFinding))),
		cel.Function("has_severity", cel.Overload("has_severity_string", []*cel.Type{cel.StringType}, b, str1(e.hasSeverity))),
		cel.Function("mof_class_at_least", cel.Overload("mof_class_at_least_int", []*cel.Type{cel.IntType}, b, cel.UnaryBinding(func(v ref.Val) ref.Val {
			n, _ := v.Value().(int64)
			ok, err := e.mofAtLeast(n)
			if err != nil {
				return types.NewErr("%s", err.Error())
			}
			return types.Bool(ok)
		}))),
		cel.Function("osaid_pass", cel.Overload("osaid_pass", nil, b, cel.FunctionBinding(func(...ref.Val) ref.Val {
			return types.Bool(e.osaidPass())
		}))),
	}
}

// tierRank is a tier's place on the spectrum, 0 for insufficient-evidence.
func tierRank(t string) int {
	for i, s := range g7.Ladder {
		if s.Tier == t {
			return i + 1
		}
	}
	return 0
}

func (e *env) tierAtLeast(want string) (bool, error) {
	if tierRank(want) == 0 {
		return false, fmt.Errorf("tier_at_least: unknown tier %q (one of %s)", want, tierNames())
	}
	got, _ := field(e.cur, "tier").(string)
	if tierRank(got) < tierRank(want) {
		e.note("tier is %s, below %s", orUnknown(got), want)
		return false, nil
	}
	return true, nil
}

func tierNames() string {
	var out []string
	for _, s := range g7.Ladder {
		out = append(out, s.Tier)
	}
	return strings.Join(out, ", ")
}

func (e *env) hasTerm(name string) (bool, error) {
	if !slices.Contains(license.TermNames(), name) {
		return false, fmt.Errorf("has_term: unknown term %q (one of %s)", name, strings.Join(license.TermNames(), ", "))
	}
	known, unknown := weightsLicences(e.cur)
	for _, k := range known {
		if has, _ := k.entry.HasTerm(name); has {
			e.note("weights terms have %s (%s)", name, k.name)
			return true, nil
		}
	}
	if len(unknown) > 0 {
		e.note("terms of %s are unknown, so they may have %s", strings.Join(unknown, ", "), name)
		return true, nil
	}
	return false, nil
}

func (e *env) terms() []string { return Terms(e.cur) }

// Terms lists the clause names (license.TermNames) the weights' terms of a report have,
// inherited ones included, in name order.
func Terms(doc Document) []string {
	known, _ := weightsLicences(doc)
	out := []string{}
	for _, n := range license.TermNames() {
		for _, k := range known {
			if has, _ := k.entry.HasTerm(n); has && !slices.Contains(out, n) {
				out = append(out, n)
			}
		}
	}
	return out
}

type namedEntry struct {
	name  string
	entry *license.Entry
}

// weightsLicences finds the catalogue entries of the licences on the weights: the release's
// own (release or weights scope), those inherited from base models, and the ids of the
// weights' expressions; unknown lists what the catalogue does not hold (or "the weights'
// licence" when the report says the terms are not known).
func weightsLicences(doc Document) (known []namedEntry, unknown []string) {
	cat := license.Default()
	add := func(name string) {
		if name == "" || slices.ContainsFunc(known, func(k namedEntry) bool { return k.name == name }) {
			return
		}
		if en, ok := cat.Lookup(name); ok {
			known = append(known, namedEntry{name, en})
		} else if !slices.Contains(unknown, name) {
			unknown = append(unknown, name)
		}
	}
	for _, l := range list(doc, "licenses") {
		if s := str(l, "scope"); s == "release" || s == "weights" {
			add(str(l, "key"))
		}
	}
	for _, l := range list(doc, "lineage") {
		add(str(l, "key"))
	}
	w, _ := doc["weights"].(map[string]any)
	exprs, _ := w["licenses"].([]any)
	for _, x := range exprs {
		s, _ := x.(string)
		for _, id := range idRe.FindAllString(s, -1) {
			if id != "AND" && id != "OR" && id != "WITH" && !slices.ContainsFunc(known, func(k namedEntry) bool { return strings.EqualFold(k.entry.ID, id) }) {
				add(id)
			}
		}
	}
	if known, _ := w["known"].(bool); !known && len(unknown) == 0 {
		unknown = append(unknown, "the weights' licence")
	}
	return known, unknown
}

var idRe = lazyre.New(`[A-Za-z0-9][A-Za-z0-9.+\-]*`)

func (e *env) hasFinding(id string) (bool, error) {
	if _, ok := report.FindingDocs[id]; !ok {
		return false, fmt.Errorf("has_finding: unknown finding %q (one of %s)", id, strings.Join(findingIDs(), ", "))
	}
	found := false
	for _, f := range list(e.cur, "findings") {
		if str(f, "id") == id {
			e.note("%s %s: %s", strings.ToUpper(str(f, "severity")), id, str(f, "message"))
			found = true
		}
	}
	return found, nil
}

var severities = []string{"info", "low", "medium", "high"}

func (e *env) hasSeverity(sev string) (bool, error) {
	min := slices.Index(severities, sev)
	if min < 0 {
		return false, fmt.Errorf("has_severity: unknown severity %q (one of %s)", sev, strings.Join(severities, ", "))
	}
	found := false
	for _, f := range list(e.cur, "findings") {
		if slices.Index(severities, str(f, "severity")) >= min {
			e.note("%s %s: %s", strings.ToUpper(str(f, "severity")), str(f, "id"), str(f, "message"))
			found = true
		}
	}
	return found, nil
}

func (e *env) mofAtLeast(class int64) (bool, error) {
	if class < 1 || class > 3 {
		return false, fmt.Errorf("mof_class_at_least: class %d is not 1, 2 or 3", class)
	}
	fws, _ := field(e.cur, "frameworks").(map[string]any)
	m, _ := fws["mof"].(map[string]any)
	got, _ := m["class"].(float64)
	if got < 1 || int64(got) > class {
		e.note("MOF is %s", orUnknown(str(m, "label")))
		return false, nil
	}
	return true, nil
}

func (e *env) osaidPass() bool {
	fws, _ := field(e.cur, "frameworks").(map[string]any)
	o, _ := fws["osaid"].(map[string]any)
	if v := str(o, "verdict"); v != "pass" {
		e.note("OSAID 1.0 verdict is %s", orUnknown(v))
		return false
	}
	return true
}

func findingIDs() []string {
	var out []string
	for id := range report.FindingDocs {
		out = append(out, id)
	}
	slices.Sort(out)
	return out
}

func list(doc map[string]any, key string) []map[string]any {
	xs, _ := doc[key].([]any)
	var out []map[string]any
	for _, x := range xs {
		if m, ok := x.(map[string]any); ok {
			out = append(out, m)
		}
	}
	return out
}

func str(m map[string]any, key string) string {
	s, _ := m[key].(string)
	return s
}

func orUnknown(s string) string {
	if s == "" {
		return "unknown"
	}
	return s
}
