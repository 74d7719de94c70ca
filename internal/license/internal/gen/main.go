// Command gen rebuilds spdx.tsv, the embedded SPDX licence facts, from the two SPDX lists kept in
// ../shared/eval/spdx. It writes facts only (ids, names, flags), one licence per line, sorted by id.
//
// Usage (from the repository root): go run ./internal/license/internal/gen ../shared/eval/spdx > internal/license/data/spdx.tsv
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

type list2024 struct {
	Licenses []struct {
		ID         string `json:"licenseId"`
		Name       string `json:"name"`
		OSI        bool   `json:"isOsiApproved"`
		FSF        bool   `json:"isFsfLibre"`
		Deprecated bool   `json:"isDeprecatedLicenseId"`
	} `json:"licenses"`
}

type list2026 struct {
	Licenses map[string]struct {
		Name string `json:"name"`
		OSI  bool   `json:"osiApproved"`
	} `json:"licenses"`
}

type row struct {
	name                       string
	osiNow, osi2024, fsf, depr bool
	in2024                     bool
}

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: gen SPDX_DIR")
		os.Exit(2)
	}
	dir := os.Args[1]
	var a list2024
	var b list2026
	must(readJSON(filepath.Join(dir, "spdx-licenses.json"), &a))
	must(readJSON(filepath.Join(dir, "spdx-list-2026.json"), &b))
	rows := map[string]*row{}
	for _, l := range a.Licenses {
		rows[l.ID] = &row{name: l.Name, osiNow: l.OSI, osi2024: l.OSI, fsf: l.FSF, depr: l.Deprecated, in2024: true}
	}
	for id, l := range b.Licenses {
		r, ok := rows[id]
		if !ok {
			r = &row{name: l.Name}
			rows[id] = r
		}
		r.osiNow = l.OSI
	}
	ids := make([]string, 0, len(rows))
	for id := range rows {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	fmt.Println("# id\tname\tosi\tosi_2024\tfsf_libre\tdeprecated\tin_2024_list")
	for _, id := range ids {
		r := rows[id]
		fmt.Printf("%s\t%s\t%s\t%s\t%s\t%s\t%s\n", id, strings.ReplaceAll(r.name, "\t", " "), yn(r.osiNow), yn(r.osi2024), yn(r.fsf), yn(r.depr), yn(r.in2024))
	}
}

func yn(b bool) string {
	if b {
		return "y"
	}
	return "n"
}

func readJSON(path string, v any) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(data, v); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}

func must(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}
