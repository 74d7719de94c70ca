package mof

import (
	"errors"
	"fmt"
	"strings"

	"github.com/glassbox-dev/glassbox/internal/component"
	"github.com/glassbox-dev/glassbox/internal/license"
)

// Licence expressions are parsed here rather than with github.com/github/go-spdx/v2/spdxexp,
// although that package handles AND, OR, WITH and LicenseRef- ids well: its parse tree is
// unexported and it rejects any leaf that is not an SPDX id ("Apache 2.0 OR MIT" fails with
// "unknown license 'Apache'"), so it cannot evaluate what records actually contain before each
// leaf is normalised, and normalising leaves needs the tree. Once leaves are ids, evaluating
// OR and AND is two lines, so a small parser over free-text leaves is simpler than a round trip.

// expr is a parsed licence expression: a leaf licence name (with an optional WITH exception) or
// an AND/OR of sub-expressions.
type expr struct {
	op        string // "AND", "OR", or "" for a leaf
	name      string // the leaf's licence name as written
	exception string // the leaf's WITH exception, if any
	args      []*expr
}

// maxDepth bounds parenthesis nesting; no real licence expression comes close.
const maxDepth = 32

var errSyntax = errors.New("not a licence expression")

// parseExpr parses an SPDX-style expression whose leaves may be free text ("Apache 2.0 OR MIT
// License"). Operators must be upper case, as SPDX writes them: a lower-case "or" is part of a
// name ("BSD 3-Clause New or Revised"). AND binds tighter than OR.
func parseExpr(s string) (*expr, error) {
	p := &exprParser{toks: tokenize(s)}
	e, err := p.or(0)
	if err != nil {
		return nil, err
	}
	if p.i != len(p.toks) {
		return nil, errSyntax
	}
	return e, nil
}

func tokenize(s string) []string {
	s = strings.NewReplacer("(", " ( ", ")", " ) ").Replace(s)
	return strings.Fields(s)
}

type exprParser struct {
	toks []string
	i    int
}

func (p *exprParser) peek() string {
	if p.i < len(p.toks) {
		return p.toks[p.i]
	}
	return ""
}

func (p *exprParser) or(depth int) (*expr, error) {
	return p.binary(depth, "OR", p.and)
}

func (p *exprParser) and(depth int) (*expr, error) {
	return p.binary(depth, "AND", p.with)
}

func (p *exprParser) binary(depth int, op string, next func(int) (*expr, error)) (*expr, error) {
	first, err := next(depth)
	if err != nil {
		return nil, err
	}
	args := []*expr{first}
	for p.peek() == op {
		p.i++
		e, err := next(depth)
		if err != nil {
			return nil, err
		}
		args = append(args, e)
	}
	if len(args) == 1 {
		return first, nil
	}
	return &expr{op: op, args: args}, nil
}

func (p *exprParser) with(depth int) (*expr, error) {
	if p.peek() == "(" {
		if depth >= maxDepth {
			return nil, errSyntax
		}
		p.i++
		e, err := p.or(depth + 1)
		if err != nil {
			return nil, err
		}
		if p.peek() != ")" {
			return nil, errSyntax
		}
		p.i++
		return e, nil
	}
	name := p.words()
	if name == "" {
		return nil, errSyntax
	}
	leaf := &expr{name: name}
	if p.peek() == "WITH" {
		p.i++
		if leaf.exception = p.words(); leaf.exception == "" {
			return nil, errSyntax
		}
	}
	return leaf, nil
}

// words consumes the words of one licence name, up to an operator or parenthesis.
func (p *exprParser) words() string {
	start := p.i
	for p.i < len(p.toks) {
		switch p.toks[p.i] {
		case "AND", "OR", "WITH", "(", ")":
			return strings.Join(p.toks[start:p.i], " ")
		}
		p.i++
	}
	return strings.Join(p.toks[start:], " ")
}

// verdict is glassbox's judgement of one licence string for one component type.
type verdict struct {
	// expression is the normalised SPDX expression; "" when some leaf names no known licence.
	expression string
	open       bool
	// why says what decided open, in words: "Apache-2.0 is OSI-approved".
	why string
	// unknown lists leaves that name no licence of the catalogue.
	unknown []string
	// warning flags an open licence unsuited to the component type.
	warning string
}

// judgeLicence evaluates a licence string for a component: the whole string is
// normalised first (it may be a name with spaces, such as "Apache License, Version 2.0"), then,
// failing that, parsed as an expression whose leaves are normalised one by one.
func judgeLicence(cat *license.Catalogue, s string, t component.Info) verdict {
	var tree *expr
	if _, ok := license.Normalize(cat, s); ok {
		tree = &expr{name: s}
	} else if e, err := parseExpr(s); err == nil {
		tree = e
	} else {
		tree = &expr{name: s}
	}
	var v verdict
	ev := evalExpr(cat, tree, t, &v)
	v.open, v.warning = ev.open, ev.warning
	if len(v.unknown) == 0 {
		v.expression = render(tree, cat, false)
	}
	v.why = ev.why
	return v
}

// evaluation is the result for one sub-expression.
type evaluation struct {
	open    bool
	warning string
	why     string
}

func evalExpr(cat *license.Catalogue, e *expr, t component.Info, v *verdict) evaluation {
	if e.op == "" {
		return evalLeaf(cat, e, t, v)
	}
	var evs []evaluation
	for _, a := range e.args {
		evs = append(evs, evalExpr(cat, a, t, v))
	}
	if e.op == "OR" {
		// One open branch suffices; prefer one that suits the component type, so a dual
		// licence is not flagged for the branch the user would not pick.
		best := -1
		for i, ev := range evs {
			if ev.open && (best < 0 || evs[best].warning != "" && ev.warning == "") {
				best = i
			}
		}
		if best >= 0 {
			return evaluation{open: true, warning: evs[best].warning,
				why: fmt.Sprintf("open through one branch: %s", evs[best].why)}
		}
		return evaluation{why: "no branch is open: " + joinWhy(evs)}
	}
	// AND: every part must be open, and every part's warning stands.
	out := evaluation{open: true}
	var warnings []string
	for _, ev := range evs {
		if !ev.open {
			out.open = false
		}
		if ev.warning != "" {
			warnings = append(warnings, ev.warning)
		}
	}
	out.warning = strings.Join(warnings, "; ")
	if out.open {
		out.why = "every part is open: " + joinWhy(evs)
	} else {
		var closed []evaluation
		for _, ev := range evs {
			if !ev.open {
				closed = append(closed, ev)
			}
		}
		out.why = "not every part is open: " + joinWhy(closed)
	}
	return out
}

func joinWhy(evs []evaluation) string {
	var parts []string
	for _, ev := range evs {
		parts = append(parts, ev.why)
	}
	return strings.Join(parts, "; ")
}

func evalLeaf(cat *license.Catalogue, e *expr, t component.Info, v *verdict) evaluation {
	id, ok := license.Normalize(cat, e.name)
	if !ok {
		v.unknown = append(v.unknown, e.name)
		return evaluation{why: fmt.Sprintf("%q names no known licence", e.name)}
	}
	entry, _ := cat.ByID(id)
	reason, open := openReason(entry)
	if !open {
		return evaluation{why: id + " " + reason}
	}
	// A WITH exception only ever adds permissions to the licence it modifies, so it cannot
	// make an open licence closed.
	return evaluation{open: true, why: id + " " + reason, warning: typeWarning(entry, t)}
}

// openReason says whether glassbox counts a licence as open, and why in words: by its current
// OSI approval, FSF libre status or open terms, or because the reference tool lists it as an open
// data licence. A use restriction recorded in the catalogue (a use policy, a user cap) keeps a
// licence closed whatever its flags.
func openReason(e *license.Entry) (string, bool) {
	if r := e.Restrictions(); len(r) > 0 {
		return "is not open (" + strings.Join(r, ", ") + ")", false
	}
	switch {
	case e.OSI:
		return "is OSI-approved", true
	case e.FSF:
		return "is FSF-libre", true
	case e.OpenTerms:
		return "grants open terms", true
	case motOpenData[e.ID]:
		return "is an open data licence", true
	}
	return "is not OSI-approved, FSF-libre or an open data licence", false
}

// suits says which kinds of licence are written for which component type. Documents take code
// licences too: the reference tool accepts Apache-2.0 for them and papers often ship under
// their repository's licence.
var suits = map[component.Type]map[license.Kind]bool{
	component.Code:     {license.KindCode: true},
	component.Data:     {license.KindData: true, license.KindContent: true, license.KindModel: true},
	component.Document: {license.KindContent: true, license.KindCode: true, license.KindModel: true},
}

// softwareLicenceOK are the data components that software licences suit as well: model files.
// The MOF and the G7 tiers accept OSI-approved licences for weights, and Apache-2.0 weights
// with their config files are the norm, so flagging them would bury the warnings that matter.
var softwareLicenceOK = map[component.ID]bool{
	component.ModelParameters:        true,
	component.IntermediateParameters: true,
	component.ModelMetadata:          true,
}

// anyType are dedications and licences written for every kind of artefact.
var anyType = map[string]bool{"CC0-1.0": true, "CC-PDDC": true, "OpenMDW-1.0": true, "LicenseRef-hf-openmdw-1.1": true}

// kindOf returns the kind a licence was written for: the catalogue's, or, for an entry the
// catalogue does not classify, content or data for an open data licence and code for an OSI or
// FSF one.
func kindOf(e *license.Entry) license.Kind {
	switch {
	case e.Kind != "":
		return e.Kind
	case strings.HasPrefix(e.ID, "CC-") || strings.HasPrefix(e.ID, "GFDL"):
		return license.KindContent
	case motOpenData[e.ID]:
		return license.KindData
	case e.OSI || e.FSF:
		return license.KindCode
	}
	return ""
}

func typeWarning(e *license.Entry, c component.Info) string {
	k := kindOf(e)
	if k == "" || anyType[e.ID] || suits[c.Type][k] || k == license.KindCode && softwareLicenceOK[c.ID] {
		return ""
	}
	return fmt.Sprintf("%s is a %s licence on %s (%s): open, but not written for it", e.ID, kindWords[k], c.Name, c.Type)
}

var kindWords = map[license.Kind]string{
	license.KindCode:    "software",
	license.KindData:    "data",
	license.KindContent: "content",
	license.KindModel:   "model",
}

// render prints an expression with every leaf replaced by its normalised id.
func render(e *expr, cat *license.Catalogue, nested bool) string {
	if e.op == "" {
		id, _ := license.Normalize(cat, e.name)
		if e.exception != "" {
			return id + " WITH " + e.exception
		}
		return id
	}
	parts := make([]string, len(e.args))
	for i, a := range e.args {
		parts[i] = render(a, cat, true)
	}
	s := strings.Join(parts, " "+e.op+" ")
	if nested {
		return "(" + s + ")"
	}
	return s
}
