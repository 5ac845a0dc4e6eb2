package tsne

import "math"

// exp returns e**x. It is the portable Go implementation of math.Exp (from the Go
// standard library, src/math/exp.go, BSD license, itself from FreeBSD's e_exp.c), so
// that it compiles to plain SSE2 code.
//
// Why not math.Exp: on amd64, math.Exp is assembly that mixes VEX (FMA) and legacy SSE
// instructions. When the upper halves of the AVX registers are left dirty (observed
// with GOEXPERIMENT=simd after the runtime clears a large allocation), every such switch
// costs a state transition, and math.Exp became ~100× slower (600 ns instead of 6 ns a
// call), which made the perplexity search take seconds instead of a fraction of one.
func exp(x float64) float64 {
	const (
		ln2Hi = 6.93147180369123816490e-01
		ln2Lo = 1.90821492927058770002e-10
		log2e = 1.44269504088896338700e+00

		overflow  = 7.09782712893383973096e+02
		underflow = -7.45133219101941108420e+02
		nearZero  = 1.0 / (1 << 28) // 2**-28
	)
	switch {
	case math.IsNaN(x):
		return x
	case x > overflow:
		return math.Inf(1)
	case x < underflow:
		return 0
	case -nearZero < x && x < nearZero:
		return 1 + x
	}
	// Reduce x = k·ln2 + r, |r| <= ln2/2, with r = hi - lo for extra precision.
	var k int
	switch {
	case x < 0:
		k = int(log2e*x - 0.5)
	case x > 0:
		k = int(log2e*x + 0.5)
	}
	hi := x - float64(k)*ln2Hi
	lo := float64(k) * ln2Lo

	const (
		p1 = 1.66666666666666657415e-01
		p2 = -2.77777777770155933842e-03
		p3 = 6.61375632143793436117e-05
		p4 = -1.65339022054652515390e-06
		p5 = 4.13813679705723846039e-08
	)
	r := hi - lo
	t := r * r
	c := r - t*(p1+t*(p2+t*(p3+t*(p4+t*p5))))
	y := 1 - ((lo - (r*c)/(2-c)) - hi)
	return math.Ldexp(y, k)
}
