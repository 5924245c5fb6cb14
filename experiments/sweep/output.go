package main

import (
	"fmt"
	"os"
	"path/filepath"
)

// output is a file being written. A new or regular file is written to PATH.tmp and renamed
// over PATH by Commit, so a reader (or merge after a retried shard) never sees half a file.
// Anything else that already exists at PATH (a device such as /dev/null or /dev/stdout, a
// pipe, a symbolic link) is written in place and never replaced.
type output struct {
	f         *os.File
	path, tmp string
}

func createOutput(path string) (*output, error) {
	if fi, err := os.Lstat(path); err == nil && !fi.Mode().IsRegular() {
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_TRUNC, 0)
		if err != nil {
			return nil, fmt.Errorf("sweep: %w", err)
		}
		return &output{f: f, path: path}, nil
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, fmt.Errorf("sweep: %w", err)
	}
	tmp := path + ".tmp"
	f, err := os.Create(tmp)
	if err != nil {
		return nil, fmt.Errorf("sweep: %w", err)
	}
	return &output{f: f, path: path, tmp: tmp}, nil
}

func (o *output) Write(p []byte) (int, error) { return o.f.Write(p) }

// Commit closes the file and, for a regular file, renames it into place.
func (o *output) Commit() error {
	if o.f == nil {
		return fmt.Errorf("sweep: %s: already closed", o.path)
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
		return fmt.Errorf("sweep: %s: %w", o.path, err)
	}
	return nil
}

// Abort closes the file and removes the temporary file; a no-op after Commit.
func (o *output) Abort() {
	if o.f == nil {
		return
	}
	o.f.Close()
	o.f = nil
	if o.tmp != "" {
		os.Remove(o.tmp)
	}
}
