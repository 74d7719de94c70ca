package license

import (
	"fmt"
	"testing"
)

// TestIdentifyMemo: a text identified again gives the same matches from the memo, a caller
// changing its result does not change the next one, and the memo stays within its size.
func TestIdentifyMemo(t *testing.T) {
	c := Default()
	text := "// SPDX-License-Identifier: Apache-2.0\n"
	first := c.Identify(text)
	if len(first) == 0 {
		t.Fatal("no match for an identifier line")
	}
	key := first[0].Key
	first[0].Key = "changed"
	again := c.Identify(text)
	if len(again) != len(first) || again[0].Key != key {
		t.Fatalf("second identification %+v, want the first's (%s)", again, key)
	}
	calls := 0
	count := func(string) []Match { calls++; return []Match{{Key: "x"}} }
	c.identifyOnce("a text met twice", count)
	if got := c.identifyOnce("a text met twice", count); calls != 1 || len(got) != 1 || got[0].Key != "x" {
		t.Errorf("a text met twice was identified %d times (second result %+v), want once", calls, got)
	}
	var m identifyMemo
	for i := range 3 * memoSize {
		k := [32]byte{}
		copy(k[:], fmt.Sprint(i))
		m.mu.Lock()
		m.put(k, nil)
		m.mu.Unlock()
	}
	if n := len(m.now) + len(m.prev); n > memoSize {
		t.Errorf("memo holds %d results, want at most %d", n, memoSize)
	}
}
