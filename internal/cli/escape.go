package cli

import (
	"errors"
	"strings"
)

// The escape rule of node ids in -place and -outage: a backslash makes the next character
// literal, so "\," "\=" "\@" "\+" and "\\" stand for ',' '=' '@' '+' and '\'. Separators are
// the unescaped characters only. (In a shell, quote the value: -place 'FrontendService=a\,b'.)
// Where the rule splits at the first '=' or the last '@', a node id may hold that character
// without an escape.

// Special are the characters that separate parts of -place and -outage values.
const Special = `\,=@+`

// Escape returns id with a backslash before every character of Special and before a space
// or tab at either end (the parsers trim unescaped ones), so that Unescape(Escape(id)) ==
// id and no separator of id is taken for one.
func Escape(id string) string {
	var b strings.Builder
	for i := 0; i < len(id); i++ {
		c := id[i]
		edge := (i == 0 || i == len(id)-1) && (c == ' ' || c == '\t')
		if strings.IndexByte(Special, c) >= 0 || edge {
			b.WriteByte('\\')
		}
		b.WriteByte(c)
	}
	return b.String()
}

// ErrTrailingBackslash: a value ends with a backslash that escapes nothing.
var ErrTrailingBackslash = errors.New(`a backslash at the end escapes nothing (write \\ for a backslash)`)

// Unescape removes the escapes of s.
func Unescape(s string) (string, error) {
	if strings.IndexByte(s, '\\') < 0 {
		return s, nil
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' {
			if i+1 == len(s) {
				return "", ErrTrailingBackslash
			}
			i++
		}
		b.WriteByte(s[i])
	}
	return b.String(), nil
}

// unescaped returns the byte offsets of the unescaped occurrences of sep in s.
func unescaped(s string, sep byte) []int {
	var at []int
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case sep:
			at = append(at, i)
		}
	}
	return at
}

// Split splits s at every unescaped sep; the parts keep their escapes.
func Split(s string, sep byte) []string {
	var parts []string
	last := 0
	for _, i := range unescaped(s, sep) {
		parts = append(parts, s[last:i])
		last = i + 1
	}
	return append(parts, s[last:])
}

// Cut cuts s at its first unescaped sep.
func Cut(s string, sep byte) (before, after string, found bool) {
	at := unescaped(s, sep)
	if len(at) == 0 {
		return s, "", false
	}
	return s[:at[0]], s[at[0]+1:], true
}

// CutLast cuts s at its last unescaped sep.
func CutLast(s string, sep byte) (before, after string, found bool) {
	at := unescaped(s, sep)
	if len(at) == 0 {
		return s, "", false
	}
	i := at[len(at)-1]
	return s[:i], s[i+1:], true
}
