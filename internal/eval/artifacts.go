package eval

import (
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strings"

	"github.com/glassbox-dev/glassbox/internal/artifact"
)

// readArtifact runs artifact.Read on a file on disk.
func readArtifact(path string) (*artifact.Facts, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	return artifact.Read(filepath.Base(path), f, st.Size())
}

func readJSON(path string, v any) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(data, v); err != nil {
		return fmt.Errorf("%s: %v", path, err)
	}
	return nil
}

const (
	pickleArea = "Pickle verdicts"
	// The evaluation set's size: 65 dangerous and 10 clean files of 76 (one is suspicious).
	picklesDangerous, picklesClean, picklesAll = 65, 10, 76
)

// pickleDivergences are where glassbox deliberately names an import differently from the
// reference scanner, by file: the reference's module and name, and glassbox's. They are the
// ones internal/artifact's evaluation test allows.
var pickleDivergences = map[string]map[[2]string][2]string{
	// STACK_GLOBAL fed by a memoized int: picklescan prints the int as a module name; glassbox
	// cannot trace the operand to a string, so the module is unknown.
	"files/type-confusion-exploit.pkl": {{"42", "os"}: {artifact.Unknown, "os"}},
}

// classRank orders import classes from harmless to harmful.
func classRank(c artifact.Class) int {
	switch c {
	case artifact.ClassInnocuous:
		return 0
	case artifact.ClassSuspicious:
		return 1
	}
	return 2
}

// pickles walks every pickle of the evaluation set (never loading one): files the reference
// scanners call dangerous must be dangerous, files they call clean must not be, and the
// imports must be the ones they list, each classed at least as strictly.
func pickles(dir string, rep *Report) {
	var expected []struct {
		File    string `json:"file"`
		Overall string `json:"overall"`
		Globals []struct {
			Module string `json:"module"`
			Name   string `json:"name"`
			Safety string `json:"safety"`
		} `json:"globals"`
	}
	if err := readJSON(filepath.Join(dir, "pickles", "expected.json"), &expected); err != nil {
		noData(rep, pickleArea, "dangerous files found dangerous (expected.json)", 0, err)
		return
	}
	dangerous := Row{Area: pickleArea, Measure: "dangerous files found dangerous (expected.json)", Want: picklesDangerous, Bar: 100}
	clean := Row{Area: pickleArea, Measure: "clean files not found dangerous", Want: picklesClean, Bar: 100}
	globals := Row{Area: pickleArea, Measure: "imports as the reference lists them, classed at least as strictly", Want: picklesAll, Bar: 100}
	add := func(file, field, got, want string) {
		rep.Disagreements = append(rep.Disagreements, Disagreement{Area: pickleArea, ID: file, Field: field, Glassbox: got, Expected: want})
	}
	for _, want := range expected {
		got, err := readArtifact(filepath.Join(dir, "pickles", want.File))
		if got == nil {
			// The file itself could not be opened.
			got = &artifact.Facts{Safety: artifact.SafetyError, Error: err.Error()}
		}
		verdict := string(got.Safety)
		if got.Error != "" {
			verdict += " (" + clip(got.Error, 80) + ")"
		}
		switch want.Overall {
		case "dangerous":
			dangerous.Total++
			if got.Safety == artifact.SafetyDangerous {
				dangerous.Passed++
			} else {
				add(want.File, "verdict", verdict, "dangerous")
			}
		case "clean":
			clean.Total++
			if got.Safety != artifact.SafetyDangerous {
				clean.Passed++
			} else {
				add(want.File, "verdict", verdict, "clean")
			}
		}

		globals.Total++
		ours := map[[2]string]artifact.Global{}
		for _, g := range got.Globals {
			ours[[2]string{g.Module, g.Name}] = g
		}
		theirs := map[[2]string]bool{}
		var problems []string
		for _, w := range want.Globals {
			key := [2]string{w.Module, w.Name}
			if alt, ok := pickleDivergences[want.File][key]; ok {
				key = alt
			}
			theirs[key] = true
			g, found := ours[key]
			switch {
			case !found:
				problems = append(problems, "missing "+w.Module+"."+w.Name)
			case classRank(artifact.Class(w.Safety)) > classRank(g.Class):
				problems = append(problems, fmt.Sprintf("%s.%s is %s, reference %s", w.Module, w.Name, g.Class, w.Safety))
			}
		}
		for _, g := range got.Globals { // sorted by module and name
			if !theirs[[2]string{g.Module, g.Name}] {
				problems = append(problems, "extra "+g.Module+"."+g.Name)
			}
		}
		if len(problems) == 0 {
			globals.Passed++
			continue
		}
		var ref []string
		for _, w := range want.Globals {
			ref = append(ref, w.Module+"."+w.Name+"("+w.Safety+")")
		}
		add(want.File, "imports", strings.Join(problems, "; "), strings.Join(ref, " "))
	}
	rep.Rows = append(rep.Rows, dangerous, clean, globals)
}

const (
	ggufArea           = "GGUF facts"
	safetensorsArea    = "safetensors facts"
	ggufWant           = 3
	safetensorsWant    = 7
	safetensorsBadWant = 5
)

// expectedNames lists the files an expected/ folder describes, sorted.
func expectedNames(dir string) ([]string, error) {
	matches, err := filepath.Glob(filepath.Join(dir, "expected", "*.json"))
	if err != nil {
		return nil, err
	}
	if len(matches) == 0 {
		return nil, fmt.Errorf("no expected results in %s", filepath.Join(dir, "expected"))
	}
	var names []string
	for _, m := range matches {
		names = append(names, strings.TrimSuffix(filepath.Base(m), ".json"))
	}
	sort.Strings(names)
	return names, nil
}

// factDiff collects what differs between glassbox's facts and the expected ones.
type factDiff []string

func (d *factDiff) check(field string, got, want any) {
	if !reflect.DeepEqual(got, want) {
		*d = append(*d, fmt.Sprintf("%s %v, want %v", field, got, want))
	}
}

// gguf reads the real GGUF files and compares the header facts with the independent parser's;
// the malformed file must be rejected.
func gguf(dir string, rep *Report) {
	dir = filepath.Join(dir, "gguf")
	const measure = "headers as @huggingface/gguf reads them (expected/*.json)"
	names, err := expectedNames(dir)
	if err != nil {
		noData(rep, ggufArea, measure, ggufWant, err)
	} else {
		row := Row{Area: ggufArea, Measure: measure, Want: ggufWant, Bar: 100}
		for _, name := range names {
			row.Total++
			var want struct {
				SizeBytes      int64    `json:"size_bytes"`
				Version        int      `json:"version"`
				TensorCount    int      `json:"tensor_count"`
				KVCount        int64    `json:"kv_count"`
				ParameterCount int64    `json:"parameter_count"`
				KeyOrder       []string `json:"metadata_key_order"`
				TensorInfos    []struct {
					Name string `json:"name"`
				} `json:"tensor_infos"`
			}
			var d factDiff
			if err := readJSON(filepath.Join(dir, "expected", name+".json"), &want); err != nil {
				d = append(d, err.Error())
			} else if got, err := readArtifact(filepath.Join(dir, "files", name)); err != nil {
				d = append(d, "error: "+err.Error())
			} else {
				d.check("format", got.Format, artifact.FormatGGUF)
				d.check("safety", got.Safety, artifact.SafetySafe)
				d.check("size", got.Size, want.SizeBytes)
				d.check("version", got.Version, want.Version)
				d.check("kv count", got.KVCount, want.KVCount)
				d.check("tensors", got.Tensors, want.TensorCount)
				d.check("parameters", got.Parameters, want.ParameterCount)
				d.check("metadata keys", slices.Sorted(maps.Keys(got.Metadata)), slices.Sorted(slices.Values(want.KeyOrder)))
				var tensors []string
				for _, ti := range want.TensorInfos {
					tensors = append(tensors, ti.Name)
				}
				sort.Strings(tensors)
				d.check("tensor names", got.TensorNames, tensors)
			}
			if len(d) == 0 {
				row.Passed++
				continue
			}
			rep.Disagreements = append(rep.Disagreements, Disagreement{Area: ggufArea, ID: name, Field: "header", Glassbox: strings.Join(d, "; "), Expected: "expected/" + name + ".json"})
		}
		rep.Rows = append(rep.Rows, row)
	}
	rejected(rep, ggufArea, filepath.Join(dir, "malformed"), artifact.FormatGGUF, 1)
}

// rejected reads every file of a malformed/ folder (but the .ref file they derive from) and
// expects each to be rejected with an error the facts record.
func rejected(rep *Report, areaName, dir string, format artifact.Format, want int) {
	const measure = "malformed files rejected with an error (malformed/)"
	entries, err := os.ReadDir(dir)
	if err != nil {
		noData(rep, areaName, measure, want, err)
		return
	}
	row := Row{Area: areaName, Measure: measure, Want: want, Bar: 100}
	for _, e := range entries {
		if e.IsDir() || strings.HasSuffix(e.Name(), ".ref") {
			continue
		}
		row.Total++
		got, err := readArtifact(filepath.Join(dir, e.Name()))
		if err != nil && got != nil && got.Safety == artifact.SafetyError && got.Format == format && got.Error == err.Error() {
			row.Passed++
			continue
		}
		desc := "read without error"
		if got != nil {
			desc = fmt.Sprintf("format %s safety %s error %q", got.Format, got.Safety, got.Error)
		}
		rep.Disagreements = append(rep.Disagreements, Disagreement{Area: areaName, ID: "malformed/" + e.Name(), Field: "rejected", Glassbox: desc, Expected: "an error"})
	}
	rep.Rows = append(rep.Rows, row)
}

// safetensors reads the real safetensors files and compares tensors, parameters per dtype and
// metadata with the expected results; every crafted broken file must be rejected.
func safetensors(dir string, rep *Report) {
	dir = filepath.Join(dir, "safetensors")
	const measure = "tensors, parameters per dtype, metadata (expected/*.json)"
	names, err := expectedNames(dir)
	if err != nil {
		noData(rep, safetensorsArea, measure, safetensorsWant, err)
	} else {
		row := Row{Area: safetensorsArea, Measure: measure, Want: safetensorsWant, Bar: 100}
		for _, name := range names {
			row.Total++
			var want struct {
				SizeBytes       int64                      `json:"size_bytes"`
				Metadata        map[string]string          `json:"__metadata__"`
				DataBufferBytes int64                      `json:"data_buffer_bytes"`
				TensorCount     int                        `json:"tensor_count"`
				PerDType        map[string]int64           `json:"parameters_per_dtype"`
				TotalParameters int64                      `json:"total_parameters"`
				Tensors         map[string]json.RawMessage `json:"tensors"`
				Valid           bool                       `json:"valid"`
			}
			var d factDiff
			if err := readJSON(filepath.Join(dir, "expected", name+".json"), &want); err != nil {
				d = append(d, err.Error())
			} else if got, err := readArtifact(filepath.Join(dir, "files", name)); err != nil {
				d = append(d, "error: "+err.Error())
			} else {
				d.check("valid", true, want.Valid)
				d.check("format", got.Format, artifact.FormatSafetensors)
				d.check("safety", got.Safety, artifact.SafetySafe)
				d.check("size", got.Size, want.SizeBytes)
				d.check("tensors", got.Tensors, want.TensorCount)
				d.check("tensor bytes", got.TensorBytes, want.DataBufferBytes)
				d.check("parameters", got.Parameters, want.TotalParameters)
				d.check("dtypes", got.DTypes, want.PerDType)
				d.check("metadata", got.Metadata, want.Metadata)
				d.check("tensor names", got.TensorNames, slices.Sorted(maps.Keys(want.Tensors)))
			}
			if len(d) == 0 {
				row.Passed++
				continue
			}
			rep.Disagreements = append(rep.Disagreements, Disagreement{Area: safetensorsArea, ID: name, Field: "header", Glassbox: strings.Join(d, "; "), Expected: "expected/" + name + ".json"})
		}
		rep.Rows = append(rep.Rows, row)
	}
	rejected(rep, safetensorsArea, filepath.Join(dir, "malformed"), artifact.FormatSafetensors, safetensorsBadWant)
}
