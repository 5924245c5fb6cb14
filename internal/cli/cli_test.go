package cli

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/edgesim/edgesim/network"
)

func TestEscape(t *testing.T) {
	for _, id := range []string{"", "n1", "a,b", "c=d", "e@f", `g\h`, "ü+1", " sp ", "\t", `\`, `,,==@@++\\`} {
		esc := Escape(id)
		got, err := Unescape(esc)
		if err != nil || got != id {
			t.Errorf("Unescape(Escape(%q)) = %q, %v", id, got, err)
		}
		for _, sep := range []byte(",=@+") {
			if at := unescaped(esc, sep); len(at) > 0 {
				t.Errorf("Escape(%q) = %q has an unescaped %q", id, esc, sep)
			}
		}
	}
	if _, err := Unescape(`ab\`); !errors.Is(err, ErrTrailingBackslash) {
		t.Errorf("trailing backslash: %v", err)
	}
	if got := Split(`a\,b,c,,d\\,e`, ','); strings.Join(got, "|") != `a\,b|c||d\\|e` {
		t.Errorf("Split = %q", got)
	}
	if a, b, ok := Cut(`x\=y=z=w`, '='); a != `x\=y` || b != "z=w" || !ok {
		t.Errorf("Cut = %q %q %v", a, b, ok)
	}
	if a, b, ok := CutLast(`e@f\@g@1s`, '@'); a != `e@f\@g` || b != "1s" || !ok {
		t.Errorf("CutLast = %q %q %v", a, b, ok)
	}
	if _, _, ok := CutLast(`a\@b`, '@'); ok {
		t.Error("CutLast found an escaped separator")
	}
}

// FuzzEscape: escaping any two ids and joining them with a separator always splits back
// into the same two ids.
func FuzzEscape(f *testing.F) {
	f.Add("a,b", "c=d")
	f.Add(`\`, " x ")
	f.Fuzz(func(t *testing.T, a, b string) {
		for _, sep := range []byte(",=@+") {
			parts := Split(Escape(a)+string(sep)+Escape(b), sep)
			if len(parts) != 2 {
				t.Fatalf("%q %q sep %q: %d parts", a, b, sep, len(parts))
			}
			for i, want := range []string{a, b} {
				if got, err := Unescape(parts[i]); err != nil || got != want {
					t.Fatalf("%q %q sep %q: part %d = %q, %v", a, b, sep, i, got, err)
				}
			}
		}
	})
}

func TestFlags(t *testing.T) {
	type vals struct {
		u    uint64
		i    int
		f    float64
		d    time.Duration
		s, c string
		b    bool
		rep  []string
	}
	newSet := func(v *vals) *Set {
		s := NewSet("cmd", "Usage: cmd\n")
		s.Uint64(&v.u, "seed", 1, 1<<64-1, "`seed`", "a seed names the run")
		s.Int(&v.i, "n", 5, 1, 10, "`n`")
		s.Float(&v.f, "p", 0.5, 0, 1, "`p`")
		s.Duration(&v.d, "d", time.Second, time.Millisecond, time.Hour, "`d`")
		s.String(&v.s, "s", "", "`s`")
		s.String(&v.c, "c", "x", "`c`", "x", "y")
		s.Bool(&v.b, "b", false, "b")
		s.Func("r", "`r`", true, func(x string) error { v.rep = append(v.rep, x); return nil })
		return s
	}
	for _, tc := range []struct {
		args []string
		want string // error substring; "" = ok
	}{
		{[]string{"-seed", "18446744073709551615", "-n", "1e1", "-p", "1", "-d", "1h", "-s", "", "-c", "y", "-b", "-r", "1", "-r", "2"}, ""},
		{[]string{"-seed", "-1"}, `-seed "-1": want an integer from 0 to 18446744073709551615 (2^64-1); a seed names the run`},
		{[]string{"-seed", "1.5"}, "-seed"},
		{[]string{"-n", "11"}, `-n "11": want an integer from 1 to 10`},
		{[]string{"-n", "1.5"}, `-n "1.5"`},
		{[]string{"-n", "1e30"}, `-n "1e30"`},
		{[]string{"-p", "NaN"}, `-p "NaN": want a number from 0 to 1`},
		{[]string{"-p", "-Inf"}, `-p "-Inf"`},
		{[]string{"-d", "5"}, `-d "5": want a duration with its unit`},
		{[]string{"-d", "2h"}, "from 1ms to 1h"},
		{[]string{"-c", "z"}, `-c "z": want one of x, y`},
		{[]string{"-b=2"}, `-b "2": want true or false`},
		{[]string{"-n", "2", "-n", "2"}, `-n "2": given more than once`},
		{[]string{"-zz"}, "flag provided but not defined: -zz"},
		{[]string{"-n"}, "flag needs an argument: -n"},
	} {
		var v vals
		s := newSet(&v)
		var out bytes.Buffer
		err := s.Parse(tc.args, &out)
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%q: %v", tc.args, err)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want) || !IsUsage(err)):
			t.Errorf("%q: error %v, want a usage error containing %q", tc.args, err, tc.want)
		case out.Len() != 0:
			t.Errorf("%q printed %q (only -h prints)", tc.args, out.String())
		}
		if tc.want == "" && (v.u != 1<<64-1 || v.i != 10 || v.d != time.Hour || len(v.rep) != 2 || !v.b || !s.Given("s") || s.Given("zz")) {
			t.Errorf("values %+v", v)
		}
	}
	var v vals
	var out bytes.Buffer
	if err := newSet(&v).Parse([]string{"-h"}, &out); !errors.Is(err, ErrHelp) || !strings.Contains(out.String(), "(valid: 1..10) (default 5)") {
		t.Errorf("-h: %v\n%s", err, out.String())
	}
}

func TestExitCodeAndReport(t *testing.T) {
	var b bytes.Buffer
	if c := Report(&b, "sweep merge", Usagef("sweep: merge: bad")); c != 2 || b.String() != "sweep: merge: bad\nrun 'sweep merge -h' for the flags and their valid ranges\n" {
		t.Errorf("usage: %d %q", c, b.String())
	}
	b.Reset()
	if c := Report(&b, "compare", errors.New("disk full")); c != 1 || b.String() != "compare: disk full\n" {
		t.Errorf("failure: %d %q", c, b.String())
	}
	if c := Report(&b, "compare", ErrHelp); c != 0 {
		t.Errorf("help: %d", c)
	}
}

func TestNodeRange(t *testing.T) {
	for _, parts := range [][]float64{{0.6, 0.1, 0.15, 0.15}, {0.6, 0.2, 0.1, 0.1}, {1}, {1, 1}, {0.999, 0.001}, {1, 1e-9}} {
		lo, hi := NodeRange(parts)
		// naive reference: scan every n up to a bound
		nlo, nhi := 0, 0
		for n := 1; n <= 5000; n++ {
			if CheckNodes("-nodes", n, "-partitioning", parts) == nil {
				if nlo == 0 {
					nlo = n
				}
				nhi = n
			}
		}
		if nlo == 0 { // none found below the bound
			if lo <= hi && lo <= 5000 {
				t.Errorf("%v: NodeRange %d..%d, the scan found none", parts, lo, hi)
			}
			continue
		}
		if lo != nlo || (nhi < 5000 && hi != nhi) {
			t.Errorf("%v: NodeRange %d..%d, scan %d..%d", parts, lo, hi, nlo, nhi)
		}
	}
	lo, hi := NodeRange([]float64{0.6, 0.1, 0.15, 0.15})
	if lo != 10 || hi != 10000 {
		t.Errorf("reference partitioning: %d..%d, want 10..10000 (the README says so)", lo, hi)
	}
	if err := CheckNodes("-nodes", 1, "-partitioning", []float64{0.6, 0.1, 0.15, 0.15}); err == nil || !strings.Contains(err.Error(), "valid: 10..10000") {
		t.Errorf("nodes 1: %v", err)
	}
	if err := CheckNodes("-nodes", 30, "-partitioning", []float64{0.5, 0, 0.5}); err == nil || !strings.Contains(err.Error(), "-partitioning 0.5,0,0.5: fraction 2 is 0") {
		t.Errorf("zero fraction: %v", err)
	}
}

func TestCheckHorizon(t *testing.T) {
	if err := CheckHorizon("-steps", 100, "-step", 500*time.Millisecond); err != nil {
		t.Error(err)
	}
	if err := CheckHorizon("-steps", 1, "-step", MaxVirtualTime); err != nil {
		t.Error(err)
	}
	if err := CheckHorizon("-steps", 2, "-step", MaxVirtualTime); err == nil || !strings.Contains(err.Error(), "at most 1 steps") {
		t.Errorf("2 x max: %v", err)
	}
	if err := CheckHorizon("-steps", MaxSteps, "-step", time.Hour*24*365); err == nil {
		t.Error("a million years accepted")
	}
}

func TestInputs(t *testing.T) {
	dir := t.TempDir()
	small := filepath.Join(dir, "small")
	os.WriteFile(small, []byte("12345"), 0o644)
	for _, tc := range []struct {
		path  string
		limit int64
		want  string
	}{
		{small, 5, ""},
		{small, 4, "5 bytes, above the limit of 4 bytes"},
		{dir, 5, "is a directory"},
		{"/dev/zero", 5, "a device, not a regular file"},
		{filepath.Join(dir, "none"), 5, "no such file"},
		{"", 5, "empty file name"},
	} {
		data, err := ReadInput("-in", tc.path, tc.limit)
		if tc.want == "" {
			if err != nil || string(data) != "12345" {
				t.Errorf("%s: %q %v", tc.path, data, err)
			}
		} else if err == nil || !strings.Contains(err.Error(), tc.want) || !IsUsage(err) {
			t.Errorf("%s: %v, want a usage error containing %q", tc.path, err, tc.want)
		}
	}
}

func TestCheckPaths(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "in.json")
	os.WriteFile(in, []byte("{}"), 0o644)
	os.Mkdir(filepath.Join(dir, "sub"), 0o755)
	link := filepath.Join(dir, "link.json")
	hasLink := os.Symlink(in, link) == nil
	dirLink := filepath.Join(dir, "dlink")
	os.Symlink(filepath.Join(dir, "sub"), dirLink)
	P := func(flag, name string, k Kind) Path { return Path{flag, name, k} }
	for _, tc := range []struct {
		name  string
		paths []Path
		want  string
	}{
		{"distinct", []Path{P("-in", in, Input), P("-o", filepath.Join(dir, "out.csv"), OutFile)}, ""},
		{"two inputs may be one file", []Path{P("-a", in, Input), P("-b", in, Input)}, ""},
		{"output is the input", []Path{P("-in", in, Input), P("-o", in, OutFile)}, "same file"},
		{"other spelling", []Path{P("-in", in, Input), P("-o", filepath.Join(dir, "sub", "..", "in.json"), OutFile)}, "same file"},
		{"two new outputs", []Path{P("-o", filepath.Join(dir, "x"), OutFile), P("-summary", filepath.Join(dir, ".", "x"), OutFile)}, "same file"},
		{"new output through a linked directory", []Path{P("-o", filepath.Join(dir, "sub", "x"), OutFile), P("-summary", filepath.Join(dirLink, "x"), OutFile)}, "same file"},
		{"devices are written in place", []Path{P("-o", "/dev/null", OutFile), P("-summary", "/dev/null", OutFile)}, ""},
		{"output file is a directory", []Path{P("-o", dir, OutFile)}, "is a directory"},
		{"output directory is a file", []Path{P("-out", in, OutDir)}, "not a directory"},
		{"input inside the output directory", []Path{P("-in", in, Input), P("-out", dir, OutDir)}, "inside -out"},
		{"output inside the output directory", []Path{P("-cdf", filepath.Join(dir, "sub", "c.svg"), OutFile), P("-out", dirLink, OutDir)}, "inside -out"},
		{"working directory", []Path{P("-out", ".", OutDir)}, "working directory"},
		{"empty names are skipped", []Path{P("-in", "", Input), P("-o", "", OutFile)}, ""},
	} {
		err := CheckPaths(tc.paths...)
		if (tc.want == "") != (err == nil) || (err != nil && (!strings.Contains(err.Error(), tc.want) || !IsUsage(err))) {
			t.Errorf("%s: %v, want %q", tc.name, err, tc.want)
		}
	}
	if hasLink {
		if err := CheckPaths(P("-in", in, Input), P("-o", link, OutFile)); err == nil {
			t.Error("an output through a symbolic link to the input was accepted")
		}
	}
}

func TestOutput(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "a", "out.csv")
	write := func(p, text string, commit bool) error {
		o, err := CreateOutput("-o", p)
		if err != nil {
			return err
		}
		o.Write([]byte(text))
		if !commit {
			o.Abort()
			return nil
		}
		return o.Commit()
	}
	if err := write(path, "one", true); err != nil {
		t.Fatal(err)
	}
	if err := write(path, "two", false); err != nil { // aborted: the old file stays
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(path); string(b) != "one" {
		t.Errorf("after an aborted write: %q", b)
	}
	link := filepath.Join(dir, "link.csv")
	if os.Symlink(path, link) == nil {
		if err := write(link, "three", true); err != nil {
			t.Fatal(err)
		}
		if fi, _ := os.Lstat(link); fi.Mode()&os.ModeSymlink == 0 {
			t.Error("the symbolic link was replaced")
		}
		if b, _ := os.ReadFile(path); string(b) != "three" {
			t.Errorf("through the link: %q", b)
		}
	}
	if err := write("/dev/null", "x", true); err != nil {
		t.Errorf("/dev/null: %v", err)
	}
	if err := write(dir, "x", true); err == nil || !IsUsage(err) {
		t.Errorf("a directory: %v", err)
	}
	if err := write(filepath.Join(path, "x"), "x", true); err == nil || IsUsage(err) {
		t.Errorf("under a file: %v, want an I/O error", err)
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	for _, e := range entries {
		if IsTemp(e.Name()) {
			t.Errorf("temporary file left: %s", e.Name())
		}
	}
}

func TestReportDir(t *testing.T) {
	known := func(rel string, isDir bool) bool {
		return rel == "config.json" || rel == "v" || rel == "v/t.csv"
	}
	write := func(dir string) error {
		rd, err := PrepareReportDir("-out", dir, "prog", known)
		if err != nil {
			return err
		}
		defer rd.Abort()
		os.WriteFile(filepath.Join(rd.Tmp, "config.json"), []byte(`{"program": "prog"}`), 0o644)
		os.Mkdir(filepath.Join(rd.Tmp, "v"), 0o755)
		os.WriteFile(filepath.Join(rd.Tmp, "v", "t.csv"), []byte("new"), 0o644)
		return rd.Commit()
	}
	root := t.TempDir()
	out := filepath.Join(root, "out")
	if err := write(out); err != nil { // new
		t.Fatal(err)
	}
	if err := write(out); err != nil { // ours: replaced
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(out, "mine.txt"), []byte("keep"), 0o644)
	if err := write(out); err == nil || !strings.Contains(err.Error(), "holds mine.txt") {
		t.Errorf("a user file: %v", err)
	}
	if b, _ := os.ReadFile(filepath.Join(out, "mine.txt")); string(b) != "keep" {
		t.Error("the user's file was touched")
	}
	other := filepath.Join(root, "other")
	os.MkdirAll(other, 0o755)
	os.WriteFile(filepath.Join(other, "config.json"), []byte(`{"program": "else"}`), 0o644)
	if err := write(other); err == nil || !strings.Contains(err.Error(), "not a prog report") {
		t.Errorf("another program's report: %v", err)
	}
	empty := filepath.Join(root, "empty")
	os.Mkdir(empty, 0o755)
	if err := write(empty); err != nil {
		t.Errorf("an empty directory: %v", err)
	}
	entries, _ := os.ReadDir(root)
	for _, e := range entries {
		if IsTemp(e.Name()) {
			t.Errorf("temporary directory left: %s", e.Name())
		}
	}
}

// FuzzCountNodeLink: the streaming count never panics, and on any document the parser
// accepts it counts at least the parser's nodes (exactly, unless a key is repeated: the
// parser keeps the last "nodes", the count adds them all), so the limit is never dodged.
func FuzzCountNodeLink(f *testing.F) {
	f.Add([]byte(`{"nodes": [{"id": "a"}, {"id": "b"}], "edges": [{"source": "a", "target": "b"}]}`))
	f.Add([]byte(`{"graph": {"nodes": [1, 2, 3]}, "nodes": [{"id": 1, "x": [[]]}], "links": []}`))
	f.Add([]byte(`{"nodes": [`))
	f.Fuzz(func(t *testing.T, data []byte) {
		n, e := CountNodeLink(data, 1<<20)
		if n < 0 || e < 0 {
			t.Fatalf("negative counts %d %d", n, e)
		}
		if g, err := network.ParseNodeLink("x", data); err == nil && g.Len() > n {
			t.Fatalf("counted %d nodes, the parser found %d", n, g.Len())
		}
	})
}

func TestCountNodeLinkStopsEarly(t *testing.T) {
	doc := []byte(`{"nodes": [{"id": 1}, {"id": 2}, {"id": 3}, {"id": 4}], "edges": [{}, {}]}`)
	if n, e := CountNodeLink(doc, 100); n != 4 || e != 2 {
		t.Errorf("counted %d nodes %d edges, want 4 and 2", n, e)
	}
	if n, e := CountNodeLink(doc, 2); n+e <= 2 {
		t.Errorf("a document above the limit counted %d + %d", n, e)
	}
	if n, _ := CountNodeLink([]byte(`{"nodes": [{"id": 1}], "nodes": [{"id": 2}, {"id": 3}]}`), 100); n != 3 {
		t.Errorf("repeated keys: counted %d, want 3 (all of them)", n)
	}
}
