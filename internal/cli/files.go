package cli

import (
	"bytes"
	"encoding/json"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/edgesim/edgesim/network"
)

// OpenInput opens the input file named by flag for reading. It must be a regular file
// (symbolic links are followed) of at most limit bytes: a directory, a device such as
// /dev/zero, a pipe or a larger file is a *UsageError, and so is a file that cannot be
// opened. Read it through io.LimitReader(f, limit+1) and call CheckSize, so that a file
// that grows while it is read is refused too.
func OpenInput(flag, path string, limit int64) (*os.File, error) {
	if path == "" {
		return nil, Usagef("%s: empty file name", flag)
	}
	fi, err := os.Stat(path)
	if err != nil {
		return nil, Usagef("%s %s: %v", flag, path, unwrapPath(err))
	}
	if err := checkRegular(flag, path, fi, limit); err != nil {
		return nil, err
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, Usagef("%s %s: %v", flag, path, unwrapPath(err))
	}
	if fi, err = f.Stat(); err == nil {
		err = checkRegular(flag, path, fi, limit)
	}
	if err != nil {
		f.Close()
		return nil, AsUsage(err)
	}
	return f, nil
}

func checkRegular(flag, path string, fi fs.FileInfo, limit int64) error {
	switch {
	case fi.IsDir():
		return Usagef("%s %s: is a directory (want a file)", flag, path)
	case !fi.Mode().IsRegular():
		return Usagef("%s %s: %s, not a regular file (want a file of at most %d bytes)", flag, path, kindOf(fi.Mode()), limit)
	case fi.Size() > limit:
		return Usagef("%s %s: %d bytes, above the limit of %d bytes", flag, path, fi.Size(), limit)
	}
	return nil
}

// CheckSize refuses n bytes read from the input of flag when they exceed limit.
func CheckSize(flag, path string, n, limit int64) error {
	if n > limit {
		return Usagef("%s %s: more than %d bytes, the limit", flag, path, limit)
	}
	return nil
}

// ReadInput reads the whole input file named by flag (see OpenInput).
func ReadInput(flag, path string, limit int64) ([]byte, error) {
	f, err := OpenInput(flag, path, limit)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, Usagef("%s %s: %v", flag, path, unwrapPath(err))
	}
	if err := CheckSize(flag, path, int64(len(data)), limit); err != nil {
		return nil, err
	}
	return data, nil
}

// unwrapPath drops the operation and path of a *fs.PathError (the message names them).
func unwrapPath(err error) error {
	if pe, ok := err.(*fs.PathError); ok {
		return pe.Err
	}
	return err
}

// Kind says how a command uses a path.
type Kind int

// The kinds of Path.
const (
	Input   Kind = iota // a file read
	OutFile             // a file written (created or replaced)
	OutDir              // a directory written (created or replaced)
)

// Path is a file or directory named on the command line.
type Path struct {
	Flag string // e.g. "-infra"; for positional arguments a description such as "input file"
	Name string
	Kind Kind
}

// CheckPaths refuses, before any work:
//   - an output file that is an existing directory, an output directory that exists and is
//     not a directory;
//   - two paths of which at least one is an output and that name the same file (os.SameFile
//     when both exist, the same absolute path with symbolic links resolved otherwise), unless
//     that file is a device or a pipe, which outputs write in place and never replace
//     (-o /dev/null twice is fine);
//   - a path inside an output directory (the directory is replaced as a whole), and an
//     output directory holding the working directory.
//
// Empty names are skipped (the flag was not given).
func CheckPaths(paths ...Path) error {
	var ps []Path
	for _, p := range paths {
		if p.Name != "" {
			ps = append(ps, p)
		}
	}
	for _, p := range ps {
		fi, err := os.Stat(p.Name)
		switch {
		case err != nil:
		case p.Kind == OutFile && fi.IsDir():
			return Usagef("%s %s: is a directory (want a file name)", p.Flag, p.Name)
		case p.Kind == OutDir && !fi.IsDir():
			return Usagef("%s %s: exists and is not a directory", p.Flag, p.Name)
		}
	}
	for i, a := range ps {
		for _, b := range ps[i+1:] {
			if a.Kind == Input && b.Kind == Input {
				continue
			}
			if sameFile(a.Name, b.Name) {
				return Usagef("%s %s and %s %s are the same file: an output never replaces an input or another output", a.Flag, a.Name, b.Flag, b.Name)
			}
		}
	}
	wd, _ := os.Getwd()
	for _, d := range ps {
		if d.Kind != OutDir {
			continue
		}
		for _, p := range ps {
			if p != d && Within(p.Name, d.Name) {
				return Usagef("%s %s is inside %s %s: the directory is replaced as a whole, so nothing else may be in it", p.Flag, p.Name, d.Flag, d.Name)
			}
		}
		if wd != "" && (Within(wd, d.Name) || sameFile(wd, d.Name)) {
			return Usagef("%s %s holds the working directory; give a directory below it", d.Flag, d.Name)
		}
	}
	return nil
}

// sameFile reports whether a and b name the same file that an output would replace: the same
// existing regular file or directory, or the same path where nothing exists yet.
func sameFile(a, b string) bool {
	fa, errA := os.Stat(a)
	fb, errB := os.Stat(b)
	if errA == nil && errB == nil {
		if !os.SameFile(fa, fb) {
			return false
		}
		return fa.Mode().IsRegular() || fa.IsDir()
	}
	return canonical(a) == canonical(b)
}

// canonical is the absolute, cleaned path with the symbolic links of its longest existing
// prefix resolved.
func canonical(p string) string {
	abs, err := filepath.Abs(p)
	if err != nil {
		return filepath.Clean(p)
	}
	rest := ""
	for dir := abs; ; {
		if r, err := filepath.EvalSymlinks(dir); err == nil {
			return filepath.Join(r, rest)
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return abs
		}
		rest = filepath.Join(filepath.Base(dir), rest)
		dir = parent
	}
}

// Within reports whether path lies strictly inside directory dir: one of its ancestors is
// dir (os.SameFile, so symbolic links and other spellings count), or its canonical path
// starts with dir's.
func Within(path, dir string) bool {
	cp, cd := canonical(path), canonical(dir)
	if strings.HasPrefix(cp, cd+string(filepath.Separator)) || (cd == string(filepath.Separator) && cp != cd) {
		return true
	}
	di, err := os.Stat(dir)
	if err != nil || !di.IsDir() {
		return false
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return false
	}
	for p := filepath.Dir(abs); ; p = filepath.Dir(p) {
		if fi, err := os.Stat(p); err == nil && os.SameFile(fi, di) {
			return true
		}
		if filepath.Dir(p) == p {
			return false
		}
	}
}

// kindOf names a file type that is not a regular file, for messages.
func kindOf(m fs.FileMode) string {
	switch {
	case m&fs.ModeDevice != 0:
		return "a device"
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeSymlink != 0:
		return "a symbolic link"
	}
	return "a special file"
}

// CountNodeLink counts the elements of the "nodes" and of the "edges" or "links" arrays of
// a node-link JSON document without building anything (a streaming scan), and stops as soon
// as their sum exceeds max. Parsing a document costs far more memory than its size (about
// 1.5 KB per node or edge object, 175 times the size of a minimal `{"id":1}`), so the
// commands count first and refuse a file with more than MaxInfraElements elements. A
// document that is not valid JSON returns what was counted before the error: the parser
// reports the error with its position.
func CountNodeLink(data []byte, max int) (nodes, edges int) {
	dec := json.NewDecoder(bytes.NewReader(data))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return 0, 0
	}
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return nodes, edges
		}
		key, _ := t.(string)
		n, err := countArray(dec, max-nodes-edges)
		switch key {
		case "nodes":
			nodes += n
		case "edges", "links":
			edges += n
		}
		if err != nil || nodes+edges > max {
			return nodes, edges
		}
	}
	return nodes, edges
}

// countArray reads one value; if it is an array, it counts its elements (stopping after
// more than max).
func countArray(dec *json.Decoder, max int) (int, error) {
	t, err := dec.Token()
	if err != nil {
		return 0, err
	}
	d, ok := t.(json.Delim)
	if !ok {
		return 0, nil // a scalar
	}
	if d == '{' {
		return 0, skip(dec, 1)
	}
	n := 0
	for dec.More() {
		n++
		if n > max {
			return n, nil
		}
		t, err := dec.Token()
		if err != nil {
			return n, err
		}
		if d, ok := t.(json.Delim); ok && (d == '{' || d == '[') {
			if err := skip(dec, 1); err != nil {
				return n, err
			}
		}
	}
	_, err = dec.Token() // ']'
	return n, err
}

// skip reads tokens until depth nested objects or arrays are closed.
func skip(dec *json.Decoder, depth int) error {
	for depth > 0 {
		t, err := dec.Token()
		if err != nil {
			return err
		}
		if d, ok := t.(json.Delim); ok {
			if d == '{' || d == '[' {
				depth++
			} else {
				depth--
			}
		}
	}
	return nil
}

// ReadNodeLink reads and parses the node-link JSON file named by flag within the limits:
// a regular file of at most MaxInfraFileBytes bytes, at most MaxInfraElements nodes and
// edges, MaxNodes nodes and MaxLinks directed links; every error is a *UsageError naming the
// flag, the file and, from the parser, the element.
func ReadNodeLink(flag, path string) (*network.Graph, error) {
	data, err := ReadInput(flag, path, MaxInfraFileBytes)
	if err != nil {
		return nil, err
	}
	n, e := CountNodeLink(data, MaxInfraElements)
	switch {
	case n+e > MaxInfraElements:
		return nil, Usagef("%s %s: more than %d nodes and edges, the limit (parsing costs about 1.5 KB per element)", flag, path, MaxInfraElements)
	case n > MaxNodes:
		return nil, Usagef("%s %s: %d nodes, above the limit of %d", flag, path, n, MaxNodes)
	}
	g, err := network.ParseNodeLink(path, data)
	if err != nil {
		return nil, Usagef("%s: %v", flag, err)
	}
	if g.NumLinks() > MaxLinks {
		return nil, Usagef("%s %s: %d directed links, above the limit of %d", flag, path, g.NumLinks(), MaxLinks)
	}
	return g, nil
}
