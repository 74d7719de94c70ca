package report

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"io"
	"strconv"
	"strings"

	"github.com/parquet-go/parquet-go"
)

// TableWriter writes the per-model table one row at a time; Close flushes what is buffered
// (it does not close the underlying writer).
type TableWriter interface {
	Write(Row) error
	Close() error
}

// column is one column of the CSV: its name (the field's JSON and Parquet name) and its value.
type column struct {
	name  string
	value func(r *Row) string
}

func itoa(n int) string      { return strconv.Itoa(n) }
func i64(n int64) string     { return strconv.FormatInt(n, 10) }
func list(l []string) string { return strings.Join(l, ";") }

// columns are the CSV's columns, in Row's field order.
var columns = []column{
	{"id", func(r *Row) string { return r.ID }},
	{"org", func(r *Row) string { return r.Org }},
	{"sha", func(r *Row) string { return r.SHA }},
	{"mode", func(r *Row) string { return r.Mode }},
	{"status", func(r *Row) string { return r.Status }},
	{"error", func(r *Row) string { return r.Error }},
	{"tier", func(r *Row) string { return r.Tier }},
	{"tier_rank", func(r *Row) string { return itoa(r.TierRank) }},
	{"mof_class", func(r *Row) string { return itoa(r.MOFClass) }},
	{"osaid", func(r *Row) string { return r.OSAID }},
	{"osai_score", func(r *Row) string { return strconv.FormatFloat(r.OSAIScore, 'f', -1, 64) }},
	{"euaiact", func(r *Row) string { return r.EUAIAct }},
	{"weights_license", func(r *Row) string { return r.WeightsLicense }},
	{"weights_open", func(r *Row) string { return strconv.FormatBool(r.WeightsOpen) }},
	{"license_family", func(r *Row) string { return r.LicenseFamily }},
	{"licenses", func(r *Row) string { return list(r.Licenses) }},
	{"terms", func(r *Row) string { return list(r.Terms) }},
	{"findings", func(r *Row) string { return list(r.Findings) }},
	{"claims_open_source", func(r *Row) string { return strconv.FormatBool(r.ClaimsOpenSource) }},
	{"inherited_conflict", func(r *Row) string { return strconv.FormatBool(r.InheritedConflict) }},
	{"base_models", func(r *Row) string { return list(r.BaseModels) }},
	{"base_family", func(r *Row) string { return r.BaseFamily }},
	{"library", func(r *Row) string { return r.Library }},
	{"task", func(r *Row) string { return r.Task }},
	{"gated", func(r *Row) string { return strconv.FormatBool(r.Gated) }},
	{"downloads", func(r *Row) string { return i64(r.Downloads) }},
	{"likes", func(r *Row) string { return i64(r.Likes) }},
	{"created_at", func(r *Row) string { return r.CreatedAt }},
	{"last_modified", func(r *Row) string { return r.LastModified }},
	{"audit_id", func(r *Row) string { return r.AuditID }},
}

type csvTable struct {
	w      *csv.Writer
	record []string
	header bool
}

// NewCSV writes the table as CSV (RFC 4180): a header row of the column names, "id" first;
// lists are joined with ";".
func NewCSV(w io.Writer) TableWriter {
	return &csvTable{w: csv.NewWriter(w), record: make([]string, len(columns))}
}

func (t *csvTable) Write(r Row) error {
	if !t.header {
		t.header = true
		if err := t.writeHeader(); err != nil {
			return err
		}
	}
	for i, c := range columns {
		t.record[i] = c.value(&r)
	}
	return t.w.Write(t.record)
}

func (t *csvTable) writeHeader() error {
	for i, c := range columns {
		t.record[i] = c.name
	}
	return t.w.Write(t.record)
}

func (t *csvTable) Close() error {
	if !t.header {
		t.header = true
		if err := t.writeHeader(); err != nil {
			return err
		}
	}
	t.w.Flush()
	return t.w.Error()
}

type jsonlTable struct {
	b   *bufio.Writer
	enc *json.Encoder
}

// NewJSONL writes the table as JSON Lines: one Row object a line.
func NewJSONL(w io.Writer) TableWriter {
	b := bufio.NewWriter(w)
	enc := json.NewEncoder(b)
	enc.SetEscapeHTML(false)
	return &jsonlTable{b: b, enc: enc}
}

func (t *jsonlTable) Write(r Row) error { return t.enc.Encode(r) }
func (t *jsonlTable) Close() error      { return t.b.Flush() }

// parquetBatch is how many rows the Parquet writer takes at once, and parquetGroup how many
// make a row group: together they bound its memory whatever the census's size.
const (
	parquetBatch = 1024
	parquetGroup = 64 * 1024
)

type parquetTable struct {
	w     *parquet.GenericWriter[Row]
	batch []Row
}

// NewParquet writes the table as Parquet (zstd), its schema from Row's parquet tags.
func NewParquet(w io.Writer) TableWriter {
	pw := parquet.NewGenericWriter[Row](w, parquet.Compression(&parquet.Zstd), parquet.MaxRowsPerRowGroup(parquetGroup))
	return &parquetTable{w: pw, batch: make([]Row, 0, parquetBatch)}
}

func (t *parquetTable) Write(r Row) error {
	t.batch = append(t.batch, r)
	if len(t.batch) < parquetBatch {
		return nil
	}
	return t.flush()
}

func (t *parquetTable) flush() error {
	_, err := t.w.Write(t.batch)
	clear(t.batch)
	t.batch = t.batch[:0]
	return err
}

func (t *parquetTable) Close() error {
	if err := t.flush(); err != nil {
		return err
	}
	return t.w.Close()
}
