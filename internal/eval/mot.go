package eval

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"

	"github.com/glassbox-dev/glassbox/internal/framework/mof"
)

// motSet is one half of the MOT parity data: a folder of records and the reference tool's
// results for them.
type motSet struct {
	measure, dir, table string
	want                int
	// name, class and the progress columns of classes 1, 2 and 3 in the table.
	name, class string
	progress    [3]string
}

var motSets = []motSet{
	{"fixtures: class and progress as the reference tool", "mot/fixtures", "mot/fixtures-expected.tsv", 27,
		"", "expected_class", [3]string{"exp_p1", "exp_p2", "exp_p3"}},
	{"records: class and progress as the reference tool", "mot/records", "mot/records-expected.tsv", 123,
		"model_name", "mof_class", [3]string{"progress_c1", "progress_c2", "progress_c3"}},
}

// mot computes the Model Openness Tool's class and progress for every fixture and record and
// compares them with the reference tool's. This is the one home of that parity check; its
// test (TestRunRealData) pins 27/27 and 123/123.
func mot(dir string, rep *Report) {
	for _, set := range motSets {
		rows, err := readTSV(filepath.Join(dir, set.table))
		if err != nil {
			noData(rep, "MOT parity", set.measure, set.want, err)
			continue
		}
		row := Row{Area: "MOT parity", Measure: set.measure, Want: set.want, Bar: 100}
		for _, r := range rows {
			row.Total++
			file := r["file"]
			diffs, err := motCompare(filepath.Join(dir, set.dir, file), set, r)
			if err != nil {
				diffs = append(diffs, [3]string{"read", "error: " + err.Error(), "a record"})
			}
			for _, d := range diffs {
				rep.Disagreements = append(rep.Disagreements, Disagreement{Area: "MOT parity", ID: file, Field: d[0], Glassbox: d[1], Expected: d[2]})
			}
			if len(diffs) == 0 {
				row.Passed++
			}
		}
		rep.Rows = append(rep.Rows, row)
	}
}

// motCompare returns what differs between MOT on one record and the expected row, as
// (field, glassbox, expected) triples.
func motCompare(path string, set motSet, want map[string]string) ([][3]string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	rec, err := mof.ParseRecord(data)
	if err != nil {
		return nil, err
	}
	var diffs [][3]string
	if set.name != "" && rec.Name != want[set.name] {
		diffs = append(diffs, [3]string{"name", rec.Name, want[set.name]})
	}
	got := mof.MOT(rec)
	class, err := strconv.ParseFloat(want[set.class], 64)
	if err != nil {
		return nil, fmt.Errorf("expected class %q: %v", want[set.class], err)
	}
	if got.Class != int(class) {
		diffs = append(diffs, [3]string{"class", strconv.Itoa(got.Class), strconv.Itoa(int(class))})
	}
	for i, col := range set.progress {
		p, err := strconv.ParseFloat(want[col], 64)
		if err != nil {
			return nil, fmt.Errorf("expected %s %q: %v", col, want[col], err)
		}
		// The reference rounds progress to two decimals.
		if math.Abs(got.Progress[i+1]-p) > 0.01 {
			diffs = append(diffs, [3]string{fmt.Sprintf("progress class %d", i+1), fmt.Sprintf("%.2f", got.Progress[i+1]), fmt.Sprintf("%.2f", p)})
		}
	}
	return diffs, nil
}
