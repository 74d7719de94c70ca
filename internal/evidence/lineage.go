package evidence

import (
	"fmt"
	"slices"
	"strings"

	"github.com/glassbox-dev/glassbox/internal/artifact"
	"github.com/glassbox-dev/glassbox/internal/card"
	"github.com/glassbox-dev/glassbox/internal/lazyre"
	"github.com/glassbox-dev/glassbox/internal/license"
	"github.com/glassbox-dev/glassbox/internal/release"
)

// lineage records the base models the card declares and the terms each is known to carry.
func (v *view) lineage() {
	bases := v.card.BaseModel
	relation := strings.ToLower(v.card.BaseModelRelation)
	if relation == "" {
		relation = "finetune"
		if len(bases) > 1 {
			relation = "merge"
		}
	}
	for _, b := range bases {
		ev := v.cardField("base_model", b)
		p := Parent{Ref: "hf:" + strings.TrimPrefix(b, "hf:"), Relation: relation, Evidence: []string{ev}}
		v.baseTerms(&p, b)
		v.facts.Lineage = append(v.facts.Lineage, p)
	}
	if len(bases) == 0 {
		v.ggufLineage(relation)
	}
	v.proseLineage()
}

// hubRepoRe reads a Hub model address: https://huggingface.co/ORG/NAME (no datasets/ or spaces/).
var hubRepoRe = lazyre.New(`^https?://(?:www\.)?(?:huggingface\.co|hf\.co)/([A-Za-z0-9][\w.-]*/[\w.-]+?)(?:\.git)?/?$`)

// ggufLineage adds the base models a GGUF header names by Hub address
// (general.base_model.N.repo_url), for cards that declare none: llama.cpp's converter writes
// them from the source model's card, so a quantization keeps its lineage even when its own card
// is bare.
func (v *view) ggufLineage(relation string) {
	seen := map[string]bool{}
	for _, f := range v.files {
		h := v.headers[f.Path]
		if h == nil || h.Format != artifact.FormatGGUF {
			continue
		}
		for i, b := range h.BaseModels {
			m := hubRepoRe.FindStringSubmatch(strings.TrimSpace(b.RepoURL))
			if m == nil || strings.HasPrefix(m[1], "datasets/") || strings.HasPrefix(m[1], "spaces/") || seen[strings.ToLower(m[1])] {
				continue
			}
			id := m[1]
			seen[strings.ToLower(id)] = true
			loc := fmt.Sprintf("%s#general.base_model.%d.repo_url", f.Path, i)
			p := Parent{Ref: "hf:" + id, Relation: relation, Source: "gguf", Evidence: []string{v.ev.add("header", loc, f.SHA256, b.RepoURL)}}
			v.baseTerms(&p, id)
			v.facts.Lineage = append(v.facts.Lineage, p)
		}
	}
}

// baseTerms fills in the terms of base model id: from the base's own card when the source read
// its release (the Hub does), else from the table of well-known bases.
func (v *view) baseTerms(p *Parent, id string) {
	if e, loc, ok := v.relatedLicence(v.rel.Parents, id); ok {
		p.setTerms(e, v.ev.add("card", loc, "", "license: "+e.ID))
		v.parentData(p, id)
	} else if e, ok := v.cat.KnownBase(id); ok {
		p.setTerms(e, v.ev.add("catalogue", "bases:"+strings.ToLower(id), "", id+" is released under "+e.Name))
	}
}

// setTerms records the catalogue entry a base is released under and the evidence for it.
func (p *Parent) setTerms(e *license.Entry, ev string) {
	p.License, p.Key, p.Open = e.ID, e.Key, e.Open()
	p.Restrictions, p.RestrictionTerms = e.Restrictions(), e.RestrictionTerms()
	p.Evidence = append(p.Evidence, ev)
}

// proseLineage adds the model families the prose says the release derives from ("based on
// Llama 2, it is also subject to the Llama 2 license"), when no declared base has known terms:
// a card without base_model, or whose base is a repository nobody has catalogued.
func (v *view) proseLineage() {
	for _, p := range v.facts.Lineage {
		if p.License != "" {
			return
		}
	}
	seen := map[string]bool{}
	// Only sentences about this release count (card.ReleaseBases); a "Base model: org/name"
	// line names a repository.
	for _, pb := range v.card.ReleaseBases(v.releaseNames()...) {
		e, ok := v.cat.KnownFamily(pb.Name)
		if !ok && strings.Contains(pb.Name, "/") {
			e, ok = v.cat.KnownBase(pb.Name)
		}
		if !ok || seen[e.Key] {
			continue
		}
		seen[e.Key] = true
		p := Parent{Ref: pb.Name, Relation: "derived", Source: "prose", Evidence: []string{v.cardLine(pb.Line, pb.Excerpt)}}
		p.setTerms(e, v.ev.add("catalogue", "families:"+strings.ToLower(pb.Name), "", pb.Name+" is released under "+e.Name))
		v.facts.Lineage = append(v.facts.Lineage, p)
	}
}

// releaseNames are the names the release goes by, for the card to tell sentences and papers
// about it from those about other models.
func (v *view) releaseNames() []string {
	names := []string{v.rel.Name}
	if v.rel.Hub != nil {
		names = append(names, v.rel.Hub.ID)
	}
	return names
}

// datasets records the training datasets the card names.
func (v *view) datasets() {
	for _, d := range v.card.Datasets {
		ev := v.cardField("datasets", d)
		ref := d
		if !strings.Contains(d, "://") {
			ref = "hf:datasets/" + strings.TrimPrefix(d, "datasets/")
		}
		ds := Dataset{Ref: ref, Evidence: []string{ev}}
		if e, loc, ok := v.relatedLicence(v.rel.Datasets, d); ok {
			ds.License, ds.Open = e.ID, e.Open()
			ds.Evidence = append(ds.Evidence, v.ev.add("card", loc, "", "license: "+e.ID))
		}
		v.facts.Datasets = append(v.facts.Datasets, ds)
	}
}

// claims records where the release calls itself open source.
func (v *view) claims() {
	for _, c := range v.card.Claims {
		v.facts.Claims = append(v.facts.Claims, Claim{Kind: c.Kind, Evidence: []string{v.cardLine(c.Line, c.Excerpt)}})
	}
}

// weights works out the terms on the final parameters: the narrowest licences that cover weights,
// any use policy, and the terms inherited from base models.
func (v *view) weights() {
	defer v.artifactTerms()
	w := &v.facts.Weights
	final := v.finalParameters()
	w.Present = len(final) > 0
	w.Licenses, w.Restrictions, w.RestrictionTerms, w.Evidence = []string{}, []string{}, []string{}, []string{}
	// The terms are those of the first final weights file, as for the component, so that a
	// licence in the weights' own folder counts.
	at := ""
	if len(final) > 0 {
		at = final[0].path
	}
	covering := v.licensesFor(ScopeWeights, at)
	w.Known = len(covering) > 0
	w.Open, w.OSIApproved = w.Known, w.Known
	for _, l := range covering {
		w.Licenses = appendUnique(w.Licenses, l.Expression)
		w.addRestrictions(l.Restrictions, l.RestrictionTerms, "")
		w.Evidence = appendUnique(w.Evidence, l.Evidence...)
		w.Open = w.Open && l.Open
		w.OSIApproved = w.OSIApproved && l.OSIApproved
		w.Known = w.Known && l.Known
	}
	for _, l := range v.facts.Licenses {
		if l.Scope == ScopePolicy {
			w.addRestrictions(l.Restrictions, l.RestrictionTerms, "")
			w.Evidence = appendUnique(w.Evidence, l.Evidence...)
			w.Open, w.OSIApproved = false, false
		}
	}
	for _, p := range v.facts.Lineage {
		if p.License == "" || p.Open {
			continue
		}
		// A derivative carries its base's terms whatever its own card says.
		w.Licenses = appendUnique(w.Licenses, p.License)
		w.addRestrictions(p.Restrictions, p.RestrictionTerms, strings.TrimPrefix(p.Ref, "hf:"))
		w.Evidence = appendUnique(w.Evidence, p.Evidence...)
		w.Open, w.OSIApproved = false, false
		w.Known = true
	}
}

// addRestrictions adds restriction texts with their term names (names[i] is the term of
// texts[i]), each once. An inherited restriction (from is the base) that the release's own terms
// already state is not repeated; otherwise its text says where it comes from.
func (w *Weights) addRestrictions(texts, names []string, from string) {
	for i, text := range texts {
		if from != "" {
			if slices.Contains(w.Restrictions, text) {
				continue // the release's own terms already say it
			}
			text += " (inherited from " + from + ")"
		}
		if slices.Contains(w.Restrictions, text) {
			continue
		}
		name := ""
		if i < len(names) {
			name = names[i]
		}
		w.Restrictions = append(w.Restrictions, text)
		w.RestrictionTerms = append(w.RestrictionTerms, name)
	}
}

// consistency compares what the card, the licence files, headers and the lineage say.
func (v *view) consistency() {
	var declared []License
	var files []License
	for _, l := range v.facts.Licenses {
		switch {
		case l.Source == "card":
			declared = append(declared, l)
		case l.Source == "file" && l.Path == "" && (l.Scope == ScopeRelease || l.Scope == ScopeWeights):
			files = append(files, l)
		case l.Source == "gguf", l.Source == "prose":
			files = append(files, l)
		}
	}
	// Each other statement of the release's terms must agree with one the card declares.
	for _, f := range files {
		if !f.Known || len(declared) == 0 {
			continue
		}
		agrees, names, ev := false, []string{}, []string{}
		for _, d := range declared {
			agrees = agrees || !d.Known || sameFamily(d, f)
			names = append(names, d.Expression)
			ev = append(ev, d.Evidence...)
		}
		if !agrees {
			v.finding("license-mismatch", Medium, "the card declares "+strings.Join(names, " and ")+" but "+describeSource(f)+" "+f.Expression, append(ev, f.Evidence...)...)
		}
	}
	if len(declared) == 0 {
		v.proseAgainstFiles(files)
	}
	v.unidentifiedOther(declared)
	// The release's own declaration is its card; without one, its root licence file speaks.
	own, who := declared, "the card declares "
	if len(own) == 0 {
		for _, f := range files {
			if f.Source == "file" {
				own = append(own, f)
			}
		}
		who = "the licence file declares "
	}
	for _, p := range v.facts.Lineage {
		if p.License == "" {
			continue
		}
		if p.Open {
			v.relabelled(own, who, p)
			continue
		}
		for _, d := range own {
			if d.Key == p.Key || (d.Known && !d.Open && familyOf(d.Key) == familyOf(p.Key)) {
				continue
			}
			v.finding("license-conflict", High, who+d.Expression+" but the base model "+strings.TrimPrefix(p.Ref, "hf:")+" is under "+p.License+" ("+strings.Join(p.Restrictions, ", ")+"); a derivative inherits its base's terms", append(append([]string{}, d.Evidence...), p.Evidence...)...)
		}
	}
	w := v.facts.Weights
	if w.Present && !w.Known && len(v.facts.Licenses) == 0 && !v.readFailed() {
		v.finding("license-missing", Medium, "no licence found for the weights: no card license field and no LICENSE file", v.facts.Component(10).Evidence...)
	}
	if len(v.facts.Claims) > 0 && w.Known && !w.Open {
		ev := append([]string{}, v.facts.Claims[0].Evidence...)
		ev = append(ev, w.Evidence...)
		v.finding("openwashing", Medium, "the release calls itself open source but its weights terms are not an Open Source licence ("+strings.Join(w.Restrictions, ", ")+")", ev...)
	}
	v.gatedFinding()
}

// gatedFinding says when downloads need accepted terms (the card's gate fields or the Hub's
// gated flag) and, when files could not be read for it, how to get access.
func (v *view) gatedFinding() {
	hubGate := ""
	if v.rel.Hub != nil {
		hubGate = v.rel.Hub.Gated
	}
	var unread []string
	for _, f := range v.rel.Files {
		if f.Gated {
			unread = append(unread, f.Path)
		}
	}
	if len(v.card.GatedFields) == 0 && !v.card.Gated && hubGate == "" && len(unread) == 0 {
		return
	}
	msg := "downloads are gated behind a click-through form"
	if hubGate == "manual" {
		msg = "downloads need the provider's approval of each request (manual gate)"
	}
	var ev []string
	if len(v.card.GatedFields) > 0 || v.card.Gated {
		ev = append(ev, v.cardField(firstGateKey(v), ""))
	}
	if hubGate != "" {
		ev = append(ev, v.ev.add("hub", "hf:"+v.rel.Hub.ID+"#gated", "", "gated: "+hubGate))
	}
	if len(unread) > 0 {
		msg += fmt.Sprintf("; %d files could not be read (%s): accept the terms on the repository's page, then set HF_TOKEN to a token of that account", len(unread), strings.Join(firstN(unread, 3), ", "))
	}
	v.finding("gated", Info, msg, ev...)
}

func firstN(s []string, n int) []string {
	if len(s) > n {
		return append(append([]string{}, s[:n]...), fmt.Sprintf("and %d more", len(s)-n))
	}
	return s
}

// relabelled flags a derivative of an openly licensed base declared under terms with fewer
// conditions than the base's (MIT on an Apache-2.0 base drops the notice and patent terms;
// anything permissive on a copyleft base drops copyleft): the base's licence does not allow
// its work to be relicensed that way.
func (v *view) relabelled(own []License, who string, p Parent) {
	base, ok := conditionRank(p.Key)
	if !ok {
		return
	}
	for _, d := range own {
		r, ok := conditionRank(d.Key)
		if !ok || !d.Open || d.Key == p.Key || r >= base {
			continue
		}
		v.finding("license-conflict", Medium, who+d.Expression+" but the base model "+strings.TrimPrefix(p.Ref, "hf:")+" is under "+p.License+", whose conditions a derivative must keep; its work cannot be relabelled with fewer conditions", append(append([]string{}, d.Evidence...), p.Evidence...)...)
	}
}

// conditionRank orders open licences by the conditions they put on redistribution: 0 none
// (public domain dedications), 1 notice, 2 notice plus change and patent terms, 3 weak or
// share-alike copyleft, 4 strong copyleft. Keys outside the table give false.
func conditionRank(key string) (int, bool) {
	k := strings.ToLower(key)
	switch {
	case k == "cc0-1.0" || k == "unlicense" || k == "wtfpl" || k == "0bsd" || k == "mit-0":
		return 0, true
	case k == "mit" || strings.HasPrefix(k, "bsd-") || k == "isc" || k == "zlib" || k == "bsl-1.0":
		return 1, true
	case k == "apache-2.0" || strings.HasPrefix(k, "cc-by-") && !strings.Contains(k, "-sa-") && !strings.Contains(k, "-nc") && !strings.Contains(k, "-nd"):
		return 2, true
	case k == "mpl-2.0" || strings.HasPrefix(k, "lgpl-") || strings.HasPrefix(k, "cc-by-sa-") || k == "odbl-1.0" || strings.HasPrefix(k, "epl-"):
		return 3, true
	case strings.HasPrefix(k, "gpl-") || strings.HasPrefix(k, "agpl-"):
		return 4, true
	}
	return 0, false
}

func firstGateKey(v *view) string {
	for _, k := range []string{"extra_gated_prompt", "extra_gated_fields", "extra_gated_heading", "gated"} {
		if _, ok := v.card.FieldLines[k]; ok {
			return k
		}
	}
	return "extra_gated_prompt"
}

func describeSource(l License) string {
	switch l.Source {
	case "gguf":
		return "the GGUF header says"
	case "prose":
		return "the card's text says"
	}
	return "the licence file is"
}

// unidentifiedOther flags `license: other` when neither license_name, license_link nor any
// licence file names terms glassbox can identify: the release's terms are then unknowable.
func (v *view) unidentifiedOther(declared []License) {
	for _, d := range declared {
		if !strings.EqualFold(d.HubID, "other") || d.Known {
			continue
		}
		for _, l := range v.facts.Licenses {
			if l.Source != "card" && l.Known && l.Scope != ScopeCode && l.Scope != ScopePolicy {
				return
			}
		}
		v.finding("license-missing", Medium, "the card says license: other but neither its license_name, its license_link nor a licence file names terms glassbox can identify", d.Evidence...)
	}
}

func sameFamily(a, b License) bool {
	if a.Expression == b.Expression {
		return true
	}
	return a.Key != "" && familyOf(a.Key) == familyOf(b.Key) && !a.Open && !b.Open
}

// familyOf folds versioned keys of one licence family ("llama3.1" → "llama").
func familyOf(key string) string {
	return strings.TrimRight(key, "0123456789.-")
}

// parentData records what the base's own release, read from the Hub, says of its training
// data (the datasets its card names, with the licences their cards declare) and whether its
// downloads are gated, so the OSAI index can judge the base model's parameters.
func (v *view) parentData(p *Parent, id string) {
	r := related(v.rel.Parents, id)
	if r == nil {
		return
	}
	if r.Hub != nil {
		p.Gated = r.Hub.Gated
	}
	c := v.relatedCard(r)
	if c == nil {
		return
	}
	p.DataRead = true
	for _, d := range c.Datasets {
		ds := Dataset{Ref: "hf:datasets/" + strings.TrimPrefix(d, "datasets/"), Evidence: []string{v.ev.add("card", "hf:"+r.Hub.ID+"/README.md:"+itoa(c.FieldLines["datasets"]), "", "datasets: "+d)}}
		if strings.Contains(d, "://") {
			ds.Ref = d
		}
		if e, loc, ok := v.relatedLicence(r.Datasets, d); ok {
			ds.License = e.ID
			ds.Open = e.Open()
			ds.Evidence = append(ds.Evidence, v.ev.add("card", loc, "", "license: "+e.ID))
		}
		p.Datasets = append(p.Datasets, ds)
	}
}

// relatedCard parses the card of a release read alongside this one, once; nil when it has none.
func (v *view) relatedCard(r *release.Release) *card.Card {
	if c, ok := v.related[r]; ok {
		return c
	}
	var c *card.Card
	if t, ok := r.Text("README.md"); ok {
		c = card.ParseWith("README.md", []byte(t.Content), card.Options{Truncated: t.Truncated})
	}
	if v.related == nil {
		v.related = map[*release.Release]*card.Card{}
	}
	v.related[r] = c
	return c
}

// related finds the release with Hub id id among rels, or nil.
func related(rels []*release.Release, id string) *release.Release {
	id = strings.ToLower(strings.TrimPrefix(strings.TrimPrefix(id, "hf:"), "datasets/"))
	for _, r := range rels {
		if r != nil && r.Hub != nil && strings.ToLower(r.Hub.ID) == id {
			return r
		}
	}
	return nil
}

// relatedLicence finds, among releases read alongside this one (base models, datasets), the one
// with Hub id id, and the licence its own card declares. loc names the card field for evidence.
func (v *view) relatedLicence(rels []*release.Release, id string) (e *license.Entry, loc string, ok bool) {
	if r := related(rels, id); r != nil {
		c := v.relatedCard(r)
		if c == nil {
			return nil, "", false
		}
		for _, l := range c.License {
			if strings.EqualFold(l, "other") && c.LicenseName != "" {
				l = c.LicenseName
			}
			if e, ok := v.cat.Hub(l); ok {
				return e, "hf:" + r.Hub.ID + "/README.md:" + itoa(c.FieldLines["license"]), true
			}
			if e, ok := v.cat.Lookup(l); ok {
				return e, "hf:" + r.Hub.ID + "/README.md:" + itoa(c.FieldLines["license"]), true
			}
		}
		return nil, "", false
	}
	return nil, "", false
}

// artifactTerms records, for each weights file of the model, which licences cover it and why:
// the report shows per file what applies, so a folder of model licences or a code licence beside
// the weights is visible rather than folded into one expression.
func (v *view) artifactTerms() {
	for i := range v.facts.Artifacts {
		a := &v.facts.Artifacts[i]
		if a.Auxiliary {
			continue
		}
		for _, l := range v.licensesFor(ScopeWeights, a.Path) {
			a.Terms = appendUnique(a.Terms, l.Expression)
			a.TermsWhy = appendUnique(a.TermsWhy, l.Expression+": "+coverWhy(l))
		}
		for _, p := range v.facts.Lineage {
			if p.License != "" && !p.Open {
				a.Terms = appendUnique(a.Terms, p.License)
				a.TermsWhy = appendUnique(a.TermsWhy, p.License+": inherited from the base model "+strings.TrimPrefix(p.Ref, "hf:"))
			}
		}
	}
}

// coverWhy says why a licence covers a weights file.
func coverWhy(l License) string {
	switch {
	case l.Model != "":
		return "a model licence that names this file's model (" + l.Model + ")"
	case l.Source == "card":
		return "the card's license field"
	case l.Source == "prose" && l.Scope == ScopeWeights:
		return "a sentence in the card that licenses the weights"
	case l.Source == "prose":
		return "the card's prose, with no formal licence to say otherwise"
	case l.Source == "gguf":
		return "the GGUF header's general.license"
	case l.Path != "":
		return "a licence file in " + l.Path + "/"
	case l.Scope == ScopeWeights:
		return "a licence file for the model weights"
	}
	return "the release's licence file, which covers every file no narrower licence does"
}

// proseAgainstFiles flags a card that names its licence only in its prose when the licence file
// says otherwise: with no license field, the prose is the card's declaration.
func (v *view) proseAgainstFiles(stated []License) {
	var prose, files []License
	for _, l := range stated {
		switch {
		case !l.Known:
		case l.Source == "prose" && l.Scope == ScopeRelease:
			// A sentence about the weights or the code alone does not contradict a licence
			// file that covers the rest.
			prose = append(prose, l)
		case l.Source == "file":
			files = append(files, l)
		}
	}
	for _, p := range prose {
		for _, f := range files {
			if sameFamily(p, f) {
				continue
			}
			v.finding("license-mismatch", Medium, "the card's text says "+p.Expression+" but the licence file is "+f.Expression, append(append([]string{}, p.Evidence...), f.Evidence...)...)
		}
	}
}
