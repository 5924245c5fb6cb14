package spec

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// Load reads and validates a spec file: JSON when its name ends in .json, YAML otherwise
// (see Parse).
func Load(path string) (*Spec, error) {
	data, err := readFile(path)
	if err != nil {
		return nil, err
	}
	return Parse(filepath.Base(path), data)
}

// readFile reads a spec or scenario file: a regular file (a directory, a device or a named
// pipe is refused rather than read, which could block or never end) of at most
// MaxFileBytes.
func readFile(path string) ([]byte, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("apps: %w", err)
	}
	if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("apps: %s: not a regular file", path)
	}
	if st.Size() > MaxFileBytes {
		return nil, fmt.Errorf("apps: %s: larger than %d bytes", path, MaxFileBytes)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("apps: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxFileBytes+1))
	if err != nil {
		return nil, fmt.Errorf("apps: %s: %w", path, err)
	}
	return data, nil
}

// Parse reads and validates a spec; name is used in errors and picks the format: JSON for
// a name ending in .json, YAML for .yaml or .yml, otherwise JSON if the data starts with '{'
// and YAML if not. Errors start with "apps: <name>: " and name the place: the line and path
// of a value that does not fit the format (unknown field, wrong type), or the element
// (service, endpoint, step) that breaks a rule.
func Parse(name string, data []byte) (*Spec, error) {
	s := &Spec{}
	if err := parseFile(name, data, s, s.validate); err != nil {
		return nil, err
	}
	return s, nil
}

// parseFile reads data (JSON or YAML, by name as in Parse) strictly into v, then checks it
// with validate; every error starts with "apps: <name>: ". Specs and scenario files share it.
func parseFile(name string, data []byte, v any, validate func() error) error {
	if len(data) > MaxFileBytes {
		return fmt.Errorf("apps: %s: larger than %d bytes", name, MaxFileBytes)
	}
	var (
		n   *node
		err error
	)
	if isJSON(name, data) {
		n, err = parseJSON(data)
	} else {
		n, err = parseYAML(data)
	}
	if err == nil {
		err = decode(n, v)
	}
	if err == nil {
		err = validate()
	}
	if err != nil {
		return fmt.Errorf("apps: %s: %w", name, err)
	}
	return nil
}

func isJSON(name string, data []byte) bool {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".json":
		return true
	case ".yaml", ".yml":
		return false
	}
	return bytes.HasPrefix(bytes.TrimLeft(data, " \t\r\n"), []byte("{"))
}
