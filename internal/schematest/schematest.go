// Package schematest validates documents glassbox writes (SARIF, CycloneDX, SPDX) against the
// published JSON schemas kept in ../shared/eval, offline: every schema file of a folder is
// registered under its own id, so references between them never reach the network.
package schematest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// Eval returns the path of ../shared/eval/sub seen from a package two or three levels below
// the module root, or skips the test saying so when it is absent.
func Eval(t testing.TB, sub string) string {
	t.Helper()
	for _, up := range []string{"../..", "../../.."} {
		p, err := filepath.Abs(filepath.Join(up, "..", "shared", "eval", sub))
		if err == nil {
			if _, err := os.Stat(p); err == nil {
				return p
			}
		}
	}
	t.Skipf("../shared/eval/%s is absent: schema validation skipped (it runs wherever ../shared/eval is beside the checkout)", sub)
	return ""
}

var (
	mu       sync.Mutex
	compiled = map[string]*jsonschema.Schema{}
)

// Compile loads the schema file main with every *.json schema beside it and compiles it once.
func Compile(main string) (*jsonschema.Schema, error) {
	mu.Lock()
	defer mu.Unlock()
	if s, ok := compiled[main]; ok {
		return s, nil
	}
	c := jsonschema.NewCompiler()
	c.UseLoader(offline{})
	c.UseRegexpEngine(regexpEngine)
	files, err := filepath.Glob(filepath.Join(filepath.Dir(main), "*.json"))
	if err != nil {
		return nil, err
	}
	mainID := ""
	for _, f := range files {
		doc, id, err := load(f)
		if err != nil {
			return nil, err
		}
		if id == "" {
			id = "file://" + filepath.ToSlash(f)
		}
		if err := c.AddResource(id, doc); err != nil {
			return nil, fmt.Errorf("%s: %w", f, err)
		}
		if f == main {
			mainID = id
		}
	}
	s, err := c.Compile(mainID)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", main, err)
	}
	compiled[main] = s
	return s, nil
}

// load reads a schema and its id ("$id", or draft-04's "id").
func load(path string) (any, string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, "", err
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		return nil, "", fmt.Errorf("%s: %w", path, err)
	}
	var ids struct {
		ID    string `json:"$id"`
		OldID string `json:"id"`
	}
	_ = json.Unmarshal(data, &ids)
	if ids.ID == "" {
		ids.ID = ids.OldID
	}
	return doc, ids.ID, nil
}

// Validate checks doc against the schema file, failing t with every violation.
func Validate(t testing.TB, schema string, doc []byte) {
	t.Helper()
	if err := Check(schema, doc); err != nil {
		t.Error(err)
	}
}

// Check validates doc against the schema file.
func Check(schema string, doc []byte) error {
	s, err := Compile(schema)
	if err != nil {
		return err
	}
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(doc))
	if err != nil {
		return fmt.Errorf("not JSON: %v", err)
	}
	if err := s.Validate(v); err != nil {
		return fmt.Errorf("does not validate against %s:\n%v", filepath.Base(schema), err)
	}
	return nil
}

// offline refuses every URL not registered as a resource, except the stubs.
type offline struct{}

func (offline) Load(url string) (any, error) {
	if s, ok := stubs[url]; ok {
		return jsonschema.UnmarshalJSON(bytes.NewReader([]byte(s)))
	}
	return nil, fmt.Errorf("schema %s is not in the local folder (no network in tests)", url)
}

// stubs stand in for schemas a published schema references but ../shared/eval does not hold.
// CycloneDX 1.7 takes two enums of cryptographic algorithm names from cryptography-defs; they
// only constrain cryptoProperties, which glassbox never writes, so any string passes here.
var stubs = map[string]string{
	"http://cyclonedx.org/schema/cryptography-defs.schema.json": `{"definitions": {"algorithmFamiliesEnum": {"type": "string"}, "ellipticCurvesEnum": {"type": "string"}}}`,
}
