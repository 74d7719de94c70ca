// Package bom writes AI bills of materials for an audited release: CycloneDX ML-BOM (1.6, 1.7)
// and SPDX 3.0.1 JSON-LD with the AI and Dataset profiles. Both are built from one neutral
// Description of the release, so they say the same things; the output is deterministic (no
// timestamps, no random identifiers: the serial number and document ids derive from content).
package bom

import (
	"encoding/json"
	"strconv"
	"strings"

	"github.com/glassbox-dev/glassbox/internal/assess"
	"github.com/glassbox-dev/glassbox/internal/card"
	"github.com/glassbox-dev/glassbox/internal/evidence"
	"github.com/glassbox-dev/glassbox/internal/lazyre"
	"github.com/glassbox-dev/glassbox/internal/release"
)

// Description is what a BOM says about one release.
type Description struct {
	// Name is the model's name; Group its owner (Hub organisation) when known.
	Name, Group string
	// HubID ("org/name") and Revision (a commit sha, or a content hash for local releases).
	HubID, Revision string
	// PURL is pkg:huggingface/ORG/NAME@SHA for Hub models, empty otherwise.
	PURL string
	// Task is the card's pipeline_tag; Family and Architecture come from config.json.
	Task, Family, Architecture string
	Parameters                 int64
	Licenses                   []Licence
	Weights                    []Weights
	Datasets                   []Dataset
	Bases                      []Base
	Metrics                    []Metric
	UseCases, Limitations      []string
	// Properties are glassbox's verdicts, namespaced "glassbox:…", in a stable order.
	Properties []Property
}

// Licence is one licence statement: declared (the card or a header says so) or concluded
// (glassbox identified the text of a file).
type Licence struct {
	Expression   string
	Acknowledged string // "declared" or "concluded"
	Scope        string
	// Path and Text are the licence file and its content, for concluded licences.
	Path, Text string
}

// Weights is one weights file.
type Weights struct {
	Path, Format, Safety, SHA256 string
	Size, Parameters             int64
	Intermediate                 bool
}

// Dataset is a training dataset the card names.
type Dataset struct {
	Ref, Name, License, URL string
}

// Base is a base model the release derives from.
type Base struct {
	Ref, Name, Relation, License, PURL string
}

// Metric is one self-reported evaluation result from the card's model-index.
type Metric struct {
	Type, Value, Slice string
}

// Property is a namespaced name and value.
type Property struct{ Name, Value string }

// Describe gathers the BOM's content from a release and glassbox's assessment of it.
func Describe(rel *release.Release, a *assess.Assessment) *Description {
	f := a.Facts
	d := &Description{Name: f.Name, Revision: f.Revision, Parameters: f.Parameters}
	if rel.Hub != nil && rel.Hub.ID != "" {
		d.HubID = rel.Hub.ID
		d.Group, d.Name, _ = strings.Cut(rel.Hub.ID, "/")
		if d.Name == "" {
			d.Group, d.Name = "", rel.Hub.ID
		}
		d.PURL = HubPURL(rel.Hub.ID, rel.Hub.SHA)
	}
	c := readCard(rel)
	d.Task = c.PipelineTag
	d.Family, d.Architecture = architecture(rel)
	d.Licenses = licences(rel, f)
	d.Weights = weights(rel, f)
	d.Datasets = datasets(f)
	d.Bases = bases(rel, f)
	for _, m := range c.ModelIndex {
		d.Metrics = append(d.Metrics, metric(m))
	}
	d.UseCases = sections(c, useCaseRe)
	d.Limitations = sections(c, limitationRe)
	d.Properties = verdicts(a)
	return d
}

// HubPURL is the package URL of a Hugging Face model at a commit.
func HubPURL(id, sha string) string {
	if id == "" {
		return ""
	}
	p := "pkg:huggingface/" + purlEscape(id)
	if sha != "" {
		p += "@" + strings.ToLower(sha)
	}
	return p
}

// purlEscape percent-encodes what a purl namespace or name may not hold, keeping the slash
// between them.
func purlEscape(id string) string {
	var b strings.Builder
	for _, r := range id {
		switch {
		case r == '/' || r == '-' || r == '.' || r == '_' || r == '~' ||
			r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9':
			b.WriteRune(r)
		default:
			for _, c := range []byte(string(r)) {
				b.WriteString("%" + strings.ToUpper(strconv.FormatInt(int64(c), 16)))
			}
		}
	}
	return b.String()
}

// cardNames are the files that hold a model card, most specific first.
var cardNames = []string{"README.md", "MODEL_CARD.md", "model_card.md", "ModelCard.md", "README.markdown", "readme.md"}

func readCard(rel *release.Release) *card.Card {
	for _, n := range cardNames {
		if t, ok := rel.Text(n); ok {
			return card.Parse(n, []byte(t.Content))
		}
	}
	return card.Parse("", nil)
}

// architecture reads config.json's model_type and first architecture.
func architecture(rel *release.Release) (family, arch string) {
	t, ok := rel.Text("config.json")
	if !ok {
		return "", ""
	}
	var cfg struct {
		ModelType     string   `json:"model_type"`
		Architectures []string `json:"architectures"`
	}
	if json.Unmarshal([]byte(t.Content), &cfg) != nil {
		return "", ""
	}
	if len(cfg.Architectures) > 0 {
		arch = cfg.Architectures[0]
	}
	return cfg.ModelType, arch
}

// licences lists the release's licence statements that cover the model (the whole release or
// its weights): card and header declarations as declared, identified licence files as concluded.
func licences(rel *release.Release, f *evidence.Facts) []Licence {
	byID := map[string]evidence.Evidence{}
	for _, e := range f.Evidence {
		byID[e.ID] = e
	}
	var out []Licence
	seen := map[string]bool{}
	for _, l := range f.Licenses {
		if l.Expression == "" || (l.Scope != evidence.ScopeRelease && l.Scope != evidence.ScopeWeights) {
			continue
		}
		lic := Licence{Expression: l.Expression, Acknowledged: "declared", Scope: l.Scope}
		if l.Source == "file" || l.Source == "identifier" {
			lic.Acknowledged = "concluded"
			lic.Path, lic.Text = licenceText(rel, l.Evidence, byID)
		}
		key := lic.Expression + "\x00" + lic.Acknowledged
		if !seen[key] {
			seen[key] = true
			out = append(out, lic)
		}
	}
	return out
}

// licenceText returns the first licence file the evidence cites, with its content.
func licenceText(rel *release.Release, ids []string, byID map[string]evidence.Evidence) (string, string) {
	for _, id := range ids {
		e := byID[id]
		if e.Kind != "file" {
			continue
		}
		p := e.Location
		if i := strings.LastIndexByte(p, ':'); i > 0 {
			p = p[:i]
		}
		if t, ok := rel.Text(p); ok {
			return p, t.Content
		}
	}
	return "", ""
}

// weights lists the weights files with their best-known SHA-256: computed, LFS or claimed.
func weights(rel *release.Release, f *evidence.Facts) []Weights {
	var out []Weights
	for _, a := range f.Artifacts {
		w := Weights{Path: a.Path, Format: a.Format, Safety: a.Safety, SHA256: a.SHA256, Size: a.Size, Parameters: a.Parameters, Intermediate: a.Intermediate}
		if file, ok := rel.File(a.Path); ok && w.SHA256 == "" {
			switch {
			case file.LFS != nil:
				w.SHA256 = file.LFS.OID
			case file.Expected != nil:
				w.SHA256 = file.Expected.SHA256
			}
		}
		if !sha256Re.MatchString(w.SHA256) {
			w.SHA256 = ""
		}
		out = append(out, w)
	}
	return out
}

var sha256Re = lazyre.New(`^[0-9a-f]{64}$`)

func datasets(f *evidence.Facts) []Dataset {
	var out []Dataset
	for _, ds := range f.Datasets {
		d := Dataset{Ref: ds.Ref, Name: ds.Ref, License: ds.License}
		if id, ok := strings.CutPrefix(ds.Ref, "hf:datasets/"); ok {
			d.Name, d.URL = id, "https://huggingface.co/datasets/"+id
		}
		out = append(out, d)
	}
	return out
}

// bases lists the lineage, with the commit of each base whose release was read.
func bases(rel *release.Release, f *evidence.Facts) []Base {
	shas := map[string]string{}
	for _, p := range rel.Parents {
		if p != nil && p.Hub != nil {
			shas[p.Hub.ID] = p.Hub.SHA
		}
	}
	var out []Base
	for _, l := range f.Lineage {
		b := Base{Ref: l.Ref, Name: l.Ref, Relation: l.Relation, License: l.License}
		if id, ok := strings.CutPrefix(l.Ref, "hf:"); ok && !strings.HasPrefix(id, "datasets/") {
			b.Name, b.PURL = id, HubPURL(id, shas[id])
		}
		out = append(out, b)
	}
	return out
}

func metric(m card.EvalResult) Metric {
	typ := m.MetricType
	if typ == "" {
		typ = m.MetricName
	}
	slice := m.DatasetName
	if slice == "" {
		slice = m.DatasetType
	}
	if m.Task != "" {
		slice = strings.TrimSpace(m.Task + " on " + slice)
	}
	return Metric{Type: typ, Value: m.Value, Slice: slice}
}

var (
	useCaseRe    = lazyre.New(`(?i)\b(intended use|uses?\b|use cases?|direct use|downstream use)`)
	limitationRe = lazyre.New(`(?i)\b(limitations?|out-of-scope|risks?|bias)`)
)

// sections returns the card sections under matching headings, each clipped to 2000 bytes.
func sections(c *card.Card, re *lazyre.Regexp) []string {
	var out []string
	for _, s := range c.Sections(card.HeadingMatches(re)) {
		text := strings.TrimSpace(s.Text)
		if text == "" {
			continue
		}
		if len(text) > 2000 {
			cut := 2000
			for cut > 0 && text[cut]&0xc0 == 0x80 {
				cut--
			}
			text = text[:cut] + "…"
		}
		out = append(out, text)
	}
	return out
}

// verdicts are glassbox's judgements as properties: the tier, each framework's label, the
// weights' restrictions and the findings.
func verdicts(a *assess.Assessment) []Property {
	f := a.Facts
	props := []Property{{"glassbox:tier", a.Tier.Label}}
	for _, v := range a.Verdicts {
		props = append(props, Property{"glassbox:framework:" + v.Framework, v.Label})
	}
	present := 0
	for _, c := range f.Components {
		if c.Status == evidence.Present || c.Status == evidence.Gated {
			present++
		}
	}
	props = append(props, Property{"glassbox:components-present", strconv.Itoa(present) + "/" + strconv.Itoa(len(f.Components))})
	for _, r := range f.Weights.Restrictions {
		props = append(props, Property{"glassbox:weights-restriction", r})
	}
	for _, fi := range f.Findings {
		props = append(props, Property{"glassbox:finding", fi.Severity + " " + fi.ID + ": " + fi.Message})
	}
	return props
}
