// Package groups partitions a list by a key, keeping the order of the list.
package groups

// By returns items grouped by key: a group per distinct key, in the order of the first item
// of each, and in each group its items in their order.
func By[T any, K comparable](items []T, key func(T) K) [][]T {
	at := map[K]int{}
	var out [][]T
	for _, it := range items {
		k := key(it)
		i, ok := at[k]
		if !ok {
			i = len(out)
			at[k] = i
			out = append(out, nil)
		}
		out[i] = append(out[i], it)
	}
	return out
}
