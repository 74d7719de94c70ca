// Package evidence turns a release.Release into Facts: which MOF components exist and where, which
// licence covers each, the lineage and what it inherits, the weights files, what the release
// claims about itself, and findings. It is pure: it reads values and returns values, and every
// fact carries the ids of the evidence behind it.
package evidence

import (
	"fmt"

	"github.com/glassbox-dev/glassbox/internal/artifact"

	"github.com/glassbox-dev/glassbox/internal/component"
)

// Status says what glassbox knows about a component.
type Status string

// Component statuses (CONTRACT.md).
const (
	Present Status = "present"
	Absent  Status = "absent"  // looked for over a complete inventory and not found
	Gated   Status = "gated"   // present but behind accepted terms
	Unknown Status = "unknown" // could not be looked for (incomplete inventory, no card)
)

// Evidence is one thing glassbox saw: a file span, a card field, a header key.
type Evidence struct {
	ID string `json:"id"`
	// Kind: "file" (a span of a file), "card" (a front-matter field), "header" (a weights header
	// key), "inventory" (a file's presence), "library" (knowledge about a library), "catalogue".
	Kind     string `json:"kind"`
	Location string `json:"location"`
	SHA256   string `json:"sha256,omitempty"`
	Excerpt  string `json:"excerpt,omitempty"`
}

// Component is one MOF component as found in the release.
type Component struct {
	ID     component.ID `json:"id"`
	Name   string       `json:"name"`
	Type   string       `json:"type"`
	Status Status       `json:"status"`
	// Locations are paths in the release, "README.md:12" spans, or "library:transformers".
	Locations []string `json:"locations,omitempty"`
	// License is the licence expression covering the component, empty when none applies.
	License string `json:"license,omitempty"`
	// LicenseWhy says, per licence in License, why it covers the component.
	LicenseWhy []string `json:"license_why,omitempty"`
	// Open: the component's licence is open by the catalogue's terms.
	Open     bool     `json:"open"`
	Note     string   `json:"note,omitempty"`
	Evidence []string `json:"evidence"`
}

// Scope values say what a licence covers.
const (
	ScopeRelease = "release" // everything not covered by a narrower licence
	ScopeWeights = "weights"
	ScopeCode    = "code"
	ScopeData    = "data"
	ScopeDocs    = "docs"
	ScopePolicy  = "policy" // a use policy that binds the weights
	ScopeNotice  = "notice" // a third-party notice for a bundled component, not the release's terms
)

// License is one licence statement found in the release.
type License struct {
	Expression string `json:"expression"`
	Key        string `json:"key,omitempty"`
	Name       string `json:"name,omitempty"`
	Scope      string `json:"scope"`
	// Path limits the licence to files under a folder ("" = the whole release).
	Path string `json:"path,omitempty"`
	// Model names the model a weights licence is for, from its file name
	// (model_licenses/LICENSE-SDXL1.0): it covers only the weights files that name that model.
	Model string `json:"model,omitempty"`
	// Why says, where the scope is not the file name's, why the licence covers what it covers.
	Why string `json:"why,omitempty"`
	// Source: card, file, gguf, prose, identifier, lineage.
	Source       string   `json:"source"`
	HubID        string   `json:"hub_id,omitempty"`
	OSIApproved  bool     `json:"osi_approved"`
	Open         bool     `json:"open"`
	Known        bool     `json:"known"`
	Restrictions []string `json:"restrictions"`
	// RestrictionTerms names the term (license.TermNames) of each restriction, in the same
	// order: frameworks and policies decide by these names, never by the text.
	RestrictionTerms []string `json:"restriction_terms"`
	Evidence         []string `json:"evidence"`
}

// Dataset is a training dataset the release names.
type Dataset struct {
	Ref     string `json:"ref"`
	License string `json:"license,omitempty"`
	// Open: the licence is open terms for data (known only when License is set).
	Open     bool     `json:"open,omitempty"`
	Evidence []string `json:"evidence"`
}

// Parent is a base model the release derives from.
type Parent struct {
	Ref      string `json:"ref"`
	Relation string `json:"relation"`
	// License is the base's licence id when known (from the catalogue's table of well-known
	// bases, or later the Hub).
	License      string   `json:"license,omitempty"`
	Key          string   `json:"key,omitempty"`
	Open         bool     `json:"open"`
	Restrictions []string `json:"restrictions,omitempty"`
	// RestrictionTerms names the term of each restriction, in the same order.
	RestrictionTerms []string `json:"restriction_terms,omitempty"`
	// Source is "prose" when only the card's prose names the base ("based on Llama 2"), "gguf"
	// when a GGUF header names it (general.base_model.N.repo_url); empty for the card's
	// base_model.
	Source string `json:"source,omitempty"`
	// Gated is the base's Hub gate ("auto", "manual") when its release was read.
	Gated string `json:"gated,omitempty"`
	// DataRead: the base's own card was read, so Datasets is what it names (maybe nothing).
	DataRead bool `json:"data_read,omitempty"`
	// Datasets are the training datasets the base's card names, with their licences.
	Datasets []Dataset `json:"datasets,omitempty"`
	Evidence []string  `json:"evidence"`
}

// Artifact is one weights file or pointer.
type Artifact struct {
	Path       string `json:"path"`
	Format     string `json:"format"`
	Parameters int64  `json:"parameters,omitempty"`
	Safety     string `json:"safety"`
	// Intermediate: a checkpoint from during training, not the final parameters.
	Intermediate bool `json:"intermediate,omitempty"`
	// Auxiliary: the weights of a helper beside the model (a safety checker, a watermark
	// detector, arrays shipped inside a code package), not the model's own parameters.
	Auxiliary bool `json:"auxiliary,omitempty"`
	// Terms are the licence expressions that cover this weights file, and TermsWhy says why each
	// applies ("the card's license field", "model_licenses/ names it", "inherited from …").
	Terms    []string `json:"terms,omitempty"`
	TermsWhy []string `json:"terms_why,omitempty"`
	LFS      bool     `json:"lfs,omitempty"`
	SHA256   string   `json:"sha256,omitempty"`
	// Verified: SHA256 was computed over the file's bytes (scan --verify).
	Verified bool   `json:"verified,omitempty"`
	Size     int64  `json:"size"`
	Error    string `json:"error,omitempty"`
	// Globals lists the imports a pickle would make that are not known to be harmless.
	Globals  []artifact.Global `json:"globals,omitempty"`
	Evidence []string          `json:"evidence"`
}

// Claim is something the release says about its own openness.
type Claim struct {
	Kind     string   `json:"kind"`
	Evidence []string `json:"evidence"`
}

// Severity of a finding.
const (
	High   = "high"
	Medium = "medium"
	Low    = "low"
	Info   = "info"
)

// Finding is a problem or inconsistency a reader should know about.
type Finding struct {
	ID       string   `json:"id"`
	Severity string   `json:"severity"`
	Message  string   `json:"message"`
	Evidence []string `json:"evidence"`
}

// Library is a well-known Open Source library that implements the release's architecture, and
// so provides its deployment code.
type Library struct {
	Name     string   `json:"name"`
	License  string   `json:"license"`
	Why      string   `json:"why"`
	Evidence []string `json:"evidence"`
}

// Weights sums up the terms on the final parameters, inherited terms included.
type Weights struct {
	Present bool `json:"present"`
	// Licenses are the expressions that govern the weights (declared and inherited).
	Licenses    []string `json:"licenses"`
	Open        bool     `json:"open"`
	Known       bool     `json:"known"`
	OSIApproved bool     `json:"osi_approved"`
	// Restrictions say in words what limits use of the weights; an inherited one ends in
	// " (inherited from BASE)".
	Restrictions []string `json:"restrictions"`
	// RestrictionTerms names the term (license.TermNames) of each restriction, in the same
	// order.
	RestrictionTerms []string `json:"restriction_terms"`
	Evidence         []string `json:"evidence"`
}

// Facts is everything the detectors established about a release.
type Facts struct {
	Name     string `json:"name"`
	Target   string `json:"target"`
	Revision string `json:"revision"`
	// Complete: the inventory is the whole release.
	Complete bool `json:"complete"`
	// MetadataOnly: the release was judged from the Hub listing's metadata; no file was read,
	// so what the card's prose, the licence texts and the weights headers say is unknown.
	MetadataOnly bool `json:"metadata_only,omitempty"`
	// HasCard: a model card was found; FilesSeen counts the inventory.
	HasCard    bool        `json:"has_card"`
	FilesSeen  int         `json:"files_seen"`
	Components []Component `json:"components"`
	Licenses   []License   `json:"licenses"`
	Weights    Weights     `json:"weights"`
	Library    *Library    `json:"library,omitempty"`
	// Task is the card's pipeline_tag (text-generation, text-to-image …), empty when it has none.
	Task      string     `json:"task,omitempty"`
	Datasets  []Dataset  `json:"datasets"`
	Lineage   []Parent   `json:"lineage"`
	Artifacts []Artifact `json:"artifacts"`
	// Parameters is the parameter count of the final weights (0 when unknown).
	Parameters int64 `json:"parameters,omitempty"`
	// MoE is the mixture-of-experts layout when config.json shows one (moe.go).
	MoE *MoE `json:"moe,omitempty"`
	// TrainingTokens is the token count the card or config states (0 when unknown).
	TrainingTokens int64      `json:"training_tokens,omitempty"`
	Claims         []Claim    `json:"claims"`
	Findings       []Finding  `json:"findings"`
	Evidence       []Evidence `json:"evidence"`

	// DataInfo is how substantively the release describes its training data (datainfo.go).
	DataInfo DataInfo `json:"data_info"`

	// OSAI documentation facts (docs.go).
	// Docs lists where the card and documentation files cover hardware, architecture, training,
	// tuning and how to run the code.
	Docs []Doc `json:"docs,omitempty"`
	// Publications lists the peer-reviewed publications the card cites.
	Publications []Publication `json:"publications,omitempty"`

	// EU AI Act facts (compute.go).
	// TrainingTokensEvidence cites the statement TrainingTokens was read from.
	TrainingTokensEvidence []string `json:"training_tokens_evidence,omitempty"`
	// Usage lists where the card tells users how to use the model: intended uses, how to run
	// it, limitations, inputs and outputs.
	Usage []UsageInfo `json:"usage,omitempty"`
	// Access says how downloads are granted (Hub gating, the gate's form).
	Access Access `json:"access"`
	// Linked lists the code repositories the card links to (linked.go).
	Linked []LinkedRepo `json:"linked,omitempty"`
}

// Component returns the component with the given MOF id.
func (f *Facts) Component(id component.ID) Component {
	for _, c := range f.Components {
		if c.ID == id {
			return c
		}
	}
	return Component{ID: id, Name: id.Name(), Status: Unknown}
}

// ledger hands out evidence ids in the order detectors record evidence, which is deterministic,
// and merges repeated sightings of the same location.
type ledger struct {
	items []Evidence
	byKey map[string]string
}

func (l *ledger) add(kind, location, sha, excerpt string) string {
	if l.byKey == nil {
		l.byKey = map[string]string{}
	}
	key := kind + "\x00" + location
	if id, ok := l.byKey[key]; ok {
		return id
	}
	id := fmt.Sprintf("E%d", len(l.items)+1)
	l.items = append(l.items, Evidence{ID: id, Kind: kind, Location: location, SHA256: sha, Excerpt: clip(excerpt, 200)})
	l.byKey[key] = id
	return id
}

// clip shortens s to at most n bytes on a rune boundary, folding whitespace runs.
func clip(s string, n int) string {
	out := make([]rune, 0, min(len(s), n))
	size := 0
	space := false
	for _, r := range s {
		if r == '\n' || r == '\r' || r == '\t' || r == ' ' {
			if space {
				continue
			}
			r, space = ' ', true
		} else {
			space = false
		}
		size += len(string(r))
		if size > n {
			out = append(out, '…')
			break
		}
		out = append(out, r)
	}
	return string(out)
}
