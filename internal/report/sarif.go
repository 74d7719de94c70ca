package report

import (
	"crypto/sha256"
	"encoding/hex"
	"io"
	"path"
	"strconv"
	"strings"

	"github.com/glassbox-dev/glassbox/internal/assess"
	"github.com/glassbox-dev/glassbox/internal/evidence"
	"github.com/glassbox-dev/glassbox/internal/framework"
	"github.com/glassbox-dev/glassbox/internal/lazyre"
)

// SARIFOptions control the SARIF log.
type SARIFOptions struct {
	// Version is glassbox's version, for tool.driver.version.
	Version string
	// Roots[i], when set, is the folder of the i-th release relative to the repository the log
	// is uploaded for ("models/tiny"); locations are otherwise relative to the scanned root.
	Roots []string
}

// SARIF writes one SARIF 2.1.0 log with one run for all the releases: a result per finding
// (level from its severity) and per failed G7 criterion, each located at the evidence it cites
// (card line, licence lines, weights file) and carrying a partialFingerprints entry that
// stays the same while the rule, the release and the file do.
func SARIF(w io.Writer, as []*assess.Assessment, opt SARIFOptions) error {
	rb := &ruleBook{rules: []sarifRule{}, index: map[string]int{}}
	results := []sarifResult{}
	for i, a := range as {
		root := ""
		if i < len(opt.Roots) {
			root = opt.Roots[i]
		}
		results = append(results, sarifResults(a, root, rb)...)
	}
	log := sarifLog{
		Schema:  "https://json.schemastore.org/sarif-2.1.0.json",
		Version: "2.1.0",
		Runs: []sarifRun{{
			Tool:       sarifTool{Driver: sarifDriver{Name: "glassbox", Version: opt.Version, InformationURI: infoURI, Rules: rb.rules}},
			Results:    results,
			ColumnKind: "unicodeCodePoints",
		}},
	}
	return writeJSON(w, log)
}

const infoURI = "https://github.com/glassbox-dev/glassbox"

// sarifResults lists one release's results, findings first.
func sarifResults(a *assess.Assessment, root string, rb *ruleBook) []sarifResult {
	f := a.Facts
	loc := newLocator(f, root)
	var out []sarifResult
	for _, fi := range f.Findings {
		idx := rb.finding(fi)
		out = append(out, loc.result(rb, idx, sarifLevel(fi.Severity), fi.Message, fi.Evidence))
	}
	blocking := true
	for _, r := range a.Tier.Reasons {
		if r.Result == framework.Pass {
			continue
		}
		level := "note"
		if blocking {
			level = "warning"
		}
		blocking = false
		if r.Result != framework.Fail {
			continue
		}
		msg := r.Criterion + ": " + r.Detail
		if r.Fix != "" {
			msg += ". To fix: " + r.Fix
		}
		out = append(out, loc.result(rb, rb.criterion(r), level, msg, r.Evidence))
	}
	fingerprint(out, f.Name)
	for i := range out {
		out[i].Properties = map[string]string{"glassbox/target": f.Target, "glassbox/tier": a.Tier.Label}
	}
	return out
}

// sarifLevel maps a finding's severity to a SARIF level.
func sarifLevel(sev string) string {
	switch sev {
	case evidence.High:
		return "error"
	case evidence.Medium:
		return "warning"
	}
	return "note"
}

// fingerprint sets partialFingerprints from the rule, the release and the primary file (not the
// line, which moves when a card is edited), numbering results that share all three.
func fingerprint(rs []sarifResult, release string) {
	seen := map[string]int{}
	for i := range rs {
		r := &rs[i]
		key := r.RuleID + "\x00" + release + "\x00" + r.Locations[0].Physical.Artifact.URI
		n := seen[key]
		seen[key]++
		sum := sha256.Sum256([]byte(key + "\x00" + strconv.Itoa(n)))
		r.Fingerprints = map[string]string{"glassbox/v1": hex.EncodeToString(sum[:16])}
	}
}

// locator turns evidence ids into SARIF locations in the release.
type locator struct {
	byID     map[string]evidence.Evidence
	root     string
	fallback sarifLocation
}

func newLocator(f *evidence.Facts, root string) *locator {
	l := &locator{byID: map[string]evidence.Evidence{}, root: strings.TrimSuffix(path.Clean("/"+root), "/")}
	l.root = strings.TrimPrefix(l.root, "/")
	for _, e := range f.Evidence {
		l.byID[e.ID] = e
	}
	l.fallback = l.at(fallbackFile(f), 0, 0)
	return l
}

// fallbackFile is where a result citing no file points: the model card, else the first file
// the evidence names, else the scanned root itself.
func fallbackFile(f *evidence.Facts) string {
	first := ""
	for _, e := range f.Evidence {
		p, _, _, ok := fileSpan(e)
		switch {
		case ok && e.Kind == "card":
			return p
		case ok && first == "":
			first = p
		}
	}
	return first
}

// result is one result at the evidence cited: the first file span is the location, the others
// related locations; a result citing no file points at the fallback (fallbackFile).
func (l *locator) result(rb *ruleBook, idx int, level, msg string, ids []string) sarifResult {
	r := sarifResult{RuleID: rb.rules[idx].ID, RuleIndex: idx, Level: level, Message: sarifMessage{Text: msg}}
	for _, id := range ids {
		e, ok := l.byID[id]
		if !ok {
			continue
		}
		p, s, end, ok := fileSpan(e)
		if !ok {
			continue
		}
		at := l.at(p, s, end)
		if len(r.Locations) == 0 {
			r.Locations = []sarifLocation{at}
			continue
		}
		at.ID = len(r.Related) + 1
		at.Message = &sarifMessage{Text: e.ID + " " + e.Kind + " " + e.Location}
		r.Related = append(r.Related, at)
	}
	if len(r.Locations) == 0 {
		r.Locations = []sarifLocation{l.fallback}
	}
	return r
}

func (l *locator) at(p string, start, end int) sarifLocation {
	uri := path.Join(l.root, p)
	if uri == "" {
		uri = "."
	}
	loc := sarifLocation{Physical: sarifPhysical{Artifact: sarifArtifact{URI: uri}}}
	if start > 0 {
		loc.Physical.Region = &sarifRegion{StartLine: start}
		if end > start {
			loc.Physical.Region.EndLine = end
		}
	}
	return loc
}

var spanRe = lazyre.New(`^(.+?):(\d+)(?:-(\d+))?$`)

// fileSpan reads an evidence location inside the release ("README.md:3", "LICENSE:1-48",
// "model.safetensors#general.license"); locations outside it (base models on the Hub, the
// licence catalogue, libraries) have none.
func fileSpan(e evidence.Evidence) (p string, start, end int, ok bool) {
	switch e.Kind {
	case "file", "card", "header", "inventory":
	default:
		return "", 0, 0, false
	}
	loc := e.Location
	if strings.HasPrefix(loc, "hf:") || strings.HasPrefix(loc, "gh:") || strings.Contains(loc, "://") {
		return "", 0, 0, false
	}
	if i := strings.IndexByte(loc, '#'); i >= 0 {
		loc = loc[:i]
	}
	if m := spanRe.FindStringSubmatch(loc); m != nil {
		start, _ = strconv.Atoi(m[2])
		end, _ = strconv.Atoi(m[3])
		loc = m[1]
	}
	loc = path.Clean(loc)
	if loc == "." || loc == ".." || strings.HasPrefix(loc, "../") || path.IsAbs(loc) {
		return "", 0, 0, false
	}
	return loc, start, end, true
}

// ruleBook collects the rules results use, in first-use order.
type ruleBook struct {
	rules []sarifRule
	index map[string]int
}

func (rb *ruleBook) add(r sarifRule) int {
	if i, ok := rb.index[r.ID]; ok {
		return i
	}
	rb.index[r.ID] = len(rb.rules)
	rb.rules = append(rb.rules, r)
	return len(rb.rules) - 1
}

// finding is the rule of a finding id, described by FindingDocs.
func (rb *ruleBook) finding(fi evidence.Finding) int {
	doc, ok := FindingDocs[fi.ID]
	if !ok {
		doc = FindingDoc{Short: "glassbox finding " + fi.ID, Full: "A finding glassbox reports: " + fi.ID + "."}
	}
	tags := []string{"openness"}
	props := sarifRuleProps{Tags: tags, Precision: "high"}
	if doc.Security {
		props.Tags = append(props.Tags, "security")
		props.SecuritySeverity = map[string]string{evidence.High: "8.0", evidence.Medium: "5.0"}[fi.Severity]
		if props.SecuritySeverity == "" {
			props.SecuritySeverity = "2.0"
		}
	}
	return rb.add(sarifRule{
		ID: fi.ID, Name: ruleName(fi.ID),
		Short: sarifMessage{Text: doc.Short}, Full: sarifMessage{Text: doc.Full},
		Help:    sarifMessage{Text: doc.Full},
		Default: sarifConfig{Level: sarifLevel(fi.Severity)}, HelpURI: infoURI + "#what-the-output-means",
		Properties: props,
	})
}

// criterion is the rule of a G7 criterion: "g7/weights-under-an-open-source-licence".
func (rb *ruleBook) criterion(r framework.Reason) int {
	id := "g7/" + slug(r.Criterion)
	help := "The G7 tier criterion \"" + r.Criterion + "\" does not hold, which keeps the release below the tier that needs it; each result says what was found and what would fix it."
	return rb.add(sarifRule{
		ID: id, Name: ruleName(id),
		Short: sarifMessage{Text: r.Criterion}, Full: sarifMessage{Text: "G7 openness tier criterion: " + r.Criterion + "."},
		Help:    sarifMessage{Text: help},
		Default: sarifConfig{Level: "note"}, HelpURI: infoURI + "#what-the-output-means",
		Properties: sarifRuleProps{Tags: []string{"openness", "g7"}, Precision: "high"},
	})
}

var nonWord = lazyre.New(`[^a-z0-9]+`)

func slug(s string) string {
	return strings.Trim(nonWord.ReplaceAllString(strings.ToLower(s), "-"), "-")
}

// ruleName is an id in CamelCase ("license-conflict" → "LicenseConflict").
func ruleName(id string) string {
	var b strings.Builder
	for _, part := range nonWord.Split(strings.ToLower(id), -1) {
		if part != "" {
			b.WriteString(strings.ToUpper(part[:1]) + part[1:])
		}
	}
	return b.String()
}

// FindingDoc describes a finding id for rule catalogues (SARIF rules, policy docs).
type FindingDoc struct {
	Short, Full string
	// Security marks findings about the safety or integrity of files, not about openness.
	Security bool
}

// FindingDocs describes every finding id glassbox reports.
var FindingDocs = map[string]FindingDoc{
	"license-conflict": {Short: "Derivative declares terms more permissive than its base model's",
		Full: "The release is derived from a base model (base_model in the card, or the prose) whose licence has conditions or restrictions the release's declared licence drops; a derivative keeps its base's terms."},
	"license-mismatch": {Short: "Declared licence differs from the licence text",
		Full: "The licence the model card declares is not the licence the release's licence file contains."},
	"openwashing": {Short: "Called open source without Open Source terms",
		Full: "The release calls itself open source, but its weights are not under an Open Source licence."},
	"license-missing": {Short: "No licence for the release",
		Full: "Neither the model card nor a licence file says under what terms the release can be used."},
	"unsafe-pickle": {Short: "Weights file runs code when loaded", Security: true,
		Full: "A pickle-based weights file imports callables that execute when it is loaded; load it only with a safe loader, or convert it to safetensors."},
	"hash-mismatch": {Short: "Weights file does not match its published hash", Security: true,
		Full: "A weights file's SHA-256 differs from the hash the release publishes (Hugging Face cache blob name, checksum file, shard index or LFS pointer): it is corrupt or not the file released."},
	"card-unparseable": {Short: "Model card metadata cannot be read",
		Full: "The model card's YAML front matter is malformed, so its licence, base model and datasets could not be read."},
	"gated": {Short: "Downloads are gated",
		Full: "The repository asks for an access request before downloading; the finding says how to get access."},
}

// SARIF 2.1.0 objects, only the properties glassbox writes.
type (
	sarifLog struct {
		Schema  string     `json:"$schema"`
		Version string     `json:"version"`
		Runs    []sarifRun `json:"runs"`
	}
	sarifRun struct {
		Tool       sarifTool     `json:"tool"`
		Results    []sarifResult `json:"results"`
		ColumnKind string        `json:"columnKind"`
	}
	sarifTool struct {
		Driver sarifDriver `json:"driver"`
	}
	sarifDriver struct {
		Name           string      `json:"name"`
		Version        string      `json:"version,omitempty"`
		InformationURI string      `json:"informationUri"`
		Rules          []sarifRule `json:"rules"`
	}
	sarifRule struct {
		ID         string         `json:"id"`
		Name       string         `json:"name"`
		Short      sarifMessage   `json:"shortDescription"`
		Full       sarifMessage   `json:"fullDescription"`
		Help       sarifMessage   `json:"help"`
		HelpURI    string         `json:"helpUri"`
		Default    sarifConfig    `json:"defaultConfiguration"`
		Properties sarifRuleProps `json:"properties"`
	}
	sarifConfig struct {
		Level string `json:"level"`
	}
	sarifRuleProps struct {
		Tags             []string `json:"tags"`
		Precision        string   `json:"precision"`
		SecuritySeverity string   `json:"security-severity,omitempty"`
	}
	sarifMessage struct {
		Text string `json:"text"`
	}
	sarifResult struct {
		RuleID       string            `json:"ruleId"`
		RuleIndex    int               `json:"ruleIndex"`
		Level        string            `json:"level"`
		Message      sarifMessage      `json:"message"`
		Locations    []sarifLocation   `json:"locations"`
		Related      []sarifLocation   `json:"relatedLocations,omitempty"`
		Fingerprints map[string]string `json:"partialFingerprints"`
		Properties   map[string]string `json:"properties"`
	}
	sarifLocation struct {
		ID       int           `json:"id,omitempty"`
		Physical sarifPhysical `json:"physicalLocation"`
		Message  *sarifMessage `json:"message,omitempty"`
	}
	sarifPhysical struct {
		Artifact sarifArtifact `json:"artifactLocation"`
		Region   *sarifRegion  `json:"region,omitempty"`
	}
	sarifArtifact struct {
		URI string `json:"uri"`
	}
	sarifRegion struct {
		StartLine int `json:"startLine"`
		EndLine   int `json:"endLine,omitempty"`
	}
)
