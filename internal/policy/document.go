package policy

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	"cel.dev/cel-go/cel"

	"github.com/glassbox-dev/glassbox/internal/assess"
	"github.com/glassbox-dev/glassbox/internal/report"
)

// Document is a report as rules see it: the glassbox.report/v1 JSON decoded into maps, so a
// live audit and a saved report are checked alike.
type Document = map[string]any

// FromAssessment is the report document of an audit.
func FromAssessment(a *assess.Assessment) (Document, error) {
	var b bytes.Buffer
	if err := report.JSON(&b, a); err != nil {
		return nil, err
	}
	docs, err := Reports("audit", b.Bytes())
	if err != nil {
		return nil, err
	}
	return docs[0], nil
}

// IsReport reports whether data looks like a saved JSON report (one, or an array of them) rather
// than a snapshot or anything else.
func IsReport(data []byte) bool {
	data = bytes.TrimLeft(data, " \t\r\n")
	if len(data) == 0 || (data[0] != '{' && data[0] != '[') {
		return false
	}
	var probe struct {
		Schema string `json:"schema"`
	}
	if data[0] == '[' {
		var docs []json.RawMessage
		if json.Unmarshal(data, &docs) != nil || len(docs) == 0 {
			return false
		}
		data = docs[0]
	}
	return json.Unmarshal(data, &probe) == nil && probe.Schema == report.Schema
}

// Reports decodes a saved report, or an array of them ('scan -f json' of several targets);
// every document must name the glassbox.report/v1 schema.
func Reports(name string, data []byte) ([]Document, error) {
	var docs []Document
	trimmed := bytes.TrimLeft(data, " \t\r\n")
	if len(trimmed) > 0 && trimmed[0] == '[' {
		if err := json.Unmarshal(data, &docs); err != nil {
			return nil, fmt.Errorf("%s: not a JSON report: %v", name, err)
		}
	} else {
		var d Document
		if err := json.Unmarshal(data, &d); err != nil {
			return nil, fmt.Errorf("%s: not a JSON report: %v", name, err)
		}
		docs = []Document{d}
	}
	for i, d := range docs {
		if s, _ := d["schema"].(string); s != report.Schema {
			return nil, fmt.Errorf("%s: document %d has schema %q, not %s", name, i+1, s, report.Schema)
		}
		if err := checkShape(d); err != nil {
			return nil, fmt.Errorf("%s: document %d: %v", name, i+1, err)
		}
	}
	return docs, nil
}

// checkShape makes sure the fields rules see as variables have the types CONTRACT.md gives
// them, so a damaged report is reported as such and not as an error in the policy.
func checkShape(d Document) error {
	for n, t := range variables {
		v, ok := d[n]
		if !ok || v == nil || n == "report" {
			continue
		}
		want := "an object"
		switch {
		case n == "tier":
			if m, isMap := v.(map[string]any); isMap {
				if _, isStr := m["label"].(string); isStr || m["label"] == nil {
					continue
				}
			}
			want = "an object with a label"
		case strings.HasPrefix(t.String(), "list"):
			if _, ok := v.([]any); ok {
				continue
			}
			want = "an array"
		case t == cel.StringType:
			if _, ok := v.(string); ok {
				continue
			}
			want = "a string"
		default:
			if _, ok := v.(map[string]any); ok {
				continue
			}
		}
		return fmt.Errorf("%s is %T, not %s", n, v, want)
	}
	return nil
}
