package evidence

import (
	"path"
	"sort"
	"strings"

	"github.com/glassbox-dev/glassbox/internal/lazyre"
	"github.com/glassbox-dev/glassbox/internal/license"
)

// licenceFileRe matches the names licence files go by; the suffix says what they cover.
var licenceFileRe = lazyre.New(`(?i)^(?:(model|weights?|code|data|docs?)[-_ .]?)?(licen[sc]e|copying)(?:[-_ .](.*?))?(?:\.(?:md|txt|rst|markdown))?$`)

// policyFileRe matches acceptable-use and prohibited-use policy files.
var policyFileRe = lazyre.New(`(?i)^(use[-_ ]?policy|acceptable[-_ ]?use[-_ ]?policy|prohibited[-_ ]?use[-_ ]?policy|responsible[-_ ]?use[-_ ]?policy|aup)(\.md|\.txt)?$`)

// scopeWords maps the word in a licence file's name to the component scope it covers.
var scopeWords = map[string]string{
	"model": ScopeWeights, "weights": ScopeWeights, "weight": ScopeWeights, "models": ScopeWeights,
	"code": ScopeCode, "source": ScopeCode, "software": ScopeCode,
	"data": ScopeData, "dataset": ScopeData, "datasets": ScopeData,
	"docs": ScopeDocs, "doc": ScopeDocs, "documentation": ScopeDocs,
}

// fileScope works out what a licence file covers from its name ("LICENSE-MODEL", "CODE_LICENSE")
// and folder (a LICENSE inside model_licenses/ covers weights).
func fileScope(p string) (scope string, ok bool) {
	base := path.Base(p)
	m := licenceFileRe.FindStringSubmatch(base)
	if m == nil {
		return "", false
	}
	scope = ScopeRelease
	for _, w := range []string{m[1], m[3]} {
		if s, ok := scopeWords[strings.ToLower(w)]; ok {
			scope = s
		}
	}
	if scope == ScopeRelease {
		dir := strings.ToLower(path.Dir(p))
		switch {
		case strings.Contains(dir, "model_licen") || strings.Contains(dir, "weights"):
			scope = ScopeWeights
		case m[3] != "" && strings.Contains(strings.ToLower(m[3]), "model"):
			scope = ScopeWeights
		}
	}
	return scope, true
}

func (v *view) addLicense(l License) {
	if l.Restrictions == nil {
		l.Restrictions = []string{}
	}
	if l.RestrictionTerms == nil {
		l.RestrictionTerms = []string{}
	}
	for i, have := range v.facts.Licenses {
		if have.Expression == l.Expression && have.Scope == l.Scope && have.Path == l.Path && have.Source == l.Source {
			v.facts.Licenses[i].Evidence = appendUnique(have.Evidence, l.Evidence...)
			return
		}
	}
	v.facts.Licenses = append(v.facts.Licenses, l)
}

func appendUnique(s []string, more ...string) []string {
	for _, m := range more {
		found := false
		for _, x := range s {
			if x == m {
				found = true
			}
		}
		if !found {
			s = append(s, m)
		}
	}
	return s
}

// fromEntry fills a License from a catalogue entry.
func fromEntry(e *license.Entry, l License) License {
	l.Expression, l.Key, l.Name = e.ID, e.Key, e.Name
	l.OSIApproved, l.Open, l.Known = e.OSI, e.Open(), e.Key != "unknown"
	l.Restrictions, l.RestrictionTerms = e.Restrictions(), e.RestrictionTerms()
	return l
}

// fromExpression fills a License from an SPDX expression.
func (v *view) fromExpression(expr string, l License) License {
	if e, ok := v.cat.Lookup(expr); ok {
		return fromEntry(e, l)
	}
	ev := v.cat.Evaluate(expr)
	l.Expression, l.Open, l.Known = expr, ev.Open, len(ev.IDs) > 0 && len(ev.Unknown) == 0
	l.OSIApproved = ev.Open
	for _, id := range ev.IDs {
		if e, ok := v.cat.ByID(id); ok {
			l.Restrictions = append(l.Restrictions, e.Restrictions()...)
			l.RestrictionTerms = append(l.RestrictionTerms, e.RestrictionTerms()...)
			l.OSIApproved = l.OSIApproved && e.OSI
		}
	}
	return l
}

func (v *view) licenses() {
	v.cardLicenses()
	v.fileLicenses()
	v.identifierLines()
	v.ggufLicenses()
	v.proseLicenses()
}

// licensedUnderRe finds prose that states the release's own licence ("This model is licensed
// under the Apache 2.0 license."), not licences mentioned in passing.
var licensedUnderRe = lazyre.New(`(?i)\b(model|weights?|parameters|this|it|repository|release|checkpoints?|code)\b([^.\n]{0,60}?)\b(?:licen[sc]ed|released|distributed|available|made available)\s+under\s+(?:the\s+)?(?:terms\s+of\s+(?:the\s+)?)?([A-Za-z][A-Za-z0-9 .+\-]{1,60}?)(?:\s+licen[sc]e(?:\s+agreement)?)?(?:[.,;:()\[]|\s+\(|$)`)

// thirdPartyRe matches the lines that introduce notices for bundled third-party components.
var thirdPartyRe = lazyre.New(`(?i)third[- ]party|bundle[sd]?\b|vendored|\bnotices?\b|portions of (this|the)|(includes|contains|incorporates|uses) (software|code|components|the following)|dependenc(y|ies)|derived from|licen[cs]es? (of|for) (other|included|bundled)`)

// fileModelTerms reports whether a licence file covering the whole release or its weights holds
// model terms (Llama, Gemma, OpenRAIL …).
func (v *view) fileModelTerms() bool {
	for _, l := range v.facts.Licenses {
		if l.Source != "file" || (l.Scope != ScopeRelease && l.Scope != ScopeWeights) {
			continue
		}
		if e, ok := v.cat.ByID(l.Expression); ok && e.Kind == license.KindModel {
			return true
		}
	}
	return false
}

// openCodeLicence reports whether id is an open software licence of the catalogue.
func (v *view) openCodeLicence(id string) bool {
	e, ok := v.cat.ByID(id)
	return ok && e.Kind == license.KindCode && e.Open()
}

// thirdPartyNotice reports whether the lines between two licence matches of one file (after
// line `after`, before line `before`) introduce third-party notices.
func thirdPartyNotice(content string, after, before int) bool {
	lines := strings.Split(content, "\n")
	for n := after + 1; n < before && n <= len(lines); n++ {
		if n >= 1 && thirdPartyRe.MatchString(lines[n-1]) {
			return true
		}
	}
	return false
}

// proseWeightsRe and proseCodeRe tell what the subject of a "licensed under" sentence is.
var (
	proseWeightsRe = lazyre.New(`(?i)weight|checkpoint|parameter|differential|delta`)
	proseCodeRe    = lazyre.New(`(?i)\bcode\b|\bsource\b|\bsoftware\b`)
)

// proseScope is what a licence sentence covers, from its subject: "the weight differentials
// are licensed under X" binds the weights (and outranks a code licence beside it), "the code is
// released under Y" binds code, anything else the release.
func proseScope(subject string) string {
	switch {
	case proseWeightsRe.MatchString(subject):
		return ScopeWeights
	case proseCodeRe.MatchString(subject):
		return ScopeCode
	}
	return ScopeRelease
}

// licenceHeadingRe matches the card section where releases state their terms.
var licenceHeadingRe = lazyre.New(`(?i)^licen[sc](e|ing)s?\b|^terms of use`)

// proseLicenses reads the licence the card body states: a "licensed under X" sentence, or a
// link to a known licence URL in the licence section. Prose counts only where nothing more
// formal (card field, licence file) covers the release, and feeds the consistency checks.
func (v *view) proseLicenses() {
	if v.card.Body == "" {
		return
	}
	lines := strings.Split(v.card.Body, "\n")
	inFence := false
	for i, line := range lines {
		if strings.HasPrefix(strings.TrimSpace(line), "```") {
			inFence = !inFence
			continue
		}
		if inFence {
			continue
		}
		for _, m := range licensedUnderRe.FindAllStringSubmatch(line, -1) {
			id, ok := license.Normalize(v.cat, strings.TrimSpace(m[3]))
			if !ok {
				continue
			}
			n := v.card.BodyStartLine + i
			if e, ok := v.cat.ByID(id); ok {
				l := License{Scope: proseScope(m[1] + m[2]), Source: "prose", Evidence: []string{v.cardLine(n, strings.TrimSpace(line))}}
				v.addLicense(fromEntry(e, l))
			}
		}
	}
	for _, h := range v.card.Headings {
		if !licenceHeadingRe.MatchString(strings.TrimSpace(h.Text)) {
			continue
		}
		end := h.Line + len(strings.Split(sectionText(v.card, h), "\n"))
		for _, l := range v.card.Links {
			if l.Code || l.Image || l.Line <= h.Line || l.Line > end {
				continue
			}
			if e, ok := v.cat.Lookup(l.URL); ok {
				v.addLicense(fromEntry(e, License{Scope: ScopeRelease, Source: "prose", Evidence: []string{v.cardLine(l.Line, l.URL)}}))
			}
		}
	}
}

// cardLicenses reads license, license_name and license_link from the card's front matter.
func (v *view) cardLicenses() {
	for _, id := range v.card.License {
		ev := v.cardField("license", id)
		l := License{Scope: ScopeRelease, Source: "card", HubID: id, Evidence: []string{ev}}
		switch strings.ToLower(id) {
		case "other":
			v.addLicense(v.otherLicense(l))
			continue
		}
		if e, ok := v.cat.Hub(id); ok {
			v.addLicense(fromEntry(e, l))
			continue
		}
		if e, ok := v.cat.Lookup(id); ok {
			v.addLicense(fromEntry(e, l))
			continue
		}
		l.Expression = "LicenseRef-" + refName(id)
		v.addLicense(l)
	}
}

// otherLicense resolves `license: other` through license_name and license_link.
func (v *view) otherLicense(l License) License {
	name, link := v.card.LicenseName, v.card.LicenseLink
	if name != "" {
		l.Evidence = append(l.Evidence, v.cardField("license_name", name))
		if e, ok := v.cat.Lookup(name); ok {
			return fromEntry(e, l)
		}
		if id, ok := license.Normalize(v.cat, name); ok {
			if e, ok := v.cat.ByID(id); ok {
				return fromEntry(e, l)
			}
		}
	}
	if link != "" {
		l.Evidence = append(l.Evidence, v.cardField("license_link", link))
		if e, ok := v.cat.Lookup(link); ok {
			return fromEntry(e, l)
		}
	}
	if name != "" {
		l.Expression = "LicenseRef-" + refName(name)
	} else {
		l.Expression = "LicenseRef-other"
	}
	return l
}

var refUnsafe = lazyre.New(`[^A-Za-z0-9.]+`)

// refName turns free text into the idstring of a LicenseRef (letters, digits, '.', '-').
func refName(s string) string {
	s = strings.Trim(refUnsafe.ReplaceAllString(s, "-"), "-")
	if s == "" {
		return "unknown"
	}
	return s
}

// fileLicenses identifies every licence and policy file in the release.
func (v *view) fileLicenses() {
	for _, t := range v.rel.Texts {
		base := path.Base(t.Path)
		dir := path.Dir(t.Path)
		if dir == "." {
			dir = ""
		}
		if policyFileRe.MatchString(base) {
			ev := v.fileEvidence(t.Path, 0, 0)
			l := License{Expression: "LicenseRef-Use-Policy", Name: "use policy (" + t.Path + ")", Scope: ScopePolicy, Path: dir, Source: "file", Known: true, Restrictions: []string{"use policy (" + t.Path + ")"}, RestrictionTerms: []string{"use-policy"}, Evidence: []string{ev}}
			for _, m := range v.cat.Identify(t.Content) {
				if e, ok := v.cat.ByID(m.ID); ok {
					l.Expression, l.Key, l.Name = e.ID, e.Key, e.Name
				}
			}
			v.addLicense(l)
			continue
		}
		scope, ok := fileScope(t.Path)
		if !ok {
			continue
		}
		model, why := "", ""
		if strings.Contains(strings.ToLower(dir), "model_licen") {
			// A folder of model licences holds the terms of the release's weights, not of
			// files inside the folder; each file names the model it is for.
			dir, model = "", licenceModelName(base)
		}
		if scope == ScopeRelease && dir == "" && v.codeRepoWithWeightsTerms() {
			scope, why = ScopeCode, "the licence of a code repository whose weights have terms of their own (the card's license field or a model licence file)"
		}
		matches := v.cat.Identify(t.Content)
		if len(matches) == 0 {
			ev := v.fileEvidence(t.Path, 0, 0)
			v.addLicense(License{Expression: "LicenseRef-" + refName(strings.TrimSuffix(base, path.Ext(base))) + "-unidentified", Name: "unidentified text in " + t.Path, Scope: scope, Path: dir, Model: model, Why: why, Source: "file", Evidence: []string{ev}})
			continue
		}
		notices := false // a third-party notice line came before this match
		for i, m := range matches {
			ev := v.fileEvidence(t.Path, m.Lines[0], m.Lines[1])
			l := License{Scope: scope, Path: dir, Model: model, Why: why, Source: "file", Evidence: []string{ev}}
			notices = notices || i > 0 && thirdPartyNotice(t.Content, matches[i-1].Lines[1], m.Lines[0])
			if notices && v.openCodeLicence(m.ID) {
				// Only open software licences are set aside as bundled components' notices: terms
				// that restrict (or that glassbox cannot read) keep binding, so a notice can never
				// make a release look more open than it is.
				l.Scope, l.Why = ScopeNotice, "a third-party notice appended to "+t.Path+" for components it bundles, not the release's own terms"
			}
			if e, ok := v.cat.ByID(m.ID); ok {
				switch {
				case e.Kind == license.KindPolicy:
					// A use policy appended to a licence binds the weights like a policy file.
					l.Scope = ScopePolicy
				case e.Kind == license.KindModel && l.Scope == ScopeCode && why != "":
					// Model terms in a code repository's LICENSE are about the weights, whatever
					// the card says: they are never set aside as the code's licence.
					l.Scope, l.Why = ScopeRelease, ""
				}
				v.addLicense(fromEntry(e, l))
			} else {
				v.addLicense(v.fromExpression(m.ID, l))
			}
		}
	}
}

// codeExt are the extensions of source files whose SPDX-License-Identifier lines count.
var codeExt = map[string]bool{
	".py": true, ".sh": true, ".rs": true, ".go": true, ".c": true, ".cc": true, ".cpp": true,
	".h": true, ".hpp": true, ".cu": true, ".js": true, ".ts": true, ".jl": true, ".java": true,
	".scala": true, ".lua": true, ".swift": true, ".kt": true, ".r": true, ".ipynb": true,
}

// identifierLines collects SPDX-License-Identifier lines in source files: each distinct
// expression becomes one code-scoped licence citing the files that carry it.
func (v *view) identifierLines() {
	type hit struct {
		files []string
		paths map[string]bool
	}
	byExpr := map[string]*hit{}
	var order []string
	for _, t := range v.rel.Texts {
		if !codeExt[strings.ToLower(path.Ext(t.Path))] || !strings.Contains(t.Content, "SPDX-License-Identifier") {
			continue
		}
		for _, m := range v.cat.Identifiers(t.Content) {
			h := byExpr[m.ID]
			if h == nil {
				h = &hit{paths: map[string]bool{}}
				byExpr[m.ID] = h
				order = append(order, m.ID)
			}
			h.paths[t.Path] = true
			if len(h.files) < 5 {
				h.files = append(h.files, v.fileEvidence(t.Path, m.Lines[0], m.Lines[0]))
			}
		}
	}
	v.identified = map[string]map[string]bool{}
	for _, id := range order {
		l := License{Scope: ScopeCode, Source: "identifier", Evidence: byExpr[id].files}
		if e, ok := v.cat.ByID(id); ok {
			l = fromEntry(e, l)
		} else {
			l = v.fromExpression(id, l)
		}
		// An identifier line speaks for its own file, not for the rest of the code.
		v.identified[l.Expression] = byExpr[id].paths
		v.addLicense(l)
	}
}

// ggufLicenses reads general.license from GGUF headers.
func (v *view) ggufLicenses() {
	paths := make([]string, 0, len(v.headers))
	for p := range v.headers {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for _, p := range paths {
		h := v.headers[p]
		if h.License == "" {
			continue
		}
		ev := v.ev.add("header", p+"#general.license", "", "general.license: "+h.License)
		l := License{Scope: ScopeWeights, Source: "gguf", HubID: h.License, Evidence: []string{ev}}
		// "other" (as the Hub) defers to general.license.name and general.license.link.
		names := []string{h.License}
		if strings.EqualFold(h.License, "other") {
			names = []string{h.LicenseName, h.LicenseLink}
			l.Evidence = append(l.Evidence, v.ev.add("header", p+"#general.license.name", "", "general.license.name: "+h.LicenseName))
		}
		var found *license.Entry
		for _, n := range names {
			if n == "" || found != nil {
				continue
			}
			if e, ok := v.cat.Hub(n); ok {
				found = e
			} else if e, ok := v.cat.Lookup(n); ok {
				found = e
			} else if id, ok := license.Normalize(v.cat, n); ok {
				found, _ = v.cat.ByID(id)
			}
		}
		switch {
		case found != nil:
			v.addLicense(fromEntry(found, l))
		case strings.EqualFold(h.License, "other"):
			l.Expression = "LicenseRef-" + refName(h.LicenseName)
			v.addLicense(l)
		default:
			v.addLicense(v.fromExpression(h.License, l))
		}
	}
}

// licensesFor returns the licences that cover a file of the given scope at path p: the
// narrowest scope wins (a LICENSE-CODE over the release licence), and a licence in a folder
// covers only that folder.
func (v *view) licensesFor(scope, p string) []License {
	var best []License
	bestRank := -2
	named := v.namedFor(p)
	for _, l := range v.facts.Licenses {
		if l.Scope == ScopePolicy {
			continue
		}
		if named && l.Model != "" && !modelMatches(l.Model, p) {
			continue // another model's licence in a folder of model licences
		}
		if l.Scope != scope && l.Scope != ScopeRelease {
			continue
		}
		if l.Path != "" && !strings.HasPrefix(p, l.Path+"/") {
			continue
		}
		if l.Source == "identifier" && !v.identified[l.Expression][p] {
			continue
		}
		rank := 0
		if l.Scope == scope {
			rank += 2
		}
		switch {
		case l.Source == "prose" && l.Scope == ScopeWeights && scope == ScopeWeights && len(v.card.License) == 0 && !v.fileModelTerms():
			// A sentence that licenses the weights by name governs them over a licence file
			// beside it, which is usually the code's; the card's own field still comes first,
			// and model terms in a licence file are never set aside by prose.
			rank = 1
		case l.Source == "prose" && l.Scope == ScopeWeights && scope == ScopeWeights && len(v.card.License) == 0:
			rank = 0 // beside the file's model terms: both bind
		case l.Source == "prose":
			rank = -1 // prose speaks only where nothing formal does
		}
		if l.Path != "" {
			rank += 4
		}
		if l.Source == "identifier" && !strings.HasPrefix(p, "library:") {
			rank++
		}
		switch {
		case rank > bestRank:
			best, bestRank = []License{l}, rank
		case rank == bestRank:
			best = append(best, l)
		}
	}
	return best
}

// joinLicenses renders several licences that all apply as one AND expression.
func joinLicenses(ls []License) (expr string, open bool) {
	if len(ls) == 0 {
		return "", false
	}
	seen := map[string]bool{}
	var parts []string
	open = true
	for _, l := range ls {
		open = open && l.Open
		if seen[l.Expression] {
			continue
		}
		seen[l.Expression] = true
		p := l.Expression
		if strings.Contains(p, " OR ") {
			p = "(" + p + ")"
		}
		parts = append(parts, p)
	}
	return strings.Join(parts, " AND "), open
}

// licenceModelName is the model a licence file in a folder of model licences names
// ("LICENSE-SDXL1.0" → "SDXL1.0"), empty when the name has none.
func licenceModelName(base string) string {
	m := licenceFileRe.FindStringSubmatch(base)
	if m == nil || m[3] == "" {
		return ""
	}
	if _, scopeWord := scopeWords[strings.ToLower(m[3])]; scopeWord {
		return ""
	}
	return m[3]
}

// namedFor reports whether some licence names the model of the weights file at p.
func (v *view) namedFor(p string) bool {
	for _, l := range v.facts.Licenses {
		if l.Model != "" && modelMatches(l.Model, p) {
			return true
		}
	}
	return false
}

var (
	versionDotRe = lazyre.New(`(\d)\.(\d)`)
	nonAlnumRe   = lazyre.New(`[^a-z0-9]+`)
	alnumTokenRe = lazyre.New(`[a-z]+|[0-9]+`)
)

// modelMatches reports whether a weights path names the model: the model name's letter and digit
// runs appear in order in the path's letters and digits ("SDXL1.0" names
// "sd_xl_base_1.0.safetensors", not "sd_xl_turbo.safetensors" nor "svd.safetensors"). Names with
// fewer than three letters and digits match nothing.
func modelMatches(model, p string) bool {
	name := versionDotRe.ReplaceAllString(strings.ToLower(model), "$1$2")
	tokens := alnumTokenRe.FindAllString(name, -1)
	if len(strings.Join(tokens, "")) < 3 {
		return false
	}
	hay := nonAlnumRe.ReplaceAllString(strings.ToLower(p), "")
	for _, t := range tokens {
		i := strings.Index(hay, t)
		if i < 0 {
			return false
		}
		hay = hay[i+len(t):]
	}
	return true
}

// buildFileRe matches the build and packaging files at the root of a code repository.
var buildFileRe = lazyre.New(`(?i)^(setup\.py|setup\.cfg|pyproject\.toml|cmakelists\.txt|makefile|build\.bazel|build|workspace|module\.bazel|cargo\.toml|go\.mod|package\.json|meson\.build|build\.gradle|pom\.xml)$`)

// minRepoCodeFiles is how many source files make a folder a code repository rather than a model
// repository with a few modelling scripts.
const minRepoCodeFiles = 10

// codeRepoWithWeightsTerms reports whether the release is a code repository (build or packaging
// files at its root and at least minRepoCodeFiles source files) whose weights have terms of their
// own (the card's license field, a LICENSE-MODEL or a folder of model licences). Its root LICENSE
// then covers the code, not the weights.
func (v *view) codeRepoWithWeightsTerms() bool {
	build, code := false, 0
	for _, f := range v.files {
		if !strings.Contains(f.Path, "/") && buildFileRe.MatchString(f.Path) {
			build = true
		}
		if codeExtRe.MatchString(f.Path) {
			code++
		}
	}
	if !build || code < minRepoCodeFiles {
		return false
	}
	if len(v.card.License) > 0 {
		return true
	}
	for _, t := range v.rel.Texts {
		if s, ok := fileScope(t.Path); ok && s == ScopeWeights {
			return true
		}
	}
	return false
}
