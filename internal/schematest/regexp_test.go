package schematest

import "testing"

func TestRegexpEngine(t *testing.T) {
	t.Parallel()
	re, err := regexpEngine("^(?!_:).+:.+")
	if err != nil {
		t.Fatal(err)
	}
	for s, want := range map[string]bool{"https://x/y": true, "urn:a": true, "_:blank": false, "nocolon": false, "a:": false} {
		if got := re.MatchString(s); got != want {
			t.Errorf("%q: %v, want %v", s, got, want)
		}
	}
	if _, err := regexpEngine("(?<=a)b"); err == nil {
		t.Error("a lookbehind compiled; want an error")
	}
	if re, err := regexpEngine("^[a-z]+$"); err != nil || !re.MatchString("abc") || re.MatchString("ABC") {
		t.Errorf("plain pattern: %v", err)
	}
}
