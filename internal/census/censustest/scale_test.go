package censustest

import (
	"io"
	"net/http"
	"runtime"
	"testing"
	"time"
)

// censusExpand is what a census in metadata mode asks the listing for.
const censusExpand = "expand[]=cardData&expand[]=config&expand[]=gated&expand[]=sha&expand[]=siblings" +
	"&expand[]=safetensors&expand[]=gguf&expand[]=tags&expand[]=library_name&expand[]=pipeline_tag" +
	"&expand[]=lastModified&expand[]=createdAt&expand[]=downloads&expand[]=likes"

// heap is the live heap after a collection.
func heap() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

func TestMemoryPerModel(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a 100,000-model hub")
	}
	before := heap()
	c := cachedContent(t, 1) // templates are shared by every hub of a seed; measure what a model adds
	t.Logf("%d templates, %d datasets: %d KB", len(c.templates), len(c.datasets), (int64(heap())-int64(before))/1024)
	measure := func(models int) int64 {
		before := heap()
		h := New(t, Config{Models: models, Seed: 1})
		h.Bump(h.IDs()[:models/100]...)
		for _, key := range []string{"downloads", "likes", "lastModified"} {
			h.sorted(key)
		}
		after := heap()
		runtime.KeepAlive(h)
		return int64(after) - int64(before)
	}
	small, large := measure(1000), measure(100_000)
	perModel := float64(large-small) / 99_000
	t.Logf("memory per model: %.1f bytes (hub of 1,000: %d KB, of 100,000: %d KB)", perModel, small/1024, large/1024)
	// Three sort orders of 4 bytes and a bumped commit for one model in a hundred.
	if perModel > 64 {
		t.Errorf("%.1f bytes per model, want at most 64", perModel)
	}
}

// BenchmarkList100k lists 100,000 models page by page (500 a page) with the fields a census
// reads, following the Link cursor, without latency and with the Hub's 20 ms.
func BenchmarkList100k(b *testing.B) {
	for _, lat := range []time.Duration{0, 20 * time.Millisecond} {
		b.Run("latency="+lat.String(), func(b *testing.B) { listAllPages(b, lat) })
	}
}

// listAllPages is one run of BenchmarkList100k.
func listAllPages(b *testing.B, latency time.Duration) {
	h := New(b, Config{Models: 100_000, Seed: 1, Latency: latency})
	var bytes int64
	start := time.Now()
	for b.Loop() {
		n := 0
		for u := h.URL() + "/api/models?limit=500&" + censusExpand; u != ""; {
			resp, err := http.Get(u)
			if err != nil {
				b.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			bytes += int64(len(body))
			n++
			u = nextLink(b, resp)
		}
		if n != 200 {
			b.Fatalf("%d pages", n)
		}
	}
	elapsed := time.Since(start).Seconds()
	b.ReportMetric(float64(b.N)*100_000/elapsed, "models/s")
	b.ReportMetric(float64(bytes)/float64(b.N)/1e6, "MB/listing")
}
