package license

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/google/licensecheck"
)

// sharedTexts reads every licence text of ../shared/eval/licenses (the ScanCode texts and the
// in-the-wild files), for throughput benchmarks.
func sharedTexts(b *testing.B) []string {
	b.Helper()
	var out []string
	for _, sub := range []string{"licenses/texts", "licenses/in-the-wild"} {
		dir := sharedEval(b, sub)
		ents, err := os.ReadDir(dir)
		if err != nil {
			b.Fatal(err)
		}
		for _, e := range ents {
			if e.IsDir() || e.Name() == "labels.tsv" {
				continue
			}
			data, err := os.ReadFile(filepath.Join(dir, e.Name()))
			if err != nil {
				b.Fatal(err)
			}
			out = append(out, string(data))
		}
	}
	return out
}

// BenchmarkIdentify identifies every shared licence text once per iteration; bytes/s is the
// identification throughput. The catalogue and the scanner are built before the timer starts.
func BenchmarkIdentify(b *testing.B) {
	texts := sharedTexts(b)
	cat := Default()
	cat.Identify("warm up")
	var n int64
	for _, t := range texts {
		n += int64(len(t))
	}
	b.SetBytes(n)
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		for _, t := range texts {
			cat.Identify(t)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(texts))/1e6, "ms/file")
}

// BenchmarkBuiltinScannerInit measures what google/licensecheck's package-level Scan costs on
// first use: compiling every licence it knows.
func BenchmarkBuiltinScannerInit(b *testing.B) {
	b.ReportAllocs()
	for range b.N {
		if _, err := licensecheck.NewScanner(licensecheck.BuiltinLicenses()); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkScannerInit measures building glassbox's scanner over scannedLicences, which
// replaces the built-in one.
func BenchmarkScannerInit(b *testing.B) {
	var list []licensecheck.License
	for _, l := range licensecheck.BuiltinLicenses() {
		if l.LRE != "" && scanned(l.ID) {
			list = append(list, l)
		}
	}
	b.ReportMetric(float64(len(list)), "licences")
	b.ReportAllocs()
	for range b.N {
		if _, err := licensecheck.NewScanner(list); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkIdentifyLarge identifies 10 MB of licence texts, random words and binary noise: the
// time bound for hostile input (TestMatcherWorkIsLinear shows the matcher's work is linear).
func BenchmarkIdentifyLarge(b *testing.B) {
	text := largeInput(b, 10<<20)
	cat := Default()
	cat.Identify("warm up")
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		cat.Identify(text)
	}
}
