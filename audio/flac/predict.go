package flac

// bestFixedOrder returns the order, 0 to 4, of the fixed predictor whose
// residual is smallest in magnitude, found in one pass: the residual of
// order k is the k-th difference of the signal.
func bestFixedOrder(x []int32) int {
	if len(x) < 5 {
		return 0
	}
	var sum [5]uint64
	p1 := int64(x[3]) - int64(x[2])
	p2 := p1 - (int64(x[2]) - int64(x[1]))
	p3 := p2 - ((int64(x[2]) - int64(x[1])) - (int64(x[1]) - int64(x[0])))
	prev := int64(x[3])
	for _, v := range x[4:] {
		e0 := int64(v)
		e1 := e0 - prev
		e2 := e1 - p1
		e3 := e2 - p2
		e4 := e3 - p3
		sum[0] += uint64(abs64(e0))
		sum[1] += uint64(abs64(e1))
		sum[2] += uint64(abs64(e2))
		sum[3] += uint64(abs64(e3))
		sum[4] += uint64(abs64(e4))
		prev, p1, p2, p3 = e0, e1, e2, e3
	}
	best := 0
	for o := 1; o < 5; o++ {
		if sum[o] < sum[best] {
			best = o
		}
	}
	return best
}

// fixedPredictError is x[i] less the fixed predictor's guess of it.
func fixedPredictError(x []int32, i, order int) int64 {
	a := int64(x[i])
	switch order {
	case 0:
		return a
	case 1:
		return a - int64(x[i-1])
	case 2:
		return a - 2*int64(x[i-1]) + int64(x[i-2])
	case 3:
		return a - 3*int64(x[i-1]) + 3*int64(x[i-2]) - int64(x[i-3])
	}
	return a - 4*int64(x[i-1]) + 6*int64(x[i-2]) - 4*int64(x[i-3]) + int64(x[i-4])
}

func fixedResidual(x []int32, order int, res []int32) {
	for i := order; i < len(x); i++ {
		res[i-order] = int32(fixedPredictError(x, i, order))
	}
}

func abs64(v int64) int64 {
	if v < 0 {
		return -v
	}
	return v
}

// fixedRestore turns residuals into samples with the fixed predictor of
// order.
func fixedRestore[T sample](x []T, order int) {
	switch order {
	case 1:
		for i := 1; i < len(x); i++ {
			x[i] += x[i-1]
		}
	case 2:
		for i := 2; i < len(x); i++ {
			x[i] += 2*x[i-1] - x[i-2]
		}
	case 3:
		for i := 3; i < len(x); i++ {
			x[i] += 3*x[i-1] - 3*x[i-2] + x[i-3]
		}
	case 4:
		for i := 4; i < len(x); i++ {
			x[i] += 4*x[i-1] - 6*x[i-2] + 4*x[i-3] - x[i-4]
		}
	}
}

// lpcRestore turns residuals into samples with a linear predictor.
func lpcRestore[T sample](x []T, coef []int64, shift int) {
	order := len(coef)
	for i := order; i < len(x); i++ {
		var sum int64
		for j, c := range coef {
			sum += c * int64(x[i-1-j])
		}
		x[i] += T(sum >> shift)
	}
}
