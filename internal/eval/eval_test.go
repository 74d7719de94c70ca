package eval

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/glassbox-dev/glassbox/internal/assess"
	"github.com/glassbox-dev/glassbox/internal/evidence"
)

// sharedEval is the real evaluation data, ../shared/eval beside the repository root; tests that
// need it skip when it is absent.
func sharedEval(t *testing.T) string {
	t.Helper()
	dir := filepath.Join("..", "..", "..", "shared", "eval")
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("skipping: the shared evaluation data is not at %s (it sits beside the repository): %v", dir, err)
	}
	return dir
}

func TestRowBar(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name           string
		row            Row
		ok             bool
		result, bar    string
		wantStatusText string
	}{
		{"all of all", Row{Passed: 27, Total: 27, Want: 27, Bar: 100}, true, "27/27", "all", "ok"},
		{"one short of all", Row{Passed: 122, Total: 123, Want: 123, Bar: 100}, false, "122/123", "all", "FAIL"},
		{"exactly 95%", Row{Passed: 19, Total: 20, Bar: 95}, true, "19/20", "≥95%", "ok"},
		{"just under 95%", Row{Passed: 25, Total: 27, Bar: 95}, false, "25/27", "≥95%", "FAIL"},
		{"above 90%", Row{Passed: 25, Total: 27, Bar: 90}, true, "25/27", "≥90%", "ok"},
		{"below 90%", Row{Passed: 21, Total: 27, Bar: 90}, false, "21/27", "≥90%", "FAIL"},
		{"items vanished", Row{Passed: 26, Total: 26, Want: 27, Bar: 100}, false, "26/26 (want 27 items)", "all", "FAIL"},
		{"nothing compared", Row{Bar: 90}, false, "0/0", "≥90%", "FAIL"},
		{"99.5% met", Row{Passed: 1446, Total: 1453, BarTenths: 995}, true, "1446/1453", "≥99.5%", "ok"},
		{"99.5% missed", Row{Passed: 1445, Total: 1453, BarTenths: 995}, false, "1445/1453", "≥99.5%", "FAIL"},
		{"unreadable data", Row{Passed: 5, Total: 5, Bar: 100, Err: "no such file"}, false, "error", "all", "FAIL"},
	}
	for _, tt := range tests {
		if got := tt.row.OK(); got != tt.ok {
			t.Errorf("%s: OK() = %v, want %v", tt.name, got, tt.ok)
		}
		if got := tt.row.Result(); got != tt.result {
			t.Errorf("%s: Result() = %q, want %q", tt.name, got, tt.result)
		}
		if got := tt.row.BarText(); got != tt.bar {
			t.Errorf("%s: BarText() = %q, want %q", tt.name, got, tt.bar)
		}
		if got := tt.row.Status(); got != tt.wantStatusText {
			t.Errorf("%s: Status() = %q, want %q", tt.name, got, tt.wantStatusText)
		}
	}
	rep := &Report{Rows: []Row{{Passed: 1, Total: 1, Bar: 100}, {Passed: 0, Total: 1, Bar: 100, Measure: "bad"}}}
	if rep.OK() || len(rep.Failed()) != 1 || rep.Failed()[0].Measure != "bad" {
		t.Errorf("a report with one failing row: OK %v, failed %v", rep.OK(), rep.Failed())
	}
	if (&Report{}).OK() {
		t.Error("an empty report is OK; it must not pass")
	}
}

func TestRunMissingDir(t *testing.T) {
	t.Parallel()
	missing := filepath.Join(t.TempDir(), "no-such-eval")
	_, err := Run(missing)
	if !errors.Is(err, ErrNoData) {
		t.Fatalf("Run(%s) = %v, want ErrNoData", missing, err)
	}
	for _, want := range []string{"evaluation data not found", missing, "-shared"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not say %q", err, want)
		}
	}
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Run(file); !errors.Is(err, ErrNoData) || !strings.Contains(err.Error(), "not a directory") {
		t.Errorf("Run on a file = %v, want ErrNoData saying it is not a directory", err)
	}
}

// TestRunEmptyDir: a data folder with nothing in it gives failing rows that say what could not
// be read, for every area, and no panic.
func TestRunEmptyDir(t *testing.T) {
	t.Parallel()
	rep, err := Run(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if rep.OK() {
		t.Fatal("an empty data folder passes the bars")
	}
	areas := map[string]bool{}
	for _, r := range rep.Rows {
		areas[r.Area] = true
		if r.OK() || r.Err == "" {
			t.Errorf("%s / %s: ok %v, error %q; want a failing row with the read error", r.Area, r.Measure, r.OK(), r.Err)
		}
	}
	for _, a := range []string{"MOT parity", osaiArea, licenceArea, pickleArea, ggufArea, safetensorsArea, cardArea, hubCardArea, releaseArea, osaiCompareArea} {
		if !areas[a] {
			t.Errorf("area %s has no row", a)
		}
	}
}

// TestRunRealData pins what the harness reports on the real data.
func TestRunRealData(t *testing.T) {
	t.Parallel()
	rep, err := Run(sharedEval(t))
	if err != nil {
		t.Fatal(err)
	}
	rows := map[string]Row{}
	for _, r := range rep.Rows {
		rows[r.Area+" / "+r.Measure] = r
	}
	want := map[string]string{
		"MOT parity / fixtures: class and progress as the reference tool":                                       "27/27",
		"MOT parity / records: class and progress as the reference tool":                                        "123/123",
		osaiArea + " / record scores as records-summary.tsv (4 decimals)":                                       "56/56",
		licenceArea + " / AI licence texts: key and version (texts-expected.tsv)":                               "29/29",
		licenceArea + " / in-the-wild LICENSE files: key (labels.tsv, skip rows excluded)":                      "15/15",
		pickleArea + " / dangerous files found dangerous (expected.json)":                                       "65/65",
		pickleArea + " / clean files not found dangerous":                                                       "10/10",
		pickleArea + " / imports as the reference lists them, classed at least as strictly":                     "76/76",
		ggufArea + " / headers as @huggingface/gguf reads them (expected/*.json)":                               "3/3",
		ggufArea + " / malformed files rejected with an error (malformed/)":                                     "1/1",
		safetensorsArea + " / tensors, parameters per dtype, metadata (expected/*.json)":                        "7/7",
		safetensorsArea + " / malformed files rejected with an error (malformed/)":                              "5/5",
		cardArea + " / declared licence, normalised (labels.tsv declared_license)":                              "27/27",
		cardArea + " / base models (front matter) (labels.tsv base_models)":                                     "27/27",
		cardArea + " / datasets (front matter) (labels.tsv datasets)":                                           "27/27",
		cardArea + " / inherited licence conflict vs license-conflict finding (labels.tsv inherited_conflict)":  "25/27",
		cardArea + " / open-source claim in the prose (labels.tsv claims_open_source)":                          "27/27",
		hubCardArea + " / front matter found where the Hub's library finds it (oracle.jsonl yaml_block)":        "1500/1500",
		hubCardArea + " / license as written, cards the library parses (oracle.jsonl)":                          "1453/1453",
		hubCardArea + " / base_model as written, cards the library parses (oracle.jsonl)":                       "1453/1453",
		hubCardArea + " / datasets as written, cards the library parses (oracle.jsonl)":                         "1453/1453",
		hubCardArea + " / cards the library refuses get card-unparseable (oracle.jsonl ok false)":               "47/47",
		releaseArea + " / placed as the experts' table says (expected.tsv, every column)":                       "9/9",
		releaseArea + " / no tier above the experts' highest (no false open)":                                   "9/9",
		osaiCompareArea + " / parameters equal to the index's for the same family, or the difference explained": "36/36",
	}
	for key, result := range want {
		r, ok := rows[key]
		if !ok {
			t.Errorf("no row %q", key)
			continue
		}
		if result != "" && (r.Result() != result || !r.OK()) {
			t.Errorf("%s: %s %s, want %s ok", key, r.Result(), r.Status(), result)
		}
		if r.Area == cardArea && r.Total != cardRows {
			t.Errorf("%s: %d cards scored, want %d", key, r.Total, cardRows)
		}
	}
	if len(rows) != len(want) {
		t.Errorf("%d rows, want %d", len(rows), len(want))
	}
	// c30's "other open-source models like DeepSeek v3" places the release among open-source
	// models (issue 10 #9): the label's claim now agrees.
	for _, d := range rep.Disagreements {
		if d.ID == "c30-salesforce--xlam-2-3b-fc-r-gguf" && d.Field == "claims_open_source" {
			t.Errorf("c30 claim disagreement %+v, want none", d)
		}
	}
	for _, d := range rep.Disagreements {
		if d.Reason == Unreviewed {
			t.Logf("unreviewed disagreement: %+v", d)
		}
	}
}

// TestOutputDeterministic: two runs give the same bytes, and EVAL.md says how it is made.
func TestOutputDeterministic(t *testing.T) {
	t.Parallel()
	dir := sharedEval(t)
	var outs [2][2]bytes.Buffer
	for i := range outs {
		rep, err := Run(dir)
		if err != nil {
			t.Fatal(err)
		}
		if err := rep.Text(&outs[i][0]); err != nil {
			t.Fatal(err)
		}
		if err := rep.Markdown(&outs[i][1]); err != nil {
			t.Fatal(err)
		}
	}
	if outs[0][0].String() != outs[1][0].String() || outs[0][1].String() != outs[1][1].String() {
		t.Error("two runs gave different output")
	}
	md := outs[0][1].String()
	first, _, _ := strings.Cut(md, "\n")
	if !strings.Contains(first, "make eval") || !strings.Contains(first, "go run ./cmd/glassbox-eval -markdown EVAL.md") {
		t.Errorf("EVAL.md's first line %q does not say it is generated by make eval and how", first)
	}
	for _, want := range []string{"| area | measure | result | bar | status |", "| MOT parity | fixtures: class and progress as the reference tool | 27/27 | all | ok |", "## Disagreements"} {
		if !strings.Contains(md, want) {
			t.Errorf("EVAL.md lacks %q", want)
		}
	}
}

func TestDisagreementsSortedWithReasons(t *testing.T) {
	t.Parallel()
	rep := &Report{Disagreements: []Disagreement{
		{Area: cardArea, ID: "c20-bartowski--l3-8b-stheno-v3.2-gguf", Field: "inherited_conflict"},
		{Area: cardArea, ID: "c02", Field: "datasets"},
		{Area: "A", ID: "z", Field: "x"},
	}}
	rep.finish()
	var got []string
	for _, d := range rep.Disagreements {
		got = append(got, d.Area+"|"+d.ID+"|"+d.Reason)
	}
	want := "A|z|unreviewed Model cards|c02|unreviewed Model cards|c20-bartowski--l3-8b-stheno-v3.2-gguf|ambiguous"
	if strings.Join(got, " ") != want {
		t.Errorf("got %v, want %s", got, want)
	}
}

func TestOSAIIndexRow(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "osai"), 0o755); err != nil {
		t.Fatal(err)
	}
	table := "file\tname\tscore\nA\tA\t0.9583\nB Two\tB\t0.5000\nC\tC\t1.0000\n"
	if err := os.WriteFile(filepath.Join(dir, "osai", "records-summary.tsv"), []byte(table), 0o644); err != nil {
		t.Fatal(err)
	}
	scores := map[string]float64{"A.yaml": 23.0 / 24, "B Two.yaml": 0.5001}
	rep := &Report{}
	osaiIndex(dir, rep, func(path string) (float64, error) {
		s, ok := scores[filepath.Base(path)]
		if !ok {
			return 0, errors.New("no record")
		}
		return s, nil
	})
	if len(rep.Rows) != 1 || rep.Rows[0].Result() != "1/3 (want 56 items)" || rep.Rows[0].OK() {
		t.Errorf("rows %+v, want one failing row 1/3", rep.Rows)
	}
	if len(rep.Disagreements) != 2 || rep.Disagreements[0].Glassbox != "0.5001" || !strings.Contains(rep.Disagreements[1].Glassbox, "no record") {
		t.Errorf("disagreements %+v", rep.Disagreements)
	}
}

// TestReleaseJudges: the expected.tsv columns mean what its README says.
func TestReleaseJudges(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		tier, expected string
		ok             bool
	}{
		{"open-weights", "open-weights;open-source-ai", true},
		{"weights-available", "open-weights", true},
		{"open-source-ai", "open-weights", false},
		{"open-source-ai-open-data", "open-source-ai", false},
		{"insufficient-evidence", "closed", true},
	} {
		if got := notAbove(tt.tier, tt.expected); got != tt.ok {
			t.Errorf("notAbove(%s, %s) = %v, want %v", tt.tier, tt.expected, got, tt.ok)
		}
	}
	a := &assess.Assessment{Facts: &evidence.Facts{Findings: []evidence.Finding{{ID: "license-mismatch"}}, Weights: evidence.Weights{Restrictions: []string{"use policy (incorporated by reference)"}}}}
	if _, ok := judgeNeedFindings(a, "license-conflict|license-mismatch"); !ok {
		t.Error("need a|b: license-mismatch should satisfy license-conflict|license-mismatch")
	}
	if _, ok := judgeNeedFindings(a, "openwashing"); ok {
		t.Error("need openwashing: satisfied without the finding")
	}
	if _, ok := judgeForbidFindings(a, "license-mismatch"); ok {
		t.Error("forbid license-mismatch: satisfied with the finding present")
	}
	if _, ok := judgeNeedRestrictions(a, "use policy"); !ok {
		t.Error("need 'use policy': a restriction containing the words should do")
	}
	if _, ok := judgeForbidRestrictions(a, "non-commercial"); !ok {
		t.Error("forbid non-commercial: no such restriction, should hold")
	}
}

// TestCardsHubArea scores a tiny cards-hub of our own: agreement, a disagreement per field, a
// refused card that gets its finding, and the front matter the library does not see.
func TestCardsHubArea(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	cards := map[string]string{
		"a": "---\nlicense: [mit, apache-2.0]\nbase_model: org/base\ndatasets: d1\n---\n# A\n",
		"b": "---\nlicense: other\nlicense_name: acme\nlicense_link: LICENSE\n---\n",
		"c": "# C\n\n---\nlicense: mit\n---\n",
		"d": "---\nmodel-index:\n- name: m\n  results:\n  - task: {type: t}\n    metrics: []\n---\n",
	}
	oracle := `{"id": "a", "ok": true, "license": ["mit", "apache-2.0"], "base_model": "org/base", "datasets": ["d1"], "yaml_block": true}
{"id": "b", "ok": true, "license": "other", "license_name": "acme", "license_link": "OTHER", "yaml_block": true}
{"id": "c", "ok": true, "license": null, "datasets": ["x"], "yaml_block": false}
{"id": "d", "ok": false, "error": "KeyError 'dataset'", "yaml_block": true}
`
	for id, text := range cards {
		if err := os.MkdirAll(filepath.Join(dir, "cards-hub", id), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "cards-hub", id, "README.md"), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "cards-hub", "oracle.jsonl"), []byte(oracle), 0o644); err != nil {
		t.Fatal(err)
	}
	rep := &Report{}
	cardsHub(dir, rep)
	var got []string
	for _, r := range rep.Rows {
		got = append(got, r.Result())
	}
	want := "4/4 (want 1500 items) 2/3 (want 1453 items) 3/3 (want 1453 items) 2/3 (want 1453 items) 1/1 (want 47 items)"
	if strings.Join(got, " ") != want {
		t.Errorf("rows %q, want %q", strings.Join(got, " "), want)
	}
	var ds []string
	for _, d := range rep.Disagreements {
		ds = append(ds, d.ID+"|"+d.Field+"|"+d.Glassbox+"|"+d.Expected)
	}
	wantD := "b|license|other name=acme link=LICENSE|other name=acme link=OTHER c|datasets||x"
	if strings.Join(ds, " ") != wantD {
		t.Errorf("disagreements %q, want %q", strings.Join(ds, " "), wantD)
	}
}
