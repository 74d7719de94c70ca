package report

import (
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"strings"
	"sync"
)

//go:embed dashboard.tmpl
var dashboardSource string

//go:embed page.tmpl
var pageSource string

//go:embed page.css
var pageCSS string

// DashboardCSS styles the fragment Dashboard returns (layout only: the charts carry their own
// colours); a page showing the fragment links or inlines it.
//
//go:embed dashboard.css
var DashboardCSS string

// templates escape every value by context (html/template): organisation names, licence
// families and terms come from model cards and are shown, never run.
var templates = sync.OnceValue(func() *template.Template {
	t := template.New("").Funcs(template.FuncMap{"f": func(v float64) string { return fmt.Sprintf("%.1f", v) }})
	return template.Must(template.Must(t.Parse(dashboardSource)).New("page").Parse(pageSource))
})

// dashboard is what the dashboard template shows.
type dashboard struct {
	Meta     []string
	Sections []section
}

func dashboardOf(m Meta, s *Summary) dashboard {
	return dashboard{Meta: metaLines(m), Sections: sections(s)}
}

// Dashboard is the report's charts as an HTML fragment for a page that has its own layout
// (style it with DashboardCSS). It holds no script, no inline style and no external asset.
func Dashboard(m Meta, s *Summary) template.HTML {
	var b strings.Builder
	if err := templates().ExecuteTemplate(&b, "dashboard", dashboardOf(m, s)); err != nil {
		// The template and its data are ours; failing here is a bug, not an input error.
		panic(fmt.Sprintf("census dashboard: %v", err))
	}
	return template.HTML(b.String()) // written by html/template, so escaped
}

// WriteHTML writes the state of openness as one self-contained page: inline CSS and SVG
// charts, no script, no external assets (its Content-Security-Policy allows none), light and
// dark colour schemes, print styles, readable from 320 px wide.
func WriteHTML(w io.Writer, m Meta, s *Summary) error {
	page := struct {
		Query     string
		CSS       template.CSS
		Dashboard dashboard
	}{m.Query, template.CSS(pageCSS + DashboardCSS), dashboardOf(m, s)}
	return templates().ExecuteTemplate(w, "page", page)
}
