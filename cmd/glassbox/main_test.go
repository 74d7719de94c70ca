package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/glassbox-dev/glassbox/internal/examples"
)

var update = flag.Bool("update", false, "rewrite golden files")

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"glassbox": func() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) },
	})
}

// examplesDir materialises the bundled examples (texts plus generated weights) once per test
// binary run.
func examplesDir(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "examples")
	if err := examples.Materialise(filepath.Join("..", "..", "examples"), dir); err != nil {
		t.Fatal(err)
	}
	return dir
}

// sharedEval returns ../shared/eval, or "" when it is absent.
func sharedEval() string {
	p, err := filepath.Abs(filepath.Join("..", "..", "..", "shared", "eval"))
	if err != nil {
		return ""
	}
	if _, err := os.Stat(p); err != nil {
		return ""
	}
	return p
}

// TestScripts runs the CLI transcripts in testdata/script.
func TestScripts(t *testing.T) {
	ex := examplesDir(t)
	shared := sharedEval()
	testscript.Run(t, testscript.Params{
		Dir: filepath.Join("testdata", "script"),
		Setup: func(env *testscript.Env) error {
			env.Setenv("EXAMPLES", ex)
			env.Setenv("NO_COLOR", "")
			if shared != "" {
				env.Setenv("SHARED", shared)
			}
			return nil
		},
		Condition: func(cond string) (bool, error) {
			switch cond {
			case "shared":
				return shared != "", nil
			case "root":
				return os.Geteuid() == 0, nil
			}
			return false, fmt.Errorf("unknown condition %q", cond)
		},
	})
}

// TestGoldenExamples checks the JSON report of each bundled example against its golden file,
// and that two runs give byte-identical output.
func TestGoldenExamples(t *testing.T) {
	ex := examplesDir(t)
	for _, name := range []string{"open-data", "open-weights", "weights-available", "apache-over-llama", "api-only"} {
		t.Run(name, func(t *testing.T) {
			target := filepath.Join(ex, name)
			var out1, out2, errb bytes.Buffer
			if code := run([]string{"scan", target, "--format", "json"}, &out1, &errb); code != 0 {
				t.Fatalf("exit %d: %s", code, errb.String())
			}
			run([]string{"scan", target, "--format", "json"}, &out2, &errb)
			if !bytes.Equal(out1.Bytes(), out2.Bytes()) {
				t.Fatal("two scans of the same release gave different JSON")
			}
			// The target path differs per machine; the golden file holds a stable name.
			got := bytes.ReplaceAll(out1.Bytes(), []byte(target), []byte("examples/"+name))
			golden := filepath.Join("testdata", "golden", name+".json")
			if *update {
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test ./cmd/glassbox -run TestGoldenExamples -update)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("report differs from %s; if the change is intended, rerun with -update and review the diff\n%s", golden, firstDiff(got, want))
			}
		})
	}
}

func firstDiff(a, b []byte) string {
	al, bl := bytes.Split(a, []byte("\n")), bytes.Split(b, []byte("\n"))
	for i := 0; i < len(al) && i < len(bl); i++ {
		if !bytes.Equal(al[i], bl[i]) {
			return "line " + strconv.Itoa(i+1) + ":\n  got:  " + string(al[i]) + "\n  want: " + string(bl[i])
		}
	}
	return "lengths differ"
}
