package mof

import (
	"strings"
	"testing"
)

// TestParseRecordRefusesYAMLBombs: a record nested thousands deep, or one whose aliases expand
// into billions of values, is refused with a clear error before the YAML library decodes it
// (a 100 KB nested record used to take gigabytes).
func TestParseRecordRefusesYAMLBombs(t *testing.T) {
	t.Parallel()
	nested := "release:\n  name: X\n  components:\n" + strings.Repeat("- ", 50_000) + "x\n"
	var laughs strings.Builder
	laughs.WriteString("release:\n  name: X\n  a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n")
	for i := 1; i <= 9; i++ {
		prev := "*a" + string(rune('0'+i-1))
		laughs.WriteString("  a" + string(rune('0'+i)) + ": &a" + string(rune('0'+i)) + " [" + strings.Repeat(prev+", ", 9) + prev + "]\n")
	}
	for name, tt := range map[string]struct{ doc, want string }{
		"nested": {nested, "line 4: collections nest more than 64 deep"},
		"laughs": {laughs.String(), "aliases expand the document beyond 10000 values"},
	} {
		_, err := ParseRecord([]byte(tt.doc))
		if err == nil || !strings.HasPrefix(err.Error(), "parsing MOT record: ") || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s bomb: err = %v, want a parsing MOT record error saying %q", name, err, tt.want)
		}
	}
}
