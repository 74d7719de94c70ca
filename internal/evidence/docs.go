package evidence

import (
	"strings"

	"github.com/glassbox-dev/glassbox/internal/card"
	"github.com/glassbox-dev/glassbox/internal/lazyre"
)

// Documentation topics the OSAI index asks about and that no MOF component names on its own
// (evaluation has one: Evaluation results). A topic counts when a card section on it says
// more than a sentence, or when a card line states it outright (GPU counts, layer sizes).
const (
	TopicHardware     = "hardware"     // the hardware the model was trained on
	TopicArchitecture = "architecture" // the model's architecture, described in prose or a table
	TopicTraining     = "training"     // how the model was (pre-)trained
	TopicTuning       = "tuning"       // how it was fine-tuned, instruction-tuned or aligned
	TopicCode         = "code"         // how to run the training and data code (docs, guides)
)

// Doc is one place where the release documents a topic.
type Doc struct {
	Topic string `json:"topic"`
	// Location is a card span ("README.md:42") or a documentation file's path.
	Location string `json:"location"`
	// Brief: a one-line statement under a label ("Model Architecture: an auto-regressive
	// transformer …"), which says what the topic is but does not document it in full.
	Brief    bool     `json:"brief,omitempty"`
	Evidence []string `json:"evidence"`
}

// Publication is a peer-reviewed publication the card cites: a link to a venue's proceedings,
// a DOI from a publisher of reviewed work, or a BibTeX entry for a conference or journal.
type Publication struct {
	// Venue names where it appeared, as far as the citation says ("ACL Anthology", "ACM").
	Venue string `json:"venue"`
	// Ref is the URL, DOI or BibTeX key as written.
	Ref      string   `json:"ref"`
	Evidence []string `json:"evidence"`
}

// archStatementRe finds a labelled architecture statement that says something: "**Model
// Architecture:** an auto-regressive language model that uses an optimized transformer
// architecture…", the label followed by a sentence naming how the network is built. A label
// with a word or two after it ("Architecture: decoder") is not documentation.
var archStatementRe = lazyre.New(`(?i)^\W*(?:model )?architecture\W*:?\W*\s+\S.{40,}\b(?:transformer|attention|decoder|encoder|layers?|experts?|mixture|auto-?regressive|convolution\w*|diffusion|u-?net|recurrent|state[- ]space|embedding)\b`)

// docRule finds one topic: card headings whose section says enough, and, failing those, a card
// line that states the topic outright.
type docRule struct {
	topic   string
	heading *lazyre.Regexp
	minLen  int
	line    *lazyre.Regexp
}

var docRules = []docRule{
	{TopicHardware,
		lazyre.New(`(?i)hardware|compute infrastructure|^infrastructure$|^compute$|training (setup|cluster|infrastructure|environment)`), 30,
		lazyre.New(`(?i)\b\d[\d,.]*\s*(x|×)?\s*(nvidia\s+)?(a100|h100|h200|h800|a800|v100|b200|gh200|mi250x?|mi300x?|tpu\s?v\d+\w*)\b|\b\d[\d,.]*\s+(gpus|tpus|accelerators|nodes)\b|\b(gpu|tpu)[- ]hours\b`)},
	{TopicArchitecture,
		lazyre.New(`(?i)architecture|model (structure|design)`), 30,
		// One "Architecture: a decoder" line is a label, not documentation; the sizes are.
		lazyre.New(`(?i)^\|?\s*(\*\*)?(number of layers|num[_ ]layers|n_layers|layers|hidden size|hidden dimension|d_model|attention heads|number of heads)(\*\*)?\s*\|\s*\d`)},
	{TopicTraining,
		lazyre.New(`(?i)^(pre-?)?training( (details|procedure|process|recipe|setup|hyper-?parameters))?$|training (procedure|details|recipe|process)`), 120, nil},
	{TopicTuning,
		lazyre.New(`(?i)fine-?tun|instruction[- ]tun|post-?training|alignment|\b(rlhf|dpo|sft)\b`), 120, nil},
	{TopicCode,
		lazyre.New(`(?i)reproduc|how to (train|fine-?tune|pre-?train)|training (code|scripts?)|train(ing)? (your own|from scratch)`), 60, nil},
}

// docFileRe matches documentation files beside the card: a docs folder, guides named after
// training or reproduction, and READMEs of code folders.
var docFileRe = lazyre.New(`(?i)(^|/)docs?/.+\.(md|rst|txt|html)$|(^|/)[a-z0-9_-]*(train|tun|reproduc|recipe|howto|how_to|guide)[a-z0-9_-]*\.(md|rst)$|.+/readme\.(md|rst)$`)

// docs records the documentation topics the card and documentation files cover, and the
// peer-reviewed publications the card cites.
func (v *view) docs() {
	for _, r := range docRules {
		hits := v.section(r.heading, r.minLen, false)
		if len(hits) == 0 && r.line != nil {
			hits = v.bodyMatch(r.line)
		}
		brief := false
		if len(hits) == 0 && r.topic == TopicArchitecture {
			hits, brief = v.bodyMatch(archStatementRe), true
		}
		for _, h := range hits {
			v.facts.Docs = append(v.facts.Docs, Doc{Topic: r.topic, Location: h.loc, Brief: brief, Evidence: []string{h.ev}})
		}
	}
	for _, f := range v.files {
		if f.Path == v.cardPath || !docFileRe.MatchString(f.Path) || datacardRe.MatchString(f.Path) {
			continue
		}
		ev := v.inventory(f.Path)
		if _, ok := v.rel.Text(f.Path); ok {
			ev = v.fileEvidence(f.Path, 0, 0)
		}
		v.facts.Docs = append(v.facts.Docs, Doc{Topic: TopicCode, Location: f.Path, Evidence: []string{ev}})
	}
	v.publications()
}

// venueHosts maps the hosts of proceedings and journals to the venue they publish. OpenReview
// also hosts submissions under review; the framework says so when it relies on one.
var venueHosts = []struct{ host, venue string }{
	{"aclanthology.org", "ACL Anthology"},
	{"aclweb.org/anthology", "ACL Anthology"},
	{"proceedings.neurips.cc", "NeurIPS"},
	{"papers.nips.cc", "NeurIPS"},
	{"papers.neurips.cc", "NeurIPS"},
	{"proceedings.mlr.press", "PMLR (ICML, AISTATS, COLT …)"},
	{"jmlr.org", "JMLR / TMLR"},
	{"openreview.net", "OpenReview (ICLR, TMLR, COLM …)"},
	{"openaccess.thecvf.com", "CVF (CVPR, ICCV)"},
	{"ojs.aaai.org", "AAAI"},
	{"ijcai.org/proceedings", "IJCAI"},
	{"dl.acm.org", "ACM"},
	{"ieeexplore.ieee.org", "IEEE"},
	{"link.springer.com", "Springer"},
	{"nature.com", "Nature"},
	{"science.org", "Science"},
	{"isca-archive.org", "ISCA (Interspeech)"},
	{"isca-speech.org", "ISCA (Interspeech)"},
	{"jair.org", "JAIR"},
}

// venueDOIs maps DOI prefixes of publishers of peer-reviewed work to the publisher.
var venueDOIs = []struct{ prefix, venue string }{
	{"10.18653/", "ACL Anthology"},
	{"10.1145/", "ACM"},
	{"10.1109/", "IEEE"},
	{"10.1007/", "Springer"},
	{"10.1038/", "Nature"},
	{"10.1126/", "Science"},
	{"10.1609/", "AAAI"},
	{"10.24963/", "IJCAI"},
	{"10.1162/", "MIT Press (TACL, Computational Linguistics)"},
	{"10.21437/", "ISCA (Interspeech)"},
	{"10.1613/", "JAIR"},
}

// preprintVenueRe matches BibTeX venues that are preprint servers, not reviewed venues.
var preprintVenueRe = lazyre.New(`(?i)arxiv|corr|preprint|biorxiv|ssrn|techreport|technical report`)

// bibVenueRe finds a BibTeX entry's booktitle or journal.
var bibVenueRe = lazyre.New(`(?i)^\s*(booktitle|journal)\s*=\s*[{"]+\s*([^}"]*)`)

func (v *view) publications() {
	seen := map[string]bool{}
	add := func(venue, ref string, line int) {
		if seen[strings.ToLower(ref)] {
			return
		}
		seen[strings.ToLower(ref)] = true
		v.facts.Publications = append(v.facts.Publications, Publication{Venue: venue, Ref: ref, Evidence: []string{v.cardLine(line, ref)}})
	}
	for _, l := range v.card.Links {
		if l.Image {
			continue
		}
		if venue := hostVenue(l.URL); venue != "" {
			add(venue, l.URL, l.Line)
		}
	}
	for _, p := range v.card.Papers {
		switch p.Kind {
		case card.PaperDOI:
			if venue := doiVenue(p.ID); venue != "" {
				add(venue, "doi:"+p.ID, p.Line)
			}
		case card.PaperBibTeX:
			if venue := v.bibVenue(p.Line); venue != "" {
				add(venue, p.ID, p.Line)
			}
		}
	}
}

func hostVenue(u string) string {
	l := strings.ToLower(u)
	if !strings.HasPrefix(l, "http://") && !strings.HasPrefix(l, "https://") {
		return ""
	}
	l = strings.TrimPrefix(strings.TrimPrefix(l, "http://"), "https://")
	l = strings.TrimPrefix(l, "www.")
	for _, h := range venueHosts {
		if strings.HasPrefix(l, h.host) && len(l) > len(h.host)+1 {
			return h.venue
		}
	}
	return ""
}

func doiVenue(doi string) string {
	for _, d := range venueDOIs {
		if strings.HasPrefix(strings.ToLower(doi), d.prefix) {
			return d.venue
		}
	}
	return ""
}

// bibVenue returns the conference or journal of the BibTeX entry starting on card line line,
// or "" when it names none or a preprint server.
func (v *view) bibVenue(line int) string {
	lines := strings.Split(v.card.Body, "\n")
	start := line - v.card.BodyStartLine
	if v.card.BodyStartLine == 0 || start < 0 || start >= len(lines) {
		return ""
	}
	for i := start; i < len(lines) && i < start+40; i++ {
		if i > start && strings.Contains(lines[i], "@") && strings.Contains(lines[i], "{") && strings.HasPrefix(strings.TrimSpace(lines[i]), "@") {
			return "" // the next entry began
		}
		if m := bibVenueRe.FindStringSubmatch(lines[i]); m != nil {
			venue := strings.TrimSpace(m[2])
			if venue == "" || preprintVenueRe.MatchString(venue) {
				return ""
			}
			return venue
		}
	}
	return ""
}

// DocsOn returns the documentation of one topic.
func (f *Facts) DocsOn(topic string) []Doc {
	var out []Doc
	for _, d := range f.Docs {
		if d.Topic == topic {
			out = append(out, d)
		}
	}
	return out
}
