// Package license knows the licences AI releases use: a catalogue of SPDX licences and AI model,
// weights and data licences with the terms that move a release along the openness spectrum,
// identification of licence texts, and evaluation of licence expressions.
package license

import (
	"bufio"
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"sync"
)

// Kind says what a licence was written for.
type Kind string

// Licence kinds.
const (
	KindCode    Kind = "code"    // software licences (Apache-2.0, MIT, GPL …)
	KindData    Kind = "data"    // data and database licences (CDLA, ODC, ODbL …)
	KindContent Kind = "content" // content and documentation licences (Creative Commons, GFDL …)
	KindModel   Kind = "model"   // model-specific terms (Llama, Gemma, OpenRAIL, OpenMDW …)
)

// Commercial says whether a licence allows commercial use.
type Commercial string

// Commercial-use values.
const (
	CommercialYes     Commercial = "yes"
	CommercialNo      Commercial = "no"
	CommercialLimited Commercial = "limited"
	CommercialUnknown Commercial = ""
)

// Terms are the clauses of a licence that decide how open a release under it is. The zero value
// means "no such clause": a permissive licence.
type Terms struct {
	Commercial Commercial `json:"commercial,omitempty"`
	// UsePolicy: a field-of-use or acceptable-use policy binds the licensee.
	UsePolicy bool `json:"use_policy,omitempty"`
	// PolicyByReference: the policy is a separate document incorporated by reference, which the
	// licensor may update.
	PolicyByReference bool `json:"policy_by_reference,omitempty"`
	// UserCap is a monthly-active-user threshold above which a separate licence is needed.
	UserCap int64 `json:"user_cap,omitempty"`
	// RevenueCap is an annual revenue threshold in US dollars with the same effect.
	RevenueCap int64 `json:"revenue_cap,omitempty"`
	// Attribution: notices must be kept or credit given.
	Attribution bool `json:"attribution,omitempty"`
	// Naming: derivatives must carry a name or a "Built with" mark.
	Naming bool `json:"naming,omitempty"`
	// NoTrainingOthers: outputs may not be used to train or improve other models.
	NoTrainingOthers bool `json:"no_training_others,omitempty"`
	// Geographic lists regions whose residents or companies are excluded from some grants.
	Geographic []string `json:"geographic,omitempty"`
	// Revocable: the licensor may terminate or change the terms unilaterally.
	Revocable bool `json:"revocable,omitempty"`
	// ResearchOnly: only research or non-production use is allowed.
	ResearchOnly bool `json:"research_only,omitempty"`
	// NoDerivatives: modified versions may not be shared.
	NoDerivatives bool `json:"no_derivatives,omitempty"`
	// Copyleft: derivatives must be shared under the same terms.
	Copyleft bool `json:"copyleft,omitempty"`
}

// Entry is one licence at one version.
type Entry struct {
	// Key is glassbox's stable lowercase name for the licence ("apache-2.0", "llama3.1").
	Key string `json:"key"`
	// ID is the SPDX id, or a LicenseRef- id where SPDX has none.
	ID      string `json:"id"`
	Name    string `json:"name"`
	Family  string `json:"family,omitempty"`
	Version string `json:"version,omitempty"`
	Kind    Kind   `json:"kind,omitempty"`
	// OSI: approved by the Open Source Initiative (current SPDX list).
	OSI bool `json:"osi_approved"`
	// FSF: marked free/libre by the Free Software Foundation.
	FSF        bool `json:"fsf_libre"`
	Deprecated bool `json:"deprecated,omitempty"`
	// OpenTerms marks non-software terms that still grant use, study, modification and sharing
	// for any purpose (CC0-1.0, CC-BY-4.0, CDLA-Permissive-2.0, OpenMDW-1.0 …).
	OpenTerms bool  `json:"open_terms,omitempty"`
	Terms     Terms `json:"terms"`
	// HubIDs are the Hugging Face Hub licence ids (card `license:` values) that mean this licence.
	HubIDs []string `json:"hub_ids,omitempty"`
	// Aliases are other names that mean this licence: license_name values, titles, URLs.
	Aliases []string `json:"aliases,omitempty"`
	// Policies are keys of use policies this licence incorporates.
	Policies []string `json:"policies,omitempty"`
	// SPDX2024 holds the flags of the 2024-05-21 SPDX list that the Model Openness Tool uses;
	// nil when the id is not on that list.
	SPDX2024 *SPDXFlags `json:"-"`
	// Summary is a one-line description in glassbox's own words.
	Summary string `json:"summary,omitempty"`
}

// SPDXFlags are the facts one SPDX list gives about an id.
type SPDXFlags struct {
	OSI, FSF, Deprecated bool
}

// Open reports whether the licence grants use, study, modification and sharing for any purpose:
// an OSI-approved licence or open terms, and no clause that limits use.
func (e *Entry) Open() bool {
	if e == nil {
		return false
	}
	return (e.OSI || e.OpenTerms) && len(e.Restrictions()) == 0
}

// Restrictions names, in plain words, each clause of the licence that restricts use
// ("use policy", "700M MAU cap"). Attribution and copyleft are conditions, not restrictions.
func (e *Entry) Restrictions() []string {
	if e == nil {
		return nil
	}
	t := e.Terms
	var out []string
	switch t.Commercial {
	case CommercialNo:
		out = append(out, "non-commercial")
	case CommercialLimited:
		if t.UserCap == 0 && t.RevenueCap == 0 {
			out = append(out, "commercial use limited")
		}
	}
	if t.ResearchOnly {
		out = append(out, "research only")
	}
	if t.UsePolicy {
		if t.PolicyByReference {
			out = append(out, "use policy (incorporated by reference)")
		} else {
			out = append(out, "use policy")
		}
	}
	if t.UserCap > 0 {
		out = append(out, humanCount(t.UserCap)+" MAU cap")
	}
	if t.RevenueCap > 0 {
		out = append(out, "$"+humanCount(t.RevenueCap)+" revenue cap")
	}
	if t.NoTrainingOthers {
		out = append(out, "no training other models on outputs")
	}
	if len(t.Geographic) > 0 {
		out = append(out, "geographic exclusion ("+strings.Join(t.Geographic, ", ")+")")
	}
	if t.Revocable {
		out = append(out, "revocable or changeable terms")
	}
	if t.NoDerivatives {
		out = append(out, "no derivatives")
	}
	return out
}

func humanCount(n int64) string {
	switch {
	case n >= 1_000_000_000 && n%1_000_000_000 == 0:
		return fmt.Sprintf("%dB", n/1_000_000_000)
	case n >= 1_000_000 && n%1_000_000 == 0:
		return fmt.Sprintf("%dM", n/1_000_000)
	case n >= 1_000 && n%1_000 == 0:
		return fmt.Sprintf("%dK", n/1_000)
	}
	return fmt.Sprint(n)
}

// Catalogue is a read-only set of licence entries with lookups by key, id and alias.
type Catalogue struct {
	entries []*Entry
	index   map[string]*Entry // lowercased key, id and aliases
	byID    map[string]*Entry // exact, case-sensitive SPDX or LicenseRef id
	byHub   map[string]*Entry // Hub licence ids
}

//go:embed data/spdx.tsv
var spdxTSV []byte

//go:embed data/ai.json
var aiJSON []byte

var (
	defaultOnce sync.Once
	defaultCat  *Catalogue
	defaultErr  error
)

// Default returns the catalogue embedded in the binary. It panics only if the embedded data is
// corrupt, which the package tests rule out.
func Default() *Catalogue {
	defaultOnce.Do(func() {
		defaultCat, defaultErr = Load(spdxTSV, aiJSON)
	})
	if defaultErr != nil {
		panic("license: embedded catalogue: " + defaultErr.Error())
	}
	return defaultCat
}

// Load builds a catalogue from an SPDX facts table (tab-separated: id, name, osi, osi_2024,
// fsf_libre, deprecated, in_2024_list) and a JSON array of entries that add to or refine it.
func Load(spdx, extra []byte) (*Catalogue, error) {
	c := &Catalogue{index: map[string]*Entry{}, byID: map[string]*Entry{}, byHub: map[string]*Entry{}}
	sc := bufio.NewScanner(bytes.NewReader(spdx))
	line := 0
	for sc.Scan() {
		line++
		text := sc.Text()
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		f := strings.Split(text, "\t")
		if len(f) != 7 {
			return nil, fmt.Errorf("spdx.tsv:%d: want 7 fields, got %d", line, len(f))
		}
		e := &Entry{Key: strings.ToLower(f[0]), ID: f[0], Name: f[1], OSI: f[2] == "y", FSF: f[4] == "y", Deprecated: f[5] == "y"}
		if f[6] == "y" {
			e.SPDX2024 = &SPDXFlags{OSI: f[3] == "y", FSF: f[4] == "y", Deprecated: f[5] == "y"}
		}
		c.add(e)
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	var more []*Entry
	if len(extra) > 0 {
		if err := json.Unmarshal(extra, &more); err != nil {
			return nil, fmt.Errorf("ai.json: %w", err)
		}
	}
	for _, m := range more {
		if m.Key == "" || m.ID == "" {
			return nil, fmt.Errorf("ai.json: entry %q without key or id", m.Name)
		}
		if base, ok := c.byID[m.ID]; ok {
			// Refine an SPDX entry: keep its facts, take the catalogue's key, kind and terms.
			base.Key = m.Key
			if m.Name != "" {
				base.Name = m.Name
			}
			base.Family, base.Version, base.Kind = m.Family, m.Version, m.Kind
			base.OpenTerms, base.Terms, base.Summary, base.Policies = m.OpenTerms, m.Terms, m.Summary, m.Policies
			base.Aliases = append(base.Aliases, m.Aliases...)
			base.HubIDs = append(base.HubIDs, m.HubIDs...)
			c.indexEntry(base)
			continue
		}
		if m.Name == "" {
			m.Name = m.ID
		}
		c.add(m)
	}
	sort.Slice(c.entries, func(i, j int) bool { return c.entries[i].Key < c.entries[j].Key })
	return c, nil
}

func (c *Catalogue) add(e *Entry) {
	c.entries = append(c.entries, e)
	c.byID[e.ID] = e
	c.indexEntry(e)
}

func (c *Catalogue) indexEntry(e *Entry) {
	for _, h := range e.HubIDs {
		c.byHub[strings.ToLower(h)] = e
	}
	names := append([]string{e.Key, e.ID}, e.HubIDs...)
	for _, name := range append(names, e.Aliases...) {
		k := normAlias(name)
		if k == "" {
			continue
		}
		// The first claimant keeps an alias: SPDX ids load first and are never shadowed.
		if _, taken := c.index[k]; !taken {
			c.index[k] = e
		}
	}
}

func normAlias(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	s = strings.TrimPrefix(s, "https://")
	s = strings.TrimPrefix(s, "http://")
	s = strings.TrimPrefix(s, "www.")
	s = strings.TrimSuffix(s, "/")
	return s
}

// Entries returns every entry, sorted by key.
func (c *Catalogue) Entries() []*Entry { return c.entries }

// ByID returns the entry with exactly this SPDX or LicenseRef id (case-sensitive).
func (c *Catalogue) ByID(id string) (*Entry, bool) {
	e, ok := c.byID[id]
	return e, ok
}

// Hub returns the entry a Hugging Face Hub licence id (a card's `license:` value) stands for.
// Hub ids that name a family ("bsd", "gpl", "cc") map to family entries with LicenseRef ids.
func (c *Catalogue) Hub(id string) (*Entry, bool) {
	e, ok := c.byHub[strings.ToLower(strings.TrimSpace(id))]
	return e, ok
}

// Lookup finds an entry by key, id, Hub id, name variant or URL, ignoring case.
func (c *Catalogue) Lookup(name string) (*Entry, bool) {
	e, ok := c.index[normAlias(name)]
	return e, ok
}
