package io.wickrlocal.store;

import java.util.List;

/** One page of rows, and the key to continue after it (null when this was the last page). */
public record Page<T>(List<T> items, List<Object> nextKey) {}
