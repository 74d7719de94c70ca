package server

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/glassbox-dev/glassbox/internal/queue"
	"github.com/glassbox-dev/glassbox/internal/store"
)

// fakeQueue records submissions.
type fakeQueue struct {
	mu   sync.Mutex
	jobs []queue.Job
}

func (q *fakeQueue) Submit(_ context.Context, target string) (queue.Job, error) {
	q.mu.Lock()
	defer q.mu.Unlock()
	j := queue.Job{ID: fmt.Sprint(len(q.jobs) + 1), Target: target, Status: queue.Queued}
	q.jobs = append(q.jobs, j)
	return j, nil
}

func (q *fakeQueue) Get(_ context.Context, id string) (queue.Job, error) {
	q.mu.Lock()
	defer q.mu.Unlock()
	for _, j := range q.jobs {
		if j.ID == id {
			return j, nil
		}
	}
	return queue.Job{}, queue.ErrNotFound
}

func (q *fakeQueue) Start(context.Context) error { return nil }
func (q *fakeQueue) Stop(context.Context) error  { return nil }
func (q *fakeQueue) Close() error                { return nil }

// hostileReport is a report whose card-derived text tries to run script.
const hostileReport = `{"schema": "glassbox.report/v1", "target": "hf:acme/evil", "revision": "abc",
 "tier": {"label": "weights-available", "reasons": [{"criterion": "weights released", "result": "pass", "detail": "<script>alert(1)</script>", "fix": ""}]},
 "frameworks": {"mof": {"class": 0}, "osaid": {"verdict": "fail"}, "osai": {"score": 0.25}, "euaiact": {"exemption": "not-eligible"}},
 "weights": {"licenses": ["LicenseRef-x"], "open": false, "restrictions": []},
 "licenses": [{"key": "x", "expression": "<img src=x onerror=alert(2)>", "scope": "weights", "source": "card"}],
 "findings": [{"id": "openwashing", "severity": "medium", "message": "<a href=\"javascript:alert(3)\">click</a>"}]}`

func setup(t *testing.T) (*httptest.Server, store.Store, *fakeQueue, string) {
	t.Helper()
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "g.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	tok, err := st.CreateToken(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	q := &fakeQueue{}
	srv := httptest.NewServer(New(Config{Store: st, Queue: q, WriteRate: 1000, ReadRate: 10000}))
	t.Cleanup(srv.Close)
	return srv, st, q, tok
}

func do(t *testing.T, method, url, token, body string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res, string(b)
}

func TestSubmitNeedsAToken(t *testing.T) {
	srv, _, q, tok := setup(t)
	for _, bad := range []string{"", "gbx_nope", "hf_token"} {
		res, body := do(t, "POST", srv.URL+"/api/v1/audits", bad, `{"target": "hf:acme/tiny"}`)
		if res.StatusCode != 401 || res.Header.Get("Content-Type") != "application/problem+json" || !strings.Contains(body, `"status":401`) {
			t.Errorf("token %q: %d %s %s, want 401 problem details", bad, res.StatusCode, res.Header.Get("Content-Type"), body)
		}
	}
	res, body := do(t, "POST", srv.URL+"/api/v1/audits", tok, `{"target": "hf:acme/tiny"}`)
	var job queue.Job
	if res.StatusCode != 202 || json.Unmarshal([]byte(body), &job) != nil || job.ID == "" || job.Status != "queued" {
		t.Fatalf("submit: %d %s, want 202 with an id and status queued", res.StatusCode, body)
	}
	res, body = do(t, "GET", srv.URL+"/api/v1/audits/"+job.ID, "", "")
	if res.StatusCode != 200 || !strings.Contains(body, `"status": "queued"`) {
		t.Errorf("job status: %d %s", res.StatusCode, body)
	}
	if res, _ := do(t, "GET", srv.URL+"/api/v1/audits/nope", "", ""); res.StatusCode != 404 {
		t.Errorf("unknown job: %d, want 404", res.StatusCode)
	}
	if len(q.jobs) != 1 {
		t.Errorf("%d jobs queued, want 1 (the unauthorised ones must not be)", len(q.jobs))
	}
}

func TestSubmitRefusesWhatIsNotAHubName(t *testing.T) {
	srv, _, q, tok := setup(t)
	for _, body := range []string{
		`{"target": "/etc"}`, `{"target": "https://169.254.169.254/latest"}`, `{"target": "./model"}`,
		`{"target": "hf:acme/x", "extra": 1}`, `not json`, `{"target": "hf:acme/x@main/../../etc"}`,
	} {
		if res, text := do(t, "POST", srv.URL+"/api/v1/audits", tok, body); res.StatusCode != 400 {
			t.Errorf("%s: %d %s, want 400", body, res.StatusCode, text)
		}
	}
	huge := `{"target": "hf:acme/` + strings.Repeat("x", 100<<10) + `"}`
	if res, _ := do(t, "POST", srv.URL+"/api/v1/audits", tok, huge); res.StatusCode != 413 {
		t.Errorf("a 100 KiB body: %d, want 413", res.StatusCode)
	}
	if len(q.jobs) != 0 {
		t.Errorf("queued %v, want nothing", q.jobs)
	}
}

func TestModelReportAndPages(t *testing.T) {
	srv, st, _, _ := setup(t)
	res, body := do(t, "GET", srv.URL+"/api/v1/models/acme/evil", "", "")
	if res.StatusCode != 404 || !strings.Contains(body, "has not been audited") {
		t.Errorf("before an audit: %d %s, want 404 problem", res.StatusCode, body)
	}
	if _, err := st.Save(context.Background(), &store.Audit{Model: store.Model{Org: "acme", Name: "evil"}, Version: "test", Report: []byte(hostileReport)}); err != nil {
		t.Fatal(err)
	}
	res, body = do(t, "GET", srv.URL+"/api/v1/models/acme/evil", "", "")
	if res.StatusCode != 200 || body != hostileReport {
		t.Errorf("report: %d, body equal to the stored report: %v", res.StatusCode, body == hostileReport)
	}
	res, page := do(t, "GET", srv.URL+"/models/acme/evil", "", "")
	if res.StatusCode != 200 || !strings.Contains(res.Header.Get("Content-Security-Policy"), "script-src 'self'") {
		t.Fatalf("model page: %d, CSP %q", res.StatusCode, res.Header.Get("Content-Security-Policy"))
	}
	for _, raw := range []string{"<script>alert(1)", "<img src=x", `href="javascript:`} {
		if strings.Contains(page, raw) {
			t.Errorf("model page carries %q unescaped", raw)
		}
	}
	if !strings.Contains(page, "&lt;script&gt;alert(1)&lt;/script&gt;") || !strings.Contains(page, `class="here">weights-available`) {
		t.Errorf("model page does not show the escaped text or the tier")
	}
	res, board := do(t, "GET", srv.URL+"/?min_tier=weights-available", "", "")
	if res.StatusCode != 200 || !strings.Contains(board, `href="/models/acme/evil"`) || !strings.Contains(board, "1 models") {
		t.Errorf("leaderboard: %d, lists acme/evil: %v", res.StatusCode, strings.Contains(board, "acme/evil"))
	}
	res, list := do(t, "GET", srv.URL+"/api/v1/models?license=x", "", "")
	if res.StatusCode != 200 || !strings.Contains(list, `"total": 1`) {
		t.Errorf("search: %d %s", res.StatusCode, list)
	}
	if res, _ := do(t, "GET", srv.URL+"/api/v1/models?sort=sideways", "", ""); res.StatusCode != 400 {
		t.Errorf("bad sort: %d, want 400", res.StatusCode)
	}
	res, svg := do(t, "GET", srv.URL+"/badge/acme/evil.svg", "", "")
	if res.StatusCode != 200 || res.Header.Get("Content-Type") != "image/svg+xml" || !strings.Contains(svg, "weights-available") {
		t.Errorf("badge: %d %s", res.StatusCode, svg)
	}
	res, hist := do(t, "GET", srv.URL+"/api/v1/models/acme/evil/history", "", "")
	if res.StatusCode != 200 || !strings.Contains(hist, `"revision": "abc"`) {
		t.Errorf("history: %d %s", res.StatusCode, hist)
	}
}

func TestOperations(t *testing.T) {
	srv, _, _, _ := setup(t)
	for path, want := range map[string]int{"/healthz": 200, "/readyz": 200, "/api/v1/openapi.json": 200, "/assets/style.css": 200, "/nope": 404} {
		if res, _ := do(t, "GET", srv.URL+path, "", ""); res.StatusCode != want {
			t.Errorf("%s: %d, want %d", path, res.StatusCode, want)
		}
	}
	var doc map[string]any
	_, body := do(t, "GET", srv.URL+"/api/v1/openapi.json", "", "")
	if json.Unmarshal([]byte(body), &doc) != nil || doc["openapi"] != "3.1.0" {
		t.Errorf("openapi.json does not parse as an OpenAPI 3.1 document")
	}
}

func TestRateLimit(t *testing.T) {
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "g.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	srv := httptest.NewServer(New(Config{Store: st, Queue: &fakeQueue{}, WriteRate: 2, ReadRate: 1000}))
	defer srv.Close()
	codes := []int{}
	for range 4 {
		res, _ := do(t, "POST", srv.URL+"/api/v1/audits", "", `{"target": "hf:a/b"}`)
		codes = append(codes, res.StatusCode)
	}
	if fmt.Sprint(codes) != "[401 401 429 429]" {
		t.Errorf("statuses %v, want two 401s, then 429 once over two writes a minute", codes)
	}
}

func (q *fakeQueue) Depth(context.Context) (map[string]int, error) {
	q.mu.Lock()
	defer q.mu.Unlock()
	out := map[string]int{queue.Queued: 0, queue.Running: 0, queue.Done: 0, queue.Failed: 0}
	for _, j := range q.jobs {
		out[j.Status]++
	}
	return out, nil
}

// TestGitHubTargets: gh: targets are queued too, and their model pages live under github:OWNER.
func TestGitHubTargets(t *testing.T) {
	srv, st, q, tok := setup(t)
	if res, body := do(t, "POST", srv.URL+"/api/v1/audits", tok, `{"target": "gh:acme/trainer"}`); res.StatusCode != 202 || len(q.jobs) != 1 {
		t.Fatalf("submit gh: %d %s", res.StatusCode, body)
	}
	report := strings.Replace(hostileReport, `"target": "hf:acme/evil"`, `"target": "gh:acme/trainer"`, 1)
	if _, err := st.Save(context.Background(), &store.Audit{Model: store.Model{Org: "github:acme", Name: "trainer"}, Version: "test", Report: []byte(report)}); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"/models/github:acme/trainer", "/api/v1/models/github:acme/trainer", "/badge/github:acme/trainer.svg", "/api/v1/compare?m=github:acme/trainer"} {
		if res, body := do(t, "GET", srv.URL+path, "", ""); res.StatusCode != 200 {
			t.Errorf("%s: %d %s", path, res.StatusCode, body)
		}
	}
}
