package capacity

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/edgesim/edgesim/engine"
)

// SLOStats are the latency statistics an SLO can bound, in the order String writes them.
var SLOStats = []string{"mean", "p50", "p95", "p99"}

// SLO is a service-level objective: bounds that must all hold (see the package doc). A zero
// latency bound is no bound.
type SLO struct {
	Mean, P50, P95, P99 engine.Time
	// MaxFailed bounds failed / (completed + failed) when HasFailed.
	MaxFailed float64
	HasFailed bool
}

// bounds lists the latency bounds in SLOStats order, with a pointer to each.
func (s *SLO) bounds() [4]*engine.Time { return [4]*engine.Time{&s.Mean, &s.P50, &s.P95, &s.P99} }

// ParseSLO reads "TERM,TERM,...", each TERM one of mean=D, p50=D, p95=D, p99=D (D a positive
// Go duration such as 500ms or 1.5s) or failed=F (F a fraction in [0, 1], written 0.01 or
// 1%). Each term may appear once; at least one is needed. Spaces around terms are ignored.
func ParseSLO(text string) (SLO, error) {
	var s SLO
	if strings.TrimSpace(text) == "" {
		return s, fmt.Errorf("capacity: empty SLO (valid: terms such as p95=500ms,p99=1s,failed=1%%)")
	}
	seen := map[string]bool{}
	for _, term := range strings.Split(text, ",") {
		key, val, ok := strings.Cut(strings.TrimSpace(term), "=")
		key, val = strings.TrimSpace(key), strings.TrimSpace(val)
		if !ok || key == "" || val == "" {
			return SLO{}, fmt.Errorf("capacity: SLO term %q: want STAT=VALUE, e.g. p95=500ms or failed=1%%", term)
		}
		if seen[key] {
			return SLO{}, fmt.Errorf("capacity: SLO term %q: %s is bounded twice", term, key)
		}
		seen[key] = true
		if key == "failed" {
			f, err := parseFraction(val)
			if err != nil {
				return SLO{}, fmt.Errorf("capacity: SLO term %q: %w", term, err)
			}
			s.MaxFailed, s.HasFailed = f, true
			continue
		}
		i := indexOf(SLOStats, key)
		if i < 0 {
			return SLO{}, fmt.Errorf("capacity: SLO term %q: unknown statistic %q (valid: %s, failed)", term, key, strings.Join(SLOStats, ", "))
		}
		d, err := time.ParseDuration(val)
		if err != nil || d <= 0 {
			return SLO{}, fmt.Errorf("capacity: SLO term %q: bad bound %q (valid: a positive duration such as 500ms or 1.5s)", term, val)
		}
		*s.bounds()[i] = engine.Time(d)
	}
	return s, nil
}

// parseFraction reads "0.05" or "5%" as a fraction in [0, 1].
func parseFraction(v string) (float64, error) {
	num, pct := strings.CutSuffix(v, "%")
	f, err := strconv.ParseFloat(strings.TrimSpace(num), 64)
	if pct {
		f /= 100
	}
	if err != nil || !(f >= 0 && f <= 1) {
		return 0, fmt.Errorf("bad failed fraction %q (valid: a fraction from 0 to 1 such as 0.01, or a percentage such as 1%%)", v)
	}
	return f, nil
}

func indexOf(list []string, s string) int {
	for i, v := range list {
		if v == s {
			return i
		}
	}
	return -1
}

// String is the SLO in ParseSLO's syntax, terms in SLOStats order then failed; "none" for
// the zero SLO. ParseSLO(s.String()) == s for every SLO ParseSLO returns.
func (s SLO) String() string {
	var terms []string
	for i, b := range s.bounds() {
		if *b > 0 {
			terms = append(terms, SLOStats[i]+"="+time.Duration(*b).String())
		}
	}
	if s.HasFailed {
		terms = append(terms, "failed="+strconv.FormatFloat(s.MaxFailed, 'g', -1, 64))
	}
	if len(terms) == 0 {
		return "none"
	}
	return strings.Join(terms, ",")
}

func (s SLO) validate() error {
	for i, b := range s.bounds() {
		if *b < 0 {
			return fmt.Errorf("capacity: SLO bound on %s is negative (%v)", SLOStats[i], *b)
		}
	}
	if s.HasFailed && !(s.MaxFailed >= 0 && s.MaxFailed <= 1) {
		return fmt.Errorf("capacity: SLO failed fraction must be in [0, 1], got %v", s.MaxFailed)
	}
	return nil
}

// FailedFraction is failed / (completed + failed), 0 when the run finished no workflow.
func (r Row) FailedFraction() float64 {
	n := r.Workflows + r.Failed
	if n == 0 {
		return 0
	}
	return float64(r.Failed) / float64(n)
}

// Check says whether row r meets the SLO and, when it does not, every reason, joined by "; "
// (e.g. "p95 1203.400ms > 1s; 3 requests rejected").
func (s SLO) Check(r Row) (ok bool, why string) {
	var miss []string
	if r.Workflows == 0 {
		miss = append(miss, "no workflow completed")
	}
	if r.Rejected > 0 {
		miss = append(miss, fmt.Sprintf("%d requests rejected", r.Rejected))
	}
	stats := [4]float64{r.Latency.Mean, r.Latency.P50, r.Latency.P95, r.Latency.P99}
	for i, b := range s.bounds() {
		if *b > 0 && r.Workflows > 0 && stats[i] > b.Milliseconds() {
			miss = append(miss, fmt.Sprintf("%s %sms > %v", SLOStats[i], ms3(stats[i]), time.Duration(*b)))
		}
	}
	if s.HasFailed {
		if f := r.FailedFraction(); f > s.MaxFailed {
			miss = append(miss, fmt.Sprintf("failed %d of %d (%s%%) > %s%%", r.Failed, r.Workflows+r.Failed, pct(f), pct(s.MaxFailed)))
		}
	}
	return len(miss) == 0, strings.Join(miss, "; ")
}

// pct writes a fraction as a percentage with three significant digits ("12.5", "1", "0.0333").
func pct(f float64) string { return strconv.FormatFloat(float64(f*100), 'g', 3, 64) }

// ms3 writes milliseconds with three decimals (a microsecond), as every table does.
func ms3(v float64) string { return strconv.FormatFloat(v, 'f', 3, 64) }
