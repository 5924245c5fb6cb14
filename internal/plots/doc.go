// Package plots draws the project's figures with gonum.org/v1/plot: the empirical latency
// CDF of the SockShop variants (from compare) and a metric against a parameter with one line
// per group and its 95% confidence band (from a sweep).
//
// Output format follows the file extension: .svg or .png. Both are deterministic: the same
// input renders the same bytes (tested by rendering twice; series are drawn in the order
// given, and SeriesFromMap sorts by name). Fonts are gonum's embedded Liberation fonts,
// referenced by name in SVG (not embedded), so nothing depends on the machine's fonts when
// rendering; an SVG viewer substitutes a sans-serif font if Liberation is not installed.
package plots
