// Package report writes the state of openness a census found: Markdown and a self-contained HTML
// page with charts, and the per-model table as CSV, JSON Lines and Parquet.
package report

// Row is what a census keeps of one model's audit: one line of the per-model table and the input
// of every chart. Field names and tags are the columns of the CSV, JSON Lines and Parquet files
// (extend, never rename).
type Row struct {
	// ID is the Hub's ORG/NAME; Org its organisation.
	ID  string `json:"id" parquet:"id"`
	Org string `json:"org" parquet:"org"`
	// SHA is the commit audited.
	SHA string `json:"sha" parquet:"sha"`
	// Mode is "metadata" (judged from the listing entry alone: card metadata, file names,
	// parameter counts, gating) or "deep" (the README prose, licence texts and weights headers
	// read as well).
	Mode string `json:"mode" parquet:"mode"`
	// Status is "audited" or "unreadable" (then Error says why and the verdicts are empty).
	Status string `json:"status" parquet:"status"`
	Error  string `json:"error,omitempty" parquet:"error"`
	// Tier is the G7 label; TierRank its order (store.TierRank: 0 insufficient-evidence … 5).
	Tier     string `json:"tier" parquet:"tier"`
	TierRank int    `json:"tier_rank" parquet:"tier_rank"`
	// MOFClass is the Model Openness Framework class met (1 best, 3 lowest, 0 none).
	MOFClass int `json:"mof_class" parquet:"mof_class"`
	// OSAID is the OSI Open Source AI Definition verdict; OSAIScore the OSAI index score.
	OSAID     string  `json:"osaid" parquet:"osaid"`
	OSAIScore float64 `json:"osai_score" parquet:"osai_score"`
	// EUAIAct is the open-source exemption outcome.
	EUAIAct string `json:"euaiact" parquet:"euaiact"`
	// WeightsLicense is the weights' licence expression; WeightsOpen whether it is an open one.
	WeightsLicense string `json:"weights_license" parquet:"weights_license"`
	WeightsOpen    bool   `json:"weights_open" parquet:"weights_open"`
	// LicenseFamily is the family of the weights' licence (apache, mit, llama, gemma, openrail,
	// creative-commons, …), empty when unknown.
	LicenseFamily string `json:"license_family" parquet:"license_family"`
	// Licenses are the catalogue keys of every licence found; Terms the weights' restrictions by
	// term name (non-commercial, user-cap, …); Findings the finding ids.
	Licenses []string `json:"licenses" parquet:"licenses,list"`
	Terms    []string `json:"terms" parquet:"terms,list"`
	Findings []string `json:"findings" parquet:"findings,list"`
	// ClaimsOpenSource: the release calls itself open source.
	ClaimsOpenSource bool `json:"claims_open_source" parquet:"claims_open_source"`
	// InheritedConflict: the release declares terms more permissive than its base model's
	// (license-conflict); BaseFamily is the licence family of its base models.
	InheritedConflict bool     `json:"inherited_conflict" parquet:"inherited_conflict"`
	BaseModels        []string `json:"base_models" parquet:"base_models,list"`
	BaseFamily        string   `json:"base_family" parquet:"base_family"`
	Library           string   `json:"library" parquet:"library"`
	Task              string   `json:"task" parquet:"task"`
	Gated             bool     `json:"gated" parquet:"gated"`
	Downloads         int64    `json:"downloads" parquet:"downloads"`
	Likes             int64    `json:"likes" parquet:"likes"`
	// CreatedAt and LastModified are the Hub's timestamps (RFC 3339), as listed.
	CreatedAt    string `json:"created_at" parquet:"created_at"`
	LastModified string `json:"last_modified" parquet:"last_modified"`
	// AuditID is the stored audit (the full report, on the model's page), empty when unreadable.
	AuditID string `json:"audit_id" parquet:"audit_id"`
}
