package license

import (
	"slices"
	"strings"
)

// Term is one kind of licence clause that moves a release along the openness spectrum
// (FRAMEWORKS.md §6). Consumers (the frameworks, policies, the CLI's --term filter) key on its
// Name; only people read the text Describe gives.
type Term struct {
	// Name is the term's stable name ("user-cap", "use-policy"), used by policies, the
	// report's restriction_terms and every framework that decides by term.
	Name string
	// Doc says in a sentence what the clause does.
	Doc string
	// Restricts: the clause limits use and makes terms less open; attribution, naming and
	// copyleft are conditions that leave them open.
	Restricts bool
	// Found reports whether a licence's terms have the clause.
	Found func(Terms) bool
	// Describe gives the clause as a restriction in plain words ("700M MAU cap"), or "" when
	// the clause does not restrict use on these terms: attribution, naming and copyleft are
	// conditions, and a commercial limit is described by the cap that sets it.
	Describe func(Terms) string
}

// termTable lists the terms in the order restrictions are shown.
var termTable = []Term{
	{Name: "non-commercial", Restricts: true, Doc: "commercial use is forbidden",
		Found: func(t Terms) bool { return t.Commercial == CommercialNo }, Describe: describeNonCommercial},
	{Name: "commercial-limited", Restricts: true, Doc: "some commercial uses need a separate licence",
		Found: func(t Terms) bool { return t.Commercial == CommercialLimited }, Describe: describeCommercialLimited},
	{Name: "research-only", Restricts: true, Doc: "only research or non-production use is allowed",
		Found: func(t Terms) bool { return t.ResearchOnly }, Describe: when(func(t Terms) bool { return t.ResearchOnly }, "research only")},
	{Name: "use-policy", Restricts: true, Doc: "a field-of-use or acceptable-use policy binds the licensee",
		Found: func(t Terms) bool { return t.UsePolicy }, Describe: when(func(t Terms) bool { return t.UsePolicy && !t.PolicyByReference }, "use policy")},
	{Name: "policy-by-reference", Restricts: true, Doc: "the use policy is a separate document, incorporated by reference, that the licensor may update",
		Found:    func(t Terms) bool { return t.PolicyByReference },
		Describe: when(func(t Terms) bool { return t.UsePolicy && t.PolicyByReference }, "use policy (incorporated by reference)")},
	{Name: "user-cap", Restricts: true, Doc: "a separate licence is needed above a number of monthly active users",
		Found: func(t Terms) bool { return t.UserCap > 0 }, Describe: describeUserCap},
	{Name: "revenue-cap", Restricts: true, Doc: "a separate licence is needed above an annual revenue",
		Found: func(t Terms) bool { return t.RevenueCap > 0 }, Describe: describeRevenueCap},
	{Name: "no-training-others", Restricts: true, Doc: "outputs may not be used to train or improve other models",
		Found:    func(t Terms) bool { return t.NoTrainingOthers },
		Describe: when(func(t Terms) bool { return t.NoTrainingOthers }, "no training other models on outputs")},
	{Name: "geographic", Restricts: true, Doc: "residents or companies of some regions are excluded from some grants",
		Found: func(t Terms) bool { return len(t.Geographic) > 0 }, Describe: describeGeographic},
	{Name: "revocable", Restricts: true, Doc: "the licensor may terminate or change the terms unilaterally",
		Found: func(t Terms) bool { return t.Revocable }, Describe: when(func(t Terms) bool { return t.Revocable }, "revocable or changeable terms")},
	{Name: "no-derivatives", Restricts: true, Doc: "modified versions may not be shared",
		Found: func(t Terms) bool { return t.NoDerivatives }, Describe: when(func(t Terms) bool { return t.NoDerivatives }, "no derivatives")},
	{Name: "attribution", Doc: "notices must be kept or credit given (a condition, not a restriction)",
		Found: func(t Terms) bool { return t.Attribution }, Describe: never},
	{Name: "naming", Doc: `derivatives must carry a name or a "Built with" mark (a condition, not a restriction)`,
		Found: func(t Terms) bool { return t.Naming }, Describe: never},
	{Name: "copyleft", Doc: "derivatives must be shared under the same terms (a condition, not a restriction)",
		Found: func(t Terms) bool { return t.Copyleft }, Describe: never},
}

// when describes a clause by fixed text when has holds.
func when(has func(Terms) bool, text string) func(Terms) string {
	return func(t Terms) string {
		if has(t) {
			return text
		}
		return ""
	}
}

func never(Terms) string { return "" }

func describeNonCommercial(t Terms) string {
	if t.Commercial == CommercialNo {
		return "non-commercial"
	}
	return ""
}

// describeCommercialLimited leaves a limit set by a user or revenue cap to the cap's own text.
func describeCommercialLimited(t Terms) string {
	if t.Commercial == CommercialLimited && t.UserCap == 0 && t.RevenueCap == 0 {
		return "commercial use limited"
	}
	return ""
}

func describeUserCap(t Terms) string {
	if t.UserCap > 0 {
		return humanCount(t.UserCap) + " MAU cap"
	}
	return ""
}

func describeRevenueCap(t Terms) string {
	if t.RevenueCap > 0 {
		return "$" + humanCount(t.RevenueCap) + " revenue cap"
	}
	return ""
}

func describeGeographic(t Terms) string {
	if len(t.Geographic) > 0 {
		return "geographic exclusion (" + strings.Join(t.Geographic, ", ") + ")"
	}
	return ""
}

// TermTable returns every term glassbox records, in the order restrictions are shown. The
// slice is a copy; the functions in it must not be changed.
func TermTable() []Term { return slices.Clone(termTable) }

// LookupTerm finds a term by name.
func LookupTerm(name string) (Term, bool) {
	for _, t := range termTable {
		if t.Name == name {
			return t, true
		}
	}
	return Term{}, false
}

// TermNames returns the names of every term, sorted: "user-cap", "use-policy",
// "non-commercial", "research-only", "no-training-others", "geographic", "revocable",
// "copyleft", "naming" and a few more.
func TermNames() []string {
	names := make([]string, len(termTable))
	for i, t := range termTable {
		names[i] = t.Name
	}
	slices.Sort(names)
	return names
}

// HasTerm reports whether the licence has a clause of the named kind (one of TermNames); known
// is false for a name HasTerm does not know.
func (e *Entry) HasTerm(name string) (has, known bool) {
	t, known := LookupTerm(name)
	if !known || e == nil {
		return false, known
	}
	return t.Found(e.Terms), true
}

// Restrictions names, in plain words, each clause of the licence that restricts use
// ("use policy", "700M MAU cap"). Attribution and copyleft are conditions, not restrictions.
func (e *Entry) Restrictions() []string {
	_, texts := e.restrictions()
	return texts
}

// RestrictionTerms names the term (one of TermNames) of each restriction Restrictions gives,
// in the same order.
func (e *Entry) RestrictionTerms() []string {
	names, _ := e.restrictions()
	return names
}

func (e *Entry) restrictions() (names, texts []string) {
	if e == nil {
		return nil, nil
	}
	for _, t := range termTable {
		if s := t.Describe(e.Terms); s != "" {
			names, texts = append(names, t.Name), append(texts, s)
		}
	}
	return names, texts
}
