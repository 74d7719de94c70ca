package server

import (
	"context"
	"errors"
	"net/http"

	"github.com/glassbox-dev/glassbox/internal/census/report"
)

// ErrNoCensus is what a Census hook returns (or wraps) when no census has run yet.
var ErrNoCensus = errors.New("no census")

// census asks the hook for the latest census: found is false (and the error nil) when none has
// run, or when no hook is configured.
func (s *server) census(ctx context.Context) (m report.Meta, sum *report.Summary, found bool, err error) {
	if s.cfg.Census == nil {
		return m, nil, false, nil
	}
	m, sum, err = s.cfg.Census(ctx)
	switch {
	case errors.Is(err, ErrNoCensus) || (err == nil && sum == nil):
		return m, nil, false, nil
	case err != nil:
		return m, nil, false, err
	}
	return m, sum, true, nil
}

// censusPage shows the latest census's charts, or how to run one.
func (s *server) censusPage(w http.ResponseWriter, r *http.Request) {
	m, sum, found, err := s.census(r.Context())
	if err != nil {
		problem(w, http.StatusServiceUnavailable, "census unavailable", "the latest census could not be read")
		return
	}
	data := map[string]any{"Found": found}
	if found {
		data["Meta"], data["Dashboard"] = m, report.Dashboard(m, sum)
	}
	render(w, "census.html", data)
}

// censusAPI is the latest census as JSON: {"meta", "summary"}.
func (s *server) censusAPI(w http.ResponseWriter, r *http.Request) {
	m, sum, found, err := s.census(r.Context())
	switch {
	case err != nil:
		problem(w, http.StatusServiceUnavailable, "census unavailable", "the latest census could not be read")
	case !found:
		problem(w, http.StatusNotFound, "no census", "no census has run yet; start one with glassbox census")
	default:
		writeJSON(w, http.StatusOK, struct {
			Meta    report.Meta     `json:"meta"`
			Summary *report.Summary `json:"summary"`
		}{m, sum})
	}
}

// censusCSS serves the dashboard's stylesheet, which lives with the charts it lays out.
func censusCSS(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/css; charset=utf-8")
	w.Header().Set("Cache-Control", "max-age=300")
	_, _ = w.Write([]byte(report.DashboardCSS))
}
