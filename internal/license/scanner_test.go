package license

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/licensecheck"
)

// TestCandidateScannerFindsWhatTheFullOneFinds: building the scanner over the candidate licences
// only changes nothing that is found, on every real licence text of ../shared/eval.
func TestCandidateScannerFindsWhatTheFullOneFinds(t *testing.T) {
	t.Parallel()
	var all []licensecheck.License
	for _, c := range scanCandidates() {
		all = append(all, c.lic)
	}
	full, err := licensecheck.NewScanner(all)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, sub := range []string{"texts", "in-the-wild"} {
		dir := filepath.Join("..", "..", "..", "shared", "eval", "licenses", sub)
		ents, err := os.ReadDir(dir)
		if err != nil {
			t.Skipf("the real licence texts are not here (%v); they live in ../shared/eval/licenses beside the repository", err)
		}
		for _, e := range ents {
			data, err := os.ReadFile(filepath.Join(dir, e.Name()))
			if err != nil || e.IsDir() {
				continue
			}
			n++
			want := full.Scan(data).Match
			var got []licensecheck.Match
			if s := textScanner(data); s != nil {
				got = s.Scan(data).Match
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("%s: candidate scanner differs (-full +candidates):\n%s", e.Name(), diff)
			}
		}
	}
	if n < 40 {
		t.Errorf("compared %d texts, want the whole corpus (40 or more)", n)
	}
	if textScanner([]byte("MIT\n")) != nil {
		t.Error("a four-byte text has candidates; it should need no scanner at all")
	}
}
