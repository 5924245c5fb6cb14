package docscheck

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode"

	"github.com/edgesim/edgesim/internal/cli"
)

// root is the repository's root, two levels up from this package.
var root, _ = filepath.Abs(filepath.Join("..", ".."))

// documents are the Markdown files whose links must resolve.
func documents(t *testing.T) []string {
	t.Helper()
	docs, err := filepath.Glob(filepath.Join(root, "docs", "*.md"))
	if err != nil {
		t.Fatal(err)
	}
	if len(docs) < 2 {
		t.Fatalf("docs/ holds %d Markdown files; MODEL.md and SOCKSHOP.md are expected", len(docs))
	}
	return append([]string{filepath.Join(root, "README.md")}, docs...)
}

var (
	linkRE  = regexp.MustCompile(`!?\[[^\]]*\]\(([^)\s]+)(?:\s+"[^"]*")?\)`)
	fenceRE = regexp.MustCompile("(?m)^```")
)

// prose drops fenced code blocks, whose brackets are not links.
func prose(text string) string {
	parts := fenceRE.Split(text, -1)
	var b strings.Builder
	for i, p := range parts {
		if i%2 == 0 {
			b.WriteString(p)
		}
	}
	return b.String()
}

// slug is GitHub's anchor of a heading: lower case, letters, digits, '-' and '_' kept,
// spaces turned into '-', everything else dropped.
func slug(heading string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(strings.TrimSpace(heading)) {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-' || r == '_':
			b.WriteRune(r)
		case r == ' ':
			b.WriteByte('-')
		}
	}
	return b.String()
}

// anchors are the heading anchors of a Markdown file (duplicates get -1, -2, ...).
func anchors(text string) map[string]bool {
	out := map[string]bool{}
	seen := map[string]int{}
	for _, line := range strings.Split(prose(text), "\n") {
		if !strings.HasPrefix(line, "#") {
			continue
		}
		h := strings.TrimLeft(line, "#")
		if h == "" || h[0] != ' ' {
			continue
		}
		s := slug(h)
		if n := seen[s]; n > 0 {
			out[s+"-"+strconv.Itoa(n)] = true
		} else {
			out[s] = true
		}
		seen[s]++
	}
	return out
}

// TestRelativeLinks: every relative link of README.md and docs/*.md names a file or
// directory inside the repository, and a #heading that exists.
func TestRelativeLinks(t *testing.T) {
	for _, doc := range documents(t) {
		data, err := os.ReadFile(doc)
		if err != nil {
			t.Fatal(err)
		}
		rel, _ := filepath.Rel(root, doc)
		links := linkRE.FindAllStringSubmatch(prose(string(data)), -1)
		if len(links) == 0 && rel != "README.md" {
			continue
		}
		for _, m := range links {
			target := m[1]
			if strings.Contains(target, "://") || strings.HasPrefix(target, "mailto:") {
				continue
			}
			path, anchor, _ := strings.Cut(target, "#")
			file := doc
			if path != "" {
				file = filepath.Clean(filepath.Join(filepath.Dir(doc), filepath.FromSlash(path)))
				if r, err := filepath.Rel(root, file); err != nil || r == ".." || strings.HasPrefix(r, ".."+string(filepath.Separator)) {
					t.Errorf("%s: link %q leaves the repository", rel, target)
					continue
				}
				if _, err := os.Stat(file); err != nil {
					t.Errorf("%s: link %q: %v", rel, target, err)
					continue
				}
			}
			if anchor != "" && strings.HasSuffix(file, ".md") {
				text, _ := os.ReadFile(file)
				if !anchors(string(text))[anchor] {
					t.Errorf("%s: link %q: no heading with anchor #%s in %s", rel, target, anchor, filepath.Base(file))
				}
			}
		}
	}
}

// outside matches what points outside the repository: a path of the machine the project was
// written on, or design notes that are not in it (the repository's own docs/SOCKSHOP.md and
// docs/MODEL.md are named with their docs/ directory, or linked from inside docs/).
var outside = regexp.MustCompile(`/work/|shared/|DESIGN\.md|SOCKSHOP\.md`)

// ownName strips the repository's own names of the documents from a line.
var ownName = regexp.MustCompile(`\[SOCKSHOP\.md\]\(SOCKSHOP\.md[)#]|docs/SOCKSHOP\.md|\]\(SOCKSHOP\.md[)#]|\[SOCKSHOP\.md\]`)

// pending are lines, in packages this change does not own, that still point outside the
// repository: a file and a piece of the line. Whoever fixes one removes it here; the test
// fails when an entry no longer matches any line of its file, so the list cannot go stale.
var pending = []struct{ file, text string }{}

// TestNoOutsidePaths: no tracked text file names a path of the machine it was written on,
// or the design notes that are not part of the repository.
func TestNoOutsidePaths(t *testing.T) {
	out, err := exec.Command("git", "-C", root, "ls-files").Output()
	if err != nil {
		t.Skip("not a git checkout:", err)
	}
	seen := make([]bool, len(pending))
	for _, f := range strings.Fields(string(out)) {
		if strings.HasPrefix(f, "internal/docscheck/") || strings.HasSuffix(f, ".svg") || strings.HasSuffix(f, ".png") {
			continue
		}
		data, err := os.ReadFile(filepath.Join(root, f))
		if err != nil || strings.IndexByte(string(data), 0) >= 0 {
			continue // unreadable or binary
		}
	lines:
		for i, line := range strings.Split(string(data), "\n") {
			if !outside.MatchString(ownName.ReplaceAllString(line, "")) {
				continue
			}
			for k, p := range pending {
				if p.file == f && strings.Contains(line, p.text) {
					seen[k] = true
					continue lines
				}
			}
			t.Errorf("%s:%d points outside the repository: %s", f, i+1, strings.TrimSpace(line))
		}
	}
	for k, p := range pending {
		if !seen[k] {
			t.Errorf("%s no longer holds %q: remove it from pending", p.file, p.text)
		}
	}
}

// TestREADMEListsTheLimits: the README's table of limits shows the values the code enforces.
func TestREADMEListsTheLimits(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(root, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	readme := string(data)
	for _, line := range strings.Split(strings.TrimSpace(cli.Limits("steps", "time", "nodes", "links", "infra", "grid", "workers", "sweepfile", "routes")), "\n") {
		fields := strings.SplitN(strings.TrimSpace(line), "  ", 2)
		value := strings.Fields(strings.TrimSpace(fields[len(fields)-1]))[0]
		if !strings.Contains(readme, "| "+value) {
			t.Errorf("README: no limit %q (from %q)", value, strings.TrimSpace(line))
		}
	}
}
