package main

import (
	"bytes"
	"flag"
	"fmt"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/glassbox-dev/glassbox/internal/examples"
	"github.com/glassbox-dev/glassbox/internal/source/github/githubtest"
	"github.com/glassbox-dev/glassbox/internal/source/hub/hubtest"
)

var update = flag.Bool("update", false, "rewrite golden files")

func TestMain(m *testing.M) {
	// Tests that run the CLI in this process follow links too: unless a transcript set them,
	// point both APIs at a closed loopback port so that nothing here reaches the real ones.
	for _, k := range []string{"GITHUB_API_URL", "HF_ENDPOINT"} {
		if os.Getenv(k) == "" {
			os.Setenv(k, "http://127.0.0.1:9")
		}
	}
	os.Unsetenv("GITHUB_TOKEN")
	os.Unsetenv("GH_TOKEN")
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

// TestScripts runs the CLI transcripts in testdata/script. Every script talks to a fake Hub
// (HF_ENDPOINT), never to the real one, with its own Hugging Face home and HTTP cache.
func TestScripts(t *testing.T) {
	ex := examplesDir(t)
	shared := sharedEval()
	repos := append(hubtest.Fixtures(t), githubtest.HubRelease(t)...)
	fake := hubtest.New(t, repos...)
	gh := githubtest.New(t, githubtest.Fixtures()...)
	testscript.Run(t, testscript.Params{
		Dir: filepath.Join("testdata", "script"),
		Setup: func(env *testscript.Env) error {
			env.Setenv("EXAMPLES", ex)
			env.Setenv("NO_COLOR", "")
			if shared != "" {
				env.Setenv("SHARED", shared)
			}
			env.Setenv("HF_ENDPOINT", fake.URL)
			env.Setenv("HUB", fake.URL)
			env.Setenv("HF_HOME", filepath.Join(env.WorkDir, ".hf"))
			env.Setenv("HF_TOKEN", "")
			env.Setenv("HF_HUB_OFFLINE", "")
			env.Setenv("HF_HUB_CACHE", "")
			env.Setenv("GLASSBOX_CACHE_DIR", filepath.Join(env.WorkDir, ".glassbox-cache"))
			// Linked repositories are read from a fake GitHub API, never the real one.
			env.Setenv("GITHUB_API_URL", gh.URL)
			env.Setenv("GH_API", gh.URL)
			env.Setenv("TINY_OPEN_SHA", hubtest.Commit("acme/tiny-open"))
			env.Setenv("GITHUB_TOKEN", "")
			env.Setenv("GH_TOKEN", "")
			return nil
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"hubcache": hubCacheCmd(repos),
			"hubproxy": hubProxyCmd(fake.URL),
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

// hubCacheCmd is the script command "hubcache [-corrupt] REPO FILE...": it puts files of a
// fake Hub repository into the Hugging Face cache's snapshot of its commit, as a download
// would ($HF_HOME/hub/models--ORG--NAME/snapshots/<sha>/FILE); -corrupt flips a byte of each.
func hubCacheCmd(repos []*hubtest.Repo) func(ts *testscript.TestScript, neg bool, args []string) {
	return func(ts *testscript.TestScript, neg bool, args []string) {
		corrupt := len(args) > 0 && args[0] == "-corrupt"
		if corrupt {
			args = args[1:]
		}
		if neg || len(args) < 2 {
			ts.Fatalf("usage: hubcache [-corrupt] REPO FILE...")
		}
		var repo *hubtest.Repo
		for _, r := range repos {
			if r.ID == args[0] && r.Kind == hubtest.KindModel {
				repo = r
			}
		}
		if repo == nil {
			ts.Fatalf("hubcache: no fake repository %s", args[0])
		}
		dir := filepath.Join(ts.Getenv("HF_HOME"), "hub", "models--"+strings.ReplaceAll(repo.ID, "/", "--"), "snapshots", repo.SHA)
		for _, name := range args[1:] {
			f, ok := repo.Files[name]
			if !ok {
				ts.Fatalf("hubcache: %s has no file %s", repo.ID, name)
			}
			data := bytes.Clone(f.Data)
			if corrupt && len(data) > 0 {
				data[len(data)-1] ^= 0xff
			}
			p := filepath.Join(dir, filepath.FromSlash(name))
			ts.Check(os.MkdirAll(filepath.Dir(p), 0o755))
			ts.Check(os.WriteFile(p, data, 0o644))
		}
	}
}

// hubProxyCmd is the script command "hubproxy start|stop": start puts a proxy to the fake Hub
// at a fresh address and points HF_ENDPOINT at it; stop closes it, so that the script sees its
// Hub become unreachable at the same address (the HTTP cache is keyed by URL).
func hubProxyCmd(hubURL string) func(ts *testscript.TestScript, neg bool, args []string) {
	var mu sync.Mutex
	proxies := map[*testscript.TestScript]*httptest.Server{}
	target, err := url.Parse(hubURL)
	if err != nil {
		panic(err)
	}
	return func(ts *testscript.TestScript, neg bool, args []string) {
		if neg || len(args) != 1 || (args[0] != "start" && args[0] != "stop") {
			ts.Fatalf("usage: hubproxy start|stop")
		}
		mu.Lock()
		defer mu.Unlock()
		if args[0] == "start" {
			srv := httptest.NewServer(httputil.NewSingleHostReverseProxy(target))
			proxies[ts] = srv
			ts.Defer(srv.Close)
			ts.Setenv("HF_ENDPOINT", srv.URL)
			return
		}
		srv := proxies[ts]
		if srv == nil {
			ts.Fatalf("hubproxy stop: no proxy started")
		}
		srv.CloseClientConnections()
		srv.Listener.Close()
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
