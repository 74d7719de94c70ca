// Package policy is glassbox's gate: a policy file lists rules in CEL (cel.dev/cel-go) over the
// glassbox.report/v1 document, each of which must hold for a release to pass. Named helpers
// cover the common cases (minimum tier, forbidden licence terms by name, forbidden findings,
// required MOF class, OSAID pass); when a rule fails, the helpers it called say why.
package policy

import (
	"bytes"
	"errors"
	"fmt"
	"strings"

	"github.com/goccy/go-yaml"
)

// Policy is a parsed and compiled policy file.
type Policy struct {
	// Name is the file the policy came from, for messages.
	Name  string
	Rules []Rule
	env   *env
}

// Rule is one named CEL expression that must be true for a release to pass.
type Rule struct {
	Name string `yaml:"name"`
	// Expr is the CEL expression; it must evaluate to a bool.
	Expr string `yaml:"expr"`
	// Message says what a failure means, in the reader's words.
	Message string `yaml:"message,omitempty"`
	prog    program
}

// file is the YAML layout.
type file struct {
	Rules []Rule `yaml:"rules"`
}

// maxPolicy bounds a policy file's size and maxRules its rules.
const (
	maxPolicy = 1 << 20
	maxRules  = 1000
)

// Parse reads and compiles a policy; every error names the file and, where it applies, the
// rule.
func Parse(name string, data []byte) (*Policy, error) {
	if len(data) > maxPolicy {
		return nil, fmt.Errorf("%s: policy is %d bytes, more than the %d allowed", name, len(data), maxPolicy)
	}
	f, err := decode(data)
	if err != nil {
		return nil, fmt.Errorf("%s: not a policy: %s", name, err)
	}
	if len(f.Rules) == 0 {
		return nil, fmt.Errorf("%s: the policy has no rules (see 'glassbox check --init')", name)
	}
	if len(f.Rules) > maxRules {
		return nil, fmt.Errorf("%s: %d rules, more than the %d allowed", name, len(f.Rules), maxRules)
	}
	e, err := newEnv()
	if err != nil {
		return nil, err
	}
	p := &Policy{Name: name, env: e}
	seen := map[string]bool{}
	for i, r := range f.Rules {
		if err := r.validate(i, seen); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		prog, err := e.compile(r.Expr)
		if err != nil {
			return nil, fmt.Errorf("%s: rule %s: %w", name, r.Name, err)
		}
		r.prog = prog
		p.Rules = append(p.Rules, r)
	}
	return p, nil
}

// decode reads the YAML, turning a panic inside the YAML library on malformed input (such as
// "rules: ! ") into an error.
func decode(data []byte) (f file, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("malformed YAML (%v)", r)
		}
	}()
	if err := yaml.NewDecoder(bytes.NewReader(data), yaml.DisallowUnknownField()).Decode(&f); err != nil {
		return f, errors.New(oneLine(yaml.FormatError(err, false, false)))
	}
	return f, nil
}

func (r Rule) validate(i int, seen map[string]bool) error {
	switch {
	case strings.TrimSpace(r.Name) == "":
		return fmt.Errorf("rule %d has no name", i+1)
	case seen[r.Name]:
		return fmt.Errorf("two rules are named %s", r.Name)
	case strings.TrimSpace(r.Expr) == "":
		return fmt.Errorf("rule %s has no expr", r.Name)
	}
	seen[r.Name] = true
	return nil
}

// Violation is a rule a release breaks, with the facts the rule's helpers found.
type Violation struct {
	Rule    string   `json:"rule"`
	Message string   `json:"message"`
	Because []string `json:"because,omitempty"`
}

// ErrEval marks an expression that could not be evaluated over a report (a type error, an
// unknown helper argument): the policy is wrong, not the release.
var ErrEval = errors.New("policy error")

// Check evaluates every rule over one report document (the glassbox.report/v1 JSON decoded
// into maps) and returns the rules it breaks, in policy order.
func (p *Policy) Check(doc map[string]any) ([]Violation, error) {
	var out []Violation
	for _, r := range p.Rules {
		ok, because, err := p.env.eval(r.prog, doc)
		if err != nil {
			return nil, fmt.Errorf("%w: %s: rule %s: %v", ErrEval, p.Name, r.Name, err)
		}
		if !ok {
			msg := r.Message
			if msg == "" {
				msg = "expr is false: " + oneLine(r.Expr)
			}
			out = append(out, Violation{Rule: r.Name, Message: msg, Because: because})
		}
	}
	return out, nil
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
