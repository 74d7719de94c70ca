package report

import (
	"strings"

	"github.com/glassbox-dev/glassbox/internal/evidence"
)

// linkedLine is the text report's "linked:" line: each linked repository at its commit with
// the card's roles for it and its licence, or why it was not read.
func linkedLine(ls []evidence.LinkedRepo) string {
	var parts []string
	for _, l := range ls {
		s := l.Repo
		if l.Revision != "" {
			s += "@" + l.Revision[:min(7, len(l.Revision))]
		}
		var in []string
		if len(l.Roles) > 0 {
			in = append(in, strings.Join(l.Roles, ", "))
		}
		switch {
		case !l.Read:
			in = append(in, "not read: "+l.Unread)
		case l.License == "":
			in = append(in, "licence unknown")
		default:
			in = append(in, l.License)
		}
		if l.Read && !l.Complete {
			in = append(in, "tree incomplete")
		}
		parts = append(parts, s+" ("+strings.Join(in, "; ")+")")
	}
	return "linked: " + strings.Join(parts, ", ")
}
