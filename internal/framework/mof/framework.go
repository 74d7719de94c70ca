package mof

import (
	"fmt"
	"strconv"

	"github.com/glassbox-dev/glassbox/internal/component"
	"github.com/glassbox-dev/glassbox/internal/evidence"
	"github.com/glassbox-dev/glassbox/internal/framework"
)

// Framework is the MOF lens over a scanned release, in glassbox mode.
var Framework = &framework.Framework{
	Name:  "mof",
	Title: "Model Openness Framework",
	Doc: "LF AI & Data's Model Openness Framework (arXiv 2403.13784): 17 components in three " +
		"cumulative classes. Class III (open model) needs the architecture, final parameters, " +
		"technical report, evaluation results, model card and data card under open licences; " +
		"Class II (open tooling) adds training, inference and evaluation code and evaluation data; " +
		"Class I (open science) adds the datasets, data preprocessing code, research paper and " +
		"intermediate checkpoints.",
	Evaluate: Evaluate,
}

// Evaluate judges a release's components in glassbox mode.
func Evaluate(f *evidence.Facts) framework.Verdict {
	res := Glassbox(Judge(f))
	v := framework.Verdict{Framework: "mof", Label: res.Label, Progress: map[string]float64{}}
	class := res.Class
	v.Class = &class
	for c, p := range res.Progress {
		v.Progress[strconv.Itoa(c)] = p
	}
	for _, cr := range res.Components {
		c := f.Component(cr.ID)
		r := framework.Reason{Criterion: cr.Name, Evidence: framework.Ev(c.Evidence...)}
		info, _ := component.Lookup(cr.ID)
		switch cr.Status {
		case StatusOpen:
			r.Result, r.Detail = framework.Pass, "present under "+cr.License
		case StatusUnlicensed:
			r.Result, r.Detail = framework.Unknown, "present, no licence covers it"
			r.Fix = "add a licence covering the " + lower(info.Name)
		case StatusInvalid:
			r.Result, r.Detail = framework.Fail, "present under "+cr.License+", not an open licence"
			r.Fix = fmt.Sprintf("release the %s under an open licence", lower(info.Name))
		default:
			r.Result = framework.Fail
			r.Detail = "not found"
			if c.Status == evidence.Unknown {
				r.Result, r.Detail = framework.Unknown, "could not be looked for"
			}
			r.Fix = fmt.Sprintf("publish the %s (needed for Class %s)", lower(info.Name), roman(info.Class))
			if info.Optional {
				r.Fix = fmt.Sprintf("publish the %s (optional in Class %s; it does not change the class)", lower(info.Name), roman(info.Class))
			}
		}
		if info.Optional {
			r.Detail += " (optional)"
		}
		if cr.Warning != "" {
			r.Detail += "; " + cr.Warning
		}
		v.Reasons = append(v.Reasons, r)
	}
	return v
}

// Judge turns detected components into the glassbox-mode input.
func Judge(f *evidence.Facts) []Judged {
	out := make([]Judged, 0, len(f.Components))
	for _, c := range f.Components {
		out = append(out, Judged{
			ID:      c.ID,
			Present: c.Status == evidence.Present || c.Status == evidence.Gated,
			License: c.License,
			Open:    c.Open,
			Reason:  c.Note,
		})
	}
	return out
}

func lower(s string) string {
	if s == "" {
		return s
	}
	b := []byte(s)
	if b[0] >= 'A' && b[0] <= 'Z' {
		b[0] += 'a' - 'A'
	}
	return string(b)
}

func roman(c int) string {
	return [...]string{"0", "I", "II", "III"}[max(0, min(c, 3))]
}
