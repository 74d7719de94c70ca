package batch

import (
	"io/fs"
	"os"
)

func lstat(p string) (fs.FileInfo, error) { return os.Lstat(p) }
