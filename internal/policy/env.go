package policy

import (
	"fmt"
	"strings"
	"sync"

	"cel.dev/cel-go/cel"
	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/common/types/ref"
)

// env is the CEL environment: the report's fields as variables and the named helpers, which
// read the document being checked (cur) and record what they found (notes).
type env struct {
	cel   *cel.Env
	mu    sync.Mutex
	cur   map[string]any
	notes []string
}

type program = cel.Program

// Bounds on what an expression may cost, so a policy cannot hang a pipeline.
const (
	maxExprSize = 100_000
	costLimit   = 10_000_000
)

// variables are the report's top-level fields a rule can name directly.
var variables = map[string]*cel.Type{
	"report":     cel.MapType(cel.StringType, cel.DynType),
	"name":       cel.StringType,
	"target":     cel.StringType,
	"tier":       cel.StringType,
	"frameworks": cel.MapType(cel.StringType, cel.DynType),
	"weights":    cel.MapType(cel.StringType, cel.DynType),
	"findings":   cel.ListType(cel.DynType),
	"licenses":   cel.ListType(cel.DynType),
	"components": cel.ListType(cel.DynType),
	"lineage":    cel.ListType(cel.DynType),
	"datasets":   cel.ListType(cel.DynType),
	"artifacts":  cel.ListType(cel.DynType),
}

func newEnv() (*env, error) {
	e := &env{}
	opts := []cel.EnvOption{cel.ParserExpressionSizeLimit(maxExprSize)}
	for n, t := range variables {
		opts = append(opts, cel.Variable(n, t))
	}
	opts = append(opts, e.helpers()...)
	c, err := cel.NewEnv(opts...)
	if err != nil {
		return nil, err
	}
	e.cel = c
	return e, nil
}

// compile parses and type-checks an expression that must give a bool.
func (e *env) compile(expr string) (program, error) {
	ast, iss := e.cel.Compile(expr)
	if iss.Err() != nil {
		return nil, fmt.Errorf("invalid CEL: %s", oneLine(iss.Err().Error()))
	}
	if t := ast.OutputType(); !t.IsExactType(cel.BoolType) && !t.IsExactType(cel.DynType) {
		return nil, fmt.Errorf("expr gives %s; it must give a bool (true when the release passes)", t)
	}
	return e.cel.Program(ast, cel.CostLimit(costLimit), cel.InterruptCheckFrequency(100))
}

// eval runs one rule over doc and returns its result with the helpers' notes.
func (e *env) eval(p program, doc map[string]any) (bool, []string, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.cur, e.notes = doc, nil
	vars := map[string]any{"report": doc}
	for n := range variables {
		if n == "report" {
			continue
		}
		vars[n] = field(doc, n)
	}
	out, _, err := p.Eval(vars)
	if err != nil {
		return false, nil, err
	}
	b, ok := out.Value().(bool)
	if !ok {
		return false, nil, fmt.Errorf("expr gave %v (%s), not a bool", out.Value(), out.Type())
	}
	return b, dedupe(e.notes), nil
}

// field returns a top-level field of the report with the type its variable declares, so a
// report missing a field still evaluates (an empty list, map or string).
func field(doc map[string]any, n string) any {
	v := doc[n]
	if n == "tier" {
		if m, ok := v.(map[string]any); ok {
			v = m["label"]
		}
	}
	switch variables[n] {
	case cel.StringType:
		s, _ := v.(string)
		return s
	}
	if v == nil {
		if strings.HasPrefix(variables[n].String(), "list") {
			return []any{}
		}
		return map[string]any{}
	}
	return v
}

func (e *env) note(format string, args ...any) {
	e.notes = append(e.notes, fmt.Sprintf(format, args...))
}

func dedupe(ss []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, s := range ss {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

// str1 binds a helper of one string argument that returns a bool or an error.
func str1(f func(string) (bool, error)) cel.OverloadOpt {
	return cel.UnaryBinding(func(v ref.Val) ref.Val {
		s, ok := v.Value().(string)
		if !ok {
			return types.NewErr("want a string, got %s", v.Type())
		}
		b, err := f(s)
		if err != nil {
			return types.NewErr("%s", err.Error())
		}
		return types.Bool(b)
	})
}
