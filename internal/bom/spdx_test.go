package bom_test

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/glassbox-dev/glassbox/internal/bom"
	"github.com/glassbox-dev/glassbox/internal/schematest"
)

type spdxNode map[string]any

func spdxGraph(t *testing.T, d *bom.Description) ([]byte, []spdxNode) {
	t.Helper()
	var b bytes.Buffer
	if err := bom.SPDX(&b, d, "1.0.0", time.Date(2026, 5, 29, 12, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Graph []spdxNode `json:"@graph"`
	}
	if err := json.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	return b.Bytes(), doc.Graph
}

// relations lists "fromName relationshipType toName" for every relationship.
func relations(g []spdxNode) []string {
	name := map[string]string{}
	for _, n := range g {
		if id, ok := n["spdxId"].(string); ok {
			name[id], _ = n["name"].(string)
			if expr, ok := n["simplelicensing_licenseExpression"].(string); ok {
				name[id] = expr
			}
		}
	}
	var out []string
	for _, n := range g {
		if n["type"] != "Relationship" {
			continue
		}
		for _, to := range n["to"].([]any) {
			out = append(out, name[n["from"].(string)]+" "+n["relationshipType"].(string)+" "+name[to.(string)])
		}
	}
	return out
}

func TestSPDXContent(t *testing.T) {
	t.Parallel()
	raw, g := spdxGraph(t, describe(hubRelease()))
	rels := strings.Join(relations(g), "\n")
	for _, want := range []string{
		"tiny-chat contains model.safetensors",
		"tiny-chat trainedOn acme/corpus",
		"acme/base-7b ancestorOf tiny-chat",
		"tiny-chat hasDeclaredLicense Apache-2.0",
		"tiny-chat hasConcludedLicense Apache-2.0",
	} {
		if !strings.Contains(rels, want) {
			t.Errorf("no relationship %q in:\n%s", want, rels)
		}
	}
	for _, s := range []string{`"created": "2026-05-29T12:00:00Z"`, `"software_packageUrl": "pkg:huggingface/acme/tiny-chat@` + sha + `"`,
		`"hashValue": "` + strings.Repeat("ab", 32) + `"`, `"statement": "glassbox:tier = open-weights"`, `"key": "accuracy (text-generation on Reading Test)"`} {
		if !bytes.Contains(raw, []byte(s)) {
			t.Errorf("document lacks %s", s)
		}
	}
	schematest.Validate(t, filepath.Join(schematest.Eval(t, "spdx3"), "spdx-json-schema-3.0.1.json"), raw)
}

// TestSPDXLicenseRefs: a licence that is not an SPDX id becomes a LicenseRef whose
// CustomLicense carries the licence file's text.
func TestSPDXLicenseRefs(t *testing.T) {
	t.Parallel()
	d := describe(hubRelease())
	d.Licenses = []bom.Licence{
		{Expression: "LicenseRef-Llama-3.1-Community", Acknowledged: "declared"},
		{Expression: "LicenseRef-Llama-3.1-Community", Acknowledged: "concluded", Path: "LICENSE", Text: "Our own words for the licence."},
		{Expression: "llama3 community", Acknowledged: "declared"},
	}
	raw, g := spdxGraph(t, d)
	var custom []string
	for _, n := range g {
		if n["type"] == "expandedlicensing_CustomLicense" {
			custom = append(custom, n["name"].(string)+": "+n["simplelicensing_licenseText"].(string))
		}
	}
	if len(custom) != 2 || custom[0] != "LicenseRef-Llama-3.1-Community: Our own words for the licence." || !strings.HasPrefix(custom[1], "LicenseRef-llama3-community: ") {
		t.Errorf("custom licences %q", custom)
	}
	schematest.Validate(t, filepath.Join(schematest.Eval(t, "spdx3"), "spdx-json-schema-3.0.1.json"), raw)
}

// TestSPDXSchemaCatchesMistakes: a dataset without its required type fails validation.
func TestSPDXSchemaCatchesMistakes(t *testing.T) {
	t.Parallel()
	raw, _ := spdxGraph(t, describe(hubRelease()))
	bad := bytes.Replace(raw, []byte(`"dataset_datasetType"`), []byte(`"dataset_datasetKind"`), 1)
	if err := schematest.Check(filepath.Join(schematest.Eval(t, "spdx3"), "spdx-json-schema-3.0.1.json"), bad); err == nil {
		t.Error("a dataset without dataset_datasetType validates")
	}
}
