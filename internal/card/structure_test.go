package card

import (
	"os"
	"path/filepath"
	"testing"
)

// TestSectionsOfRealReleases pins section detection on the real release cards of
// ../shared/eval/releases (issue 10 #7): headings of any level, bold pseudo-headings, tables.
func TestSectionsOfRealReleases(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(filepath.Dir(corpusDir(t)), "releases")
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("skipping: the real releases are not at %s: %v", dir, err)
	}
	tests := []struct {
		release, kind, heading string
		line, end, tables      int
		pseudo                 bool
	}{
		{"llama-3.1-8b", SectionTrainingData, "Training Data", 188, 194, 0, false},
		{"llama-3.1-8b", SectionEvaluation, "Benchmark scores", 195, 887, 3, false},
		{"llama-3.1-8b", SectionUses, "Intended Use", 95, 103, 0, false},
		{"deepseek-v3", SectionArchitecture, "Architecture: Innovative Load Balancing Strategy and Training Objective", 63, 70, 0, true},
		{"deepseek-v3", SectionEvaluation, "4. Evaluation Results", 105, 221, 3, false},
		{"deepseek-v3", SectionHowToUse, "6. How to Run Locally", 227, 343, 0, false},
		{"pythia-160m", SectionTrainingData, "Training data", 170, 185, 0, false},
		{"pythia-160m", SectionLimitations, "Limitations and biases", 119, 137, 0, false},
		{"olmo-7b", SectionTrainingData, "Pretraining", 44, 149, 5, false},
		{"flux-1-dev", SectionLimitations, "Limitations", 33, 38, 0, false},
		{"sdxl-base-1.0", SectionTrainingData, "Training:", 319, 397, 0, false},
	}
	cards := map[string]*Card{}
	for _, tt := range tests {
		c, ok := cards[tt.release]
		if !ok {
			data, err := os.ReadFile(filepath.Join(dir, tt.release, "README.md"))
			if err != nil {
				t.Fatal(err)
			}
			c = Parse("README.md", data)
			cards[tt.release] = c
		}
		found := false
		for _, s := range c.SectionsOf(tt.kind) {
			if s.Heading.Text != tt.heading {
				continue
			}
			found = true
			if s.Heading.Line != tt.line || s.EndLine != tt.end || s.Tables != tt.tables || s.Heading.Pseudo != tt.pseudo || s.Text == "" {
				t.Errorf("%s %s %q: lines %d-%d, %d tables, pseudo %v, %d bytes of text; want %d-%d, %d, %v, some text",
					tt.release, tt.kind, tt.heading, s.Heading.Line, s.EndLine, s.Tables, s.Heading.Pseudo, len(s.Text), tt.line, tt.end, tt.tables, tt.pseudo)
			}
		}
		if !found {
			t.Errorf("%s: no %s section headed %q", tt.release, tt.kind, tt.heading)
		}
	}
}
