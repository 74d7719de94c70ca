package osai

import (
	"strings"
	"testing"
)

// TestParseRecordRefusesYAMLBombs: a record nested thousands deep, or one whose aliases expand
// into billions of values, is refused with a clear error naming the file before the YAML
// library decodes it (a 100 KB nested record used to take gigabytes).
func TestParseRecordRefusesYAMLBombs(t *testing.T) {
	t.Parallel()
	nested := "system:\n  name: X\n" + strings.Repeat("[", 100_000) + "\n"
	var laughs strings.Builder
	laughs.WriteString("system:\n  name: X\na0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n")
	for i := 1; i <= 9; i++ {
		prev := "*a" + string(rune('0'+i-1))
		laughs.WriteString("a" + string(rune('0'+i)) + ": &a" + string(rune('0'+i)) + " [" + strings.Repeat(prev+", ", 9) + prev + "]\n")
	}
	for name, tt := range map[string]struct{ doc, want string }{
		"nested": {nested, "bomb.yaml: line 3: collections nest more than 64 deep"},
		"laughs": {laughs.String(), "bomb.yaml: line 6: aliases expand the document beyond 10000 values"},
	} {
		_, err := ParseRecord("bomb.yaml", []byte(tt.doc))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s bomb: err = %v, want %q", name, err, tt.want)
		}
	}
}
