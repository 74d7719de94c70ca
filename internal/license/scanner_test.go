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
	// Short notices of our own, which patterns accept beside their licences' full texts.
	for _, notice := range []string{
		"Kestrel's weights are licensed under the Apache License, Version 2.0.\n",
		"This work is licensed under a Creative Commons Attribution 4.0 International License.\n",
		"Released under the Mozilla Public License 2.0.\n",
		"This program is free software: you can redistribute it under the terms of the GNU General Public License as published by the Free Software Foundation, either version 3 of the License, or any later version.\n",
	} {
		want := full.Scan([]byte(notice)).Match
		var got []licensecheck.Match
		if picked := candidatesFor([]byte(notice)); len(picked) > 0 {
			got = buildScanner(scanCandidates(), picked).Scan([]byte(notice)).Match
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%q: candidate scanner differs (-full +candidates):\n%s", notice, diff)
		}
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
			// The candidates' own scanner, not the cache (another test may have filled it).
			if picked := candidatesFor(data); len(picked) > 0 {
				got = buildScanner(scanCandidates(), picked).Scan(data).Match
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("%s: candidate scanner differs (-full +candidates):\n%s", e.Name(), diff)
			}
		}
	}
	if n < 40 {
		t.Errorf("compared %d texts, want the whole corpus (40 or more)", n)
	}
	if len(candidatesFor([]byte("MIT\n"))) != 0 {
		t.Error("a four-byte text has candidates; it should need no scanner at all")
	}
}

// TestScannerCacheBounded: past maxScanners candidate sets, texts share the scanner over every
// candidate, and still find their licences.
func TestScannerCacheBounded(t *testing.T) {
	cs := scanCandidates()
	for i := 0; i < maxScanners+3 && i < len(cs); i++ {
		scannerFor([]int{i})
	}
	scannersMu.Lock()
	n := len(scanners)
	scannersMu.Unlock()
	if n > maxScanners {
		t.Errorf("%d scanners kept, want at most %d", n, maxScanners)
	}
	notice := []byte("Kestrel's weights are licensed under the Apache License, Version 2.0.\n")
	if s := textScanner(notice); s == nil || len(s.Scan(notice).Match) == 0 {
		t.Error("with the cache full, a notice is no longer found")
	}
}
