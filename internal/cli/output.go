package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// Output is a file being written. A new file, or an existing regular file, is written to a
// temporary file beside it (".NAME.edgesim-tmp-*") and renamed over it by Commit, so a
// reader never sees half a file and a failed command leaves the old file as it was. A
// symbolic link is followed and its target replaced the same way (the link stays). A device
// or a pipe (/dev/null, /dev/stdout, a named pipe) is written in place and never replaced.
type Output struct {
	f               *os.File
	flag, path, tmp string
}

// CreateOutput opens the output file named by flag (creating its parent directories). Call
// it before the work, so that an output that cannot be written is found at once; errors
// name the flag.
func CreateOutput(flag, path string) (*Output, error) {
	if path == "" {
		return nil, Usagef("%s: empty file name", flag)
	}
	target := path
	if fi, err := os.Lstat(path); err == nil && fi.Mode()&fs.ModeSymlink != 0 {
		if r, err := filepath.EvalSymlinks(path); err == nil {
			target = r
		}
	}
	fi, err := os.Stat(target)
	switch {
	case err == nil && fi.IsDir():
		return nil, Usagef("%s %s: is a directory (want a file name)", flag, path)
	case err == nil && !fi.Mode().IsRegular():
		f, err := os.OpenFile(target, os.O_WRONLY|os.O_TRUNC, 0)
		if err != nil {
			return nil, fmt.Errorf("%s %s: %w", flag, path, unwrapPath(err))
		}
		return &Output{f: f, flag: flag, path: path}, nil
	case err != nil && !errors.Is(err, fs.ErrNotExist):
		return nil, fmt.Errorf("%s %s: %w", flag, path, unwrapPath(err))
	}
	if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
		return nil, fmt.Errorf("%s %s: %w", flag, path, unwrapPath(err))
	}
	f, err := os.CreateTemp(filepath.Dir(target), "."+filepath.Base(target)+".edgesim-tmp-")
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", flag, path, unwrapPath(err))
	}
	mode := fs.FileMode(0o644)
	if fi != nil {
		mode = fi.Mode().Perm()
	}
	if err := f.Chmod(mode); err != nil {
		f.Close()
		os.Remove(f.Name())
		return nil, fmt.Errorf("%s %s: %w", flag, path, unwrapPath(err))
	}
	return &Output{f: f, flag: flag, path: target, tmp: f.Name()}, nil
}

// Write writes to the file.
func (o *Output) Write(p []byte) (int, error) {
	if o.f == nil {
		return 0, fmt.Errorf("%s %s: already closed", o.flag, o.path)
	}
	return o.f.Write(p)
}

// Commit closes the file and, unless it was written in place, renames it into place.
func (o *Output) Commit() error {
	if o.f == nil {
		return fmt.Errorf("%s %s: already closed", o.flag, o.path)
	}
	err := o.f.Close()
	o.f = nil
	if err == nil && o.tmp != "" {
		err = os.Rename(o.tmp, o.path)
	}
	if err != nil {
		if o.tmp != "" {
			os.Remove(o.tmp)
		}
		return fmt.Errorf("%s %s: %w", o.flag, o.path, unwrapPath(err))
	}
	return nil
}

// Abort closes the file and removes the temporary file; a no-op after Commit.
func (o *Output) Abort() {
	if o.f == nil {
		return
	}
	o.f.Close()
	o.f = nil
	if o.tmp != "" {
		os.Remove(o.tmp)
	}
}
