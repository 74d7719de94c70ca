package policy_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/glassbox-dev/glassbox/internal/policy"
)

const tuneV2 = `{"schema": "glassbox.report/v1", "target": "hf:acme/tune@v2", "tier": {"label": "open-weights"},
 "frameworks": {"mof": {"class": 3, "label": "Class III"}, "osaid": {"verdict": "fail"}, "osai": {"score": 0.5, "percent": "50%"}},
 "licenses": [{"expression": "Apache-2.0", "key": "apache-2.0", "scope": "release"}],
 "weights": {"licenses": ["Apache-2.0"], "known": true, "open": true, "restrictions": []},
 "components": [{"name": "Training code", "status": "present"}, {"name": "Datasets", "status": "absent"}],
 "findings": []}`

const tuneV1 = `{"schema": "glassbox.report/v1", "target": "hf:acme/tune@v1", "tier": {"label": "weights-available"},
 "frameworks": {"mof": {"class": 0, "label": "Unclassified"}, "osaid": {"verdict": "fail"}, "osai": {"score": 0.25, "percent": "25%"}},
 "licenses": [{"expression": "LicenseRef-Llama-3.1-Community", "key": "llama3.1", "scope": "release"}],
 "weights": {"licenses": ["LicenseRef-Llama-3.1-Community"], "known": true, "open": false, "restrictions": ["700M MAU cap"]},
 "components": [{"name": "Training code", "status": "absent"}, {"name": "Datasets", "status": "present"}],
 "findings": [{"id": "openwashing", "severity": "medium", "message": "calls itself open source"}]}`

func TestCompare(t *testing.T) {
	t.Parallel()
	d := policy.Compare(doc(t, tuneV1), doc(t, tuneV2))
	var got []string
	for _, c := range d.Changes {
		got = append(got, c.Aspect+"|"+c.Item+"|"+c.From+"|"+c.To+"|"+c.Direction.String())
	}
	want := []string{
		"tier||weights-available|open-weights|better",
		"weights-licence||LicenseRef-Llama-3.1-Community (not open)|Apache-2.0 (open)|better",
		"term||commercial-limited||better",
		"term||naming||changed",
		"term||policy-by-reference||better",
		"term||use-policy||better",
		"term||user-cap||better",
		"restriction||700M MAU cap||better",
		"finding||MEDIUM openwashing: calls itself open source||changed",
		"component|Training code|absent|present|better",
		"component|Datasets|present|absent|worse",
		"mof||Unclassified|Class III|better",
		"osai||25%|50%|better",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("changes (-want +got):\n%s", diff)
	}
	if !d.Worse() {
		t.Error("losing the datasets is not worse")
	}
	back := policy.Compare(doc(t, tuneV2), doc(t, tuneV1))
	if !back.Worse() || back.Changes[0].Direction != policy.Worse {
		t.Errorf("v2 → v1 = %+v, want worse from the tier down", back.Changes[0])
	}
}

func TestCompareSame(t *testing.T) {
	t.Parallel()
	d := policy.Compare(doc(t, tuneV2), doc(t, tuneV2))
	if len(d.Changes) != 0 || d.Worse() || !strings.Contains(d.Text(), "no change") {
		t.Errorf("diff of a report with itself: %+v", d)
	}
}

func TestDiffTextEscapes(t *testing.T) {
	t.Parallel()
	a := doc(t, tuneV2)
	b := doc(t, strings.Replace(tuneV2, `"findings": []`, `"findings": [{"id": "gated", "severity": "info", "message": "evil \u001b[2J"}]`, 1))
	text := policy.Compare(a, b).Text()
	if strings.Contains(text, "\x1b") || !strings.Contains(text, `evil \x1b[2J`) {
		t.Errorf("text = %q", text)
	}
}
