package card

import "github.com/glassbox-dev/glassbox/internal/lazyre"

// Card structure as people write it. Cards name their sections in many ways and at any level
// ("## Model Architecture", "### Benchmarks", "**Training Data**" alone on a line, an HTML
// <h3>), so a detector that asks "does the card describe its training data?" needs the
// sections by what they are about, not by one spelling. A section is a heading (real or
// pseudo) and everything under it up to the next heading of the same or a higher level; its
// kinds come from its heading's words:
//
//   - architecture: architecture, model details/description/structure/specifications/
//     overview/information/summary, technical specifications, network design;
//   - training-data: training/pre-training data or dataset(s), data sources/collection/
//     mixture/curation/composition, and a heading that is only "Data", "Datasets", "Corpus",
//     "Training" or "Pretraining";
//   - evaluation: evaluation, benchmark(s), results, performance, metrics, leaderboard;
//   - uses: uses, intended use(s), use cases, direct/downstream/out-of-scope use,
//     applications;
//   - limitations: limitations, bias(es), risks, ethical considerations, safety, caveats;
//   - how-to-use: how to use/get started/run, getting started, usage, quick start,
//     inference, example(s), installation.
//
// A heading longer than 80 characters is a sentence, not a title, and has no kind.
// A heading may have several kinds ("Uses and Limitations"); "Evaluation data" is evaluation,
// not training data; "How to use", "Use with transformers" and "Terms of use" are not uses.
const (
	SectionArchitecture = "architecture"
	SectionTrainingData = "training-data"
	SectionEvaluation   = "evaluation"
	SectionUses         = "uses"
	SectionLimitations  = "limitations"
	SectionHowToUse     = "how-to-use"
)

// SectionKinds lists every kind, in a fixed order.
var SectionKinds = []string{SectionArchitecture, SectionTrainingData, SectionEvaluation, SectionUses, SectionLimitations, SectionHowToUse}

var sectionKindRes = map[string]*lazyre.Regexp{
	SectionArchitecture: lazyre.New(`(?i)\barchitectur|\bmodel (?:details|description|structure|specifications?|overview|information|summary)\b|\btechnical (?:specifications?|details)\b|\bnetwork (?:design|structure)\b`),
	SectionTrainingData: lazyre.New(`(?i)\b(?:pre-?)?training (?:data|datasets?|corpus|corpora)\b|\bdata (?:sources?|collection|mixture|curation|composition|used)\b|^\W*(?:data|datasets?|corpus|(?:pre-?)?training)\W*$|\bdatasets? used\b`),
	SectionEvaluation:   lazyre.New(`(?i)\bevaluat|\bbenchmark|\bresults?\b|\bperformance\b|\bmetrics?\b|\bleaderboard`),
	SectionUses:         lazyre.New(`(?i)\b(?:intended |direct |downstream |out-of-scope |primary |out of scope )?uses?\b(?: cases?)?|\bapplications?\b`),
	SectionLimitations:  lazyre.New(`(?i)\blimitation|\bbias|\brisks?\b|\bethic|\bsafety\b|\bcaveats?\b`),
	SectionHowToUse:     lazyre.New(`(?i)\bhow to (?:use|get started|run|load)\b|\bget(?:ting)? started\b|\busage\b|\bquick ?start\b|\binference\b|\bexamples?\b|\binstall`),
}

// usesNotHowTo keeps "how to use" and "use with transformers" out of the uses kind.
var usesNotHowTo = lazyre.New(`(?i)\bhow to use\b|\buse (?:with|the model|it)\b|\bterms of use\b`)

// maxKindHeading is the longest heading given a kind: a longer one is a sentence set as a
// heading, not a section title.
const maxKindHeading = 80

// KindsOf returns the kinds of a heading, in SectionKinds order.
func KindsOf(h Heading) []string {
	if len(h.Text) > maxKindHeading {
		return nil
	}
	var out []string
	for _, k := range SectionKinds {
		if !sectionKindRes[k].MatchString(h.Text) {
			continue
		}
		if k == SectionUses && usesNotHowTo.MatchString(h.Text) {
			continue
		}
		if k == SectionTrainingData && sectionKindRes[SectionEvaluation].MatchString(h.Text) {
			continue // "Evaluation data"
		}
		out = append(out, k)
	}
	return out
}

// SectionsOf returns the sections of one kind, in card order: each with its heading, its line
// range (Heading.Line to EndLine), its text and the tables it holds, so that a detector can
// judge what the section says, not only that it exists.
func (c *Card) SectionsOf(kind string) []Section {
	return c.Sections(func(h Heading) bool {
		for _, k := range KindsOf(h) {
			if k == kind {
				return true
			}
		}
		return false
	})
}
