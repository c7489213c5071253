package io.wickrlocal.store;

import java.util.List;

/**
 * One page of a keyset-paginated query: rows ordered by {@code columns} (all in one direction,
 * the last column unique), starting strictly after the key {@code after} (null for the first page).
 * Keyset rather than offset paging: no row is skipped or repeated when rows come and go between
 * pages, and a page deep in a million rows costs the same as the first.
 */
public record PageRequest(List<SortColumn> columns, boolean descending, List<Object> after, int limit) {
    public PageRequest {
        columns = List.copyOf(columns);
        if (columns.isEmpty()) {
            throw new IllegalArgumentException("a page needs at least one sort column");
        }
        if (after != null && after.size() != columns.size()) {
            throw new IllegalArgumentException("page key does not fit the sort columns");
        }
        if (limit < 1) {
            throw new IllegalArgumentException("page limit must be positive");
        }
    }
}
