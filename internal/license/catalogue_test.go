package license

import (
	"encoding/json"
	"github.com/google/licensecheck"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// sharedEval returns the path of ../shared/eval/<sub> from the repository root, skipping the
// test with a clear message when it is absent.
func sharedEval(t testing.TB, sub string) string {
	t.Helper()
	dir, _ := os.Getwd()
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the test directory")
		}
		dir = parent
	}
	p := filepath.Join(dir, "..", "shared", "eval", sub)
	if _, err := os.Stat(p); err != nil {
		t.Skipf("skipping: %s is absent (the shared evaluation data sits beside the repository)", p)
	}
	return p
}

// TestSPDXAgreesWithList checks every id, name and flag of the embedded table against the SPDX
// lists it was generated from.
func TestSPDXAgreesWithList(t *testing.T) {
	dir := sharedEval(t, "spdx")
	var old struct {
		Licenses []struct {
			ID         string `json:"licenseId"`
			Name       string `json:"name"`
			OSI        bool   `json:"isOsiApproved"`
			FSF        bool   `json:"isFsfLibre"`
			Deprecated bool   `json:"isDeprecatedLicenseId"`
		} `json:"licenses"`
	}
	var cur struct {
		Licenses map[string]struct {
			Name string `json:"name"`
			OSI  bool   `json:"osiApproved"`
		} `json:"licenses"`
	}
	readJSON(t, filepath.Join(dir, "spdx-licenses.json"), &old)
	readJSON(t, filepath.Join(dir, "spdx-list-2026.json"), &cur)
	cat := Default()
	if len(old.Licenses) != 659 || len(cur.Licenses) != 727 {
		t.Fatalf("lists have %d and %d ids, want 659 and 727", len(old.Licenses), len(cur.Licenses))
	}
	for _, l := range old.Licenses {
		e, ok := cat.ByID(l.ID)
		if !ok {
			t.Errorf("%s: missing from the catalogue", l.ID)
			continue
		}
		if e.SPDX2024 == nil || e.SPDX2024.OSI != l.OSI || e.SPDX2024.FSF != l.FSF || e.SPDX2024.Deprecated != l.Deprecated {
			t.Errorf("%s: 2024 flags %+v, list says osi=%v fsf=%v deprecated=%v", l.ID, e.SPDX2024, l.OSI, l.FSF, l.Deprecated)
		}
		if e.FSF != l.FSF || e.Deprecated != l.Deprecated {
			t.Errorf("%s: fsf=%v deprecated=%v, list says %v %v", l.ID, e.FSF, e.Deprecated, l.FSF, l.Deprecated)
		}
	}
	for id, l := range cur.Licenses {
		e, ok := cat.ByID(id)
		if !ok {
			t.Errorf("%s: missing from the catalogue", id)
			continue
		}
		if e.OSI != l.OSI {
			t.Errorf("%s: osi=%v, current list says %v", id, e.OSI, l.OSI)
		}
	}
}

func readJSON(t *testing.T, path string, v any) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}

// TestHubIDs maps every Hub licence id as hf_license_to_spdx.tsv says: to the SPDX id it names,
// or to a LicenseRef where SPDX has none.
func TestHubIDs(t *testing.T) {
	dir := sharedEval(t, "hub")
	data, err := os.ReadFile(filepath.Join(dir, "hf_license_to_spdx.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	cat := Default()
	n := 0
	for i, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		if i == 0 {
			continue
		}
		f := strings.Split(line, "\t")
		hub, want := f[0], f[2]
		if hub == "other" {
			continue // resolved through license_name and license_link
		}
		n++
		e, ok := cat.Hub(hub)
		if !ok {
			t.Errorf("Hub id %q: not in the catalogue", hub)
			continue
		}
		if _, ref, found := strings.Cut(want, "-> "); found {
			if !strings.HasPrefix(e.ID, "LicenseRef-") {
				t.Errorf("Hub id %q: got %s, want a LicenseRef (suggested %s)", hub, e.ID, ref)
			}
			continue
		}
		spdx := strings.Fields(want)[0]
		if e.ID != spdx {
			t.Errorf("Hub id %q: got %s, want %s", hub, e.ID, spdx)
		}
	}
	if n != 82 {
		t.Errorf("checked %d Hub ids, want 82", n)
	}
}

func TestOpenAndRestrictions(t *testing.T) {
	t.Parallel()
	cat := Default()
	tests := []struct {
		name         string
		open         bool
		restrictions string
	}{
		{"apache-2.0", true, ""},
		{"MIT", true, ""},
		{"cc-by-4.0", true, ""},
		{"CDLA-Permissive-2.0", true, ""},
		{"OpenMDW-1.0", true, ""},
		{"cc-by-nc-4.0", false, "non-commercial"},
		{"llama3.1", false, "use policy (incorporated by reference); 700M MAU cap"},
		{"llama3.2", false, "use policy (incorporated by reference); 700M MAU cap; geographic exclusion (EU (multimodal models))"},
		{"llama2", false, "use policy (incorporated by reference); 700M MAU cap; no training other models on outputs"},
		{"gemma", false, "use policy (incorporated by reference); revocable or changeable terms"},
		{"creativeml-openrail-m", false, "use policy; revocable or changeable terms"},
		{"fair-noncommercial-research-license", false, "non-commercial; research only; use policy; revocable or changeable terms"},
		{"llama3", false, "use policy (incorporated by reference); 700M MAU cap; no training other models on outputs"},
		{"qwen", false, "100M MAU cap"},
		{"stability-ai-community", false, "use policy (incorporated by reference); $1M revenue cap; no training other models on outputs; revocable or changeable terms"},
		{"tencent-hunyuan-community", false, "use policy (incorporated by reference); 100M MAU cap; no training other models on outputs; geographic exclusion (EU, UK, South Korea)"},
		{"tencent-hunyuan-community@2024-05-14", false, "use policy (incorporated by reference); 100M MAU cap; no training other models on outputs"},
		{"moonshot-modified-mit", false, "commercial use limited"},
		{"gemma@2025-03-24", false, "use policy (incorporated by reference); revocable or changeable terms"},
		{"llama4-acceptable-use-policy", false, "use policy (incorporated by reference); geographic exclusion (EU (multimodal models))"},
		{"openatom-model", true, ""},
	}
	for _, tt := range tests {
		e, ok := cat.Lookup(tt.name)
		if !ok {
			t.Errorf("%s: not found", tt.name)
			continue
		}
		if e.Open() != tt.open {
			t.Errorf("%s: Open() = %v, want %v", tt.name, e.Open(), tt.open)
		}
		if got := strings.Join(e.Restrictions(), "; "); got != tt.restrictions {
			t.Errorf("%s: restrictions %q, want %q", tt.name, got, tt.restrictions)
		}
	}
}

func TestEvaluate(t *testing.T) {
	t.Parallel()
	cat := Default()
	tests := []struct {
		expr string
		open bool
		ids  string
	}{
		{"Apache-2.0", true, "Apache-2.0"},
		{"MIT OR LicenseRef-Llama-3.1-Community", true, "LicenseRef-Llama-3.1-Community,MIT"},
		{"MIT AND LicenseRef-Llama-3.1-Community", false, "LicenseRef-Llama-3.1-Community,MIT"},
		{"(MIT AND CC-BY-4.0) OR CC-BY-NC-4.0", true, "CC-BY-4.0,CC-BY-NC-4.0,MIT"},
		{"GPL-2.0-only WITH Classpath-exception-2.0", true, "GPL-2.0-only WITH Classpath-exception-2.0"},
		{"llama3.1", false, "LicenseRef-Llama-3.1-Community"},
		{"", false, ""},
	}
	for _, tt := range tests {
		ev := cat.Evaluate(tt.expr)
		if ev.Open != tt.open || strings.Join(ev.IDs, ",") != tt.ids {
			t.Errorf("Evaluate(%q) = open %v ids %v, want %v %s", tt.expr, ev.Open, ev.IDs, tt.open, tt.ids)
		}
	}
}

func TestIdentifySignals(t *testing.T) {
	t.Parallel()
	cat := Default()
	tests := []struct {
		name, text string
		want       []string // "ID@how:from-to"
	}{
		{"identifier line", "# SPDX-License-Identifier: Apache-2.0\nprint('hi')\n", []string{"Apache-2.0@identifier:1-1"}},
		{"identifier expression", "// SPDX-License-Identifier: MIT OR Apache-2.0\n", []string{"Apache-2.0@identifier:1-1", "MIT@identifier:1-1"}},
		{"AI licence heading", "Some preamble\n\n**LLAMA 3.1 COMMUNITY LICENSE AGREEMENT**\nLlama 3.1 Version Release Date: July 23, 2024\nprominently display “Built with Llama”\n", []string{"LicenseRef-Llama-3.1-Community@fingerprint:3-5"}},
		{"prose is no licence", "# My model\n\nThis model answers questions about birds.\n", nil},
		{"code is no licence", "def f(x):\n    return x * 2\n", nil},
		{"empty", "", nil},
	}
	for _, tt := range tests {
		var got []string
		for _, m := range cat.Identify(tt.text) {
			got = append(got, m.ID+"@"+m.How+":"+itoa(m.Lines[0])+"-"+itoa(m.Lines[1]))
		}
		if strings.Join(got, " ") != strings.Join(tt.want, " ") {
			t.Errorf("%s: got %v, want %v", tt.name, got, tt.want)
		}
	}
}

// TestIdentifyRealTexts checks licensecheck-backed identification on real LICENSE files from
// model repositories that hold a standard SPDX licence.
func TestIdentifyRealTexts(t *testing.T) {
	dir := sharedEval(t, "licenses/in-the-wild")
	cat := Default()
	data, err := os.ReadFile(filepath.Join(dir, "deepseek-ai__DeepSeek-V3__LICENSE-CODE"))
	if err != nil {
		t.Fatal(err)
	}
	ms := cat.Identify(string(data))
	if len(ms) != 1 || ms[0].ID != "MIT" || ms[0].How != "text" || ms[0].Coverage < 0.9 {
		t.Fatalf("DeepSeek-V3 LICENSE-CODE: got %+v, want one MIT text match", ms)
	}
}

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}

// TestCatalogueReference checks every licence of catalog-reference.tsv: its key resolves, and
// the SPDX id (or a LicenseRef where SPDX has none), OSI approval and commercial use agree with
// the reference.
func TestCatalogueReference(t *testing.T) {
	t.Parallel()
	rows := readTSV(t, filepath.Join(sharedEval(t, "licenses"), "catalog-reference.tsv"))
	if len(rows) != 57 {
		t.Fatalf("catalog-reference.tsv has %d rows, want 57", len(rows))
	}
	cat := Default()
	for _, r := range rows {
		key, spdx, osi, commercial := r[0], r[2], r[4], r[6]
		e, ok := cat.Lookup(key)
		if !ok {
			t.Errorf("%s: not in the catalogue", key)
			continue
		}
		if e.Key != key {
			t.Errorf("%s: resolves to key %s", key, e.Key)
		}
		if strings.HasPrefix(spdx, "-") {
			if !strings.HasPrefix(e.ID, "LicenseRef-") {
				t.Errorf("%s: id %s, want a LicenseRef (SPDX has none)", key, e.ID)
			}
		} else {
			var ids []string
			for _, id := range strings.Split(spdx, " / ") {
				ids = append(ids, strings.Fields(id)[0])
			}
			if !slices.Contains(ids, e.ID) {
				t.Errorf("%s: id %s, want one of %v", key, e.ID, ids)
			}
		}
		if want := osi == "yes"; e.OSI != want {
			t.Errorf("%s: osi %v, reference says %s", key, e.OSI, osi)
		}
		if string(e.Terms.Commercial) != commercial {
			t.Errorf("%s: commercial %q, reference says %q", key, e.Terms.Commercial, commercial)
		}
	}
}

// TestExpectedKeysResolve: every key and version texts-expected.tsv and labels.tsv name is a
// catalogue entry, so identification can report it.
func TestExpectedKeysResolve(t *testing.T) {
	t.Parallel()
	dir := sharedEval(t, "licenses")
	cat := Default()
	for _, r := range readTSV(t, filepath.Join(dir, "texts-expected.tsv")) {
		if e, ok := cat.Version(r[1], r[2]); !ok || e.Key != r[1] || e.Version != r[2] {
			t.Errorf("%s: no entry %s@%s", r[0], r[1], r[2])
		}
	}
	for _, r := range readTSV(t, filepath.Join(dir, "in-the-wild", "labels.tsv")) {
		if r[1] == "skip" {
			continue
		}
		if _, ok := cat.Lookup(r[1]); !ok {
			t.Errorf("%s: no entry %s", r[0], r[1])
		}
	}
}

// TestCatalogueShape checks the catalogue's own consistency: enough AI licences, every
// fingerprint, version and incorporated policy resolves, and ids and key@version are unique.
func TestCatalogueShape(t *testing.T) {
	t.Parallel()
	cat := Default()
	ai := 0
	refs, ids := map[string]bool{}, map[string]bool{}
	for _, e := range cat.Entries() {
		switch e.Kind {
		case KindModel, KindPolicy, KindData:
			ai++
		}
		if ids[e.ID] {
			t.Errorf("id %s appears twice", e.ID)
		}
		ids[e.ID] = true
		if e.curated {
			if refs[e.Ref()] {
				t.Errorf("%s appears twice", e.Ref())
			}
			refs[e.Ref()] = true
		}
		for _, p := range e.Policies {
			if pe, ok := cat.Lookup(p); !ok || pe.Kind != KindPolicy {
				t.Errorf("%s incorporates %s, which is no policy in the catalogue", e.Ref(), p)
			}
		}
		if got, ok := cat.Lookup(e.Ref()); e.curated && (!ok || got != e) {
			t.Errorf("Lookup(%q) does not give the entry back", e.Ref())
		}
	}
	if ai < 55 {
		t.Errorf("%d AI model, policy and data licences, want at least 55", ai)
	}
	t.Logf("%d entries, %d of them AI model, policy or data licences", len(cat.Entries()), ai)
	m := fingerprintMatcher()
	for _, f := range m.fps {
		if _, ok := cat.Version(f.Key, f.Version); !ok {
			t.Errorf("fingerprint %s@%s: no catalogue entry", f.Key, f.Version)
		}
		for _, v := range f.Versions {
			if _, ok := cat.Version(f.Key, v.Version); !ok {
				t.Errorf("fingerprint %s@%s: no catalogue entry", f.Key, v.Version)
			}
		}
	}
	// A bare key gives the entry without a version; key@version a dated one.
	for ref, want := range map[string]string{
		"gemma":                     "LicenseRef-Gemma-Terms-of-Use",
		"gemma@2024-04-01":          "LicenseRef-Gemma-Terms-of-Use-2024-04-01",
		"llama3.1":                  "LicenseRef-Llama-3.1-Community",
		"gpl-3.0":                   "GPL-3.0-only",
		"GPL-3.0":                   "GPL-3.0-only",
		"nvidia-open-model-license": "LicenseRef-NVIDIA-Open-Model-License",
	} {
		if e, ok := cat.Lookup(ref); !ok || e.ID != want {
			t.Errorf("Lookup(%q) = %v, want %s", ref, e, want)
		}
	}
	if e, ok := cat.ByID("GPL-3.0"); !ok || !e.Deprecated {
		t.Errorf("ByID(GPL-3.0) = %v, want the deprecated SPDX entry", e)
	}
}

// TestScannedLicences: every licence the text scanner is built over is one google/licensecheck
// knows and one the catalogue describes.
func TestScannedLicences(t *testing.T) {
	t.Parallel()
	known := map[string]bool{}
	for _, l := range licensecheck.BuiltinLicenses() {
		if l.LRE != "" {
			known[l.ID] = true
		}
	}
	cat := Default()
	for _, id := range scannedLicences {
		if !known[id] {
			t.Errorf("%s: google/licensecheck has no text for it", id)
		}
		_, byID := cat.ByID(id)
		if _, byName := cat.Lookup(id); !byID && !byName {
			t.Errorf("%s: not in the catalogue", id)
		}
	}
}
