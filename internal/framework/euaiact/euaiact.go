// Package euaiact judges whether a general-purpose AI model release can claim the open-source
// exemption of the EU AI Act (Regulation (EU) 2024/1689, Article 53(2)), condition by condition:
//
//  1. the licence grants access, use, modification and redistribution;
//  2. the weights, information on the architecture and information on usage are public;
//  3. the model is not monetised;
//  4. the model is not a general-purpose AI model with systemic risk.
//
// The verdict is eligible when all four conditions pass, not-eligible when any fails, and
// cannot-determine otherwise. The rule follows the Act's text: the exemption holds only when
// every condition does, so a condition that the evidence cannot settle leaves the verdict open,
// and it is never read as a pass.
//
// Condition 3 is rarely visible in a release. It passes only on positive evidence: the Hub
// says the repository is public and ungated and the weights are in it, so they can be
// downloaded free of charge without giving personal data. Anything else (a local copy, a gate,
// a form) leaves it unknown, and so the verdict is cannot-determine at best.
//
// Condition 4 estimates training compute as 6 × parameters × training tokens and compares it
// with the 10^25 FLOP presumption of Article 51(2). The verdict is not legal advice, and its
// notes list the obligations that stay even when the exemption applies.
package euaiact

import (
	"strconv"
	"strings"

	"github.com/glassbox-dev/glassbox/internal/component"
	"github.com/glassbox-dev/glassbox/internal/evidence"
	"github.com/glassbox-dev/glassbox/internal/framework"
	"github.com/glassbox-dev/glassbox/internal/lazyre"
)

// Verdict labels.
const (
	Eligible        = "eligible"
	NotEligible     = "not-eligible"
	CannotDetermine = "cannot-determine"
)

// Criterion names of the four conditions, in the Act's order.
const (
	CriterionLicence      = "licence grants access, use, modification and redistribution"
	CriterionPublic       = "weights, architecture and usage information public"
	CriterionMonetisation = "no monetisation"
	CriterionSystemicRisk = "not a model with systemic risk"
)

// SystemicRiskFLOP is the cumulative training compute above which a general-purpose AI model
// is presumed to have systemic risk (Article 51(2)).
const SystemicRiskFLOP = 1e25

// Framework is the EU AI Act lens.
var Framework = &framework.Framework{
	Name:  "euaiact",
	Title: "EU AI Act, Article 53(2) open-source exemption",
	Doc: "Whether a general-purpose AI model release can claim the EU AI Act's exemption for models " +
		"released under a free and open-source licence (Article 53(2)): the licence must allow access, " +
		"use, modification and redistribution; the weights, architecture and usage information must be " +
		"public; the model must not be monetised; and it must not be a model with systemic risk " +
		"(training compute above 10^25 FLOP, estimated as 6 × parameters × tokens). Eligible only when " +
		"all four hold. Not legal advice; some obligations remain even when exempt.",
	Evaluate: Evaluate,
}

// Notes are the statements every verdict carries, whatever its label.
var Notes = []string{
	"Not legal advice: glassbox reads the release's files against Article 53(2) of Regulation (EU) 2024/1689; " +
		"facts outside the release can change the answer, and only the AI Office and the courts settle it.",
	"Exempt or not, the provider must put in place a policy to comply with Union copyright law, " +
		"including respecting machine-readable text-and-data-mining opt-outs (Article 53(1)(c)).",
	"Exempt or not, the provider must publish a sufficiently detailed summary of the content used for " +
		"training, following the AI Office's template (Article 53(1)(d)).",
	"The exemption only lifts the technical documentation for the AI Office and the information for " +
		"downstream providers (Article 53(1)(a) and (b)) and the authorised representative (Article 54); " +
		"it never applies to a model with systemic risk, which keeps every obligation of Articles 53 and 55.",
}

// Evaluate judges the four conditions. The label is eligible when all pass, not-eligible when
// any fails, and cannot-determine otherwise.
func Evaluate(f *evidence.Facts) framework.Verdict {
	r := []framework.Reason{licence(f), public(f), monetisation(f), systemicRisk(f)}
	label := Eligible
	for _, x := range r {
		if x.Result == framework.Fail {
			label = NotEligible
			break
		}
		if x.Result != framework.Pass {
			label = CannotDetermine
		}
	}
	return framework.Verdict{Framework: "euaiact", Label: label, Reasons: r, Notes: append([]string{}, Notes...)}
}

// ---- condition 1: the licence

// termRule says what one licence term (license.TermNames) does to condition 1.
type termRule struct {
	term   string
	result framework.Result
	why    string
}

// termRules, by term name: disqualifying terms fail; proportionate safety restrictions pass;
// terms whose effect on the exemption is a legal judgement leave the condition unknown.
// Attribution, naming and same-terms conditions are allowed (they never appear as
// restrictions, but every term has a rule so that a new term cannot go unjudged). A restriction
// without a term name is unknown.
var termRules = []termRule{
	{"non-commercial", framework.Fail, "forbids commercial use"},
	{"research-only", framework.Fail, "allows research use only"},
	{"commercial-limited", framework.Fail, "limits commercial use, so some uses need a separate licence"},
	{"user-cap", framework.Fail, "needs a separate licence above a number of users"},
	{"revenue-cap", framework.Fail, "needs a separate licence above a revenue threshold"},
	{"no-derivatives", framework.Fail, "forbids sharing modified versions"},
	{"geographic", framework.Fail, "excludes users by region, which no non-discriminatory safety restriction does"},
	{"policy-by-reference", framework.Pass, "a use policy the licensor may update; allowed while it only bans harmful uses"},
	{"use-policy", framework.Pass, "a use policy; allowed as a proportionate, non-discriminatory safety restriction as long as it only bans harmful uses"},
	{"no-training-others", framework.Unknown, "restricts what outputs may be used for, a limit on use that is not about safety"},
	{"revocable", framework.Unknown, "lets the licensor revoke or change the terms, so the grant may not last"},
	{"attribution", framework.Pass, "an attribution condition, which the exemption allows"},
	{"naming", framework.Pass, "a naming condition, which the exemption allows like attribution"},
	{"copyleft", framework.Pass, "a same-terms condition, which the exemption allows"},
}

// classify finds the rule of a term name.
func classify(term string) termRule {
	for _, t := range termRules {
		if t.term == term {
			return t
		}
	}
	return termRule{term: term, result: framework.Unknown, why: "a term glassbox does not classify"}
}

// restrictionTerm is the term name of the i-th restriction of the weights, "" when the facts
// do not name it.
func restrictionTerm(w evidence.Weights, i int) string {
	if i < len(w.RestrictionTerms) {
		return w.RestrictionTerms[i]
	}
	return ""
}

func licence(f *evidence.Facts) framework.Reason {
	w := f.Weights
	r := framework.Reason{Criterion: CriterionLicence, Evidence: framework.Ev(w.Evidence...)}
	terms := strings.Join(w.Licenses, " AND ")
	if !w.Known {
		r.Result = framework.Unknown
		r.Detail = "no identifiable licence covers the weights"
		if terms != "" {
			r.Detail = "the terms of " + terms + " are not in glassbox's licence catalogue"
		}
		r.Fix = "declare the weights' licence in the card (an SPDX id) and ship its text as LICENSE"
		return r
	}
	var fails, doubts, allowed []string
	for i, s := range w.Restrictions {
		t := classify(restrictionTerm(w, i))
		switch t.result {
		case framework.Fail:
			fails = append(fails, s+": "+t.why)
		case framework.Unknown:
			doubts = append(doubts, s+": "+t.why)
		default:
			allowed = append(allowed, s+": "+t.why)
		}
	}
	// A base whose terms are unknown may carry any of the terms above.
	var bases []string
	for _, p := range f.Lineage {
		if p.License == "" {
			bases = append(bases, strings.TrimPrefix(p.Ref, "hf:"))
			r.Evidence = appendUnique(r.Evidence, p.Evidence...)
		}
	}
	switch {
	case len(fails) > 0:
		r.Result = framework.Fail
		r.Detail = "weights under " + terms + ", which " + plural(len(fails), "has a disqualifying term", "has disqualifying terms") + " (" + strings.Join(fails, "; ") + ")"
		r.Fix = "release the weights under terms that allow any use, modification and redistribution without user, revenue or commercial limits (Apache-2.0, MIT, CC-BY-4.0, OpenMDW-1.0); a derivative must start from a base under such terms"
	case len(doubts) > 0:
		r.Result = framework.Unknown
		r.Detail = "weights under " + terms + ", whose terms may not meet Article 53(2) (" + strings.Join(doubts, "; ") + ")"
		r.Fix = "have counsel judge these terms, or release under a licence without them"
	case len(bases) > 0:
		r.Result = framework.Unknown
		r.Detail = "weights under " + terms + ", but the licence of the base model " + strings.Join(bases, ", ") + " is unknown and a derivative inherits its base's terms"
		r.Fix = "scan with the Hub source so the base model's card is read, or state the base's licence"
	case !w.Open && len(allowed) == 0:
		r.Result = framework.Unknown
		r.Detail = "weights under " + terms + ", which is neither OSI-approved nor catalogued as open terms, and whose terms glassbox does not record"
		r.Fix = "release the weights under an OSI-approved licence or open terms (Apache-2.0, MIT, CC-BY-4.0, OpenMDW-1.0)"
	default:
		r.Result = framework.Pass
		r.Detail = "weights under " + terms + ", which allows access, use, modification and redistribution; attribution and same-terms conditions are allowed"
		if len(allowed) > 0 {
			r.Detail += "; " + strings.Join(allowed, "; ") + " (check that it does)"
		}
	}
	return r
}

// ---- condition 2: weights, architecture and usage information public

func public(f *evidence.Facts) framework.Reason {
	r := framework.Reason{Criterion: CriterionPublic, Evidence: []string{}}
	var found, missing, unknown []string
	var fixes []string
	fail := false

	// Weights.
	w := f.Component(component.ModelParameters)
	switch {
	case f.Access.Gate == "manual" && (w.Status == evidence.Present || w.Status == evidence.Gated):
		fail = true
		missing = append(missing, "the weights are released only to users the provider approves (Hub gating: manual)")
		fixes = append(fixes, "let anyone download the weights, at most behind a non-discriminatory click-through")
		r.Evidence = appendUnique(r.Evidence, f.Access.Evidence...)
	case w.Status == evidence.Present:
		found = append(found, "weights ("+firstOf(w.Locations)+")")
	case w.Status == evidence.Gated:
		found = append(found, "weights ("+firstOf(w.Locations)+", behind a click-through, which keeps them public)")
	case w.Status == evidence.Absent:
		fail = true
		missing = append(missing, "no weights in the release")
		fixes = append(fixes, "publish the final model parameters")
	default:
		unknown = append(unknown, "the weights could not be looked for (incomplete inventory)")
		fixes = append(fixes, "scan the complete release")
	}
	r.Evidence = appendUnique(r.Evidence, w.Evidence...)

	// Architecture: code, a library that implements it, or a config or header that describes it.
	arch := f.Component(component.ModelArchitecture)
	meta := f.Component(component.ModelMetadata)
	switch {
	case arch.Status == evidence.Present || arch.Status == evidence.Gated:
		found = append(found, "architecture ("+firstOf(arch.Locations)+")")
		r.Evidence = appendUnique(r.Evidence, arch.Evidence...)
	case f.Library != nil:
		found = append(found, "architecture (implemented by "+f.Library.Name+")")
		r.Evidence = appendUnique(r.Evidence, f.Library.Evidence...)
	case describesArchitecture(meta):
		found = append(found, "architecture ("+firstOf(meta.Locations)+")")
		r.Evidence = appendUnique(r.Evidence, meta.Evidence...)
	case arch.Status == evidence.Unknown:
		unknown = append(unknown, "the architecture could not be looked for")
	default:
		fail = true
		missing = append(missing, "no information on the architecture (no model code, config.json or known library)")
		fixes = append(fixes, "publish the model code or a config.json that names the architecture")
	}

	// Usage information.
	switch {
	case len(f.Usage) > 0:
		kinds := usageKinds(f.Usage)
		found = append(found, "usage information ("+strings.Join(kinds.found, ", ")+")")
		if len(kinds.lacking) > 0 {
			found[len(found)-1] = strings.TrimSuffix(found[len(found)-1], ")") + "; the card has no section on " + strings.Join(kinds.lacking, " or ") + ")"
		}
		for _, u := range f.Usage {
			r.Evidence = appendUnique(r.Evidence, u.Evidence...)
		}
		if !kinds.sections {
			fail = true
			missing = append(missing, "only the card's pipeline_tag says how the model is used")
			fixes = append(fixes, usageFix)
		}
	case !f.HasCard && !f.Complete:
		unknown = append(unknown, "no model card was seen, so usage information could not be looked for")
		fixes = append(fixes, "scan the complete release")
	case !f.HasCard:
		// Usage information may be published beside the repository (a model page, a paper);
		// without a card the release cannot show it either way.
		unknown = append(unknown, "the release has no model card, so its usage information cannot be judged")
		fixes = append(fixes, "add a model card (README.md) on intended uses, how to run the model, its inputs and outputs and its limitations")
	default:
		fail = true
		missing = append(missing, "no usage information in the card")
		fixes = append(fixes, usageFix)
	}

	var parts []string
	if len(found) > 0 {
		parts = append(parts, "public: "+strings.Join(found, ", "))
	}
	parts = append(parts, missing...)
	parts = append(parts, unknown...)
	r.Detail = strings.Join(parts, "; ")
	switch {
	case fail:
		r.Result = framework.Fail
	case len(unknown) > 0:
		r.Result = framework.Unknown
	default:
		r.Result = framework.Pass
		fixes = nil
	}
	r.Fix = strings.Join(fixes, "; ")
	return r
}

const usageFix = "add card sections on intended uses, how to run or integrate the model, its inputs and outputs, and its limitations"

// describesArchitecture: a config file or a GGUF header among the metadata.
func describesArchitecture(meta evidence.Component) bool {
	if meta.Status != evidence.Present && meta.Status != evidence.Gated {
		return false
	}
	for _, l := range meta.Locations {
		if strings.HasSuffix(l, "config.json") || strings.HasSuffix(l, "params.json") || strings.HasSuffix(l, "#header") {
			return true
		}
	}
	return false
}

type usageSummary struct {
	found, lacking []string
	sections       bool // a card section, not only the pipeline_tag
}

// usageKinds says which kinds of usage information the card gives, in a fixed order.
func usageKinds(us []evidence.UsageInfo) usageSummary {
	names := []struct{ kind, name string }{
		{evidence.UsageUses, "intended uses"},
		{evidence.UsageHowTo, "how to use"},
		{evidence.UsageLimitations, "limitations"},
		{evidence.UsageModalities, "inputs and outputs"},
	}
	var s usageSummary
	have := map[string]bool{}
	for _, u := range us {
		have[u.Kind] = true
		if !strings.HasPrefix(u.Heading, "pipeline_tag:") {
			s.sections = true
		}
	}
	for _, n := range names {
		if have[n.kind] {
			s.found = append(s.found, n.name)
		} else {
			s.lacking = append(s.lacking, n.name)
		}
	}
	return s
}

// ---- condition 3: no monetisation

// personalDataRe matches form labels that ask for personal data.
var personalDataRe = lazyre.New(`(?i)\b(name|e-?mail|date of birth|birth ?date|birthday|country|affiliation|organi[sz]ation|company|institution|employer|job|title|role|occupation|phone|address|city|linkedin)\b`)

func monetisation(f *evidence.Facts) framework.Reason {
	r := framework.Reason{Criterion: CriterionMonetisation, Result: framework.Unknown, Evidence: framework.Ev(f.Access.Evidence...)}
	var personal []string
	for _, field := range f.Access.Form {
		if personalDataRe.MatchString(field) {
			personal = append(personal, field)
		}
	}
	w := f.Component(component.ModelParameters)
	const unseen = "; paid support or services sold outside the release cannot be seen, and count only if they are a condition of use"
	switch {
	case len(personal) > 0:
		r.Detail = "the download form asks for personal data (" + strings.Join(personal, ", ") + "); the Act treats personal data as a condition of access as monetisation unless it serves only security, compatibility or interoperability, which the release cannot show"
		r.Fix = "drop the personal-data fields from the download form, or document that the data serves only security, compatibility or interoperability"
	case f.Access.Hub && f.Access.Gate == "" && w.Status == evidence.Present:
		r.Result = framework.Pass
		r.Detail = "the Hub serves the repository publicly and ungated, so anyone can download the weights free of charge without giving personal data" + unseen
		r.Evidence = appendUnique(r.Evidence, w.Evidence...)
	case f.Access.Hub && f.Access.Gate != "":
		r.Detail = "downloads are gated (" + f.Access.Gate + "); nothing in the release shows a price or a paid condition, but the gate's terms are not visible to glassbox"
		r.Fix = "confirm that access needs no payment, paid support or personal data beyond what security requires"
	default:
		r.Detail = "cannot be determined from the release: nothing in it shows paid-only access, mandatory paid support or personal data as a condition of access, but a local copy cannot show how the model is distributed; the verdict is cannot-determine at best"
		r.Fix = "scan hf:ORG/NAME so the Hub's access settings can be read, or confirm that access is free of charge and needs no personal data"
	}
	return r
}

// ---- condition 4: not a model with systemic risk

func systemicRisk(f *evidence.Facts) framework.Reason {
	r := framework.Reason{Criterion: CriterionSystemicRisk, Evidence: framework.Ev(f.TrainingTokensEvidence...)}
	for _, a := range f.Artifacts {
		if !a.Intermediate && a.Parameters > 0 {
			r.Evidence = appendUnique(r.Evidence, a.Evidence...)
		}
	}
	n, d := f.Parameters, f.TrainingTokens
	basis, upperBound := "parameters", false
	if m := f.MoE; m != nil {
		r.Evidence = appendUnique(r.Evidence, m.Evidence...)
		if m.Active > 0 {
			n = m.Active
			basis = "activated parameters (mixture of " + strconv.Itoa(m.Experts) + " experts, " + strconv.Itoa(m.PerToken) + " per token; from the " + m.Source + ")"
		} else {
			basis, upperBound = "parameters (total of a mixture of "+strconv.Itoa(m.Experts)+" experts, "+strconv.Itoa(m.PerToken)+" per token: an upper bound)", true
		}
	}
	if n <= 0 || d <= 0 {
		r.Result = framework.Unknown
		var lack []string
		if n <= 0 {
			lack = append(lack, "the parameter count (no weights header was read)")
		}
		if d <= 0 {
			lack = append(lack, "the number of training tokens (the card does not state it)")
		}
		r.Detail = "training compute cannot be estimated without " + strings.Join(lack, " and ")
		if d <= 0 {
			r.Fix = "state the training token count in the card (\"trained on 2 trillion tokens\")"
		} else {
			r.Fix = "scan the weights files so their headers give the parameter count"
		}
		return r
	}
	flop := 6 * float64(n) * float64(d)
	estimate := "6 × " + sci(float64(n)) + " " + basis + " × " + sci(float64(d)) + " tokens ≈ " + sci(flop) + " FLOP"
	if flop > SystemicRiskFLOP && upperBound {
		r.Result = framework.Unknown
		r.Detail = estimate + ": the upper bound is above 10^25, and the activated parameter count that decides is not stated"
		r.Fix = "state the activated parameters per token in the card (\"37B activated parameters\") or the expert sizes in config.json (moe_intermediate_size)"
		return r
	}
	if flop > SystemicRiskFLOP {
		r.Result = framework.Fail
		r.Detail = estimate + ", above 10^25: presumed a model with systemic risk (Article 51(2)), to which the exemption never applies"
		r.Fix = "none through the release: a model above the threshold keeps every obligation unless the Commission accepts that it has no systemic risk (Article 52(2))"
		return r
	}
	var adapter, derived []string
	for _, p := range f.Lineage {
		switch p.Relation {
		case "adapter":
			adapter = append(adapter, strings.TrimPrefix(p.Ref, "hf:"))
		case "quantized":
			// A quantisation has its base's parameters and training; the estimate stands.
		default:
			derived = append(derived, strings.TrimPrefix(p.Ref, "hf:"))
		}
		r.Evidence = appendUnique(r.Evidence, p.Evidence...)
	}
	switch {
	case len(adapter) > 0:
		r.Result = framework.Unknown
		r.Detail = estimate + ", but the weights are an adapter on " + strings.Join(adapter, ", ") + ", whose own training compute decides"
		r.Fix = "check the base model's training compute"
	case len(derived) > 0:
		r.Result = framework.Unknown
		r.Detail = estimate + ", below 10^25, but the model derives from " + strings.Join(derived, ", ") + " and the base's training compute counts toward the cumulative total, which the card does not state"
		r.Fix = "state the base model's training tokens, or the cumulative training compute, in the card"
	default:
		r.Result = framework.Pass
		r.Detail = estimate + ", below 10^25"
	}
	return r
}

// sci renders x as "1.75e23".
func sci(x float64) string {
	s := strconv.FormatFloat(x, 'e', 2, 64)
	mant, exp, _ := strings.Cut(s, "e")
	neg := strings.HasPrefix(exp, "-")
	exp = strings.TrimLeft(exp, "+-0")
	if exp == "" {
		exp = "0"
	}
	if neg {
		exp = "-" + exp
	}
	return mant + "e" + exp
}

func firstOf(s []string) string {
	if len(s) == 0 {
		return "found"
	}
	if len(s) > 1 {
		return s[0] + ", …"
	}
	return s[0]
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

func appendUnique(s []string, more ...string) []string {
	for _, m := range more {
		dup := false
		for _, x := range s {
			if x == m {
				dup = true
				break
			}
		}
		if !dup {
			s = append(s, m)
		}
	}
	return s
}
