package census

import (
	"context"
	"encoding/csv"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/glassbox-dev/glassbox/internal/census/censustest"
	"github.com/glassbox-dev/glassbox/internal/census/report"
	"github.com/glassbox-dev/glassbox/internal/queue"
	"github.com/glassbox-dev/glassbox/internal/ratelimit"
	"github.com/glassbox-dev/glassbox/internal/source/hub"
	"github.com/glassbox-dev/glassbox/internal/store"
	"github.com/glassbox-dev/glassbox/internal/store/storetest"
	"github.com/glassbox-dev/glassbox/internal/target"
)

// testLimits are the fake Hub's limits in the census tests: small enough that a census of a few
// hundred models must wait for a window or two, so keeping under them is tested, not assumed.
var testLimits = map[string]int{"api": 60, "resolvers": 400, "pages": 10}

const testWindow = 3 * time.Second

// tune scales the limiter down to the fake Hub's short windows.
func tune(l *ratelimit.Limiter) {
	l.Window, l.Guard = testWindow, 300*time.Millisecond
}

func fakeHub(t *testing.T, models int) *censustest.Hub {
	return censustest.New(t, censustest.Config{Models: models, Limits: testLimits, Window: testWindow, PageSize: 100, Seed: 7})
}

// client reads the fake Hub anonymously, retrying fast.
func client(h *censustest.Hub) *hub.Client { return clientAt(h.URL()) }

func clientAt(url string) *hub.Client {
	c := hub.NewClient("test")
	c.Endpoint, c.Token = url, ""
	c.Backoff = 10 * time.Millisecond
	return c
}

func limits() ratelimit.Limits {
	l := ratelimit.Limits{}
	for b, n := range testLimits {
		l[ratelimit.Bucket(b)] = n
	}
	return l
}

// runCensus runs a census to its end in this process.
func runCensus(t *testing.T, dsn string, h *censustest.Hub, p Params) Status {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	s, err := Run(ctx, RunConfig{DSN: dsn, Params: p, Workers: 4, Version: "test", Limits: limits(), Client: client(h), Interval: 50 * time.Millisecond, Tune: tune})
	if err != nil {
		t.Fatalf("census: %v (last status %+v)", err, s.Progress)
	}
	if s.State != StateFinished {
		t.Fatalf("census ended %s, want finished", s.State)
	}
	t.Logf("census of %s: %+v in %s, %.1f models/s; limiter %+v", p, s.Progress, s.Elapsed.Round(time.Millisecond), s.Rate, s.Limiter)
	return s
}

// rowsOf reads the rows of the census of p.
func rowsOf(t *testing.T, dsn string, p Params) map[string]report.Row {
	t.Helper()
	ctx := context.Background()
	d := openDB(t, dsn)
	c, err := d.byKey(ctx, p.Key())
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]report.Row{}
	for r, err := range d.rows(ctx, c) {
		if err != nil {
			t.Fatal(err)
		}
		out[r.ID] = r
	}
	return out
}

// openDB opens the census tables of a store for the rest of the test.
func openDB(t *testing.T, dsn string) *db {
	t.Helper()
	st, err := store.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	d, err := newDB(st)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// auditCounts counts each model's stored audits.
func auditCounts(t *testing.T, dsn string, ids []string) map[string]int {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	out := map[string]int{}
	for _, id := range ids {
		m, err := queue.ModelOf("hf:" + id)
		if err != nil {
			t.Fatal(err)
		}
		h, err := st.History(ctx, m)
		if err != nil {
			t.Fatal(err)
		}
		out[id] = len(h)
	}
	return out
}

// TestCensusEndToEnd: a metadata census of the fake Hub lists and audits every model exactly
// once, under the Hub's rate limits, within the request budget, with tiers that agree within
// each template and the relabelled fine-tunes caught.
func TestCensusEndToEnd(t *testing.T) {
	for name, dsnFor := range storetest.DSNs() {
		t.Run(name, func(t *testing.T) {
			dsn := dsnFor(t)
			h := fakeHub(t, 400)
			s := runCensus(t, dsn, h, Params{})
			if s.Listed != 400 || s.Audited+s.Unreadable != 400 || s.Pending != 0 {
				t.Fatalf("listed %d, audited %d, unreadable %d, pending %d; want 400 listed and done", s.Listed, s.Audited, s.Unreadable, s.Pending)
			}
			if s.Unreadable != 0 {
				t.Errorf("%d unreadable models in a metadata census of a healthy Hub", s.Unreadable)
			}
			if rpm := s.RequestsPerModel(); rpm > 1.05 {
				t.Errorf("%.3f requests per model (%d requests), want at most 1.05", rpm, s.Requests)
			}
			if h.Violations() != 0 {
				t.Errorf("%d requests over the Hub's limits", h.Violations())
			}
			rows := rowsOf(t, dsn, Params{})
			ids := h.IDs()
			for id, n := range auditCounts(t, dsn, ids) {
				if n != 1 {
					t.Errorf("%s has %d audits, want 1", id, n)
				}
			}
			checkRows(t, h, ids, rows)
		})
	}
}

// checkRows compares the census's rows with what the fake Hub built each model from.
func checkRows(t *testing.T, h *censustest.Hub, ids []string, rows map[string]report.Row) {
	t.Helper()
	tierOf := map[string]string{}
	relabels, caught := 0, 0
	for _, id := range ids {
		r, ok := rows[id]
		if !ok {
			t.Errorf("no row for %s", id)
			continue
		}
		e := h.Expected(id)
		if r.SHA != e.SHA || r.Mode != ModeMetadata || r.Status != statusAudited || r.AuditID == "" || r.Org != strings.Split(id, "/")[0] {
			t.Errorf("%s: row %+v, want sha %s, metadata, audited, with an audit id", id, r, e.SHA)
		}
		if prev, ok := tierOf[e.Template]; ok && prev != r.Tier {
			t.Errorf("%s (template %s): tier %s, but another model of its template got %s", id, e.Template, r.Tier, prev)
		}
		tierOf[e.Template] = r.Tier
		if r.TierRank >= store.TierRank["open-source-ai"] {
			t.Errorf("%s: %s from listing metadata alone, which cannot show the data and code the tier needs", id, r.Tier)
		}
		if e.Gated != "" && !r.Gated {
			t.Errorf("%s: gated %q on the Hub, not in its row", id, e.Gated)
		}
		if e.Relabel {
			relabels++
			if r.InheritedConflict {
				caught++
			}
			if r.WeightsOpen {
				t.Errorf("%s: a relabelled fine-tune of %v counted as open weights", id, e.BaseModels)
			}
		}
	}
	if relabels == 0 || caught != relabels {
		t.Errorf("%d of %d relabelled fine-tunes have a licence conflict; want all, and some", caught, relabels)
	}
}

// TestReCensus: running the census again re-audits only the models whose commit changed.
func TestReCensus(t *testing.T) {
	dsn := filepath.Join(t.TempDir(), "g.db")
	h := fakeHub(t, 150)
	runCensus(t, dsn, h, Params{})
	ids := h.IDs()
	moved := []string{ids[3], ids[77], ids[149]}
	h.Bump(moved...)
	before := h.TotalRequests()
	s := runCensus(t, dsn, h, Params{})
	if s.Round != 2 || s.Listed != 150 || s.Audited != 150 {
		t.Fatalf("second round: %+v, want round 2 with 150 listed and audited", s.Progress)
	}
	for id, n := range auditCounts(t, dsn, ids) {
		want := 1
		if slices.Contains(moved, id) {
			want = 2
		}
		if n != want {
			t.Errorf("%s: %d audits after the re-census, want %d", id, n, want)
		}
	}
	rows := rowsOf(t, dsn, Params{})
	for _, id := range moved {
		if rows[id].SHA != h.Expected(id).SHA {
			t.Errorf("%s: row at %s, want the new commit %s", id, rows[id].SHA, h.Expected(id).SHA)
		}
	}
	if n := h.TotalRequests() - before; n > 10 {
		t.Errorf("the re-census made %d requests, want the listing pages and little else", n)
	}
}

// TestCensusDeep: the deep mode reads each model's files once per blob id, within 3 requests a
// model, and records what dedupe saved: the fake Hub has fewer templates than models, and a
// template's files are the same blobs in each of its models.
func TestCensusDeep(t *testing.T) {
	dsn := filepath.Join(t.TempDir(), "g.db")
	const n = 600
	h := fakeHub(t, n)
	p := Params{Deep: true}
	s := runCensus(t, dsn, h, p)
	if s.Listed != n || s.Done() != n {
		t.Fatalf("%+v, want %d listed and done", s.Progress, n)
	}
	if rpm := s.RequestsPerModel(); rpm > 3 {
		t.Errorf("%.2f requests per model in deep mode (%d), want at most 3", rpm, s.Requests)
	}
	repeats := 0
	seen := map[string]bool{}
	for _, id := range h.IDs() {
		e := h.Expected(id)
		if seen[e.Template] && e.HasCard {
			repeats++
		}
		seen[e.Template] = true
	}
	if repeats == 0 || s.BlobHits < int64(repeats) {
		t.Errorf("blob hits %d (misses %d), want at least one per model whose template's card was read before (%d)", s.BlobHits, s.BlobMisses, repeats)
	}
	deep := 0
	for _, r := range rowsOf(t, dsn, p) {
		if r.Mode == ModeDeep {
			deep++
		}
	}
	if deep != n {
		t.Errorf("%d rows in deep mode, want %d", deep, n)
	}
}

// TestCensusLimitAndAuthor: --limit stops the listing mid-page; --author passes through.
func TestCensusLimitAndAuthor(t *testing.T) {
	dsn := filepath.Join(t.TempDir(), "g.db")
	h := fakeHub(t, 300)
	s := runCensus(t, dsn, h, Params{Limit: 130})
	if s.Listed != 130 {
		t.Errorf("listed %d with limit 130", s.Listed)
	}
	org := strings.Split(h.IDs()[0], "/")[0]
	want := 0
	for _, id := range h.IDs() {
		if strings.HasPrefix(id, org+"/") {
			want++
		}
	}
	s = runCensus(t, dsn, h, Params{Author: org})
	if s.Listed != want {
		t.Errorf("listed %d models of %s, want %d", s.Listed, org, want)
	}
	for id := range rowsOf(t, dsn, Params{Author: org}) {
		if !strings.HasPrefix(id, org+"/") {
			t.Errorf("%s in the census of %s", id, org)
		}
	}
}

// TestCensusReport: the report of a census has a row per model in its CSV.
func TestCensusReport(t *testing.T) {
	dsn := filepath.Join(t.TempDir(), "g.db")
	h := fakeHub(t, 120)
	runCensus(t, dsn, h, Params{})
	checkSummaryKept(t, dsn, h, 120)
	dir := t.TempDir()
	files, err := WriteReport(context.Background(), dsn, dir, "test")
	if err != nil {
		t.Fatal(err)
	}
	var csvPath string
	for _, f := range files {
		if strings.HasSuffix(f, ".csv") {
			csvPath = f
		}
	}
	f, err := os.Open(csvPath)
	if err != nil {
		t.Fatalf("no CSV among %v: %v", files, err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 121 || recs[0][0] != "id" {
		t.Fatalf("%d CSV lines, header %v; want a header with id first and 120 rows", len(recs), recs[0])
	}
	got := map[string]bool{}
	for _, r := range recs[1:] {
		got[r[0]] = true
	}
	for _, id := range h.IDs() {
		if !got[id] {
			t.Errorf("%s missing from the CSV", id)
		}
	}
}

// checkSummaryKept: the dashboard's summary of a finished census is aggregated once and kept.
func checkSummaryKept(t *testing.T, dsn string, h *censustest.Hub, n int) {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	svc, err := New(Config{Store: st, Client: client(h), Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	m, first, err := svc.Summary(ctx)
	if err != nil {
		t.Fatal(err)
	}
	_, again, err := svc.Summary(ctx)
	if err != nil || again != first {
		t.Errorf("the second summary (%v) was aggregated again", err)
	}
	if m.Listed != n || m.Audited != n {
		t.Errorf("dashboard meta %+v, want %d listed and audited", m, n)
	}
}

// TestListingRefused: a listing the Hub refuses for good ends the census, saying why, instead
// of leaving it listing forever.
func TestListingRefused(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Error-Code", "RepoNotFound")
		http.Error(w, `{"error":"no such listing"}`, http.StatusNotFound)
	}))
	defer srv.Close()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	s, err := Run(ctx, RunConfig{DSN: filepath.Join(t.TempDir(), "g.db"), Workers: 2, Version: "test", Limits: limits(),
		Client: clientAt(srv.URL), Interval: 20 * time.Millisecond})
	if err != nil || s.State != StateFinished || s.Listed != 0 {
		t.Fatalf("%+v (%v), want a finished census of nothing", s.Progress, err)
	}
	if !strings.Contains(s.Error, "listing stopped at "+srv.URL+"/api/models") || !strings.Contains(s.Error, "not found") {
		t.Errorf("error %q, want where the listing stopped and the Hub's answer", s.Error)
	}
}

// TestMetadataNeverAboveFull: for a sample of the fake Hub's models, the tier a metadata census
// gives is never above the tier a full audit of the same model gives (what the listing does
// not tell is unknown, never open).
func TestMetadataNeverAboveFull(t *testing.T) {
	dsn := filepath.Join(t.TempDir(), "g.db")
	h := censustest.New(t, censustest.Config{Models: 120, Seed: 5})
	runCensus(t, dsn, h, Params{})
	rows := rowsOf(t, dsn, Params{})
	t.Setenv("HF_ENDPOINT", h.URL())
	t.Setenv("HF_TOKEN", "")
	t.Setenv("HF_HOME", t.TempDir())
	lower, sampled := 0, 0
	for i, id := range h.IDs() {
		if i%4 != 0 {
			continue
		}
		sampled++
		a, err := target.Audit(context.Background(), "hf:"+id, target.Options{Version: "test", NoCache: true})
		if err != nil {
			t.Fatalf("full audit of %s: %v", id, err)
		}
		full, meta := store.TierRank[a.Tier.Label], rows[id].TierRank
		if meta > full {
			t.Errorf("%s: metadata census says %s, the full audit %s", id, rows[id].Tier, a.Tier.Label)
		}
		if meta < full {
			lower++
		}
	}
	t.Logf("metadata tier below the full audit's for %d of %d sampled models", lower, sampled)
}
