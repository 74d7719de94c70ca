package eval

import (
	"context"
	"path/filepath"
	"strings"

	"github.com/glassbox-dev/glassbox/internal/assess"
	"github.com/glassbox-dev/glassbox/internal/evidence"
	"github.com/glassbox-dev/glassbox/internal/license"
	"github.com/glassbox-dev/glassbox/internal/source"
)

const (
	cardArea = "Model cards"
	// cardRows is how many labelled cards the corpus holds.
	cardRows = 27
)

// cardField is one column of labels.tsv the harness compares with glassbox's audit.
type cardField struct {
	measure string
	column  string
	bar     int
	// got is glassbox's answer for a card; want is the label's, normalised the same way. A
	// label that is "unknown" is not scored (scored false).
	got  func(f *evidence.Facts) string
	want func(row map[string]string, cat *license.Catalogue) (want string, scored bool)
}

var cardFields = []cardField{
	{"declared licence, normalised", "declared_license", 95, cardLicence, labelLicence},
	{"base models (front matter)", "base_models", 95, cardBases, labelColumn("base_models")},
	{"datasets (front matter)", "datasets", 95, cardDatasets, labelColumn("datasets")},
	{"inherited licence conflict vs license-conflict finding", "inherited_conflict", 90, cardConflict, labelYesNo("inherited_conflict")},
	{"open-source claim in the prose", "claims_open_source", 90, cardClaims, labelYesNo("claims_open_source")},
}

// cards audits every labelled model card with the real pipeline (source.Local on the card's
// folder, then assess.Run) and compares the facts with labels.tsv.
func cards(dir string, rep *Report) {
	dir = filepath.Join(dir, "cards")
	rows, err := readTSV(filepath.Join(dir, "labels.tsv"))
	if err != nil {
		for _, f := range cardFields {
			noData(rep, cardArea, f.measure, cardRows, err)
		}
		return
	}
	cat := license.Default()
	scores := make([]Row, len(cardFields))
	for i, f := range cardFields {
		scores[i] = Row{Area: cardArea, Measure: f.measure + " (labels.tsv " + f.column + ")", Bar: f.bar}
	}
	// Only the corpus size is pinned; a field's total may be smaller where labels say unknown.
	scores[0].Want = cardRows
	for _, row := range rows {
		id := row["id"]
		rel, err := source.Local(context.Background(), filepath.Join(dir, id), source.DefaultLimits)
		var facts *evidence.Facts
		if err == nil {
			facts = assess.Run(rel, cat).Facts
		}
		for i, f := range cardFields {
			want, scored := f.want(row, cat)
			if !scored {
				continue
			}
			scores[i].Total++
			got := "error: " + errString(err)
			if facts != nil {
				got = f.got(facts)
			}
			if got == want {
				scores[i].Passed++
				continue
			}
			rep.Disagreements = append(rep.Disagreements, Disagreement{Area: cardArea, ID: id, Field: f.column, Glassbox: got, Expected: want})
		}
	}
	rep.Rows = append(rep.Rows, scores...)
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// cardLicence is the licence the card declares, as glassbox normalised it: the catalogue id of
// each `license:` value (resolved through license_name for `other`), joined by ";".
func cardLicence(f *evidence.Facts) string {
	var ids []string
	for _, l := range f.Licenses {
		if l.Source == "card" {
			ids = append(ids, l.Expression)
		}
	}
	return strings.Join(ids, ";")
}

// labelLicence normalises the label's declared licence through the catalogue the way a reader
// would: the Hub id, or license_name when the card says `other`. A licence the catalogue does
// not know stays a LicenseRef of its name.
func labelLicence(row map[string]string, cat *license.Catalogue) (string, bool) {
	var ids []string
	for _, id := range splitList(row["declared_license"]) {
		name := id
		if strings.EqualFold(id, "other") && row["license_name"] != "" {
			name = row["license_name"]
		}
		if e, ok := cat.Hub(name); ok {
			ids = append(ids, e.ID)
		} else if e, ok := cat.Lookup(name); ok {
			ids = append(ids, e.ID)
		} else {
			ids = append(ids, "LicenseRef-"+name)
		}
	}
	return strings.Join(ids, ";"), true
}

// cardBases lists the base models the card's front matter declares, as it names them; the
// label column holds only those (lineage read from the prose is in its notes).
func cardBases(f *evidence.Facts) string {
	var refs []string
	for _, p := range f.Lineage {
		if p.Source != "" { // read from the prose or a GGUF header, not the front matter
			continue
		}
		refs = append(refs, strings.TrimPrefix(p.Ref, "hf:"))
	}
	return strings.Join(refs, ";")
}

// cardDatasets lists the training datasets the audit names, as the card names them.
func cardDatasets(f *evidence.Facts) string {
	var refs []string
	for _, d := range f.Datasets {
		refs = append(refs, strings.TrimPrefix(d.Ref, "hf:datasets/"))
	}
	return strings.Join(refs, ";")
}

// cardConflict is "yes" when the audit finds the declared licence at odds with a base model's.
func cardConflict(f *evidence.Facts) string {
	for _, x := range f.Findings {
		if x.ID == "license-conflict" {
			return "yes"
		}
	}
	return "no"
}

// cardClaims is "yes" when the audit finds the release calling itself open source.
func cardClaims(f *evidence.Facts) string {
	if len(f.Claims) > 0 {
		return "yes"
	}
	return "no"
}

// labelColumn gives a list column as written, ";"-joined.
func labelColumn(col string) func(map[string]string, *license.Catalogue) (string, bool) {
	return func(row map[string]string, _ *license.Catalogue) (string, bool) {
		return strings.Join(splitList(row[col]), ";"), true
	}
}

// labelYesNo gives a yes/no column; "unknown" (or anything else) is not scored.
func labelYesNo(col string) func(map[string]string, *license.Catalogue) (string, bool) {
	return func(row map[string]string, _ *license.Catalogue) (string, bool) {
		v := strings.ToLower(strings.TrimSpace(row[col]))
		return v, v == "yes" || v == "no"
	}
}

// splitList splits a ";"-joined label list, dropping empty items.
func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ";") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}
