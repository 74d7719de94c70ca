package report

import (
	"fmt"
)

// section is one chart of the report with the numbers behind it: the HTML draws Chart and
// shows the table; the Markdown shows the notes and the table.
type section struct {
	ID, Title, Caption string
	Chart              svg
	Notes              []string
	Head               []string
	Rows               [][]string
}

// sections are the report's charts, in reading order.
func sections(s *Summary) []section {
	return []section{
		tiersSection(s), downloadsSection(s), monthsSection(s), orgsSection(s),
		familiesSection(s), termsSection(s), conflictsSection(s), claimsSection(s),
		mofSection(s), euSection(s), modesSection(s),
	}
}

func tierFill(c count) string { return tierColours[max(rankOf(c.Key), 0)] }
func accentFill(count) string { return accent }

// countTable is a table of labelled counts with each one's share of total.
func countTable(label string, cs []count, total int64) ([]string, [][]string) {
	rows := make([][]string, len(cs))
	for i, c := range cs {
		rows[i] = []string{c.Key, num(c.N), pct(ratio(c.N, total))}
	}
	return []string{label, "Models", "Share"}, rows
}

func tiersSection(s *Summary) section {
	cs := tierCounts(s.Tiers)
	head, rows := countTable("Tier", cs, s.Audited)
	return section{ID: "tiers", Title: "Tier distribution", Caption: "Audited models by G7 tier (unreadable models are not counted).",
		Chart: hbars(countBars(cs, tierFill), nil, num), Head: head, Rows: rows}
}

func downloadsSection(s *Summary) section {
	cs := tierCounts(s.Downloads)
	total := s.Downloads.Total()
	rows := make([][]string, len(cs))
	for i, c := range cs {
		rows[i] = []string{c.Key, num(c.N), pct(ratio(c.N, total))}
	}
	return section{ID: "downloads", Title: "Tier distribution weighted by downloads",
		Caption: "Downloads of audited models as the Hub listed them, summed by tier: what people actually fetch.",
		Chart:   hbars(countBars(cs, tierFill), nil, num), Head: []string{"Tier", "Downloads", "Share"}, Rows: rows}
}

func monthsSection(s *Summary) section {
	line, unknown := months(s.Months)
	bars := make([]bar, len(line))
	rows := make([][]string, 0, len(line)+1)
	for i, m := range line {
		bars[i] = bar{m.Key, tierSegs(m.T)}
		if m.T.Total() > 0 {
			rows = append(rows, tallyRow(m.Key, m.T))
		}
	}
	var notes []string
	if n := unknown.Total(); n > 0 {
		rows = append(rows, tallyRow(Unknown, unknown))
		notes = append(notes, fmt.Sprintf("%s no creation date and %s not drawn.", models(n, "has", "have"), isAre(n)))
	}
	return section{ID: "months", Title: "Tiers by month of creation",
		Caption: "Audited models by the month the Hub says they were created (YYYY-MM), stacked by tier.",
		Chart:   stacks(bars, tierLegend()), Notes: notes, Head: tallyHead("Month"), Rows: rows}
}

// tallyHead and tallyRow are the columns of a tally table: a label, the total, each tier.
func tallyHead(label string) []string {
	return append([]string{label, "Models"}, TierNames[:]...)
}

func tallyRow(label string, t Tally) []string {
	row := []string{label, num(t.Total())}
	for _, v := range t {
		row = append(row, num(v))
	}
	return row
}

func orgsSection(s *Summary) section {
	orgs := orgsByCount(s.Orgs)
	bars := make([]bar, len(orgs))
	rows := make([][]string, len(orgs))
	for i, o := range orgs {
		bars[i] = bar{o.Key, tierSegs(o.T)}
		rows[i] = tallyRow(o.Key, o.T)
	}
	return section{ID: "orgs", Title: "Top organisations",
		Caption: fmt.Sprintf("The %d organisations with most audited models (of %s), the rest summed as other, with their tier mix.", topOrgs, num(int64(len(s.Orgs)))),
		Chart:   hbars(bars, tierLegend(), num), Head: tallyHead("Organisation"), Rows: rows}
}

func familiesSection(s *Summary) section {
	cs := byCount(s.LicenseFamilies, topCount)
	head, rows := countTable("Licence family", byCount(s.LicenseFamilies, 0), s.Audited)
	return section{ID: "licences", Title: "Licence families",
		Caption: "Audited models by the family of their weights' licence (unknown: none recognised).",
		Chart:   hbars(countBars(cs, accentFill), nil, num), Head: head, Rows: rows}
}

func termsSection(s *Summary) section {
	cs := byCount(s.Terms, topCount)
	head, rows := countTable("Restriction term", byCount(s.Terms, 0), s.Audited)
	return section{ID: "terms", Title: "Restriction terms",
		Caption: "Audited models whose weights' licence carries each restriction; a model counts once under each of its terms.",
		Chart:   hbars(countBars(cs, accentFill), nil, num), Head: head, Rows: rows}
}

func conflictsSection(s *Summary) section {
	bs := bases(s.BaseFamilies)
	var bars []bar
	rows := make([][]string, len(bs))
	for i, b := range bs {
		if b.Conflicts > 0 {
			bars = append(bars, bar{b.Key, []seg{{"relabelled as Apache", b.AsApache, tierColours[1]},
				{"relabelled as MIT", b.AsMIT, tierColours[2]}, {"other", b.Conflicts - b.AsApache - b.AsMIT, neutral}}})
		}
		rows[i] = []string{b.Key, num(b.Models), num(b.Conflicts), pct(b.Share()), num(b.AsApache), num(b.AsMIT)}
	}
	based, basedConflicts, conflicts := conflictTotals(s.BaseFamilies)
	notes := []string{fmt.Sprintf("%s terms more permissive than their base model's.", models(conflicts, "declares", "declare")),
		fmt.Sprintf("Of %s models whose base's licence family is known, %s (%s) conflict with it.", num(based), num(basedConflicts), pct(ratio(basedConflicts, based)))}
	legend := []swatch{{"relabelled as Apache", tierColours[1]}, {"relabelled as MIT", tierColours[2]}, {"other", neutral}}
	return section{ID: "conflicts", Title: "Inherited-licence conflicts",
		Caption: "Fine-tunes that declare terms more permissive than their base model's, by the base's licence family, and how they relabel it.",
		Chart:   hbars(bars, legend, num), Notes: notes,
		Head: []string{"Base family", "Models", "Conflicts", "Share", "As Apache", "As MIT"}, Rows: rows}
}

func claimsSection(s *Summary) section {
	claims, below := openwashing(s)
	cs := tierCounts(s.Claims)
	rows := make([][]string, len(cs))
	for i, c := range cs {
		rows[i] = []string{c.Key, num(c.N), num(s.Tiers[i]), pct(ratio(c.N, s.Tiers[i]))}
	}
	notes := []string{fmt.Sprintf("%s open source; %s of them (%s) %s below open-source-ai.", models(claims, "calls itself", "call themselves"), num(below), pct(ratio(below, claims)), isAre(below))}
	return section{ID: "claims", Title: "Open-source claims against tiers",
		Caption: "Models whose card or name calls them open source, by the tier they actually reach.",
		Chart:   hbars(countBars(cs, tierFill), nil, num), Notes: notes,
		Head: []string{"Tier", "Claiming open source", "Models", "Share claiming"}, Rows: rows}
}

func mofSection(s *Summary) section {
	cs := mofCounts(s)
	head, rows := countTable("MOF class", cs, s.Audited)
	return section{ID: "mof", Title: "MOF classes",
		Caption: "Audited models by the Model Openness Framework class they meet.",
		Chart:   hbars(countBars(cs, accentFill), nil, num), Head: head, Rows: rows}
}

func euSection(s *Summary) section {
	cs := euCounts(s.EUAIAct)
	head, rows := countTable("Outcome", cs, s.Audited)
	return section{ID: "euaiact", Title: "EU AI Act exemption outcomes",
		Caption: "Audited models by the outcome of the Article 53(2) open-source exemption check (not legal advice).",
		Chart:   hbars(countBars(cs, accentFill), nil, num), Head: head, Rows: rows}
}

func modesSection(s *Summary) section {
	cs := modeCounts(s)
	head, rows := countTable("Mode", cs, s.Rows)
	return section{ID: "modes", Title: "Metadata and deep mode",
		Caption: "Models judged from their listing entry (metadata), read in full (deep), and unreadable (counted in their mode too).",
		Chart:   hbars(countBars(cs, accentFill), nil, num), Head: head, Rows: rows}
}

// models counts models with the verb agreeing: "1 model has", "2 models have".
func models(n int64, one, many string) string {
	if n == 1 {
		return "1 model " + one
	}
	return num(n) + " models " + many
}

// isAre is the verb for n things.
func isAre(n int64) string {
	if n == 1 {
		return "is"
	}
	return "are"
}
