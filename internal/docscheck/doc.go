// Package docscheck holds the tests that keep the repository's documentation honest: every
// relative link in README.md and docs/*.md resolves to a file (and heading) inside the
// repository, no document or source file points at a path outside it, and the README lists
// the commands' limits with the values the code enforces. It has no code of its own.
package docscheck
