package spec

import _ "embed"

//go:embed schema.json
var schema []byte

// Schema returns the JSON Schema (draft 2020-12) of the format: every field, its type and
// its bounds. Rules that need the whole file (names resolve, no cycle of calls,
// probabilities sum to 1, a forward comes last) are the parser's; a file the schema rejects
// is rejected by Parse too (tested on every catalogue file and on mutations of them).
func Schema() []byte { return append([]byte(nil), schema...) }
