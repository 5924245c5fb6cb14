// Package cli is what the commands (compare, sweep, routes) share to read their input
// before any work starts, so that every bad input gets the same kind of answer: a message
// that names the flag (or the file and its element) and the valid range, and exit code 2.
//
//   - Errors: UsageError (exit code 2: a bad flag, a bad value, a bad input file) and
//     ExitCode, which maps every other error to 1 (a failure while running or writing).
//   - Flags: Set wraps a flag.FlagSet. Its typed flags (Uint64, Int, Float, Duration,
//     String, Bool, Func) carry their valid range and check it when the flag is set, refuse
//     a flag given twice (unless it is declared repeatable), and never print the usage on a
//     bad flag: Parse returns one error naming the flag and the range, and the command
//     prints it with one line pointing at -h. Only -h prints the usage.
//   - Limits (limits.go): the largest run, file, grid and so on that the commands accept,
//     with the reason for each. Commands print them in -h and the README lists them.
//   - Files (files.go): ReadInput reads an input file only if it is a regular file no
//     larger than a limit; CheckOutput refuses an output that is a directory, or that is
//     the same file as an input or another output (os.SameFile when both exist, the same
//     cleaned absolute path with symbolic links resolved otherwise), or lies inside an
//     output directory.
//   - Report directories (outdir.go): a directory is written through a temporary directory
//     beside it and renamed into place, and an existing directory is replaced only when it
//     is a report of the same program holding nothing but the files such a report holds.
//   - Escapes (escape.go): node ids may contain the separators of -place and -outage
//     (',', '=', '@', '+'): a backslash makes the next character literal.
//
// Adding a flag to a command: declare it with a range on the command's Set (the range is
// checked when the flag is parsed), then add any check that involves two flags or a file to
// the command's validate function, which runs before any work. Both return UsageError.
package cli
