package cli

import (
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
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
