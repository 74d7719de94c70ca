package policy

import (
	"fmt"
	"slices"
	"strings"

	"github.com/glassbox-dev/glassbox/internal/assess"
	"github.com/glassbox-dev/glassbox/internal/license"
	"github.com/glassbox-dev/glassbox/internal/report"
)

// Direction says whether a change makes a release more or less open.
type Direction int

// Directions of a change.
const (
	Worse   Direction = -1
	Neutral Direction = 0
	Better  Direction = 1
)

func (d Direction) String() string {
	switch d {
	case Worse:
		return "worse"
	case Better:
		return "better"
	}
	return "changed"
}

// MarshalText writes the direction as its word in JSON.
func (d Direction) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// Change is one difference between two reports.
type Change struct {
	// Aspect is what changed: tier, weights-licence, term, restriction, finding, component,
	// or a framework's name.
	Aspect string `json:"aspect"`
	// Item names the thing within the aspect (a component, a term), when there are several.
	Item      string    `json:"item,omitempty"`
	From      string    `json:"from"`
	To        string    `json:"to"`
	Direction Direction `json:"direction"`
}

// Diff is every change from report A to report B.
type Diff struct {
	A       string   `json:"a"`
	B       string   `json:"b"`
	Changes []Change `json:"changes"`
}

// Worse reports whether openness went down anywhere: a lower tier, a framework ranking
// lower, weights no longer open, a restrictive term or a component lost.
func (d Diff) Worse() bool {
	return slices.ContainsFunc(d.Changes, func(c Change) bool { return c.Direction == Worse })
}

// Compare lists what changed from a to b: the tier, the weights' licences, terms and
// restrictions, the findings, the components and each framework's standing.
func Compare(a, b Document) Diff {
	d := Diff{A: label(a), B: label(b), Changes: []Change{}}
	d.add(compareTier(a, b)...)
	d.add(compareWeights(a, b)...)
	d.add(compareSets("term", Terms(a), Terms(b), termDirection)...)
	d.add(compareSets("restriction", strs(a, "weights", "restrictions"), strs(b, "weights", "restrictions"), always(Worse))...)
	d.add(compareSets("finding", findingTexts(a), findingTexts(b), always(Neutral))...)
	d.add(compareComponents(a, b)...)
	d.add(compareFrameworks(a, b)...)
	return d
}

func (d *Diff) add(cs ...Change) { d.Changes = append(d.Changes, cs...) }

func label(doc Document) string {
	if t, _ := doc["target"].(string); t != "" {
		return t
	}
	n, _ := doc["name"].(string)
	return n
}

func compareTier(a, b Document) []Change {
	ta, _ := field(a, "tier").(string)
	tb, _ := field(b, "tier").(string)
	if ta == tb {
		return nil
	}
	return []Change{{Aspect: "tier", From: orUnknown(ta), To: orUnknown(tb), Direction: direction(float64(tierRank(ta)), float64(tierRank(tb)))}}
}

func direction(from, to float64) Direction {
	switch {
	case to < from:
		return Worse
	case to > from:
		return Better
	}
	return Neutral
}

// compareWeights reports the weights' licence expressions and whether they are open.
func compareWeights(a, b Document) []Change {
	la, lb := strs(a, "weights", "licenses"), strs(b, "weights", "licenses")
	oa, ob := weightsOpen(a), weightsOpen(b)
	if slices.Equal(la, lb) && oa == ob {
		return nil
	}
	dir := Neutral
	switch {
	case oa && !ob:
		dir = Worse
	case !oa && ob:
		dir = Better
	}
	return []Change{{Aspect: "weights-licence", From: licenceText(la, oa), To: licenceText(lb, ob), Direction: dir}}
}

func weightsOpen(doc Document) bool {
	w, _ := doc["weights"].(map[string]any)
	open, _ := w["open"].(bool)
	return open
}

func licenceText(ls []string, open bool) string {
	s := strings.Join(ls, " + ")
	if s == "" {
		s = "none"
	}
	if open {
		return s + " (open)"
	}
	return s + " (not open)"
}

// termDirection says whether adding or dropping a clause makes terms less or more open, from
// the licence term table: conditions (attribution, naming, copyleft) and unknown names are
// neutral.
func termDirection(term string, added bool) Direction {
	if t, ok := license.LookupTerm(term); !ok || !t.Restricts {
		return Neutral
	}
	if added {
		return Worse
	}
	return Better
}

func always(d Direction) func(string, bool) Direction {
	return func(_ string, added bool) Direction {
		if added {
			return d
		}
		return -d
	}
}

// compareSets lists what b adds to a and what it drops, in a's then b's order.
func compareSets(aspect string, a, b []string, dir func(item string, added bool) Direction) []Change {
	var out []Change
	for _, x := range a {
		if !slices.Contains(b, x) {
			out = append(out, Change{Aspect: aspect, From: x, To: "", Direction: dir(x, false)})
		}
	}
	for _, x := range b {
		if !slices.Contains(a, x) {
			out = append(out, Change{Aspect: aspect, From: "", To: x, Direction: dir(x, true)})
		}
	}
	return out
}

func findingTexts(doc Document) []string {
	var out []string
	for _, f := range list(doc, "findings") {
		out = append(out, strings.ToUpper(str(f, "severity"))+" "+str(f, "id")+": "+str(f, "message"))
	}
	return out
}

// statusRank orders component statuses: present and gated count as there.
var statusRank = map[string]float64{"present": 2, "gated": 2, "unknown": 1, "absent": 0}

func compareComponents(a, b Document) []Change {
	before := map[string]string{}
	for _, c := range list(a, "components") {
		before[str(c, "name")] = str(c, "status")
	}
	var out []Change
	for _, c := range list(b, "components") {
		name, to := str(c, "name"), str(c, "status")
		from, ok := before[name]
		if !ok || from == to {
			continue
		}
		out = append(out, Change{Aspect: "component", Item: name, From: from, To: to, Direction: direction(statusRank[from], statusRank[to])})
	}
	return out
}

// compareFrameworks compares each registered framework's standing, as the framework reads
// its own JSON entry.
func compareFrameworks(a, b Document) []Change {
	fa, _ := field(a, "frameworks").(map[string]any)
	fb, _ := field(b, "frameworks").(map[string]any)
	var out []Change
	for _, fw := range assess.Registry {
		if fw.Standing == nil {
			continue
		}
		ea, _ := fa[fw.Name].(map[string]any)
		eb, _ := fb[fw.Name].(map[string]any)
		la, ra, oka := fw.Standing(ea)
		lb, rb, okb := fw.Standing(eb)
		if !oka || !okb || (la == lb && ra == rb) {
			continue
		}
		out = append(out, Change{Aspect: fw.Name, From: la, To: lb, Direction: direction(ra, rb)})
	}
	return out
}

// strs reads a list of strings at doc[key][sub].
func strs(doc Document, key, sub string) []string {
	m, _ := doc[key].(map[string]any)
	xs, _ := m[sub].([]any)
	out := []string{}
	for _, x := range xs {
		if s, ok := x.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

// Text writes the diff for a terminal, one change a line with its direction ("-" worse, "+"
// better, "~" neither), every string from the reports escaped.
func (d Diff) Text() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s → %s\n", report.TermSafe(d.A), report.TermSafe(d.B))
	if len(d.Changes) == 0 {
		b.WriteString("  no change\n")
		return b.String()
	}
	for _, c := range d.Changes {
		b.WriteString("  " + report.TermSafe(c.line()) + "\n")
	}
	return b.String()
}

func (c Change) line() string {
	mark := map[Direction]string{Worse: "-", Better: "+", Neutral: "~"}[c.Direction]
	what := c.Aspect
	if c.Item != "" {
		what += " " + c.Item
	}
	switch {
	case c.From == "":
		return fmt.Sprintf("%s %s added: %s (%s)", mark, what, c.To, c.Direction)
	case c.To == "":
		return fmt.Sprintf("%s %s removed: %s (%s)", mark, what, c.From, c.Direction)
	}
	return fmt.Sprintf("%s %s: %s → %s (%s)", mark, what, c.From, c.To, c.Direction)
}
