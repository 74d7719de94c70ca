package report

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// TierNames are the G7 tiers in rank order: TierNames[r] is the tier of rank r.
var TierNames = [...]string{"insufficient-evidence", "closed", "weights-available", "open-weights", "open-source-ai", "open-source-ai-open-data"}

// openSourceRank is the rank from which a release is open source (open-source-ai).
const openSourceRank = 4

// Meta describes the census as a whole, for headers.
type Meta struct {
	// Query is what was listed: "author=meta-llama", "all models", ….
	Query string `json:"query"`
	// Listed models were found by the listing; Audited were judged; Unreadable could not be.
	Listed     int `json:"listed"`
	Audited    int `json:"audited"`
	Unreadable int `json:"unreadable"`
	// Started and Finished bound the census.
	Started  time.Time `json:"started"`
	Finished time.Time `json:"finished"`
	// Requests is how many requests the census made of the Hub, RequestsPerModel per listed model.
	Requests         int64   `json:"requests"`
	RequestsPerModel float64 `json:"requests_per_model"`
	// Deep tells whether models were read in full (README, licence texts, weights headers)
	// rather than judged from their listing entry.
	Deep            bool   `json:"deep"`
	GlassboxVersion string `json:"glassbox_version"`
}

// Tally counts by tier: Tally[r] is the count for tier rank r. In JSON it is an object keyed by
// tier name.
type Tally [len(TierNames)]int64

// Total is the sum over tiers.
func (t Tally) Total() int64 {
	var n int64
	for _, v := range t {
		n += v
	}
	return n
}

// MarshalJSON writes the tally keyed by tier name, so API clients need not know the ranks.
func (t Tally) MarshalJSON() ([]byte, error) {
	m := make(map[string]int64, len(t))
	for r, v := range t {
		m[TierNames[r]] = v
	}
	return json.Marshal(m)
}

// UnmarshalJSON reads a tally keyed by tier name; unknown tiers are an error.
func (t *Tally) UnmarshalJSON(b []byte) error {
	var m map[string]int64
	if err := json.Unmarshal(b, &m); err != nil {
		return err
	}
	*t = Tally{}
	for name, v := range m {
		r := rankOf(name)
		if r < 0 {
			return fmt.Errorf("tally: unknown tier %q", name)
		}
		t[r] = v
	}
	return nil
}

// rankOf is the rank of a tier name, -1 when it is none.
func rankOf(name string) int {
	for r, n := range TierNames {
		if n == name {
			return r
		}
	}
	return -1
}

// Bases is what a census saw of fine-tunes of one base licence family.
type Bases struct {
	// Models have a base of this family; Conflicts of them declare terms more permissive than
	// their base; AsApache and AsMIT of those relabel it as Apache or MIT.
	Models    int64 `json:"models"`
	Conflicts int64 `json:"conflicts"`
	AsApache  int64 `json:"as_apache"`
	AsMIT     int64 `json:"as_mit"`
}

// Unknown is the key under which rows without a value are counted (no licence family, no
// creation date, …).
const Unknown = "unknown"

// Summary aggregates rows in one pass; its memory grows with distinct organisations, licences
// and months, never with rows. Unreadable rows count only in Rows, Unreadable and Modes.
type Summary struct {
	Rows       int64 `json:"rows"`
	Audited    int64 `json:"audited"`
	Unreadable int64 `json:"unreadable"`
	// Modes counts rows by mode (metadata, deep).
	Modes map[string]int64 `json:"modes"`
	// Tiers counts audited models by tier; Downloads sums their downloads by tier.
	Tiers     Tally `json:"tiers"`
	Downloads Tally `json:"downloads"`
	// Months counts tiers by month of creation (YYYY-MM, or Unknown).
	Months map[string]*Tally `json:"months"`
	// Orgs counts tiers by organisation.
	Orgs map[string]*Tally `json:"orgs"`
	// LicenseFamilies counts models by their weights' licence family; Terms by restriction term
	// (a model counts once under each of its terms).
	LicenseFamilies map[string]int64 `json:"license_families"`
	Terms           map[string]int64 `json:"terms"`
	// BaseFamilies describes fine-tunes by their base's licence family; conflicts whose base
	// family is unknown count under Unknown.
	BaseFamilies map[string]*Bases `json:"base_families"`
	// Claims counts, by tier, the models that call themselves open source.
	Claims Tally `json:"claims"`
	// MOF counts models by Model Openness Framework class: MOF[c] is class c, 0 none.
	MOF [4]int64 `json:"mof"`
	// EUAIAct counts models by open-source exemption outcome.
	EUAIAct map[string]int64 `json:"euaiact"`
}

// NewSummary returns an empty summary.
func NewSummary() *Summary {
	return &Summary{
		Modes: map[string]int64{}, Months: map[string]*Tally{}, Orgs: map[string]*Tally{},
		LicenseFamilies: map[string]int64{}, Terms: map[string]int64{}, BaseFamilies: map[string]*Bases{},
		EUAIAct: map[string]int64{},
	}
}

// Add counts one row.
func (s *Summary) Add(r Row) {
	s.Rows++
	s.Modes[orUnknown(r.Mode)]++
	if r.Status == "unreadable" {
		s.Unreadable++
		return
	}
	s.Audited++
	rank := min(max(r.TierRank, 0), len(TierNames)-1)
	s.Tiers[rank]++
	s.Downloads[rank] += max(r.Downloads, 0)
	tally(s.Months, monthOf(r.CreatedAt))[rank]++
	tally(s.Orgs, orgOf(r))[rank]++
	s.LicenseFamilies[orUnknown(r.LicenseFamily)]++
	for _, t := range r.Terms {
		s.Terms[t]++
	}
	s.addBase(r)
	if r.ClaimsOpenSource {
		s.Claims[rank]++
	}
	s.MOF[min(max(r.MOFClass, 0), 3)]++
	s.EUAIAct[orUnknown(r.EUAIAct)]++
}

// addBase counts a fine-tune under its base's licence family.
func (s *Summary) addBase(r Row) {
	if r.BaseFamily == "" && !r.InheritedConflict {
		return
	}
	key := orUnknown(r.BaseFamily)
	b := s.BaseFamilies[key]
	if b == nil {
		b = &Bases{}
		s.BaseFamilies[key] = b
	}
	if r.BaseFamily != "" {
		b.Models++
	}
	if !r.InheritedConflict {
		return
	}
	b.Conflicts++
	switch r.LicenseFamily {
	case "apache":
		b.AsApache++
	case "mit":
		b.AsMIT++
	}
}

// tally is m[key], created when missing.
func tally(m map[string]*Tally, key string) *Tally {
	t := m[key]
	if t == nil {
		t = &Tally{}
		m[key] = t
	}
	return t
}

// monthOf is the YYYY-MM of an RFC 3339 timestamp, Unknown when it has none.
func monthOf(ts string) string {
	if len(ts) < 7 || ts[4] != '-' {
		return Unknown
	}
	if _, err := time.Parse("2006-01", ts[:7]); err != nil {
		return Unknown
	}
	return ts[:7]
}

// orgOf is the row's organisation, else the part of its id before the slash.
func orgOf(r Row) string {
	if r.Org != "" {
		return r.Org
	}
	if org, _, ok := strings.Cut(r.ID, "/"); ok && org != "" {
		return org
	}
	return Unknown
}

func orUnknown(s string) string {
	if s == "" {
		return Unknown
	}
	return s
}
