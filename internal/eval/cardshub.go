package eval

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/glassbox-dev/glassbox/internal/assess"
	"github.com/glassbox-dev/glassbox/internal/card"
	"github.com/glassbox-dev/glassbox/internal/license"
	"github.com/glassbox-dev/glassbox/internal/source"
)

const (
	hubCardArea = "Hub cards"
	// hubCards is how many cards cards-hub holds; hubParsed how many of them the Hub's library
	// parses (oracle ok) and hubUnparsed how many it refuses.
	hubCards    = 1500
	hubParsed   = 1453
	hubUnparsed = 47
	// hubBar is the share of parsed cards whose metadata must agree, in tenths of a percent.
	hubBar = 995
)

// hubOracle is one line of oracle.jsonl: what huggingface_hub's ModelCard.load read from a card.
type hubOracle struct {
	ID          string          `json:"id"`
	OK          bool            `json:"ok"`
	Error       string          `json:"error"`
	License     json.RawMessage `json:"license"`
	LicenseName json.RawMessage `json:"license_name"`
	LicenseLink json.RawMessage `json:"license_link"`
	BaseModel   json.RawMessage `json:"base_model"`
	Datasets    json.RawMessage `json:"datasets"`
	YAMLBlock   bool            `json:"yaml_block"`
}

// hubField is one piece of metadata compared with the oracle.
type hubField struct {
	name string
	got  func(c *card.Card) string
	want func(o *hubOracle) string
}

var hubFields = []hubField{
	{"license", hubLicence, func(o *hubOracle) string {
		return licenceText(jsonList(o.License), jsonScalar(o.LicenseName), jsonScalar(o.LicenseLink))
	}},
	{"base_model", func(c *card.Card) string { return strings.Join(c.BaseModel, ";") }, func(o *hubOracle) string { return strings.Join(jsonList(o.BaseModel), ";") }},
	{"datasets", func(c *card.Card) string { return strings.Join(c.Datasets, ";") }, func(o *hubOracle) string { return strings.Join(jsonList(o.Datasets), ";") }},
}

// cardsHub scores card parsing on real Hub cards against the Hub's own library: where the
// front matter is found, the declared licences, base models and datasets as written, and a
// card-unparseable finding (through the real pipeline) for every card the library refuses.
func cardsHub(dir string, rep *Report) {
	dir = filepath.Join(dir, "cards-hub")
	oracle, err := readOracle(filepath.Join(dir, "oracle.jsonl"))
	if err == nil && len(oracle) == 0 {
		err = fmt.Errorf("%s: no cards", filepath.Join(dir, "oracle.jsonl"))
	}
	if err != nil {
		noData(rep, hubCardArea, "front matter found where the Hub's library finds it", hubCards, err)
		return
	}
	block := Row{Area: hubCardArea, Measure: "front matter found where the Hub's library finds it (oracle.jsonl yaml_block)", Want: hubCards, Bar: 100}
	fields := make([]Row, len(hubFields))
	for i, f := range hubFields {
		fields[i] = Row{Area: hubCardArea, Measure: f.name + " as written, cards the library parses (oracle.jsonl)", Want: hubParsed, BarTenths: hubBar}
	}
	refused := Row{Area: hubCardArea, Measure: "cards the library refuses get card-unparseable (oracle.jsonl ok false)", Want: hubUnparsed, Bar: 100}
	cat := license.Default()
	for _, o := range oracle {
		path := filepath.Join(dir, o.ID, "README.md")
		data, err := os.ReadFile(path)
		if err != nil {
			rep.Disagreements = append(rep.Disagreements, Disagreement{Area: hubCardArea, ID: o.ID, Field: "read", Glassbox: err.Error()})
			continue
		}
		c := card.Parse("README.md", data)
		block.Total++
		if got := c.FrontMatterLine > 0; got == o.YAMLBlock {
			block.Passed++
		} else {
			rep.Disagreements = append(rep.Disagreements, Disagreement{Area: hubCardArea, ID: o.ID, Field: "yaml_block", Glassbox: strconv.FormatBool(got), Expected: strconv.FormatBool(o.YAMLBlock)})
		}
		if !o.OK {
			refused.Total++
			if got := unparseable(filepath.Join(dir, o.ID), cat); got == "card-unparseable" {
				refused.Passed++
			} else {
				rep.Disagreements = append(rep.Disagreements, Disagreement{Area: hubCardArea, ID: o.ID, Field: "card-unparseable", Glassbox: got, Expected: "card-unparseable: " + o.Error})
			}
			continue
		}
		for i, f := range hubFields {
			fields[i].Total++
			got, want := f.got(c), f.want(&o)
			if got == want {
				fields[i].Passed++
				continue
			}
			rep.Disagreements = append(rep.Disagreements, Disagreement{Area: hubCardArea, ID: o.ID, Field: f.name, Glassbox: got, Expected: want})
		}
	}
	rep.Rows = append(rep.Rows, block)
	rep.Rows = append(rep.Rows, fields...)
	rep.Rows = append(rep.Rows, refused)
}

// unparseable audits a card's folder with the real pipeline and says whether the audit has a
// card-unparseable finding, or what went wrong instead.
func unparseable(dir string, cat *license.Catalogue) string {
	rel, err := source.Local(context.Background(), dir, source.DefaultLimits)
	if err != nil {
		return "error: " + err.Error()
	}
	for _, f := range assess.Run(rel, cat).Facts.Findings {
		if f.ID == "card-unparseable" {
			return "card-unparseable"
		}
	}
	return "no finding"
}

// hubLicence writes the card's licence metadata the way licenceText writes the oracle's.
func hubLicence(c *card.Card) string {
	return licenceText(c.License, c.LicenseName, c.LicenseLink)
}

// licenceText joins licences as written, with the name and link that accompany `other`.
func licenceText(ids []string, name, link string) string {
	s := strings.Join(ids, ";")
	if name != "" {
		s += " name=" + name
	}
	if link != "" {
		s += " link=" + link
	}
	return s
}

// readOracle reads oracle.jsonl, one JSON object per line.
func readOracle(path string) ([]hubOracle, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var out []hubOracle
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, 1<<20)
	for n := 1; sc.Scan(); n++ {
		if len(bytes.TrimSpace(sc.Bytes())) == 0 {
			continue
		}
		var o hubOracle
		if err := json.Unmarshal(sc.Bytes(), &o); err != nil {
			return nil, fmt.Errorf("%s:%d: %v", path, n, err)
		}
		if o.ID == "" || strings.ContainsAny(o.ID, `/\`) || o.ID == "." || o.ID == ".." {
			return nil, fmt.Errorf("%s:%d: bad card id %q", path, n, o.ID)
		}
		out = append(out, o)
	}
	return out, sc.Err()
}

// jsonList reads a value the library gives as a string or a list: each item as text, nulls and
// empty strings dropped (as the card parser drops them).
func jsonList(raw json.RawMessage) []string {
	var list []json.RawMessage
	if json.Unmarshal(raw, &list) != nil {
		if s := jsonScalar(raw); s != "" {
			return []string{s}
		}
		return nil
	}
	var out []string
	for _, item := range list {
		if s := jsonScalar(item); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// jsonScalar reads a string, number or boolean as text, trimmed; null and anything else is "".
func jsonScalar(raw json.RawMessage) string {
	var v any
	if json.Unmarshal(raw, &v) != nil {
		return ""
	}
	switch x := v.(type) {
	case string:
		return strings.TrimSpace(x)
	case float64, bool:
		return string(bytes.TrimSpace(raw))
	}
	return ""
}
