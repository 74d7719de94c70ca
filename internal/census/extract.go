package census

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/glassbox-dev/glassbox/internal/card"
	"github.com/glassbox-dev/glassbox/internal/census/report"
	"github.com/glassbox-dev/glassbox/internal/evidence"
	"github.com/glassbox-dev/glassbox/internal/license"
	"github.com/glassbox-dev/glassbox/internal/source/hub"
	"github.com/glassbox-dev/glassbox/internal/store"
)

// rowFields are the parts of a glassbox.report/v1 document a census row needs beyond the
// store's index.
type rowFields struct {
	Weights struct {
		Licenses []string `json:"licenses"`
	} `json:"weights"`
	Licenses []struct {
		Key   string `json:"key"`
		Scope string `json:"scope"`
	} `json:"licenses"`
	Lineage []struct {
		Ref string `json:"ref"`
		Key string `json:"key"`
	} `json:"lineage"`
	Claims []struct {
		Kind string `json:"kind"`
	} `json:"claims"`
}

// rowOf turns a stored report, the index the store read from it and the model's listing entry
// into the census's row.
func rowOf(doc []byte, idx store.Index, e hub.ListEntry, mode, auditID string) (report.Row, error) {
	var f rowFields
	if err := json.Unmarshal(doc, &f); err != nil {
		return report.Row{}, fmt.Errorf("report: %v", err)
	}
	r := entryRow(e)
	r.Mode, r.Status, r.AuditID = mode, statusAudited, auditID
	r.Tier, r.TierRank, r.MOFClass = idx.Tier, idx.TierRank, idx.MOFClass
	r.OSAID, r.OSAIScore, r.EUAIAct = idx.OSAID, idx.OSAIScore, idx.EUAIAct
	r.WeightsLicense, r.WeightsOpen = idx.WeightsLicense, idx.WeightsOpen
	r.Licenses, r.Terms, r.Findings = nonNil(idx.Licenses), nonNil(idx.Restrictions), nonNil(idx.Findings)
	r.Library, r.Task = idx.Library, idx.Task
	cat := license.Default()
	r.LicenseFamily = weightsFamily(cat, f)
	for _, c := range f.Claims {
		r.ClaimsOpenSource = r.ClaimsOpenSource || c.Kind == card.ClaimOpenSource
	}
	for _, id := range idx.Findings {
		r.InheritedConflict = r.InheritedConflict || id == "license-conflict"
	}
	r.BaseModels = []string{}
	for _, p := range f.Lineage {
		r.BaseModels = append(r.BaseModels, strings.TrimPrefix(p.Ref, "hf:"))
		if fam := familyOf(cat, p.Key); fam != "" && r.BaseFamily == "" {
			r.BaseFamily = fam
		}
	}
	return r, nil
}

// weightsFamily is the family of the first licence the report scopes to the weights (or to the
// whole release), else of the first licence found.
func weightsFamily(cat *license.Catalogue, f rowFields) string {
	for _, l := range f.Licenses {
		if l.Scope == evidence.ScopeWeights || l.Scope == evidence.ScopeRelease {
			if fam := familyOf(cat, l.Key); fam != "" {
				return fam
			}
		}
	}
	if len(f.Licenses) > 0 {
		return familyOf(cat, f.Licenses[0].Key)
	}
	return ""
}

// familyOf is a catalogue key's family: the catalogue's own family (llama, gemma, openrail,
// creative-commons …), else the key itself for a licence of no family (apache-2.0, mit).
func familyOf(cat *license.Catalogue, key string) string {
	if key == "" {
		return ""
	}
	if es := cat.Versions(key); len(es) > 0 && es[0].Family != "" {
		return es[0].Family
	}
	return key
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
