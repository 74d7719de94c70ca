package license

import (
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// readTSV reads a tab-separated file of ../shared/eval, header row dropped.
func readTSV(t testing.TB, path string) [][]string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var rows [][]string
	for i, line := range strings.Split(strings.TrimRight(string(data), "\n"), "\n") {
		if i == 0 || line == "" {
			continue
		}
		rows = append(rows, strings.Split(line, "\t"))
	}
	return rows
}

func readFile(t testing.TB, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// primary is the licence a text is mostly made of: the text or fingerprint match with the
// largest coverage (the first of equals).
func primary(ms []Match) (Match, bool) {
	var best Match
	found := false
	for _, m := range ms {
		if m.How == "identifier" {
			continue
		}
		if !found || m.Coverage > best.Coverage {
			best, found = m, true
		}
	}
	return best, found
}

func describe(ms []Match) string {
	var s []string
	for _, m := range ms {
		s = append(s, fmt.Sprintf("%s@%s[%s %.2f %d-%d]", m.Key, m.Version, m.How, m.Coverage, m.Lines[0], m.Lines[1]))
	}
	return "[" + strings.Join(s, " ") + "]"
}

// The ScanCode texts open with a YAML header whose key and short_name name the licence. These
// rewrite a text so that a test fails if identification reads that header.
func withoutHeader(s string) string { return s[frontMatterEnd(s):] }

func withHeaderOf(s, other string) string {
	return other[:frontMatterEnd(other)] + withoutHeader(s)
}

// asHosted rewrites a text the way hosting sites and editors do: the heading in Markdown bold,
// lines rewrapped at 60 columns, straight quotes made curly and curly ones straight, a site
// banner on top, CRLF line ends and an HTML line break here and there.
func asHosted(s string) string {
	s = withoutHeader(s)
	s = strings.NewReplacer(`"`, "\u201d", "'", "\u2019", "\u201c", `"`, "\u2018", "'").Replace(s)
	lines := strings.Split(s, "\n")
	var out []string
	headed := false
	for i, l := range lines {
		if !headed && strings.TrimSpace(l) != "" {
			l = "# **" + strings.TrimSpace(l) + "**"
			headed = true
		}
		for len(l) > 60 {
			cut := strings.LastIndexByte(l[:60], ' ')
			if cut <= 0 {
				break
			}
			out = append(out, l[:cut])
			l = l[cut+1:]
		}
		if i%7 == 3 {
			l += "<br/>"
		}
		out = append(out, l)
	}
	return "Skip to content\nLICENSE\nView raw\n\n" + strings.Join(out, "\r\n")
}

// TestIdentifySharedTexts identifies every ScanCode text with the key and version
// texts-expected.tsv gives, as stored (header included), without its header, under another
// licence's header, and reformatted as a hosting site would.
func TestIdentifySharedTexts(t *testing.T) {
	t.Parallel()
	dir := sharedEval(t, "licenses")
	rows := readTSV(t, filepath.Join(dir, "texts-expected.tsv"))
	if len(rows) != 29 {
		t.Fatalf("texts-expected.tsv has %d rows, want 29", len(rows))
	}
	cat := Default()
	texts := make([]string, len(rows))
	for i, r := range rows {
		texts[i] = readFile(t, filepath.Join(dir, "texts", r[0]))
		if frontMatterEnd(texts[i]) == 0 || !strings.Contains(texts[i][:frontMatterEnd(texts[i])], "short_name:") {
			t.Fatalf("%s: expected a ScanCode YAML header", r[0])
		}
	}
	correct := 0
	for i, r := range rows {
		file, key, version := r[0], r[1], r[2]
		other := texts[(i+len(texts)/2)%len(texts)]
		ok := true
		for _, v := range []struct{ name, text string }{
			{"as stored", texts[i]},
			{"without header", withoutHeader(texts[i])},
			{"under another header", withHeaderOf(texts[i], other)},
			{"as hosted", asHosted(texts[i])},
		} {
			ms := cat.Identify(v.text)
			p, found := primary(ms)
			if !found || p.Key != key || p.Version != version {
				t.Errorf("%s %s: got %s, want %s@%s", file, v.name, describe(ms), key, version)
				ok = false
			}
			for _, m := range ms {
				if m.Key != p.Key && m.Coverage > 0.1 && !strings.HasSuffix(m.Key, "use-policy") {
					t.Errorf("%s %s: a second licence %s@%s besides %s", file, v.name, m.Key, m.Version, key)
				}
			}
		}
		if ok {
			correct++
		}
	}
	t.Logf("%d of %d texts identified with the expected key and version", correct, len(rows))
}

// TestIdentifyInTheWild identifies the LICENSE and policy files of model repositories
// (labels.tsv) at 95% or better; every file is expected right today.
func TestIdentifyInTheWild(t *testing.T) {
	t.Parallel()
	dir := sharedEval(t, "licenses/in-the-wild")
	cat := Default()
	total, correct := 0, 0
	for _, r := range readTSV(t, filepath.Join(dir, "labels.tsv")) {
		file, key := r[0], r[1]
		ms := cat.Identify(readFile(t, filepath.Join(dir, file)))
		if key == "skip" {
			// An unofficial rewrite titled like the NVIDIA Open Model License: it must not pass
			// for the real agreement.
			for _, m := range ms {
				if m.Key == "nvidia-open-model" {
					t.Errorf("%s: a paraphrase identified as the official %s", file, m.ID)
				}
			}
			continue
		}
		total++
		if p, ok := primary(ms); ok && p.Key == key {
			correct++
		} else {
			t.Errorf("%s: got %s, want %s", file, describe(ms), key)
		}
	}
	if total == 0 || correct*100 < total*95 {
		t.Errorf("identified %d of %d, want at least 95%%", correct, total)
	}
	t.Logf("%d of %d in-the-wild files identified", correct, total)
}

// TestIdentifyLicenceWithPolicy finds both the licence and its use policy when one file holds
// both, each with its own lines, in either order; and a code licence beside an AI licence.
func TestIdentifyLicenceWithPolicy(t *testing.T) {
	t.Parallel()
	wild := sharedEval(t, "licenses/in-the-wild")
	texts := sharedEval(t, "licenses/texts")
	read := func(dir, name string) string { return withoutHeader(readFile(t, filepath.Join(dir, name))) }
	llama := read(wild, "meta-llama__llama-models__models_llama3_1_LICENSE")
	aup := read(wild, "meta-llama__llama-models__models_llama3_1_USE_POLICY.md")
	tou := read(texts, "gemma-tou-2024-04-01.txt")
	pup := read(texts, "gemma-pup-2024-02-21.txt")
	mit := read(wild, "deepseek-ai__DeepSeek-V3__LICENSE-CODE")
	llama4 := read(wild, "meta-llama__llama-models__models_llama4_LICENSE")
	tests := []struct {
		name  string
		parts []string
		want  []string // key@version per part, in order
	}{
		{"llama licence then policy", []string{llama, aup}, []string{"llama3.1@3.1", "llama3.1-acceptable-use-policy@3.1"}},
		{"policy then licence", []string{aup, llama}, []string{"llama3.1-acceptable-use-policy@3.1", "llama3.1@3.1"}},
		{"gemma terms then policy", []string{tou, pup}, []string{"gemma@2024-04-01", "gemma-prohibited-use-policy@2024-02-21"}},
		{"MIT then llama", []string{mit, llama4}, []string{"mit@", "llama4@4"}},
		{"llama then MIT", []string{llama4, mit}, []string{"llama4@4", "mit@"}},
	}
	cat := Default()
	for _, tt := range tests {
		text := strings.Join(tt.parts, "\n\n")
		ms := cat.Identify(text)
		if len(ms) != len(tt.want) {
			t.Errorf("%s: got %s, want %v", tt.name, describe(ms), tt.want)
			continue
		}
		line := 1
		for i, m := range ms {
			if got := m.Key + "@" + m.Version; got != tt.want[i] {
				t.Errorf("%s: match %d is %s, want %s", tt.name, i, got, tt.want[i])
			}
			// Each part starts where the previous one ended (plus the blank line between).
			first := line + strings.Count(tt.parts[i][:len(tt.parts[i])-len(strings.TrimLeft(tt.parts[i], "\n"))], "\n")
			if m.Lines[0] < first || m.Lines[0] > first+2 {
				t.Errorf("%s: %s starts at line %d, want about %d", tt.name, m.Key, m.Lines[0], first)
			}
			line += strings.Count(tt.parts[i], "\n") + 2
			if m.Lines[1] >= line {
				t.Errorf("%s: %s ends at line %d, inside the next part (from %d)", tt.name, m.Key, m.Lines[1], line)
			}
		}
	}
}

// TestModifiedMITIsNotMIT: Kimi's licence is the MIT text plus a display duty, so it is its own
// licence, with or without its heading; the plain MIT text stays MIT.
func TestModifiedMITIsNotMIT(t *testing.T) {
	t.Parallel()
	kimi := withoutHeader(readFile(t, filepath.Join(sharedEval(t, "licenses/texts"), "moonshot-ai-modified-mit-2025.txt")))
	mit := readFile(t, filepath.Join(sharedEval(t, "licenses/in-the-wild"), "deepseek-ai__DeepSeek-V3__LICENSE-CODE"))
	headless := strings.Replace(kimi, "Modified MIT License", "", 1)
	cat := Default()
	for name, text := range map[string]string{"kimi": kimi, "kimi without its heading": headless} {
		ms := cat.Identify(text)
		if len(ms) != 1 || ms[0].Key != "moonshot-modified-mit" || ms[0].Coverage < 0.9 {
			t.Errorf("%s: got %s, want moonshot-modified-mit alone, covering the text", name, describe(ms))
		}
	}
	if ms := cat.Identify(mit); len(ms) != 1 || ms[0].ID != "MIT" {
		t.Errorf("plain MIT: got %s", describe(ms))
	}
}

// TestLlamaVersions tells every Llama licence and policy apart: no text is also taken for
// another version.
func TestLlamaVersions(t *testing.T) {
	t.Parallel()
	texts := sharedEval(t, "licenses/texts")
	wild := sharedEval(t, "licenses/in-the-wild")
	cases := map[string]string{
		filepath.Join(texts, "llama-license-2023.txt"):                                 "llama1",
		filepath.Join(texts, "llama-2-license-2023.txt"):                               "llama2",
		filepath.Join(texts, "llama-3.1-license-2024.txt"):                             "llama3.1",
		filepath.Join(texts, "llama-3.2-license-2024.txt"):                             "llama3.2",
		filepath.Join(texts, "llama-3.3-license-2024.txt"):                             "llama3.3",
		filepath.Join(texts, "llama-4-cla-2025.txt"):                                   "llama4",
		filepath.Join(texts, "llama-4-license-2025.txt"):                               "llama4-acceptable-use-policy",
		filepath.Join(wild, "meta-llama__llama-models__models_llama3_USE_POLICY.md"):   "llama3-acceptable-use-policy",
		filepath.Join(wild, "meta-llama__llama-models__models_llama2_USE_POLICY.md"):   "llama2-acceptable-use-policy",
		filepath.Join(wild, "meta-llama__llama-models__models_llama3_1_USE_POLICY.md"): "llama3.1-acceptable-use-policy",
		filepath.Join(wild, "meta-llama__llama-models__models_llama3_3_USE_POLICY.md"): "llama3.3-acceptable-use-policy",
	}
	cat := Default()
	for path, key := range cases {
		ms := cat.Identify(readFile(t, path))
		if len(ms) != 1 || ms[0].Key != key {
			t.Errorf("%s: got %s, want only %s", filepath.Base(path), describe(ms), key)
		}
	}
}

// TestNotLicences: texts that are no licence give no match, including prose that names a
// licence, the way a README does.
func TestNotLicences(t *testing.T) {
	t.Parallel()
	cat := Default()
	tests := map[string]string{
		"empty":                     "",
		"blank":                     " \n\n\t\n",
		"readme":                    "# Birdsong-7B\n\nA small model that answers questions about birds.\n\n## Usage\n\n```python\nfrom transformers import pipeline\np = pipeline(\"text-generation\", model=\"birdsong-7b\")\n```\n",
		"readme naming its licence": "# Tuned model\n\nThis fine-tune of Llama 3.1 8B is released under the Llama 3.1 Community License Agreement. Built with Llama.\nSee LICENSE for the terms.\n",
		"readme naming gemma":       "Use of this model is subject to the Gemma Terms of Use and the Gemma Prohibited Use Policy.\n",
		"go code":                   "package main\n\nimport \"fmt\"\n\nfunc main() {\n\tfmt.Println(\"licence\")\n}\n",
		"python code":               "def license_key(x):\n    \"\"\"Return the licence key.\"\"\"\n    return x.lower()\n",
		"csv":                       "id,name,license\n1,model-a,apache-2.0\n2,model-b,llama3.1\n",
		"front matter only":         "---\nlicense: llama3.1\nlicense_name: llama-3.1-community-license-agreement\n---\n",
	}
	for name, text := range tests {
		if ms := cat.Identify(text); len(ms) != 0 {
			t.Errorf("%s: got %s, want no match", name, describe(ms))
		}
	}
}

// TestIdentifyLargeInput identifies 10 MB of licence texts, random words and binary noise
// without panicking and with every match inside the text. Its cost is measured by
// BenchmarkIdentifyLarge; TestMatcherWorkIsLinear bounds the work.
func TestIdentifyLargeInput(t *testing.T) {
	if testing.Short() {
		t.Skip("10 MB input")
	}
	t.Parallel()
	text := largeInput(t, 10<<20)
	lines := strings.Count(text, "\n") + 1
	for _, m := range Default().Identify(text) {
		if m.Lines[0] < 1 || m.Lines[1] < m.Lines[0] || m.Lines[1] > lines {
			t.Fatalf("match %+v outside the text's %d lines", m, lines)
		}
	}
}

// largeInput builds n bytes of shared licence texts interleaved with random words and bytes.
func largeInput(t testing.TB, n int) string {
	r := rand.New(rand.NewSource(1))
	var parts []string
	dir := sharedEval(t, "licenses/texts")
	ents, _ := os.ReadDir(dir)
	for _, e := range ents {
		parts = append(parts, readFile(t, filepath.Join(dir, e.Name())))
	}
	words := strings.Fields("llama license agreement use policy the of 3.1 gemma terms model derivatives built with qwen agreement agreement")
	var b strings.Builder
	for b.Len() < n {
		switch r.Intn(3) {
		case 0:
			if len(parts) > 0 {
				b.WriteString(parts[r.Intn(len(parts))])
			}
		case 1:
			for range 2000 {
				b.WriteString(words[r.Intn(len(words))])
				b.WriteByte(" \n"[r.Intn(2)])
			}
		case 2:
			noise := make([]byte, 4096)
			r.Read(noise)
			b.Write(noise)
		}
	}
	return b.String()[:n]
}

// TestMatcherWorkIsLinear checks that the phrase matcher's work grows linearly with the
// input, without timing anything: on the input worst for it (the word that ends the most
// phrases, repeated) and on mixed input, a hundred times more text costs a hundred times
// more comparisons.
func TestMatcherWorkIsLinear(t *testing.T) {
	t.Parallel()
	m := fingerprintMatcher()
	word, bucket := "", 0
	for _, w := range []string{"agreement", "license", "policy", "model", "llama", "2024", "use", "gemma", "materials"} {
		if n := len(m.byLast[phraseWords(w)[0]]); n > bucket {
			word, bucket = w, n
		}
	}
	for name, gen := range map[string]func(n int) string{
		"repeated " + word: func(n int) string { return strings.Repeat(word+" ", n/(len(word)+1)) },
		"mixed":            func(n int) string { return largeInput(t, n) },
	} {
		_, words1, work1 := m.scan(gen(100_000), 0)
		_, words2, work2 := m.scan(gen(10_000_000), 0)
		if words1 == 0 || work2 > 110*max(work1, words1) {
			t.Errorf("%s: %d words cost %d comparisons, %d words cost %d: not linear", name, words1, work1, words2, work2)
		}
		if work2 > words2*bucket*m.maxLen {
			t.Errorf("%s: %d comparisons for %d words exceed the bound %d per word", name, work2, words2, bucket*m.maxLen)
		}
	}
}
