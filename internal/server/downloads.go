package server

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/glassbox-dev/glassbox/internal/assess"
	"github.com/glassbox-dev/glassbox/internal/bom"
	"github.com/glassbox-dev/glassbox/internal/license"
	"github.com/glassbox-dev/glassbox/internal/release"
	"github.com/glassbox-dev/glassbox/internal/report"
	"github.com/glassbox-dev/glassbox/internal/store"
)

// downloadFormats are the other forms of a report, each rendered from the audit's snapshot by
// the same pipeline and renderers as `glassbox scan` and `glassbox bom`.
var downloadFormats = map[string]struct {
	contentType, ext string
	render           func(b *bytes.Buffer, rel *release.Release, a *assess.Assessment, version string) error
}{
	"md": {"text/markdown; charset=utf-8", ".md", func(b *bytes.Buffer, _ *release.Release, a *assess.Assessment, _ string) error {
		return report.Markdown(b, a)
	}},
	"html": {"text/html; charset=utf-8", ".html", func(b *bytes.Buffer, _ *release.Release, a *assess.Assessment, _ string) error {
		return report.HTML(b, []*assess.Assessment{a})
	}},
	"cyclonedx": {"application/vnd.cyclonedx+json", ".cdx.json", func(b *bytes.Buffer, rel *release.Release, a *assess.Assessment, v string) error {
		return bom.CycloneDX(b, bom.Describe(rel, a), "1.6", v)
	}},
	"spdx": {"application/spdx+json", ".spdx.json", func(b *bytes.Buffer, rel *release.Release, a *assess.Assessment, v string) error {
		return bom.SPDX(b, bom.Describe(rel, a), v, time.Unix(0, 0).UTC())
	}},
}

// downloadAs serves a model's report (latest, or at ?revision=) as Markdown, HTML, CycloneDX or
// SPDX. The snapshot kept with the audit is assessed again, which gives the stored report's
// verdicts as long as the server runs the glassbox version that made it (the version is in the
// report and the history).
func (s *server) downloadAs(w http.ResponseWriter, r *http.Request) {
	f, ok := downloadFormats[chi.URLParam(r, "format")]
	if !ok {
		problem(w, http.StatusNotFound, "unknown format", "downloads are md, html, cyclonedx or spdx (and report.json)")
		return
	}
	a, ok := s.requestedAudit(w, r)
	if !ok {
		return
	}
	snap, err := s.cfg.Store.Snapshot(r.Context(), a.ID)
	if errors.Is(err, store.ErrNoSnapshot) {
		problem(w, http.StatusNotFound, "no snapshot", "this audit was stored without the snapshot it was made from; audit the model again to download it in other forms")
		return
	}
	if !s.found(w, err, a.Model) {
		return
	}
	rel, err := release.Unmarshal(snap)
	if err != nil {
		problem(w, http.StatusInternalServerError, "unreadable snapshot", "the stored snapshot could not be read")
		return
	}
	var b bytes.Buffer
	if err := f.render(&b, rel, assess.Run(rel, license.Default()), a.Version); err != nil {
		problem(w, http.StatusInternalServerError, "render failed", "the report could not be rendered")
		return
	}
	name := downloadName(a)
	w.Header().Set("Content-Type", f.contentType)
	disposition := "attachment"
	if r.URL.Query().Get("inline") != "" && chi.URLParam(r, "format") == "html" {
		disposition = "inline" // the model page's "full report" link opens it in the browser
	}
	w.Header().Set("Content-Disposition", fmt.Sprintf(`%s; filename="%s%s"`, disposition, name[:len(name)-len(".glassbox.json")], f.ext))
	if chi.URLParam(r, "format") == "html" {
		// The self-contained report carries its styles inline and no script: its own policy
		// (the same as its meta tag) replaces the site's for this one response.
		w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'")
	}
	_, _ = w.Write(b.Bytes())
}
