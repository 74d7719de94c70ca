package license

import (
	"slices"
	"strings"

	"github.com/glassbox-dev/glassbox/internal/lazyre"
)

// Near-variants of permissive licences.
//
// Model repositories often ship a permissive licence text with a sentence of their own added: a
// request to cite a paper, to say what was built, or a restriction. google/licensecheck matches
// licence texts closely, so an added sentence inside the text hides the licence. glassbox then
// looks for the grant's identifying phrases (a few words of each distinctive clause, written for
// glassbox, never the text) and reads every sentence for terms the licence does not have:
//   - none, or only non-binding requests ("we kindly ask", "would appreciate", "please cite",
//     "not required") → the permissive licence, reported with How "variant";
//   - anything that binds ("may not", "shall not", "only for", "non-commercial", "prohibited") →
//     a modified licence whose terms glassbox does not know: LicenseRef-<ID>-modified, unknown,
//     never open.
//
// A variant is looked for only when no licence text or fingerprint matched.

// variant is one permissive licence's identifying phrases and the words its own sentences use.
type variant struct {
	id      string
	phrases []string // all must be present (folded: lower case, words only)
}

var variants = []variant{
	{"MIT", []string{
		"permission is hereby granted free of charge to any person obtaining a copy",
		"the above copyright notice and this permission notice shall be included",
		"provided as is without warranty of any kind",
	}},
	{"BSD-3-Clause", []string{
		"redistribution and use in source and binary forms with or without modification are permitted",
		"redistributions of source code must retain the above copyright notice",
		"neither the name of",
	}},
	{"BSD-2-Clause", []string{
		"redistribution and use in source and binary forms with or without modification are permitted",
		"redistributions of source code must retain the above copyright notice",
	}},
}

var (
	foldRe       = lazyre.New(`[^a-z0-9]+`)
	sentenceRe   = lazyre.New(`[^.!?\n]+(?:[.!?]+|\n|$)`)
	bindingRe    = lazyre.New(`(?i)\b(may not|shall not|must not|cannot|can not|not (be )?(used|permitted|allowed)|only (for|be used)|solely|non-?commercial|commercial (use|purposes)|prohibit\w*|restricted to|research (use|purposes) only|you agree|terminate|revoke)\b`)
	nonBindingRe = lazyre.New(`(?i)\b(kindly|would appreciate|we appreciate|appreciated|please (cite|consider|let us know|acknowledge|credit)|we ask|we request|encourage|not (required|mandatory|a condition)|do not require|optional|if you find|we would love|welcome)\b`)
)

func fold(s string) string {
	return strings.TrimSpace(foldRe.ReplaceAllString(strings.ToLower(s), " "))
}

// nearVariant finds a permissive licence whose text carries sentences of its own.
func (c *Catalogue) nearVariant(text string) (Match, bool) {
	folded := " " + fold(text) + " "
	for _, v := range variants {
		all := true
		for _, p := range v.phrases {
			all = all && strings.Contains(folded, " "+p+" ")
		}
		if !all {
			continue
		}
		e, ok := c.ByID(v.id)
		if !ok {
			continue
		}
		m := Match{Key: e.Key, ID: e.ID, Name: e.Name, Coverage: 1, Lines: [2]int{1, strings.Count(text, "\n") + 1}, How: "variant"}
		for _, s := range sentenceRe.FindAllString(text, -1) {
			if bindingRe.MatchString(s) && !nonBindingRe.MatchString(s) {
				m.Key, m.ID, m.Name = "unknown", "LicenseRef-"+v.id+"-modified", v.id+" with added terms glassbox does not know"
				return m, true
			}
		}
		return m, true
	}
	return Match{}, false
}

// addedTerms marks a permissive licence text (MIT, BSD) as modified when the text outside every
// match adds a binding term ("the weights may not be used commercially"): such a file is not the
// permissive licence any more, whatever its first lines say.
func (c *Catalogue) addedTerms(ms []Match, text string, body int) {
	if !slices.ContainsFunc(ms, isVariantText) {
		return // nothing the added terms could mark: skip reading the sentences
	}
	lines := strings.Split(text, "\n")
	covered := make([]bool, len(lines)+2)
	first := strings.Count(text[:body], "\n") + 1
	for i := 1; i < first && i < len(covered); i++ {
		covered[i] = true
	}
	for _, m := range ms {
		for l := m.Lines[0]; l <= m.Lines[1] && l < len(covered); l++ {
			covered[l] = true
		}
	}
	var rest strings.Builder
	for i, l := range lines {
		if !covered[i+1] {
			rest.WriteString(l + "\n")
		}
	}
	binding := false
	for _, s := range sentenceRe.FindAllString(rest.String(), -1) {
		binding = binding || bindingRe.MatchString(s) && !nonBindingRe.MatchString(s)
	}
	if !binding {
		return
	}
	for i := range ms {
		for _, v := range variants {
			if ms[i].ID == v.id && ms[i].How == "text" {
				ms[i].Key, ms[i].ID, ms[i].Name = "unknown", "LicenseRef-"+v.id+"-modified", v.id+" with added terms glassbox does not know"
			}
		}
	}
}

// isVariantText reports whether a match is a permissive licence found by its text, the only
// kind addedTerms marks as modified.
func isVariantText(m Match) bool {
	if m.How != "text" {
		return false
	}
	for _, v := range variants {
		if m.ID == v.id {
			return true
		}
	}
	return false
}
