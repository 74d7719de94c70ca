package store

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/glassbox-dev/glassbox/internal/store/storetest"
)

// report makes a small glassbox.report/v1 document.
func report(target, rev, tier string, score float64, licenceKey string, findings ...string) []byte {
	var fs []string
	for _, f := range findings {
		fs = append(fs, fmt.Sprintf(`{"id": %q, "severity": "high"}`, f))
	}
	return []byte(fmt.Sprintf(`{"schema": "glassbox.report/v1", "target": %q, "revision": %q,
  "tier": {"label": %q, "reasons": []},
  "frameworks": {"mof": {"class": 3}, "osaid": {"verdict": "fail"}, "osai": {"score": %v}, "euaiact": {"exemption": "cannot-determine"}},
  "weights": {"licenses": ["%s"], "open": %v, "restrictions": ["700M MAU cap (inherited from meta-llama/Llama-3.1-8B)"]},
  "library": {"name": "transformers"},
  "licenses": [{"key": %q}], "findings": [%s]}`, target, rev, tier, score, licenceKey, tier == "open-weights", licenceKey, strings.Join(fs, ", ")))
}

// stores opens a fresh store of every kind the test can reach (storetest.DSNs).
func stores(t *testing.T) map[string]func(t *testing.T) Store {
	out := map[string]func(t *testing.T) Store{}
	for name, dsn := range storetest.DSNs() {
		out[name] = func(t *testing.T) Store {
			s, err := Open(context.Background(), dsn(t))
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { s.Close() })
			return s
		}
	}
	return out
}

var t0 = time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)

func TestSaveLatestHistory(t *testing.T) {
	for name, open := range stores(t) {
		t.Run(name, func(t *testing.T) {
			s := open(t)
			ctx := context.Background()
			m := Model{"acme", "tiny"}
			r1 := report("hf:acme/tiny", "aaa", "weights-available", 0.25, "llama3.1", "license-conflict")
			id1, err := s.Save(ctx, &Audit{Model: m, Version: "v1", Created: t0, Report: r1})
			if err != nil {
				t.Fatal(err)
			}
			r2 := report("hf:acme/tiny", "bbb", "open-weights", 0.5, "apache-2.0")
			id2, err := s.Save(ctx, &Audit{Model: m, Version: "v1", Created: t0.Add(time.Hour), Report: r2, Snapshot: []byte(`{"snapshot": 2}`)})
			if err != nil {
				t.Fatal(err)
			}
			// The same revision and version again is the stored audit.
			again, err := s.Save(ctx, &Audit{Model: m, Version: "v1", Created: t0.Add(2 * time.Hour), Report: r1})
			if err != nil || again != id1 {
				t.Errorf("saving revision aaa again: id %q err %v, want %q", again, err, id1)
			}
			// An older audit arriving late does not become the latest.
			if _, err := s.Save(ctx, &Audit{Model: m, Version: "v0", Created: t0.Add(-time.Hour), Report: r1}); err != nil {
				t.Fatal(err)
			}
			latest, err := s.Latest(ctx, m)
			if err != nil {
				t.Fatal(err)
			}
			if latest.ID != id2 || latest.Index.Tier != "open-weights" || latest.Revision != "bbb" || string(latest.Report) != string(r2) {
				t.Errorf("latest = %+v, want %s at bbb with the report byte for byte", latest, id2)
			}
			if !latest.Created.Equal(t0.Add(time.Hour)) {
				t.Errorf("created %v, want %v", latest.Created, t0.Add(time.Hour))
			}
			at, err := s.AtRevision(ctx, m, "aaa")
			if err != nil || at.ID != id1 {
				t.Errorf("at aaa: %+v %v, want %s", at, err, id1)
			}
			h, err := s.History(ctx, m)
			if err != nil {
				t.Fatal(err)
			}
			var revs []string
			for _, a := range h {
				revs = append(revs, a.Revision+"@"+a.Version)
			}
			if diff := cmp.Diff([]string{"bbb@v1", "aaa@v1", "aaa@v0"}, revs); diff != "" {
				t.Errorf("history (-want +got):\n%s", diff)
			}
			// Search sees one row per model, its latest audit, through the latest flag.
			for q, want := range map[Query]int{{}: 1, {Tier: "open-weights"}: 1, {Tier: "weights-available"}: 0, {License: "llama3.1"}: 0, {Finding: "license-conflict"}: 0} {
				page, err := s.Search(ctx, q)
				if err != nil || page.Total != want || len(page.Audits) != want || want == 1 && page.Audits[0].ID != id2 {
					t.Errorf("search %+v: %+v %v, want %d (the latest audit only)", q, page, err, want)
				}
			}
			if snap, err := s.Snapshot(ctx, id2); err != nil || string(snap) != `{"snapshot": 2}` {
				t.Errorf("snapshot of %s: %q %v", id2, snap, err)
			}
			if _, err := s.Snapshot(ctx, id1); !errors.Is(err, ErrNoSnapshot) {
				t.Errorf("an audit saved without a snapshot: %v, want ErrNoSnapshot", err)
			}
			if _, err := s.Snapshot(ctx, "nope"); !errors.Is(err, ErrNotFound) {
				t.Errorf("no such audit: %v, want ErrNotFound", err)
			}
			if _, err := s.Latest(ctx, Model{"acme", "none"}); !errors.Is(err, ErrNotFound) {
				t.Errorf("unknown model: %v, want ErrNotFound", err)
			}
			if _, err := s.Save(ctx, &Audit{Model: m, Report: []byte(`{"schema": "other"}`)}); err == nil {
				t.Error("a document that is no report was stored")
			}
		})
	}
}

func TestSearch(t *testing.T) {
	for name, open := range stores(t) {
		t.Run(name, func(t *testing.T) {
			s := open(t)
			ctx := context.Background()
			for i, c := range []struct {
				org, name, tier, lic string
				score                float64
				findings             []string
			}{
				{"acme", "alpha", "open-weights", "apache-2.0", 0.5, nil},
				{"acme", "beta", "weights-available", "llama3.1", 0.3, []string{"license-conflict"}},
				{"zeta", "gamma", "open-source-ai", "apache-2.0", 0.8, nil},
				{"zeta", "delta", "closed", "unknown", 0.0, []string{"openwashing"}},
			} {
				r := report("hf:"+c.org+"/"+c.name, "r", c.tier, c.score, c.lic, c.findings...)
				if _, err := s.Save(ctx, &Audit{Model: Model{c.org, c.name}, Version: "v1", Created: t0.Add(time.Duration(i) * time.Minute), Report: r}); err != nil {
					t.Fatal(err)
				}
			}
			names := func(q Query) []string {
				t.Helper()
				p, err := s.Search(ctx, q)
				if err != nil {
					t.Fatal(err)
				}
				var out []string
				for _, a := range p.Audits {
					out = append(out, a.Model.String())
				}
				return append(out, fmt.Sprint(p.Total))
			}
			for _, tt := range []struct {
				q    Query
				want []string
			}{
				{Query{}, []string{"acme/alpha", "acme/beta", "zeta/delta", "zeta/gamma", "4"}},
				{Query{Sort: "tier"}, []string{"zeta/gamma", "acme/alpha", "acme/beta", "zeta/delta", "4"}},
				{Query{MinTier: "open-weights"}, []string{"acme/alpha", "zeta/gamma", "2"}},
				{Query{License: "apache-2.0", Sort: "osai"}, []string{"zeta/gamma", "acme/alpha", "2"}},
				{Query{Finding: "license-conflict"}, []string{"acme/beta", "1"}},
				{Query{Restriction: "700M MAU cap"}, []string{"acme/alpha", "acme/beta", "zeta/delta", "zeta/gamma", "4"}},
				{Query{Text: "ZETA/"}, []string{"zeta/delta", "zeta/gamma", "2"}},
				{Query{Sort: "recent", Limit: 2, Offset: 1}, []string{"zeta/gamma", "acme/beta", "4"}},
				{Query{Tier: "closed", Library: "transformers"}, []string{"zeta/delta", "1"}},
			} {
				if diff := cmp.Diff(tt.want, names(tt.q)); diff != "" {
					t.Errorf("%+v (-want +got):\n%s", tt.q, diff)
				}
			}
			if _, err := s.Search(ctx, Query{Sort: "nonsense"}); !errors.Is(err, ErrBadQuery) {
				t.Errorf("an unknown sort: %v, want ErrBadQuery", err)
			}
			if _, err := s.Search(ctx, Query{MinTier: "super-open"}); !errors.Is(err, ErrBadQuery) {
				t.Errorf("an unknown tier: %v, want ErrBadQuery", err)
			}
		})
	}
}

func TestTokens(t *testing.T) {
	for name, open := range stores(t) {
		t.Run(name, func(t *testing.T) {
			s := open(t)
			ctx := context.Background()
			tok, err := s.CreateToken(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if ok, err := s.CheckToken(ctx, tok); !ok || err != nil {
				t.Errorf("the new token is not accepted: %v %v", ok, err)
			}
			for _, bad := range []string{"", "gbx_", tok + "x", hashToken(tok)} {
				if ok, _ := s.CheckToken(ctx, bad); ok {
					t.Errorf("token %q accepted", bad)
				}
			}
			var stored string
			if err := s.(*sqlStore).db.QueryRow(`SELECT hash FROM tokens`).Scan(&stored); err != nil || stored == tok || stored != hashToken(tok) {
				t.Errorf("stored %q, want the token's hash, never the token", stored)
			}
		})
	}
}

func TestConcurrentSaves(t *testing.T) {
	for name, open := range stores(t) {
		t.Run(name, func(t *testing.T) {
			s := open(t)
			ctx := context.Background()
			var wg sync.WaitGroup
			errs := make(chan error, 16)
			for i := range 16 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					r := report("hf:acme/many", fmt.Sprintf("r%02d", i), "open-weights", 0.5, "mit")
					_, err := s.Save(ctx, &Audit{Model: Model{"acme", "many"}, Version: "v1", Created: t0.Add(time.Duration(i) * time.Second), Report: r})
					errs <- err
				}()
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				if err != nil {
					t.Fatal(err)
				}
			}
			h, err := s.History(ctx, Model{"acme", "many"})
			if err != nil || len(h) != 16 {
				t.Fatalf("history has %d audits (%v), want 16", len(h), err)
			}
			latest, err := s.Latest(ctx, Model{"acme", "many"})
			if err != nil || latest.Revision != "r15" {
				t.Errorf("latest %+v %v, want r15 (the newest)", latest, err)
			}
		})
	}
}

func TestRedact(t *testing.T) {
	dsn := "postgres://glassbox:s3cret@127.0.0.1:5433/db"
	if got := redactDSN(dsn); strings.Contains(got, "s3cret") || !strings.Contains(got, "glassbox:xxxxx@127.0.0.1") {
		t.Errorf("redactDSN = %q", got)
	}
	if got := redact(errors.New("auth failed for s3cret"), dsn).Error(); strings.Contains(got, "s3cret") {
		t.Errorf("redact = %q", got)
	}
}
