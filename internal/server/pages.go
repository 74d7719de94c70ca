package server

import (
	"embed"
	"encoding/json"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"strings"
	"sync"

	"github.com/glassbox-dev/glassbox/internal/store"
)

//go:embed assets
var assets embed.FS

// pages are the page templates, parsed when the first page is rendered: parsing them when the
// binary starts cost every command (glassbox --version included) about half a millisecond.
var pages = sync.OnceValue(func() *template.Template {
	return template.Must(template.New("").Funcs(template.FuncMap{
		"percent": func(f float64) string { return fmt.Sprintf("%.0f%%", f*100) },
		"add":     func(a, b int) int { return a + b },
		"join":    strings.Join,
		"inc":     func(i int) int { return i + 1 },
	}).ParseFS(assets, "assets/*.html"))
})

var (
	tiers = []string{"closed", "weights-available", "open-weights", "open-source-ai", "open-source-ai-open-data"}
	sorts = []string{"name", "tier", "osai", "recent"}
)

// assetServer serves the embedded stylesheet.
func assetServer() http.Handler {
	sub, _ := fs.Sub(assets, "assets")
	return http.StripPrefix("/assets/", http.FileServer(http.FS(sub)))
}

// render writes a page; template errors become a 500 problem before anything is sent.
func render(w http.ResponseWriter, name string, data any) {
	renderStatus(w, http.StatusOK, name, data)
}

// renderStatus is render with another status than 200.
func renderStatus(w http.ResponseWriter, status int, name string, data any) {
	var b strings.Builder
	if err := pages().ExecuteTemplate(&b, name, data); err != nil {
		problem(w, http.StatusInternalServerError, "page failed", "the page could not be rendered")
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write([]byte(b.String()))
}

func (s *server) leaderboardPage(w http.ResponseWriter, r *http.Request) {
	q, err := queryOf(r)
	if err != nil {
		problem(w, http.StatusBadRequest, "bad query", err.Error())
		return
	}
	page, err := s.cfg.Store.Search(r.Context(), q)
	if !searched(w, err) {
		return
	}
	render(w, "leaderboard.html", map[string]any{"Q": q, "Page": page, "Tiers": tiers, "Sorts": sorts})
}

// pageReport is the part of a report the model page shows.
type pageReport struct {
	Tier struct {
		Label   string `json:"label"`
		Reasons []struct {
			Criterion, Result, Detail, Fix string
			Evidence                       []string
		} `json:"reasons"`
	} `json:"tier"`
	Findings []struct {
		ID, Severity, Message string
	} `json:"findings"`
	Licenses []struct {
		Expression, Scope, Source string
	} `json:"licenses"`
	Lineage  []parentRef `json:"lineage"`
	Datasets []struct {
		Ref, License string
		Open         bool
	} `json:"datasets"`
}

func (s *server) modelPage(w http.ResponseWriter, r *http.Request) {
	m := modelParam(r)
	a, err := s.cfg.Store.Latest(r.Context(), m)
	if !s.found(w, err, m) {
		return
	}
	var rep pageReport
	if err := json.Unmarshal(a.Report, &rep); err != nil {
		problem(w, http.StatusInternalServerError, "unreadable report", "the stored report could not be read")
		return
	}
	history, _ := s.cfg.Store.History(r.Context(), m)
	render(w, "model.html", map[string]any{"Model": m, "Audit": a, "Report": rep, "Tiers": tiers, "History": s.historyRows(r, history),
		"Lineage": newLineageGraph(m.String(), rep.Lineage)})
}

// badgeColours maps tiers to badge colours.
var badgeColours = map[string]string{
	"closed": "#9f1d1d", "weights-available": "#b45309", "open-weights": "#2563eb",
	"open-source-ai": "#15803d", "open-source-ai-open-data": "#166534", "insufficient-evidence": "#6b7280",
}

// badge is an SVG badge with the model's tier, for READMEs.
func (s *server) badge(w http.ResponseWriter, r *http.Request) {
	m := modelParam(r)
	m.Name = strings.TrimSuffix(m.Name, ".svg")
	label := "not audited"
	colour := badgeColours["insufficient-evidence"]
	if a, err := s.cfg.Store.Latest(r.Context(), m); err == nil {
		label, colour = a.Index.Tier, badgeColours[a.Index.Tier]
	} else if err != store.ErrNotFound {
		problem(w, http.StatusServiceUnavailable, "store unavailable", "the store could not be read")
		return
	}
	const left = 64
	right := 8 + 7*len(label)
	w.Header().Set("Content-Type", "image/svg+xml")
	w.Header().Set("Cache-Control", "max-age=300")
	fmt.Fprintf(w, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="20" role="img" aria-label="glassbox: %s">`+
		`<rect width="%d" height="20" fill="#555"/><rect x="%d" width="%d" height="20" fill="%s"/>`+
		`<g fill="#fff" font-family="Verdana,sans-serif" font-size="11"><text x="6" y="14">glassbox</text><text x="%d" y="14">%s</text></g></svg>`,
		left+right, template.HTMLEscapeString(label), left, left, right, colour, left+4, template.HTMLEscapeString(label))
}
