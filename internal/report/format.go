package report

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
)

// Format is the encoding of the report tables.
type Format string

// The report encodings.
const (
	// CSV writes one header line (the column names) and one comma-separated line per row.
	CSV Format = "csv"
	// JSONL writes one JSON object per row, keys in column order, empty cells as null.
	JSONL Format = "jsonl"
)

// Formats lists the valid formats, in help order.
var Formats = []Format{CSV, JSONL}

// ParseFormat parses a -report-format value.
func ParseFormat(s string) (Format, error) {
	for _, f := range Formats {
		if string(f) == s {
			return f, nil
		}
	}
	return "", fmt.Errorf("report: unknown format %q (valid: csv, jsonl)", s)
}

// Ext is the file extension of the format, without the dot.
func (f Format) Ext() string { return string(f) }

// Float formats a float deterministically: decimal notation, rounded to 6 digits after the
// point (strconv 'f', 6: ties to even on the binary value), trailing zeros and a trailing
// point removed, "-0" written "0". NaN and infinities are written as the empty string (a
// missing value). 6 digits keep nanosecond resolution for values in milliseconds.
func Float(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return ""
	}
	s := strconv.FormatFloat(v, 'f', 6, 64)
	s = strings.TrimRight(s, "0")
	s = strings.TrimSuffix(s, ".")
	if s == "-0" {
		s = "0"
	}
	return s
}

// cell kinds decide how a value is encoded in JSONL.
const (
	kNull = iota
	kStr
	kNum
	kBool
)

// Cell is one formatted value of a table.
type Cell struct {
	s    string
	kind uint8
}

// String is the CSV text of the cell.
func (c Cell) String() string { return c.s }

// Str is a string cell; the empty string is a missing value.
func Str(s string) Cell {
	if s == "" {
		return Cell{}
	}
	return Cell{s, kStr}
}

// Num is a float cell formatted with Float; NaN and infinities are missing values.
func Num(v float64) Cell {
	s := Float(v)
	if s == "" {
		return Cell{}
	}
	return Cell{s, kNum}
}

// Int is an integer cell.
func Int(v int) Cell { return Cell{strconv.Itoa(v), kNum} }

// Uint is an unsigned integer cell.
func Uint(v uint64) Cell { return Cell{strconv.FormatUint(v, 10), kNum} }

// Bool is a boolean cell, "true" or "false".
func Bool(v bool) Cell { return Cell{strconv.FormatBool(v), kBool} }

// Null is a missing value: empty in CSV, null in JSONL.
func Null() Cell { return Cell{} }

// Column is a documented column of a table.
type Column struct {
	Name string
	Doc  string
}

// encoder writes rows of one table in one format.
type encoder struct {
	w      io.Writer
	format Format
	cols   []Column
	buf    []byte
}

func newEncoder(w io.Writer, format Format, cols []Column) (*encoder, error) {
	e := &encoder{w: w, format: format, cols: cols}
	if format == CSV {
		names := make([]Cell, len(cols))
		for i, c := range cols {
			names[i] = Str(c.Name)
		}
		e.buf = appendCSV(e.buf[:0], names)
		if _, err := w.Write(e.buf); err != nil {
			return nil, err
		}
	}
	return e, nil
}

func (e *encoder) row(cells []Cell) error {
	if len(cells) != len(e.cols) {
		return fmt.Errorf("report: row has %d cells, table has %d columns", len(cells), len(e.cols))
	}
	if e.format == JSONL {
		e.buf = appendJSON(e.buf[:0], e.cols, cells)
	} else {
		e.buf = appendCSV(e.buf[:0], cells)
	}
	_, err := e.w.Write(e.buf)
	return err
}

// appendCSV appends one RFC 4180 line (quoted only when needed), ending in "\n".
func appendCSV(b []byte, cells []Cell) []byte {
	for i, c := range cells {
		if i > 0 {
			b = append(b, ',')
		}
		if strings.ContainsAny(c.s, ",\"\r\n") {
			b = append(b, '"')
			b = append(b, strings.ReplaceAll(c.s, `"`, `""`)...)
			b = append(b, '"')
		} else {
			b = append(b, c.s...)
		}
	}
	return append(b, '\n')
}

func appendJSON(b []byte, cols []Column, cells []Cell) []byte {
	b = append(b, '{')
	for i, c := range cells {
		if i > 0 {
			b = append(b, ',')
		}
		k, _ := json.Marshal(cols[i].Name)
		b = append(b, k...)
		b = append(b, ':')
		switch c.kind {
		case kNull:
			b = append(b, "null"...)
		case kStr:
			v, _ := json.Marshal(c.s)
			b = append(b, v...)
		default:
			b = append(b, c.s...)
		}
	}
	return append(b, '}', '\n')
}

// CSVLine formats cells as one CSV line ending in "\n", as the report files do. Commands
// that write their own CSV (the sweep) use it so every CSV of the project is quoted the same.
func CSVLine(cells []Cell) string { return string(appendCSV(nil, cells)) }
