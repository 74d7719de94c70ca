package eval

import (
	"fmt"
	"math"
	"path/filepath"
	"strconv"

	"github.com/glassbox-dev/glassbox/internal/framework/osai"
)

const (
	osaiArea = "OSAI index"
	// osaiRecords is how many records of the European Open Source AI Index the data holds.
	osaiRecords = 56
)

// osaiScorer reads one index record and scores it as the index's site does.
type osaiScorer func(path string) (float64, error)

// osaiScores scores every record with internal/framework/osai.
func osaiScores(dir string, rep *Report) {
	osaiIndex(dir, rep, func(path string) (float64, error) {
		rec, err := osai.ReadRecord(path)
		if err != nil {
			return 0, err
		}
		return rec.Score(), nil
	})
}

// osaiIndex compares the score of every record in osai/records with records-summary.tsv's, to
// four decimals. score reads and scores one record (a parameter, so the row logic can be tested
// without the real records).
func osaiIndex(dir string, rep *Report, score osaiScorer) {
	const measure = "record scores as records-summary.tsv (4 decimals)"
	rows, err := readTSV(filepath.Join(dir, "osai", "records-summary.tsv"))
	if err != nil {
		noData(rep, osaiArea, measure, osaiRecords, err)
		return
	}
	row := Row{Area: osaiArea, Measure: measure, Want: osaiRecords, Bar: 100}
	for _, r := range rows {
		row.Total++
		file := r["file"] + ".yaml"
		want, err := strconv.ParseFloat(r["score"], 64)
		if err != nil {
			rep.Disagreements = append(rep.Disagreements, Disagreement{Area: osaiArea, ID: file, Field: "score", Glassbox: "-", Expected: "unreadable score " + strconv.Quote(r["score"])})
			continue
		}
		got, err := score(filepath.Join(dir, "osai", "records", file))
		switch {
		case err != nil:
			rep.Disagreements = append(rep.Disagreements, Disagreement{Area: osaiArea, ID: file, Field: "score", Glassbox: "error: " + err.Error(), Expected: r["score"]})
		case math.Round(got*1e4) != math.Round(want*1e4):
			rep.Disagreements = append(rep.Disagreements, Disagreement{Area: osaiArea, ID: file, Field: "score", Glassbox: fmt.Sprintf("%.4f", got), Expected: r["score"]})
		default:
			row.Passed++
		}
	}
	rep.Rows = append(rep.Rows, row)
}
