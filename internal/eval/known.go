package eval

// known is the reviewed explanation of one disagreement.
type known struct {
	reason string
	why    string
}

// knownDisagreements explains the disagreements someone has looked at, keyed by area, item and
// field (disagreementKey). A disagreement missing here is reported as unreviewed; an entry
// whose disagreement has gone away is harmless. Reasons do not change a row's score.
var knownDisagreements = map[string]known{
	disagreementKey(cardArea, "c20-bartowski--l3-8b-stheno-v3.2-gguf", "inherited_conflict"): {Ambiguous,
		`no base_model key; the Llama 3 lineage rests only on the "L3" in the name (the label says "inferred"), and the corpus convention says unknown when the upstream family is not stated`},
	disagreementKey(cardArea, "c30-salesforce--xlam-2-3b-fc-r-gguf", "inherited_conflict"): {Ambiguous,
		`no base_model key; Qwen 2.5 lineage appears only in a context-length note, and the declared cc-by-nc-4.0 and the Qwen research terms are both non-commercial`},
}
