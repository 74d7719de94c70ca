package examples

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// Materialise copies the example releases from src (the repository's examples folder) to dst and
// writes their weights there, so tests audit exactly what the README's first command audits,
// whatever state the working tree's generated files are in.
func Materialise(src, dst string) error {
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		if strings.HasSuffix(p, ".safetensors") {
			return nil // generated below
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(target, data, 0o644)
	})
	if err != nil {
		return fmt.Errorf("copying examples: %w", err)
	}
	return Write(dst)
}
