// Package yamlguard bounds the work of decoding untrusted YAML. It makes two checks that the
// YAML library does not make early enough:
//
//   - Nesting depth, read from the text before it is parsed. The parser's memory grows with the
//     square of the depth (a 100 KB document of nested sequences or mappings took gigabytes
//     before the library's own depth error), so deep documents must be refused unparsed.
//   - Alias expansion, counted on the parsed syntax tree before it is decoded. Aliases let a
//     small document decode into an exponentially large value ("billion laughs"); the tree
//     itself stays small, so the expanded size can be counted without building it.
//
// Both checks give an *Error naming the line and the limit; callers prefix the file name.
package yamlguard

import (
	"fmt"
	"math"
	"reflect"

	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
)

// Limits bound a document.
type Limits struct {
	// MaxDepth is the deepest nesting of collections allowed (block and flow together).
	MaxDepth int
	// Expansion is how many times its written size a document may grow by aliases; Floor is
	// the size in nodes it may always reach, so that a small document may reuse an anchor
	// freely.
	Expansion int
	Floor     int
}

// Default suits metadata files (model cards, openness records): real ones nest less than 12
// deep and use aliases, if at all, to repeat a value or two.
var Default = Limits{MaxDepth: 64, Expansion: 10, Floor: 10_000}

// Error is a document refused by a check.
type Error struct {
	Line int // 1-based line in the checked text, 0 when it concerns the whole text
	Msg  string
}

func (e *Error) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("line %d: %s", e.Line, e.Msg)
	}
	return e.Msg
}

// Check runs both checks on a document: depth on the text, then expansion on the syntax tree.
// A document that does not parse is not refused here; the caller's decoder reports it.
func Check(src []byte, lim Limits) error {
	if err := CheckDepth(src, lim.MaxDepth); err != nil {
		return err
	}
	f, err := parse(src)
	if err != nil || f == nil {
		return nil
	}
	return CheckFile(f, lim)
}

// parse runs the parser, turning a panic in it into an error.
func parse(src []byte) (f *ast.File, err error) {
	defer func() {
		if r := recover(); r != nil {
			f, err = nil, fmt.Errorf("YAML parser failed: %v", r)
		}
	}()
	return parser.ParseBytes(src, 0)
}

// CheckFile checks the alias expansion of a parsed file: the nodes it decodes into, aliases
// expanded, must stay under max(Floor, Expansion × the nodes written).
func CheckFile(f *ast.File, lim Limits) error {
	// The size as written: aliases count one node each.
	written := NewExpander(math.MaxInt64)
	written.flat = true
	var n int64
	for _, d := range f.Docs {
		s, err := written.size(d, 0)
		if err != nil {
			return err
		}
		n += s
	}
	e := NewExpander(max(int64(lim.Floor), int64(lim.Expansion)*n))
	for _, d := range f.Docs {
		if d == nil {
			continue
		}
		if _, err := e.Size(d.Body); err != nil {
			return err
		}
	}
	return nil
}

// maxWalkDepth bounds the recursion over a syntax tree given to CheckFile or Size without a
// depth check first.
const maxWalkDepth = 10_000

// Expander counts the nodes that parsed YAML decodes into, aliases expanded, against a limit.
// Anchors are remembered across calls, so a caller that decodes a document value by value can
// check each value before decoding it.
type Expander struct {
	limit   int64
	total   int64
	anchors map[string]int64 // anchor name → expanded size of its node
	open    map[string]bool  // anchors whose node is being measured
	flat    bool             // count aliases as one node: the size as written
}

// NewExpander returns an Expander that refuses more than limit nodes in all.
func NewExpander(limit int64) *Expander {
	return &Expander{limit: limit, anchors: map[string]int64{}, open: map[string]bool{}}
}

// Size returns how many nodes n decodes into and adds them to the running total. It fails when
// the total would pass the limit, or when an alias refers to the node that contains it.
func (e *Expander) Size(n ast.Node) (int64, error) {
	s, err := e.size(n, 0)
	if err != nil {
		return 0, err
	}
	if e.total+s > e.limit {
		return 0, e.tooBig(n)
	}
	e.total += s
	return s, nil
}

func (e *Expander) tooBig(n ast.Node) error {
	return &Error{Line: line(n), Msg: fmt.Sprintf("aliases expand the document beyond %d values; it is not decoded", e.limit)}
}

func (e *Expander) size(n ast.Node, depth int) (int64, error) {
	if isNil(n) {
		return 0, nil
	}
	if depth > maxWalkDepth {
		return 0, &Error{Line: line(n), Msg: fmt.Sprintf("collections nest more than %d deep", maxWalkDepth)}
	}
	sum := func(base int64, nodes ...ast.Node) (int64, error) {
		for _, c := range nodes {
			s, err := e.size(c, depth+1)
			if err != nil {
				return 0, err
			}
			if base += s; base > e.limit {
				return 0, e.tooBig(c)
			}
		}
		return base, nil
	}
	switch v := n.(type) {
	case *ast.DocumentNode:
		return sum(0, v.Body)
	case *ast.MappingNode:
		nodes := make([]ast.Node, len(v.Values))
		for i, p := range v.Values {
			nodes[i] = p
		}
		return sum(1, nodes...)
	case *ast.MappingValueNode:
		return sum(1, v.Key, v.Value)
	case *ast.MappingKeyNode:
		return sum(0, v.Value)
	case *ast.SequenceNode:
		return sum(1, v.Values...)
	case *ast.TagNode:
		return sum(0, v.Value)
	case *ast.AnchorNode:
		name := text(v.Name)
		e.open[name] = true
		s, err := sum(0, v.Value)
		delete(e.open, name)
		if err != nil {
			return 0, err
		}
		e.anchors[name] = s
		return s, nil
	case *ast.AliasNode:
		name := text(v.Value)
		if e.flat {
			return 1, nil
		}
		if e.open[name] {
			return 0, &Error{Line: line(n), Msg: fmt.Sprintf("alias *%s refers to the node that contains it", name)}
		}
		if s, ok := e.anchors[name]; ok {
			return s, nil
		}
		return 1, nil // an unknown alias: the decoder reports it
	case *ast.CommentGroupNode, *ast.CommentNode:
		return 0, nil
	}
	return 1, nil
}

func text(n ast.Node) string {
	if isNil(n) {
		return ""
	}
	if tk := n.GetToken(); tk != nil {
		return tk.Value
	}
	return n.String()
}

func line(n ast.Node) int {
	if isNil(n) {
		return 0
	}
	if tk := n.GetToken(); tk != nil && tk.Position != nil {
		return tk.Position.Line
	}
	return 0
}

// isNil reports whether a node is absent; the parser leaves some children as typed nil
// pointers.
func isNil(n ast.Node) bool {
	if n == nil {
		return true
	}
	v := reflect.ValueOf(n)
	return v.Kind() == reflect.Pointer && v.IsNil()
}
