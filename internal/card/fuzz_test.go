package card

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzParse checks that Parse never panics and that every line number it reports points into
// the input. It is seeded with small inputs written for the purpose and, when the evaluation
// corpus is present, with the real cards.
func FuzzParse(f *testing.F) {
	seeds := []string{
		"",
		"---",
		"---\n---",
		"---\nlicense: mit\n---\n# Title\nAn open-source model.\n",
		"---\r\nlicense: [mit, apache-2.0]\r\nbase_model: a/b\r\n---\r\nText\r\n",
		"\ufeff---\nlicense: mit\nlicense: mit\n---\n",
		"---\nlicense: [mit\n---\nbody\n",
		"---\na: &x [1]\nb: *x\nc: *missing\n---\n",
		"---\nextra_gated_fields:\n  ? long\n    key\n  : checkbox\n---\n",
		"---\nmodel-index:\n- name: m\n  results:\n  - task: {type: t}\n    dataset: {name: d, type: d}\n    metrics:\n    - {type: acc, value: 1}\n---\n",
		"Title\n===\n\n| a | b |\n|---|---|\n| 1 | 2 |\n",
		"[![x](i.png)](https://e.org/a_(b)) <a href='u'>t</a> https://e.org/x).",
		"```\n@misc{k,\n title={A Technical Report},\n}\n```\narXiv:2401.00001 doi:10.1000/x",
		"<!-- open source\n-->\n`open source` open\nsource",
		"---\n\tbad\n---\n",
	}
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	if paths, _ := filepath.Glob(filepath.Join(corpusDir(f), "*", "README.md")); len(paths) > 0 {
		for _, p := range paths {
			if data, err := os.ReadFile(p); err == nil {
				f.Add(data)
			}
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		c := Parse("README.md", data)
		checkInvariants(t, data, c)
	})
}
