package report

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"iter"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata")

// hostile is an organisation name that would run script if it were not escaped.
const hostile = "<script>alert(1)</script>"

// fixture is a small census: every tier, both modes, an unreadable model, relabelled bases,
// open-source claims, a model without a creation date, and a hostile organisation.
func fixture() []Row {
	return []Row{
		{ID: "meta-llama/Llama-3.2-1B", Org: "meta-llama", SHA: "a1", Mode: "deep", Status: "audited", Tier: "weights-available", TierRank: 2, MOFClass: 0, OSAID: "fail", OSAIScore: 0.4, EUAIAct: "not-eligible", WeightsLicense: "LicenseRef-llama3.2", LicenseFamily: "llama", Licenses: []string{"llama3.2"}, Terms: []string{"user-cap", "acceptable-use"}, Findings: []string{"gated"}, ClaimsOpenSource: true, Library: "transformers", Task: "text-generation", Gated: true, Downloads: 1000000, Likes: 900, CreatedAt: "2024-09-18T15:03:14.000Z", LastModified: "2024-10-24T15:07:51.000Z", AuditID: "1"},
		{ID: "meta-llama/Llama-3.1-8B", Org: "meta-llama", SHA: "a2", Mode: "deep", Status: "audited", Tier: "weights-available", TierRank: 2, EUAIAct: "not-eligible", WeightsLicense: "LicenseRef-llama3.1", LicenseFamily: "llama", Licenses: []string{"llama3.1"}, Terms: []string{"user-cap"}, Gated: true, Downloads: 500000, CreatedAt: "2024-07-14T00:00:00Z", AuditID: "2"},
		{ID: "acme/llama-ft", Org: "acme", SHA: "b1", Mode: "metadata", Status: "audited", Tier: "open-weights", TierRank: 3, MOFClass: 3, OSAID: "fail", OSAIScore: 0.5, EUAIAct: "cannot-determine", WeightsLicense: "Apache-2.0", WeightsOpen: true, LicenseFamily: "apache", Licenses: []string{"apache-2.0"}, Findings: []string{"license-conflict"}, ClaimsOpenSource: true, InheritedConflict: true, BaseModels: []string{"meta-llama/Llama-3.1-8B"}, BaseFamily: "llama", Downloads: 300, CreatedAt: "2024-09-01T00:00:00Z", AuditID: "3"},
		{ID: "acme/llama-mit", Org: "acme", SHA: "b2", Mode: "metadata", Status: "audited", Tier: "open-weights", TierRank: 3, MOFClass: 3, EUAIAct: "cannot-determine", WeightsLicense: "MIT", WeightsOpen: true, LicenseFamily: "mit", Licenses: []string{"mit"}, Findings: []string{"license-conflict"}, InheritedConflict: true, BaseModels: []string{"meta-llama/Llama-3.2-1B"}, BaseFamily: "llama", Downloads: 200, CreatedAt: "2024-11-02T00:00:00Z", AuditID: "4"},
		{ID: "acme/llama-honest", Org: "acme", SHA: "b3", Mode: "metadata", Status: "audited", Tier: "weights-available", TierRank: 2, EUAIAct: "not-eligible", WeightsLicense: "LicenseRef-llama3.1", LicenseFamily: "llama", Licenses: []string{"llama3.1"}, Terms: []string{"user-cap"}, BaseModels: []string{"meta-llama/Llama-3.1-8B"}, BaseFamily: "llama", Downloads: 100, CreatedAt: "2024-11-20T00:00:00Z", AuditID: "5"},
		{ID: "acme/gemma-ft", Org: "acme", SHA: "b4", Mode: "metadata", Status: "audited", Tier: "open-weights", TierRank: 3, MOFClass: 3, EUAIAct: "cannot-determine", WeightsLicense: "Apache-2.0", WeightsOpen: true, LicenseFamily: "apache", Licenses: []string{"apache-2.0"}, InheritedConflict: true, BaseModels: []string{"google/gemma-2b"}, BaseFamily: "gemma", Downloads: 50, CreatedAt: "2025-01-05T00:00:00Z", AuditID: "6"},
		{ID: "allenai/OLMo-2-7B", Org: "allenai", SHA: "c1", Mode: "deep", Status: "audited", Tier: "open-source-ai-open-data", TierRank: 5, MOFClass: 1, OSAID: "pass", OSAIScore: 0.95, EUAIAct: "eligible", WeightsLicense: "Apache-2.0", WeightsOpen: true, LicenseFamily: "apache", Licenses: []string{"apache-2.0", "odc-by"}, ClaimsOpenSource: true, Library: "transformers", Downloads: 80000, Likes: 300, CreatedAt: "2024-11-20T00:00:00Z", AuditID: "7"},
		{ID: "EleutherAI/pythia-1b", Org: "EleutherAI", SHA: "c2", Mode: "deep", Status: "audited", Tier: "open-source-ai", TierRank: 4, MOFClass: 2, OSAID: "pass", OSAIScore: 0.8, EUAIAct: "eligible", WeightsLicense: "Apache-2.0", WeightsOpen: true, LicenseFamily: "apache", Licenses: []string{"apache-2.0"}, ClaimsOpenSource: true, Downloads: 20000, CreatedAt: "2023-03-10T00:00:00Z", AuditID: "8"},
		{ID: "closedco/api-only", Org: "closedco", SHA: "d1", Mode: "metadata", Status: "audited", Tier: "closed", TierRank: 1, EUAIAct: "not-eligible", ClaimsOpenSource: true, Downloads: 10, CreatedAt: "2025-01-30T00:00:00Z", AuditID: "9"},
		{ID: "mystery/empty", Org: "mystery", SHA: "e1", Mode: "metadata", Status: "audited", Tier: "insufficient-evidence", TierRank: 0, EUAIAct: "cannot-determine", Downloads: 0, AuditID: "10"},
		{ID: "broken/repo", Org: "broken", SHA: "", Mode: "metadata", Status: "unreadable", Error: "HTTP 500 from the Hub", Downloads: 5, CreatedAt: "2024-01-01T00:00:00Z"},
		{ID: hostile + "/m", Org: hostile, SHA: "f1", Mode: "metadata", Status: "audited", Tier: "weights-available", TierRank: 2, EUAIAct: "not-eligible", WeightsLicense: "LicenseRef-x", LicenseFamily: "<b>rail</b>", Licenses: []string{"x|y"}, Terms: []string{"<img src=x onerror=alert(2)>"}, Downloads: 7, CreatedAt: "2025-01-06T00:00:00Z", AuditID: "12"},
	}
}

// fixtureMeta is the census the fixture came from.
func fixtureMeta() Meta {
	return Meta{Query: "author=acme and friends", Listed: 13, Audited: 11, Unreadable: 1, Requests: 52, RequestsPerModel: 4,
		GlassboxVersion: "v0.0.0-test",
		Started:         time.Date(2025, 2, 1, 10, 0, 0, 0, time.UTC), Finished: time.Date(2025, 2, 1, 10, 4, 30, 0, time.UTC)}
}

func summarise(rows []Row) *Summary {
	s := NewSummary()
	for _, r := range rows {
		s.Add(r)
	}
	return s
}

// checkGolden compares got with testdata/NAME, rewriting it under -update.
func checkGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./internal/census/report -run %s -update)", err, t.Name())
	}
	if !bytes.Equal(got, want) {
		t.Errorf("output differs from %s; if the change is intended, rerun with -update and review the diff\ngot:\n%s", path, got)
	}
}

func TestGoldenMarkdown(t *testing.T) {
	var b bytes.Buffer
	if err := WriteMarkdown(&b, fixtureMeta(), summarise(fixture())); err != nil {
		t.Fatal(err)
	}
	checkGolden(t, "state-of-openness.md", b.Bytes())
}

func TestGoldenCSV(t *testing.T) {
	var b bytes.Buffer
	w := NewCSV(&b)
	for _, r := range fixture() {
		if err := w.Write(r); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	checkGolden(t, "models.csv", b.Bytes())
}

// TestCSVColumnsAreRowFields: the CSV's header is Row's JSON names in field order, so the
// three tables name their columns alike.
func TestCSVColumnsAreRowFields(t *testing.T) {
	rt := reflect.TypeFor[Row]()
	if len(columns) != rt.NumField() {
		t.Fatalf("%d CSV columns for %d Row fields", len(columns), rt.NumField())
	}
	for i, c := range columns {
		name, _, _ := strings.Cut(rt.Field(i).Tag.Get("json"), ",")
		pq, _, _ := strings.Cut(rt.Field(i).Tag.Get("parquet"), ",")
		if c.name != name || c.name != pq {
			t.Errorf("column %d is %q; field %s is %q in JSON, %q in Parquet", i, c.name, rt.Field(i).Name, name, pq)
		}
	}
}

func TestCSVEmptyHasHeader(t *testing.T) {
	var b bytes.Buffer
	if err := NewCSV(&b).Close(); err != nil {
		t.Fatal(err)
	}
	if got := b.String(); !strings.HasPrefix(got, "id,org,sha,") || strings.Count(got, "\n") != 1 {
		t.Errorf("empty CSV is %q, want the header line alone", got)
	}
}

// rowsOf is an iterator over rows, failing with err after them when err is set.
func rowsOf(rows []Row, err error) iter.Seq2[Row, error] {
	return func(yield func(Row, error) bool) {
		for _, r := range rows {
			if !yield(r, nil) {
				return
			}
		}
		if err != nil {
			yield(Row{}, err)
		}
	}
}

func TestWriteAllFiles(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	files, err := WriteAll(dir, fixtureMeta(), rowsOf(fixture(), nil))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range files {
		names = append(names, filepath.Base(f))
		if st, err := os.Stat(f); err != nil || st.Size() == 0 {
			t.Errorf("%s: %v, size 0", f, err)
		}
	}
	if got := strings.Join(names, " "); got != "models.csv models.jsonl models.parquet state-of-openness.md index.html" {
		t.Errorf("files %s", got)
	}
	md, _ := os.ReadFile(filepath.Join(dir, MarkdownFile))
	var want bytes.Buffer
	_ = WriteMarkdown(&want, fixtureMeta(), summarise(fixture()))
	if !bytes.Equal(md, want.Bytes()) {
		t.Error("WriteAll's Markdown differs from WriteMarkdown over the same rows")
	}
}

func TestWriteAllStopsOnRowError(t *testing.T) {
	boom := errors.New("listing interrupted")
	files, err := WriteAll(t.TempDir(), fixtureMeta(), rowsOf(fixture()[:3], boom))
	if !errors.Is(err, boom) || len(files) != 0 {
		t.Fatalf("WriteAll = %v, %v; want the rows' error and no files", files, err)
	}
}

func TestWriteAllBadDir(t *testing.T) {
	file := filepath.Join(t.TempDir(), "f")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := WriteAll(filepath.Join(file, "sub"), fixtureMeta(), rowsOf(nil, nil)); err == nil || !strings.Contains(err.Error(), "census report") {
		t.Errorf("WriteAll under a file: %v", err)
	}
}

func ExampleSummary() {
	s := NewSummary()
	s.Add(Row{ID: "a/x", Status: "audited", Mode: "metadata", Tier: "open-weights", TierRank: 3, CreatedAt: "2025-02-01T00:00:00Z"})
	s.Add(Row{ID: "a/y", Status: "unreadable", Mode: "metadata"})
	fmt.Println(s.Audited, s.Unreadable, s.Tiers[3], s.Months["2025-02"].Total())
	// Output: 1 1 1 1
}

// TestMetaRunning: a census still running says so, with what is left, not an end time.
func TestMetaRunning(t *testing.T) {
	m := Meta{Query: "all models", Listed: 10, Audited: 6, Unreadable: 1, Started: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)}
	got := strings.Join(metaLines(m), "\n")
	if !strings.Contains(got, "Running since 2026-01-02T03:04:05Z: 3 models still to audit") || strings.Contains(got, "0001-01-01") {
		t.Errorf("meta of a running census:\n%s", got)
	}
}
