package report

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strings"

	"github.com/edgesim/edgesim/sockshop"
)

// Meta is the content of a report's config.json. It holds no timestamp, host name or path
// outside the user's arguments, so the same command writes the same bytes.
type Meta struct {
	Program string            `json:"program"`         // the command, e.g. "compare", "sweep"
	Version string            `json:"version"`         // Version()
	Format  Format            `json:"report_format"`   // encoding of the tables
	Extra   map[string]string `json:"extra,omitempty"` // command-specific parameters (sorted keys)
	Runs    []sockshop.Config `json:"runs"`            // every parameter of every run, seed included
}

// Version is the main module's version from the build information ("v1.2.3", or a
// pseudo-version when built with VCS stamping), or "devel" when there is none (go run, go
// test, (devel) builds).
func Version() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok || bi.Main.Version == "" || bi.Main.Version == "(devel)" {
		return "devel"
	}
	return bi.Main.Version
}

// WriteConfig writes DIR/config.json (indented JSON, keys of maps sorted, ending in a
// newline), creating DIR if needed.
func WriteConfig(dir string, m Meta) error {
	if m.Runs == nil {
		m.Runs = []sockshop.Config{}
	}
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return fmt.Errorf("report: config.json: %w", err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	path := filepath.Join(dir, "config.json")
	if err := os.WriteFile(path, append(b, '\n'), 0o644); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	return nil
}

// IsReportFile says whether rel (slash-separated, relative to a report directory) is a name
// this package writes there: config.json, a variant's directory (sockshop.Variants), or a
// table of a variant in either encoding (Tables and SummaryTable); in a report of several
// applications, also the application directories AppDir(i) and the same names inside them.
// Commands use it to recognise a report directory they may replace; nothing else may be in
// one.
func IsReportFile(rel string, isDir bool) bool {
	if rel == "config.json" {
		return !isDir
	}
	if first, rest, nested := strings.Cut(rel, "/"); isAppDir(first) {
		if !nested {
			return isDir
		}
		app, _, _ := strings.Cut(rest, "/")
		return rest != "config.json" && !isAppDir(app) && IsReportFile(rest, isDir)
	}
	variant, file, nested := strings.Cut(rel, "/")
	if !slices.Contains(sockshop.Variants, variant) {
		return false
	}
	if !nested {
		return isDir
	}
	name, ext, _ := strings.Cut(file, ".")
	if isDir || !slices.ContainsFunc(Formats, func(f Format) bool { return f.Ext() == ext }) {
		return false
	}
	return slices.ContainsFunc(append(slices.Clone(Tables), SummaryTable), func(t Table) bool { return t.Name == name })
}

// AppDir is the directory, inside a report, of the i-th application (from 0) of a run of
// several: "app1", "app2", ...
func AppDir(i int) string { return fmt.Sprintf("app%d", i+1) }

// isAppDir reports whether name is an AppDir.
func isAppDir(name string) bool {
	digits, ok := strings.CutPrefix(name, "app")
	if !ok || digits == "" || digits[0] == '0' || len(digits) > 4 {
		return false
	}
	for _, c := range digits {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}
