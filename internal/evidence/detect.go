package evidence

import (
	_ "embed"
	"encoding/json"
	"path"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/glassbox-dev/glassbox/internal/artifact"
	"github.com/glassbox-dev/glassbox/internal/card"
	"github.com/glassbox-dev/glassbox/internal/lazyre"
	"github.com/glassbox-dev/glassbox/internal/license"
	"github.com/glassbox-dev/glassbox/internal/release"
)

// view is the read-only state detectors share: the release, its parsed card and files, and the
// ledger that numbers evidence.
type view struct {
	rel      *release.Release
	cat      *license.Catalogue
	card     *card.Card
	cardPath string
	files    []release.File
	headers  map[string]*artifact.Facts
	config   map[string]any
	ev       ledger
	facts    *Facts
	// identified maps the expression of each SPDX-License-Identifier licence to the files
	// whose lines declare it.
	identified map[string]map[string]bool
	// related caches the cards of releases read alongside this one (bases, datasets).
	related map[*release.Release]*card.Card
	// malformed holds the weights files that are not weights (malformedWeights).
	malformed map[string]bool
}

// Detect runs every detector over a release. cat is the licence catalogue (license.Default() in
// the binary).
func Detect(rel *release.Release, cat *license.Catalogue) *Facts {
	v := &view{rel: rel, cat: cat, files: rel.Files, headers: map[string]*artifact.Facts{}}
	v.facts = &Facts{
		Name: rel.Name, Target: rel.Target, Revision: rel.Revision, Complete: rel.Complete, MetadataOnly: rel.Metadata,
		FilesSeen: len(rel.Files), Licenses: []License{}, Datasets: []Dataset{}, Lineage: []Parent{},
		Artifacts: []Artifact{}, Claims: []Claim{}, Findings: []Finding{},
	}
	v.loadCard()
	v.facts.Task = v.card.PipelineTag
	v.loadHeaders()
	v.loadConfig()
	v.artifacts()
	v.library()
	v.licenses()
	v.lineage()
	v.datasets()
	v.linkedDatasets()
	v.weights()
	v.facts.DataInfo = v.dataInfo()
	v.components()
	v.linkedCode()
	v.claims()
	v.consistency()
	v.incompleteRead()
	v.docs()
	v.euAIAct()
	v.facts.Evidence = v.ev.items
	if v.facts.Evidence == nil {
		v.facts.Evidence = []Evidence{}
	}
	sort.SliceStable(v.facts.Findings, func(i, j int) bool {
		return severityRank(v.facts.Findings[i].Severity) < severityRank(v.facts.Findings[j].Severity)
	})
	return v.facts
}

func severityRank(s string) int {
	switch s {
	case High:
		return 0
	case Medium:
		return 1
	case Low:
		return 2
	}
	return 3
}

// cardNames are the files that hold a model card, most specific first.
var cardNames = []string{"README.md", "MODEL_CARD.md", "model_card.md", "ModelCard.md", "README.markdown", "readme.md"}

func (v *view) loadCard() {
	for _, n := range cardNames {
		if t, ok := v.rel.Text(n); ok {
			v.card = card.ParseWith(n, []byte(t.Content), card.Options{Truncated: t.Truncated})
			v.cardPath = n
			v.facts.HasCard = strings.TrimSpace(t.Content) != ""
			for _, p := range v.card.Problems {
				id := v.fileEvidence(n, p.Line, p.Line)
				v.finding("card-unparseable", Low, "model card front matter: "+p.Message, id)
			}
			return
		}
	}
	v.card = card.Parse("", nil)
}

func (v *view) loadHeaders() {
	for _, f := range v.files {
		if len(f.Header) == 0 {
			continue
		}
		var h artifact.Facts
		if json.Unmarshal(f.Header, &h) == nil {
			v.headers[f.Path] = &h
		}
	}
}

func (v *view) loadConfig() {
	if t, ok := v.rel.Text("config.json"); ok {
		_ = json.Unmarshal([]byte(t.Content), &v.config) // a broken config is just not used
	}
}

// cardField records evidence for a front-matter key of the card.
func (v *view) cardField(key, excerpt string) string {
	line := v.card.FieldLines[key]
	loc := v.cardPath
	if line > 0 {
		loc += ":" + itoa(line)
	}
	return v.ev.add("card", loc, v.sha(v.cardPath), key+": "+excerpt)
}

// cardLine records evidence for a line of the card body.
func (v *view) cardLine(line int, excerpt string) string {
	return v.ev.add("file", v.cardPath+":"+itoa(line), v.sha(v.cardPath), excerpt)
}

// fileEvidence records a span of a text file (lines 0 means the whole file).
func (v *view) fileEvidence(p string, from, to int) string {
	loc := p
	excerpt := ""
	if t, ok := v.rel.Text(p); ok {
		lines := strings.Split(t.Content, "\n")
		if from == 0 {
			from, to = 1, len(lines)
			if strings.HasSuffix(t.Content, "\n") {
				to--
			}
		}
		// The excerpt is the first line of the span that says something (not a blank line or
		// a front-matter fence).
		for i := max(from, 1); i <= min(max(to, from), len(lines)) && i <= from+20; i++ {
			if l := strings.TrimSpace(lines[i-1]); l != "" && l != "---" {
				excerpt = l
				break
			}
		}
	}
	if from > 0 {
		loc += ":" + itoa(from)
		if to > from {
			loc += "-" + itoa(to)
		}
	}
	return v.ev.add("file", loc, v.sha(p), excerpt)
}

// inventory records that a file exists, without reading it.
func (v *view) inventory(p string) string {
	f, _ := v.rel.File(p)
	sha := f.SHA256
	if f.LFS != nil {
		sha = f.LFS.OID
	}
	return v.ev.add("inventory", p, sha, "")
}

func (v *view) sha(p string) string {
	f, _ := v.rel.File(p)
	return f.SHA256
}

func (v *view) finding(id, severity, msg string, evidence ...string) {
	v.facts.Findings = append(v.facts.Findings, Finding{ID: id, Severity: severity, Message: msg, Evidence: nonNil(evidence)})
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func itoa(n int) string { return strconv.Itoa(n) }

// ---- artifacts and parameter count

var shardRe = lazyre.New(`-(\d{3,5})-of-(\d{3,5})`)

// intermediateRe matches folders and names of checkpoints saved during training.
var intermediateRe = lazyre.New(`(?i)(^|/)(checkpoints?|ckpts?|intermediate|checkpoint[-_]?\d+|step[-_]?\d+|iter[-_]?\d+|global_step\d+|epoch[-_]?\d+)(/|\.|_|-|$)`)

func (v *view) artifacts() {
	groups := map[string]int64{}
	for _, f := range v.files {
		if !release.IsWeights(f.Path) {
			continue
		}
		a := Artifact{Path: f.Path, Size: f.Size, Safety: "safe", Intermediate: intermediateRe.MatchString(f.Path), Auxiliary: v.auxiliary(f.Path)}
		// Without a header, the format is what the name promises, and only formats that
		// cannot carry code are safe to load unseen.
		byName := artifact.Detect(f.Path, nil)
		unseen := string(artifact.SafetySafe)
		if byName == artifact.FormatUnknown {
			unseen = string(artifact.SafetySuspicious)
		}
		if f.LFS != nil {
			a.Format, a.LFS, a.SHA256, a.Size, a.Safety = "lfs-pointer", true, f.LFS.OID, f.LFS.Size, unseen
			a.Evidence = []string{v.inventory(f.Path)}
		} else if h := v.headers[f.Path]; h != nil {
			a.Format, a.Parameters, a.Error = string(h.Format), h.Parameters, h.Error
			for _, g := range h.Globals {
				if g.Class != artifact.ClassInnocuous {
					a.Globals = append(a.Globals, g)
				}
			}
			if h.Safety != "" {
				a.Safety = string(h.Safety)
			}
			a.Evidence = []string{v.ev.add("header", f.Path, f.SHA256, headerExcerpt(h))}
		} else {
			a.Format, a.Safety = string(byName), unseen
			a.Evidence = []string{v.inventory(f.Path)}
		}
		if a.Safety == "dangerous" {
			v.finding("unsafe-pickle", High, a.Path+" imports code that runs when the file is loaded ("+dangerousImports(a.Globals)+"); do not load it", a.Evidence...)
		}
		if malformed := v.malformedWeights(f, &a); !malformed && !a.Intermediate && !a.Auxiliary && a.Parameters > 0 {
			// Shards of one checkpoint add up; separate files of one format (quantisations,
			// alternative precisions) are each the whole model, so take the largest group.
			key := a.Format + ":" + path.Dir(a.Path) + ":" + shardRe.ReplaceAllString(path.Base(a.Path), "")
			if !shardRe.MatchString(a.Path) {
				key = a.Format + ":" + a.Path
			}
			groups[key] += a.Parameters
		}
		v.checkHash(f, &a)
		v.facts.Artifacts = append(v.facts.Artifacts, a)
	}
	for _, n := range groups {
		v.facts.Parameters = max(v.facts.Parameters, n)
	}
	v.checkIndexes()
	if v.facts.Parameters == 0 {
		if n, ok := v.card.Raw["parameters"].(float64); ok {
			v.facts.Parameters = int64(n)
		}
	}
}

// auxiliaryDirRe matches the folders of helpers that ship beside a model: safety checkers,
// watermark and NSFW detectors.
var auxiliaryDirRe = lazyre.New(`(?i)(^|/)[^/]*(safety[_-]?checker|watermark|nsfw|detection|detector)[^/]*/`)

// auxiliary reports whether the weights file at p belongs to a helper rather than the model: it
// lives in a safety-checker or detector folder, or it is a NumPy array inside a code package (a
// folder that holds source files).
func (v *view) auxiliary(p string) bool {
	if auxiliaryDirRe.MatchString(p) {
		return true
	}
	ext := strings.ToLower(path.Ext(p))
	if ext != ".npz" && ext != ".npy" {
		return false
	}
	dir := path.Dir(p) + "/"
	for _, f := range v.files {
		if strings.HasPrefix(f.Path, dir) && !strings.Contains(f.Path[len(dir):], "/") && codeExtRe.MatchString(f.Path) {
			return true
		}
	}
	return false
}

func headerExcerpt(h *artifact.Facts) string {
	s := string(h.Format)
	if h.Parameters > 0 {
		s += ", " + HumanParams(h.Parameters) + " parameters"
	}
	if h.Error != "" {
		s += ", error: " + h.Error
	}
	return s
}

// HumanParams renders a parameter count the way model names do (7.2B, 350M).
func HumanParams(n int64) string {
	switch {
	case n >= 1e9:
		return trimZero(float64(n)/1e9) + "B"
	case n >= 1e6:
		return trimZero(float64(n)/1e6) + "M"
	case n >= 1e3:
		return trimZero(float64(n)/1e3) + "K"
	}
	return itoa(int(n))
}

func trimZero(f float64) string {
	return strings.TrimSuffix(strconv.FormatFloat(f, 'f', 1, 64), ".0")
}

// ---- deployment library

type libraryRule struct {
	Name         string   `json:"name"`
	License      string   `json:"license"`
	LibraryNames []string `json:"library_names"`
	Files        []string `json:"files"`
	Formats      []string `json:"formats"`
	Config       bool     `json:"config"`
}

func (v *view) library() {
	rules := libraryRules()
	set := func(r libraryRule, why, ev string) {
		v.facts.Library = &Library{Name: r.Name, License: r.License, Why: why, Evidence: []string{ev}}
	}
	if ln := strings.ToLower(v.card.LibraryName); ln != "" {
		for _, r := range rules {
			for _, n := range r.LibraryNames {
				if n == ln {
					set(r, "card library_name is "+v.card.LibraryName, v.cardField("library_name", v.card.LibraryName))
					return
				}
			}
		}
	}
	for _, r := range rules {
		for _, fn := range r.Files {
			if _, ok := v.rel.File(fn); ok {
				set(r, fn+" is "+r.Name+"'s configuration", v.inventory(fn))
				return
			}
		}
	}
	if v.config != nil {
		mt, _ := v.config["model_type"].(string)
		arch, _ := v.config["architectures"].([]any)
		if mt != "" || len(arch) > 0 {
			for _, r := range rules {
				if r.Config {
					what := "model_type " + mt
					if len(arch) > 0 {
						if s, ok := arch[0].(string); ok {
							what = "architectures " + s
						}
					}
					set(r, "config.json names "+what+", implemented by "+r.Name, v.fileEvidence("config.json", 0, 0))
					return
				}
			}
		}
	}
	for _, a := range v.facts.Artifacts {
		for _, r := range rules {
			for _, f := range r.Formats {
				if a.Format == f {
					why := a.Path + " is " + f
					if h := v.headers[a.Path]; h != nil && h.Architecture != "" {
						why += " (architecture " + h.Architecture + ")"
					}
					set(r, why+", run by "+r.Name, a.Evidence[0])
					return
				}
			}
		}
	}
}

//go:embed data/libraries.json
var librariesJSON []byte

var libraryRules = sync.OnceValue(func() []libraryRule {
	var rules []libraryRule
	if err := json.Unmarshal(librariesJSON, &rules); err != nil {
		panic("evidence: embedded libraries.json: " + err.Error())
	}
	return rules
})

// dangerousImports names a pickle's dangerous imports for a finding's message.
func dangerousImports(gs []artifact.Global) string {
	var names []string
	for _, g := range gs {
		if g.Class == artifact.ClassDangerous && len(names) < 4 {
			names = append(names, g.Module+"."+g.Name)
		}
	}
	if len(names) == 0 {
		return "an import it could not trace"
	}
	return strings.Join(names, ", ")
}
