package card

import (
	"bufio"
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// The evaluation corpus lives next to the repository (../shared/eval/cards): real model cards
// with hand-checked labels. Tests read it in place and never copy a card into the repository.

// corpusRows is how many labelled cards the corpus holds; the test fails if rows vanish.
const corpusRows = 27

// corpusDir returns the card corpus directory, found from the module root.
func corpusDir(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatalf("getting the working directory: %v", err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatalf("no go.mod above the test directory")
		}
		dir = parent
	}
	return filepath.Join(dir, "..", "shared", "eval", "cards")
}

// readCard reads a corpus card: README.md, or MODEL_CARD.md when only that one carries the
// front matter (the corpus keeps both for some repositories).
func readCard(t *testing.T, dir string) (*Card, []byte) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, "README.md"))
	if err != nil {
		t.Fatalf("reading card: %v", err)
	}
	c := Parse("README.md", data)
	if c.Raw == nil {
		if alt, err := os.ReadFile(filepath.Join(dir, "MODEL_CARD.md")); err == nil {
			return Parse("MODEL_CARD.md", alt), alt
		}
	}
	return c, data
}

// labels reads labels.tsv into one map per row, keyed by column name.
func labels(t *testing.T, path string) []map[string]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatalf("opening labels: %v", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	var header []string
	var rows []map[string]string
	for sc.Scan() {
		cols := strings.Split(strings.TrimRight(sc.Text(), "\r"), "\t")
		if header == nil {
			header = cols
			continue
		}
		if len(cols) == 1 && cols[0] == "" {
			continue
		}
		row := map[string]string{}
		for i, h := range header {
			if i < len(cols) {
				row[h] = cols[i]
			}
		}
		rows = append(rows, row)
	}
	if err := sc.Err(); err != nil {
		t.Fatalf("reading labels: %v", err)
	}
	return rows
}

func TestCorpus(t *testing.T) {
	t.Parallel()
	dir := corpusDir(t)
	labelsPath := filepath.Join(dir, "labels.tsv")
	if _, err := os.Stat(labelsPath); err != nil {
		t.Skipf("card corpus not found at %s (expected the evaluation data beside the repository): %v", labelsPath, err)
	}
	rows := labels(t, labelsPath)
	checked, agree := 0, 0
	for _, row := range rows {
		id := row["id"]
		cardDir := filepath.Join(dir, id)
		if _, err := os.Stat(cardDir); err != nil {
			t.Errorf("%s: labelled card folder missing: %v", id, err)
			continue
		}
		c, data := readCard(t, cardDir)
		checked++
		checkInvariants(t, data, c)
		for _, p := range c.Problems {
			t.Logf("%s: problem on line %d: %s", id, p.Line, p.Message)
		}

		fields := []struct{ column, got string }{
			{"declared_license", strings.Join(c.License, ";")},
			{"license_name", c.LicenseName},
			{"license_link", c.LicenseLink},
			{"base_models", strings.Join(c.BaseModel, ";")},
			{"datasets", strings.Join(c.Datasets, ";")},
		}
		for _, f := range fields {
			if f.got != row[f.column] {
				t.Errorf("%s: %s = %q, label says %q", id, f.column, f.got, row[f.column])
			}
		}

		got := "no"
		if len(c.Claims) > 0 {
			got = "yes"
		}
		if got == row["claims_open_source"] {
			agree++
			continue
		}
		t.Logf("claims disagreement %s: label %s, parser %s (%d claims); notes: %s", id, row["claims_open_source"], got, len(c.Claims), row["notes"])
		for _, cl := range c.Claims {
			t.Logf("    line %d: %s", cl.Line, cl.Excerpt)
		}
	}
	if checked != corpusRows {
		t.Errorf("checked %d labelled cards, want %d", checked, corpusRows)
	}
	if checked > 0 {
		rate := float64(agree) / float64(checked)
		t.Logf("open-source claims agree with labels on %d of %d cards (%.1f%%)", agree, checked, 100*rate)
		if rate < 0.9 {
			t.Errorf("open-source claim agreement %.1f%% is below 90%%", 100*rate)
		}
	}
}

// checkInvariants asserts what must hold for any input: every line number points into the
// file, and excerpts are short.
func checkInvariants(t *testing.T, data []byte, c *Card) {
	t.Helper()
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	// Lines end as Markdown ends them: "\r\n", "\n" or a lone "\r".
	n := 0
	if len(data) > 0 {
		d := bytes.ReplaceAll(data, []byte("\r\n"), []byte("\n"))
		n = bytes.Count(d, []byte("\n")) + bytes.Count(d, []byte("\r")) + 1
	}
	in := func(what string, line, lo int) {
		if line < lo || line > n {
			t.Errorf("%s line %d outside [%d, %d]", what, line, lo, n)
		}
	}
	in("body start", c.BodyStartLine, 0)
	for _, p := range c.Problems {
		in("problem", p.Line, 0)
	}
	for k, l := range c.FieldLines {
		in("field "+k, l, 1)
	}
	for _, r := range c.ModelIndex {
		in("model-index metric", r.Line, 1)
	}
	for _, h := range c.Headings {
		in("heading", h.Line, max(1, c.BodyStartLine))
		if h.Level < 1 || h.Level > 6 {
			t.Errorf("heading level %d", h.Level)
		}
	}
	for _, l := range c.Links {
		in("link", l.Line, max(1, c.BodyStartLine))
	}
	for _, p := range c.Papers {
		in("paper", p.Line, 1)
	}
	for _, l := range c.TableLines {
		in("table", l, max(1, c.BodyStartLine))
	}
	if len(c.TableLines) != c.Tables {
		t.Errorf("Tables = %d but %d TableLines", c.Tables, len(c.TableLines))
	}
	for _, cl := range c.Claims {
		// Claims come from the body only, never from the front matter.
		in("claim", cl.Line, max(1, c.BodyStartLine))
		if utf8.RuneCountInString(cl.Excerpt) > maxExcerpt {
			t.Errorf("claim excerpt longer than %d characters: %q", maxExcerpt, cl.Excerpt)
		}
	}
	for _, s := range c.Sections(func(Heading) bool { return true }) {
		in("section end", s.EndLine, s.Heading.Line)
	}
}

// TestParseLargeInput guards against superlinear behaviour: each input is about 1 MiB of what
// makes naive Markdown and YAML scanners slow.
func TestParseLargeInput(t *testing.T) {
	if testing.Short() {
		t.Skip("large inputs take a few seconds")
	}
	const n = 1 << 20
	inputs := map[string]string{
		"open brackets":      strings.Repeat("[", n),
		"unclosed links":     strings.Repeat("[a](", n/4),
		"backtick runs":      strings.Repeat("`a``b", n/5),
		"anchors":            strings.Repeat("<a href=x>", n/10),
		"claim per line":     strings.Repeat("open source\n", n/12),
		"one long paragraph": strings.Repeat("an open source model ", n/21),
		"headings":           strings.Repeat("# h\n", n/4),
		"comments":           strings.Repeat("<!--", n/4),
		"bibtex":             strings.Repeat("@misc{a,\n", n/9),
		"html headings":      strings.Repeat("<h1>", n/4),
		"many keys":          "---\n" + strings.Repeat("k: v\n", n/5) + "---\n",
		"long list":          "---\ntags:\n" + strings.Repeat("  - v\n", n/6) + "---\n",
		"deep flow":          "---\na: " + strings.Repeat("[", n/2) + "\n---\n",
		"alias fan-out": "---\na: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n" +
			"c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n" +
			"e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\n---\n",
	}
	for name, in := range inputs {
		start := time.Now()
		c := Parse("README.md", []byte(in))
		if d := time.Since(start); d > 10*time.Second {
			t.Errorf("%s: Parse took %v", name, d)
		}
		checkInvariants(t, []byte(in), c)
	}
}

func BenchmarkParseCorpus(b *testing.B) {
	benchmarkParse(b, corpusDir(b))
}

// BenchmarkParseHubCards parses the 1,500 real Hub cards of ../shared/eval/cards-hub.
func BenchmarkParseHubCards(b *testing.B) {
	benchmarkParse(b, filepath.Join(filepath.Dir(corpusDir(b)), "cards-hub"))
}

func benchmarkParse(b *testing.B, dir string) {
	paths, _ := filepath.Glob(filepath.Join(dir, "*", "README.md"))
	if len(paths) == 0 {
		b.Skipf("card corpus not found at %s", dir)
	}
	var cards [][]byte
	size := 0
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			b.Fatal(err)
		}
		cards = append(cards, data)
		size += len(data)
	}
	b.SetBytes(int64(size))
	for b.Loop() {
		for _, data := range cards {
			Parse("README.md", data)
		}
	}
}
