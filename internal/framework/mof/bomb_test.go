package mof

import (
	"strings"
	"testing"

	"github.com/glassbox-dev/glassbox/internal/yamlguard/bombs"
)

// TestParseRecordRefusesYAMLBombs: a record nested thousands deep, or one whose aliases expand
// into billions of values, is refused with a clear error before the YAML library decodes it
// (a 100 KB nested record used to take gigabytes).
func TestParseRecordRefusesYAMLBombs(t *testing.T) {
	t.Parallel()
	for name, tt := range map[string]struct{ doc, want string }{
		"nested": {"release:\n  name: X\n  components:\n" + bombs.Dashes("", 50_000), "line 4: collections nest more than 64 deep"},
		"laughs": {"release:\n  name: X\n" + bombs.Laughs("  ", 10), "line 6: aliases expand the document beyond 10000 values"},
	} {
		_, err := ParseRecord([]byte(tt.doc))
		if err == nil || !strings.HasPrefix(err.Error(), "parsing MOT record: ") || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s bomb: err = %v, want a parsing MOT record error saying %q", name, err, tt.want)
		}
	}
}
