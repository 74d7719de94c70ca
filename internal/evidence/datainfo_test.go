package evidence_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/glassbox-dev/glassbox/internal/component"
	"github.com/glassbox-dev/glassbox/internal/evidence"
	"github.com/glassbox-dev/glassbox/internal/license"
)

// TestDataInfoRubric judges training-data descriptions element by element.
func TestDataInfoRubric(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		readme   string
		extra    []spec
		level    string
		found    []string
		dataCard evidence.Status
	}{
		{
			name:     "one-paragraph overview",
			readme:   "# M\n\n## Training Data\n\nM was pretrained on ~9 trillion tokens of data from publicly available sources.\n\n## Use\n\nChat.\n",
			level:    evidence.DataOverview,
			found:    []string{"scope"},
			dataCard: evidence.Absent,
		},
		{
			name: "named, sized, collected, filtered",
			readme: "# M\n\n## Training\n\n### Training data\n\n[The Tiny Corpus](https://example.org/tiny) holds 300GB of English text from 12 domains.\n" +
				"It was collected from public forums and sampled by topic.\nNear-duplicates were removed with MinHash and pages were filtered for toxicity.\n\n### Training procedure\n\n10 epochs.\n",
			level:    evidence.DataSubstantive,
			found:    []string{"sources", "scope", "collection", "processing"},
			dataCard: evidence.Present,
		},
		{
			name:     "pre-training section naming datasets by link",
			readme:   "# M\n\n## Pretraining\n\nStage 1 trains on web data: [mix](https://huggingface.co/datasets/acme/web-mix), 4 trillion tokens.\nThe provenance of every document is listed in provenance.csv.\n\n## Inference\n\nRun it.\n",
			level:    evidence.DataSubstantive,
			found:    []string{"sources", "scope", "collection"},
			dataCard: evidence.Present,
		},
		{
			name:     "two elements are partial",
			readme:   "# M\n\n## Dataset\n\nWe trained on 2 million images we collected ourselves.\n",
			level:    evidence.DataPartial,
			found:    []string{"scope", "collection"},
			dataCard: evidence.Present,
		},
		{
			name:     "a data card file is read too",
			readme:   "# M\n\nA model.\n",
			extra:    []spec{text("DATA_CARD.md", "Sources: the Acme crawl (https://example.org/crawl).\nAnnotated by 40 paid raters.\nDeduplicated and PII removed.\n")},
			level:    evidence.DataSubstantive,
			found:    []string{"sources", "collection", "processing", "labelling"},
			dataCard: evidence.Present,
		},
		{
			name:     "nothing about data",
			readme:   "# M\n\n## Training Energy Use\n\n39M GPU hours.\n",
			level:    evidence.DataNone,
			dataCard: evidence.Absent,
		},
		{
			name:     "datasets field alone names sources",
			readme:   "---\ndatasets:\n- acme/corpus\n---\n# M\n",
			level:    evidence.DataOverview,
			found:    []string{"sources"},
			dataCard: evidence.Absent,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := evidence.Detect(build(append([]spec{text("README.md", tt.readme)}, tt.extra...)...), license.Default())
			if f.DataInfo.Level != tt.level {
				t.Errorf("level %q, want %q (elements %+v)", f.DataInfo.Level, tt.level, f.DataInfo.Elements)
			}
			if diff := cmp.Diff(tt.found, f.DataInfo.Found()); diff != "" {
				t.Errorf("elements found (-want +got):\n%s", diff)
			}
			if got := f.Component(component.DataCard).Status; got != tt.dataCard {
				t.Errorf("data card component %s, want %s", got, tt.dataCard)
			}
			for _, e := range f.DataInfo.Elements {
				if e.Found && (len(e.Where) == 0 || len(e.Evidence) == 0) {
					t.Errorf("element %s found without a place or evidence", e.Name)
				}
			}
		})
	}
}

// TestDataInfoCitesLines: each element cites the line it was found on.
func TestDataInfoCitesLines(t *testing.T) {
	t.Parallel()
	readme := "# M\n\n## Training data\n\nAbout 5 billion tokens.\nCollected from news sites.\n"
	f := evidence.Detect(build(text("README.md", readme)), license.Default())
	where := map[string]string{}
	for _, e := range f.DataInfo.Elements {
		where[e.Name] = strings.Join(e.Where, ",")
	}
	if where["scope"] != "README.md:5" || where["collection"] != "README.md:6" {
		t.Errorf("places %v, want scope at README.md:5 and collection at README.md:6", where)
	}
}
