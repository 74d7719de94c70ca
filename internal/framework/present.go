package framework

import (
	"fmt"
	"strings"
)

// Explanation is what a framework shows to explain its verdict criterion by criterion; the
// text, Markdown, HTML and SARIF renderers lay it out and add nothing of their own.
type Explanation struct {
	// Heading names the framework above its label ("MOF (Model Openness Framework)").
	Heading string
	// Criteria are shown as a checklist: result, criterion, what was found, evidence, fix.
	Criteria []Reason
	// Table, when set, is shown after the criteria: one row per class or parameter.
	Table *Table
	// Notes hold whatever the label (caveats, obligations that stay).
	Notes []string
}

// Table is a framework's scores: a name, a value and a detail per row.
type Table struct {
	// Columns are the headers of the name, value and detail columns.
	Columns [3]string
	Rows    []Row
}

// Row is one line of a Table ("Class III", "16.67%", "missing: data card (not found)").
type Row struct {
	Name, Value, Detail string
	Evidence            []string
}

// Summarise returns the framework's one-line summary of v, or "name: label" when the
// framework supplies none.
func (fw *Framework) Summarise(v Verdict) string {
	if fw.Summary != nil {
		return fw.Summary(v)
	}
	return fw.Name + ": " + v.Label
}

// Explanation returns the framework's explanation of v; by default its reasons and notes
// under its title.
func (fw *Framework) Explanation(v Verdict) Explanation {
	if fw.Explain != nil {
		return fw.Explain(v)
	}
	return Checklist(fw.Title)(v)
}

// JSONEntry returns v as the framework's entry under "frameworks" in the JSON report; by
// default the verdict itself.
func (fw *Framework) JSONEntry(v Verdict) any {
	if fw.Entry != nil {
		return fw.Entry(v)
	}
	return v
}

// FirstFailing is the detail of the first failing reason, else "CRITERION unknown" for the
// first unknown one, else "".
func FirstFailing(rs []Reason) string {
	for _, r := range rs {
		if r.Result == Fail {
			return r.Detail
		}
	}
	for _, r := range rs {
		if r.Result == Unknown {
			return r.Criterion + " unknown"
		}
	}
	return ""
}

// FirstNotPassing names the first failing criterion ("CRITERION: no"), else the unknown ones
// ("unknown: A; B"), else "".
func FirstNotPassing(rs []Reason) string {
	for _, r := range rs {
		if r.Result == Fail {
			return r.Criterion + ": no"
		}
	}
	var unknown []string
	for _, r := range rs {
		if r.Result == Unknown {
			unknown = append(unknown, r.Criterion)
		}
	}
	if len(unknown) > 0 {
		return "unknown: " + strings.Join(unknown, "; ")
	}
	return ""
}

// TrimFloat prints f with at most two decimals and no trailing zeros ("16.67", "20").
func TrimFloat(f float64) string {
	s := fmt.Sprintf("%.2f", f)
	return strings.TrimRight(strings.TrimRight(s, "0"), ".")
}

// Checklist explains a verdict as its reasons and notes under heading, for frameworks whose
// criteria read as a list.
func Checklist(heading string) func(Verdict) Explanation {
	return func(v Verdict) Explanation {
		return Explanation{Heading: heading, Criteria: v.Reasons, Notes: v.Notes}
	}
}

// LabelWhy summarises a verdict as "short: label (why)", why coming from its reasons (say
// FirstFailing); the parenthesis is left out when why is empty.
func LabelWhy(short string, why func([]Reason) string) func(Verdict) string {
	return func(v Verdict) string {
		s := short + ": " + v.Label
		if w := why(v.Reasons); w != "" {
			s += " (" + w + ")"
		}
		return s
	}
}
