package release

// Linked is a code repository the release's card links to ("Training code:
// https://github.com/org/repo"), with what the card says of it and, when it could be read, the
// repository itself at one commit. It is part of the snapshot so that an offline re-audit sees
// exactly what the live audit saw.
type Linked struct {
	// Repo names the repository host-qualified, as glassbox cites it: "github.com/ORG/REPO".
	Repo string `json:"repo"`
	// Ref and Path are the branch, tag or commit and the folder the link points into
	// (github.com/ORG/REPO/tree/REF/PATH); empty for a link to the repository itself.
	Ref  string `json:"ref,omitempty"`
	Path string `json:"path,omitempty"`
	// URL is the link as written in the card.
	URL string `json:"url"`
	// Where is the card location the link was found at ("README.md:12").
	Where string `json:"where"`
	// Context is the card's words around the link, the source of Roles.
	Context string `json:"context,omitempty"`
	// Roles are what the card says the repository holds ("training", "evaluation", …), in
	// links.Roles order.
	Roles []string `json:"roles,omitempty"`
	// Own: the card presents the repository as the release's own code (a "code" or
	// "repository" field, "our code", a role word), so its tree may credit components;
	// a library the card merely mentions is not the release's code.
	Own bool `json:"own,omitempty"`
	// LicenseHint is the host's own guess at the licence (GitHub's spdx_id), never trusted
	// on its own: the licence is identified from the LICENSE text.
	LicenseHint string `json:"license_hint,omitempty"`
	// Release is the repository read at one commit (Revision): its tree as Files, its small
	// text files as Texts, Complete false when the tree was truncated. Nil when not read.
	Release *Release `json:"release,omitempty"`
	// Unread says why the repository was not read (offline, not found, rate limited).
	Unread string `json:"unread,omitempty"`
}
