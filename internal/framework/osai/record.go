package osai

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/goccy/go-yaml"

	"github.com/glassbox-dev/glassbox/internal/yamlguard"
)

// Record is one system of the index's database (one YAML file): who released it and, per
// parameter, the experts' class, the evidence links and their notes.
type Record struct {
	// File is the name the record was read from.
	File string
	// Name, Link and Type are the system's name, its official page and its modality ("text").
	Name, Org, Link, Type string
	// Classes holds each parameter's class; a parameter the record leaves blank or omits is
	// Unknown (the index's "not applicable"), and scores 0 like closed.
	Classes map[string]Class
	// Notes and Links hold each parameter's notes and evidence links (several links joined by
	// ", ") as written.
	Notes map[string]string
	Links map[string]string
	// Problems lists classes the record writes in a way the index does not define; each such
	// parameter is Unknown.
	Problems []string
}

// ReadRecord reads and parses an index record file.
func ReadRecord(path string) (*Record, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading OSAI record: %w", err)
	}
	return ParseRecord(filepath.Base(path), data)
}

// ParseRecord parses one index record. name is the file's name, for errors and Record.File. It
// fails on malformed YAML, on a document that is not a mapping, on a parameter that is not a
// mapping of class, link and notes, and on a document with neither a system nor any of the
// twelve parameters; it never panics.
func ParseRecord(name string, data []byte) (rec *Record, err error) {
	// The YAML library is third-party code fed untrusted input: a panic inside it is a
	// malformed record like any other.
	defer func() {
		if r := recover(); r != nil {
			rec, err = nil, fmt.Errorf("%s: malformed YAML (%v)", name, r)
		}
	}()
	// Nesting and aliases are bounded before the YAML library sees the text (issue 11).
	if err := yamlguard.Check(data, yamlguard.Default); err != nil {
		return nil, fmt.Errorf("%s: %v", name, err)
	}
	var doc any
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("%s: malformed YAML: %s", name, oneLine(yaml.FormatError(err, false, false)))
	}
	if doc == nil {
		return nil, fmt.Errorf("%s: empty document, not an OSAI index record", name)
	}
	top, ok := doc.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("%s: the document is a %s, not a mapping of system, org and the twelve parameters", name, kind(doc))
	}
	rec = &Record{File: name, Classes: map[string]Class{}, Notes: map[string]string{}, Links: map[string]string{}}
	system, err := mapping(top, "system")
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	org, err := mapping(top, "org")
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	rec.Name, rec.Link, rec.Type = text(system["name"]), text(system["link"]), text(system["type"])
	rec.Org = text(org["name"])
	found := 0
	for _, p := range Params {
		rec.Classes[p.Key] = Unknown
		if _, present := top[p.Key]; !present {
			continue
		}
		found++
		m, err := mapping(top, p.Key)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		raw := text(m["class"])
		c, ok := parseClass(raw)
		switch m["class"].(type) {
		case map[string]any, []any:
			rec.Problems = append(rec.Problems, fmt.Sprintf("%s: class is a %s, not open, partial or closed", p.Key, kind(m["class"])))
		default:
			if !ok {
				rec.Problems = append(rec.Problems, fmt.Sprintf("%s: class %q is not open, partial or closed", p.Key, raw))
			}
		}
		rec.Classes[p.Key] = c
		if n := strings.TrimSpace(text(m["notes"])); n != "" {
			rec.Notes[p.Key] = n
		}
		if l := links(m["link"]); l != "" {
			rec.Links[p.Key] = l
		}
	}
	if system == nil && found == 0 {
		return nil, fmt.Errorf("%s: not an OSAI index record (no system and none of the twelve parameters)", name)
	}
	if rec.Name == "" {
		rec.Name = strings.TrimSuffix(strings.TrimSuffix(name, ".yaml"), ".yml")
	}
	return rec, nil
}

// Score is the index's score: the mean over the twelve parameters of open 1, partial 0.5 and
// anything else (closed, blank, missing) 0.
func (r *Record) Score() float64 {
	sum := 0.0
	for _, p := range Params {
		sum += r.Classes[p.Key].Value()
	}
	return sum / float64(len(Params))
}

// parseClass reads a class as records write it: any case, with stray spaces, and with the
// coloured squares of the contribution guide ("🟩 open").
func parseClass(s string) (Class, bool) {
	s = strings.ToLower(strings.TrimSpace(strings.TrimLeft(strings.TrimSpace(s), "🟩🟧🟥 ")))
	switch Class(s) {
	case Open, Partial, Closed:
		return Class(s), true
	case "":
		return Unknown, true // blank means not applicable
	}
	return Unknown, false
}

// mapping returns top[key] as a mapping: nil when the key is absent or null, an error when it
// holds something else.
func mapping(top map[string]any, key string) (map[string]any, error) {
	v, ok := top[key]
	if !ok || v == nil {
		return nil, nil
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("%s is a %s; want a mapping", key, kind(v))
	}
	return m, nil
}

// text renders a YAML scalar as text; mappings and lists give "".
func text(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case bool:
		return strconv.FormatBool(x)
	case int, int64, uint64, float64:
		return fmt.Sprint(x)
	case map[string]any, []any:
		return ""
	}
	return fmt.Sprint(v)
}

// links renders a link field, one URL or a list of them.
func links(v any) string {
	if l, ok := v.([]any); ok {
		var out []string
		for _, x := range l {
			if s := strings.TrimSpace(text(x)); s != "" {
				out = append(out, s)
			}
		}
		return strings.Join(out, ", ")
	}
	return strings.TrimSpace(text(v))
}

func kind(v any) string {
	switch v.(type) {
	case map[string]any:
		return "mapping"
	case []any:
		return "list"
	case string:
		return "string"
	}
	return "scalar"
}

// oneLine folds a multi-line YAML error into one line for the CLI.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
