package censustest

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/glassbox-dev/glassbox/internal/card"
	"github.com/glassbox-dev/glassbox/internal/source/hub/hubtest"
)

// realCards is how many real cards of cards-hub become templates; failingCards is the least
// number of those that the Hub's own parser rejects, so unparseable cards always occur.
const (
	realCards    = 300
	failingCards = 6
)

// file is one file of a template, identical byte for byte in every model that uses it.
type file struct {
	path   string
	data   []byte
	lfs    bool
	oid    string // git blob sha1
	sha256 string // LFS oid, set for LFS files
}

// template is the content shared by every model i with i % len(templates) == its index: the
// card, the files and the precomputed JSON of every static expand field.
type template struct {
	label       string // where it came from: "card:<cards-hub id>" or "synthetic:<kind>"
	home        string // the id of the first model using it
	stem        string // name stem for the other models
	cardOK      bool   // the card has front matter the Hub's parser accepts
	hasCard     bool
	licenses    []string
	licenseName string
	bases       []string
	relation    string
	datasets    []string
	gated       string
	licenseFile string // file name under licenses/texts carried as LICENSE
	library     string
	pipeline    string
	cardTags    []string

	cardData map[string]any
	files    []file
	tags     map[string]bool
	frag     map[string][]byte // expand field → `"field":value`
	tree     []byte            // the recursive tree listing
}

// oracleLine is one line of cards-hub/oracle.jsonl: what huggingface_hub parsed from a card.
type oracleLine struct {
	ID          string `json:"id"`
	OK          bool   `json:"ok"`
	License     any    `json:"license"`
	LicenseName any    `json:"license_name"`
	BaseModel   any    `json:"base_model"`
	Relation    any    `json:"base_model_relation"`
	Datasets    any    `json:"datasets"`
	Library     any    `json:"library_name"`
	Pipeline    any    `json:"pipeline_tag"`
	Tags        any    `json:"tags"`
	YAMLBlock   bool   `json:"yaml_block"`
}

// strs reads an oracle value that is a string, a list or null.
func strs(v any) []string {
	switch v := v.(type) {
	case string:
		return []string{v}
	case []any:
		var out []string
		for _, x := range v {
			if s, ok := x.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

// first is the first string of an oracle value ("" for null): a few cards give a list where
// the Hub expects one string.
func first(v any) string {
	if s := strs(v); len(s) > 0 {
		return s[0]
	}
	return ""
}

// evalRoot finds ../shared/eval beside the module root, or skips the test naming the path.
func evalRoot(tb testing.TB) string {
	tb.Helper()
	dir, err := os.Getwd()
	if err != nil {
		tb.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		if filepath.Dir(dir) == dir {
			tb.Skipf("no go.mod above %s, so ../shared/eval cannot be located", dir)
		}
		dir = filepath.Dir(dir)
	}
	root := filepath.Join(dir, "..", "shared", "eval")
	for _, sub := range []string{"cards-hub/oracle.jsonl", "licenses/texts"} {
		if _, err := os.Stat(filepath.Join(root, sub)); err != nil {
			tb.Skipf("%s is absent: the census fake Hub builds its models from it", filepath.Join(root, sub))
		}
	}
	return root
}

// readOracle reads every line of oracle.jsonl.
func readOracle(tb testing.TB, root string) []oracleLine {
	tb.Helper()
	raw, err := os.ReadFile(filepath.Join(root, "cards-hub", "oracle.jsonl"))
	if err != nil {
		tb.Fatal(err)
	}
	var out []oracleLine
	sc := bufio.NewScanner(bytes.NewReader(raw))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var o oracleLine
		if err := json.Unmarshal(sc.Bytes(), &o); err != nil {
			tb.Fatalf("oracle.jsonl: %v", err)
		}
		out = append(out, o)
	}
	return out
}

// pickCards chooses realCards cards by seed, at least failingCards of them unparseable.
func pickCards(lines []oracleLine, seed int64) []oracleLine {
	r := rand.New(rand.NewPCG(uint64(seed), 0x9e3779b97f4a7c15))
	shuffled := slices.Clone(lines)
	r.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
	n := min(realCards, len(shuffled))
	picked := slices.Clone(shuffled[:n])
	failing := 0
	for _, o := range picked {
		if !o.OK {
			failing++
		}
	}
	for _, o := range shuffled[n:] {
		if failing >= failingCards {
			break
		}
		if !o.OK {
			picked, failing = append(picked, o), failing+1
		}
	}
	return picked
}

// homeID turns a cards-hub id (prefix__ORG__NAME) into the model id it was taken from; ids of
// the Hub's early days had no organisation and get "hub-legacy".
func homeID(cardID string) string {
	_, rest, _ := strings.Cut(cardID, "__")
	if org, name, ok := strings.Cut(rest, "__"); ok {
		return org + "/" + name
	}
	return "hub-legacy/" + rest
}

// repoID is the shape of ORG/NAME ids the fake Hub can list.
var repoID = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]*/[A-Za-z0-9][A-Za-z0-9._-]*$`)

// licenseTexts maps a Hub licence id to the file under licenses/texts that carries its text
// (the first file whose catalogue key is that id).
func licenseTexts(tb testing.TB, root string) map[string]string {
	tb.Helper()
	raw, err := os.ReadFile(filepath.Join(root, "licenses", "texts-expected.tsv"))
	if err != nil {
		tb.Fatal(err)
	}
	out := map[string]string{}
	for _, line := range strings.Split(string(raw), "\n")[1:] {
		cols := strings.Split(line, "\t")
		if len(cols) >= 2 && out[cols[1]] == "" {
			out[cols[1]] = cols[0]
		}
	}
	return out
}

// cardTemplate makes the template of one real card.
func cardTemplate(tb testing.TB, root string, o oracleLine, texts map[string]string) *template {
	tb.Helper()
	data, err := os.ReadFile(filepath.Join(root, "cards-hub", o.ID, "README.md"))
	if err != nil {
		tb.Fatal(err)
	}
	home := homeID(o.ID)
	t := &template{label: "card:" + o.ID, home: home, stem: stemOf(home), hasCard: true, cardOK: o.OK && o.YAMLBlock}
	if t.cardOK {
		t.licenses, t.licenseName = strs(o.License), first(o.LicenseName)
		t.bases, t.relation, t.datasets = strs(o.BaseModel), first(o.Relation), strs(o.Datasets)
		t.library, t.pipeline, t.cardTags = first(o.Library), first(o.Pipeline), strs(o.Tags)
		t.cardData = card.Parse("README.md", data).Raw
		if t.cardData == nil {
			t.cardOK = false
		}
	}
	if len(t.licenses) == 1 {
		t.licenseFile = texts[t.licenses[0]]
	}
	t.files = []file{{path: "README.md", data: data}}
	return t
}

// stemOf is the name part of an id, shortened, for the names of a template's other models.
func stemOf(id string) string {
	_, name, _ := strings.Cut(id, "/")
	if len(name) > 40 {
		name = name[:40]
	}
	return strings.TrimRight(name, "-._")
}

// sanitize replaces values JSON cannot carry (NaN and infinite numbers from YAML's .nan and
// .inf) with their text, so every cardData marshals.
func sanitize(v any) any {
	switch v := v.(type) {
	case float64:
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Sprint(v)
		}
	case map[string]any:
		for k, x := range v {
			v[k] = sanitize(x)
		}
	case []any:
		for i, x := range v {
			v[i] = sanitize(x)
		}
	}
	return v
}

// sortedKeys lists a set's members in order.
func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// safetensorsWeights builds a template's weights; the metadata names the template so each
// template's weights have their own sha256, shared by its models.
func safetensorsWeights(tb testing.TB, label string) []byte {
	return hubtest.SafetensorsFile(tb, map[string]string{"format": "pt", "template": label})
}
