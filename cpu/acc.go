package cpu

import "math/bits"

// acc is an exact unsigned 128-bit accumulator (hi*2^64 + lo). Integrals of jobs x ns over a
// long run overflow int64 (1000 jobs for 107 days of virtual time); 128 bits never do, and
// integer sums are the same on every machine.
type acc struct {
	hi, lo uint64
}

func (a *acc) add(x uint64) {
	var c uint64
	a.lo, c = bits.Add64(a.lo, x, 0)
	a.hi += c
}

func (a *acc) addMul(x, y uint64) {
	h, l := bits.Mul64(x, y)
	var c uint64
	a.lo, c = bits.Add64(a.lo, l, 0)
	a.hi += h + c
}

// float returns the value rounded to float64. The explicit conversion of the product keeps
// the compiler from fusing it with the sum (Go allows a fused multiply-add on some
// machines), so every machine gets the same bits.
func (a acc) float() float64 {
	return float64(float64(a.hi)*0x1p64) + float64(a.lo)
}

// ring is a FIFO of job ids in a power-of-two circular buffer; push and pop are O(1) and
// allocate nothing once the buffer has grown to the most jobs waiting at once.
type ring struct {
	buf  []int32
	head int
	n    int
}

func (r *ring) len() int { return r.n }

func (r *ring) push(id int32) {
	if r.n == len(r.buf) {
		nb := make([]int32, max(16, 2*len(r.buf)))
		for i := range r.n {
			nb[i] = r.buf[(r.head+i)&(len(r.buf)-1)]
		}
		r.buf, r.head = nb, 0
	}
	r.buf[(r.head+r.n)&(len(r.buf)-1)] = id
	r.n++
}

func (r *ring) pop() int32 {
	id := r.buf[r.head]
	r.head = (r.head + 1) & (len(r.buf) - 1)
	r.n--
	return id
}
