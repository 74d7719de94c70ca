package license

import (
	"strings"
	"testing"
)

// FuzzIdentify checks that identification never panics and that every match's lines lie inside
// the text.
func FuzzIdentify(f *testing.F) {
	for _, s := range []string{
		"", "SPDX-License-Identifier: MIT", "SPDX-License-Identifier: (MIT OR", "llama 3.1 community license agreement",
		"SPDX-License-Identifier: LicenseRef-x AND Apache-2.0 WITH LLVM-exception\n",
		"Permission is hereby granted, free of charge, to any person obtaining a copy",
	} {
		f.Add(s)
	}
	cat := Default()
	f.Fuzz(func(t *testing.T, text string) {
		lines := strings.Count(text, "\n") + 1
		for _, m := range cat.Identify(text) {
			if m.Lines[0] < 1 || m.Lines[1] < m.Lines[0] || m.Lines[1] > lines {
				t.Fatalf("match %+v outside the text's %d lines", m, lines)
			}
			if m.ID == "" {
				t.Fatalf("match without id: %+v", m)
			}
		}
	})
}
