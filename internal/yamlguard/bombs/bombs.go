// Package bombs writes hostile YAML documents for tests of the parsers that yamlguard protects:
// deep nesting that costs the YAML library memory with the square of the depth, and aliases
// that expand a small document exponentially.
package bombs

import (
	"fmt"
	"strings"
)

// Dashes is a sequence nested n deep on one line ("- - - … x"), indented by indent.
func Dashes(indent string, n int) string {
	return indent + strings.Repeat("- ", n) + "x\n"
}

// Indented is a mapping nested n deep by indentation, each level one space deeper.
func Indented(n int) string {
	var b strings.Builder
	for i := range n {
		b.WriteString(strings.Repeat(" ", i) + "a:\n")
	}
	return b.String()
}

// Laughs is a billion-laughs block: key prefix k, levels anchors a0…, each listing the one
// before ten times (10^levels values once expanded), every line indented by indent.
func Laughs(indent string, levels int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%sa0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n", indent)
	for i := 1; i < levels; i++ {
		ref := fmt.Sprintf("*a%d", i-1)
		fmt.Fprintf(&b, "%sa%d: &a%d [%s%s]\n", indent, i, i, strings.Repeat(ref+", ", 9), ref)
	}
	return b.String()
}
