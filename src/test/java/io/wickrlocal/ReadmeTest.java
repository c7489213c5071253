package io.wickrlocal;

import static org.assertj.core.api.Assertions.assertThat;

import io.wickrlocal.protocol.contract.Operation;
import io.wickrlocal.protocol.contract.ServiceContract;
import io.wickrlocal.service.StateBounds;
import io.wickrlocal.service.WickrService;
import io.wickrlocal.store.SqliteDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The operation table (docs/operations.md) and the flags table (docs/flags.md) say exactly what the server does. */
class ReadmeTest {

    @Test
    void operationTableMatchesTheContractAndTheServer() throws Exception {
        String readme = Files.readString(Path.of("docs/operations.md"));
        Pattern row = Pattern.compile("^\\| (\\w+) \\| `(\\w+) (\\S+)` \\| (done|not yet) \\|$", Pattern.MULTILINE);
        Map<String, String> table = new TreeMap<>();
        Matcher m = row.matcher(readme);
        ServiceContract contract = ServiceContract.load();
        while (m.find()) {
            Operation op = contract.operation(m.group(1));
            assertThat(op).as(m.group(1)).isNotNull();
            assertThat(m.group(2) + " " + m.group(3)).isEqualTo(op.method() + " " + op.uri());
            table.put(m.group(1), m.group(4));
        }
        try (SqliteDatabase db = SqliteDatabase.inMemory()) {
            WickrService service = new WickrService(db, Clock.systemUTC());
            Map<String, String> expected = new TreeMap<>();
            contract.operations().stream().filter(op -> !op.extension()).forEach(op ->
                    expected.put(op.name(), service.isImplemented(op.name()) ? "done" : "not yet"));
            assertThat(table).isEqualTo(expected);
        }
    }

    /** The flags table of docs/flags.md lists exactly the flags of --help, each with a default where it says one. */
    @Test
    void flagsTableMatchesTheUsage() throws Exception {
        String section = Files.readString(Path.of("docs/flags.md"));
        Map<String, String> table = new TreeMap<>();
        Matcher row = Pattern.compile("^\\| `(--[a-z-]+)[^`]*` \\| ([^|]+) \\|", Pattern.MULTILINE).matcher(section);
        while (row.find()) {
            table.put(row.group(1), row.group(2).strip());
        }
        Set<String> usage = new TreeSet<>();
        Matcher flag = Pattern.compile("^ {2}(?:-\\w, | {4})(--[a-z-]+)", Pattern.MULTILINE).matcher(Options.usage());
        while (flag.find()) {
            if (!flag.group(1).equals("--help") && !flag.group(1).equals("--version")) {
                usage.add(flag.group(1));
            }
        }
        assertThat(table.keySet()).isEqualTo(usage);
        assertThat(table).containsEntry("--max-client-tokens", "`" + StateBounds.DEFAULT_MAX_CLIENT_TOKENS + "`")
                .containsEntry("--audit-retention", "`" + StateBounds.DEFAULT_AUDIT_RETENTION_DAYS + "`")
                .containsEntry("--audit-max-events", "`" + StateBounds.DEFAULT_AUDIT_MAX_EVENTS + "`");
    }
}
