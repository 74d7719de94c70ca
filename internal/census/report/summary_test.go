package report

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestSummaryCounts(t *testing.T) {
	s := summarise(fixture())
	want := &Summary{
		Rows: 12, Audited: 11, Unreadable: 1,
		Modes:     map[string]int64{"metadata": 8, "deep": 4},
		Tiers:     Tally{1, 1, 4, 3, 1, 1},
		Downloads: Tally{0, 10, 1500107, 550, 20000, 80000},
		Months: map[string]*Tally{
			"2023-03": {0, 0, 0, 0, 1, 0}, "2024-07": {0, 0, 1, 0, 0, 0}, "2024-09": {0, 0, 1, 1, 0, 0},
			"2024-11": {0, 0, 1, 1, 0, 1}, "2025-01": {0, 1, 1, 1, 0, 0}, Unknown: {1, 0, 0, 0, 0, 0},
		},
		Orgs: map[string]*Tally{
			"meta-llama": {0, 0, 2, 0, 0, 0}, "acme": {0, 0, 1, 3, 0, 0}, "allenai": {0, 0, 0, 0, 0, 1},
			"EleutherAI": {0, 0, 0, 0, 1, 0}, "closedco": {0, 1, 0, 0, 0, 0}, "mystery": {1, 0, 0, 0, 0, 0},
			hostile: {0, 0, 1, 0, 0, 0},
		},
		LicenseFamilies: map[string]int64{"llama": 3, "apache": 4, "mit": 1, Unknown: 2, "<b>rail</b>": 1},
		Terms:           map[string]int64{"user-cap": 3, "acceptable-use": 1, "<img src=x onerror=alert(2)>": 1},
		BaseFamilies: map[string]*Bases{
			"llama": {Models: 3, Conflicts: 2, AsApache: 1, AsMIT: 1},
			"gemma": {Models: 1, Conflicts: 1, AsApache: 1},
		},
		Claims:  Tally{0, 1, 1, 1, 1, 1},
		MOF:     [4]int64{6, 1, 1, 3},
		EUAIAct: map[string]int64{"eligible": 2, "not-eligible": 5, "cannot-determine": 4},
	}
	if d := cmp.Diff(want, s); d != "" {
		t.Errorf("summary (-want +got):\n%s", d)
	}
	based, basedConflicts, conflicts := conflictTotals(s.BaseFamilies)
	if based != 4 || basedConflicts != 3 || conflicts != 3 {
		t.Errorf("conflict totals %d %d %d, want 4 3 3", based, basedConflicts, conflicts)
	}
	if claims, below := openwashing(s); claims != 5 || below != 3 {
		t.Errorf("openwashing %d of %d, want 3 of 5", below, claims)
	}
}

// TestSummaryConflictWithoutBase: a conflict whose base family is unknown counts as a
// conflict, not as a model with a known base.
func TestSummaryConflictWithoutBase(t *testing.T) {
	s := summarise([]Row{{ID: "x/y", Status: "audited", InheritedConflict: true, LicenseFamily: "mit"}})
	if d := cmp.Diff(map[string]*Bases{Unknown: {Conflicts: 1, AsMIT: 1}}, s.BaseFamilies); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
	if based, _, conflicts := conflictTotals(s.BaseFamilies); based != 0 || conflicts != 1 {
		t.Errorf("based %d conflicts %d, want 0 and 1", based, conflicts)
	}
}

func TestSummaryJSON(t *testing.T) {
	b, err := json.Marshal(summarise(fixture()))
	if err != nil {
		t.Fatal(err)
	}
	var raw struct {
		Tiers map[string]int64 `json:"tiers"`
	}
	if err := json.Unmarshal(b, &raw); err != nil || raw.Tiers["weights-available"] != 4 || len(raw.Tiers) != 6 {
		t.Errorf("tiers in JSON %v (%v), want keyed by tier name", raw.Tiers, err)
	}
	back := NewSummary()
	if err := json.Unmarshal(b, back); err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(summarise(fixture()), back); d != "" {
		t.Errorf("summary after a JSON round trip (-want +got):\n%s", d)
	}
	var bad Tally
	if err := json.Unmarshal([]byte(`{"mostly-open": 1}`), &bad); err == nil {
		t.Error("a tally with an unknown tier decoded")
	}
}

func TestTopOrgsAndOther(t *testing.T) {
	s := NewSummary()
	for i := range 25 {
		for range i + 1 {
			s.Add(Row{Org: fmt.Sprintf("org%02d", i), Status: "audited", TierRank: i % 6})
		}
	}
	orgs := orgsByCount(s.Orgs)
	if len(orgs) != topOrgs+1 || orgs[0].Key != "org24" || orgs[0].T.Total() != 25 {
		t.Fatalf("top org %v of %d rows", orgs[0], len(orgs))
	}
	last := orgs[topOrgs]
	if last.Key != other || last.T.Total() != 1+2+3+4+5 {
		t.Errorf("other is %v, want the 5 smallest orgs' 15 models", last)
	}
}

// TestSummaryBounded: a million rows from a thousand organisations over ten years leave maps
// sized by distinct values, never by rows.
func TestSummaryBounded(t *testing.T) {
	s := NewSummary()
	families := []string{"apache", "mit", "llama", "gemma", "openrail", ""}
	r := Row{Status: "audited", Mode: "metadata", Terms: []string{"user-cap"}}
	for i := range 1_000_000 {
		r.Org = orgNames[i%1000]
		r.TierRank = i % 6
		r.LicenseFamily = families[i%len(families)]
		r.BaseFamily = families[(i/7)%len(families)]
		r.InheritedConflict = i%11 == 0
		r.CreatedAt = monthNames[i%120]
		s.Add(r)
	}
	sizes := map[string][2]int{
		"orgs": {len(s.Orgs), 1000}, "months": {len(s.Months), 120}, "families": {len(s.LicenseFamilies), 6},
		"terms": {len(s.Terms), 1}, "bases": {len(s.BaseFamilies), 6}, "modes": {len(s.Modes), 1}, "eu": {len(s.EUAIAct), 1},
	}
	for name, got := range sizes {
		if got[0] != got[1] {
			t.Errorf("%s: %d entries, want %d", name, got[0], got[1])
		}
	}
	if s.Rows != 1_000_000 || s.Tiers.Total() != 1_000_000 || s.Orgs["org0007"].Total() != 1000 {
		t.Errorf("rows %d, tiers %d, org0007 %d", s.Rows, s.Tiers.Total(), s.Orgs["org0007"].Total())
	}
}

// orgNames and monthNames are the synthetic census's organisations and creation dates.
var orgNames, monthNames = func() ([]string, []string) {
	orgs := make([]string, 1000)
	for i := range orgs {
		orgs[i] = fmt.Sprintf("org%04d", i)
	}
	months := make([]string, 120)
	for i := range months {
		months[i] = fmt.Sprintf("%d-%02d-15T00:00:00Z", 2016+i/12, i%12+1)
	}
	return orgs, months
}()
