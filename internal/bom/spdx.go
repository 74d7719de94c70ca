package bom

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"strings"
	"time"

	"github.com/github/go-spdx/v2/spdxexp"

	"github.com/glassbox-dev/glassbox/internal/lazyre"
)

// SPDXContext is the JSON-LD context every SPDX 3.0.1 document names.
const SPDXContext = "https://spdx.org/rdf/3.0.1/spdx-context.jsonld"

// SPDX writes the release as an SPDX 3.0.1 JSON-LD document: the model as an ai_AIPackage,
// its training datasets as dataset_DatasetPackage (trainedOn), its weights files with their
// SHA-256 (contains), its base models as ai_AIPackage ancestors (ancestorOf), its licences as
// SPDX expressions (hasDeclaredLicense, hasConcludedLicense) whose LicenseRefs are
// CustomLicense elements carrying the licence text, and glassbox's verdicts as review
// annotations. created is the caller's timestamp (SOURCE_DATE_EPOCH in the CLI), and every
// id derives from the release's name and revision, so the output is reproducible.
func SPDX(w io.Writer, d *Description, tool string, created time.Time) error {
	g := newGraph(d, tool, created)
	model := g.model(d)
	g.files(d, model)
	g.datasets(d, model)
	g.bases(d, model)
	g.licences(d.Licenses, model)
	for _, p := range d.Properties {
		g.add(map[string]any{"type": "Annotation", "spdxId": g.id("annotation"), "annotationType": "review",
			"subject": model, "statement": p.Name + " = " + p.Value})
	}
	g.finish(model)
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(map[string]any{"@context": SPDXContext, "@graph": g.nodes}); err != nil {
		return err
	}
	_, err := w.Write(buf.Bytes())
	return err
}

// graph accumulates the document's elements, naming them under one namespace.
type graph struct {
	ns       string
	nodes    []map[string]any
	elements []string
	seq      map[string]int
	custom   map[string]string // LicenseRef id → CustomLicense spdxId
}

func newGraph(d *Description, tool string, created time.Time) *graph {
	h := sha256.Sum256([]byte(d.HubID + "\x00" + d.Name + "\x00" + d.Revision))
	g := &graph{ns: fmt.Sprintf("https://spdx.org/spdxdocs/glassbox/%s-%x/", url.PathEscape(d.Name), h[:8]), seq: map[string]int{}, custom: map[string]string{}}
	agent := g.ns + "agent/glassbox"
	g.nodes = append(g.nodes,
		map[string]any{"type": "CreationInfo", "@id": "_:creationinfo", "specVersion": "3.0.1",
			"created": created.UTC().Format("2006-01-02T15:04:05Z"), "createdBy": []string{agent}, "createdUsing": []string{g.ns + "tool/glassbox"}},
		map[string]any{"type": "SoftwareAgent", "spdxId": agent, "creationInfo": "_:creationinfo", "name": "glassbox"},
	)
	g.add(map[string]any{"type": "Tool", "spdxId": g.ns + "tool/glassbox", "name": strings.TrimSpace("glassbox " + tool)})
	return g
}

// id returns a fresh element id of a kind: NS/kind/N.
func (g *graph) id(kind string) string {
	g.seq[kind]++
	return fmt.Sprintf("%s%s/%d", g.ns, kind, g.seq[kind])
}

// add appends an element that belongs to the document.
func (g *graph) add(n map[string]any) string {
	n["creationInfo"] = "_:creationinfo"
	g.nodes = append(g.nodes, n)
	id := n["spdxId"].(string)
	g.elements = append(g.elements, id)
	return id
}

func (g *graph) relate(from, typ string, to ...string) {
	if len(to) == 0 {
		return
	}
	g.add(map[string]any{"type": "Relationship", "spdxId": g.id("relationship"), "from": from, "relationshipType": typ, "to": to})
}

func (g *graph) model(d *Description) string {
	n := map[string]any{"type": "ai_AIPackage", "spdxId": g.ns + "model", "name": d.Name, "software_primaryPurpose": "model"}
	setIf(n, "software_packageVersion", d.Revision)
	setIf(n, "software_packageUrl", d.PURL)
	if d.HubID != "" {
		n["software_downloadLocation"] = "https://huggingface.co/" + d.HubID
	}
	if d.Task != "" {
		n["ai_domain"] = []string{d.Task}
	}
	if t := strings.TrimSpace(d.Family + " " + d.Architecture); t != "" {
		n["ai_typeOfModel"] = []string{t}
	}
	setIf(n, "ai_informationAboutApplication", strings.Join(d.UseCases, "\n\n"))
	setIf(n, "ai_limitation", strings.Join(d.Limitations, "\n\n"))
	var metrics []map[string]any
	for _, m := range d.Metrics {
		key := m.Type
		if m.Slice != "" {
			key += " (" + m.Slice + ")"
		}
		metrics = append(metrics, map[string]any{"type": "DictionaryEntry", "key": key, "value": m.Value})
	}
	if len(metrics) > 0 {
		n["ai_metric"] = metrics
	}
	return g.add(n)
}

func (g *graph) files(d *Description, model string) {
	var ids []string
	for _, wf := range d.Weights {
		n := map[string]any{"type": "software_File", "spdxId": g.id("file"), "name": wf.Path, "software_primaryPurpose": "model"}
		if wf.SHA256 != "" {
			n["verifiedUsing"] = []map[string]any{{"type": "Hash", "algorithm": "sha256", "hashValue": wf.SHA256}}
		}
		ids = append(ids, g.add(n))
	}
	g.relate(model, "contains", ids...)
}

func (g *graph) datasets(d *Description, model string) {
	var ids []string
	for _, ds := range d.Datasets {
		n := map[string]any{"type": "dataset_DatasetPackage", "spdxId": g.id("dataset"), "name": ds.Name,
			"software_primaryPurpose": "data", "dataset_datasetType": []string{"noAssertion"}}
		setIf(n, "software_downloadLocation", ds.URL)
		id := g.add(n)
		ids = append(ids, id)
		if ds.License != "" {
			g.licences([]Licence{{Expression: ds.License, Acknowledged: "declared"}}, id)
		}
	}
	g.relate(model, "trainedOn", ids...)
}

func (g *graph) bases(d *Description, model string) {
	for _, b := range d.Bases {
		n := map[string]any{"type": "ai_AIPackage", "spdxId": g.id("base"), "name": b.Name, "software_primaryPurpose": "model"}
		setIf(n, "software_packageUrl", b.PURL)
		setIf(n, "comment", b.Relation)
		id := g.add(n)
		g.relate(id, "ancestorOf", model)
		if b.License != "" {
			g.licences([]Licence{{Expression: b.License, Acknowledged: "declared"}}, id)
		}
	}
}

// licences relates subject to each licence statement as an SPDX expression; LicenseRefs in it
// point at CustomLicense elements with the licence text when the release holds it.
func (g *graph) licences(ls []Licence, subject string) {
	for _, l := range ls {
		expr := spdxExpression(l.Expression)
		n := map[string]any{"type": "simplelicensing_LicenseExpression", "spdxId": g.id("license-expression"), "simplelicensing_licenseExpression": expr}
		var refs []map[string]any
		for _, ref := range licenseRefRe.FindAllString(expr, -1) {
			refs = append(refs, map[string]any{"type": "DictionaryEntry", "key": ref, "value": g.customLicence(ref, l)})
		}
		if len(refs) > 0 {
			n["simplelicensing_customIdToUri"] = refs
		}
		typ := "hasDeclaredLicense"
		if l.Acknowledged == "concluded" {
			typ = "hasConcludedLicense"
		}
		g.relate(subject, typ, g.add(n))
	}
}

var licenseRefRe = lazyre.New(`LicenseRef-[A-Za-z0-9.\-]+`)

// customLicence returns the CustomLicense element of a LicenseRef, created once; its text is
// the licence file's when l has one, else a statement that the release holds none.
func (g *graph) customLicence(ref string, l Licence) string {
	if id, ok := g.custom[ref]; ok {
		if l.Text != "" {
			g.setText(id, l)
		}
		return id
	}
	text := "The release names this licence but holds no text for it; glassbox identified it as " + ref + "."
	n := map[string]any{"type": "expandedlicensing_CustomLicense", "spdxId": g.ns + "license/" + ref, "name": ref, "simplelicensing_licenseText": text}
	id := g.add(n)
	g.custom[ref] = id
	if l.Text != "" {
		g.setText(id, l)
	}
	return id
}

func (g *graph) setText(id string, l Licence) {
	for _, n := range g.nodes {
		if n["spdxId"] == id {
			n["simplelicensing_licenseText"] = l.Text
			setIf(n, "comment", "text from "+l.Path)
		}
	}
}

// finish adds the SpdxDocument, which lists every element and the model as its root.
func (g *graph) finish(model string) {
	doc := map[string]any{"type": "SpdxDocument", "spdxId": g.ns + "document", "creationInfo": "_:creationinfo",
		"profileConformance": []string{"core", "software", "ai", "dataset", "simpleLicensing", "expandedLicensing"},
		"rootElement":        []string{model}, "element": g.elements}
	g.nodes = append(g.nodes, doc)
}

// spdxExpression keeps a valid SPDX expression and turns anything else into a LicenseRef.
func spdxExpression(expr string) string {
	if ok, _ := spdxexp.ValidateLicenses([]string{expr}); ok {
		return expr
	}
	return "LicenseRef-" + strings.Trim(nonIDRe.ReplaceAllString(expr, "-"), "-")
}

var nonIDRe = lazyre.New(`[^A-Za-z0-9.\-]+`)

func setIf(n map[string]any, key, v string) {
	if v != "" {
		n[key] = v
	}
}
