// Package tables renders one table of strings for people (an ASCII table or Markdown, with
// tablewriter) or for tools (CSV), so that every command prints the same numbers either way.
package tables

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/olekukonko/tablewriter"
	"github.com/olekukonko/tablewriter/renderer"
	"github.com/olekukonko/tablewriter/tw"
)

// Formats are the values Render accepts.
var Formats = []string{"table", "markdown", "csv"}

// CheckFormat returns an error naming the valid formats when f is not one of them.
func CheckFormat(f string, extra ...string) error {
	for _, v := range append(Formats, extra...) {
		if f == v {
			return nil
		}
	}
	return fmt.Errorf("unknown format %q (valid: %s)", f, strings.Join(append(Formats, extra...), ", "))
}

// Render writes header and rows to w in format ("table", "markdown" or "csv"). Headers are
// printed as given (no upper-casing); columns whose cells are all numbers are right-aligned,
// the others left-aligned ("" and "-" count as numbers: they mark a missing value).
func Render(w io.Writer, format string, header []string, rows [][]string) error {
	switch format {
	case "csv":
		cw := csv.NewWriter(w)
		if err := cw.Write(header); err != nil {
			return err
		}
		if err := cw.WriteAll(rows); err != nil {
			return err
		}
		return cw.Error()
	case "table", "markdown":
		opts := []tablewriter.Option{
			tablewriter.WithHeaderAutoFormat(tw.Off),
			tablewriter.WithHeaderAlignment(tw.AlignLeft),
			tablewriter.WithRowAlignmentConfig(tw.CellAlignment{Global: tw.AlignLeft, PerColumn: aligns(len(header), rows)}),
		}
		if format == "markdown" {
			opts = append(opts, tablewriter.WithRenderer(renderer.NewMarkdown()))
		}
		t := tablewriter.NewTable(w, opts...)
		t.Header(toAny(header)...)
		for _, r := range rows {
			if err := t.Append(toAny(r)...); err != nil {
				return err
			}
		}
		return t.Render()
	}
	return CheckFormat(format)
}

// aligns right-aligns the numeric columns.
func aligns(n int, rows [][]string) []tw.Align {
	out := make([]tw.Align, n)
	for c := range out {
		out[c] = tw.AlignRight
		for _, r := range rows {
			if c < len(r) && r[c] != "" && r[c] != "-" {
				if _, err := strconv.ParseFloat(r[c], 64); err != nil {
					out[c] = tw.AlignLeft
					break
				}
			}
		}
	}
	return out
}

func toAny(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}
