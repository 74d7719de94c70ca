// Package framework holds what every openness framework shares: a Framework is a value with a
// name, a short doc the report can show, and a pure Evaluate function from evidence.Facts to a
// Verdict whose every criterion cites evidence. The frameworks themselves live in subpackages
// (g7, mof, osaid); Registry lists them in report order.
package framework

import "github.com/glassbox-dev/glassbox/internal/evidence"

// Result is the outcome of one criterion.
type Result string

// Criterion results (CONTRACT.md).
const (
	Pass    Result = "pass"
	Fail    Result = "fail"
	Partial Result = "partial"
	Unknown Result = "unknown"
)

// Reason is one criterion of a framework with its result.
type Reason struct {
	Criterion string `json:"criterion"`
	Result    Result `json:"result"`
	// Detail says what was found, in a sentence the report can print.
	Detail string `json:"detail,omitempty"`
	// Fix says what would change the result, for failed and unknown criteria.
	Fix      string   `json:"fix,omitempty"`
	Evidence []string `json:"evidence"`
}

// Verdict is a framework's judgement of one release.
type Verdict struct {
	Framework string `json:"framework"`
	// Label is the headline value: a tier, a class label, pass/fail/insufficient-evidence.
	Label   string   `json:"label"`
	Reasons []Reason `json:"reasons"`
	// Class and Progress are set by the MOF (class 0 = Unclassified; progress per class, %).
	Class    *int               `json:"class,omitempty"`
	Progress map[string]float64 `json:"progress,omitempty"`
	// Elements group reasons by element (OSAID's data_information, code, parameters; the OSAI
	// index's twelve parameters, where pass/partial/fail/unknown read open/partial/closed/unknown).
	Elements map[string]Reason `json:"elements,omitempty"`
	// Score is set by scoring frameworks (the OSAI index: 0..1).
	Score *float64 `json:"score,omitempty"`
	// Notes are statements that hold whatever the label (the EU AI Act's remaining obligations,
	// "not legal advice").
	Notes []string `json:"notes,omitempty"`
}

// Framework is one lens on the facts.
type Framework struct {
	// Name is the key used in JSON reports ("g7", "mof", "osaid").
	Name string
	// Title is the framework's full name.
	Title string
	// Doc is a paragraph on what the framework asks and where it comes from.
	Doc string
	// Evaluate judges the facts; it must be pure and deterministic.
	Evaluate func(f *evidence.Facts) Verdict

	// Presentation (present.go): each framework supplies how its verdict reads, so renderers
	// decide nothing. Nil fields fall back to the generic forms of Summarise, Explanation and
	// JSONEntry.

	// Summary is the verdict in the report's one-line summary ("MOF: Class II").
	Summary func(v Verdict) string
	// Explain lists the verdict's criteria for --explain, Markdown and HTML.
	Explain func(v Verdict) Explanation
	// Entry is the verdict's value under frameworks.<Name> in the JSON report (CONTRACT.md).
	Entry func(v Verdict) any
	// Standing reads the framework's entry of a saved JSON report (decoded into maps) as its
	// label and a rank where higher is more open, so two reports can be compared; ok is false
	// when the entry cannot be read.
	Standing func(entry map[string]any) (label string, rank float64, ok bool)
}

// Ev returns evidence ids as a non-nil slice, so JSON shows [] rather than null.
// Each id is listed once, at its first place.
func Ev(ids ...string) []string {
	out := make([]string, 0, len(ids))
	seen := make(map[string]bool, len(ids))
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}
