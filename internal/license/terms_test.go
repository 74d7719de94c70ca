package license

import (
	"slices"
	"strings"
	"testing"
)

// TestTermTable checks every term: it has a name and a doc, and some catalogue entry has it,
// which Found and HasTerm both see.
func TestTermTable(t *testing.T) {
	t.Parallel()
	cat := Default()
	seen := map[string]bool{}
	for _, term := range TermTable() {
		if term.Name == "" || term.Doc == "" || term.Found == nil || term.Describe == nil {
			t.Errorf("term %+v: name, doc, Found and Describe are all needed", term)
			continue
		}
		if seen[term.Name] {
			t.Errorf("term %s listed twice", term.Name)
		}
		seen[term.Name] = true
		found := ""
		for _, e := range cat.Entries() {
			if term.Found(e.Terms) {
				found = e.Ref()
				break
			}
		}
		if found == "" {
			t.Errorf("term %s: no catalogue entry has it", term.Name)
			continue
		}
		e, _ := cat.Lookup(found)
		if has, known := e.HasTerm(term.Name); !has || !known {
			t.Errorf("%s.HasTerm(%s) = %v, %v; want true, true", found, term.Name, has, known)
		}
	}
	if got := len(TermNames()); got != 14 || got != len(seen) {
		t.Errorf("TermNames() has %d names, the table %d; want 14", got, len(seen))
	}
}

// TestTermsFoundInEntries pins which terms a few entries have, by name.
func TestTermsFoundInEntries(t *testing.T) {
	t.Parallel()
	cat := Default()
	tests := []struct{ ref, terms string }{
		{"llama3.1", "attribution commercial-limited naming policy-by-reference use-policy user-cap"},
		{"qwen", "attribution commercial-limited naming user-cap"},
		{"moonshot-modified-mit", "attribution commercial-limited naming"},
		{"cc-by-nc-sa-4.0", "attribution copyleft non-commercial"},
		{"apache-2.0", "attribution"},
		{"mit", "attribution"},
	}
	for _, tt := range tests {
		e, ok := cat.Lookup(tt.ref)
		if !ok {
			t.Fatalf("%s: not in the catalogue", tt.ref)
		}
		var got []string
		for _, n := range TermNames() {
			if has, _ := e.HasTerm(n); has {
				got = append(got, n)
			}
		}
		if strings.Join(got, " ") != tt.terms {
			t.Errorf("%s: terms %q, want %q", tt.ref, strings.Join(got, " "), tt.terms)
		}
	}
}

// TestRestrictionTerms checks that every restriction text comes with the name of the term that
// produced it, in the same order, and that a described term is always a found one.
func TestRestrictionTerms(t *testing.T) {
	t.Parallel()
	cat := Default()
	e, _ := cat.Lookup("llama3.2")
	if got := strings.Join(e.RestrictionTerms(), ","); got != "policy-by-reference,user-cap,geographic" {
		t.Errorf("llama3.2 restriction terms %q", got)
	}
	e, _ = cat.Lookup("creativeml-openrail-m")
	if got := strings.Join(e.RestrictionTerms(), ","); got != "use-policy,revocable" {
		t.Errorf("creativeml-openrail-m restriction terms %q", got)
	}
	for _, e := range cat.Entries() {
		names, texts := e.RestrictionTerms(), e.Restrictions()
		if len(names) != len(texts) {
			t.Fatalf("%s: %d names for %d restrictions", e.Ref(), len(names), len(texts))
		}
		for _, n := range names {
			if has, _ := e.HasTerm(n); !has {
				t.Errorf("%s: restriction of term %s, which Found does not see", e.Ref(), n)
			}
		}
	}
	if (*Entry)(nil).RestrictionTerms() != nil {
		t.Error("a nil entry has restriction terms")
	}
}

func TestLookupTerm(t *testing.T) {
	t.Parallel()
	if term, ok := LookupTerm("user-cap"); !ok || term.Describe(Terms{UserCap: 700_000_000}) != "700M MAU cap" {
		t.Errorf("LookupTerm(user-cap) = %v, %v", term.Name, ok)
	}
	if _, ok := LookupTerm("700M MAU cap"); ok {
		t.Error("LookupTerm found a term by its display text")
	}
	if _, known := (*Entry)(nil).HasTerm("no-such-term"); known {
		t.Error("HasTerm knows an unknown name")
	}
	if !slices.IsSorted(TermNames()) {
		t.Error("TermNames is not sorted")
	}
}

// TestConditionsAreNotRestrictions checks that Restricts and Describe agree: a condition
// (attribution, naming, copyleft) never shows as a restriction, and every restricting term
// shows as one for some catalogue entry.
func TestConditionsAreNotRestrictions(t *testing.T) {
	t.Parallel()
	var conditions []string
	for _, term := range TermTable() {
		described := false
		for _, e := range Default().Entries() {
			described = described || term.Describe(e.Terms) != ""
		}
		if described != term.Restricts {
			t.Errorf("%s: Restricts %v, but described as a restriction: %v", term.Name, term.Restricts, described)
		}
		if !term.Restricts {
			conditions = append(conditions, term.Name)
		}
	}
	if got := strings.Join(conditions, ","); got != "attribution,naming,copyleft" {
		t.Errorf("conditions %s, want attribution,naming,copyleft", got)
	}
}
