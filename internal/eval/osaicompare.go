package eval

import (
	"context"
	"path/filepath"

	"github.com/glassbox-dev/glassbox/internal/assess"
	"github.com/glassbox-dev/glassbox/internal/framework/osai"
	"github.com/glassbox-dev/glassbox/internal/license"
	"github.com/glassbox-dev/glassbox/internal/source"
)

const osaiCompareArea = "OSAI comparison"

// OutsideRelease explains a difference from the experts' table by what they read beyond the
// release's own files (papers, websites, dataset pages, other repositories).
const OutsideRelease = "outside the release"

// osaiPairs matches real releases with the index record of the same family. The index judges a
// model family from everything its makers published; glassbox judges the release's own files.
var osaiPairs = []struct{ release, record string }{
	{"olmo-7b", "OLMo"},
	{"llama-3.1-8b", "llama-3.3"},
	{"sdxl-base-1.0", "SDXL-Lightning"},
}

// osaiCompare puts glassbox's twelve OSAI parameters for each paired release beside the index's
// and lists each difference; the row counts parameters that agree or whose difference has a
// reviewed explanation (knownDisagreements), so an unexplained difference fails it.
func osaiCompare(dir string, rep *Report) {
	row := Row{Area: osaiCompareArea, Measure: "parameters equal to the index's for the same family, or the difference explained", Want: len(osaiPairs) * len(osai.Params), Bar: 100}
	cat := license.Default()
	for _, p := range osaiPairs {
		rec, err := osai.ReadRecord(filepath.Join(dir, "osai", "records", p.record+".yaml"))
		if err != nil {
			noData(rep, osaiCompareArea, row.Measure, row.Want, err)
			return
		}
		rel, err := source.Local(context.Background(), filepath.Join(dir, "releases", p.release), source.DefaultLimits)
		if err != nil {
			noData(rep, osaiCompareArea, row.Measure, row.Want, err)
			return
		}
		v, _ := assess.Run(rel, cat).Verdict("osai")
		id := p.release + " vs " + p.record
		for _, param := range osai.Params {
			key := param.Key
			row.Total++
			got, want := string(osai.ClassOf(v.Elements[key].Result)), string(rec.Classes[key])
			if got == want {
				row.Passed++
				continue
			}
			if k, ok := knownDisagreements[disagreementKey(osaiCompareArea, id, key)]; ok && k.reason != Unreviewed {
				row.Passed++
			}
			rep.Disagreements = append(rep.Disagreements, Disagreement{Area: osaiCompareArea, ID: id, Field: key, Glassbox: got, Expected: want})
		}
	}
	rep.Rows = append(rep.Rows, row)
}
