package report

import (
	"cmp"
	"maps"
	"slices"
	"time"
)

// The renderers (Markdown, HTML) only render: this file orders and cuts the summary once for
// both, so they always show the same numbers.

// topOrgs is how many organisations the charts name; the rest are "other".
const (
	topOrgs  = 20
	topCount = 15
	other    = "other"
)

// count is one labelled number.
type count struct {
	Key string
	N   int64
}

// tallied is one labelled tally.
type tallied struct {
	Key string
	T   Tally
}

// byCount orders a map by count, largest first, ties by key; past top the rest are summed into
// "other" (top ≤ 0 keeps all).
func byCount(m map[string]int64, top int) []count {
	out := make([]count, 0, len(m))
	for k, n := range m {
		out = append(out, count{k, n})
	}
	slices.SortFunc(out, func(a, b count) int {
		return cmp.Or(cmp.Compare(b.N, a.N), cmp.Compare(a.Key, b.Key))
	})
	if top <= 0 || len(out) <= top {
		return out
	}
	var rest int64
	for _, c := range out[top:] {
		rest += c.N
	}
	return append(out[:top], count{other, rest})
}

// orgsByCount orders organisations by models audited, largest first; past topOrgs the rest
// are summed into "other".
func orgsByCount(m map[string]*Tally) []tallied {
	out := make([]tallied, 0, len(m))
	for k, t := range m {
		out = append(out, tallied{k, *t})
	}
	slices.SortFunc(out, func(a, b tallied) int {
		return cmp.Or(cmp.Compare(b.T.Total(), a.T.Total()), cmp.Compare(a.Key, b.Key))
	})
	if len(out) <= topOrgs {
		return out
	}
	var rest Tally
	for _, o := range out[topOrgs:] {
		for r, v := range o.T {
			rest[r] += v
		}
	}
	return append(out[:topOrgs], tallied{other, rest})
}

// months is the timeline from the first month of creation to the last, months without models
// included (so the bars sit on a linear time axis); unknown is the tally without a date.
func months(m map[string]*Tally) (line []tallied, unknown Tally) {
	if t := m[Unknown]; t != nil {
		unknown = *t
	}
	keys := slices.Sorted(maps.Keys(m))
	keys = slices.DeleteFunc(keys, func(k string) bool { return k == Unknown })
	if len(keys) == 0 {
		return nil, unknown
	}
	first, _ := time.Parse("2006-01", keys[0])
	last, _ := time.Parse("2006-01", keys[len(keys)-1])
	for d := first; !d.After(last); d = d.AddDate(0, 1, 0) {
		k := d.Format("2006-01")
		var t Tally
		if v := m[k]; v != nil {
			t = *v
		}
		line = append(line, tallied{k, t})
	}
	return line, unknown
}

// baseRow is one base licence family's fine-tunes.
type baseRow struct {
	Key string
	Bases
}

// Share is the fraction of models with this base family that conflict with it.
func (b baseRow) Share() float64 { return ratio(b.Conflicts, b.Models) }

// bases orders base families by conflicts, most first, then by models.
func bases(m map[string]*Bases) []baseRow {
	out := make([]baseRow, 0, len(m))
	for k, b := range m {
		out = append(out, baseRow{k, *b})
	}
	slices.SortFunc(out, func(a, b baseRow) int {
		return cmp.Or(cmp.Compare(b.Conflicts, a.Conflicts), cmp.Compare(b.Models, a.Models), cmp.Compare(a.Key, b.Key))
	})
	return out
}

// conflictTotals are the totals over base families: models with a known base family, those of
// them in conflict, and every conflict (unknown base included).
func conflictTotals(m map[string]*Bases) (based, basedConflicts, conflicts int64) {
	for k, b := range m {
		conflicts += b.Conflicts
		if k != Unknown {
			based += b.Models
			basedConflicts += b.Conflicts
		}
	}
	return based, basedConflicts, conflicts
}

// openwashing is how many models claim to be open source, and how many of them are below
// open-source-ai.
func openwashing(s *Summary) (claims, below int64) {
	for r, v := range s.Claims {
		claims += v
		if r < openSourceRank {
			below += v
		}
	}
	return claims, below
}

func ratio(a, b int64) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// euOutcomes are the EU AI Act outcomes in the order the framework lists them.
var euOutcomes = []string{"eligible", "not-eligible", "cannot-determine"}

// euCounts orders the EU AI Act outcomes: known outcomes first (zeros included), then any
// other value by count.
func euCounts(m map[string]int64) []count {
	out := make([]count, 0, len(m)+len(euOutcomes))
	rest := maps.Clone(m)
	for _, k := range euOutcomes {
		out = append(out, count{k, m[k]})
		delete(rest, k)
	}
	return append(out, byCount(rest, 0)...)
}

// modeCounts are the metadata and deep counts, then any other mode, then unreadable.
func modeCounts(s *Summary) []count {
	out := []count{{"metadata", s.Modes["metadata"]}, {"deep", s.Modes["deep"]}}
	rest := maps.Clone(s.Modes)
	delete(rest, "metadata")
	delete(rest, "deep")
	out = append(out, byCount(rest, 0)...)
	return append(out, count{"unreadable", s.Unreadable})
}

// mofLabels name the MOF classes by index.
var mofLabels = [4]string{"no class", "class 1 (open science)", "class 2 (open tooling)", "class 3 (open model)"}

// mofCounts are the MOF classes from the best to none.
func mofCounts(s *Summary) []count {
	return []count{{mofLabels[1], s.MOF[1]}, {mofLabels[2], s.MOF[2]}, {mofLabels[3], s.MOF[3]}, {mofLabels[0], s.MOF[0]}}
}

// tierCounts are a tally's counts labelled by tier, in rank order.
func tierCounts(t Tally) []count {
	out := make([]count, len(t))
	for r, v := range t {
		out[r] = count{TierNames[r], v}
	}
	return out
}
