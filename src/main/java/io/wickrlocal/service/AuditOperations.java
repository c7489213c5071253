package io.wickrlocal.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wickrlocal.store.AuditEventRecord;
import io.wickrlocal.store.AuditFilter;
import io.wickrlocal.store.AuditStore;
import io.wickrlocal.store.Page;
import io.wickrlocal.store.PageRequest;
import io.wickrlocal.store.SortColumn;
import io.wickrlocal.store.Tx;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Reading the audit trail (the /_local audit extension): the caller's events in the region of the
 * signature, oldest first unless asked otherwise, in keyset pages; and the same events exported as
 * JSON lines, one event per line.
 */
final class AuditOperations {
    /** The most events one export answers; a larger export must be narrowed by time. */
    static final int MAX_EXPORT = 50_000;
    private static final int EXPORT_PAGE = 1_000;
    private static final DateTimeFormatter ISO_MILLIS =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    private static final List<SortColumn> ORDER = List.of(SortColumn.AUDIT_TIME, SortColumn.AUDIT_EVENT_ID);

    private final Predicate<String> isOperation;

    /** @param isOperation whether a name is an operation of this server (an unknown one is a typo, not a filter) */
    AuditOperations(Predicate<String> isOperation) {
        this.isOperation = isOperation;
    }

    void register(OperationTable into) {
        into.add(OperationDescriptor.read("LocalListAuditEvents", this::list).local());
        into.add(OperationDescriptor.read("LocalExportAuditEvents", this::export).local());
    }

    private ObjectNode list(Tx tx, Call call, ObjectNode in) {
        AuditFilter filter = filter(in);
        ObjectNode query = in.deepCopy();
        if (!query.hasNonNull("sortDirection")) {
            query.put("sortDirection", "ASC"); // a trail reads oldest first; DESC gives the latest first
        }
        Listing listing = Listing.of(query, Map.of(), List.of(SortColumn.AUDIT_TIME), SortColumn.AUDIT_EVENT_ID,
                "LocalListAuditEvents|" + call.accountId() + "|" + call.region() + "|"
                        + Json.canonical(Json.MAPPER.valueToTree(filter)));
        Page<AuditEventRecord> page = AuditStore.page(tx, call.accountId(), call.region(), filter, listing.request());
        return listing.answer("events", page, AuditOperations::view);
    }

    private ObjectNode export(Tx tx, Call call, ObjectNode in) {
        AuditFilter filter = filter(in);
        StringBuilder lines = new StringBuilder();
        int count = 0;
        List<Object> after = null;
        do {
            Page<AuditEventRecord> page = AuditStore.page(tx, call.accountId(), call.region(), filter,
                    new PageRequest(ORDER, false, after, EXPORT_PAGE));
            for (AuditEventRecord event : page.items()) {
                if (++count > MAX_EXPORT) {
                    throw ServiceException.badRequest("More than " + MAX_EXPORT + " audit events match; narrow the"
                            + " export with startTime and endTime, or page through them with GET /_local/audit");
                }
                lines.append(Json.write(view(event))).append('\n');
            }
            after = page.nextKey();
        } while (after != null);
        ObjectNode out = Json.object();
        out.put("events", lines.toString());
        return out;
    }

    private AuditFilter filter(ObjectNode in) {
        String operation = Json.text(in, "operation");
        if (operation != null && !isOperation.test(operation)) {
            throw ServiceException.invalid("operation", "'" + operation + "' is not an operation of Wickr Local");
        }
        String userId = Json.text(in, "userId");
        Long from = in.has("startTime") ? millis(in.get("startTime")) : null;
        Long until = in.has("endTime") ? saturatedAdd(millis(in.get("endTime")), 1000) : null;
        if (from != null && until != null && from >= until) {
            throw ServiceException.invalid("startTime", "must not be later than endTime");
        }
        return new AuditFilter(operation, userId == null ? null : Long.parseLong(userId), Json.text(in, "networkId"),
                from, until);
    }

    /**
     * Epoch seconds (a number, perhaps with a fraction, or an ISO 8601 time the binder converted) to the
     * first millisecond of that second, clamped to what a BIGINT holds.
     */
    private static long millis(JsonNode seconds) {
        BigDecimal s = seconds.decimalValue().setScale(0, RoundingMode.FLOOR);
        BigDecimal ms = s.movePointRight(3);
        if (ms.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
            return Long.MAX_VALUE;
        }
        if (ms.compareTo(BigDecimal.valueOf(Long.MIN_VALUE)) < 0) {
            return Long.MIN_VALUE;
        }
        return ms.longValueExact();
    }

    private static long saturatedAdd(long a, long b) {
        long sum = a + b;
        return ((a ^ sum) & (b ^ sum)) < 0 ? Long.MAX_VALUE : sum;
    }

    /** One event as clients see it: the stored columns, then the stored details. */
    static ObjectNode view(AuditEventRecord e) {
        ObjectNode out = Json.object();
        out.put("eventId", e.eventId());
        out.put("time", ISO_MILLIS.format(Instant.ofEpochMilli(e.occurredAt())));
        out.put("epochMillis", e.occurredAt());
        out.put("accountId", e.accountId());
        out.put("region", e.region());
        out.put("accessKeyId", e.accessKeyId());
        out.put("operation", e.operation());
        out.put("requestId", e.requestId());
        out.put("outcome", e.outcome());
        if (e.networkId() != null) {
            out.put("networkId", e.networkId());
        }
        if (e.userId() != null) {
            out.put("userId", Long.toString(e.userId()));
        }
        for (Map.Entry<String, JsonNode> d : Json.read(e.details()).properties()) {
            out.set(d.getKey(), d.getValue());
        }
        return out;
    }
}
