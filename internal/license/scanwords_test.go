package license

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/licensecheck"
)

var updateScanWords = flag.Bool("update", false, "rewrite data/scanwords.bin")

// TestScanWordsUpToDate: the embedded word table is what the patterns of this licensecheck
// version give; -update rewrites it.
func TestScanWordsUpToDate(t *testing.T) {
	all := licensecheck.BuiltinLicenses()
	want := encodeCandidates(computeCandidates(all), all)
	if *updateScanWords {
		if err := os.WriteFile(filepath.Join("data", "scanwords.bin"), want, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if !bytes.Equal(scanWordsData, want) {
		t.Fatal("data/scanwords.bin is stale for this licensecheck version: go test ./internal/license -run TestScanWordsUpToDate -update")
	}
	cs, ok := decodeCandidates(scanWordsData, all)
	if !ok || len(cs) != len(computeCandidates(all)) {
		t.Fatalf("the embedded table does not decode into the computed candidates (ok %v, %d)", ok, len(cs))
	}
	if _, ok := decodeCandidates([]byte{1, 2, 3}, all); ok {
		t.Error("a damaged table decoded")
	}
}
