package main

import (
	"bytes"
	"path/filepath"
	"testing"

	"github.com/glassbox-dev/glassbox/internal/schematest"
	"github.com/glassbox-dev/glassbox/internal/source/hub/hubtest"
)

// bomTargets are the bundled examples and the real releases.
func bomTargets(t *testing.T) []string {
	ex := examplesDir(t)
	var targets []string
	for _, name := range exampleNames {
		targets = append(targets, filepath.Join(ex, name))
	}
	return append(targets, sharedReleases(t)...)
}

// TestCycloneDXSchema: the ML-BOM of every bundled example and real release validates against
// the CycloneDX schema of the version it declares, and two runs give the same bytes.
func TestCycloneDXSchema(t *testing.T) {
	dir := schematest.Eval(t, "cyclonedx")
	targets := bomTargets(t)
	for _, spec := range []string{"1.6", "1.7"} {
		schema := filepath.Join(dir, "bom-"+spec+".schema.json")
		for _, target := range targets {
			t.Run(spec+"/"+filepath.Base(target), func(t *testing.T) {
				out := scanOut(t, "bom", target, "--spec", spec, "--verify")
				schematest.Validate(t, schema, out)
				if again := scanOut(t, "bom", target, "--spec", spec, "--verify"); !bytes.Equal(out, again) {
					t.Error("two BOMs of the same release differ")
				}
				if !bytes.Contains(out, []byte(`"specVersion": "`+spec+`"`)) {
					t.Errorf("BOM does not declare specVersion %s", spec)
				}
			})
		}
	}
}

// TestSPDXSchema: the SPDX 3.0.1 document of every bundled example and real release validates
// against the SPDX JSON schema, names its context, and is the same twice.
func TestSPDXSchema(t *testing.T) {
	t.Setenv("SOURCE_DATE_EPOCH", "")
	schema := filepath.Join(schematest.Eval(t, "spdx3"), "spdx-json-schema-3.0.1.json")
	for _, target := range bomTargets(t) {
		t.Run(filepath.Base(target), func(t *testing.T) {
			out := scanOut(t, "bom", target, "--format", "spdx", "--verify")
			schematest.Validate(t, schema, out)
			if again := scanOut(t, "bom", target, "--format", "spdx", "--verify"); !bytes.Equal(out, again) {
				t.Error("two SPDX documents of the same release differ")
			}
			for _, s := range []string{`"@context": "https://spdx.org/rdf/3.0.1/spdx-context.jsonld"`, `"type": "ai_AIPackage"`, `"created": "1970-01-01T00:00:00Z"`} {
				if !bytes.Contains(out, []byte(s)) {
					t.Errorf("document lacks %s", s)
				}
			}
		})
	}
}

// TestHubSchemas: the BOMs and SARIF log of a Hub model (read from the fake Hub) validate too.
func TestHubSchemas(t *testing.T) {
	eval := schematest.Eval(t, "")
	fake := hubtest.New(t, hubtest.Fixtures(t)...)
	home := t.TempDir()
	for k, v := range map[string]string{"HF_ENDPOINT": fake.URL, "HF_HOME": home, "HF_TOKEN": "", "HF_HUB_OFFLINE": "",
		"HF_HUB_CACHE": "", "GLASSBOX_CACHE_DIR": filepath.Join(home, "cache"), "SOURCE_DATE_EPOCH": ""} {
		t.Setenv(k, v)
	}
	for _, c := range []struct {
		schema string
		args   []string
	}{
		{"cyclonedx/bom-1.6.schema.json", []string{"bom", "hf:acme/tiny-chat"}},
		{"cyclonedx/bom-1.7.schema.json", []string{"bom", "hf:acme/tiny-chat", "--spec", "1.7"}},
		{"spdx3/spdx-json-schema-3.0.1.json", []string{"bom", "hf:acme/tiny-chat", "--format", "spdx"}},
		{"sarif/sarif-schema-2.1.0.json", []string{"scan", "hf:acme/tiny-chat", "--format", "sarif"}},
	} {
		schematest.Validate(t, filepath.Join(eval, c.schema), scanOut(t, c.args...))
	}
}
