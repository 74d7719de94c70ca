package artifact

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
)

// Class is how glassbox judges one import a pickle makes.
type Class string

// Import classes, from harmless to harmful.
const (
	// ClassInnocuous: the import builds plain data (tensors, arrays, ordered dicts).
	ClassInnocuous Class = "innocuous"
	// ClassSuspicious: glassbox does not know the import to be harmless.
	ClassSuspicious Class = "suspicious"
	// ClassDangerous: the import can run commands or code, touch files or the network, or
	// could not be traced to a name at all.
	ClassDangerous Class = "dangerous"
)

// rank orders the classes from harmless to harmful.
func (c Class) rank() int {
	switch c {
	case ClassInnocuous:
		return 0
	case ClassSuspicious:
		return 1
	}
	return 2
}

// worse reports whether c is more harmful than d.
func (c Class) worse(d Class) bool { return c.rank() > d.rank() }

// Global is one import a pickle makes: the callable or class that loading the pickle fetches
// by module and name.
type Global struct {
	Module string `json:"module"`
	Name   string `json:"name"`
	Class  Class  `json:"class"`
	// Why says what makes a dangerous import dangerous.
	Why string `json:"why,omitempty"`
}

// pickleRulesJSON holds the classification rules; see its "about" for how they read.
//
//go:embed data/pickle_rules.json
var pickleRulesJSON []byte

// pickleRules is pickleRulesJSON arranged for lookup.
type pickleRules struct {
	aliases map[string]string
	// innocuous and names map a module to its name patterns; modules maps a module, whose
	// submodules share its fate, to why it is dangerous.
	innocuous map[string][]string
	names     map[string][]namedRule
	modules   map[string]string
	escapes   map[string]bool
}

type namedRule struct{ pattern, why string }

// rules are the embedded rules, parsed when the first pickle is classified rather than when the
// binary starts (the JSON decoding cost every command a few tenths of a millisecond).
var rules = sync.OnceValue(func() *pickleRules { return mustLoadPickleRules(pickleRulesJSON) })

// mustLoadPickleRules parses the embedded rules; they are part of the program, so a mistake in
// them is a programming error.
func mustLoadPickleRules(data []byte) *pickleRules {
	r, err := loadPickleRules(data)
	if err != nil {
		panic(err)
	}
	return r
}

func loadPickleRules(data []byte) (*pickleRules, error) {
	var raw struct {
		Aliases   map[string]string `json:"aliases"`
		Innocuous []struct {
			Module string   `json:"module"`
			Names  []string `json:"names"`
		} `json:"innocuous"`
		Dangerous []struct {
			Why     string   `json:"why"`
			Modules []string `json:"modules"`
			Module  string   `json:"module"`
			Names   []string `json:"names"`
		} `json:"dangerous"`
		Escapes []string `json:"escapes"`
	}
	if err := json.Unmarshal(data, &raw); err != nil {
		return nil, fmt.Errorf("pickle rules: %w", err)
	}
	r := &pickleRules{
		aliases:   raw.Aliases,
		innocuous: map[string][]string{},
		names:     map[string][]namedRule{},
		modules:   map[string]string{},
		escapes:   map[string]bool{},
	}
	for _, in := range raw.Innocuous {
		r.innocuous[in.Module] = append(r.innocuous[in.Module], in.Names...)
	}
	for _, d := range raw.Dangerous {
		if d.Why == "" || (len(d.Modules) == 0) == (d.Module == "") {
			return nil, fmt.Errorf("pickle rules: a dangerous rule needs a why and either modules or module with names: %+v", d)
		}
		for _, m := range d.Modules {
			r.modules[m] = d.Why
		}
		for _, n := range d.Names {
			r.names[d.Module] = append(r.names[d.Module], namedRule{n, d.Why})
		}
	}
	for _, e := range raw.Escapes {
		r.escapes[e] = true
	}
	return r, nil
}

// maxNameSegments bounds the dotted parts of a name glassbox reasons about; no real import
// comes near it.
const maxNameSegments = 16

// Classify judges an import of name from module, as GLOBAL, INST or STACK_GLOBAL would make
// it. The rules live in data/pickle_rules.json.
func Classify(module, name string) Class {
	c, _ := rules().classify(module, name)
	return c
}

// classify returns the class of an import and, for a dangerous one, why.
func (r *pickleRules) classify(module, name string) (Class, string) {
	if module == Unknown || name == Unknown {
		return ClassDangerous, "the import's module or name is computed, so glassbox cannot tell what it loads"
	}
	m := r.alias(module)
	if why, ok := r.dangerous(m, name); ok {
		return ClassDangerous, why
	}
	if strings.Contains(name, ".") {
		// Protocol 4 resolves a dotted name attribute by attribute, so it can reach whatever
		// the module imported: judge every module-and-name split the path passes through.
		segs := strings.Split(name, ".")
		if len(segs) > maxNameSegments {
			return ClassDangerous, "the name is a path of more attributes than glassbox follows"
		}
		for _, s := range segs {
			if r.escapes[s] {
				return ClassDangerous, "the name reaches " + s + ", a way out to arbitrary objects"
			}
		}
		for i := range segs {
			for j := i + 1; j <= len(segs); j++ {
				mod := r.alias(strings.Join(segs[i:j], "."))
				if why, ok := r.modules[mod]; ok {
					return ClassDangerous, why
				}
				if j < len(segs) {
					if why, ok := r.dangerous(mod, strings.Join(segs[j:], ".")); ok {
						return ClassDangerous, why
					}
				}
			}
		}
	}
	for _, p := range r.innocuous[m] {
		if globMatch(p, name) {
			return ClassInnocuous, ""
		}
	}
	return ClassSuspicious, ""
}

// alias renames a module's leading part by the aliases table.
func (r *pickleRules) alias(module string) string {
	head, rest, dotted := strings.Cut(module, ".")
	to, ok := r.aliases[head]
	if !ok {
		return module
	}
	if dotted {
		return to + "." + rest
	}
	return to
}

// dangerous reports whether a dangerous rule matches the import, and why.
func (r *pickleRules) dangerous(module, name string) (string, bool) {
	for m := module; ; {
		if why, ok := r.modules[m]; ok {
			return why, true
		}
		i := strings.LastIndexByte(m, '.')
		if i < 0 {
			break
		}
		m = m[:i]
	}
	for _, nr := range r.names[module] {
		if globMatch(nr.pattern, name) {
			return nr.why, true
		}
		// eval.__call__ is eval: a name matches a rule for any of its dotted prefixes.
		for i := 0; i < len(name); i++ {
			if name[i] == '.' && globMatch(nr.pattern, name[:i]) {
				return nr.why, true
			}
		}
	}
	return "", false
}

// globMatch matches s against a pattern in which '*' stands for any run of characters.
func globMatch(pattern, s string) bool {
	head, tail, wild := strings.Cut(pattern, "*")
	if !wild {
		return pattern == s
	}
	if !strings.HasPrefix(s, head) {
		return false
	}
	s = s[len(head):]
	for {
		if globMatch(tail, s) {
			return true
		}
		if s == "" {
			return false
		}
		s = s[1:]
	}
}
