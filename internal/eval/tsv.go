package eval

import (
	"fmt"
	"os"
	"strings"
)

// readTSV reads a tab-separated table whose first line names the columns, one map per row.
// Blank lines are skipped; a row with the wrong number of fields is an error, so that a
// damaged table fails loudly instead of shifting columns.
func readTSV(path string) ([]map[string]string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var header []string
	var rows []map[string]string
	for n, line := range strings.Split(string(data), "\n") {
		line = strings.TrimRight(line, "\r")
		if strings.TrimSpace(line) == "" {
			continue
		}
		fields := strings.Split(line, "\t")
		if header == nil {
			header = fields
			continue
		}
		if len(fields) != len(header) {
			return nil, fmt.Errorf("%s:%d: %d fields, the header has %d", path, n+1, len(fields), len(header))
		}
		row := make(map[string]string, len(header))
		for i, h := range header {
			row[h] = fields[i]
		}
		rows = append(rows, row)
	}
	if header == nil {
		return nil, fmt.Errorf("%s: empty table", path)
	}
	return rows, nil
}
