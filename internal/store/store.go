// Package store keeps audits: every report whole (the glassbox.report/v1 JSON, byte for byte as
// written) with the columns a leaderboard filters on, the history of each model across revisions
// and glassbox versions, and the hashed write tokens of the server. One implementation over
// database/sql serves the embedded SQLite default (modernc.org/sqlite, pure Go, WAL) and
// PostgreSQL (jackc/pgx); goose migrations create the schema of either.
//
// A report is written in one transaction with its index rows and the model's pointer to its
// latest audit, so a reader never sees half of it, whatever happens to the writer.
package store

import (
	"context"
	"errors"
	"time"
)

// ErrNotFound means no audit matches.
var ErrNotFound = errors.New("not found")

// ErrNoSnapshot means an audit was saved without the snapshot it was made from.
var ErrNoSnapshot = errors.New("no snapshot kept for this audit")

// ErrBadQuery means a search names an unknown sort or tier.
var ErrBadQuery = errors.New("bad query")

// Model names an audited model: the Hub's ORG/NAME for hf: targets, the repository for gh:
// targets.
type Model struct {
	Org  string `json:"org"`
	Name string `json:"name"`
}

// String is ORG/NAME.
func (m Model) String() string { return m.Org + "/" + m.Name }

// Audit is one stored report with what it was made from.
type Audit struct {
	ID       string    `json:"id"`
	Model    Model     `json:"model"`
	Target   string    `json:"target"`
	Revision string    `json:"revision"`
	Version  string    `json:"glassbox_version"`
	Created  time.Time `json:"created_at"`
	// Index holds the columns read from the report for filtering.
	Index Index `json:"index"`
	// Report is the glassbox.report/v1 JSON as written.
	Report []byte `json:"-"`
	// Snapshot is the release snapshot the report was made from (release.Marshal), empty for
	// audits saved without one; Save stores it, Store.Snapshot reads it back.
	Snapshot []byte `json:"-"`
}

// Index is what a leaderboard filters and sorts on, read from a report (Extract).
type Index struct {
	Tier           string   `json:"tier"`
	TierRank       int      `json:"tier_rank"`
	MOFClass       int      `json:"mof_class"`
	OSAID          string   `json:"osaid"`
	OSAIScore      float64  `json:"osai_score"`
	EUAIAct        string   `json:"euaiact"`
	WeightsLicense string   `json:"weights_license"`
	WeightsOpen    bool     `json:"weights_open"`
	Library        string   `json:"library"`
	Licenses       []string `json:"licenses"`       // catalogue keys of every licence found
	Restrictions   []string `json:"restrictions"`   // the weights' restrictions as the report words them, without where they are inherited from
	Findings       []string `json:"findings"`       // finding ids
	Families       []string `json:"families"`       // the licences' families (llama, gemma, openrail …)
	Task           string   `json:"task,omitempty"` // the card's pipeline_tag
}

// Query filters and pages the latest audit of every model.
type Query struct {
	// Text matches ORG/NAME (a substring, case-insensitive).
	Text string
	// Tier keeps models at this tier; MinTier at this tier or above (G7 order).
	Tier, MinTier string
	// License keeps models with a licence of this catalogue key; Finding with this finding id;
	// Restriction with this weights restriction.
	License, Finding, Restriction string
	// Family keeps models with a licence of this family (llama, gemma, openrail, creative-commons
	// …); Task those whose card's pipeline_tag is this (text-generation …).
	Family, Task string
	Library      string
	// Sort is "name" (default), "tier" (most open first), "osai" (highest score first) or
	// "recent".
	Sort string
	// Limit (default 50, at most 500) and Offset page the results.
	Limit, Offset int
}

// Page is one page of search results.
type Page struct {
	Total  int     `json:"total"`
	Audits []Audit `json:"audits"`
}

// Store keeps audits and tokens.
type Store interface {
	// Save stores an audit and makes it its model's latest when it is the newest; it fills
	// a.Index (and an empty Target or Revision) from the report. Saving the
	// same model, revision and glassbox version again replaces nothing and returns the stored
	// audit's id.
	Save(ctx context.Context, a *Audit) (id string, err error)
	// Latest returns a model's newest audit; AtRevision its newest audit of a revision.
	Latest(ctx context.Context, m Model) (*Audit, error)
	AtRevision(ctx context.Context, m Model, revision string) (*Audit, error)
	// Get returns an audit by id.
	Get(ctx context.Context, id string) (*Audit, error)
	// History lists a model's audits, newest first, without their reports.
	History(ctx context.Context, m Model) ([]Audit, error)
	// Search filters the latest audit of every model.
	Search(ctx context.Context, q Query) (*Page, error)
	// CreateToken makes a new write token and stores only its hash; CheckToken tells whether a
	// token is one of them.
	CreateToken(ctx context.Context) (string, error)
	CheckToken(ctx context.Context, token string) (bool, error)
	// Snapshot returns the release snapshot an audit was made from: ErrNotFound for no such
	// audit, ErrNoSnapshot for one saved without it.
	Snapshot(ctx context.Context, id string) ([]byte, error)
	Close() error
}
