package cli

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// A report directory (compare -out DIR, each run of sweep -out DIR) is written into a
// temporary directory beside it and renamed into place when complete, so it never mixes the
// files of two runs: an earlier report is replaced as a whole. An existing directory is
// replaced only when it is empty or is a report of the same program (its config.json says
// so) holding nothing but the files such a report holds; anything else is refused with a
// *UsageError before any work, so nothing the user made is ever deleted.
//
// Temporary names start with "." and hold ".edgesim-tmp-" or ".edgesim-old-"; if the
// command is killed at the wrong moment one of them may remain beside DIR.

// Known says whether rel (slash-separated, relative to the report's root) is a file
// (isDir false) or directory the program writes in a report.
type Known func(rel string, isDir bool) bool

// ReportMeta is what the checks read of a report's config.json.
type ReportMeta struct {
	Program string            `json:"program"`
	Extra   map[string]string `json:"extra"`
	Runs    []json.RawMessage `json:"runs"`
}

// maxConfigBytes bounds the config.json read from an existing directory.
const maxConfigBytes = 16 << 20

// maxReportEntries bounds the entries inspected in an existing directory.
const maxReportEntries = 100_000

// ReadReportMeta reads DIR/config.json.
func ReadReportMeta(dir string) (*ReportMeta, error) {
	data, err := ReadInput("config.json", filepath.Join(dir, "config.json"), maxConfigBytes)
	if err != nil {
		return nil, err
	}
	var m ReportMeta
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, err
	}
	return &m, nil
}

// IsTemp reports whether name is a temporary name of this package (a leftover of a killed
// command, never one a user would choose).
func IsTemp(name string) bool {
	return strings.HasPrefix(name, ".") && (strings.Contains(name, ".edgesim-tmp-") || strings.Contains(name, ".edgesim-old-"))
}

// ReportDir is a report directory being written: write into Tmp, then Commit.
type ReportDir struct {
	Final string // the directory the report ends up in (symbolic links resolved)
	Tmp   string // the temporary directory to write into
	flag  string
}

// CheckReportDir checks that dir (named by flag) may receive a report of program: it does
// not exist, is empty, or is a report of program holding only names known accepts. It
// returns the directory with symbolic links resolved.
func CheckReportDir(flag, dir, program string, known Known) (string, error) {
	if dir == "" {
		return "", Usagef("%s: empty directory name", flag)
	}
	final := dir
	if fi, err := os.Lstat(dir); err == nil && fi.Mode()&fs.ModeSymlink != 0 {
		if final, err = filepath.EvalSymlinks(dir); err != nil {
			return "", Usagef("%s %s: a symbolic link to nowhere (%v)", flag, dir, unwrapPath(err))
		}
	}
	fi, err := os.Stat(final)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return final, nil
	case err != nil: // e.g. a parent is a file: the output cannot be written (exit code 1)
		return "", fmt.Errorf("%s %s: %w", flag, dir, unwrapPath(err))
	case !fi.IsDir():
		return "", Usagef("%s %s: exists and is not a directory", flag, dir)
	}
	entries, err := os.ReadDir(final)
	if err != nil {
		return "", Usagef("%s %s: %v", flag, dir, unwrapPath(err))
	}
	if len(entries) == 0 {
		return final, nil
	}
	meta, err := ReadReportMeta(final)
	if err != nil || meta.Program != program {
		return "", Usagef("%s %s: the directory is not empty and is not a %s report (no config.json written by %s): give a new or empty directory", flag, dir, program, program)
	}
	n := 0
	err = filepath.WalkDir(final, func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			return Usagef("%s %s: %v", flag, dir, err)
		}
		if p == final {
			return nil
		}
		if n++; n > maxReportEntries {
			return Usagef("%s %s: more than %d entries, more than a %s report holds: give a new or empty directory", flag, dir, maxReportEntries, program)
		}
		rel, _ := filepath.Rel(final, p)
		rel = filepath.ToSlash(rel)
		t := e.Type()
		if !(t.IsDir() || t.IsRegular()) || !known(rel, t.IsDir()) {
			return Usagef("%s %s holds %s, which a %s report does not: move it away or give another directory (the report replaces the directory as a whole)", flag, dir, rel, program)
		}
		return nil
	})
	if err != nil {
		return "", err
	}
	return final, nil
}

// PrepareReportDir checks dir (CheckReportDir) and creates the temporary directory beside it
// (creating its parent if needed).
func PrepareReportDir(flag, dir, program string, known Known) (*ReportDir, error) {
	final, err := CheckReportDir(flag, dir, program, known)
	if err != nil {
		return nil, err
	}
	final, err = filepath.Abs(final)
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", flag, dir, err)
	}
	parent, base := filepath.Dir(final), filepath.Base(final)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return nil, fmt.Errorf("%s %s: %w", flag, dir, err)
	}
	tmp, err := os.MkdirTemp(parent, "."+base+".edgesim-tmp-")
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", flag, dir, err)
	}
	if err := os.Chmod(tmp, 0o755); err != nil {
		os.RemoveAll(tmp)
		return nil, fmt.Errorf("%s %s: %w", flag, dir, err)
	}
	return &ReportDir{Final: final, Tmp: tmp, flag: flag}, nil
}

// Commit puts the report in place: an existing directory is moved aside, the temporary one
// renamed to it, and the old one removed.
func (d *ReportDir) Commit() error {
	if d.Tmp == "" {
		return fmt.Errorf("%s %s: already committed or aborted", d.flag, d.Final)
	}
	tmp := d.Tmp
	d.Tmp = ""
	fail := func(err error) error {
		os.RemoveAll(tmp)
		return fmt.Errorf("%s %s: %w", d.flag, d.Final, err)
	}
	if _, err := os.Lstat(d.Final); errors.Is(err, fs.ErrNotExist) {
		if err := os.Rename(tmp, d.Final); err != nil {
			return fail(err)
		}
		return nil
	}
	parent, base := filepath.Dir(d.Final), filepath.Base(d.Final)
	// A fresh name for the earlier report: os.Rename refuses to replace a directory, so
	// reserve the name with MkdirTemp and free it just before the rename.
	old, err := os.MkdirTemp(parent, "."+base+".edgesim-old-")
	if err == nil {
		err = os.Remove(old)
	}
	if err != nil {
		return fail(err)
	}
	if err := os.Rename(d.Final, old); err != nil {
		return fail(err)
	}
	if err := os.Rename(tmp, d.Final); err != nil {
		os.Rename(old, d.Final) // put the earlier report back
		return fail(err)
	}
	if err := os.RemoveAll(old); err != nil {
		return fmt.Errorf("%s %s: the report is in place, but the earlier one stays in %s: %w", d.flag, d.Final, old, err)
	}
	return nil
}

// Abort removes the temporary directory (a no-op after Commit).
func (d *ReportDir) Abort() {
	if d.Tmp != "" {
		os.RemoveAll(d.Tmp)
		d.Tmp = ""
	}
}
