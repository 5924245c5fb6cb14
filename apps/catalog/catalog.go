package catalog

import (
	"embed"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"

	"github.com/edgesim/edgesim/apps/spec"
)

// FS holds the catalogue's spec files.
//
//go:embed *.yaml
var FS embed.FS

// Names lists the applications of the catalogue (file names without .yaml), sorted.
func Names() []string {
	ents, _ := fs.ReadDir(FS, ".")
	var out []string
	for _, e := range ents {
		if n, ok := strings.CutSuffix(e.Name(), ".yaml"); ok {
			out = append(out, n)
		}
	}
	slices.Sort(out)
	return out
}

// Spec reads and validates the named application's spec.
func Spec(name string) (*spec.Spec, error) {
	data, err := FS.ReadFile(name + ".yaml")
	if err != nil {
		return nil, fmt.Errorf("apps: catalog: no application %q (have: %s)", name, strings.Join(Names(), ", "))
	}
	return spec.Parse(path.Base(name)+".yaml", data)
}

// App returns the named application, ready for scenario.Run.
func App(name string) (*spec.App, error) {
	s, err := Spec(name)
	if err != nil {
		return nil, err
	}
	return spec.New(s)
}
