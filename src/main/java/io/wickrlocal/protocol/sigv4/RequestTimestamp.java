package io.wickrlocal.protocol.sigv4;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.ResolverStyle;
import java.util.List;

/**
 * When the client says it signed the request. SigV4 takes it from {@code X-Amz-Date}, or from {@code Date}
 * when a client (botocore does this if a Date header is already set) signs with that instead.
 *
 * @param instant the signing time
 * @param basic the same time as {@code yyyyMMdd'T'HHmmss'Z'}, the form the string to sign uses either way
 */
record RequestTimestamp(Instant instant, String basic) {

    private static final DateTimeFormatter BASIC =
            DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss'Z'").withResolverStyle(ResolverStyle.STRICT);
    private static final int MAX_DATE_HEADER_LENGTH = 64;

    static RequestTimestamp from(RequestHeaders headers) throws SigV4Exception {
        List<String> amzDate = headers.all("x-amz-date");
        if (!amzDate.isEmpty()) {
            return parseBasic(single(amzDate, "X-Amz-Date"));
        }
        List<String> date = headers.all("date");
        if (!date.isEmpty()) {
            return parseRfc1123(single(date, "Date"));
        }
        throw SigV4Exception.incompleteSignature(
                "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
    }

    /** The {@code yyyyMMdd} the credential scope must carry. */
    String date() {
        return basic.substring(0, 8);
    }

    static String format(Instant instant) {
        return BASIC.format(instant.atOffset(ZoneOffset.UTC));
    }

    private static String single(List<String> values, String name) throws SigV4Exception {
        if (values.size() > 1) {
            throw SigV4Exception.incompleteSignature("The request contains more than one '" + name + "' header.");
        }
        return values.get(0).strip();
    }

    private static RequestTimestamp parseBasic(String value) throws SigV4Exception {
        try {
            if (value.length() == 16 && value.charAt(8) == 'T' && value.charAt(15) == 'Z') {
                // By hand: every request carries one, and DateTimeFormatter.parse cost a tenth of a request's
                // signature check. LocalDateTime.of still rejects impossible dates such as February 30th.
                LocalDateTime time = LocalDateTime.of(digits(value, 0, 4), digits(value, 4, 6), digits(value, 6, 8),
                        digits(value, 9, 11), digits(value, 11, 13), digits(value, 13, 15));
                return new RequestTimestamp(time.toInstant(ZoneOffset.UTC), value);
            }
        } catch (DateTimeException | NumberFormatException e) {
            // fall through to the uniform error below
        }
        throw SigV4Exception.incompleteSignature("Date must be in ISO-8601 'basic format'. Got "
                + Untrusted.quote(value) + ". See http://en.wikipedia.org/wiki/ISO_8601");
    }

    /** The decimal number in value[from, to); only ASCII digits, no sign. */
    private static int digits(String value, int from, int to) {
        int n = 0;
        for (int i = from; i < to; i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                throw new NumberFormatException("not a digit");
            }
            n = n * 10 + (c - '0');
        }
        return n;
    }

    private static RequestTimestamp parseRfc1123(String value) throws SigV4Exception {
        try {
            if (value.length() <= MAX_DATE_HEADER_LENGTH) {
                Instant instant = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                return new RequestTimestamp(instant, format(instant));
            }
        } catch (DateTimeException e) {
            // fall through to the uniform error below
        }
        throw SigV4Exception.incompleteSignature(
                "Date header must be an RFC 1123 date. Got " + Untrusted.quote(value) + ".");
    }
}
