// Package eval is glassbox's evaluation harness: it runs the real pipeline over the real-world
// data in ../shared/eval (data nobody on the project wrote, with the results a correct tool must
// produce), scores each area against its bar, and lists every disagreement with a reason.
//
// The comparisons are the ones the packages' own tests make; the harness gathers them into one
// table so that a regression in any area shows as a FAIL row and a non-zero exit.
package eval

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// ErrNoData means the evaluation folder is missing or is not a folder.
var ErrNoData = errors.New("evaluation data not found")

// Reasons a disagreement has, once someone has looked at it.
const (
	GlassboxWrong = "glassbox wrong"
	LabelWrong    = "label wrong"
	Ambiguous     = "ambiguous"
	// Unreviewed: nobody has looked at this disagreement yet; add it to knownDisagreements.
	Unreviewed = "unreviewed"
)

// Row is one line of the results table: how many of the compared items agree with the
// expected results, and the bar they must reach.
type Row struct {
	Area    string
	Measure string
	Passed  int
	Total   int
	// Want pins how many items the data holds (0: not pinned), so that a vanished file fails
	// the row instead of quietly shrinking it.
	Want int
	// Bar is the share of items that must agree, in percent (100: all).
	Bar int
	// BarTenths, when set, is a finer bar in tenths of a percent (995: 99.5%); it replaces Bar.
	BarTenths int
	// Err says why the area's data could not be read; the row then fails.
	Err string
}

// OK reports whether the row meets its bar.
func (r Row) OK() bool {
	if r.Err != "" || r.Total == 0 || (r.Want > 0 && r.Total != r.Want) {
		return false
	}
	return r.Passed*1000 >= r.tenths()*r.Total
}

// tenths is the bar in tenths of a percent.
func (r Row) tenths() int {
	if r.BarTenths > 0 {
		return r.BarTenths
	}
	return r.Bar * 10
}

// Result is the row's score as written in the table ("123/123").
func (r Row) Result() string {
	if r.Err != "" {
		return "error"
	}
	s := fmt.Sprintf("%d/%d", r.Passed, r.Total)
	if r.Want > 0 && r.Total != r.Want {
		s += fmt.Sprintf(" (want %d items)", r.Want)
	}
	return s
}

// BarText is the bar as written in the table.
func (r Row) BarText() string {
	t := r.tenths()
	switch {
	case t >= 1000:
		return "all"
	case t%10 != 0:
		return fmt.Sprintf("≥%d.%d%%", t/10, t%10)
	}
	return fmt.Sprintf("≥%d%%", t/10)
}

// Status is "ok" or "FAIL".
func (r Row) Status() string {
	if r.OK() {
		return "ok"
	}
	return "FAIL"
}

// Disagreement is one item where glassbox and the expected result differ.
type Disagreement struct {
	Area string
	// ID names the item: a file, a card id.
	ID string
	// Field is what was compared (class, key, base_models, …).
	Field    string
	Glassbox string
	Expected string
	// Reason is GlassboxWrong, LabelWrong, Ambiguous or Unreviewed; Why explains it.
	Reason string
	Why    string
}

// Report is the outcome of one evaluation run.
type Report struct {
	Rows          []Row
	Disagreements []Disagreement
}

// OK reports whether every row meets its bar.
func (r *Report) OK() bool {
	for _, row := range r.Rows {
		if !row.OK() {
			return false
		}
	}
	return len(r.Rows) > 0
}

// Failed lists the rows below their bar.
func (r *Report) Failed() []Row {
	var out []Row
	for _, row := range r.Rows {
		if !row.OK() {
			out = append(out, row)
		}
	}
	return out
}

// area is one part of the evaluation: it reads its folder under the data dir and adds rows and
// disagreements to the report.
type area func(dir string, rep *Report)

// areas run in table order.
var areas = []area{mot, osaiScores, licenceTexts, licencesInTheWild, pickles, gguf, safetensors, cards, cardsHub, releases, osaiCompare}

// Run evaluates glassbox on the data in dir (the shared eval folder).
func Run(dir string) (*Report, error) {
	info, err := os.Stat(dir)
	if err != nil {
		return nil, fmt.Errorf("%w at %s: %v (the real-world evaluation data sits at ../shared/eval beside the repository; pass -shared DIR to point elsewhere)", ErrNoData, dir, err)
	}
	if !info.IsDir() {
		return nil, fmt.Errorf("%w: %s is not a directory", ErrNoData, dir)
	}
	rep := &Report{}
	for _, a := range areas {
		a(dir, rep)
	}
	rep.finish()
	return rep, nil
}

// finish fills in the reasons of known disagreements and sorts them.
func (r *Report) finish() {
	for i := range r.Disagreements {
		d := &r.Disagreements[i]
		if k, ok := knownDisagreements[disagreementKey(d.Area, d.ID, d.Field)]; ok {
			d.Reason, d.Why = k.reason, k.why
		}
		if d.Reason == "" {
			d.Reason = Unreviewed
		}
	}
	sort.SliceStable(r.Disagreements, func(i, j int) bool {
		a, b := r.Disagreements[i], r.Disagreements[j]
		if a.Area != b.Area {
			return a.Area < b.Area
		}
		if a.ID != b.ID {
			return a.ID < b.ID
		}
		return a.Field < b.Field
	})
}

func disagreementKey(area, id, field string) string { return area + "|" + id + "|" + field }

// DefaultDir is where the evaluation data sits: ../shared/eval beside the repository root,
// found by walking up from the working directory to go.mod. Outside a module it is
// ../shared/eval relative to the working directory.
func DefaultDir() string {
	wd, err := os.Getwd()
	if err != nil {
		return filepath.Join("..", "shared", "eval")
	}
	for dir := wd; ; {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return filepath.Join(dir, "..", "shared", "eval")
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return filepath.Join(wd, "..", "shared", "eval")
		}
		dir = parent
	}
}

// noData records an area whose data could not be read: a failing row that says why.
func noData(rep *Report, areaName, measure string, want int, err error) {
	rep.Rows = append(rep.Rows, Row{Area: areaName, Measure: measure, Want: want, Bar: 100, Err: err.Error()})
}

// clip shortens s for a table cell, folding whitespace.
func clip(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}
