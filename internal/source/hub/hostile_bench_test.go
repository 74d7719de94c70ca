package hub

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"strconv"
	"testing"

	"github.com/glassbox-dev/glassbox/internal/source/hub/hubtest"
)

// BenchmarkHostile audits the hostile Hub's worst cases with the CLI's defaults (DefaultOptions,
// DefaultBudget, DefaultMaxAnswer) and reports the process's peak RSS. Run one case per process
// (bench/hostile-hub.sh) so that each peak is its own; the fake Hub runs in the same process but
// streams or generates what it sends, so the peak is glassbox's.
func BenchmarkHostile(b *testing.B) {
	for _, bc := range hostileCases(b) {
		b.Run(bc.name, func(b *testing.B) {
			for b.Loop() {
				h := newFakeHub(b, bc.repos...)
				h.Hostile = bc.x
				c, _ := clientFor(h, "")
				if bc.cache {
					c.Cache = &HTTPCache{Dir: b.TempDir()}
				}
				rel, err := Audit(context.Background(), c, Target{Kind: KindModel, Repo: bc.root}, 3, Options{})
				if bc.check != nil {
					bc.check(b, rel, err)
				}
				b.ReportMetric(float64(c.Requests()), "requests")
			}
			b.ReportMetric(peakRSSMB(), "peak-RSS-MB")
		})
	}
}

type hostileCase struct {
	name  string
	repos []*fakeRepo
	root  string
	x     hubtest.Hostile
	cache bool // with the on-disk HTTP cache, as the CLI runs
	check func(b *testing.B, rel any, err error)
}

// hostileCases are the worst cases.
func hostileCases(b *testing.B) []hostileCase {
	many := func(n int, prefix string) []string {
		ids := make([]string, n)
		for i := range ids {
			ids[i] = fmt.Sprintf("%s-%05d", prefix, i)
		}
		return ids
	}
	parents := many(16, "acme/base")
	var bases []*fakeRepo
	for _, p := range parents {
		bases = append(bases, &fakeRepo{Kind: hubtest.KindModel, ID: p, SHA: commit(p), Files: map[string]fakeFile{"README.md": text("# b\n")}})
	}
	merge := &fakeRepo{Kind: hubtest.KindModel, ID: "acme/merge", SHA: commit("acme/merge"),
		Info: map[string]any{"cardData": map[string]any{"base_model": parents}}, Files: map[string]fakeFile{"README.md": text("# m\n")}}
	fan := &fakeRepo{Kind: hubtest.KindModel, ID: "acme/fan", SHA: commit("acme/fan"),
		Info:  map[string]any{"cardData": map[string]any{"base_model": many(10_000, "acme/p"), "datasets": many(10_000, "acme/d")}},
		Files: map[string]fakeFile{"README.md": text("# fan\n")}}
	weights := map[string]fakeFile{"README.md": text("# w\n")}
	for i := range 32 {
		weights[fmt.Sprintf("model-%05d-of-00032.safetensors", i+1)] = fakeFile{Data: []byte("x"), LFS: true}
	}
	big := &fakeRepo{Kind: hubtest.KindModel, ID: "acme/big", SHA: commit("acme/big"), Files: weights}
	fx := fixtures(b)
	return []hostileCase{
		{name: "info-2GB", repos: fx, root: "acme/tiny-chat", x: hubtest.Hostile{InfoBytes: 2 << 30}},
		{name: "info-gzip-bomb", repos: fx, root: "acme/tiny-chat", x: hubtest.Hostile{InfoBytes: 1 << 30, GzipInfo: true}},
		{name: "16-parents-info-2GB", repos: append(bases, merge), root: "acme/merge", x: hubtest.Hostile{InfoBytes: 2 << 30, InfoRepos: parents}},
		{name: "32-weights-31MB-headers", repos: []*fakeRepo{big}, root: "acme/big", x: hubtest.Hostile{HeaderBytes: 31 << 20}},
		{name: "32-weights-31MB-headers-cached", repos: []*fakeRepo{big}, root: "acme/big", x: hubtest.Hostile{HeaderBytes: 31 << 20}, cache: true},
		{name: "16-parents-info-2GB-cached", repos: append(bases, merge), root: "acme/merge", x: hubtest.Hostile{InfoBytes: 2 << 30, InfoRepos: parents}, cache: true},
		{name: "empty-page-cursors", repos: fx, root: "acme/tiny-chat", x: hubtest.Hostile{EmptyPages: true}},
		{name: "10000-directory-pages", repos: fx, root: "acme/tiny-chat", x: hubtest.Hostile{DirPages: 10_000}},
		{name: "10000-parents-and-datasets", repos: []*fakeRepo{fan}, root: "acme/fan"},
	}
}

// peakRSSMB is the process's peak resident set (VmHWM) in MB, 0 where /proc is missing.
func peakRSSMB() float64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range bytes.Split(b, []byte("\n")) {
		if v, ok := bytes.CutPrefix(line, []byte("VmHWM:")); ok {
			kb, _ := strconv.ParseFloat(string(bytes.TrimSpace(bytes.TrimSuffix(bytes.TrimSpace(v), []byte("kB")))), 64)
			return kb / 1024
		}
	}
	return 0
}
