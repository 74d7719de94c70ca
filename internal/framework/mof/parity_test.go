package mof

import (
	"bufio"
	"bytes"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// evalDir returns the shared evaluation folder (../shared/eval next to the repository root),
// skipping the test when this checkout has none. The root is found by walking up to go.mod, so
// the test does not depend on the package's depth.
func evalDir(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the package directory")
		}
		dir = parent
	}
	eval := filepath.Join(dir, "..", "shared", "eval")
	if _, err := os.Stat(filepath.Join(eval, "mot")); err != nil {
		t.Skipf("MOT parity data not available: %s is absent (%v)", filepath.Join(eval, "mot"), err)
	}
	return eval
}

// readTSV reads a tab-separated table with a header row into rows keyed by column name.
func readTSV(t *testing.T, path string) []map[string]string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	var header []string
	var rows []map[string]string
	for sc.Scan() {
		line := sc.Text()
		if strings.TrimSpace(line) == "" {
			continue
		}
		f := strings.Split(line, "\t")
		if header == nil {
			header = f
			continue
		}
		if len(f) != len(header) {
			t.Fatalf("%s: row %q has %d fields, header %d", path, line, len(f), len(header))
		}
		row := map[string]string{}
		for i, h := range header {
			row[h] = f[i]
		}
		rows = append(rows, row)
	}
	return rows
}

func parseFloat(t *testing.T, s string) float64 {
	t.Helper()
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatalf("bad number %q: %v", s, err)
	}
	return f
}

type parityCase struct {
	file     string
	name     string // expected release name, when the table gives one
	class    int
	progress map[int]float64
}

// TestMOTParity runs MOT on every fixture and record of the reference tool and compares class
// and progress with the tool's own results.
func TestMOTParity(t *testing.T) {
	t.Parallel()
	eval := evalDir(t)
	sets := []struct {
		name, dir, table string
		want             int
		row              func(map[string]string) parityCase
	}{
		{
			name: "fixtures", dir: "mot/fixtures", table: "mot/fixtures-expected.tsv", want: 27,
			row: func(r map[string]string) parityCase {
				return parityCase{
					file: r["file"], class: int(parseFloat(t, r["expected_class"])),
					progress: map[int]float64{1: parseFloat(t, r["exp_p1"]), 2: parseFloat(t, r["exp_p2"]), 3: parseFloat(t, r["exp_p3"])},
				}
			},
		},
		{
			name: "records", dir: "mot/records", table: "mot/records-expected.tsv", want: 123,
			row: func(r map[string]string) parityCase {
				return parityCase{
					file: r["file"], name: r["model_name"], class: int(parseFloat(t, r["mof_class"])),
					progress: map[int]float64{1: parseFloat(t, r["progress_c1"]), 2: parseFloat(t, r["progress_c2"]), 3: parseFloat(t, r["progress_c3"])},
				}
			},
		},
	}
	for _, set := range sets {
		rows := readTSV(t, filepath.Join(eval, set.table))
		files, err := filepath.Glob(filepath.Join(eval, set.dir, "*.yml"))
		if err != nil {
			t.Fatal(err)
		}
		// Both counts are pinned so that a vanished file or table row fails loudly.
		if len(rows) != set.want || len(files) != set.want {
			t.Fatalf("%s: %d expected rows and %d files, want %d of each", set.name, len(rows), len(files), set.want)
		}
		matched := 0
		for _, r := range rows {
			pc := set.row(r)
			t.Run(set.name+"/"+pc.file, func(t *testing.T) {
				data, err := os.ReadFile(filepath.Join(eval, set.dir, pc.file))
				if err != nil {
					t.Fatal(err)
				}
				rec, err := ParseRecord(data)
				if err != nil {
					t.Fatal(err)
				}
				if pc.name != "" && rec.Name != pc.name {
					t.Errorf("release name %q, want %q", rec.Name, pc.name)
				}
				got := MOT(rec)
				if got.Class != pc.class {
					t.Errorf("class %d, want %d", got.Class, pc.class)
				}
				for c := 1; c <= 3; c++ {
					if math.Abs(got.Progress[c]-pc.progress[c]) > 0.01 {
						t.Errorf("progress of class %d = %.2f, want %.2f", c, got.Progress[c], pc.progress[c])
					}
				}
			})
			matched++
		}
		if matched != set.want {
			t.Errorf("%s: compared %d, want %d", set.name, matched, set.want)
		}
	}
}
