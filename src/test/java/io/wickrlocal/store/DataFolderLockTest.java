package io.wickrlocal.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataFolderLockTest {
    @TempDir
    Path dir;

    @Test
    void aSecondStoreOnOneFolderIsRefusedUntilTheFirstCloses() throws Exception {
        Path folder = dir.resolve("data");
        SecretsKey key = SecretsKey.random();
        SqliteDatabase first = SqliteDatabase.open(folder, key);
        try {
            assertThatThrownBy(() -> SqliteDatabase.open(folder, key))
                    .isInstanceOf(StoreException.class)
                    .hasMessageContaining("the data folder " + folder.toAbsolutePath() + " is in use by another Wickr Local"
                            + " (process " + ProcessHandle.current().pid() + ")");
            assertThat(Files.readString(folder.resolve(DataFolderLock.FILE_NAME)).strip())
                    .isEqualTo(Long.toString(ProcessHandle.current().pid()));
        } finally {
            first.close();
        }
        SqliteDatabase again = SqliteDatabase.open(folder, key);
        again.close();
    }
}
