package io.wickrlocal.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every table has one INSERT statement, in its own store: the API's writes and a snapshot import's
 * (which writes rows back as they were) go through it alike, so a column added to a table is written
 * by every path or the build fails here.
 */
class OneInsertPerTableTest {
    private static final Pattern INSERT = Pattern.compile("INSERT INTO ([a-z_]+)");

    @Test
    void eachTableIsInsertedIntoInOnePlace() throws IOException {
        Map<String, List<String>> places = new TreeMap<>();
        try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
            for (Path file : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                String text = Files.readString(file);
                Matcher m = INSERT.matcher(text);
                while (m.find()) {
                    int line = (int) text.substring(0, m.start()).chars().filter(c -> c == '\n').count() + 1;
                    places.computeIfAbsent(m.group(1), t -> new ArrayList<>()).add(file.getFileName() + ":" + line);
                }
            }
        }
        assertThat(places).containsKeys("users", "devices", "sessions", "bot_sessions", "guest_users",
                "guest_activity", "guest_blocks");
        places.forEach((table, at) -> assertThat(at).as("INSERT INTO " + table).hasSize(1));
    }
}
