// Package release is the snapshot model: everything glassbox knows about a model release after a
// source has read it, and nothing it concluded. A Release serialises to JSON so an audit can be
// re-run offline, byte for byte.
package release

import (
	"encoding/json"
	"fmt"
	"sort"
)

// Schema names the snapshot format written by glassbox snapshot.
const Schema = "glassbox.release/v1"

// Release is the read-only view of one model release that detectors work from.
type Release struct {
	Schema string `json:"schema"`
	// Target is what the user asked for, as written ("./my-model", "hf:org/name").
	Target string `json:"target"`
	// Name is a short display name (the directory or repository name).
	Name string `json:"name"`
	// Revision is a commit sha when the source has one, else a content hash of the inventory.
	Revision string `json:"revision"`
	// Files is the full inventory, sorted by path.
	Files []File `json:"files"`
	// Texts holds the content of the small text files that matter, sorted by path.
	Texts []Text `json:"texts,omitempty"`
	// Complete is false when the inventory is known to miss files (gated, truncated listing)
	// or when a read failed (FailedReads).
	Complete bool `json:"complete"`
	// FailedReads lists the files the source knows exist but could not read (a server error,
	// a redirect loop, an answer over its cap), sorted by path. Gated files are not in it.
	FailedReads []FailedRead `json:"failed_reads,omitempty"`
	// Notes record what the source skipped or capped, for the report.
	Notes []string `json:"notes,omitempty"`
	// Hub holds what the Hugging Face Hub API says about the repository, for hub sources.
	Hub *HubInfo `json:"hub,omitempty"`
	// Parents are the base models the card names (base_model), in card order, each read as its
	// own Release to a bounded depth. A parent that could not be read, or that would close a
	// cycle, is a stub with no files and a note saying why.
	Parents []*Release `json:"parents,omitempty"`
	// Datasets are the datasets the card names, in card order, each read as its own Release
	// (dataset card and licence files), stubbed like Parents when unreadable.
	Datasets []*Release `json:"datasets,omitempty"`
	// Linked are the code repositories the card links to, read one level deep (linked.go).
	Linked []*Linked `json:"linked,omitempty"`
	// Metadata: judged from the Hub listing's metadata; no file was read (the card's text holds
	// only its front matter, and licence texts and weights headers are unread).
	Metadata bool `json:"metadata_only,omitempty"`
}

// HubInfo is the Hugging Face Hub's metadata for one model or dataset repository, as the API
// returned it at the pinned commit. Raw JSON fields are stored canonicalised (sorted keys) so
// the same API answer always gives the same snapshot bytes.
type HubInfo struct {
	// Kind is "model" or "dataset".
	Kind string `json:"kind"`
	// ID is the repository id ("org/name"), as the Hub spells it.
	ID string `json:"id"`
	// SHA is the commit every file was read at.
	SHA string `json:"sha"`
	// Gated is "auto" or "manual" when downloads need accepted terms, empty when not gated.
	Gated    string `json:"gated,omitempty"`
	Private  bool   `json:"private,omitempty"`
	Disabled bool   `json:"disabled,omitempty"`
	// LastModified is the API's timestamp of the last commit, as given.
	LastModified string   `json:"last_modified,omitempty"`
	LibraryName  string   `json:"library_name,omitempty"`
	PipelineTag  string   `json:"pipeline_tag,omitempty"`
	Tags         []string `json:"tags,omitempty"`
	// CardData is the card's front matter as the Hub parsed it (cardData).
	CardData json.RawMessage `json:"card_data,omitempty"`
	// Config is the Hub's summary of config.json (architectures, model_type, …).
	Config json.RawMessage `json:"config,omitempty"`
	// Parameters counts parameters per dtype from the Hub's safetensors summary.
	Parameters map[string]int64 `json:"parameters,omitempty"`
	// ParametersTotal is the safetensors summary's total.
	ParametersTotal int64 `json:"parameters_total,omitempty"`
	// GGUF is the Hub's GGUF summary (total, architecture, context_length, …).
	GGUF json.RawMessage `json:"gguf,omitempty"`
	// BaseModels are the parents the Hub itself computed (baseModels), in its order.
	BaseModels []string `json:"base_models,omitempty"`
	// BaseModelRelation is the Hub's relation to those parents (finetune, adapter, merge, quantized).
	BaseModelRelation string `json:"base_model_relation,omitempty"`
}

// File is one entry of the inventory.
type File struct {
	Path string `json:"path"` // slash-separated, relative to the release root
	Size int64  `json:"size"`
	// SHA256 is the content hash, filled for files read as text and for verified weights.
	SHA256 string `json:"sha256,omitempty"`
	// LFS is set when the file in the release is a Git LFS pointer: the identity of weights
	// that are not present.
	LFS *LFS `json:"lfs,omitempty"`
	// Gated: the file exists but needs accepted terms to read.
	Gated bool `json:"gated,omitempty"`
	// Header holds format facts read from the file's header (weights), when read.
	Header json.RawMessage `json:"header,omitempty"`
	// Expected is a content hash the file should have, from somewhere other than the file
	// itself: a Hugging Face cache blob name, a hub listing. Empty when nothing says.
	Expected *Expected `json:"expected,omitempty"`
	// Verified: SHA256 was computed over the whole file (scan --verify), not only a text.
	Verified bool `json:"verified,omitempty"`
}

// FailedRead is one file the source could not read, and why.
type FailedRead struct {
	Path  string `json:"path"`
	Error string `json:"error"`
}

// Expected is a claimed content hash and who claims it.
type Expected struct {
	SHA256 string `json:"sha256"`
	// From says where the claim comes from ("hf-cache blob", "hub lfs.oid").
	From string `json:"from"`
}

// LFS is a Git LFS pointer's content.
type LFS struct {
	OID  string `json:"oid"` // sha256 hex of the real content
	Size int64  `json:"size"`
}

// Text is the content of one small text file.
type Text struct {
	Path    string `json:"path"`
	Content string `json:"content"`
	// Truncated: only the first part of a larger file was kept.
	Truncated bool `json:"truncated,omitempty"`
}

// File returns the inventory entry for path.
func (r *Release) File(path string) (File, bool) {
	i := sort.Search(len(r.Files), func(i int) bool { return r.Files[i].Path >= path })
	if i < len(r.Files) && r.Files[i].Path == path {
		return r.Files[i], true
	}
	return File{}, false
}

// Text returns the content of path if it was read.
func (r *Release) Text(path string) (Text, bool) {
	i := sort.Search(len(r.Texts), func(i int) bool { return r.Texts[i].Path >= path })
	if i < len(r.Texts) && r.Texts[i].Path == path {
		return r.Texts[i], true
	}
	return Text{}, false
}

// Sort puts files and texts in path order, which lookups and deterministic output rely on.
// Parents and Datasets keep their card order, but their own files and texts are sorted too.
func (r *Release) Sort() {
	sort.Slice(r.Files, func(i, j int) bool { return r.Files[i].Path < r.Files[j].Path })
	sort.Slice(r.Texts, func(i, j int) bool { return r.Texts[i].Path < r.Texts[j].Path })
	for _, p := range r.Parents {
		p.Sort()
	}
	for _, d := range r.Datasets {
		d.Sort()
	}
	for _, l := range r.Linked {
		if l.Release != nil {
			l.Release.Sort()
		}
	}
}

// Marshal writes the snapshot as indented JSON.
func (r *Release) Marshal() ([]byte, error) {
	r.Schema = Schema
	r.Sort()
	return json.MarshalIndent(r, "", "  ")
}

// Unmarshal reads a snapshot written by Marshal.
func Unmarshal(data []byte) (*Release, error) {
	var r Release
	if err := json.Unmarshal(data, &r); err != nil {
		return nil, fmt.Errorf("not a glassbox snapshot: %w", err)
	}
	if r.Schema != Schema {
		return nil, fmt.Errorf("not a glassbox snapshot: schema %q, want %q", r.Schema, Schema)
	}
	if err := r.CheckPaths(); err != nil {
		return nil, fmt.Errorf("unsafe snapshot: %w", err)
	}
	r.Sort()
	return &r, nil
}
