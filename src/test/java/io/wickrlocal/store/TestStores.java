package io.wickrlocal.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;

/** Every store configuration the rules must hold on; tests take them as a parameter source. */
public final class TestStores {
    private TestStores() {}

    public static Stream<Named<Supplier<Database>>> all() {
        return Stream.of(
                Named.of("sqlite in memory", SqliteDatabase::inMemory),
                Named.of("sqlite on disk", () -> SqliteDatabase.open(tempDir())),
                Named.of("postgresql", TestPostgres::newDatabase));
    }

    /** The folders tempDir made; deleted with what they hold when the test JVM ends. */
    private static final Queue<Path> MADE = new ConcurrentLinkedQueue<>();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> MADE.forEach(TestStores::deleteTree), "test-store-cleanup"));
    }

    static Path tempDir() {
        try {
            Path dir = Files.createTempDirectory("wickr-store-test");
            MADE.add(dir);
            return dir;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // gone already, or not ours to delete
        }
    }
}
