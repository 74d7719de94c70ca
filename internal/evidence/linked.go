package evidence

import (
	"path"
	"strings"

	"github.com/glassbox-dev/glassbox/internal/component"
	"github.com/glassbox-dev/glassbox/internal/lazyre"
	"github.com/glassbox-dev/glassbox/internal/links"
	"github.com/glassbox-dev/glassbox/internal/release"
)

// LinkedRepo is a code repository the card links to, as the report shows it: what it was
// credited with and under which licence, or why it was not read.
type LinkedRepo struct {
	// Repo is "github.com/ORG/REPO"; Revision the commit it was read at.
	Repo     string `json:"repo"`
	Revision string `json:"revision,omitempty"`
	// Roles are the card's words for it; Credited the MOF components it was credited to.
	Roles    []string `json:"roles,omitempty"`
	Credited []string `json:"credited,omitempty"`
	// License is identified from the repository's own licence text ("" when none was found);
	// LicenseHint is what the host guessed.
	License     string `json:"license,omitempty"`
	Open        bool   `json:"open"`
	LicenseHint string `json:"license_hint,omitempty"`
	Read        bool   `json:"read"`
	Unread      string `json:"unread,omitempty"`
	// Complete is false when the tree was truncated or cut.
	Complete bool     `json:"complete"`
	Evidence []string `json:"evidence"`
}

// roleComponent maps a link role to the MOF component it credits and the paths that show it.
var roleComponent = []struct {
	role string
	id   component.ID
	re   *lazyre.Regexp
	code bool // only source files count
}{
	{links.Training, component.TrainingCode, trainingRe, true},
	{links.Evaluation, component.EvaluationCode, evalCodeRe, true},
	{links.DataProcessing, component.DataPreprocessingCode, preprocessRe, true},
	{links.Inference, component.InferenceCode, inferenceRe, true},
	{links.Architecture, component.ModelArchitecture, archRe, true},
	{links.Libraries, component.SupportingLibraries, supportRe, false},
}

// linkedDatasets adds the Hugging Face datasets the prose links to, once the source has read
// them (or recorded them as unreadable) alongside the release: a link nobody followed is left
// to the card's datasets field.
func (v *view) linkedDatasets() {
	for _, d := range links.Extract(v.card).Datasets {
		ref := "hf:datasets/" + d.ID
		if !followed(v.rel.Datasets, ref) || hasDataset(v.facts.Datasets, ref) {
			continue
		}
		ds := Dataset{Ref: ref, Evidence: []string{v.cardLine(d.Line, d.URL)}}
		if e, loc, ok := v.relatedLicence(v.rel.Datasets, d.ID); ok {
			ds.License, ds.Open = e.ID, e.Open()
			ds.Evidence = append(ds.Evidence, v.ev.add("card", loc, "", "license: "+e.ID))
		}
		v.facts.Datasets = append(v.facts.Datasets, ds)
	}
}

func followed(rels []*release.Release, ref string) bool {
	for _, r := range rels {
		if r != nil && strings.EqualFold(r.Target, ref) {
			return true
		}
	}
	return false
}

func hasDataset(ds []Dataset, ref string) bool {
	for _, d := range ds {
		if strings.EqualFold(d.Ref, ref) {
			return true
		}
	}
	return false
}

// linkedCode credits the linked repositories to MOF code components: the roles the card gives
// a repository, or, when it only calls it the release's code, the roles its tree shows. A
// repository whose licence text names no licence is "code found, licence unknown", never open.
// A repository that could not be read leaves the components it would have settled unknown.
func (v *view) linkedCode() {
	for _, l := range v.rel.Linked {
		if l == nil {
			continue
		}
		lr := LinkedRepo{Repo: l.Repo, Roles: l.Roles, LicenseHint: l.LicenseHint, Unread: l.Unread, Evidence: []string{}}
		where := v.ev.add("file", l.Where, v.sha(v.cardPath), l.URL)
		lr.Evidence = append(lr.Evidence, where)
		if l.Release == nil {
			v.unreadLink(l, where)
		} else {
			v.creditLinked(l, &lr)
		}
		v.facts.Linked = append(v.facts.Linked, lr)
	}
}

// creditLinked credits one read repository.
func (v *view) creditLinked(l *release.Linked, lr *LinkedRepo) {
	r := l.Release
	lr.Read, lr.Revision, lr.Complete = true, r.Revision, r.Complete
	ls := v.linkedLicenses(l)
	lr.License, lr.Open = joinLicenses(ls)
	var licEv []string
	for _, x := range ls {
		licEv = append(licEv, x.Evidence...)
	}
	lr.Evidence = append(lr.Evidence, licEv...)
	hasCode := false
	for _, f := range r.Files {
		hasCode = hasCode || codeExtRe.MatchString(f.Path) && under(f.Path, l.Path)
	}
	for _, rc := range roleComponent {
		var ev, paths []string
		if creditable(l.Roles, rc.role) {
			ev, paths = v.linkedHits(l, rc.re, rc.code)
		}
		switch {
		case len(ev) > 0:
		case containsStr(l.Roles, rc.role) && hasCode:
			// The card says what the repository holds; its file names may not show it.
			ev, paths = []string{v.ev.add("inventory", l.Repo+"@"+r.Revision, "", l.Context)}, nil
		default:
			continue
		}
		v.credit(rc.id, l, ev, paths, lr.License, lr.Open, licEv)
		lr.Credited = append(lr.Credited, rc.id.Name())
	}
	if !r.Complete {
		// What a cut tree did not show may be in the part not listed.
		v.leaveUnknown(l, lr.Evidence[0], "linked "+l.Repo+" listed only in part (tree truncated)")
	}
}

// creditable says whether a tree sighting of role counts, given the card's roles: all of them
// when the card only calls the repository code, else the roles it names, with project files
// anywhere, model code beside training or inference code, and data pipelines beside training
// code (where they usually live). An evaluation harness is never credited with training.
func creditable(roles []string, role string) bool {
	switch {
	case len(roles) == 0 || containsStr(roles, role) || role == links.Libraries:
		return true
	case role == links.Architecture:
		return containsStr(roles, links.Training) || containsStr(roles, links.Inference)
	case role == links.DataProcessing:
		return containsStr(roles, links.Training)
	}
	return false
}

// linkedHits records up to 8 files of the linked tree (under its linked folder) matching re,
// each as evidence "github.com/ORG/REPO@SHA:PATH".
func (v *view) linkedHits(l *release.Linked, re *lazyre.Regexp, code bool) (ev, paths []string) {
	for _, f := range l.Release.Files {
		if len(ev) == 8 {
			break
		}
		if under(f.Path, l.Path) && re.MatchString(f.Path) && (!code || codeExtRe.MatchString(f.Path)) {
			ev = append(ev, v.ev.add("inventory", l.Repo+"@"+l.Release.Revision+":"+f.Path, f.SHA256, ""))
			paths = append(paths, f.Path)
		}
	}
	return ev, paths
}

// credit puts a linked repository's sighting on component id: it fills a component the release
// lacks or holds only under terms that are not open, and adds to one it already holds openly.
func (v *view) credit(id component.ID, l *release.Linked, ev, paths []string, lic string, open bool, licEv []string) {
	c := v.component(id)
	var locs []string
	for _, p := range paths {
		locs = append(locs, l.Repo+"@"+short(l.Release.Revision)+":"+p)
	}
	if len(locs) == 0 {
		locs = []string{l.Repo + "@" + short(l.Release.Revision)}
	}
	note := "in linked repository " + l.Repo + "@" + short(l.Release.Revision)
	if len(paths) > 0 {
		note += " (" + strings.Join(paths[:min(2, len(paths))], ", ") + ")"
	}
	if lic == "" {
		note += ": code found, licence unknown"
	}
	if c.Status == Present && (c.Open || !open) {
		c.Locations = append(c.Locations, locs...)
		c.Evidence = appendUnique(c.Evidence, ev...)
		return
	}
	c.Status, c.Locations, c.License, c.Open, c.Note = Present, locs, lic, open && lic != "", note
	c.Evidence = appendUnique(append([]string{}, ev...), licEv...)
}

// unreadLink leaves unknown the components an unread repository could have settled: the roles
// the card names, else every code component a code repository usually holds.
func (v *view) unreadLink(l *release.Linked, where string) {
	v.leaveUnknown(l, where, "linked "+l.Repo+" not read: "+l.Unread)
}

// leaveUnknown turns the absent components l could hold into unknown ones, saying why.
func (v *view) leaveUnknown(l *release.Linked, where, why string) {
	roles := l.Roles
	if len(roles) == 0 {
		roles = []string{links.Training, links.Evaluation, links.DataProcessing}
	}
	for _, rc := range roleComponent {
		if !containsStr(roles, rc.role) {
			continue
		}
		if c := v.component(rc.id); c.Status == Absent {
			c.Status = Unknown
			c.Note = why
			c.Evidence = appendUnique(c.Evidence, where)
		}
	}
}

// linkedLicenses identifies the licence texts at the root of a linked repository (and in its
// linked folder) with glassbox's own identifier; the host's guess is never used alone.
func (v *view) linkedLicenses(l *release.Linked) []License {
	var out []License
	for _, t := range l.Release.Texts {
		dir := path.Dir(t.Path)
		if scope, ok := fileScope(t.Path); !ok || scope == ScopeWeights || scope == ScopeData || (dir != "." && dir != l.Path) {
			continue
		}
		for _, m := range v.cat.Identify(t.Content) {
			loc := l.Repo + "@" + l.Release.Revision + ":" + t.Path + ":" + itoa(m.Lines[0]) + "-" + itoa(m.Lines[1])
			f, _ := l.Release.File(t.Path)
			ev := v.ev.add("file", loc, f.SHA256, lineOf(t.Content, m.Lines[0]))
			lic := License{Scope: ScopeCode, Source: "linked", Evidence: []string{ev}}
			if e, ok := v.cat.ByID(m.ID); ok {
				out = append(out, fromEntry(e, lic))
			} else {
				out = append(out, v.fromExpression(m.ID, lic))
			}
		}
	}
	return out
}

// component returns a pointer to the component with id in the facts.
func (v *view) component(id component.ID) *Component {
	for i := range v.facts.Components {
		if v.facts.Components[i].ID == id {
			return &v.facts.Components[i]
		}
	}
	info, _ := component.Lookup(id)
	v.facts.Components = append(v.facts.Components, Component{ID: id, Name: info.Name, Type: string(info.Type), Status: Unknown, Evidence: []string{}})
	return &v.facts.Components[len(v.facts.Components)-1]
}

func under(p, folder string) bool {
	return folder == "" || p == folder || strings.HasPrefix(p, folder+"/")
}

func short(sha string) string { return sha[:min(7, len(sha))] }

func containsStr(s []string, x string) bool {
	for _, e := range s {
		if e == x {
			return true
		}
	}
	return false
}

func lineOf(s string, n int) string {
	lines := strings.SplitN(s, "\n", n+1)
	if n < 1 || n > len(lines) {
		return ""
	}
	return strings.TrimSpace(lines[n-1])
}
