package license

import "testing"

func TestNormalize(t *testing.T) {
	t.Parallel()
	cat := Default()
	tests := []struct {
		in     string
		wantID string
		wantOK bool
	}{
		// Exact ids and case.
		{"Apache-2.0", "Apache-2.0", true},
		{"apache-2.0", "Apache-2.0", true},
		{"APACHE-2.0", "Apache-2.0", true},
		{"CC-BY-4.0", "CC-BY-4.0", true},
		{"OpenMDW-1.0", "OpenMDW-1.0", true},
		{"  MIT  ", "MIT", true},
		{`"MIT"`, "MIT", true},
		// "License"/"Licence" words, spaces against hyphens, versions.
		{"MIT License", "MIT", true},
		{"MIT license", "MIT", true},
		{"The MIT Licence", "MIT", true},
		{"Apache 2.0", "Apache-2.0", true},
		{"Apache 2", "Apache-2.0", true},
		{"apache-2", "Apache-2.0", true},
		{"Apache2", "Apache-2.0", true},
		{"Apache v2.0", "Apache-2.0", true},
		{"Apache License 2.0", "Apache-2.0", true},
		{"Apache license 2.0", "Apache-2.0", true},
		{"Apache License, Version 2.0", "Apache-2.0", true},
		{"Apache Licence v2", "Apache-2.0", true},
		{"MPL 2.0", "MPL-2.0", true},
		{"Mozilla Public License 2.0", "MPL-2.0", true},
		// Common names.
		{"BSD 3-Clause", "BSD-3-Clause", true},
		{"BSD-3", "BSD-3-Clause", true},
		{"bsd 2-clause", "BSD-2-Clause", true},
		{"New BSD", "BSD-3-Clause", true},
		{"GPLv3", "GPL-3.0-only", true},
		{"GPLv2+", "GPL-2.0-or-later", true},
		{"LGPLv2.1", "LGPL-2.1-only", true},
		{"CC BY 4.0", "CC-BY-4.0", true},
		{"CC BY-SA 4.0", "CC-BY-SA-4.0", true},
		{"cc0", "CC0-1.0", true},
		{"CC0 1.0", "CC0-1.0", true},
		{"ODC-PDDL-1.0", "PDDL-1.0", true},
		{"Creative Commons Attribution 4.0", "CC-BY-4.0", true},
		{"Creative Commons Attribution-ShareAlike 4.0 International", "CC-BY-SA-4.0", true},
		{"Creative Commons Attribution Non Commercial 4.0", "CC-BY-NC-4.0", true},
		// SPDX names from the catalogue.
		{"BSD Zero Clause License", "0BSD", true},
		{"Eclipse Public License 2.0", "EPL-2.0", true},
		{"Academic Free License v3.0", "AFL-3.0", true},
		{"GNU General Public License v3.0 only", "GPL-3.0-only", true},
		{"Community Data License Agreement Permissive 2.0", "CDLA-Permissive-2.0", true},
		// Deprecated ids give their current form.
		{"GPL-3.0", "GPL-3.0-only", true},
		{"GPL-2.0+", "GPL-2.0-or-later", true},
		// URLs.
		{"https://www.apache.org/licenses/LICENSE-2.0", "Apache-2.0", true},
		{"http://www.apache.org/licenses/LICENSE-2.0.txt", "Apache-2.0", true},
		{"https://opensource.org/licenses/MIT", "MIT", true},
		{"https://opensource.org/license/apache-2-0", "Apache-2.0", true},
		{"https://opensource.org/licenses/BSD-3-Clause", "BSD-3-Clause", true},
		{"https://spdx.org/licenses/MIT.html", "MIT", true},
		{"https://creativecommons.org/licenses/by/4.0/", "CC-BY-4.0", true},
		{"https://creativecommons.org/licenses/by-sa/4.0/legalcode", "CC-BY-SA-4.0", true},
		{"https://creativecommons.org/licenses/by/3.0/de/", "CC-BY-3.0-DE", true},
		{"https://creativecommons.org/publicdomain/zero/1.0/", "CC0-1.0", true},
		{"https://www.gnu.org/licenses/gpl-3.0.en.html", "GPL-3.0-only", true},
		{"https://cdla.dev/permissive-2-0/", "CDLA-Permissive-2.0", true},
		{"https://opendatacommons.org/licenses/odbl/1-0/", "ODbL-1.0", true},
		{"https://opendatacommons.org/licenses/pddl/1-0/", "PDDL-1.0", true},
		{"https://opendatacommons.org/licenses/odbl/1.0/", "ODbL-1.0", true},
		{"License :: OSI Approved :: MIT License", "MIT", true},
		// Model licences are recognised, not made open: that is the caller's judgement.
		{"Llama 3 Community License", "LicenseRef-Llama-3-Community", true},
		// Text that names no licence, or none unambiguously.
		{"", "", false},
		{"unlicensed", "", false},
		{"Proprietary", "", false},
		{"Undisclosed", "", false},
		{"Apache", "", false},
		{"Other License", "", false},
		{"https://github.com/org/repo/blob/main/LICENSE", "", false},
		{"https://example.com/licenses/MIT", "", false},
		{"arXiv.org perpetual, non-exclusive license 1.0", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			t.Parallel()
			id, ok := Normalize(cat, tt.in)
			if id != tt.wantID || ok != tt.wantOK {
				t.Errorf("Normalize(%q) = %q, %v; want %q, %v", tt.in, id, ok, tt.wantID, tt.wantOK)
			}
		})
	}
}

func TestNormalizeNilCatalogue(t *testing.T) {
	t.Parallel()
	if id, ok := Normalize(nil, "MIT"); ok || id != "" {
		t.Errorf("Normalize(nil, MIT) = %q, %v; want \"\", false", id, ok)
	}
}

// TestNormalizeIDsRoundTrip checks that every current id of the catalogue normalises to itself:
// the squashed index must never steer an exact id to another licence.
func TestNormalizeIDsRoundTrip(t *testing.T) {
	t.Parallel()
	cat := Default()
	n := 0
	for _, e := range cat.Entries() {
		if e.Deprecated {
			continue
		}
		n++
		if id, ok := Normalize(cat, e.ID); !ok || id != e.ID {
			t.Errorf("Normalize(%q) = %q, %v", e.ID, id, ok)
		}
	}
	if n < 600 {
		t.Errorf("only %d current ids in the catalogue", n)
	}
}

func TestSquash(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"Apache License, Version 2.0", "apache2.0"},
		{"Apache-2.0", "apache2.0"},
		{"apache 2", "apache2.0"},
		{"GPLv3", "gpl3.0"},
		{"GPL-2.0+", "gpl2.0+"},
		{"BSD 3-Clause", "bsd3.0clause"},
		{"Creative Commons Attribution 4.0 International", "ccby4.0"},
		{"The MIT Licence", "mit"},
	}
	for _, tt := range tests {
		if got := squash(tt.in); got != tt.want {
			t.Errorf("squash(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func BenchmarkNormalize(b *testing.B) {
	cat := Default()
	for b.Loop() {
		Normalize(cat, "Apache License, Version 2.0")
	}
}
