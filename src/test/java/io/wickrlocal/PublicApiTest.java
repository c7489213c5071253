package io.wickrlocal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The public API stays what package-info.java of io.wickrlocal says it is: in the packages embedders
 * use, only these top-level types are public (every other package is documented as internal).
 */
class PublicApiTest {
    private static final Pattern PUBLIC_TYPE = Pattern.compile(
            "(?m)^public (?:final |abstract |sealed )*(?:class|record|enum|interface|@interface) (\\w+)");

    private static List<String> publicTypes(String folder) throws IOException {
        try (Stream<Path> files = Files.list(Path.of("src/main/java/io/wickrlocal").resolve(folder))) {
            return files.filter(f -> f.toString().endsWith(".java")).flatMap(f -> {
                try {
                    return PUBLIC_TYPE.matcher(Files.readString(f)).results().map(m -> m.group(1));
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).sorted().toList();
        }
    }

    @Test
    void theEmbeddingPackagesShowOnlyTheirAPI() throws IOException {
        assertThat(publicTypes("")).containsExactly("Main", "WickrLocal");
        assertThat(publicTypes("junit")).containsExactly("WickrLocalExtension");
    }

    @Test
    void everyPackageSaysWhetherItIsAPIOrInternal() throws IOException {
        try (Stream<Path> dirs = Files.walk(Path.of("src/main/java/io/wickrlocal"))) {
            List<Path> withoutInfo = dirs.filter(Files::isDirectory)
                    .filter(d -> !Files.exists(d.resolve("package-info.java")))
                    .toList();
            assertThat(withoutInfo).isEmpty();
        }
    }
}
