package lazyre

import (
	"strings"
	"sync"
	"testing"
)

func TestLazy(t *testing.T) {
	r := New(`(?i)^ab(c+)$`)
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() { defer wg.Done(); _ = r.MatchString("ABCC") }()
	}
	wg.Wait()
	if !r.MatchString("abccc") || r.MatchString("abd") {
		t.Error("MatchString")
	}
	if m := r.FindStringSubmatch("abcc"); len(m) != 2 || m[1] != "cc" {
		t.Errorf("FindStringSubmatch = %q", m)
	}
	if got := New(`o`).ReplaceAllString("foo", "0"); got != "f00" {
		t.Errorf("ReplaceAllString = %q", got)
	}
	if r.String() != `(?i)^ab(c+)$` || r.Re() == nil {
		t.Error("String or Re")
	}
	defer func() {
		if recover() == nil {
			t.Error("a malformed pattern did not panic on first use")
		}
	}()
	New(`(`).MatchString("x")
}

func TestCheck(t *testing.T) {
	New(`fine`)
	New(`(unclosed`)
	err := Check()
	if err == nil || !strings.Contains(err.Error(), "(unclosed") {
		t.Errorf("Check() = %v, want the malformed pattern named", err)
	}
}
