package bom_test

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/glassbox-dev/glassbox/internal/assess"
	"github.com/glassbox-dev/glassbox/internal/bom"
	"github.com/glassbox-dev/glassbox/internal/license"
	"github.com/glassbox-dev/glassbox/internal/release"
	"github.com/glassbox-dev/glassbox/internal/schematest"
)

const sha = "0123456789abcdef0123456789abcdef01234567"

const cardText = `---
license: apache-2.0
base_model: acme/base-7b
datasets:
- acme/corpus
pipeline_tag: text-generation
model-index:
- name: tiny-chat
  results:
  - task:
      type: text-generation
    dataset:
      name: Reading Test
      type: acme/reading
    metrics:
    - type: accuracy
      value: 61.5
---
# Tiny chat

A small chat model fine-tuned from acme/base-7b on acme/corpus.

## Intended uses

Answering short questions in English.

## Limitations

It invents facts and knows nothing after 2025.
`

// hubRelease is a Hub model with a card, a licence file, config.json and LFS weights.
func hubRelease() *release.Release {
	rel := &release.Release{Name: "tiny-chat", Target: "hf:acme/tiny-chat", Revision: sha, Complete: true,
		Hub: &release.HubInfo{Kind: "model", ID: "acme/tiny-chat", SHA: sha}}
	texts := map[string]string{
		"README.md":   cardText,
		"LICENSE":     "SPDX-License-Identifier: Apache-2.0\nCopyright the tiny chat authors.\n",
		"config.json": `{"model_type": "llama", "architectures": ["LlamaForCausalLM"]}`,
	}
	for p, c := range texts {
		rel.Files = append(rel.Files, release.File{Path: p, Size: int64(len(c))})
		rel.Texts = append(rel.Texts, release.Text{Path: p, Content: c})
	}
	rel.Files = append(rel.Files, release.File{Path: "model.safetensors", Size: 4096,
		LFS:    &release.LFS{OID: strings.Repeat("ab", 32), Size: 4096},
		Header: json.RawMessage(`{"path":"model.safetensors","format":"safetensors","parameters":1000000,"safety":"safe"}`)})
	rel.Sort()
	return rel
}

func describe(rel *release.Release) *bom.Description {
	return bom.Describe(rel, assess.Run(rel, license.Default()))
}

func TestDescribe(t *testing.T) {
	t.Parallel()
	d := describe(hubRelease())
	if d.Name != "tiny-chat" || d.Group != "acme" || d.PURL != "pkg:huggingface/acme/tiny-chat@"+sha {
		t.Errorf("name %q group %q purl %q", d.Name, d.Group, d.PURL)
	}
	if d.Task != "text-generation" || d.Family != "llama" || d.Architecture != "LlamaForCausalLM" {
		t.Errorf("task %q family %q architecture %q", d.Task, d.Family, d.Architecture)
	}
	if diff := cmp.Diff([]bom.Metric{{Type: "accuracy", Value: "61.5", Slice: "text-generation on Reading Test"}}, d.Metrics); diff != "" {
		t.Errorf("metrics (-want +got):\n%s", diff)
	}
	if len(d.Weights) != 1 || d.Weights[0].SHA256 != strings.Repeat("ab", 32) {
		t.Errorf("weights = %+v, want the LFS sha256", d.Weights)
	}
	if len(d.Datasets) != 1 || d.Datasets[0].Name != "acme/corpus" || d.Datasets[0].URL != "https://huggingface.co/datasets/acme/corpus" {
		t.Errorf("datasets = %+v", d.Datasets)
	}
	if len(d.Bases) != 1 || d.Bases[0].Name != "acme/base-7b" || d.Bases[0].PURL != "pkg:huggingface/acme/base-7b" {
		t.Errorf("bases = %+v", d.Bases)
	}
	if len(d.UseCases) != 1 || !strings.HasPrefix(d.UseCases[0], "Answering short questions") ||
		len(d.Limitations) != 1 || !strings.HasPrefix(d.Limitations[0], "It invents facts") {
		t.Errorf("use cases %q limitations %q", d.UseCases, d.Limitations)
	}
	var acks []string
	for _, l := range d.Licenses {
		acks = append(acks, l.Expression+" "+l.Acknowledged+" "+l.Path)
	}
	if diff := cmp.Diff([]string{"Apache-2.0 declared ", "Apache-2.0 concluded LICENSE"}, acks); diff != "" {
		t.Errorf("licences (-want +got):\n%s", diff)
	}
	if d.Properties[0] != (bom.Property{Name: "glassbox:tier", Value: "open-weights"}) {
		t.Errorf("first property %+v, want the tier", d.Properties[0])
	}
}

// TestCycloneDXContent: the fields a CycloneDX consumer reads, and schema validity.
func TestCycloneDXContent(t *testing.T) {
	t.Parallel()
	var b bytes.Buffer
	if err := bom.CycloneDX(&b, describe(hubRelease()), "1.6", "1.0.0"); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Serial   string `json:"serialNumber"`
		Metadata struct {
			Component struct {
				Type      string `json:"type"`
				PURL      string `json:"purl"`
				BOMRef    string `json:"bom-ref"`
				ModelCard struct {
					ModelParameters struct {
						Datasets []struct {
							Ref string `json:"ref"`
						} `json:"datasets"`
					} `json:"modelParameters"`
					QuantitativeAnalysis struct {
						PerformanceMetrics []struct{ Type, Value string } `json:"performanceMetrics"`
					} `json:"quantitativeAnalysis"`
				} `json:"modelCard"`
				Licenses []struct {
					License struct {
						ID              string `json:"id"`
						Acknowledgement string `json:"acknowledgement"`
						Text            *struct {
							Content string `json:"content"`
						} `json:"text"`
					} `json:"license"`
				} `json:"licenses"`
				Pedigree struct {
					Ancestors []struct{ Name, PURL string } `json:"ancestors"`
				} `json:"pedigree"`
			} `json:"component"`
		} `json:"metadata"`
		Components []struct {
			Type   string `json:"type"`
			BOMRef string `json:"bom-ref"`
			Hashes []struct {
				Alg, Content string
			} `json:"hashes"`
		} `json:"components"`
	}
	if err := json.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	m := doc.Metadata.Component
	if m.Type != "machine-learning-model" || m.PURL != "pkg:huggingface/acme/tiny-chat@"+sha || m.BOMRef != m.PURL {
		t.Errorf("model component %+v", m)
	}
	if len(m.ModelCard.ModelParameters.Datasets) != 1 || m.ModelCard.ModelParameters.Datasets[0].Ref != "dataset:hf:datasets/acme/corpus" {
		t.Errorf("modelCard datasets %+v", m.ModelCard.ModelParameters.Datasets)
	}
	if pm := m.ModelCard.QuantitativeAnalysis.PerformanceMetrics; len(pm) != 1 || pm[0].Value != "61.5" {
		t.Errorf("performance metrics %+v", pm)
	}
	if len(m.Licenses) != 2 || m.Licenses[0].License.Acknowledgement != "declared" || m.Licenses[1].License.Acknowledgement != "concluded" ||
		m.Licenses[1].License.ID != "Apache-2.0" || m.Licenses[1].License.Text == nil || !strings.Contains(m.Licenses[1].License.Text.Content, "Copyright the tiny chat authors") {
		t.Errorf("licences %+v", m.Licenses)
	}
	if a := m.Pedigree.Ancestors; len(a) != 1 || a[0].Name != "acme/base-7b" {
		t.Errorf("ancestors %+v", a)
	}
	if len(doc.Components) != 2 || doc.Components[0].Hashes[0].Alg != "SHA-256" || doc.Components[1].Type != "data" {
		t.Errorf("components %+v", doc.Components)
	}
	if !strings.HasPrefix(doc.Serial, "urn:uuid:") {
		t.Errorf("serial %q", doc.Serial)
	}
	for _, spec := range []string{"1.6", "1.7"} {
		var out bytes.Buffer
		if err := bom.CycloneDX(&out, describe(hubRelease()), spec, "1.0.0"); err != nil {
			t.Fatal(err)
		}
		schematest.Validate(t, filepath.Join(schematest.Eval(t, "cyclonedx"), "bom-"+spec+".schema.json"), out.Bytes())
	}
}

// TestCycloneDXSerialFromContent: the serial number is the same for the same release and
// changes with it.
func TestCycloneDXSerialFromContent(t *testing.T) {
	t.Parallel()
	serial := func(rel *release.Release) string {
		var b bytes.Buffer
		if err := bom.CycloneDX(&b, describe(rel), "1.6", "x"); err != nil {
			t.Fatal(err)
		}
		var doc struct {
			Serial string `json:"serialNumber"`
		}
		if err := json.Unmarshal(b.Bytes(), &doc); err != nil {
			t.Fatal(err)
		}
		return doc.Serial
	}
	a, b := serial(hubRelease()), serial(hubRelease())
	other := hubRelease()
	other.Hub.SHA = strings.Repeat("f", 40)
	if a != b || a == serial(other) {
		t.Errorf("serials %s, %s, %s: want the first two equal and the third different", a, b, serial(other))
	}
}

func TestCycloneDXBadSpec(t *testing.T) {
	t.Parallel()
	if err := bom.CycloneDX(&bytes.Buffer{}, describe(hubRelease()), "1.2", "x"); err == nil || !strings.Contains(err.Error(), `"1.2"`) {
		t.Errorf("spec 1.2: err = %v, want one naming it", err)
	}
}

// TestSchemaCatchesMistakes: the validator rejects a BOM with a component type CycloneDX
// does not define, so passing it means something.
func TestSchemaCatchesMistakes(t *testing.T) {
	t.Parallel()
	var b bytes.Buffer
	if err := bom.CycloneDX(&b, describe(hubRelease()), "1.6", "x"); err != nil {
		t.Fatal(err)
	}
	bad := bytes.Replace(b.Bytes(), []byte(`"machine-learning-model"`), []byte(`"ml-model"`), 1)
	if err := schematest.Check(filepath.Join(schematest.Eval(t, "cyclonedx"), "bom-1.6.schema.json"), bad); err == nil {
		t.Error("a BOM with component type ml-model validates")
	}
}
