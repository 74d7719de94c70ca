package evidence

import (
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/glassbox-dev/glassbox/internal/card"
	"github.com/glassbox-dev/glassbox/internal/lazyre"
)

// This file holds the detectors behind the EU AI Act's open-source exemption (Article 53(2)):
// how many tokens the model was trained on (for the compute estimate of the systemic-risk
// test), where the card explains how to use the model, and how downloads are granted.

// Usage kinds: what a card section tells a downstream provider.
const (
	UsageUses        = "uses"        // intended, direct, downstream and out-of-scope uses
	UsageHowTo       = "how-to-use"  // how to run or integrate the model
	UsageLimitations = "limitations" // limitations, biases and risks
	UsageModalities  = "modalities"  // inputs and outputs (sections, or the card's pipeline_tag)
)

// UsageInfo is one place where the card tells users how to use the model.
type UsageInfo struct {
	// Kind is UsageUses, UsageHowTo, UsageLimitations or UsageModalities.
	Kind string `json:"kind"`
	// Heading is the section heading as written, or "pipeline_tag: TASK".
	Heading  string   `json:"heading"`
	Evidence []string `json:"evidence"`
}

// Access says how the release's files are handed out, as far as the release shows it.
type Access struct {
	// Hub: the release was read from the Hugging Face Hub, whose API says how downloads work.
	// A local copy cannot show how it is distributed.
	Hub bool `json:"hub"`
	// Gate is the Hub's gating mode: "" (public), "auto" (a click-through that grants access at
	// once) or "manual" (the provider approves each request).
	Gate string `json:"gate,omitempty"`
	// Form lists the labels of the form users fill in before download (extra_gated_fields).
	Form     []string `json:"form,omitempty"`
	Evidence []string `json:"evidence"`
}

// euAIAct runs the detectors this file holds.
func (v *view) euAIAct() {
	v.trainingTokens()
	v.moe()
	v.usage()
	v.access()
}

// ---- training tokens

// tokenKeys are front-matter and config.json keys that state the training token count.
var tokenKeys = []string{
	"training_tokens", "train_tokens", "pretraining_tokens", "pretrain_tokens", "num_training_tokens",
	"num_train_tokens", "n_training_tokens", "tokens_trained", "training_data_tokens", "total_training_tokens",
}

// Limits of a plausible training token count. Below a million, a "tokens" figure is a
// vocabulary or a context length; above 10^16 it is a typo.
const (
	minTokens = 1e6
	maxTokens = 1e16
)

const (
	numPat  = `(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)`
	unitPat = `(trillion|billion|million|tn|bn|t|b|m)?`
	approx  = `(?:(?:over|more than|about|around|approximately|roughly|nearly|almost|some|circa|ca\.)\s+|[~≈>]\s?)?`
)

var (
	// tokenStmtRe finds "2T tokens", "1.5 trillion tokens", "15T+ tokens", "a 4T-token corpus",
	// "2,000,000,000,000 training tokens". The figure must not follow a letter, digit, dot or
	// comma, so "v1.5" or "3,5" do not start one.
	tokenStmtRe = lazyre.New(`(?i)(?:^|[^\w.,])` + approx + numPat + `\s*` + unitPat + `(\+)?(?:\s+|-)?` +
		`(?:(?:training|pre-?training|unique|total|text|data|high-quality|seen)\s+)?tokens?\b`)
	// tokenValueRe reads a value cell or field: "4T", "2 trillion", "1.5e12", "15T+".
	tokenValueRe = lazyre.New(`(?i)^\s*` + approx + `(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?(?:e\+?\d{1,2})?)\s*` + unitPat + `\s*\+?\s*(?:tokens?)?(?:$|[\s(,;])`)
	// trainCueRe: the sentence speaks of training, so the figure is a training token count.
	trainCueRe = lazyre.New(`(?i)\b(?:trained|training|train|pre-?train\w*|corpus|corpora|dataset|data|seen|saw|consumed)\b`)
	// notTrainingBeforeRe: the words just before the figure make it a context window, a
	// vocabulary, a batch or a limit.
	notTrainingBeforeRe = lazyre.New(`(?i)\b(?:context|window|sequence|seq|vocab\w*|tokeni[sz]er\w*|max\w*|length|limit|batch|up to)\W+(?:(?:of|size|is|to|with|a|an|the|up|length)\W+)*$`)
	// notTrainingAfterRe: the same, for the words just after ("1M-token context window").
	notTrainingAfterRe = lazyre.New(`(?i)^\W{0,3}(?:context|window|sequence|per\b|/|vocab|batch|limit|long\b|input|output|prompt)`)
	// afterCueRe: "2T tokens of training data", "2T tokens from the pretraining mix".
	afterCueRe = lazyre.New(`(?i)^\s+(?:of|from|during|in)\b`)
	// tokenKeyCellRe is a table cell or list label that names the training token count.
	tokenKeyCellRe = lazyre.New(`(?i)^(?:#\s*|num(?:ber of)?\s+|total\s+)?(?:(?:pre-?)?train(?:ing|ed)?\s+tokens?|tokens?\s+(?:seen|trained|used)|(?:pre-?)?training\s+(?:data|corpus)\s+(?:size|tokens)(?:\s*\(tokens\))?|tokens)$`)
	// tokenLabelRe finds "Training tokens: 4T" in a list or a sentence.
	tokenLabelRe = lazyre.New(`(?i)(?:^|[^\w])((?:pre-?)?training tokens|tokens (?:seen|trained))\W{0,4}[:=]\W{0,4}`)
)

// unitScale is the multiplier of each unit word.
var unitScale = map[string]float64{
	"": 1, "m": 1e6, "million": 1e6, "b": 1e9, "bn": 1e9, "billion": 1e9, "t": 1e12, "tn": 1e12, "trillion": 1e12,
}

// ParseTrainingTokens reads a line of prose that states how many tokens a model was trained
// on ("trained on 2 trillion tokens", "pre-trained on 15T+ tokens of web text") and returns the
// count. It ignores figures that are context windows, vocabularies, batch sizes or limits, and
// lines that do not speak of training. When a line states several counts it returns the
// largest, which is the total more often than not.
func ParseTrainingTokens(line string) (tokens int64, ok bool) {
	for _, sentence := range sentences(line) {
		for _, m := range tokenStmtRe.FindAllStringSubmatchIndex(sentence, -1) {
			n, good := scaled(sentence[m[2]:m[3]], groupText(sentence, m, 2))
			if !good {
				continue
			}
			// m[0] may include the one separator character before the figure.
			start, end := m[2], m[1]
			before, after := sentence[:start], sentence[end:]
			if notTrainingBeforeRe.MatchString(tail(before, 48)) || notTrainingAfterRe.MatchString(after) {
				continue
			}
			cue := trainCueRe.MatchString(before) || trainCueRe.MatchString(sentence[start:end]) ||
				afterCueRe.MatchString(after) && trainCueRe.MatchString(head(after, 48))
			if !cue {
				continue
			}
			if n > tokens {
				tokens, ok = n, true
			}
		}
	}
	return tokens, ok
}

// parseTokenValue reads a value such as "4T", "2 trillion", "1.5e12" or "15T+ tokens": a table
// cell, a front-matter string or what follows a "Training tokens:" label.
func parseTokenValue(s string) (int64, bool) {
	m := tokenValueRe.FindStringSubmatch(s)
	if m == nil {
		return 0, false
	}
	return scaled(m[1], m[2])
}

// scaled turns a figure and a unit into a count within the plausible range.
func scaled(num, unit string) (int64, bool) {
	f, err := strconv.ParseFloat(strings.ReplaceAll(num, ",", ""), 64)
	if err != nil {
		return 0, false
	}
	f *= unitScale[strings.ToLower(unit)]
	if math.IsNaN(f) || f < minTokens || f > maxTokens {
		return 0, false
	}
	return int64(math.Round(f)), true
}

func groupText(s string, m []int, g int) string {
	if m[2*g] < 0 {
		return ""
	}
	return s[m[2*g]:m[2*g+1]]
}

// sentences splits a line at sentence ends (". ", "; ", "! ", "? "), keeping decimals whole.
func sentences(line string) []string {
	var out []string
	start := 0
	for i := 0; i+1 < len(line); i++ {
		switch line[i] {
		case '.', ';', '!', '?':
			if line[i+1] == ' ' {
				out = append(out, line[start:i+1])
				start = i + 1
			}
		}
	}
	return append(out, line[start:])
}

func tail(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[len(s)-n:]
}

func head(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}

// trainingTokens fills Facts.TrainingTokens from, in order of precedence: a front-matter key, a
// config.json key, then the card body (a table or list that labels the count, or a sentence
// about training), first statement in card order.
func (v *view) trainingTokens() {
	set := func(n int64, ev string) {
		v.facts.TrainingTokens = n
		v.facts.TrainingTokensEvidence = []string{ev}
	}
	for _, k := range tokenKeys {
		if n, ok := numericTokens(v.card.Raw[k]); ok {
			set(n, v.cardField(k, HumanTokens(n)))
			return
		}
	}
	if v.config != nil {
		for _, k := range tokenKeys {
			if n, ok := numericTokens(v.config[k]); ok {
				line := v.jsonKeyLine("config.json", k)
				set(n, v.fileEvidence("config.json", line, line))
				return
			}
		}
	}
	if n, line, ok := bodyTokens(v.card.Body); ok {
		ln := v.card.BodyStartLine + line
		set(n, v.cardLine(ln, strings.TrimSpace(strings.Split(v.card.Body, "\n")[line])))
	}
}

// numericTokens reads a front-matter or JSON value: a number or a string such as "2T".
func numericTokens(x any) (int64, bool) {
	var f float64
	switch n := x.(type) {
	case float64:
		f = n
	case int:
		f = float64(n)
	case int64:
		f = float64(n)
	case uint64:
		f = float64(n)
	case string:
		return parseTokenValue(n)
	default:
		return 0, false
	}
	if math.IsNaN(f) || f < minTokens || f > maxTokens {
		return 0, false
	}
	return int64(f), true
}

// jsonKeyLine finds the line of a text file on which the JSON key "key" appears (0 when not
// found, which makes the evidence cite the whole file).
func (v *view) jsonKeyLine(p, key string) int {
	t, ok := v.rel.Text(p)
	if !ok {
		return 0
	}
	for i, l := range strings.Split(t.Content, "\n") {
		if strings.Contains(l, `"`+key+`"`) {
			return i + 1
		}
	}
	return 0
}

// bodyTokens finds the first statement of a training token count in a card body and returns it
// with its 0-based line index in body. Fenced code and HTML comments are skipped: a command
// line's --max-tokens is not a claim about training.
func bodyTokens(body string) (tokens int64, line int, ok bool) {
	lines := strings.Split(body, "\n")
	fence := ""
	for i := 0; i < len(lines); i++ {
		l := lines[i]
		t := strings.TrimSpace(l)
		if fence != "" {
			if strings.HasPrefix(t, fence) {
				fence = ""
			}
			continue
		}
		if strings.HasPrefix(t, "```") || strings.HasPrefix(t, "~~~") {
			fence = t[:3]
			continue
		}
		if strings.HasPrefix(t, "<!--") {
			continue
		}
		if strings.Contains(t, "|") && i+1 < len(lines) && isDelimiterRow(lines[i+1]) {
			end := i + 2
			for end < len(lines) && strings.Contains(lines[end], "|") {
				end++
			}
			if n, at, found := tableTokens(lines[i:end]); found {
				return n, i + at, true
			}
			i = end - 1
			continue
		}
		if m := tokenLabelRe.FindStringIndex(l); m != nil {
			if n, found := parseTokenValue(l[m[1]:]); found {
				return n, i, true
			}
		}
		if n, found := ParseTrainingTokens(l); found {
			return n, i, true
		}
	}
	return 0, 0, false
}

// tableTokens reads a Markdown table (header row, delimiter row, data rows). A row whose first
// cell labels the token count ("| Training tokens | 4T |") gives it; so does such a column, but
// only when the table has a single data row, because comparison tables list other models too.
// at is the row's index in rows.
func tableTokens(rows []string) (tokens int64, at int, ok bool) {
	header := cells(rows[0])
	data := rows[2:]
	for i, r := range append([]string{rows[0]}, data...) {
		c := cells(r)
		if len(c) >= 2 && tokenKeyCellRe.MatchString(cleanCell(c[0])) {
			if n, found := parseTokenValue(cleanCell(c[1])); found {
				if i > 0 {
					i++ // skip the delimiter row
				}
				return n, i, true
			}
		}
	}
	if len(data) != 1 {
		return 0, 0, false
	}
	row := cells(data[0])
	for j, h := range header {
		if j < len(row) && tokenKeyCellRe.MatchString(cleanCell(h)) {
			if n, found := parseTokenValue(cleanCell(row[j])); found {
				return n, 2, true
			}
		}
	}
	return 0, 0, false
}

var delimCellRe = lazyre.New(`^:?-+:?$`)

func isDelimiterRow(l string) bool {
	c := cells(l)
	if len(c) == 0 || !strings.Contains(l, "-") {
		return false
	}
	for _, x := range c {
		if !delimCellRe.MatchString(x) {
			return false
		}
	}
	return true
}

// cells splits a Markdown table row into trimmed cells, dropping the outer pipes.
func cells(row string) []string {
	row = strings.TrimSpace(row)
	row = strings.TrimPrefix(row, "|")
	row = strings.TrimSuffix(row, "|")
	parts := strings.Split(row, "|")
	for i, p := range parts {
		parts[i] = strings.TrimSpace(p)
	}
	return parts
}

// cleanCell drops emphasis and a trailing colon from a cell.
func cleanCell(s string) string {
	s = strings.Trim(s, "*_` ")
	return strings.TrimSpace(strings.TrimSuffix(s, ":"))
}

// HumanTokens renders a token count the way cards do (2T, 1.5T, 300B).
func HumanTokens(n int64) string {
	switch {
	case n >= 1e12:
		return trimZero(float64(n)/1e12) + "T"
	case n >= 1e9:
		return trimZero(float64(n)/1e9) + "B"
	}
	return HumanParams(n)
}

// ---- usage information

// usageRules classify card headings; the first rule that matches wins, so the broader words
// come last.
var usageRules = []struct {
	kind string
	re   *lazyre.Regexp
}{
	{UsageLimitations, lazyre.New(`(?i)\blimitations?\b|\bbias(es)?\b|\brisks?\b|\bknown issues\b`)},
	{UsageHowTo, lazyre.New(`(?i)\bhow to (use|run|get started)\b|\bquick ?start\b|\bgetting started\b|^usage\b|\busage( examples?| guide| instructions)?$|\binference\b|\bintegrat(e|ion)\b|\bexample usage\b|\bcode examples?\b`)},
	{UsageModalities, lazyre.New(`(?i)\binputs?\b.*\boutputs?\b|\bmodalit(y|ies)\b`)},
	{UsageUses, lazyre.New(`(?i)^(\d+(\.\d+)*\.?\s*)?uses$|\bintended (use|uses|use cases|purpose)\b|\b(direct|downstream|out[- ]of[- ]scope|primary|recommended|prohibited|misuse and out-of-scope) uses?\b|\buse cases\b|\bcapabilities\b`)},
}

// notUsageRe: headings about terms, not use.
var notUsageRe = lazyre.New(`(?i)licen[cs]e|terms|policy|citation|acknowledg`)

// placeholderRe: the text the Hub's card template leaves in sections nobody filled.
var placeholderRe = lazyre.New(`(?i)\[more information needed\]|<!--.*?-->`)

// minUsageText is the least section text that says something (a sentence, not "TBD").
const minUsageText = 40

func (v *view) usage() {
	seen := map[string]bool{}
	for _, s := range v.card.Sections(func(card.Heading) bool { return true }) {
		h := strings.TrimSpace(s.Heading.Text)
		if notUsageRe.MatchString(h) {
			continue
		}
		kind := ""
		for _, r := range usageRules {
			if r.re.MatchString(h) {
				kind = r.kind
				break
			}
		}
		if kind == "" || seen[kind+"\x00"+h] {
			continue
		}
		if len(strings.TrimSpace(placeholderRe.ReplaceAllString(s.Text, ""))) < minUsageText {
			continue
		}
		seen[kind+"\x00"+h] = true
		v.facts.Usage = append(v.facts.Usage, UsageInfo{Kind: kind, Heading: h, Evidence: []string{v.cardLine(s.Heading.Line, h)}})
	}
	if t := v.card.PipelineTag; t != "" {
		v.facts.Usage = append(v.facts.Usage, UsageInfo{Kind: UsageModalities, Heading: "pipeline_tag: " + t, Evidence: []string{v.cardField("pipeline_tag", t)}})
	}
	sort.SliceStable(v.facts.Usage, func(i, j int) bool { return usageRank(v.facts.Usage[i].Kind) < usageRank(v.facts.Usage[j].Kind) })
}

func usageRank(kind string) int {
	switch kind {
	case UsageUses:
		return 0
	case UsageHowTo:
		return 1
	case UsageLimitations:
		return 2
	}
	return 3
}

// ---- access

func (v *view) access() {
	a := &v.facts.Access
	a.Evidence = []string{}
	if h := v.rel.Hub; h != nil {
		a.Hub = true
		a.Gate = strings.ToLower(h.Gated)
		if a.Gate == "false" {
			a.Gate = ""
		}
		excerpt := "gated: " + a.Gate
		if a.Gate == "" {
			excerpt = "gated: false"
		}
		a.Evidence = append(a.Evidence, v.ev.add("hub", "hf:"+h.ID+"#gated", "", excerpt))
	}
	if len(v.card.GatedFields) > 0 {
		a.Form = append([]string{}, v.card.GatedFields...)
		a.Evidence = append(a.Evidence, v.cardField("extra_gated_fields", strings.Join(a.Form, ", ")))
	}
}
