package flac

import "math/bits"

// fold maps a signed residual to an unsigned one: 0, -1, 1, -2 ... to
// 0, 1, 2, 3 ...
func fold(r int32) uint64 { return uint64(uint32(r<<1) ^ uint32(r>>31)) }

// maxPartitionOrder bounds the Rice partitioning searched.
const maxPartitionOrder = 6

// riceParams is a partitioning of a residual and the Rice parameter of
// each partition.
type riceParams struct {
	order  int
	params []uint
}

// ricePlan chooses the partition order and Rice parameters that code the
// residual of a block of n samples (the first order of which are warm-up)
// in the fewest bits, and returns the plan and that size in bits.
//
// The sums of the folded residual in the finest partitions are taken in
// one pass and added up for the coarser ones; each partition's cost is
// estimated from its sum (m(k+1) + sum>>k bits), which picks the same
// parameters as counting exactly nearly always, at a fraction of the cost.
func (e *encoder) ricePlan(res []int32, n, warm int) (riceParams, uint64) {
	top := 0
	for top < maxPartitionOrder && n%(1<<(top+1)) == 0 && n>>(top+1) > warm {
		top++
	}
	sums, counts := e.sums[:1<<top], e.counts[:1<<top]
	clear(sums)
	clear(counts)
	size := n >> top
	for i, r := range res {
		j := (i + warm) / size
		sums[j] += fold(r)
		counts[j]++
	}
	best := riceParams{}
	bestBits := uint64(1 << 63)
	for p := top; p >= 0; p-- {
		plan := riceParams{order: p, params: e.params[0][:len(sums)]} // the one tried
		total := uint64(0)
		for i := range sums {
			k, b := riceCost(sums[i], counts[i])
			plan.params[i] = k
			total += b + 4
		}
		if total < bestBits { // the best so far, kept in a buffer of its own
			best = riceParams{order: p, params: append(e.params[1][:0], plan.params...)}
			bestBits = total
		}
		if p > 0 { // merge pairs for the next coarser order
			for i := range len(sums) / 2 {
				sums[i] = sums[2*i] + sums[2*i+1]
				counts[i] = counts[2*i] + counts[2*i+1]
			}
			sums, counts = sums[:len(sums)/2], counts[:len(counts)/2]
		}
	}
	return best, bestBits + 8 + 6
}

// riceCost returns the Rice parameter for a partition of m folded values
// summing to sum, and the estimated bits it takes.
func riceCost(sum, m uint64) (uint, uint64) {
	if m == 0 {
		return 0, 0
	}
	guess := 0
	if mean := sum / m; mean > 0 {
		guess = bits.Len64(mean) - 1
	}
	bestK, bestBits := uint(0), uint64(1<<63)
	for k := max(guess-1, 0); k <= min(guess+1, 14); k++ {
		if b := m*uint64(k+1) + sum>>k; b < bestBits {
			bestK, bestBits = uint(k), b
		}
	}
	return bestK, bestBits
}
