package report

import (
	_ "embed"
	"html/template"
	"io"
	"strings"
	"sync"

	"github.com/glassbox-dev/glassbox/internal/assess"
	"github.com/glassbox-dev/glassbox/internal/evidence"
	"github.com/glassbox-dev/glassbox/internal/framework"
	"github.com/glassbox-dev/glassbox/internal/framework/g7"
)

//go:embed html.tmpl
var htmlSource string

//go:embed html.css
var htmlCSS string

// htmlTemplate escapes every value by context (html/template), so card text, file names and
// licence excerpts are shown, never run; the page also carries a Content-Security-Policy that
// allows no script and no fetch at all. It is parsed on first use, not at start-up.
var htmlTemplate = sync.OnceValue(func() *template.Template {
	return template.Must(template.New("report").Funcs(template.FuncMap{
		"mark":     func(r framework.Result) string { return mark[r] },
		"result":   func(r framework.Result) string { return string(r) },
		"upper":    strings.ToUpper,
		"join":     strings.Join,
		"pair":     func(r framework.Reason, prefix string) htmlReason { return htmlReason{r, prefix} },
		"pairRefs": func(ids []string, prefix string) htmlRefs { return htmlRefs{ids, prefix} },
	}).Parse(htmlSource))
})

// htmlReason and htmlRefs carry the report's anchor prefix into the shared sub-templates, so
// evidence links stay inside their report when a page holds several.
type htmlReason struct {
	Reason framework.Reason
	Prefix string
}

type htmlRefs struct {
	IDs    []string
	Prefix string
}

// htmlPage is what the template shows.
type htmlPage struct {
	CSS     template.CSS
	Reports []htmlReport
}

type htmlReport struct {
	Facts      *evidence.Facts
	Tier       framework.Verdict
	TierName   string
	Summary    []string
	Rungs      []Rung
	Blocking   []framework.Reason
	Frameworks []htmlFramework
	Present    int
	Findings   string
}

type htmlFramework struct {
	Label string
	framework.Explanation
}

// HTML writes one self-contained HTML page holding the reports: no scripts, no external
// assets, light and dark colour schemes, print styles, readable from 320 px wide. The spectrum
// is drawn as a ladder of the five tiers with the release's place marked and what holds it
// below the next tier.
func HTML(w io.Writer, as []*assess.Assessment) error {
	page := htmlPage{CSS: template.CSS(htmlCSS)}
	for _, a := range as {
		page.Reports = append(page.Reports, htmlReportOf(a))
	}
	return htmlTemplate().Execute(w, page)
}

func htmlReportOf(a *assess.Assessment) htmlReport {
	r := htmlReport{Facts: a.Facts, Tier: a.Tier, TierName: g7.Names[a.Tier.Label], Rungs: Explain(a), Findings: findingCount(a.Facts.Findings)}
	for _, pv := range verdicts(a) {
		r.Summary = append(r.Summary, pv.fw.Summarise(pv.v))
		r.Frameworks = append(r.Frameworks, htmlFramework{Label: pv.v.Label, Explanation: pv.fw.Explanation(pv.v)})
	}
	for _, rung := range r.Rungs {
		if !rung.Reached {
			r.Blocking = rung.missing()
			break
		}
	}
	for _, c := range a.Facts.Components {
		if c.Status == evidence.Present || c.Status == evidence.Gated {
			r.Present++
		}
	}
	return r
}
