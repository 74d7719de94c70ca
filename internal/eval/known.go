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

	disagreementKey(osaiCompareArea, "olmo-7b vs OLMo", "weights_basemodel"): {OutsideRelease,
		`the index read the Hub page, where anyone can download the weights; a local folder cannot show how downloads are gated, so glassbox says unknown until hf:ORG/NAME is scanned`},
	disagreementKey(osaiCompareArea, "olmo-7b vs OLMo", "weights_endmodel"): {OutsideRelease,
		`the index read the Hub page, where anyone can download the weights; a local folder cannot show how downloads are gated, so glassbox says unknown until hf:ORG/NAME is scanned`},
	disagreementKey(osaiCompareArea, "llama-3.1-8b vs llama-3.3", "weights_basemodel"): {OutsideRelease,
		`the index read Meta's gated Hub page and request form; a local folder cannot show how downloads are gated, so glassbox says unknown until hf:ORG/NAME is scanned`},
	disagreementKey(osaiCompareArea, "llama-3.1-8b vs llama-3.3", "weights_endmodel"): {OutsideRelease,
		`the index read Meta's gated Hub page and request form; a local folder cannot show how downloads are gated, so glassbox says unknown until hf:ORG/NAME is scanned`},
	disagreementKey(osaiCompareArea, "sdxl-base-1.0 vs SDXL-Lightning", "weights_basemodel"): {OutsideRelease,
		`the index read the Hub page, where the weights download without a form; a local folder cannot show how downloads are gated, so glassbox says unknown until hf:ORG/NAME is scanned`},
	disagreementKey(osaiCompareArea, "sdxl-base-1.0 vs SDXL-Lightning", "weights_endmodel"): {OutsideRelease,
		`the index read the Hub page, where the weights download without a form; a local folder cannot show how downloads are gated, so glassbox says unknown until hf:ORG/NAME is scanned`},
	disagreementKey(osaiCompareArea, "olmo-7b vs OLMo", "datasources_basemodel"): {OutsideRelease,
		`the README names and links the OLMo and Dolmino mixes, but their licences live on the datasets' Hub pages, which the index read and a local audit does not; scanning hf:allenai/OLMo-2-1124-7B reads the datasets' cards`},
	disagreementKey(osaiCompareArea, "olmo-7b vs OLMo", "datasources_endmodel"): {OutsideRelease,
		`the README names and links the OLMo and Dolmino mixes, but their licences live on the datasets' Hub pages, which the index read and a local audit does not; scanning hf:allenai/OLMo-2-1124-7B reads the datasets' cards`},
	disagreementKey(osaiCompareArea, "olmo-7b vs OLMo", "datasheet"): {OutsideRelease,
		`the index cites the Dolma datasheet, published with its paper and dataset page; the repository describes its data in the README (scope, sources, provenance) but ships no datasheet`},
	disagreementKey(osaiCompareArea, "olmo-7b vs OLMo", "hardware_architecture"): {OutsideRelease,
		`the index cites the OLMo papers, which document hardware and architecture; glassbox does not read papers and the README describes neither, so it says unknown`},
	disagreementKey(osaiCompareArea, "olmo-7b vs OLMo", "licenses"): {OutsideRelease,
		`the index counts the training data's open licence, which sits on the datasets' pages; the repository carries Apache-2.0 for weights and code only`},
	disagreementKey(osaiCompareArea, "olmo-7b vs OLMo", "modelcard"): {OutsideRelease,
		`the index read the Hub model card; this release is the GitHub repository, whose README is a project README covering training but not architecture or evaluation`},
	disagreementKey(osaiCompareArea, "olmo-7b vs OLMo", "paper"): {OutsideRelease,
		`the index knows the OLMo paper appeared at a reviewed venue; the README cites only the arXiv preprint, so glassbox sees no peer-reviewed publication`},
	disagreementKey(osaiCompareArea, "llama-3.1-8b vs llama-3.3", "code"): {OutsideRelease,
		`the index credits Meta's separate recipes and models repositories; the model repository holds no code, and linked repositories are read only when links are followed`},
	disagreementKey(osaiCompareArea, "llama-3.1-8b vs llama-3.3", "trainingcode"): {OutsideRelease,
		`the index credits Meta's separate recipes and models repositories; the model repository holds no code, and linked repositories are read only when links are followed`},
	disagreementKey(osaiCompareArea, "sdxl-base-1.0 vs SDXL-Lightning", "code"): {Ambiguous,
		`the index judged ByteDance's SDXL-Lightning distillation, which ships no code; this release is Stability's generative-models repository of the SDXL family, which ships data-loading code and its README`},
	disagreementKey(osaiCompareArea, "sdxl-base-1.0 vs SDXL-Lightning", "trainingcode"): {Ambiguous,
		`the index judged ByteDance's SDXL-Lightning distillation, which ships no code; this release is Stability's generative-models repository of the SDXL family, which ships data-loading code and its README`},
	disagreementKey(osaiCompareArea, "sdxl-base-1.0 vs SDXL-Lightning", "datasources_basemodel"): {OutsideRelease,
		`the index credits the SDXL paper's description of the training data; the repository's README does not describe it`},
	disagreementKey(osaiCompareArea, "sdxl-base-1.0 vs SDXL-Lightning", "datasources_endmodel"): {OutsideRelease,
		`the index credits the SDXL paper's description of the training data; the repository's README does not describe it`},
	disagreementKey(osaiCompareArea, "sdxl-base-1.0 vs SDXL-Lightning", "hardware_architecture"): {Ambiguous,
		`the index found no hardware documentation for SDXL-Lightning; glassbox does not read the SDXL papers the README cites, so it cannot say closed and says unknown`},
	disagreementKey(osaiCompareArea, "sdxl-base-1.0 vs SDXL-Lightning", "modelcard"): {OutsideRelease,
		`the index read SDXL-Lightning's Hub model card; this release is the GitHub repository, whose README is a project changelog and quick start`},
	disagreementKey(osaiCompareArea, "llama-3.1-8b vs llama-3.3", "datasheet"): {Ambiguous,
		`the index finds no datasheet; glassbox counts the card's training-data and fine-tuning-data sections, which give the data's scope and how it was collected but no sources, as a partial description in the model card`},
}
