package osai

import (
	"bufio"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// sharedOSAI returns ../../../shared/eval/osai, skipping the test when it is absent.
func sharedOSAI(t *testing.T) string {
	t.Helper()
	dir := filepath.Join("..", "..", "..", "..", "shared", "eval", "osai")
	if _, err := os.Stat(dir); err != nil {
		dir = filepath.Join("..", "..", "..", "shared", "eval", "osai")
	}
	if _, err := os.Stat(filepath.Join(dir, "records-summary.tsv")); err != nil {
		t.Skipf("the OSAI index records are not here (%v); they live in ../shared/eval/osai beside the repository", err)
	}
	return dir
}

type summaryRow struct {
	file    string
	classes map[string]Class
	score   float64
}

func readSummary(t *testing.T, dir string) []summaryRow {
	t.Helper()
	f, err := os.Open(filepath.Join(dir, "records-summary.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	var header []string
	var rows []summaryRow
	for sc.Scan() {
		cols := strings.Split(sc.Text(), "\t")
		if header == nil {
			header = cols
			continue
		}
		if len(cols) != len(header) {
			t.Fatalf("summary row %q has %d columns, header %d", cols[0], len(cols), len(header))
		}
		row := summaryRow{classes: map[string]Class{}}
		for i, h := range header {
			switch h {
			case "file":
				row.file = cols[i]
			case "score":
				row.score, err = strconv.ParseFloat(cols[i], 64)
				if err != nil {
					t.Fatal(err)
				}
			default:
				row.classes[h] = Class(cols[i])
			}
		}
		rows = append(rows, row)
	}
	return rows
}

// TestParityWithIndex checks every record against the index's own judgements and score.
func TestParityWithIndex(t *testing.T) {
	dir := sharedOSAI(t)
	rows := readSummary(t, dir)
	if len(rows) != 56 {
		t.Fatalf("summary has %d records, want 56", len(rows))
	}
	matched := 0
	for _, row := range rows {
		rec, err := ReadRecord(filepath.Join(dir, "records", row.file+".yaml"))
		if err != nil {
			t.Errorf("%s: %v", row.file, err)
			continue
		}
		ok := true
		for _, p := range Params {
			got, want := rec.Classes[p.Key], row.classes[p.Key]
			if want == "" || want == "missing" {
				want = Unknown
			}
			if got != want {
				t.Errorf("%s: %s = %q, index says %q", row.file, p.Key, got, want)
				ok = false
			}
		}
		if got := math.Round(rec.Score()*1e4) / 1e4; got != row.score {
			t.Errorf("%s: score %.4f, index says %.4f", row.file, rec.Score(), row.score)
			ok = false
		}
		if ok {
			matched++
		}
	}
	t.Logf("parity: %d/%d records match the index", matched, len(rows))
	if matched != 56 {
		t.Errorf("parity %d/56", matched)
	}
}

func TestReadRecordOLMo(t *testing.T) {
	dir := sharedOSAI(t)
	rec, err := ReadRecord(filepath.Join(dir, "records", "OLMo.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if rec.File != "OLMo.yaml" || rec.Name != "OLMo" || rec.Org != "Ai2" || rec.Type != "text" {
		t.Errorf("got file %q name %q org %q type %q", rec.File, rec.Name, rec.Org, rec.Type)
	}
	if rec.Link != "https://huggingface.co/allenai/Olmo-3.1-32B-Think" {
		t.Errorf("link %q", rec.Link)
	}
	if rec.Classes["paper"] != Partial || rec.Classes["preprint"] != Open {
		t.Errorf("paper %q preprint %q", rec.Classes["paper"], rec.Classes["preprint"])
	}
	if got := fmt.Sprintf("%.4f", rec.Score()); got != "0.9583" {
		t.Errorf("score %s, want 0.9583", got)
	}
	// A list of links is joined; a single link is kept as written.
	if got := rec.Links["trainingcode"]; got != "https://github.com/allenai/open-instruct, https://github.com/allenai/OLMo-core" {
		t.Errorf("trainingcode links %q", got)
	}
	if got := rec.Links["weights_endmodel"]; got != "https://huggingface.co/allenai/Olmo-3.1-32B-Think" {
		t.Errorf("weights_endmodel link %q", got)
	}
	if rec.Notes["licenses"] == "" {
		t.Error("licenses notes empty")
	}
}

func TestParseRecord(t *testing.T) {
	t.Parallel()
	const head = "system:\n  name: Tiny\n  type: text\norg:\n  name: Lab\n"
	tests := []struct {
		name    string
		yaml    string
		classes map[string]Class
		score   float64
		probs   int
	}{
		{"all open", head + allParams("open"), nil, 1, 0},
		{"all partial", head + allParams("partial"), nil, 0.5, 0},
		{"crlf and stray spaces", strings.ReplaceAll(head+allParams(" Closed "), "\n", "\r\n"), nil, 0, 0},
		{"blank class is not applicable", head + "weights_endmodel:\n  class:\n  notes: n/a\n", map[string]Class{"weights_endmodel": Unknown}, 0, 0},
		{"missing parameters score 0", head + "weights_endmodel:\n  class: open\nlicenses:\n  class: partial\n",
			map[string]Class{"weights_endmodel": Open, "licenses": Partial, "paper": Unknown}, 1.5 / 12, 0},
		{"coloured squares", head + "paper:\n  class: 🟩 open\n", map[string]Class{"paper": Open}, 1.0 / 12, 0},
		{"odd class", head + "paper:\n  class: mostly\n", map[string]Class{"paper": Unknown}, 0, 1},
		{"list class", head + "paper:\n  class: [open]\n", map[string]Class{"paper": Unknown}, 0, 1},
		{"no system", "paper:\n  class: open\n", map[string]Class{"paper": Open}, 1.0 / 12, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			rec, err := ParseRecord("tiny.yaml", []byte(tc.yaml))
			if err != nil {
				t.Fatal(err)
			}
			for k, want := range tc.classes {
				if got := rec.Classes[k]; got != want {
					t.Errorf("%s = %q, want %q", k, got, want)
				}
			}
			if math.Abs(rec.Score()-tc.score) > 1e-9 {
				t.Errorf("score %v, want %v", rec.Score(), tc.score)
			}
			if len(rec.Problems) != tc.probs {
				t.Errorf("problems %q, want %d", rec.Problems, tc.probs)
			}
			if len(rec.Classes) != 12 {
				t.Errorf("%d classes, want all 12", len(rec.Classes))
			}
		})
	}
}

func allParams(class string) string {
	var b strings.Builder
	for _, p := range Params {
		fmt.Fprintf(&b, "%s:\n  class: %s\n  link: https://example.org/%s\n", p.Key, class, p.Key)
	}
	return b.String()
}

func TestParseRecordErrors(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, yaml, want string }{
		{"malformed", "system: [unclosed\n", "broken.yaml: malformed YAML"},
		{"empty", "", "broken.yaml: empty document"},
		{"list", "- a\n- b\n", "broken.yaml: the document is a list"},
		{"scalar parameter", "system:\n  name: X\nlicenses: open\n", "broken.yaml: licenses is a string; want a mapping"},
		{"system list", "system: [a, b]\n", "broken.yaml: system is a list; want a mapping"},
		{"nothing of ours", "foo: bar\n", "broken.yaml: not an OSAI index record"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			rec, err := ParseRecord("broken.yaml", []byte(tc.yaml))
			if err == nil {
				t.Fatalf("no error, record %+v", rec)
			}
			if !strings.HasPrefix(err.Error(), tc.want) {
				t.Errorf("error %q, want prefix %q", err, tc.want)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("error spans lines: %q", err)
			}
		})
	}
}

func TestReadRecordMissing(t *testing.T) {
	t.Parallel()
	_, err := ReadRecord(filepath.Join(t.TempDir(), "nope.yaml"))
	if err == nil || !strings.Contains(err.Error(), "nope.yaml") {
		t.Errorf("error %v, want one naming nope.yaml", err)
	}
}

func FuzzParseRecord(f *testing.F) {
	f.Add([]byte("system:\n  name: X\npaper:\n  class: open\n"))
	f.Add([]byte("system: [unclosed\n"))
	f.Add([]byte("licenses:\n  class: partial\n  link: [a, b]\n"))
	f.Add([]byte("- 1\n"))
	f.Add([]byte("&a [*a]"))
	f.Fuzz(func(t *testing.T, data []byte) {
		rec, err := ParseRecord("fuzz.yaml", data)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "fuzz.yaml: ") {
				t.Errorf("error does not name the file: %v", err)
			}
			return
		}
		if s := rec.Score(); s < 0 || s > 1 {
			t.Errorf("score %v out of range", s)
		}
	})
}
