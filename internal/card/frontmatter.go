package card

import (
	"errors"
	"fmt"
	"reflect"
	"strings"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"

	"github.com/glassbox-dev/glassbox/internal/lazyre"
	"github.com/glassbox-dev/glassbox/internal/yamlguard"
)

// Limits that keep the YAML parser's running time bounded. goccy/go-yaml builds a mapping
// recursively, one key per level, and copies the keys at each level, so a mapping with n keys
// costs O(n²) time and O(n) stack; deep flow nesting is similarly superlinear. Real cards stay
// far below these numbers (the largest front matter in the evaluation corpus is ~250 lines and
// MTEB-style model-index blocks are long sequences of small mappings, which parse linearly).
const (
	maxFrontMatterBytes = 2 << 20
	maxKeysPerMapping   = 1000
	maxNodeDepth        = 1000
)

// frontMatter holds the state of one front matter decoding.
type frontMatter struct {
	c       *Card
	offset  int                 // file line of the YAML's first line, minus one
	anchors map[string]ast.Node // anchor name → anchored node, for aliases
	values  map[string]anyNode  // top-level key → value used
	order   []string            // top-level keys in first-seen order
	// exp counts the values each top-level value decodes into, aliases expanded, before it is
	// decoded into Raw: aliases can make a small document decode into an exponentially large
	// value ("billion laughs").
	exp *yamlguard.Expander
}

// anyNode is a top-level value with the file line of its key.
type anyNode struct {
	node  ast.Node
	line  int // file line of the key
	delta int // file line minus parser line for the part the value was parsed in
}

// parseFrontMatter decodes the YAML lines (the first of which is file line firstLine) and fills
// the typed fields.
func (c *Card) parseFrontMatter(lines []string, firstLine int) {
	fm := &frontMatter{
		c:       c,
		offset:  firstLine - 1,
		anchors: map[string]ast.Node{},
		values:  map[string]anyNode{},
	}
	src := strings.Join(lines, "\n")
	if strings.TrimSpace(src) == "" {
		return
	}
	structure := structureLines(lines)
	if reason := tooCostly(lines, structure); reason != "" {
		c.addProblem(firstLine, "front matter not read: "+reason)
		return
	}
	if err := yamlguard.CheckDepth([]byte(src), yamlguard.Default.MaxDepth); err != nil {
		line := firstLine
		var ge *yamlguard.Error
		if errors.As(err, &ge) && ge.Line > 0 {
			line = firstLine + ge.Line - 1
		}
		c.addProblem(line, "front matter not read: "+errorText(err))
		return
	}
	lines = fillEmptyEntries(lines, structure)
	src = strings.Join(lines, "\n")
	c.Raw = map[string]any{}
	c.FieldLines = map[string]int{}
	fm.exp = yamlguard.NewExpander(int64(max(yamlguard.Default.Floor, 4*len(src))))

	file, err := parseYAML(src)
	if err == nil {
		fm.addDocument(file, firstLine)
		// When the parser here fails on a tab it says so itself.
		if i := firstTab(lines, structure); i >= 0 {
			c.addProblem(firstLine+i, "a tab character outside quotes; the Hub's card library refuses the card's metadata because of it (the values around it are still read here)")
		}
	} else {
		fm.salvage(lines, err)
	}
	fm.fill()
}

// parseYAML runs the parser with duplicate keys allowed: we report duplicates ourselves and
// keep the last value, as the Hub's own YAML reader does, instead of losing the whole block.
func parseYAML(src string) (f *ast.File, err error) {
	defer func() {
		if r := recover(); r != nil {
			f, err = nil, fmt.Errorf("YAML parser failed: %v", r)
		}
	}()
	return parser.ParseBytes([]byte(src), 0, parser.AllowDuplicateMapKey())
}

// tooCostly says why the YAML must not be handed to the parser, or "", for its size and the
// keys of its mappings (nesting is yamlguard's check). It approximates the structure line by
// line: keys per mapping are lines that start a key at one indentation without a shallower
// line in between; the text of block scalars and multi-line double-quoted strings is skipped.
func tooCostly(lines []string, structure []bool) string {
	size := 0
	for _, l := range lines {
		size += len(l) + 1
	}
	if size > maxFrontMatterBytes {
		return fmt.Sprintf("it is %d bytes, more than the %d this tool reads", size, maxFrontMatterBytes)
	}
	type level struct{ indent, keys int }
	var stack []level
	for i, l := range lines {
		t := strings.TrimLeft(l, " ")
		if !structure[i] || t == "" || t[0] == '#' {
			continue
		}
		indent := len(l) - len(t)
		for len(stack) > 0 && stack[len(stack)-1].indent > indent {
			stack = stack[:len(stack)-1]
		}
		entry := t
		if strings.HasPrefix(t, "- ") {
			// A sequence entry starts a new mapping one level deeper.
			indent += 2
			entry = strings.TrimLeft(t[2:], " ")
		}
		if strings.Contains(entry, ": ") || strings.HasSuffix(entry, ":") {
			if len(stack) == 0 || stack[len(stack)-1].indent < indent {
				stack = append(stack, level{indent: indent})
			}
			top := &stack[len(stack)-1]
			top.keys++
			if top.keys > maxKeysPerMapping {
				return fmt.Sprintf("a mapping has more than %d keys", maxKeysPerMapping)
			}
		}
	}
	return ""
}

// structureLines marks the lines that hold YAML structure: those not inside a block scalar
// (`key: |`) or a double-quoted string that spans lines, whose text holds no keys.
func structureLines(lines []string) []bool {
	out := make([]bool, len(lines))
	blockIndent := -1 // inside a block scalar whose key is at this indentation
	inQuote := false  // inside a multi-line double-quoted string
	for i, l := range lines {
		t := strings.TrimLeft(l, " ")
		indent := len(l) - len(t)
		if inQuote {
			inQuote = unescapedQuotes(t)%2 == 0
			continue
		}
		if blockIndent >= 0 {
			if t == "" || indent > blockIndent {
				continue
			}
			blockIndent = -1
		}
		out[i] = true
		entry := strings.TrimLeft(strings.TrimPrefix(t, "- "), " ")
		colon := strings.Index(entry, ": ")
		if colon < 0 {
			continue
		}
		switch value := strings.TrimSpace(entry[colon+2:]); {
		case strings.HasPrefix(value, "|") || strings.HasPrefix(value, ">"):
			blockIndent = indent
		case strings.HasPrefix(value, "\""):
			inQuote = unescapedQuotes(value)%2 == 1
		}
	}
	return out
}

// emptyEntryRe is a sequence entry with no value ("-", "- ", "- # note").
var emptyEntryRe = lazyre.New(`^(\s*)-\s*(?:#.*)?$`)

// fillEmptyEntries writes the null of an empty sequence entry out ("- ~"). YAML reads both
// alike, and the Hub's library reads `tags: [x, null]` from "- x" above "- "; but the YAML
// parser used here nests the next key inside such an entry when the list is not indented
// below its key, so a `datasets:` after `- ` would be lost.
func fillEmptyEntries(lines []string, structure []bool) []string {
	var out []string
	for i, l := range lines {
		if !structure[i] || !strings.Contains(l, "-") {
			continue
		}
		if m := emptyEntryRe.FindStringSubmatch(l); m != nil {
			if out == nil {
				out = append([]string(nil), lines...)
			}
			out[i] = m[1] + "- ~"
		}
	}
	if out == nil {
		return lines
	}
	return out
}

// firstTab returns the index of the first line with a tab outside quotes, comments and block
// scalars, or -1. The Hub's library (PyYAML) refuses such a tab ("found character '\t' that
// cannot start any token") and with it the card's metadata, though the Hub's site and the
// parser used here read the value around it.
func firstTab(lines []string, structure []bool) int {
	for i, l := range lines {
		if structure[i] && strings.Contains(l, "\t") && hasBareTab(l) {
			return i
		}
	}
	return -1
}

// hasBareTab reports whether a line has a tab outside quoted text and comments.
func hasBareTab(l string) bool {
	var quote byte
	for i := 0; i < len(l); i++ {
		c := l[i]
		switch {
		case quote != 0:
			if c == '\\' && quote == '"' {
				i++
			} else if c == quote {
				quote = 0
			}
		case c == '\t':
			return true
		case c == '#' && (i == 0 || l[i-1] == ' '):
			return false
		case (c == '"' || c == '\'') && (i == 0 || strings.IndexByte(" [{,:-", l[i-1]) >= 0):
			quote = c
		}
	}
	return false
}

// unescapedQuotes counts the double quotes in s not escaped by a backslash.
func unescapedQuotes(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case '"':
			n++
		}
	}
	return n
}

// addDocument records the top-level keys of a parsed YAML file whose first line is file line
// firstLine. It returns false when the file holds something other than one mapping.
func (fm *frontMatter) addDocument(f *ast.File, firstLine int) bool {
	var body ast.Node
	for _, d := range f.Docs {
		if d == nil || d.Body == nil {
			continue
		}
		if body != nil {
			fm.c.addProblem(firstLine, "front matter holds more than one YAML document; only the first is read")
			break
		}
		body = d.Body
	}
	if body == nil {
		return true
	}
	body = fm.resolve(body)
	pairs, ok := mappingPairs(body)
	if !ok {
		fm.c.addProblem(fm.lineOf(body, firstLine), fmt.Sprintf("front matter is a %s, not a mapping of keys to values", kindOf(body)))
		return false
	}
	for _, p := range pairs {
		key := keyText(p.Key)
		line := fm.lineOf(p.Key, firstLine)
		if prev, dup := fm.values[key]; dup {
			fm.c.addProblem(line, fmt.Sprintf("duplicate key %q (also on line %d); the last value is used", key, prev.line))
		} else {
			fm.order = append(fm.order, key)
		}
		fm.values[key] = anyNode{node: p.Value, line: line, delta: firstLine - 1}
		fm.c.FieldLines[key] = line
		if _, err := fm.exp.Size(p.Value); err != nil {
			fm.c.addProblem(line, fmt.Sprintf("%s: %s; left out", key, errorText(err)))
			fm.c.Raw[key] = nil
			continue
		}
		fm.c.Raw[key] = fm.decode(p.Value, key, 0)
	}
	return true
}

// salvage reads a front matter that failed to parse one top-level key at a time, so that a
// broken `extra_gated_prompt` does not hide the licence declared above it.
func (fm *frontMatter) salvage(lines []string, whole error) {
	var starts []int
	for i, l := range lines {
		if isTopLevelKey(l) {
			starts = append(starts, i)
		}
	}
	failed := false
	if len(starts) == 0 || starts[0] != 0 {
		// Content before the first key cannot be salvaged; let the whole-document error
		// speak for it.
		starts = append([]int{0}, starts...)
	}
	for k, s := range starts {
		e := len(lines)
		if k+1 < len(starts) {
			e = starts[k+1]
		}
		chunk := strings.Join(lines[s:e], "\n")
		if strings.TrimSpace(chunk) == "" {
			continue
		}
		firstLine := fm.offset + s + 1
		f, err := parseYAML(chunk)
		if err != nil {
			failed = true
			msg := "invalid YAML in front matter: " + errorMessage(err)
			// An inline value on the key's line ("license: mit" above a stray tab)
			// is still worth having.
			if e-s > 1 && fm.addFirstLine(lines[s], firstLine) {
				msg += fmt.Sprintf("; only line %d of this key is read", firstLine)
			} else {
				msg += "; this part is skipped"
				// The key itself is known even when its value is not, and for a gating
				// key its presence is what matters.
				key := unquote(lines[s][:max(0, strings.Index(lines[s], ":"))])
				if _, seen := fm.c.FieldLines[key]; key != "" && !seen && isTopLevelKey(lines[s]) {
					fm.order = append(fm.order, key)
					fm.c.FieldLines[key] = firstLine
				}
			}
			fm.c.addProblem(errorLine(err, firstLine, e-s), msg)
			continue
		}
		if !fm.addDocument(f, firstLine) {
			failed = true
		}
	}
	if !failed {
		// Each part parses alone but not together (indentation or a flow collection across
		// keys): report the original error.
		fm.c.addProblem(errorLine(whole, fm.offset+1, len(lines)), "invalid YAML in front matter: "+errorMessage(whole))
	}
}

// addFirstLine records the key and inline value on the first line of a part that failed to
// parse, if that line parses alone.
func (fm *frontMatter) addFirstLine(line string, firstLine int) bool {
	f, err := parseYAML(line)
	return err == nil && fm.addDocument(f, firstLine)
}

// isTopLevelKey reports whether a YAML line starts a top-level mapping entry.
func isTopLevelKey(l string) bool {
	if l == "" {
		return false
	}
	switch l[0] {
	case ' ', '\t', '#', '-', '}', ']', ',', '"', '\'', '|', '>':
		return false
	}
	return strings.Contains(l, ":")
}

// unquote strips the quotes of a quoted key.
func unquote(s string) string {
	s = strings.TrimSpace(s)
	if len(s) >= 2 && (s[0] == '"' || s[0] == '\'') && s[len(s)-1] == s[0] {
		return s[1 : len(s)-1]
	}
	return s
}

// errorLine turns a parser error into a file line inside the part that was parsed.
func errorLine(err error, firstLine, n int) int {
	var ye yaml.Error
	if errors.As(err, &ye) {
		if tk := ye.GetToken(); tk != nil && tk.Position != nil {
			l := tk.Position.Line
			if l < 1 {
				l = 1
			}
			if l > n {
				l = n
			}
			return firstLine + l - 1
		}
	}
	return firstLine
}

// errorText is a yamlguard error without its line, which the caller places in the file.
func errorText(err error) string {
	var ge *yamlguard.Error
	if errors.As(err, &ge) {
		return ge.Msg
	}
	return err.Error()
}

func errorMessage(err error) string {
	var ye yaml.Error
	if errors.As(err, &ye) {
		return ye.GetMessage()
	}
	return err.Error()
}

// lineOf gives the file line of a node in a part whose first line is file line firstLine, or
// firstLine when the parser recorded no position.
func (fm *frontMatter) lineOf(n ast.Node, firstLine int) int {
	if l := tokenLine(n); l > 0 {
		return firstLine - 1 + l
	}
	return firstLine
}

// isNil reports whether a node is absent. The parser leaves some children as typed nil
// pointers, which compare unequal to nil but panic when used.
func isNil(n ast.Node) bool {
	if n == nil {
		return true
	}
	v := reflect.ValueOf(n)
	return v.Kind() == reflect.Pointer && v.IsNil()
}

// mappingPairs returns the entries of a mapping node; goccy represents a one-entry mapping as
// a bare MappingValueNode.
func mappingPairs(n ast.Node) ([]*ast.MappingValueNode, bool) {
	if isNil(n) {
		return nil, false
	}
	switch m := n.(type) {
	case *ast.MappingNode:
		return m.Values, true
	case *ast.MappingValueNode:
		return []*ast.MappingValueNode{m}, true
	}
	return nil, false
}

// keyText is the text of a mapping key as written, without quotes.
func keyText(k ast.MapKeyNode) string {
	if isNil(k) {
		return ""
	}
	switch n := k.(type) {
	case *ast.MergeKeyNode:
		return "<<"
	case *ast.MappingKeyNode:
		if s, ok := scalarText(n.Value); ok {
			return s
		}
		if n.Value != nil {
			return strings.TrimSpace(n.Value.String())
		}
		return ""
	}
	if s, ok := scalarText(k); ok {
		return s
	}
	return strings.TrimSpace(k.String())
}

// scalarText returns a scalar's text as written (so `license: 2.0` stays "2.0"), unwrapping
// tags and anchors. Null gives "", true.
func scalarText(n ast.Node) (string, bool) {
	for range 8 {
		if isNil(n) {
			return "", true
		}
		switch v := n.(type) {
		case *ast.TagNode:
			n = v.Value
			continue
		case *ast.AnchorNode:
			n = v.Value
			continue
		}
		break
	}
	switch v := n.(type) {
	case nil, *ast.NullNode:
		return "", true
	case *ast.StringNode:
		return v.Value, true
	case *ast.LiteralNode:
		if v.Value == nil {
			return "", true
		}
		return v.Value.Value, true
	case *ast.IntegerNode, *ast.FloatNode, *ast.BoolNode, *ast.InfinityNode, *ast.NanNode:
		if tk := n.GetToken(); tk != nil {
			return tk.Value, true
		}
		return fmt.Sprint(n.(ast.ScalarNode).GetValue()), true
	}
	return "", false
}

// resolve follows tags, anchors and aliases to the node that holds the value.
func (fm *frontMatter) resolve(n ast.Node) ast.Node {
	for range 16 {
		if isNil(n) {
			return nil
		}
		switch v := n.(type) {
		case *ast.TagNode:
			n = v.Value
		case *ast.AnchorNode:
			if name, ok := scalarText(v.Name); ok {
				fm.anchors[name] = v.Value
			}
			n = v.Value
		case *ast.AliasNode:
			name, _ := scalarText(v.Value)
			target, ok := fm.anchors[name]
			if !ok {
				return nil
			}
			n = target
		default:
			return n
		}
	}
	return nil
}

// kindOf names a node's YAML kind for problem messages.
func kindOf(n ast.Node) string {
	switch n.(type) {
	case *ast.MappingNode, *ast.MappingValueNode:
		return "mapping"
	case *ast.SequenceNode:
		return "list"
	case nil, *ast.NullNode:
		return "null"
	}
	return "scalar"
}

// decode turns a node into plain Go values for Card.Raw. Aliases decode to the anchored value
// again; depth is bounded so self-referencing aliases and alias chains stay cheap.
func (fm *frontMatter) decode(n ast.Node, path string, depth int) any {
	if depth > maxNodeDepth {
		return nil
	}
	if a, ok := n.(*ast.AliasNode); ok && a != nil {
		name, _ := scalarText(a.Value)
		if _, known := fm.anchors[name]; !known {
			fm.c.addProblem(fm.values[topKey(path)].line, fmt.Sprintf("%s: alias *%s refers to no anchor", path, name))
			return nil
		}
		return fm.decode(fm.anchors[name], path, depth+1)
	}
	n = fm.resolve(n)
	switch v := n.(type) {
	case nil, *ast.NullNode:
		return nil
	case *ast.StringNode:
		return v.Value
	case *ast.LiteralNode:
		s, _ := scalarText(v)
		return s
	case *ast.IntegerNode:
		return v.Value
	case *ast.FloatNode:
		return v.Value
	case *ast.BoolNode:
		return v.Value
	case *ast.InfinityNode:
		return v.Value
	case *ast.NanNode:
		return v.GetValue()
	case *ast.SequenceNode:
		out := make([]any, 0, len(v.Values))
		for i, item := range v.Values {
			out = append(out, fm.decode(item, fmt.Sprintf("%s[%d]", path, i), depth+1))
		}
		return out
	case *ast.MappingNode, *ast.MappingValueNode:
		pairs, _ := mappingPairs(v)
		out := make(map[string]any, len(pairs))
		for _, p := range pairs {
			k := keyText(p.Key)
			if k == "<<" {
				// Merge keys copy the keys of another mapping; keys written out win.
				if m, ok := fm.decode(p.Value, path, depth+1).(map[string]any); ok {
					for mk, mv := range m {
						if _, set := out[mk]; !set {
							out[mk] = mv
						}
					}
				}
				continue
			}
			if _, dup := out[k]; dup {
				fm.c.addProblem(fm.values[topKey(path)].line, fmt.Sprintf("duplicate key %q in %s; the last value is used", k, path))
			}
			out[k] = fm.decode(p.Value, path+"."+k, depth+1)
		}
		return out
	}
	return strings.TrimSpace(n.String())
}

// topKey is the top-level key of a dotted path.
func topKey(path string) string {
	if i := strings.IndexAny(path, ".["); i >= 0 {
		return path[:i]
	}
	return path
}

// arxivTag matches the `arxiv:NNNN.NNNNN` tags the Hub adds for linked papers.
var arxivTag = lazyre.New(`(?i)^arxiv:\s*(` + arxivIDPattern + `)`)

// fill sets the typed fields from the top-level values.
func (fm *frontMatter) fill() {
	c := fm.c
	c.License = fm.list("license")
	c.LicenseName = fm.str("license_name")
	c.LicenseLink = fm.str("license_link")
	c.BaseModel = fm.list("base_model")
	c.BaseModelRelation = fm.str("base_model_relation")
	c.Datasets = fm.list("datasets")
	c.Language = fm.list("language")
	c.LibraryName = fm.str("library_name")
	c.PipelineTag = fm.str("pipeline_tag")
	c.Tags = fm.list("tags")
	c.NewVersion = fm.str("new_version")

	for _, k := range fm.order {
		if strings.HasPrefix(k, "extra_gated_") {
			c.Gated = true
		}
	}
	c.GatedPrompt = fm.str("extra_gated_prompt")
	c.GatedFields = fm.gatedFields()

	if _, ok := fm.values["model-index"]; ok {
		c.HasModelIndex = true
		c.ModelIndex = fm.modelIndex()
	}

	// Papers the metadata links: the `arxiv` key some tools write and the Hub's arxiv: tags.
	for _, id := range fm.list("arxiv") {
		if m := arxivIDRe.FindString(id); m != "" {
			c.addPaper(Paper{Kind: PaperArXiv, ID: stripArxivVersion(m), Line: c.FieldLines["arxiv"], Own: OwnTag})
		}
	}
	for _, t := range c.Tags {
		if m := arxivTag.FindStringSubmatch(t); m != nil {
			c.addPaper(Paper{Kind: PaperArXiv, ID: stripArxivVersion(m[1]), Line: c.FieldLines["tags"], Own: OwnTag})
		}
	}
}

// str reads a key whose value should be one string.
func (fm *frontMatter) str(key string) string {
	v, ok := fm.values[key]
	if !ok {
		return ""
	}
	n := fm.resolve(v.node)
	if s, ok := scalarText(n); ok {
		return strings.TrimSpace(s)
	}
	if seq, ok := n.(*ast.SequenceNode); ok {
		for _, item := range seq.Values {
			if s, ok := scalarText(fm.resolve(item)); ok && strings.TrimSpace(s) != "" {
				fm.c.addProblem(v.line, fmt.Sprintf("%s: expected a string, found a list; the first item is used", key))
				return strings.TrimSpace(s)
			}
		}
	}
	fm.c.addProblem(v.line, fmt.Sprintf("%s: expected a string, found a %s; ignored", key, kindOf(n)))
	return ""
}

// list reads a key whose value may be one string or a list of strings, as the Hub allows for
// license, base_model, datasets, language and tags. Empty items are dropped.
func (fm *frontMatter) list(key string) []string {
	v, ok := fm.values[key]
	if !ok {
		return nil
	}
	n := fm.resolve(v.node)
	if s, ok := scalarText(n); ok {
		if s = strings.TrimSpace(s); s != "" {
			return []string{s}
		}
		return nil
	}
	seq, ok := n.(*ast.SequenceNode)
	if !ok {
		fm.c.addProblem(v.line, fmt.Sprintf("%s: expected a string or a list of strings, found a %s; ignored", key, kindOf(n)))
		return nil
	}
	var out []string
	for i, item := range seq.Values {
		item = fm.resolve(item)
		s, ok := scalarText(item)
		if !ok {
			fm.c.addProblem(lineIn(item, v), fmt.Sprintf("%s[%d]: expected a string, found a %s; skipped", key, i, kindOf(item)))
			continue
		}
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// lineIn gives the file line of a node nested under the top-level value v.
func lineIn(n ast.Node, v anyNode) int {
	if l := tokenLine(n); l > 0 {
		return v.delta + l
	}
	return v.line
}

func tokenLine(n ast.Node) int {
	if isNil(n) {
		return 0
	}
	tk := n.GetToken()
	if tk == nil || tk.Position == nil {
		return 0
	}
	return tk.Position.Line
}

// gatedFields lists the labels of the access form. The Hub writes it as a mapping from label to
// field type; a list of labels is accepted too.
func (fm *frontMatter) gatedFields() []string {
	v, ok := fm.values["extra_gated_fields"]
	if !ok {
		return nil
	}
	n := fm.resolve(v.node)
	if pairs, ok := mappingPairs(n); ok {
		out := make([]string, 0, len(pairs))
		for _, p := range pairs {
			if k := strings.Join(strings.Fields(keyText(p.Key)), " "); k != "" {
				out = append(out, k)
			}
		}
		return out
	}
	if _, ok := n.(*ast.SequenceNode); ok {
		return fm.list("extra_gated_fields")
	}
	if s, ok := scalarText(n); ok && strings.TrimSpace(s) == "" {
		return nil
	}
	fm.c.addProblem(v.line, fmt.Sprintf("extra_gated_fields: expected a mapping of labels to field types, found a %s; ignored", kindOf(n)))
	return nil
}

// maxEvalResults bounds ModelIndex: aliases could otherwise multiply a small document into
// millions of entries.
const maxEvalResults = 20000

// modelIndex flattens `model-index` (a list of models, each with results, each with task,
// dataset and metrics) into one EvalResult per metric, keeping what it can read. It also holds
// the block to the shape the Hub's own card library requires, since the library refuses the
// whole card's metadata when the block breaks it: every model entry has `name` and a list of
// `results`; every result has `task.type`, `dataset.type`, `dataset.name` and a list of
// `metrics`, and a `source.name` only with a `source.url`; every metric has `type` and `value`.
// The first break is reported (the library stops there too). An empty block is no block.
func (fm *frontMatter) modelIndex() []EvalResult {
	v := fm.values["model-index"]
	n := fm.resolve(v.node)
	if empty(n) {
		return nil
	}
	models, ok := n.(*ast.SequenceNode)
	if !ok {
		fm.c.addProblem(v.line, fmt.Sprintf("model-index: expected a list of models, found a %s; ignored", kindOf(n)))
		return nil
	}
	mi := modelIndexReader{fm: fm, v: v}
	for i, m := range models.Values {
		mi.model(fmt.Sprintf("model-index[%d]", i), fm.resolve(m))
	}
	return mi.out
}

// modelIndexReader carries the flattened results and whether a break was reported.
type modelIndexReader struct {
	fm       *frontMatter
	v        anyNode
	out      []EvalResult
	reported bool
	full     bool
}

// broken reports the first break of the shape the Hub requires.
func (mi *modelIndexReader) broken(n ast.Node, what string) {
	if mi.reported {
		return
	}
	mi.reported = true
	mi.fm.c.addProblem(lineIn(n, mi.v), what+"; the Hub's card library refuses the card's metadata because of it")
}

// require reports a missing key of a mapping, and whether it is there.
func (mi *modelIndexReader) require(n ast.Node, path string, keys ...string) bool {
	if _, ok := mappingPairs(n); !ok {
		mi.broken(n, fmt.Sprintf("%s: expected a mapping, found a %s", path, kindOf(n)))
		return false
	}
	for _, k := range keys {
		if !mi.fm.has(n, k) {
			mi.broken(n, fmt.Sprintf("%s has no %s", path, k))
			return false
		}
	}
	return true
}

// list returns the items of a list value, reporting any other kind.
func (mi *modelIndexReader) list(n ast.Node, path string) ([]ast.Node, bool) {
	seq, ok := mi.fm.resolve(n).(*ast.SequenceNode)
	if !ok {
		mi.broken(n, fmt.Sprintf("%s: expected a list, found a %s", path, kindOf(mi.fm.resolve(n))))
		return nil, false
	}
	return seq.Values, true
}

func (mi *modelIndexReader) model(path string, model ast.Node) {
	fm := mi.fm
	if !mi.require(model, path, "name", "results") {
		return
	}
	results, ok := mi.list(fm.get(model, "results"), path+".results")
	if !ok {
		return
	}
	name := fm.field(model, "name")
	for j, r := range results {
		mi.result(fmt.Sprintf("%s.results[%d]", path, j), name, fm.resolve(r))
	}
}

func (mi *modelIndexReader) result(path, name string, res ast.Node) {
	fm := mi.fm
	if !mi.require(res, path, "task", "dataset", "metrics") {
		return
	}
	task := fm.resolve(fm.get(res, "task"))
	dataset := fm.resolve(fm.get(res, "dataset"))
	if !mi.require(task, path+".task", "type") || !mi.require(dataset, path+".dataset", "type", "name") {
		return
	}
	if src := fm.resolve(fm.get(res, "source")); fm.has(res, "source") {
		if _, ok := mappingPairs(src); !ok || fm.field(src, "name") != "" && fm.field(src, "url") == "" {
			mi.broken(res, path+".source: a source needs a url with its name")
		}
	}
	metrics, ok := mi.list(fm.get(res, "metrics"), path+".metrics")
	if !ok {
		return
	}
	taskType := fm.field(task, "type")
	if taskType == "" {
		taskType = fm.field(task, "name")
	}
	for k, mt := range metrics {
		metric := fm.resolve(mt)
		if !mi.require(metric, fmt.Sprintf("%s.metrics[%d]", path, k), "type", "value") || mi.full {
			continue
		}
		if len(mi.out) >= maxEvalResults {
			fm.c.addProblem(mi.v.line, fmt.Sprintf("model-index: more than %d metrics; the rest are left out", maxEvalResults))
			mi.full = true
			continue
		}
		mi.out = append(mi.out, EvalResult{
			Model:       name,
			Task:        taskType,
			DatasetName: fm.field(dataset, "name"),
			DatasetType: fm.field(dataset, "type"),
			MetricType:  fm.field(metric, "type"),
			MetricName:  fm.field(metric, "name"),
			Value:       fm.field(metric, "value"),
			Line:        lineIn(metric, mi.v),
		})
	}
}

// empty reports whether a value is null, an empty string or an empty collection: what Python
// reads as false.
func empty(n ast.Node) bool {
	if s, ok := scalarText(n); ok {
		return s == ""
	}
	if seq, ok := n.(*ast.SequenceNode); ok {
		return len(seq.Values) == 0
	}
	pairs, ok := mappingPairs(n)
	return ok && len(pairs) == 0
}

// has reports whether a mapping node has key, whatever its value.
func (fm *frontMatter) has(n ast.Node, key string) bool {
	pairs, _ := mappingPairs(n)
	for _, p := range pairs {
		if keyText(p.Key) == key {
			return true
		}
	}
	return false
}

// get returns the value of key in a mapping node, the last one if repeated, or nil.
func (fm *frontMatter) get(n ast.Node, key string) ast.Node {
	pairs, _ := mappingPairs(n)
	var found ast.Node
	for _, p := range pairs {
		if keyText(p.Key) == key {
			found = p.Value
		}
	}
	return found
}

// field returns the scalar text of key in a mapping node, trimmed, or "".
func (fm *frontMatter) field(n ast.Node, key string) string {
	s, _ := scalarText(fm.resolve(fm.get(n, key)))
	return strings.TrimSpace(s)
}
