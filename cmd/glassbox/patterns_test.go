package main

import (
	"testing"

	"github.com/glassbox-dev/glassbox/internal/lazyre"
)

// TestPatternsCompile compiles every pattern the binary's packages compile on first use
// (internal/lazyre), so a malformed one fails here, not in a user's run.
func TestPatternsCompile(t *testing.T) {
	if err := lazyre.Check(); err != nil {
		t.Fatal(err)
	}
}
