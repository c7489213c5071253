package io.wickrlocal.service;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The descriptors of a server's operations by name (see {@link OperationDescriptor}): what each
 * {@code *Operations} class registers into. A name registered twice is a mistake, refused at start.
 */
public final class OperationTable {
    private final Map<String, OperationDescriptor> byName = new LinkedHashMap<>();

    /** Adds a descriptor; refuses one whose name is taken. */
    public OperationTable add(OperationDescriptor descriptor) {
        if (byName.putIfAbsent(descriptor.name(), descriptor) != null) {
            throw new IllegalStateException(descriptor.name() + " has two descriptors");
        }
        return this;
    }

    /** Adds every descriptor of another table. */
    public OperationTable addAll(Collection<OperationDescriptor> descriptors) {
        descriptors.forEach(this::add);
        return this;
    }

    /** The descriptor of an operation, or null when none is registered. */
    public OperationDescriptor get(String name) {
        return byName.get(name);
    }

    public Set<String> names() {
        return Collections.unmodifiableSet(byName.keySet());
    }

    public Collection<OperationDescriptor> all() {
        return Collections.unmodifiableCollection(byName.values());
    }
}
