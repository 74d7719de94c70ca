package license

import (
	"os"
	"path/filepath"
	"testing"
)

// A text built from the MIT grant's identifying phrases and sentences of our own; it is not the
// licence text.
const mitLike = "Copyright 2024 Tiny Lab.\n" +
	"Permission is hereby granted, free of charge, to any person obtaining a copy of these files.\n" +
	"The above copyright notice and this permission notice shall be included with them.\n" +
	"They are provided \"as is\", without warranty of any kind.\n"

func TestNearVariants(t *testing.T) {
	t.Parallel()
	cat := Default()
	tests := []struct {
		name, text, id, how string
	}{
		{"grant alone", mitLike, "MIT", "variant"},
		{"with a non-binding request", mitLike + "We kindly ask, but do not require, that you cite our paper.\n", "MIT", "variant"},
		{"with a request inside", "Copyright 2024 Tiny Lab.\nPermission is hereby granted, free of charge, to any person obtaining a copy. Please cite our paper if you find it useful.\nThe above copyright notice and this permission notice shall be included.\nProvided as is without warranty of any kind.\n", "MIT", "variant"},
		{"with a binding restriction", mitLike + "The weights may not be used for commercial purposes.\n", "LicenseRef-MIT-modified", "variant"},
		{"research only", mitLike + "Use is restricted to research purposes only.\n", "LicenseRef-MIT-modified", "variant"},
		{"bsd grant", "Redistribution and use in source and binary forms, with or without modification, are permitted if you keep this.\nRedistributions of source code must retain the above copyright notice.\n", "BSD-2-Clause", "variant"},
		{"bsd with a name clause", "Redistribution and use in source and binary forms, with or without modification, are permitted.\nRedistributions of source code must retain the above copyright notice.\nNeither the name of the lab nor its members may endorse anything.\n", "BSD-3-Clause", "variant"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ms := cat.Identify(tt.text)
			if len(ms) != 1 || ms[0].ID != tt.id || ms[0].How != tt.how {
				t.Fatalf("matches %+v, want one %s by %s", ms, tt.id, tt.how)
			}
			if tt.id == "MIT" && ms[0].Key != "mit" {
				t.Errorf("key %q, want mit", ms[0].Key)
			}
		})
	}
	if ms := cat.Identify("Permission is hereby granted to read this page.\n"); len(ms) != 0 {
		t.Errorf("a stray phrase gave %+v, want no match", ms)
	}
}

// TestAddedTermsAfterAFullText: a complete MIT text (a real one, from ../shared/eval) followed by a
// binding sentence of our own is no longer MIT; followed by a request it still is.
func TestAddedTermsAfterAFullText(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile(filepath.Join("..", "..", "..", "shared", "eval", "licenses", "in-the-wild", "deepseek-ai__DeepSeek-V3__LICENSE-CODE"))
	if err != nil {
		t.Skipf("the real MIT text is not here (%v); it lives in ../shared/eval/licenses beside the repository", err)
	}
	cat := Default()
	if ms := cat.Identify(string(data) + "\nWe would appreciate a citation of our report.\n"); len(ms) != 1 || ms[0].ID != "MIT" {
		t.Errorf("MIT plus a request: %+v, want MIT", ms)
	}
	if ms := cat.Identify(string(data) + "\nThe model weights may only be used for non-commercial research.\n"); len(ms) != 1 || ms[0].ID != "LicenseRef-MIT-modified" {
		t.Errorf("MIT plus a restriction: %+v, want LicenseRef-MIT-modified", ms)
	}
}
