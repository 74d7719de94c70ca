package target

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/glassbox-dev/glassbox/internal/assess"
	"github.com/glassbox-dev/glassbox/internal/component"
	"github.com/glassbox-dev/glassbox/internal/evidence"
	"github.com/glassbox-dev/glassbox/internal/license"
	"github.com/glassbox-dev/glassbox/internal/release"
	"github.com/glassbox-dev/glassbox/internal/report"
	"github.com/glassbox-dev/glassbox/internal/source/github"
	"github.com/glassbox-dev/glassbox/internal/source/github/githubtest"
	"github.com/glassbox-dev/glassbox/internal/source/hub/hubtest"
)

// fakes starts a fake Hub serving githubtest.HubRelease and a fake GitHub API serving
// githubtest.Fixtures, points the environment at them, and returns the GitHub fake.
func fakes(t *testing.T) *githubtest.API {
	t.Helper()
	h := hubtest.New(t, githubtest.HubRelease(t)...)
	t.Setenv("HF_ENDPOINT", h.URL)
	t.Setenv("HF_TOKEN", "")
	t.Setenv("HF_HOME", t.TempDir())
	t.Setenv("HF_HUB_OFFLINE", "")
	t.Setenv("GLASSBOX_CACHE_DIR", t.TempDir())
	gh := githubtest.New(t, githubtest.Fixtures()...)
	t.Setenv("GITHUB_API_URL", gh.URL)
	t.Setenv("GITHUB_TOKEN", "")
	t.Setenv("GH_TOKEN", "")
	return gh
}

func audit(t *testing.T, target string, opts Options) (*release.Release, *assess.Assessment) {
	t.Helper()
	rel, err := Read(context.Background(), target, opts)
	if err != nil {
		t.Fatal(err)
	}
	return rel, assess.Run(rel, license.Default())
}

// MaxRequestsTwoLinks is what one audit with two linked repositories may cost the GitHub API:
// per repository its metadata, the branch's commit, the tree and at most three small texts
// (licence, README, project file). BENCHMARKS.md quotes it.
const MaxRequestsTwoLinks = 2 * 6

func TestLinkedTrainingAndEvaluationReachOpenSourceAI(t *testing.T) {
	gh := fakes(t)
	rel, a := audit(t, "hf:acme/tiny-open", Options{Links: true})
	if l := a.Tier.Label; l != "open-source-ai" && l != "open-source-ai-open-data" {
		t.Fatalf("tier %q, want open-source-ai or better; reasons %+v", l, a.Tier.Reasons)
	}
	train := a.Facts.Component(component.TrainingCode)
	sha := githubtest.Commit("acme/tiny-trainer")
	if train.Status != evidence.Present || train.License != "Apache-2.0" || !train.Open ||
		!strings.HasPrefix(train.Locations[0], "github.com/acme/tiny-trainer@"+sha[:7]+":") {
		t.Errorf("training code = %+v", train)
	}
	if ev := a.Facts.Component(component.EvaluationCode); ev.Status != evidence.Present || ev.License != "Apache-2.0" ||
		!strings.Contains(strings.Join(ev.Locations, " "), "github.com/acme/tiny-evals@") {
		t.Errorf("evaluation code = %+v", ev)
	}
	if len(a.Facts.Linked) != 2 || a.Facts.Linked[0].Revision != sha || a.Facts.Linked[1].License != "Apache-2.0" {
		t.Errorf("linked = %+v", a.Facts.Linked)
	}
	// Evidence cites the repository at the commit and the path.
	found := false
	for _, e := range a.Facts.Evidence {
		found = found || e.Location == "github.com/acme/tiny-trainer@"+sha+":scripts/train.py"
	}
	if !found {
		t.Error("no evidence at github.com/acme/tiny-trainer@SHA:scripts/train.py")
	}
	cold := len(gh.Requests())
	t.Logf("cold audit: %d GitHub requests", cold)
	if cold > MaxRequestsTwoLinks {
		t.Errorf("%d GitHub requests for two linked repositories, want at most %d: %q", cold, MaxRequestsTwoLinks, gh.Requests())
	}
	var text bytes.Buffer
	if err := report.Text(&text, a, report.TextOptions{}); err != nil {
		t.Fatal(err)
	}
	want := "linked: github.com/acme/tiny-trainer@" + sha[:7] + " (training; Apache-2.0), github.com/acme/tiny-evals@" + githubtest.Commit("acme/tiny-evals")[:7] + " (evaluation; Apache-2.0)\n"
	if !strings.Contains(text.String(), want) {
		t.Errorf("text report lacks %q:\n%s", want, text.String())
	}

	// A second audit asks nothing pinned again: only the two repositories and branches,
	// conditionally.
	audit(t, "hf:acme/tiny-open", Options{Links: true})
	warm := gh.Requests()[cold:]
	for _, r := range warm {
		if strings.Contains(r, "/git/trees/") || strings.Contains(r, "/contents/") {
			t.Errorf("warm cache re-asked a pinned answer: %s", r)
		}
	}
	if len(warm) != 4 {
		t.Errorf("warm audit: %d requests %q, want 4 conditional ones", len(warm), warm)
	}

	// The snapshot holds the linked repositories: re-audited offline, the report is identical.
	data, err := rel.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	back, err := release.Unmarshal(data)
	if err != nil {
		t.Fatal(err)
	}
	var j1, j2 bytes.Buffer
	report.JSON(&j1, a)
	report.JSON(&j2, assess.Run(back, license.Default()))
	if !bytes.Equal(j1.Bytes(), j2.Bytes()) || !strings.Contains(j1.String(), `"linked": [`) {
		t.Error("the snapshot's report differs from the live one, or has no linked array")
	}
}

func TestLinksNotReadOfflineStayOpenWeights(t *testing.T) {
	gh := fakes(t)
	off := &github.Client{API: gh.URL, Offline: true, Cache: &github.Cache{Dir: t.TempDir()}}
	rel, a := audit(t, "hf:acme/tiny-open", Options{Links: true, GitHub: off})
	if a.Tier.Label != "open-weights" {
		t.Errorf("tier %q, want open-weights", a.Tier.Label)
	}
	if len(gh.Requests()) != 0 {
		t.Errorf("offline audit asked GitHub: %q", gh.Requests())
	}
	notes := strings.Join(rel.Notes, "\n")
	for _, repo := range []string{"github.com/acme/tiny-trainer", "github.com/acme/tiny-evals"} {
		if !strings.Contains(notes, "linked "+repo+" not read: offline and not in the on-disk cache") {
			t.Errorf("notes do not say %s was not read:\n%s", repo, notes)
		}
	}
	train := a.Facts.Component(component.TrainingCode)
	if train.Status != evidence.Unknown || !strings.Contains(train.Note, "not read") {
		t.Errorf("training code = %+v, want unknown because its link was not read", train)
	}
	for _, r := range a.Tier.Reasons {
		if r.Criterion == "training code under an Open Source licence" && r.Result != "unknown" {
			t.Errorf("training criterion %q, want unknown", r.Result)
		}
	}
}

func TestUnlicensedLinkedRepositoryIsNotOpen(t *testing.T) {
	gh := fakes(t)
	_, a := audit(t, "hf:acme/tiny-closed-code", Options{Links: true})
	for _, r := range gh.Requests() {
		// closed-trainer's README links gh-model: one level deep means it is not followed.
		if strings.Contains(r, "gh-model") {
			t.Errorf("a linked repository's own link was followed: %s", r)
		}
	}
	if a.Tier.Label != "open-weights" {
		t.Errorf("tier %q, want open-weights", a.Tier.Label)
	}
	train := a.Facts.Component(component.TrainingCode)
	if train.Status != evidence.Present || train.Open || train.License != "" || !strings.Contains(train.Note, "code found, licence unknown") {
		t.Errorf("training code = %+v, want present, licence unknown, not open", train)
	}
}

func TestLocalFolderFollowsLinksUnlessTurnedOff(t *testing.T) {
	gh := fakes(t)
	dir := t.TempDir()
	card := "---\nlicense: apache-2.0\nlibrary_name: transformers\n---\n# local\n\nTraining code: https://github.com/acme/tiny-trainer\n\n" +
		"Trained on [open corpus](https://huggingface.co/datasets/acme/open-corpus).\n"
	if err := os.WriteFile(filepath.Join(dir, "README.md"), []byte(card), 0o644); err != nil {
		t.Fatal(err)
	}
	rel, _ := audit(t, dir, Options{})
	if len(rel.Linked) != 0 || len(gh.Requests()) != 0 {
		t.Fatalf("links followed without Options.Links: %d linked, %d requests", len(rel.Linked), len(gh.Requests()))
	}
	rel, a := audit(t, dir, Options{Links: true})
	if len(rel.Linked) != 1 || rel.Linked[0].Release == nil {
		t.Fatalf("linked = %+v", rel.Linked)
	}
	if c := a.Facts.Component(component.TrainingCode); c.Status != evidence.Present || c.License != "Apache-2.0" {
		t.Errorf("training code = %+v", c)
	}
	// The dataset linked in the prose joins the datasets, read from the Hub with its licence.
	if ds := a.Facts.Datasets; len(ds) != 1 || ds[0].Ref != "hf:datasets/acme/open-corpus" || ds[0].License != "CC-BY-4.0" || !ds[0].Open {
		t.Errorf("datasets = %+v, want hf:datasets/acme/open-corpus under CC-BY-4.0", ds)
	}
}

func TestGitHubTarget(t *testing.T) {
	fakes(t)
	for _, target := range []string{"gh:acme/gh-model", "https://github.com/acme/gh-model"} {
		rel, a := audit(t, target, Options{Links: true})
		if rel.Target != "gh:acme/gh-model" || rel.Revision != githubtest.Commit("acme/gh-model") {
			t.Errorf("%s: target %q revision %q", target, rel.Target, rel.Revision)
		}
		if c := a.Facts.Component(component.TrainingCode); c.Status != evidence.Present || c.License != "Apache-2.0" {
			t.Errorf("%s: training code = %+v", target, c)
		}
		// Its README's link to itself is not followed; the evaluation repository is.
		if len(rel.Linked) != 1 || rel.Linked[0].Repo != "github.com/acme/tiny-evals" {
			t.Errorf("%s: linked = %+v, want only github.com/acme/tiny-evals", target, rel.Linked)
		}
	}
	if _, err := Read(context.Background(), "gh:acme/missing", Options{}); kindOf(err) != Unreadable {
		t.Errorf("missing repository: kind %v (%v), want Unreadable", kindOf(err), err)
	}
	if _, err := Read(context.Background(), "gh:acme", Options{}); kindOf(err) != Usage {
		t.Errorf("gh:acme: kind %v (%v), want Usage", kindOf(err), err)
	}
}

func TestAtMostEightLinksOneLevelDeep(t *testing.T) {
	gh := fakes(t)
	dir := t.TempDir()
	card := "# many\n\n"
	for i := range 10 {
		card += "- Code: https://github.com/acme/repo-" + strconv.Itoa(i) + "\n"
	}
	card += "- Code: https://github.com/acme/tiny-trainer\n"
	if err := os.WriteFile(filepath.Join(dir, "README.md"), []byte(card), 0o644); err != nil {
		t.Fatal(err)
	}
	rel, _ := audit(t, dir, Options{Links: true})
	if len(rel.Linked) != MaxLinked {
		t.Fatalf("%d linked repositories, want %d", len(rel.Linked), MaxLinked)
	}
	if !strings.Contains(strings.Join(rel.Notes, "\n"), "the card links 11 code repositories; only the first 8 were followed") {
		t.Errorf("notes %q do not say links were left out", rel.Notes)
	}
	for _, l := range rel.Linked {
		if l.Release != nil || !strings.HasPrefix(l.Unread, "repository or ref not found") {
			t.Errorf("%s: read %v, unread %q; want a not-found note", l.Repo, l.Release != nil, l.Unread)
		}
	}
	if n := len(gh.Requests()); n != MaxLinked {
		t.Errorf("%d requests, want one per followed link", n)
	}
}
