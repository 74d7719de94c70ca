// Command gen writes the bundled examples' weights files: go run ./internal/examples/gen examples
package main

import (
	"fmt"
	"os"

	"github.com/glassbox-dev/glassbox/internal/examples"
)

func main() {
	root := "examples"
	if len(os.Args) > 1 {
		root = os.Args[1]
	}
	if err := examples.Write(root); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}
