package osai

import (
	"strings"
	"testing"

	"github.com/glassbox-dev/glassbox/internal/yamlguard/bombs"
)

// TestParseRecordRefusesYAMLBombs: a record nested thousands deep, or one whose aliases expand
// into billions of values, is refused with a clear error naming the file before the YAML
// library decodes it (a 100 KB nested record used to take gigabytes).
func TestParseRecordRefusesYAMLBombs(t *testing.T) {
	t.Parallel()
	for name, tt := range map[string]struct{ doc, want string }{
		"nested": {"system:\n  name: X\n" + strings.Repeat("[", 100_000) + "\n", "bomb.yaml: line 3: collections nest more than 64 deep"},
		"laughs": {"system:\n  name: X\n" + bombs.Laughs("", 10), "bomb.yaml: line 6: aliases expand the document beyond 10000 values"},
	} {
		_, err := ParseRecord("bomb.yaml", []byte(tt.doc))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s bomb: err = %v, want %q", name, err, tt.want)
		}
	}
}
