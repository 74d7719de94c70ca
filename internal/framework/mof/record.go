package mof

import (
	"errors"
	"fmt"

	"github.com/glassbox-dev/glassbox/internal/component"
	"github.com/glassbox-dev/glassbox/internal/yamlguard"
	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
)

// Record is one model record of the Model Openness Tool (lfai/model_openness_tool, models/*.yml):
// what a producer declared about a release, component by component. The tool stores no class
// in it; MOT and Glassbox compute one.
type Record struct {
	// Name, Version and Producer identify the release ("Amber", "7B", "LLM360").
	Name     string
	Version  string
	Producer string
	// Date, Type, Architecture, Origin, Contact, Repository and HuggingFace are the rest of the
	// release metadata, kept as written.
	Date         string
	Type         string
	Architecture string
	Origin       string
	Contact      string
	Repository   string
	HuggingFace  string
	// Licenses are the release-wide licences that components without their own fall back to.
	Licenses GlobalLicenses
	// Components are the entries of release.components, in file order, including names the
	// MOF does not know (the tool ignores those, and so does MOT).
	Components []RecordComponent
}

// GlobalLicenses are the licences of release.license. A key missing from the record, or
// `license: {}`, leaves the corresponding field zero.
type GlobalLicenses struct {
	Distribution GlobalLicense
	Code         GlobalLicense
	Data         GlobalLicense
	Document     GlobalLicense
}

// GlobalLicense is one release-wide licence: its name as written (ideally an SPDX id) and where
// its text is.
type GlobalLicense struct {
	Name string
	Path string
}

// ForType returns the release-wide licence that covers components of type t: the code, data or
// document licence. It does not fall back to the distribution licence; the caller decides.
func (g GlobalLicenses) ForType(t component.Type) GlobalLicense {
	switch t {
	case component.Code:
		return g.Code
	case component.Data:
		return g.Data
	case component.Document:
		return g.Document
	}
	return GlobalLicense{}
}

// RecordComponent is one entry of release.components.
type RecordComponent struct {
	// Name is the MOF component name; the tool matches it exactly, case included.
	Name        string
	Description string
	// Path is component_path: where the component is published.
	Path string
	// License is the component's own licence as written ("Apache-2.0", "unlicensed", free text).
	License string
	// LicenseDeclared reports whether the entry has a license key at all. Only an entry without
	// one falls back to the global licences; an empty or "unlicensed" licence means "no licence".
	// A key with a null value (`license:` alone) counts as absent: YAML null means no value.
	LicenseDeclared bool
	// LicensePath is license_path: where the licence text is.
	LicensePath string
}

// ParseRecord parses a Model Openness Tool YAML record. It fails on malformed YAML, on a document
// without a release mapping, and on fields of the wrong shape (a list where a name belongs);
// scalars of any YAML type (7B, 1.0, 2024-11-15) are kept as text.
func ParseRecord(data []byte) (rec *Record, err error) {
	// The YAML library is third-party code fed untrusted input; a panic inside it must surface
	// as an error like any other malformed record, never take the caller down.
	defer func() {
		if r := recover(); r != nil {
			rec, err = nil, fmt.Errorf("parsing MOT record: malformed YAML (%v)", r)
		}
	}()
	// Nesting and aliases are bounded before the YAML library sees the text (issue 11).
	if err := yamlguard.Check(data, yamlguard.Default); err != nil {
		return nil, fmt.Errorf("parsing MOT record: %v", err)
	}
	var raw rawRecord
	if err := yaml.Unmarshal(data, &raw); err != nil {
		return nil, fmt.Errorf("parsing MOT record: %s", yaml.FormatError(err, false, false))
	}
	if raw.Release == nil {
		return nil, errors.New("parsing MOT record: no release mapping")
	}
	r := raw.Release
	rec = &Record{
		Name: r.Name.text, Version: r.Version.text, Producer: r.Producer.text,
		Date: r.Date.text, Type: r.Type.text, Architecture: r.Architecture.text,
		Origin: r.Origin.text, Contact: r.Contact.text, Repository: r.Repository.text,
		HuggingFace: r.HuggingFace.text,
		Licenses: GlobalLicenses{
			Distribution: r.License.Distribution.global(),
			Code:         r.License.Code.global(),
			Data:         r.License.Data.global(),
			Document:     r.License.Document.global(),
		},
	}
	for _, c := range r.Components {
		if c == nil {
			continue // a bare "-" list item names nothing
		}
		rc := RecordComponent{
			Name: c.Name.text, Description: c.Description.text, Path: c.Path.text,
			LicensePath: c.LicensePath.text,
		}
		rc.License, rc.LicenseDeclared = c.License.text, c.License.set
		rec.Components = append(rec.Components, rc)
	}
	return rec, nil
}

// The raw* types mirror the YAML; ParseRecord copies them into the exported model so that the
// YAML's looseness (nulls, numbers where text belongs) stops at this file.
type rawRecord struct {
	Release *rawRelease `yaml:"release"`
}

type rawRelease struct {
	Name         scalar          `yaml:"name"`
	Version      scalar          `yaml:"version"`
	Date         scalar          `yaml:"date"`
	Type         scalar          `yaml:"type"`
	Architecture scalar          `yaml:"architecture"`
	Origin       scalar          `yaml:"origin"`
	Producer     scalar          `yaml:"producer"`
	Contact      scalar          `yaml:"contact"`
	Repository   scalar          `yaml:"repository"`
	HuggingFace  scalar          `yaml:"huggingface"`
	License      rawLicenses     `yaml:"license"`
	Components   []*rawComponent `yaml:"components"`
}

type rawLicenses struct {
	Distribution *rawLicense `yaml:"distribution"`
	Code         *rawLicense `yaml:"code"`
	Data         *rawLicense `yaml:"data"`
	Document     *rawLicense `yaml:"document"`
}

type rawLicense struct {
	Name scalar `yaml:"name"`
	Path scalar `yaml:"path"`
}

func (l *rawLicense) global() GlobalLicense {
	if l == nil {
		return GlobalLicense{}
	}
	return GlobalLicense{Name: l.Name.text, Path: l.Path.text}
}

type rawComponent struct {
	Name        scalar `yaml:"name"`
	Description scalar `yaml:"description"`
	Path        scalar `yaml:"component_path"`
	License     scalar `yaml:"license"`
	LicensePath scalar `yaml:"license_path"`
}

// scalar is a YAML scalar kept as text: records write versions as 7B and dates with or without
// quotes, and all of them are labels here, not numbers. set records that the key was present
// with a value (the YAML library does not call UnmarshalYAML for null), which the licence
// fallback needs to know.
type scalar struct {
	text string
	set  bool
}

// UnmarshalYAML accepts any scalar, letting the YAML library turn it into text, and rejects
// mappings and sequences with the line and column where they start.
func (s *scalar) UnmarshalYAML(node ast.Node) error {
	if node == nil {
		return nil
	}
	n := node
	if tag, ok := n.(*ast.TagNode); ok && tag.Value != nil {
		n = tag.Value
	}
	switch n.Type() {
	case ast.MappingType, ast.MappingValueType, ast.SequenceType:
		what := "mapping"
		if n.Type() == ast.SequenceType {
			what = "list"
		}
		pos := ""
		if tok := n.GetToken(); tok != nil && tok.Position != nil {
			pos = fmt.Sprintf("[%d:%d] ", tok.Position.Line, tok.Position.Column)
		}
		return fmt.Errorf("%swant a single value, found a %s", pos, what)
	case ast.IntegerType, ast.FloatType:
		// Numbers are kept as written, so a version of 1.0 does not become "1".
		if tok := n.GetToken(); tok != nil {
			*s = scalar{text: tok.Value, set: true}
			return nil
		}
	}
	var text string
	if err := yaml.NodeToValue(node, &text); err != nil {
		return err
	}
	*s = scalar{text: text, set: true}
	return nil
}
