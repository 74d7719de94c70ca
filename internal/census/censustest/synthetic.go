package censustest

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/glassbox-dev/glassbox/internal/artifact"
)

// Restrictive bases: listed first, so they exist in every fake Hub of more than a handful of
// models. Their cards declare Llama-style licences and their LICENSE files carry the real text.
const (
	llamaBase = "meta-llama/Llama-3.1-8B"
	qwenBase  = "Qwen/Qwen2.5-72B-Instruct"
	gemmaBase = "google/gemma-2-9b"
)

// synth describes a synthetic template; the card is written from its fields.
type synth struct {
	kind        string
	home        string
	licenses    []string
	licenseName string
	bases       []string
	relation    string
	datasets    []string
	gated       string
	licenseFile string
	gguf        bool
	noCard      bool
	broken      bool // the front matter does not parse
}

// baseSynths are the restrictive bases.
var baseSynths = []synth{
	{kind: "base-llama", home: llamaBase, licenses: []string{"llama3.1"}, gated: "manual", licenseFile: "llama-3.1-license-2024.txt"},
	{kind: "base-qwen", home: qwenBase, licenses: []string{"other"}, licenseName: "qwen", licenseFile: "qwen-2024.txt"},
	{kind: "base-gemma", home: gemmaBase, licenses: []string{"gemma"}, gated: "auto", licenseFile: "gemma-tou-2024-04-01.txt"},
}

// variantSynths are the known cases mixed among the real cards.
var variantSynths = []synth{
	{kind: "relabel-apache-llama", home: "chatsmith/Llama-3.1-8B-chat", licenses: []string{"apache-2.0"}, bases: []string{llamaBase}, relation: "finetune", datasets: []string{"glassbox-fake/instruct-mix"}},
	{kind: "relabel-mit-llama", home: "tinkerlab/llama31-8b-sft", licenses: []string{"mit"}, bases: []string{llamaBase}},
	{kind: "relabel-apache-qwen", home: "openbench/qwen2.5-72b-dpo", licenses: []string{"apache-2.0"}, bases: []string{qwenBase}, relation: "finetune"},
	{kind: "relabel-mit-qwen", home: "kaiju-ai/Qwen72-roleplay", licenses: []string{"mit"}, bases: []string{qwenBase}, datasets: []string{"glassbox-fake/roleplay-chats"}},
	{kind: "relabel-apache-gemma", home: "mlcraft/gemma-2-9b-it-sft", licenses: []string{"apache-2.0"}, bases: []string{gemmaBase}},
	{kind: "relabel-mit-gemma", home: "nordtune/gemma2-9b-nordic", licenses: []string{"mit"}, bases: []string{gemmaBase}, relation: "finetune", datasets: []string{"glassbox-fake/nordic-corpus"}},
	{kind: "honest-llama", home: "chatsmith/Llama-3.1-8B-medical", licenses: []string{"llama3.1"}, bases: []string{llamaBase}, relation: "finetune", licenseFile: "llama-3.1-license-2024.txt"},
	{kind: "gguf-llama", home: "quantfolk/Llama-3.1-8B-GGUF", licenses: []string{"llama3.1"}, bases: []string{llamaBase}, relation: "quantized", gguf: true},
	{kind: "gguf-qwen", home: "quantfolk/Qwen2.5-72B-Instruct-GGUF", licenses: []string{"other"}, licenseName: "qwen", bases: []string{qwenBase}, relation: "quantized", gguf: true},
	{kind: "gated-auto", home: "vaultml/speech-nc-small", licenses: []string{"cc-by-nc-4.0"}, gated: "auto"},
	{kind: "gated-manual", home: "vaultml/vision-research-xl", licenses: []string{"other"}, licenseName: "research-only", gated: "manual"},
	{kind: "license-openrail", home: "pixelforge/sd-anime-v2", licenses: []string{"creativeml-openrail-m"}, licenseFile: "stable-diffusion-2022-08-22.txt"},
	{kind: "license-bloom", home: "polyglot-lab/bloom-3b-instruct", licenses: []string{"bigscience-bloom-rail-1.0"}, licenseFile: "bigscience-rail-1.0.txt"},
	{kind: "license-llama2", home: "oldguard/llama-2-13b-legal", licenses: []string{"llama2"}, licenseFile: "llama-2-license-2023.txt"},
	{kind: "license-deepseek", home: "deepdive/deepseek-coder-7b-ft", licenses: []string{"other"}, licenseName: "deepseek", licenseFile: "deepseek-la-1.0.txt"},
	{kind: "license-openmdw", home: "freeweights/mdw-base-1b", licenses: []string{"other"}, licenseName: "openmdw-1.0", licenseFile: "openmdw-1.0.txt"},
	{kind: "license-moonshot", home: "moonfans/kimi-distill-7b", licenses: []string{"other"}, licenseName: "modified-mit", licenseFile: "moonshot-ai-modified-mit-2025.txt"},
	{kind: "license-mismatch", home: "mixedsignals/chat-7b", licenses: []string{"apache-2.0"}, licenseFile: "llama-2-license-2023.txt"},
	{kind: "no-card", home: "silentlab/encoder-base", noCard: true},
	{kind: "no-card-gguf", home: "silentlab/encoder-base-GGUF", noCard: true, gguf: true},
	{kind: "broken-card", home: "typoshop/broken-yaml-7b", broken: true},
}

// synthTemplate builds a synthetic template.
func synthTemplate(tb testing.TB, root string, s synth) *template {
	tb.Helper()
	t := &template{label: "synthetic:" + s.kind, home: s.home, stem: stemOf(s.home), hasCard: !s.noCard,
		cardOK: !s.noCard && !s.broken, gated: s.gated, licenseFile: s.licenseFile}
	if t.cardOK {
		t.licenses, t.licenseName, t.bases, t.relation, t.datasets = s.licenses, s.licenseName, s.bases, s.relation, s.datasets
		t.library, t.pipeline = "transformers", "text-generation"
		if s.gguf {
			t.library = "gguf"
		}
		t.cardTags = []string{"synthetic", s.kind}
	}
	if t.hasCard {
		data := synthCard(s, t)
		if t.cardOK {
			t.cardData = parseFront(data)
		}
		t.files = append(t.files, file{path: "README.md", data: data})
	}
	if s.gguf {
		t.files = append(t.files, file{path: t.stem + ".Q4_K_M.gguf", data: ggufWeights(tb, t), lfs: true})
	}
	return t
}

// synthCard writes the card of a synthetic template.
func synthCard(s synth, t *template) []byte {
	var b bytes.Buffer
	b.WriteString("---\n")
	if s.broken {
		b.WriteString("license: [apache-2.0\nbase_model: {unclosed\n---\n\n# " + t.stem + "\n\nThe metadata above does not parse.\n")
		return b.Bytes()
	}
	list := func(key string, vals []string) {
		if len(vals) == 1 {
			fmt.Fprintf(&b, "%s: %s\n", key, vals[0])
			return
		}
		if len(vals) > 1 {
			b.WriteString(key + ":\n")
			for _, v := range vals {
				b.WriteString("- " + v + "\n")
			}
		}
	}
	list("license", s.licenses)
	if s.licenseName != "" {
		fmt.Fprintf(&b, "license_name: %s\nlicense_link: LICENSE\n", s.licenseName)
	}
	list("base_model", s.bases)
	if s.relation != "" {
		fmt.Fprintf(&b, "base_model_relation: %s\n", s.relation)
	}
	b.WriteString("datasets:\n")
	for _, d := range s.datasets {
		b.WriteString("- " + d + "\n")
	}
	fmt.Fprintf(&b, "library_name: %s\npipeline_tag: %s\ntags:\n- synthetic\n- %s\n", t.library, t.pipeline, s.kind)
	if s.gated != "" {
		b.WriteString("extra_gated_prompt: You agree to the licence terms before downloading.\nextra_gated_fields:\n  Name: text\n  Affiliation: text\n")
	}
	fmt.Fprintf(&b, "---\n\n# %s\n\nA synthetic model of the census fake Hub (%s).\n", t.stem, s.kind)
	return b.Bytes()
}

// stubLicenses guesses the licence a stub base model declares from its name, so real
// fine-tunes of Llama or Gemma bases meet a restrictive base as they would on the Hub.
var stubLicenses = []struct{ substr, license string }{
	{"llama-2", "llama2"}, {"llama2", "llama2"}, {"llama-3.1", "llama3.1"}, {"llama-3.2", "llama3.2"},
	{"llama-3.3", "llama3.3"}, {"llama-3", "llama3"}, {"llama3", "llama3"}, {"gemma", "gemma"},
}

// stubTemplate is a base model named by some card but not otherwise listed.
func stubTemplate(id string, texts map[string]string) *template {
	lic := "apache-2.0"
	low := strings.ToLower(id)
	for _, s := range stubLicenses {
		if strings.Contains(low, s.substr) {
			lic = s.license
			break
		}
	}
	t := &template{label: "stub:" + id, home: id, stem: stemOf(id), hasCard: true, cardOK: true,
		licenses: []string{lic}, licenseFile: texts[lic], library: "transformers", cardTags: []string{"base"}}
	data := []byte(fmt.Sprintf("---\nlicense: %s\ntags:\n- base\n---\n\n# %s\n\nA base model other cards build on.\n", lic, id))
	t.cardData = parseFront(data)
	t.files = []file{{path: "README.md", data: data}}
	return t
}

// ggufWeights builds a small GGUF file whose metadata repeats the card's licence and base.
func ggufWeights(tb testing.TB, t *template) []byte {
	tb.Helper()
	kvs := []artifact.KV{{Key: "general.architecture", Value: "llama"}, {Key: "general.name", Value: t.stem},
		{Key: "llama.context_length", Value: uint32(8192)}}
	if len(t.licenses) > 0 {
		kvs = append(kvs, artifact.KV{Key: "general.license", Value: t.licenses[0]})
	}
	if len(t.bases) > 0 {
		kvs = append(kvs, artifact.KV{Key: "general.base_model.count", Value: uint32(1)},
			artifact.KV{Key: "general.base_model.0.repo_url", Value: "https://huggingface.co/" + t.bases[0]})
	}
	var b bytes.Buffer
	err := artifact.WriteGGUF(&b, kvs, []artifact.Tensor{{Name: "token_embd.weight", DType: "F32", Shape: []int64{8, 8}}})
	if err != nil {
		tb.Fatal(err)
	}
	return b.Bytes()
}
