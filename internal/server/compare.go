package server

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/glassbox-dev/glassbox/internal/lazyre"
	"github.com/glassbox-dev/glassbox/internal/store"
)

// summary is the part of a report compared side by side and across a model's history.
type summary struct {
	Tier struct {
		Label string `json:"label"`
	} `json:"tier"`
	Frameworks struct {
		MOF struct {
			Label string `json:"label"`
		} `json:"mof"`
		OSAID struct {
			Verdict string `json:"verdict"`
		} `json:"osaid"`
		OSAI struct {
			Percent string `json:"percent"`
		} `json:"osai"`
		EU struct {
			Exemption string `json:"exemption"`
		} `json:"euaiact"`
	} `json:"frameworks"`
	Weights struct {
		Licenses     []string `json:"licenses"`
		Open         bool     `json:"open"`
		Restrictions []string `json:"restrictions"`
	} `json:"weights"`
	Findings []struct {
		ID       string `json:"id"`
		Severity string `json:"severity"`
		Message  string `json:"message"`
	} `json:"findings"`
}

func summarise(report []byte) (*summary, error) {
	var s summary
	if err := json.Unmarshal(report, &s); err != nil {
		return nil, err
	}
	return &s, nil
}

// License is the weights' licence expression, or "none found".
func (s *summary) License() string {
	if len(s.Weights.Licenses) == 0 {
		return "none found"
	}
	return strings.Join(s.Weights.Licenses, " AND ")
}

// findingIDs are the distinct finding ids, sorted.
func (s *summary) findingIDs() []string {
	var ids []string
	for _, f := range s.Findings {
		if !slices.Contains(ids, f.ID) {
			ids = append(ids, f.ID)
		}
	}
	slices.Sort(ids)
	return ids
}

// changes lists what differs from an older audit's summary to a newer one's, in words.
func changes(older, newer *summary) []string {
	var out []string
	pair := func(what, a, b string) {
		if a != b {
			out = append(out, fmt.Sprintf("%s: %s → %s", what, a, b))
		}
	}
	pair("tier", older.Tier.Label, newer.Tier.Label)
	pair("weights licence", older.License(), newer.License())
	pair("MOF", older.Frameworks.MOF.Label, newer.Frameworks.MOF.Label)
	pair("OSAID", older.Frameworks.OSAID.Verdict, newer.Frameworks.OSAID.Verdict)
	pair("OSAI index", older.Frameworks.OSAI.Percent, newer.Frameworks.OSAI.Percent)
	pair("EU AI Act 53(2)", older.Frameworks.EU.Exemption, newer.Frameworks.EU.Exemption)
	out = append(out, setChanges("restriction", older.Weights.Restrictions, newer.Weights.Restrictions)...)
	return append(out, setChanges("finding", older.findingIDs(), newer.findingIDs())...)
}

// setChanges words what was added to and removed from a set.
func setChanges(what string, older, newer []string) []string {
	var out []string
	for _, x := range newer {
		if !slices.Contains(older, x) {
			out = append(out, fmt.Sprintf("%s added: %s", what, x))
		}
	}
	for _, x := range older {
		if !slices.Contains(newer, x) {
			out = append(out, fmt.Sprintf("%s removed: %s", what, x))
		}
	}
	return out
}

// historyLimit bounds the audits whose reports the model page reads to show what changed.
const historyLimit = 20

// historyRow is one audit of a model page's history with what changed since the one before.
type historyRow struct {
	Audit   store.Audit
	Changes []string
	First   bool
}

// historyRows reads the reports of a model's latest audits (newest first) and words what
// changed between consecutive ones.
func (s *server) historyRows(r *http.Request, history []store.Audit) []historyRow {
	history = history[:min(len(history), historyLimit)]
	sums := make([]*summary, len(history))
	for i, h := range history {
		if a, err := s.cfg.Store.Get(r.Context(), h.ID); err == nil {
			sums[i], _ = summarise(a.Report)
		}
	}
	rows := make([]historyRow, len(history))
	for i, h := range history {
		rows[i] = historyRow{Audit: h, First: i == len(history)-1}
		if i+1 < len(history) && sums[i] != nil && sums[i+1] != nil {
			rows[i].Changes = changes(sums[i+1], sums[i])
		}
	}
	return rows
}

// maxCompare bounds the models one comparison shows.
const maxCompare = 8

var modelName = lazyre.New(`^(github:)?[A-Za-z0-9][A-Za-z0-9._-]*/[A-Za-z0-9][A-Za-z0-9._-]*$`)

// compared is one column of the comparison.
type compared struct {
	Model   store.Model
	Audit   *store.Audit
	Summary *summary
}

// compareColumns reads the latest audit of each ?m=ORG/NAME (up to maxCompare, each once); it
// writes the problem and returns false when the query or the store fails.
func (s *server) compareColumns(w http.ResponseWriter, r *http.Request) ([]compared, bool) {
	var cols []compared
	for _, m := range r.URL.Query()["m"] {
		m = strings.TrimSpace(m)
		if m == "" || slices.ContainsFunc(cols, func(c compared) bool { return c.Model.String() == m }) {
			continue
		}
		if !modelName.MatchString(m) || len(cols) == maxCompare {
			problem(w, http.StatusBadRequest, "bad comparison", fmt.Sprintf("compare up to %d models named ORG/NAME", maxCompare))
			return nil, false
		}
		org, name, _ := strings.Cut(m, "/")
		c := compared{Model: store.Model{Org: org, Name: name}}
		a, err := s.cfg.Store.Latest(r.Context(), c.Model)
		if err == nil {
			c.Audit = a
			c.Summary, _ = summarise(a.Report)
		} else if err != store.ErrNotFound {
			problem(w, http.StatusServiceUnavailable, "store unavailable", "the store could not be read; try again")
			return nil, false
		}
		cols = append(cols, c)
	}
	return cols, true
}

// comparePage shows two or more models side by side: /compare?m=ORG/NAME&m=ORG/NAME.
func (s *server) comparePage(w http.ResponseWriter, r *http.Request) {
	cols, ok := s.compareColumns(w, r)
	if !ok {
		return
	}
	render(w, "compare.html", map[string]any{"Columns": cols, "Slots": max(2, len(cols)+1)})
}

// compareAPI is /api/v1/compare?m=ORG/NAME&m=…: each model's latest audit (its index columns)
// side by side; a model never audited has no audit.
func (s *server) compareAPI(w http.ResponseWriter, r *http.Request) {
	cols, ok := s.compareColumns(w, r)
	if !ok {
		return
	}
	type entry struct {
		Model store.Model  `json:"model"`
		Audit *store.Audit `json:"audit"`
	}
	out := []entry{}
	for _, c := range cols {
		out = append(out, entry{c.Model, c.Audit})
	}
	writeJSON(w, http.StatusOK, map[string]any{"models": out})
}

// download sends a model's stored report (latest or ?revision=) as a JSON file.
func (s *server) download(w http.ResponseWriter, r *http.Request) {
	a, ok := s.requestedAudit(w, r)
	if !ok {
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s"`, downloadName(a)))
	_, _ = w.Write(a.Report)
}

// downloadName is ORG_NAME[_REV12].glassbox.json, with anything but [A-Za-z0-9._-] as "_".
func downloadName(a *store.Audit) string {
	base := a.Model.Org + "_" + a.Model.Name
	if a.Revision != "" {
		base += "_" + a.Revision[:min(len(a.Revision), 12)]
	}
	return strings.Map(func(r rune) rune {
		if r < 128 && (r == '.' || r == '-' || r == '_' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
			return r
		}
		return '_'
	}, base) + ".glassbox.json"
}
