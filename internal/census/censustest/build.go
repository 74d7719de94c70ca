package censustest

import (
	"encoding/json"
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/glassbox-dev/glassbox/internal/card"
	"github.com/glassbox-dev/glassbox/internal/source/hub/hubtest"
)

// content is what New builds once: the templates and the datasets their cards name.
type content struct {
	templates []*template
	home      map[string]int    // home id → template index
	lfs       map[string]*file  // sha256 → LFS file, for the CDN
	datasets  map[string]string // dataset id → its licence
}

// contents caches the content built for each seed: it is read-only once built, and building
// it (reading and parsing a few hundred cards) is the slow part of New.
var contents struct {
	sync.Mutex
	bySeed map[int64]*content
}

// cachedContent is buildContent, once per seed and process.
func cachedContent(tb testing.TB, seed int64) *content {
	tb.Helper()
	contents.Lock()
	defer contents.Unlock()
	if c := contents.bySeed[seed]; c != nil {
		return c
	}
	c := buildContent(tb, seed)
	if contents.bySeed == nil {
		contents.bySeed = map[int64]*content{}
	}
	contents.bySeed[seed] = c
	return c
}

// buildContent reads the real cards and licence texts and makes the templates in listing order:
// the restrictive bases, stub bases named by real cards, then real cards and synthetic
// variants shuffled together by seed.
func buildContent(tb testing.TB, seed int64) *content {
	tb.Helper()
	root := evalRoot(tb)
	texts := licenseTexts(tb, root)
	var mixed []*template
	for _, o := range pickCards(readOracle(tb, root), seed) {
		mixed = append(mixed, cardTemplate(tb, root, o, texts))
	}
	for _, s := range variantSynths {
		mixed = append(mixed, synthTemplate(tb, root, s))
	}
	r := rand.New(rand.NewPCG(uint64(seed), 7))
	r.Shuffle(len(mixed), func(i, j int) { mixed[i], mixed[j] = mixed[j], mixed[i] })
	var ts []*template
	for _, s := range baseSynths {
		ts = append(ts, synthTemplate(tb, root, s))
	}
	c := &content{home: map[string]int{}, datasets: map[string]string{}, lfs: map[string]*file{}}
	ts = append(ts, stubs(mixed, texts)...)
	c.templates = dedupeHomes(append(ts, mixed...))
	for i, t := range c.templates {
		c.home[t.home] = i
		finish(tb, root, t)
		for k := range t.files {
			if t.files[k].lfs {
				c.lfs[t.files[k].sha256] = &t.files[k]
			}
		}
		for _, d := range t.datasets {
			c.datasets[d] = datasetLicense(d)
		}
	}
	return c
}

// stubs makes a template for every well-formed base model a real card names that no other
// template provides, so fine-tunes can be traced to a listed base.
func stubs(mixed []*template, texts map[string]string) []*template {
	known := map[string]bool{llamaBase: true, qwenBase: true, gemmaBase: true}
	for _, t := range mixed {
		known[t.home] = true
	}
	var out []*template
	for _, t := range mixed {
		for _, b := range t.bases {
			if repoID.MatchString(b) && !known[b] {
				known[b] = true
				out = append(out, stubTemplate(b, texts))
			}
		}
	}
	return out
}

// dedupeHomes gives a template whose home id another template already took a home of its own.
func dedupeHomes(ts []*template) []*template {
	seen := map[string]bool{}
	for i, t := range ts {
		if seen[t.home] {
			org, _, _ := strings.Cut(t.home, "/")
			t.home = fmt.Sprintf("%s/%s-t%d", org, t.stem, i)
		}
		seen[t.home] = true
	}
	return ts
}

// datasetLicenses are what the fake Hub's dataset cards declare, picked by a hash of the id.
var datasetLicenses = []string{"cc-by-4.0", "apache-2.0", "odc-by", "cc-by-sa-4.0", "mit", "cc-by-nc-4.0", "other"}

// datasetLicense is the licence of a dataset's card.
func datasetLicense(id string) string {
	h := fnv.New32a()
	h.Write([]byte(id))
	return datasetLicenses[h.Sum32()%uint32(len(datasetLicenses))]
}

// finish adds the files every template has (.gitattributes, config.json, weights, LICENSE),
// hashes them and precomputes the template's JSON.
func finish(tb testing.TB, root string, t *template) {
	tb.Helper()
	arch, modelType := architecture(t)
	t.files = append(t.files,
		file{path: ".gitattributes", data: []byte("*.safetensors filter=lfs diff=lfs merge=lfs -text\n*.gguf filter=lfs diff=lfs merge=lfs -text\n")},
		file{path: "config.json", data: fmt.Appendf(nil, "{\"architectures\": [%q], \"model_type\": %q}\n", arch, modelType)})
	if !slices.ContainsFunc(t.files, func(f file) bool { return strings.HasSuffix(f.path, ".gguf") }) {
		t.files = append(t.files, file{path: "model.safetensors", data: safetensorsWeights(tb, t.label), lfs: true})
	}
	if t.licenseFile != "" {
		data, err := os.ReadFile(filepath.Join(root, "licenses", "texts", t.licenseFile))
		if err != nil {
			tb.Fatal(err)
		}
		t.files = append(t.files, file{path: "LICENSE", data: data})
	}
	sort.Slice(t.files, func(i, j int) bool { return t.files[i].path < t.files[j].path })
	for i := range t.files {
		f := &t.files[i]
		f.oid = hubtest.GitOID(f.data)
		if f.lfs {
			f.sha256 = hubtest.SHA256Hex(f.data)
		}
	}
	t.tags = map[string]bool{}
	for _, tag := range tagsOf(t, modelType) {
		t.tags[tag] = true
	}
	t.frag = fragments(t, arch, modelType)
	t.tree = treeJSON(t)
}

// architecture is the config a template's models declare, from the card's pipeline tag.
func architecture(t *template) (arch, modelType string) {
	switch t.pipeline {
	case "fill-mask", "feature-extraction", "sentence-similarity", "token-classification", "text-classification", "question-answering":
		return "BertForMaskedLM", "bert"
	case "automatic-speech-recognition":
		return "WhisperForConditionalGeneration", "whisper"
	case "text2text-generation", "translation", "summarization":
		return "T5ForConditionalGeneration", "t5"
	case "image-classification":
		return "ViTForImageClassification", "vit"
	}
	return "LlamaForCausalLM", "llama"
}

// tagsOf computes a template's tags the way the Hub does: the card's tags, the library, the
// formats, the task, and computed license:, dataset: and base_model: tags.
func tagsOf(t *template, modelType string) []string {
	var tags []string
	add := func(s ...string) {
		for _, x := range s {
			if x != "" && !slices.Contains(tags, x) {
				tags = append(tags, x)
			}
		}
	}
	add(t.library)
	for _, f := range t.files {
		if f.lfs {
			add(strings.TrimPrefix(filepath.Ext(f.path), "."))
		}
	}
	add(modelType, t.pipeline)
	add(t.cardTags...)
	for _, d := range t.datasets {
		add("dataset:" + d)
	}
	for _, b := range t.bases {
		add("base_model:" + b)
		if t.relation != "" {
			add("base_model:" + t.relation + ":" + b)
		}
	}
	for _, l := range t.licenses {
		add("license:" + l)
	}
	add("region:us")
	return tags
}

// parseFront is the front matter of a card as the Hub shows it in cardData.
func parseFront(data []byte) map[string]any {
	return card.Parse("README.md", data).Raw
}

// fragment renders `"key":value`.
func fragment(key string, v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		b, _ = json.Marshal(sanitize(v))
	}
	return append(fmt.Appendf(nil, "%q:", key), b...)
}

// fragments precomputes the JSON of every static expand field of a template.
func fragments(t *template, arch, modelType string) map[string][]byte {
	m := map[string][]byte{}
	if t.cardData != nil {
		m["cardData"] = fragment("cardData", sanitize(t.cardData))
	}
	m["config"] = fragment("config", map[string]any{"architectures": []string{arch}, "model_type": modelType})
	m["gated"] = fragment("gated", gatedValue(t.gated))
	m["tags"] = fragment("tags", tagsOf(t, modelType))
	m["private"] = fragment("private", false)
	m["disabled"] = fragment("disabled", false)
	if t.library != "" {
		m["library_name"] = fragment("library_name", t.library)
	}
	if t.pipeline != "" {
		m["pipeline_tag"] = fragment("pipeline_tag", t.pipeline)
	}
	var sibs []map[string]string
	storage := 0
	for _, f := range t.files {
		sibs = append(sibs, map[string]string{"rfilename": f.path})
		storage += len(f.data)
	}
	m["siblings"] = fragment("siblings", sibs)
	m["usedStorage"] = fragment("usedStorage", storage)
	weights(t, m)
	if len(t.bases) > 0 {
		var models []map[string]string
		for _, b := range t.bases {
			models = append(models, map[string]string{"id": b})
		}
		m["baseModels"] = fragment("baseModels", map[string]any{"relation": cmpOr(t.relation, "finetune"), "models": models})
	}
	return m
}

// cmpOr is a, or b when a is empty.
func cmpOr(a, b string) string {
	if a == "" {
		return b
	}
	return a
}

// gatedValue is the JSON value of gated: false or the mode.
func gatedValue(g string) any {
	if g == "" {
		return false
	}
	return g
}

// weights adds the safetensors or gguf field, as the Hub computes them from the weights.
func weights(t *template, m map[string][]byte) {
	for _, f := range t.files {
		switch {
		case f.path == "model.safetensors":
			// hubtest.SafetensorsFile holds a 16×8 F32 and an 8×16 BF16 tensor.
			m["safetensors"] = fragment("safetensors", map[string]any{"parameters": map[string]int{"BF16": 128, "F32": 128}, "total": 256})
		case strings.HasSuffix(f.path, ".gguf"):
			m["gguf"] = fragment("gguf", map[string]any{"total": 64, "architecture": "llama", "context_length": 8192})
		}
	}
}

// treeJSON is the recursive tree listing of a template's files.
func treeJSON(t *template) []byte {
	var entries []map[string]any
	for _, f := range t.files {
		e := map[string]any{"type": "file", "oid": f.oid, "size": len(f.data), "path": f.path}
		if f.lfs {
			e["lfs"] = map[string]any{"oid": f.sha256, "size": len(f.data), "pointerSize": 134}
		}
		entries = append(entries, e)
	}
	b, _ := json.Marshal(entries)
	return b
}
