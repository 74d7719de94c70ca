package schematest

import (
	"regexp"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// regexpEngine compiles schema patterns with Go's regexp, which lacks lookahead. A pattern
// starting with a negative lookahead of a literal, "^(?!PREFIX)REST" (the SPDX 3 schema's IRI:
// "^(?!_:).+:.+", anything with a colon that is not a blank node), becomes "does not start
// with PREFIX, and matches ^REST"; any other lookaround is an error, never silently ignored.
func regexpEngine(pattern string) (jsonschema.Regexp, error) {
	if rest, ok := strings.CutPrefix(pattern, "^(?!"); ok {
		if i := strings.IndexByte(rest, ')'); i > 0 && regexp.QuoteMeta(rest[:i]) == rest[:i] {
			re, err := regexp.Compile("^" + rest[i+1:])
			if err != nil {
				return nil, err
			}
			return notPrefixed{pattern, rest[:i], re}, nil
		}
	}
	return regexp.Compile(pattern)
}

type notPrefixed struct {
	pattern, prefix string
	re              *regexp.Regexp
}

func (n notPrefixed) String() string { return n.pattern }

func (n notPrefixed) MatchString(s string) bool {
	return !strings.HasPrefix(s, n.prefix) && n.re.MatchString(s)
}
