package eval

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/glassbox-dev/glassbox/internal/license"
)

const (
	licenceTextsWant = 29
	licenceArea      = "Licence identification"
)

// primary is the licence a text is mostly made of: the text or fingerprint match with the
// largest coverage (the first of equals). Identifier lines name a licence without being one.
func primary(ms []license.Match) (license.Match, bool) {
	var best license.Match
	found := false
	for _, m := range ms {
		if m.How == "identifier" {
			continue
		}
		if !found || m.Coverage > best.Coverage {
			best, found = m, true
		}
	}
	return best, found
}

// describeMatches writes matches as key@version[how coverage], for disagreements.
func describeMatches(ms []license.Match) string {
	if len(ms) == 0 {
		return "no match"
	}
	var s []string
	for _, m := range ms {
		s = append(s, fmt.Sprintf("%s@%s[%s %.2f]", m.Key, m.Version, m.How, m.Coverage))
	}
	return strings.Join(s, " ")
}

// licenceTexts identifies the ScanCode AI licence texts, as stored, and expects the key and
// version texts-expected.tsv gives.
func licenceTexts(dir string, rep *Report) {
	const measure = "AI licence texts: key and version (texts-expected.tsv)"
	rows, err := readTSV(filepath.Join(dir, "licenses", "texts-expected.tsv"))
	if err != nil {
		noData(rep, licenceArea, measure, licenceTextsWant, err)
		return
	}
	cat := license.Default()
	row := Row{Area: licenceArea, Measure: measure, Want: licenceTextsWant, Bar: 100}
	for _, r := range rows {
		row.Total++
		file, want := r["file"], r["key"]+"@"+r["version"]
		data, err := os.ReadFile(filepath.Join(dir, "licenses", "texts", file))
		if err != nil {
			rep.Disagreements = append(rep.Disagreements, Disagreement{Area: licenceArea, ID: file, Field: "key@version", Glassbox: "error: " + err.Error(), Expected: want})
			continue
		}
		ms := cat.Identify(string(data))
		if p, ok := primary(ms); ok && p.Key+"@"+p.Version == want {
			row.Passed++
			continue
		}
		rep.Disagreements = append(rep.Disagreements, Disagreement{Area: licenceArea, ID: file, Field: "key@version", Glassbox: describeMatches(ms), Expected: want})
	}
	rep.Rows = append(rep.Rows, row)
}

// licencesInTheWild identifies LICENSE and policy files as found in model repositories and
// expects labels.tsv's key. Rows labelled skip (an unofficial paraphrase) are not scored.
func licencesInTheWild(dir string, rep *Report) {
	const measure = "in-the-wild LICENSE files: key (labels.tsv, skip rows excluded)"
	wild := filepath.Join(dir, "licenses", "in-the-wild")
	rows, err := readTSV(filepath.Join(wild, "labels.tsv"))
	if err != nil {
		noData(rep, licenceArea, measure, 0, err)
		return
	}
	cat := license.Default()
	row := Row{Area: licenceArea, Measure: measure, Bar: 100}
	for _, r := range rows {
		file, key := r["file"], r["key"]
		if key == "skip" {
			continue
		}
		row.Total++
		data, err := os.ReadFile(filepath.Join(wild, file))
		if err != nil {
			rep.Disagreements = append(rep.Disagreements, Disagreement{Area: licenceArea, ID: file, Field: "key", Glassbox: "error: " + err.Error(), Expected: key})
			continue
		}
		ms := cat.Identify(string(data))
		if p, ok := primary(ms); ok && p.Key == key {
			row.Passed++
			continue
		}
		rep.Disagreements = append(rep.Disagreements, Disagreement{Area: licenceArea, ID: file, Field: "key", Glassbox: describeMatches(ms), Expected: key})
	}
	rep.Rows = append(rep.Rows, row)
}
