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
	"github.com/glassbox-dev/glassbox/internal/framework/osai"
)

// Schema names the JSON report format.
const Schema = "glassbox.report/v1"

// Document is the JSON report. Field names are a public contract (CONTRACT.md): extend, never
// rename.
type Document struct {
	Schema     string               `json:"schema"`
	Target     string               `json:"target"`
	Name       string               `json:"name"`
	Revision   string               `json:"revision"`
	Parameters int64                `json:"parameters,omitempty"`
	Tier       Tier                 `json:"tier"`
	Frameworks map[string]any       `json:"frameworks"`
	Components []evidence.Component `json:"components"`
	Licenses   []evidence.License   `json:"licenses"`
	Weights    evidence.Weights     `json:"weights"`
	Library    *evidence.Library    `json:"library,omitempty"`
	Datasets   []evidence.Dataset   `json:"datasets"`
	Lineage    []evidence.Parent    `json:"lineage"`
	Artifacts  []evidence.Artifact  `json:"artifacts"`
	Claims     []evidence.Claim     `json:"claims"`
	Findings   []evidence.Finding   `json:"findings"`
	Evidence   []evidence.Evidence  `json:"evidence"`
	Summary    Summary              `json:"summary"`

	// Linked lists the code repositories the card links to (absent when it links none).
	Linked []evidence.LinkedRepo `json:"linked,omitempty"`
}

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

// MOF is the "mof" entry of frameworks.
type MOF struct {
	Class    int                `json:"class"`
	Label    string             `json:"label"`
	Progress map[string]float64 `json:"progress"`
	Reasons  []framework.Reason `json:"reasons"`
}

// OSAID is the "osaid" entry of frameworks.
type OSAID struct {
	Verdict  string                      `json:"verdict"`
	Elements map[string]framework.Reason `json:"elements"`
}

// OSAI is the "osai" entry of frameworks: the European Open Source AI Index score (0..1) and
// each of its twelve parameters' class with the reason.
type OSAI struct {
	Score      float64                   `json:"score"`
	Percent    string                    `json:"percent"`
	Parameters map[string]osai.Judgement `json:"parameters"`
	Notes      []string                  `json:"notes,omitempty"`
}

func osaiEntry(v framework.Verdict) OSAI {
	o := OSAI{Percent: v.Label, Parameters: osai.Judgements(v), Notes: v.Notes}
	if v.Score != nil {
		o.Score = *v.Score
	}
	return o
}

// EUAIAct is the "euaiact" entry of frameworks: the Art. 53(2) exemption, its conditions, and
// the obligations that stay whatever the verdict.
type EUAIAct struct {
	Exemption  string      `json:"exemption"`
	Conditions []Condition `json:"conditions"`
	Notes      []string    `json:"notes"`
}

// Condition is one condition of the exemption.
type Condition struct {
	Condition string           `json:"condition"`
	Result    framework.Result `json:"result"`
	Detail    string           `json:"detail,omitempty"`
	Fix       string           `json:"fix,omitempty"`
	Evidence  []string         `json:"evidence"`
}

// Build turns an Assessment into the JSON report document.
func Build(a *assess.Assessment) *Document {
	f := a.Facts
	d := &Document{
		Schema: Schema, Target: f.Target, Name: f.Name, Revision: f.Revision, Parameters: f.Parameters,
		Tier:       Tier{Label: a.Tier.Label, Reasons: a.Tier.Reasons},
		Frameworks: map[string]any{},
		Components: f.Components, Licenses: f.Licenses, Weights: f.Weights, Library: f.Library,
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
	for _, v := range a.Verdicts {
		switch v.Framework {
		case "mof":
			m := MOF{Label: v.Label, Progress: v.Progress, Reasons: v.Reasons}
			if v.Class != nil {
				m.Class = *v.Class
			}
			d.Frameworks["mof"] = m
		case "osaid":
			d.Frameworks["osaid"] = OSAID{Verdict: v.Label, Elements: v.Elements}
		case "osai":
			d.Frameworks["osai"] = osaiEntry(v)
		case "euaiact":
			e := EUAIAct{Exemption: v.Label, Notes: v.Notes}
			for _, r := range v.Reasons {
				e.Conditions = append(e.Conditions, Condition{Condition: r.Criterion, Result: r.Result, Detail: r.Detail, Fix: r.Fix, Evidence: r.Evidence})
			}
			d.Frameworks["euaiact"] = e
		default:
			d.Frameworks[v.Framework] = v
		}
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
