package evidence

import (
	"strings"

	"github.com/glassbox-dev/glassbox/internal/card"
	"github.com/glassbox-dev/glassbox/internal/component"
	"github.com/glassbox-dev/glassbox/internal/lazyre"
	"github.com/glassbox-dev/glassbox/internal/release"
)

// found is one place a component was seen.
type found struct {
	loc  string // a path, "README.md:12" or "library:NAME"
	ev   string // evidence id
	path string // release path for licence scoping ("" for card or library sightings)
	lib  bool   // provided by a well-known library rather than the release
}

// detector finds one MOF component.
type detector struct {
	id   component.ID
	find func(v *view) []found
}

// detectors lists one detector per MOF component, in the MOF's order.
var detectors = []detector{
	{component.ModelArchitecture, (*view).architecture},
	{component.ModelParameters, (*view).finalParameters},
	{component.TechnicalReport, (*view).technicalReport},
	{component.EvaluationResults, (*view).evaluationResults},
	{component.ModelCard, (*view).modelCard},
	{component.DataCard, (*view).dataCard},
	{component.SampleOutputs, (*view).sampleOutputs},
	{component.TrainingCode, codeFiles(trainingRe)},
	{component.InferenceCode, (*view).inferenceCode},
	{component.EvaluationCode, codeFiles(evalCodeRe)},
	{component.EvaluationData, (*view).evaluationData},
	{component.SupportingLibraries, filesMatching(supportRe)},
	{component.Datasets, (*view).datasetsComponent},
	{component.DataPreprocessingCode, codeFiles(preprocessRe)},
	{component.ResearchPaper, (*view).researchPaper},
	{component.IntermediateParameters, (*view).intermediateParameters},
	{component.ModelMetadata, (*view).metadata},
}

func (v *view) components() {
	for _, d := range detectors {
		info, _ := component.Lookup(d.id)
		c := Component{ID: d.id, Name: info.Name, Type: string(info.Type), Evidence: []string{}}
		hits := d.find(v)
		if len(hits) > 8 {
			c.Note = itoa(len(hits)) + " locations; first 8 listed"
			hits = hits[:8]
		}
		for _, h := range hits {
			c.Locations = append(c.Locations, h.loc)
			c.Evidence = appendUnique(c.Evidence, h.ev)
		}
		switch {
		case len(hits) > 0 && allGated(v, hits):
			c.Status = Gated
		case len(hits) > 0:
			c.Status = Present
		case v.rel.Complete && (v.facts.HasCard || len(v.files) > 0):
			c.Status = Absent
		default:
			c.Status = Unknown
		}
		if c.Status == Present || c.Status == Gated {
			v.componentLicense(&c, info, hits[0])
		}
		v.facts.Components = append(v.facts.Components, c)
	}
}

func allGated(v *view, hits []found) bool {
	for _, h := range hits {
		f, ok := v.rel.File(h.path)
		if !ok || !f.Gated {
			return false
		}
	}
	return true
}

// componentLicense picks the licence that covers a component from where it was found.
func (v *view) componentLicense(c *Component, info component.Info, h found) {
	if h.lib && v.facts.Library != nil {
		c.License = v.facts.Library.License
		c.Open = v.cat.Evaluate(c.License).Open
		c.Note = "implemented by " + v.facts.Library.Name + " (" + v.facts.Library.Why + ")"
		return
	}
	scope := ScopeRelease
	switch {
	case info.ID == component.ModelParameters || info.ID == component.IntermediateParameters || info.ID == component.ModelMetadata:
		scope = ScopeWeights
	case info.Type == component.Code:
		scope = ScopeCode
	case info.Type == component.Data:
		scope = ScopeData
	case info.Type == component.Document:
		scope = ScopeDocs
	}
	if info.ID == component.Datasets && h.path == "" {
		// Datasets named by reference carry their own licences, read from their cards when the
		// source could reach them.
		c.Note = "referenced, not included; licence is the dataset's own"
		var ls []License
		for _, d := range v.facts.Datasets {
			if d.License == "" {
				return // one unknown licence leaves the whole unknown
			}
			ls = append(ls, v.fromExpression(d.License, License{}))
		}
		c.License, c.Open = joinLicenses(ls)
		return
	}
	ls := v.licensesFor(scope, h.path)
	c.License, c.Open = joinLicenses(ls)
	for _, l := range ls {
		c.LicenseWhy = appendUnique(c.LicenseWhy, l.Expression+": "+scopeWhy(l))
	}
	if info.ID == component.ModelParameters {
		c.Open = c.Open && v.facts.Weights.Open
	}
	for _, l := range ls {
		c.Evidence = appendUnique(c.Evidence, l.Evidence...)
	}
}

// scopeWhy says why a licence covers a component: its own reason, or what its scope and source
// make it cover.
func scopeWhy(l License) string {
	switch {
	case l.Why != "":
		return l.Why
	case l.Scope == ScopeCode:
		return "a licence for the release's code"
	case l.Scope == ScopeWeights:
		return coverWhy(l)
	}
	return coverWhy(l)
}

// ---- name patterns, as data

var (
	codeExtRe    = lazyre.New(`(?i)\.(py|ipynb|sh|rs|go|c|cc|cpp|h|hpp|cu|js|ts|jl|java|scala|lua|swift|kt|r)$`)
	archRe       = lazyre.New(`(?i)(^|/)(modell?ing[_a-z0-9]*|models?|architecture|arch|network|net|layers?|transformer|[a-z0-9]+_(model|arch|net))\.[a-z]+$|(^|/)(models?|modeling|architectures?|nn)/`)
	trainingRe   = lazyre.New(`(?i)(^|/|_)(train|training|pretrain|pre_train|finetune|fine_tune|finetuning|sft|dpo|rlhf|ppo|grpo|distill)[a-z0-9_]*\.[a-z]+$|(^|/)(train|training|finetune|finetuning|recipes)/`)
	inferenceRe  = lazyre.New(`(?i)(^|/)(inference|infer|generate|generation|predict|serve|server|serving|app|demo|chat|run_model|sample|example|quickstart|pipeline)[a-z0-9_]*\.(py|ipynb|sh|rs|go|c|cpp|js|ts|jl)$|(^|/)(inference|serving|examples?|demos?)/`)
	evalCodeRe   = lazyre.New(`(?i)(^|/|_)(eval|evaluate|evaluation|benchmark|bench|score|test_model)[a-z0-9_]*\.[a-z]+$|(^|/)(eval|evals|evaluation|benchmarks?|lm_eval)/`)
	preprocessRe = lazyre.New(`(?i)(^|/|_)(preprocess|preprocessing|prepare_data|prepare_dataset|data_prep|dataprep|tokenize|tokenise|clean|filter|dedup|deduplicate|process_data|build_dataset|make_dataset|download_data)[a-z0-9_]*\.[a-z]+$|(^|/)(data|preprocessing|data_processing|data_prep|dataprep|data_pipeline|scripts/data)/`)
	supportRe    = lazyre.New(`(?i)(^|/)(tokenizer\.json|tokenizer\.model|tokenizer_config\.json|special_tokens_map\.json|vocab\.(json|txt)|merges\.txt|spiece\.model|sentencepiece\.bpe\.model|[a-z0-9_.-]*\.tiktoken|requirements[a-z0-9_.-]*\.txt|setup\.py|setup\.cfg|pyproject\.toml|environment\.ya?ml|pipfile|cargo\.toml|go\.mod|package\.json|cmakelists\.txt)$`)
	dataFileRe   = lazyre.New(`(?i)\.(parquet|jsonl|jsonl\.gz|json\.gz|arrow|csv|tsv|tfrecord|txt\.gz|zst|webdataset|tar)$`)
	dataDirRe    = lazyre.New(`(?i)(^|/)(data|dataset|datasets|corpus|training_data|train_data)/`)
	evalDataRe   = lazyre.New(`(?i)(^|/)(eval|evals|evaluation|benchmarks?|test|tests|testset|test_data|eval_data|validation)[/_.-]`)
	sampleRe     = lazyre.New(`(?i)(^|/)(samples?|sample_outputs?|outputs?|generations?|generated|gallery)/|(^|/)(sample|example)_?outputs?[a-z0-9_.-]*$`)
	metadataRe   = lazyre.New(`(?i)(^|/)(config\.json|generation_config\.json|params\.json|model_index\.json|adapter_config\.json|preprocessor_config\.json|hyperparams?\.(json|ya?ml)|model_config\.(json|ya?ml))$`)
	datacardRe   = lazyre.New(`(?i)(^|/)(data[_-]?card|datasheet|dataset[_-]?card|data[_-]?statement)[a-z0-9_.-]*\.(md|txt|pdf|html)$`)
	techReportRe = lazyre.New(`(?i)(tech(nical)?[_ -]?report)[a-z0-9_.-]*\.pdf$`)
	paperRe      = lazyre.New(`(?i)\.pdf$`)
	evalResRe    = lazyre.New(`(?i)(^|/)(eval_results?|results?|evaluation_results?|metrics|scores)[a-z0-9_.-]*\.(json|csv|md|tsv|ya?ml)$|(^|/)\.eval_results/`)

	sampleHeadRe   = lazyre.New(`(?i)(sample|example) (model )?outputs?|^samples$|generated (samples|examples|images)|^gallery$`)
	intermediateMd = lazyre.New(`(?i)intermediate checkpoints?|revision\s*=\s*["']step\d+|checkpoints? (at|for) every|training checkpoints`)
)

// filesMatching finds release files whose path matches re.
func filesMatching(re *lazyre.Regexp) func(*view) []found {
	return func(v *view) []found {
		var out []found
		for _, f := range v.files {
			if re.MatchString(f.Path) {
				out = append(out, found{loc: f.Path, ev: v.inventory(f.Path), path: f.Path})
			}
		}
		return out
	}
}

// codeFiles finds source files whose path matches re.
func codeFiles(re *lazyre.Regexp) func(*view) []found {
	return func(v *view) []found {
		var out []found
		for _, f := range v.files {
			if codeExtRe.MatchString(f.Path) && re.MatchString(f.Path) {
				out = append(out, found{loc: f.Path, ev: v.inventory(f.Path), path: f.Path})
			}
		}
		return out
	}
}

func (v *view) libraryHit() []found {
	if v.facts.Library == nil {
		return nil
	}
	return []found{{loc: "library:" + v.facts.Library.Name, ev: v.facts.Library.Evidence[0], lib: true}}
}

func (v *view) architecture() []found {
	if out := codeFiles(archRe)(v); len(out) > 0 {
		return out
	}
	return v.libraryHit()
}

func (v *view) inferenceCode() []found {
	if out := codeFiles(inferenceRe)(v); len(out) > 0 {
		return out
	}
	return v.libraryHit()
}

func (v *view) finalParameters() []found {
	var out []found
	for _, a := range v.facts.Artifacts {
		if !a.Intermediate && !a.Auxiliary && !v.malformed[a.Path] { // a malformed file is not weights
			out = append(out, found{loc: a.Path, ev: a.Evidence[0], path: a.Path})
		}
	}
	for _, f := range v.files {
		if strings.HasSuffix(f.Path, ".index.json") && (strings.Contains(f.Path, "safetensors") || strings.Contains(f.Path, "pytorch_model")) {
			out = append(out, found{loc: f.Path, ev: v.inventory(f.Path), path: f.Path})
		}
	}
	return out
}

func (v *view) intermediateParameters() []found {
	var out []found
	for _, a := range v.facts.Artifacts {
		if a.Intermediate && !v.malformed[a.Path] {
			out = append(out, found{loc: a.Path, ev: a.Evidence[0], path: a.Path})
		}
	}
	if len(out) == 0 {
		out = v.bodyMatch(intermediateMd)
	}
	return out
}

// bodyMatch finds the first card body line matching re.
func (v *view) bodyMatch(re *lazyre.Regexp) []found {
	if v.card.Body == "" {
		return nil
	}
	for i, line := range strings.Split(v.card.Body, "\n") {
		if re.MatchString(line) {
			n := v.card.BodyStartLine + i
			return []found{{loc: v.cardPath + ":" + itoa(n), ev: v.cardLine(n, strings.TrimSpace(line))}}
		}
	}
	return nil
}

// section finds card headings matching re whose section has at least minLen characters of text.
func (v *view) section(re *lazyre.Regexp, minLen int, needTable bool) []found {
	var out []found
	for _, h := range v.card.Headings {
		if !re.MatchString(strings.TrimSpace(h.Text)) {
			continue
		}
		text := sectionText(v.card, h)
		if len(strings.TrimSpace(text)) < minLen || needTable && !strings.Contains(text, "|---") && !strings.Contains(text, "| ---") && !strings.Contains(text, "|:--") {
			continue
		}
		out = append(out, found{loc: v.cardPath + ":" + itoa(h.Line), ev: v.cardLine(h.Line, h.Text)})
	}
	return out
}

func (v *view) modelCard() []found {
	if !v.facts.HasCard {
		return nil
	}
	t, _ := v.rel.Text(v.cardPath)
	if len(strings.TrimSpace(t.Content)) < 80 {
		return nil // a stub README is not a model card
	}
	return []found{{loc: v.cardPath, ev: v.fileEvidence(v.cardPath, 0, 0), path: v.cardPath}}
}

// dataCard finds data cards: files named as such, and the card's data sections when they
// describe at least some elements of Data Information (a one-paragraph overview is not a data
// card; see datainfo.go).
func (v *view) dataCard() []found {
	out := filesMatching(datacardRe)(v)
	d := v.facts.DataInfo
	if d.Level != DataPartial && d.Level != DataSubstantive {
		return out
	}
	for _, h := range v.dataHeadings() {
		out = append(out, found{loc: v.cardPath + ":" + itoa(h.Line), ev: v.cardLine(h.Line, h.Text)})
	}
	return out
}

func (v *view) evaluationResults() []found {
	var out []found
	if v.card.HasModelIndex {
		out = append(out, found{loc: v.cardPath + ":" + itoa(v.card.FieldLines["model-index"]), ev: v.cardField("model-index", itoa(len(v.card.ModelIndex))+" results")})
	}
	out = append(out, filesMatching(evalResRe)(v)...)
	// Evaluation sections holding a table, Markdown or HTML, of any heading level or a bold
	// line standing alone ("## Benchmark scores" over <table>s).
	for _, sec := range v.card.SectionsOf(card.SectionEvaluation) {
		if sec.Tables > 0 {
			out = append(out, found{loc: v.cardPath + ":" + itoa(sec.Heading.Line), ev: v.cardLine(sec.Heading.Line, sec.Heading.Text)})
		}
	}
	return out
}

func (v *view) evaluationData() []found {
	var out []found
	for _, f := range v.files {
		if dataFileRe.MatchString(f.Path) && evalDataRe.MatchString(f.Path) {
			out = append(out, found{loc: f.Path, ev: v.inventory(f.Path), path: f.Path})
		}
	}
	seen := map[string]bool{}
	for _, r := range v.card.ModelIndex {
		if r.DatasetType == "" || seen[r.DatasetType] {
			continue
		}
		seen[r.DatasetType] = true
		out = append(out, found{loc: "hf:datasets/" + r.DatasetType, ev: v.cardField("model-index", "dataset "+r.DatasetType)})
	}
	return out
}

func (v *view) datasetsComponent() []found {
	var out []found
	for _, f := range v.files {
		if dataFileRe.MatchString(f.Path) && dataDirRe.MatchString(f.Path) && !evalDataRe.MatchString(f.Path) {
			out = append(out, found{loc: f.Path, ev: v.inventory(f.Path), path: f.Path})
		}
	}
	for _, d := range v.facts.Datasets {
		out = append(out, found{loc: d.Ref, ev: d.Evidence[0]})
	}
	return out
}

func (v *view) technicalReport() []found {
	out := filesMatching(techReportRe)(v)
	// Only the papers the card presents as the model's own (card.OwnPapers), not cited ones.
	for _, p := range v.card.OwnPapers(v.releaseNames()...) {
		if p.TechnicalReport {
			out = append(out, found{loc: paperLoc(p), ev: v.cardLine(p.Line, p.URL)})
		}
	}
	return out
}

func (v *view) researchPaper() []found {
	var out []found
	for _, f := range v.files {
		if paperRe.MatchString(f.Path) && !techReportRe.MatchString(f.Path) {
			out = append(out, found{loc: f.Path, ev: v.inventory(f.Path), path: f.Path})
		}
	}
	for _, p := range v.card.OwnPapers(v.releaseNames()...) {
		if !p.TechnicalReport {
			out = append(out, found{loc: paperLoc(p), ev: v.cardLine(p.Line, paperExcerpt(p))})
		}
	}
	return out
}

func paperLoc(p card.Paper) string {
	switch {
	case p.Kind == "arxiv" && p.ID != "":
		return "arXiv:" + p.ID
	case p.Kind == "doi" && p.ID != "":
		return "doi:" + p.ID
	case p.URL != "":
		return p.URL
	}
	return p.Kind
}

func paperExcerpt(p card.Paper) string {
	if p.URL != "" {
		return p.URL
	}
	return p.Kind + " " + p.ID
}

func (v *view) sampleOutputs() []found {
	var out []found
	for _, f := range v.files {
		if sampleRe.MatchString(f.Path) && !codeExtRe.MatchString(f.Path) && !release.IsWeights(f.Path) {
			out = append(out, found{loc: f.Path, ev: v.inventory(f.Path), path: f.Path})
		}
	}
	return append(out, v.section(sampleHeadRe, 20, false)...)
}

func (v *view) metadata() []found {
	out := filesMatching(metadataRe)(v)
	for _, a := range v.facts.Artifacts {
		if a.Format == "gguf" && !a.Intermediate {
			out = append(out, found{loc: a.Path + "#header", ev: a.Evidence[0], path: a.Path})
		}
	}
	return out
}

// sectionText returns the body text under heading h, up to the next heading of the same or a
// higher level.
func sectionText(c *card.Card, h card.Heading) string {
	lines := strings.Split(c.Body, "\n")
	start := h.Line - c.BodyStartLine + 1
	if c.BodyStartLine == 0 || start < 0 || start > len(lines) {
		return ""
	}
	end := len(lines)
	for _, next := range c.Headings {
		if next.Line > h.Line && next.Level <= h.Level {
			end = min(end, next.Line-c.BodyStartLine)
			break
		}
	}
	if end < start {
		return ""
	}
	return strings.Join(lines[start:end], "\n")
}
