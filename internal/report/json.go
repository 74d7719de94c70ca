// Package report renders an Assessment: JSON for programs (CONTRACT.md) and text for terminals.
// Renderers decide nothing; every judgement is already in the Assessment.
package report

import (
	"bytes"
	"encoding/json"
	"io"

	"github.com/glassbox-dev/glassbox/internal/assess"
	"github.com/glassbox-dev/glassbox/internal/evidence"
	"github.com/glassbox-dev/glassbox/internal/framework"
)

// Schema names the JSON report format.
const Schema = "glassbox.report/v1"

// Document is the JSON report. Field names are a public contract (CONTRACT.md): extend, never
// rename.
type Document struct {
	Schema   string `json:"schema"`
	Target   string `json:"target"`
	Name     string `json:"name"`
	Revision string `json:"revision"`
	// MetadataOnly: the audit is from the Hub listing's metadata only; no file was read.
	MetadataOnly bool                 `json:"metadata_only,omitempty"`
	Parameters   int64                `json:"parameters,omitempty"`
	Tier         Tier                 `json:"tier"`
	Frameworks   map[string]any       `json:"frameworks"`
	Components   []evidence.Component `json:"components"`
	Licenses     []evidence.License   `json:"licenses"`
	Weights      evidence.Weights     `json:"weights"`
	Library      *evidence.Library    `json:"library,omitempty"`
	Task         string               `json:"task,omitempty"`
	Datasets     []evidence.Dataset   `json:"datasets"`
	Lineage      []evidence.Parent    `json:"lineage"`
	Artifacts    []evidence.Artifact  `json:"artifacts"`
	Claims       []evidence.Claim     `json:"claims"`
	Findings     []evidence.Finding   `json:"findings"`
	Evidence     []evidence.Evidence  `json:"evidence"`
	Summary      Summary              `json:"summary"`

	// Linked lists the code repositories the card links to (absent when it links none).
	Linked []evidence.LinkedRepo `json:"linked,omitempty"`
}

// MetadataOnlyLine is what the text and Markdown reports say of an audit made from the Hub
// listing's metadata alone.
const MetadataOnlyLine = "Audited from the Hub listing's metadata only: no file was read, so what the card's prose, the licence texts and the weights headers say is unknown."

// Tier is the headline G7 label with its reasons.
type Tier struct {
	Label   string             `json:"label"`
	Reasons []framework.Reason `json:"reasons"`
}

// Summary counts what the text report's last line shows.
type Summary struct {
	ComponentsPresent int            `json:"components_present"`
	ComponentsTotal   int            `json:"components_total"`
	Findings          map[string]int `json:"findings"`
}

// Build turns an Assessment into the JSON report document.
func Build(a *assess.Assessment) *Document {
	f := a.Facts
	d := &Document{
		Schema: Schema, Target: f.Target, Name: f.Name, Revision: f.Revision, Parameters: f.Parameters, MetadataOnly: f.MetadataOnly,
		Tier:       Tier{Label: a.Tier.Label, Reasons: a.Tier.Reasons},
		Frameworks: map[string]any{},
		Components: f.Components, Licenses: f.Licenses, Weights: f.Weights, Library: f.Library, Task: f.Task,
		Datasets: f.Datasets, Lineage: f.Lineage, Linked: f.Linked, Artifacts: f.Artifacts, Claims: f.Claims,
		Findings: f.Findings, Evidence: f.Evidence,
		Summary: Summary{ComponentsTotal: len(f.Components), Findings: map[string]int{}},
	}
	for _, c := range f.Components {
		if c.Status == evidence.Present || c.Status == evidence.Gated {
			d.Summary.ComponentsPresent++
		}
	}
	for _, fi := range f.Findings {
		d.Summary.Findings[fi.Severity]++
	}
	for _, p := range verdicts(a) {
		d.Frameworks[p.fw.Name] = p.fw.JSONEntry(p.v)
	}
	return d
}

// JSON writes the report as indented JSON. Map keys are sorted by encoding/json and every slice
// comes from deterministic detectors, so the same input gives byte-identical output.
func JSON(w io.Writer, a *assess.Assessment) error {
	return writeJSON(w, Build(a))
}

// JSONMany writes several reports as one JSON array.
func JSONMany(w io.Writer, as []*assess.Assessment) error {
	docs := make([]*Document, len(as))
	for i, a := range as {
		docs[i] = Build(a)
	}
	return writeJSON(w, docs)
}

func writeJSON(w io.Writer, v any) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return err
	}
	_, err := w.Write(buf.Bytes())
	return err
}
