package fixers

import (
	"bytes"
	"slices"
)

// LineEdits returns the edits of whole lines that turn before into after, as a line diff
// finds them (Myers' algorithm). The fix engine applies fixes in passes, each against the
// previous pass's content; this is how the result is shown as one diff of the file read.
func LineEdits(path string, before, after []byte) []Edit {
	a, b := splitLines(before), splitLines(after)
	pre := 0
	for pre < len(a) && pre < len(b) && bytes.Equal(a[pre], b[pre]) {
		pre++
	}
	suf := 0
	for suf < len(a)-pre && suf < len(b)-pre && bytes.Equal(a[len(a)-1-suf], b[len(b)-1-suf]) {
		suf++
	}
	matches := lcs(a[pre:len(a)-suf], b[pre:len(b)-suf])
	var edits []Edit
	i, j := 0, 0
	for _, m := range append(matches, [2]int{len(a) - suf - pre, len(b) - suf - pre}) {
		if m[0] > i || m[1] > j {
			edits = append(edits, Edit{
				Path:  path,
				Start: lineStart(a, pre+i),
				End:   lineStart(a, pre+m[0]),
				New:   string(bytes.Join(b[pre+j:pre+m[1]], nil)),
			})
		}
		i, j = m[0]+1, m[1]+1
	}
	return edits
}

// lcs returns the index pairs of the lines a and b have in common, in order: a longest
// common subsequence found by Myers' O(ND) algorithm, which is fast when the files differ
// in few lines, as a fixed file does.
func lcs(a, b [][]byte) [][2]int {
	n, m := len(a), len(b)
	offset := n + m + 1 // v[offset+k] is the furthest x on diagonal k, for |k| <= n+m+1
	v := make([]int, 2*offset+1)
	var trace [][]int
	for d := 0; d <= n+m; d++ {
		trace = append(trace, slices.Clone(v))
		for k := -d; k <= d; k += 2 {
			var x int
			if k == -d || k != d && v[offset+k-1] < v[offset+k+1] {
				x = v[offset+k+1] // a line of b inserted
			} else {
				x = v[offset+k-1] + 1 // a line of a deleted
			}
			y := x - k
			for x < n && y < m && bytes.Equal(a[x], b[y]) {
				x, y = x+1, y+1
			}
			v[offset+k] = x
			if x >= n && y >= m {
				return backtrack(trace, offset, n, m)
			}
		}
	}
	return nil // not reached: d = n+m always ends the search
}

// backtrack walks the search back from the end and collects the diagonal moves.
func backtrack(trace [][]int, offset, x, y int) [][2]int {
	var out [][2]int
	for d := len(trace) - 1; d > 0; d-- {
		v, k := trace[d], x-y
		prev := k - 1
		if k == -d || k != d && v[offset+k-1] < v[offset+k+1] {
			prev = k + 1
		}
		px := v[offset+prev]
		py := px - prev
		for x > px && y > py {
			x, y = x-1, y-1
			out = append(out, [2]int{x, y})
		}
		x, y = px, py
	}
	for x > 0 && y > 0 {
		x, y = x-1, y-1
		out = append(out, [2]int{x, y})
	}
	slices.Reverse(out)
	return out
}
