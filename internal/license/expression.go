package license

import (
	"errors"
	"sort"
	"strings"

	"github.com/github/go-spdx/v2/spdxexp"
)

// Evaluation is what glassbox concludes about a licence expression.
type Evaluation struct {
	Expression string
	// IDs are the licence ids in the expression, sorted.
	IDs []string
	// Open: the expression can be satisfied using open licences only (an OR needs one open
	// branch, an AND needs all).
	Open bool
	// Unknown lists ids the catalogue does not know.
	Unknown []string
}

// Evaluate parses an SPDX licence expression (AND, OR, WITH, LicenseRef-…) with go-spdx and
// decides whether it is open by the catalogue's terms. A plain catalogue key or Hub id is
// accepted in place of an expression.
func (c *Catalogue) Evaluate(expr string) Evaluation {
	expr = strings.TrimSpace(expr)
	ev := Evaluation{Expression: expr}
	if expr == "" {
		return ev
	}
	if e, ok := c.Lookup(expr); ok && !strings.ContainsAny(expr, " ()") {
		ev.Expression, ev.IDs, ev.Open = e.ID, []string{e.ID}, e.Open()
		return ev
	}
	ids, err := extract(expr)
	if err != nil || len(ids) == 0 {
		ev.Unknown = []string{expr}
		return ev
	}
	sort.Strings(ids)
	ev.IDs = ids
	var open []string
	for _, id := range ids {
		base, _, _ := strings.Cut(id, " WITH ")
		base = strings.TrimSuffix(base, "+")
		e, ok := c.ByID(base)
		if !ok {
			e, ok = c.Lookup(base)
		}
		switch {
		case !ok:
			ev.Unknown = append(ev.Unknown, id)
		case e.Open():
			open = append(open, id)
		}
	}
	if len(open) == 0 {
		return ev
	}
	if len(open) == len(ids) {
		ev.Open = true
		return ev
	}
	ev.Open = satisfies(expr, open)
	return ev
}

// extract and satisfies call go-spdx, which panics on some malformed expressions ("(" alone);
// a malformed expression is simply not understood.
func extract(expr string) (ids []string, err error) {
	defer func() {
		if recover() != nil {
			ids, err = nil, errMalformed
		}
	}()
	return spdxexp.ExtractLicenses(expr)
}

func satisfies(expr string, allowed []string) (ok bool) {
	defer func() {
		if recover() != nil {
			ok = false
		}
	}()
	sat, err := spdxexp.Satisfies(expr, allowed)
	return err == nil && sat
}

var errMalformed = errors.New("malformed licence expression")
