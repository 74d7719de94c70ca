package report

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/parquet-go/parquet-go"
)

// writeTable writes rows through a table writer.
func writeTable(t *testing.T, w TableWriter, rows []Row) {
	t.Helper()
	for _, r := range rows {
		if err := w.Write(r); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
}

// TestParquetRoundTrip reads the Parquet file back with parquet-go: every field of every row,
// lists included, over more rows than one batch.
func TestParquetRoundTrip(t *testing.T) {
	rows := fixture()
	for i := range 2 * parquetBatch {
		r := fixture()[i%12]
		r.ID = fmt.Sprintf("%s-%d", r.ID, i)
		rows = append(rows, r)
	}
	var b bytes.Buffer
	writeTable(t, NewParquet(&b), rows)
	got, err := parquet.Read[Row](bytes.NewReader(b.Bytes()), int64(b.Len()))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(rows) {
		t.Fatalf("read %d rows, wrote %d", len(got), len(rows))
	}
	for i := range rows {
		if d := cmp.Diff(rows[i], got[i], cmpopts.EquateEmpty()); d != "" {
			t.Fatalf("row %d (-wrote +read):\n%s", i, d)
		}
	}
	if got[0].Terms[1] != "acceptable-use" || got[3].BaseModels[0] != "meta-llama/Llama-3.2-1B" {
		t.Errorf("lists read back as %q and %q", got[0].Terms, got[3].BaseModels)
	}
}

func TestJSONLRoundTrip(t *testing.T) {
	var b bytes.Buffer
	writeTable(t, NewJSONL(&b), fixture())
	sc := bufio.NewScanner(&b)
	var got []Row
	for sc.Scan() {
		var r Row
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatalf("line %d: %v", len(got)+1, err)
		}
		got = append(got, r)
	}
	if d := cmp.Diff(fixture(), got); d != "" {
		t.Errorf("JSON Lines round trip (-want +got):\n%s", d)
	}
}

func TestHTMLHasEveryChart(t *testing.T) {
	var b bytes.Buffer
	if err := WriteHTML(&b, fixtureMeta(), summarise(fixture())); err != nil {
		t.Fatal(err)
	}
	page := b.String()
	for _, sec := range sections(summarise(fixture())) {
		if !strings.Contains(page, "<h2 id=\"census-"+sec.ID+"-title\">"+sec.Title+"</h2>") {
			t.Errorf("page lacks the chart %q", sec.Title)
		}
	}
	for _, want := range []string{"<svg class=\"census-svg\"", "&lt;script&gt;alert(1)&lt;/script&gt;", "1,500,107", "3 of them (60.0%) are below open-source-ai",
		"Of 4 models whose base&#39;s licence family is known, 3 (75.0%) conflict with it.", "prefers-color-scheme: dark", "@media print"} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	for _, bad := range []string{"<script", "<img", "<b>rail", "http://", "https://", " style=\""} {
		if strings.Contains(page, bad) {
			t.Errorf("page holds %q", bad)
		}
	}
	if Dashboard(fixtureMeta(), summarise(fixture())) == "" || strings.Contains(string(Dashboard(fixtureMeta(), summarise(fixture()))), "<style") {
		t.Error("the dashboard fragment is empty or carries a stylesheet")
	}
}

// TestHTMLEmptyCensus: a census with no rows still renders, every chart saying none.
func TestHTMLEmptyCensus(t *testing.T) {
	var b bytes.Buffer
	if err := WriteHTML(&b, Meta{Query: "all models"}, NewSummary()); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(b.String(), "<h2 id="); n != len(sections(NewSummary())) {
		t.Errorf("%d charts in an empty census", n)
	}
	if strings.Contains(b.String(), "NaN") || strings.Contains(b.String(), "Inf") {
		t.Error("an empty census draws NaN or Inf coordinates")
	}
}

// BenchmarkWriteAll writes a 100,000-model census: the three tables and both reports.
func BenchmarkWriteAll(b *testing.B) {
	const n = 100_000
	base := fixture()
	dir := b.TempDir()
	b.ReportAllocs()
	for b.Loop() {
		rows := func(yield func(Row, error) bool) {
			for i := range n {
				r := base[i%len(base)]
				r.ID, r.Org = fmt.Sprintf("org%04d/m%d", i%1000, i), orgNames[i%1000]
				r.CreatedAt = monthNames[i%120]
				if !yield(r, nil) {
					return
				}
			}
		}
		if _, err := WriteAll(dir, fixtureMeta(), rows); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	var size int64
	for _, f := range []string{CSVFile, JSONLFile, ParquetFile} {
		st, _ := os.Stat(filepath.Join(dir, f))
		size += st.Size()
		b.ReportMetric(float64(st.Size())/n, f+"-B/row")
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/n, "ns/row")
}
