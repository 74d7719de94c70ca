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
	"strconv"
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
	// KindPolicy marks an acceptable-use or prohibited-use policy: no grant of its own, but a
	// list of forbidden uses that a licence incorporates (the Llama and Gemma policies).
	KindPolicy Kind = "policy"
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

// Entry is one licence at one version. Versions of one licence that share a key ("gemma" on
// 2024-04-01 and 2025-03-24) are separate entries with distinct ids; the entry without a version
// stands for the licence when a text or a card does not say which version it means.
type Entry struct {
	// Key is glassbox's stable lowercase name for the licence ("apache-2.0", "llama3.1"). It is
	// shared by the dated versions of one licence ("gemma"); Key with Version is unique.
	Key string `json:"key"`
	// ID is the SPDX id, or a LicenseRef- id where SPDX has none.
	ID     string `json:"id"`
	Name   string `json:"name"`
	Family string `json:"family,omitempty"`
	// Version is the licence's version or date ("3.1", "2024-04-01"); empty for the entry that
	// stands for a licence whose version is not stated.
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

	curated bool // described by ai.json, not only by the SPDX list
}

// Ref names the entry as key@version, or just the key when it has no version. Lookup accepts it.
func (e *Entry) Ref() string {
	if e.Version == "" {
		return e.Key
	}
	return e.Key + "@" + e.Version
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
	index   map[string]*Entry   // lowercased key, key@version, id and aliases
	byKey   map[string][]*Entry // every version of a key
	byID    map[string]*Entry   // exact, case-sensitive SPDX or LicenseRef id
	byHub   map[string]*Entry   // Hub licence ids
	memo    identifyMemo        // Identify's recent results, by text hash
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
	// Sized for the embedded catalogue (about 800 entries, 1,100 names, 80 Hub ids), so that
	// loading it, which every command that reads licences pays, does not regrow the maps.
	c := &Catalogue{index: make(map[string]*Entry, 1400), byID: make(map[string]*Entry, 1000), byHub: make(map[string]*Entry, 100), byKey: make(map[string][]*Entry, 1000)}
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
	refs := map[string]bool{}
	for _, m := range more {
		if m.Key == "" || m.ID == "" {
			return nil, fmt.Errorf("ai.json: entry %q without key or id", m.Name)
		}
		if refs[m.Ref()] {
			return nil, fmt.Errorf("ai.json: %s appears twice", m.Ref())
		}
		refs[m.Ref()] = true
		if base, ok := c.byID[m.ID]; ok {
			if base.curated {
				return nil, fmt.Errorf("ai.json: id %s appears twice", m.ID)
			}
			// Refine an SPDX entry: keep its facts, take the catalogue's key, kind and terms.
			base.Key = m.Key
			if m.Name != "" {
				base.Name = m.Name
			}
			base.Family, base.Version, base.Kind = m.Family, m.Version, m.Kind
			base.OpenTerms, base.Terms, base.Summary, base.Policies = m.OpenTerms, m.Terms, m.Summary, m.Policies
			base.Aliases = append(base.Aliases, m.Aliases...)
			base.HubIDs = append(base.HubIDs, m.HubIDs...)
			base.curated = true
			c.indexEntry(base)
			continue
		}
		if m.Name == "" {
			m.Name = m.ID
		}
		m.curated = true
		c.add(m)
	}
	sort.Slice(c.entries, func(i, j int) bool {
		a, b := c.entries[i], c.entries[j]
		if a.Key != b.Key {
			return a.Key < b.Key
		}
		if a.Version != b.Version {
			return versionLess(a.Version, b.Version)
		}
		return a.ID < b.ID
	})
	for _, e := range c.entries {
		c.byKey[e.Key] = append(c.byKey[e.Key], e)
		if e.Version != "" {
			c.index[normAlias(e.Ref())] = e
		}
	}
	// A key names the licence whatever its version: it resolves to the curated entry without
	// a version, or to the latest curated version, even where a deprecated SPDX id lowercases to
	// the same name ("gpl-3.0").
	for key, es := range c.byKey {
		if d := pickDefault(es); d != nil {
			c.index[normAlias(key)] = d
		}
	}
	return c, nil
}

// pickDefault chooses the entry a bare key stands for.
func pickDefault(es []*Entry) *Entry {
	var latest *Entry
	for _, e := range es {
		if !e.curated {
			continue
		}
		if e.Version == "" {
			return e
		}
		latest = e // es is sorted by version
	}
	if latest == nil && len(es) > 0 {
		return es[0]
	}
	return latest
}

// versionLess orders versions: the empty version first, then dates and dotted numbers by their
// numeric parts ("3.1" < "3.10", "2024-04-01" < "2025-03-24").
func versionLess(a, b string) bool {
	if a == "" || b == "" {
		return a == ""
	}
	pa, pb := strings.FieldsFunc(a, isVersionSep), strings.FieldsFunc(b, isVersionSep)
	for i := 0; i < len(pa) && i < len(pb); i++ {
		if pa[i] == pb[i] {
			continue
		}
		na, ea := strconv.Atoi(pa[i])
		nb, eb := strconv.Atoi(pb[i])
		if ea == nil && eb == nil {
			return na < nb
		}
		return pa[i] < pb[i]
	}
	return len(pa) < len(pb)
}

func isVersionSep(r rune) bool { return r == '.' || r == '-' || r == '_' }

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

// Entries returns every entry, sorted by key and then version.
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

// Version returns the entry of a key at one version ("gemma", "2024-04-01"). An empty version
// gives the entry that stands for the licence when no version is stated.
func (c *Catalogue) Version(key, version string) (*Entry, bool) {
	es := c.byKey[strings.ToLower(key)]
	if version == "" {
		e := pickDefault(es)
		return e, e != nil
	}
	for _, e := range es {
		if e.Version == version {
			return e, true
		}
	}
	return nil, false
}

// Versions returns every entry that shares a key, oldest version first; the entry without a
// version, if any, comes first.
func (c *Catalogue) Versions(key string) []*Entry {
	return c.byKey[strings.ToLower(key)]
}

// Lookup finds an entry by key (or key@version), id, Hub id, name variant or URL, ignoring
// case. A bare key of a licence with several versions gives the entry without a version.
func (c *Catalogue) Lookup(name string) (*Entry, bool) {
	e, ok := c.index[normAlias(name)]
	return e, ok
}
