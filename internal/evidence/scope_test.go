package evidence_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/glassbox-dev/glassbox/internal/component"
)

// codeRepo returns the files of a code repository: a build file and enough sources.
func codeRepo() []spec {
	out := []spec{text("pyproject.toml", "[project]\nname = \"engine\"\n")}
	for i := range 10 {
		out = append(out, file(fmt.Sprintf("engine/mod%d.py", i)))
	}
	return out
}

const (
	apacheText = "SPDX-License-Identifier: Apache-2.0\n"
	mitText    = "SPDX-License-Identifier: MIT\n"
)

// TestCodeRepositoryLicenceCoversCode: the LICENSE of a code repository that ships weights with a
// declared licence covers the code, not the weights, and disagrees with nothing.
func TestCodeRepositoryLicenceCoversCode(t *testing.T) {
	t.Parallel()
	specs := append(codeRepo(), text("README.md", card("license: cc-by-nc-4.0", "")), text("LICENSE", apacheText), weights("model.safetensors", 10))
	f := detect(t, build(specs...))
	if got := strings.Join(f.Weights.Licenses, ","); got != "CC-BY-NC-4.0" {
		t.Errorf("weights under %q, want CC-BY-NC-4.0 alone", got)
	}
	if n := len(findings(f, "license-mismatch")); n != 0 {
		t.Errorf("%d license-mismatch findings, want none (the LICENSE is the code's)", n)
	}
	var code bool
	for _, l := range f.Licenses {
		if l.Expression == "Apache-2.0" {
			code = l.Scope == "code" && l.Why != ""
		}
	}
	if !code {
		t.Errorf("the repository's Apache-2.0 LICENSE is not scoped to code with a reason: %+v", f.Licenses)
	}
	// A model repository with a few scripts keeps its LICENSE on everything.
	f = detect(t, build(text("README.md", card("license: cc-by-nc-4.0", "")), text("LICENSE", apacheText), file("modeling.py"), weights("model.safetensors", 10)))
	if got := strings.Join(f.Weights.Licenses, ","); !strings.Contains(got, "Apache-2.0") {
		t.Errorf("model repository: weights under %q, want the LICENSE to count too", got)
	}
	// A code repository with no declared weights terms: the LICENSE still covers the weights.
	f = detect(t, build(append(codeRepo(), text("README.md", "# Engine\n"), text("LICENSE", apacheText), weights("model.safetensors", 10))...))
	if got := strings.Join(f.Weights.Licenses, ","); got != "Apache-2.0" {
		t.Errorf("code repository without weights terms: weights under %q, want Apache-2.0", got)
	}
}

// TestModelLicencesCoverTheWeightsTheyName: each licence of a folder of model licences covers the
// weights file that names its model.
func TestModelLicencesCoverTheWeightsTheyName(t *testing.T) {
	t.Parallel()
	f := detect(t, build(
		text("model_licenses/LICENSE-ACME2.0", mitText),
		text("model_licenses/LICENSE-ACME-Turbo", "SPDX-License-Identifier: CC-BY-NC-4.0\n"),
		text("model_licenses/LICENSE-VID", "SPDX-License-Identifier: CC-BY-NC-4.0\n"),
		weights("acme_base_2.0.safetensors", 10),
	))
	if got := strings.Join(f.Weights.Licenses, ","); got != "MIT" {
		t.Errorf("weights under %q, want MIT (the licence naming acme 2.0)", got)
	}
	// When no licence names the weights, every model licence stays: which applies is unknown.
	f = detect(t, build(
		text("model_licenses/LICENSE-ACME2.0", mitText),
		text("model_licenses/LICENSE-VID", "SPDX-License-Identifier: CC-BY-NC-4.0\n"),
		weights("other.safetensors", 10),
	))
	if got := strings.Join(f.Weights.Licenses, ","); !strings.Contains(got, "CC-BY-NC-4.0") || f.Weights.Open {
		t.Errorf("unnamed weights under %q (open %v), want every model licence and not open", got, f.Weights.Open)
	}
}

// TestProseWeightsSentence: a sentence licensing the weights governs them over the code's LICENSE.
func TestProseWeightsSentence(t *testing.T) {
	t.Parallel()
	f := detect(t, build(
		text("README.md", "# Delta\n\nThe weight differentials are licensed under CC BY-NC 4.0.\n"),
		text("LICENSE", apacheText),
		weights("model.safetensors", 10),
	))
	if got := strings.Join(f.Weights.Licenses, ","); got != "CC-BY-NC-4.0" || f.Weights.Open {
		t.Errorf("weights under %q (open %v), want CC-BY-NC-4.0 from the sentence", got, f.Weights.Open)
	}
	// A sentence never sets aside model terms in the licence file: both bind.
	f = detect(t, build(
		text("README.md", "# Delta\n\nThe weights are released under the Apache 2.0 license.\n"),
		text("LICENSE", "SPDX-License-Identifier: LicenseRef-Llama-3.1-Community\n"),
		weights("model.safetensors", 10),
	))
	if f.Weights.Open || !strings.Contains(strings.Join(f.Weights.Licenses, ","), "Llama") {
		t.Errorf("weights under %v (open %v), want the file's Llama terms to keep binding", f.Weights.Licenses, f.Weights.Open)
	}
}

// TestAuxiliaryWeights: safety-checker and detector heads are not the model's weights.
func TestAuxiliaryWeights(t *testing.T) {
	t.Parallel()
	f := detect(t, build(
		weights("scripts/detection/head.npz", 100),
		file("scripts/detection/detect.py"),
		weights("safety_checker/model.safetensors", 100),
		weights("unet/model.safetensors", 7),
	))
	c := f.Component(component.ModelParameters)
	if strings.Join(c.Locations, ",") != "unet/model.safetensors" || f.Parameters != 7 {
		t.Errorf("final parameters at %v (%d parameters), want unet/model.safetensors alone (7)", c.Locations, f.Parameters)
	}
	aux := 0
	for _, a := range f.Artifacts {
		if a.Auxiliary {
			aux++
		}
	}
	if aux != 2 {
		t.Errorf("%d auxiliary artifacts, want 2", aux)
	}
	// Helpers alone are not released weights.
	f = detect(t, build(weights("safety_checker/model.safetensors", 100)))
	if f.Weights.Present {
		t.Error("a safety checker alone counts as released weights")
	}
}

// TestThirdPartyNotices: licences appended to a LICENSE after a third-party notice line cover
// bundled components, not the weights.
func TestThirdPartyNotices(t *testing.T) {
	t.Parallel()
	lic := "SPDX-License-Identifier: Apache-2.0\n\nThird-party notices for bundled components:\n\nSPDX-License-Identifier: BSD-3-Clause\n\nSPDX-License-Identifier: MIT\n"
	f := detect(t, build(text("LICENSE", lic), weights("model.safetensors", 10)))
	if got := strings.Join(f.Weights.Licenses, ","); got != "Apache-2.0" || !f.Weights.Open {
		t.Errorf("weights under %q (open %v), want Apache-2.0 alone", got, f.Weights.Open)
	}
	// A restrictive licence after a notice line keeps binding: no notice makes a release more open.
	lic = "SPDX-License-Identifier: Apache-2.0\n\nNotice: the weights are also subject to:\n\nSPDX-License-Identifier: CC-BY-NC-4.0\n"
	f = detect(t, build(text("LICENSE", lic), weights("model.safetensors", 10)))
	if f.Weights.Open {
		t.Errorf("a non-commercial licence after a notice line was set aside: weights open under %v", f.Weights.Licenses)
	}
	// Without a notice line, both licences in one file bind.
	f = detect(t, build(text("LICENSE", "SPDX-License-Identifier: Apache-2.0\n\nSPDX-License-Identifier: CC-BY-NC-4.0\n"), weights("model.safetensors", 10)))
	if f.Weights.Open {
		t.Errorf("two licences with no notice line: weights open under %v", f.Weights.Licenses)
	}
}

// TestOPTBaseTerms: OPT bases carry Meta's non-commercial research terms, so an Apache-2.0
// fine-tune of one is a conflict, from base_model or from the prose.
func TestOPTBaseTerms(t *testing.T) {
	t.Parallel()
	for _, readme := range []string{
		card("license: apache-2.0\nbase_model: facebook/opt-1.3b", ""),
		card("license: apache-2.0", "This model is based on OPT and tuned on our chat logs.\n"),
	} {
		f := detect(t, build(text("README.md", readme), weights("model.safetensors", 10)))
		if len(findings(f, "license-conflict")) != 1 || f.Weights.Open {
			t.Errorf("%q: conflicts %v, weights open %v; want one license-conflict and closed terms", readme, findings(f, "license-conflict"), f.Weights.Open)
		}
		if !strings.Contains(strings.Join(f.Weights.Restrictions, ";"), "non-commercial") {
			t.Errorf("restrictions %v, want the inherited non-commercial term", f.Weights.Restrictions)
		}
	}
}

// TestProseLicenceAgainstTheLicenceFile: a card that states its licence only in prose, at odds
// with the LICENSE file, is a mismatch; agreeing prose is not.
func TestProseLicenceAgainstTheLicenceFile(t *testing.T) {
	t.Parallel()
	f := detect(t, build(text("README.md", "# M\n\nThis model is licensed under the MIT license.\n"), text("LICENSE", apacheText), weights("model.safetensors", 10)))
	if got := findings(f, "license-mismatch"); len(got) != 1 || !strings.Contains(got[0].Message, "the card's text says MIT but the licence file is Apache-2.0") {
		t.Errorf("findings %+v, want one prose-vs-file license-mismatch", got)
	}
	f = detect(t, build(text("README.md", "# M\n\nThis model is licensed under the Apache 2.0 license.\n"), text("LICENSE", apacheText), weights("model.safetensors", 10)))
	if got := findings(f, "license-mismatch"); len(got) != 0 {
		t.Errorf("agreeing prose: findings %+v, want none", got)
	}
}

// TestCodeRepositoryWithModelTermsInItsLicence: a code repository whose LICENSE holds model terms
// keeps them on the weights even when the card declares an open licence (no false open).
func TestCodeRepositoryWithModelTermsInItsLicence(t *testing.T) {
	t.Parallel()
	specs := append(codeRepo(), text("README.md", card("license: apache-2.0", "")), text("LICENSE", "SPDX-License-Identifier: LicenseRef-Llama-3.1-Community\n"), weights("model.safetensors", 10))
	f := detect(t, build(specs...))
	if f.Weights.Open || !strings.Contains(strings.Join(f.Weights.Licenses, ","), "Llama") {
		t.Errorf("weights under %v (open %v), want the Llama terms to bind them", f.Weights.Licenses, f.Weights.Open)
	}
}
