package censustest

import "slices"

// Expected is what the generator knows for certain about a model.
type Expected struct {
	// Template names where the model's content came from: "card:<cards-hub id>",
	// "synthetic:<kind>" or "stub:<base id>".
	Template string
	// SHA is the model's current commit.
	SHA string
	// Licenses are the licence ids the card declares, as written (nil when the card has none
	// or does not parse).
	Licenses []string
	// BaseModels and Datasets are what the card's base_model and datasets name.
	BaseModels []string
	Datasets   []string
	// Relabel is true for a fine-tune declaring only apache-2.0 or mit whose listed base
	// declares a restrictive (Llama-style) licence.
	Relabel bool
	// Gated is "", "auto" or "manual".
	Gated string
	// HasCard is false for models without a README.md.
	HasCard bool
	// LicenseFile is the file under ../shared/eval/licenses/texts whose bytes the model's
	// LICENSE carries, "" when it has no LICENSE.
	LicenseFile string
}

// Expected describes a listed model; the zero Expected for an unknown id.
func (h *Hub) Expected(id string) Expected {
	i := h.index(id)
	if i < 0 {
		return Expected{}
	}
	t := h.template(i)
	return Expected{
		Template: t.label, SHA: h.sha(i, h.bumps(i)),
		Licenses: slices.Clone(t.licenses), BaseModels: slices.Clone(t.bases), Datasets: slices.Clone(t.datasets),
		Relabel: h.relabel[i%len(h.c.templates)], Gated: t.gated, HasCard: t.hasCard, LicenseFile: t.licenseFile,
	}
}
