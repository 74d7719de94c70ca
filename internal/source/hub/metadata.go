package hub

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"

	"github.com/goccy/go-yaml"

	"github.com/glassbox-dev/glassbox/internal/release"
)

// metadataNote tells the report's reader what a metadata release is.
const metadataNote = "audited from the Hub listing's metadata only: no file was read (card prose, licence and notice texts, weights headers are unknown)"

// MetadataRelease is the release as far as its listing entry tells it (card metadata, file names,
// parameter counts, gating), marked Metadata. It is built as Fetch builds one from model info:
// the Hub info from the same decoding, Files from the entry's siblings (names, without sizes),
// and a card README.md whose front matter is cardData and whose body is unread (Truncated), so
// nothing the prose might say counts as absent. Complete is false, since no file was read. An
// entry without cardData gets no card text at all: the card is unread, not missing.
func MetadataRelease(e ListEntry) (*release.Release, error) {
	if err := checkRepo(e.ID); err != nil {
		return nil, fmt.Errorf("listing entry: %w", err)
	}
	t := Target{Kind: KindModel, Repo: e.ID}
	info, err := decodeInfo(e.Raw, t)
	if err != nil {
		return nil, fmt.Errorf("listing entry %s: %w", e.ID, err)
	}
	rel := newRelease(t, info)
	rel.Metadata, rel.Complete = true, false
	rel.Files = filesFromSiblings(info.Siblings)
	sort.Slice(rel.Files, func(i, j int) bool { return rel.Files[i].Path < rel.Files[j].Path })
	rel.Notes = []string{metadataNote}
	if info.refused > 0 {
		rel.Notes = append(rel.Notes, fmt.Sprintf("left out %d files the listing names with a path that is not a plain relative path", info.refused))
	}
	if card, ok := synthCard(info.CardData); ok {
		rel.Texts = []release.Text{{Path: "README.md", Content: card, Truncated: true}}
	} else if len(bytes.TrimSpace(info.CardData)) > 0 && string(bytes.TrimSpace(info.CardData)) != "null" {
		rel.Notes = append(rel.Notes, "the listing's cardData is not a mapping; the card's metadata is unknown")
	}
	sort.Strings(rel.Notes)
	return rel, nil
}

// synthCard renders cardData, a JSON object, as the front matter of a card with an empty body,
// in block-style YAML with the keys in the order given. Anything else gives false.
func synthCard(cardData json.RawMessage) (string, bool) {
	v, err := orderedJSON(cardData)
	if err != nil {
		return "", false
	}
	if _, ok := v.(yaml.MapSlice); !ok {
		return "", false
	}
	y, err := marshalYAML(v)
	if err != nil {
		return "", false
	}
	return "---\n" + string(y) + "---\n", true
}

// marshalYAML encodes v in block style; a panic in the encoder is an error.
func marshalYAML(v any) (out []byte, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("encoding the card metadata as YAML: %v", r)
		}
	}()
	return yaml.MarshalWithOptions(v, yaml.IndentSequence(true))
}

// orderedJSON decodes JSON keeping the order of object keys (as yaml.MapSlice) and reading
// numbers as integers where they are integers.
func orderedJSON(raw []byte) (any, error) {
	d := json.NewDecoder(bytes.NewReader(raw))
	d.UseNumber()
	v, err := orderedValue(d)
	if err != nil {
		return nil, err
	}
	if _, err := d.Token(); err != io.EOF {
		return nil, errors.New("data after the JSON value")
	}
	return v, nil
}

// orderedValue reads one JSON value from d.
func orderedValue(d *json.Decoder) (any, error) {
	tok, err := d.Token()
	if err != nil {
		return nil, err
	}
	switch t := tok.(type) {
	case json.Delim:
		if t == '{' {
			return orderedObject(d)
		}
		if t == '[' {
			return orderedArray(d)
		}
		return nil, fmt.Errorf("unexpected %v", t)
	case json.Number:
		if n, err := strconv.ParseInt(string(t), 10, 64); err == nil {
			return n, nil
		}
		f, err := t.Float64()
		return f, err
	}
	return tok, nil // string, bool or nil
}

// orderedObject reads the members of an object whose '{' was read.
func orderedObject(d *json.Decoder) (yaml.MapSlice, error) {
	out := yaml.MapSlice{}
	for d.More() {
		k, err := d.Token()
		if err != nil {
			return nil, err
		}
		v, err := orderedValue(d)
		if err != nil {
			return nil, err
		}
		out = append(out, yaml.MapItem{Key: k, Value: v})
	}
	_, err := d.Token()
	return out, err
}

// orderedArray reads the items of an array whose '[' was read.
func orderedArray(d *json.Decoder) ([]any, error) {
	out := []any{}
	for d.More() {
		v, err := orderedValue(d)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	_, err := d.Token()
	return out, err
}
