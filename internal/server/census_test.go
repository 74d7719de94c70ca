package server

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/glassbox-dev/glassbox/internal/census/report"
	"github.com/glassbox-dev/glassbox/internal/store"
)

// censusSummary is a small census: two organisations (one hostile), three tiers, a relabelled
// base and an open-source claim by a closed model.
func censusSummary() (report.Meta, *report.Summary) {
	s := report.NewSummary()
	for _, r := range []report.Row{
		{ID: "acme/a", Org: "acme", Mode: "metadata", Status: "audited", Tier: "open-weights", TierRank: 3, LicenseFamily: "apache", InheritedConflict: true, BaseFamily: "llama", Downloads: 1200, CreatedAt: "2025-01-02T00:00:00Z", EUAIAct: "cannot-determine"},
		{ID: "acme/b", Org: "acme", Mode: "metadata", Status: "audited", Tier: "closed", TierRank: 1, ClaimsOpenSource: true, Downloads: 34, CreatedAt: "2025-03-02T00:00:00Z", EUAIAct: "not-eligible"},
		{ID: "<script>alert(1)</script>/m", Org: "<script>alert(1)</script>", Mode: "deep", Status: "audited", Tier: "open-source-ai", TierRank: 4, MOFClass: 2, LicenseFamily: "mit", Downloads: 5, CreatedAt: "2025-03-09T00:00:00Z", EUAIAct: "eligible"},
		{ID: "gone/x", Org: "gone", Mode: "metadata", Status: "unreadable"},
	} {
		s.Add(r)
	}
	m := report.Meta{Query: "all models", Listed: 4, Audited: 3, Unreadable: 1, Requests: 9, RequestsPerModel: 2.25,
		Started: time.Date(2026, 1, 2, 3, 0, 0, 0, time.UTC), Finished: time.Date(2026, 1, 2, 3, 1, 0, 0, time.UTC), GlassboxVersion: "test"}
	return m, s
}

// censusServer is a server whose Census hook is hook.
func censusServer(t *testing.T, hook func(context.Context) (report.Meta, *report.Summary, error)) *httptest.Server {
	t.Helper()
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "g.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	srv := httptest.NewServer(New(Config{Store: st, Queue: &fakeQueue{}, ReadRate: 10000, Census: hook}))
	t.Cleanup(srv.Close)
	return srv
}

func found(context.Context) (report.Meta, *report.Summary, error) {
	m, s := censusSummary()
	return m, s, nil
}

func TestCensusPage(t *testing.T) {
	srv := censusServer(t, found)
	resp, body := do(t, "GET", srv.URL+"/census", "", "")
	if resp.StatusCode != 200 || !strings.Contains(resp.Header.Get("Content-Security-Policy"), "script-src 'self'") {
		t.Fatalf("status %d, policy %q", resp.StatusCode, resp.Header.Get("Content-Security-Policy"))
	}
	for _, want := range []string{
		"State of openness: all models", "Tier distribution", "Tier distribution weighted by downloads", "Tiers by month of creation",
		"Top organisations", "Licence families", "Restriction terms", "Inherited-licence conflicts", "Open-source claims against tiers",
		"MOF classes", "EU AI Act exemption outcomes", "Metadata and deep mode",
		"4 models listed, 3 audited, 1 unreadable.", "1,200", "1 model calls itself open source; 1 of them (100.0%) is below open-source-ai.",
		"Of 1 models whose base&#39;s licence family is known, 1 (100.0%) conflict with it.", "&lt;script&gt;alert(1)&lt;/script&gt;",
		`<link rel="stylesheet" href="/assets/census.css">`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("the census page lacks %q", want)
		}
	}
	if strings.Contains(body, "<script>") || strings.Contains(body, " style=") {
		t.Error("the census page holds a script element or an inline style, which the policy would refuse")
	}
	if resp, css := do(t, "GET", srv.URL+"/assets/census.css", "", ""); resp.StatusCode != 200 || !strings.Contains(css, ".census-charts") ||
		!strings.HasPrefix(resp.Header.Get("Content-Type"), "text/css") {
		t.Errorf("census.css: %d %q", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
}

func TestCensusAPI(t *testing.T) {
	srv := censusServer(t, found)
	resp, body := do(t, "GET", srv.URL+"/api/v1/census", "", "")
	var got struct {
		Meta    report.Meta     `json:"meta"`
		Summary *report.Summary `json:"summary"`
	}
	if resp.StatusCode != 200 || json.Unmarshal([]byte(body), &got) != nil {
		t.Fatalf("status %d, body %s", resp.StatusCode, body)
	}
	if got.Meta.Query != "all models" || got.Meta.Listed != 4 || got.Summary.Audited != 3 || got.Summary.Tiers[3] != 1 ||
		got.Summary.Orgs["acme"].Total() != 2 || got.Summary.BaseFamilies["llama"].Conflicts != 1 || got.Summary.Downloads[3] != 1200 {
		t.Errorf("decoded %+v / %+v", got.Meta, got.Summary)
	}
	if !strings.Contains(body, `"open-weights": 1`) {
		t.Error("tallies are not keyed by tier name")
	}
}

// TestCensusNone: no hook, or a hook saying no census has run, shows how to start one; an
// API request is a 404 problem; any other error is a 503.
func TestCensusNone(t *testing.T) {
	none := func(context.Context) (report.Meta, *report.Summary, error) {
		return report.Meta{}, nil, fmt.Errorf("reading censuses: %w", ErrNoCensus)
	}
	broken := func(context.Context) (report.Meta, *report.Summary, error) {
		return report.Meta{}, nil, errors.New("database is locked")
	}
	for name, c := range map[string]struct {
		hook       func(context.Context) (report.Meta, *report.Summary, error)
		page, api  int
		pageHolds  string
		apiDetails string
	}{
		"nil hook": {nil, 200, 404, "glassbox census", "no census has run yet"},
		"none":     {none, 200, 404, "glassbox census", "no census has run yet"},
		"broken":   {broken, 503, 503, "census unavailable", "census unavailable"},
	} {
		t.Run(name, func(t *testing.T) {
			srv := censusServer(t, c.hook)
			resp, body := do(t, "GET", srv.URL+"/census", "", "")
			if resp.StatusCode != c.page || !strings.Contains(body, c.pageHolds) {
				t.Errorf("page: %d %s", resp.StatusCode, body)
			}
			resp, body = do(t, "GET", srv.URL+"/api/v1/census", "", "")
			if resp.StatusCode != c.api || resp.Header.Get("Content-Type") != "application/problem+json" || !strings.Contains(body, c.apiDetails) {
				t.Errorf("API: %d %s %s", resp.StatusCode, resp.Header.Get("Content-Type"), body)
			}
		})
	}
}

// TestOpenAPICensus: the OpenAPI document describes the census endpoint.
func TestOpenAPICensus(t *testing.T) {
	var doc struct {
		Paths map[string]map[string]struct {
			Responses map[string]any `json:"responses"`
		} `json:"paths"`
	}
	if err := json.Unmarshal(openAPI, &doc); err != nil {
		t.Fatal(err)
	}
	get, ok := doc.Paths["/api/v1/census"]["get"]
	if !ok || get.Responses["200"] == nil || get.Responses["404"] == nil {
		t.Errorf("openapi.json lacks GET /api/v1/census with 200 and 404: %+v", doc.Paths["/api/v1/census"])
	}
}
