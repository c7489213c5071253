package io.wickrlocal.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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

    static Path tempDir() {
        try {
            Path dir = Files.createTempDirectory("wickr-store-test");
            dir.toFile().deleteOnExit();
            return dir;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
