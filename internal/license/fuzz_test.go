package license

import (
	"strings"
	"testing"
)

// FuzzIdentify checks that identification never panics, that every match's lines lie inside
// the text in order, and that coverage is a share.
func FuzzIdentify(f *testing.F) {
	for _, s := range []string{
		"", "SPDX-License-Identifier: MIT", "SPDX-License-Identifier: (MIT OR", "llama 3.1 community license agreement",
		"SPDX-License-Identifier: LicenseRef-x AND Apache-2.0 WITH LLVM-exception\n",
		"Permission is hereby granted, free of charge, to any person obtaining a copy",
		"---\nkey: llama\n---\n", "---\n---", "---\nunterminated: header\n",
		"**LLAMA 3.1 COMMUNITY LICENSE AGREEMENT**\nLlama 3.1 Version Release Date: July 23, 2024\n“Built with Llama”\n",
		"Gemma Terms of Use\nLast modified: April 1, 2024\nGemma Services Model Derivatives\n",
		"[x](y) <span>z</span> ](( <<> RAIL++-M \u00a0\u2028 Ünïcödé 开放原子模型许可证",
		"Modified MIT License\nOur only modification part is that\n20 million US dollars\n100 million monthly active users\n",
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
			if m.ID == "" || m.Coverage < 0 || m.Coverage > 1 {
				t.Fatalf("match without id or with coverage out of range: %+v", m)
			}
		}
	})
}

// FuzzTokenize checks that the tokenizer's word offsets are in order and inside the text.
func FuzzTokenize(f *testing.F) {
	for _, s := range []string{"", "a", "RAIL++-M", "<a href=x>b</a>", "[t](u) ](", "Ünïcödé\xff\xfe", "<\n>"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		last := 0
		tokenize(text, 0, func(_ uint64, start, end int) {
			if start < last || end <= start || end > len(text) {
				t.Fatalf("word [%d,%d) after %d in a text of %d bytes", start, end, last, len(text))
			}
			last = end
		})
	})
}
