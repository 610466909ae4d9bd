package procsh.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SessionDirectoryTest {

    @TempDir
    Path temp;

    @Test
    void createsPrivateDirectories() throws Exception {
        try (SessionDirectory dir = SessionDirectory.create(temp.resolve("procsh"))) {
            assertThat(mode(temp.resolve("procsh"))).isEqualTo("rwx------");
            assertThat(mode(dir.root())).isEqualTo("rwx------");
        }
    }

    @Test
    void twoSessionsInOneJvmGetDifferentIds() {
        try (SessionDirectory one = SessionDirectory.create(temp.resolve("procsh"));
             SessionDirectory two = SessionDirectory.create(temp.resolve("procsh"))) {
            assertThat(one.sessionId()).isNotEqualTo(two.sessionId());
        }
    }

    @Test
    void refusesADirectoryOthersCanRead() throws Exception {
        Path base = Files.createDirectory(temp.resolve("procsh"), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwxr-xr-x"));
        assertThatThrownBy(() -> SessionDirectory.create(base)).isInstanceOf(ProcshException.class)
                .hasMessage("refusing to use " + base + ": others can read it (mode rwxr-xr-x); run chmod 700 " + base);
    }

    @Test
    void refusesASymlinkInPlaceOfTheDirectory() throws Exception {
        Path real = Files.createDirectory(temp.resolve("elsewhere"));
        Path link = Files.createSymbolicLink(temp.resolve("procsh"), real);
        assertThatThrownBy(() -> SessionDirectory.create(link)).hasMessageContaining("is not a directory (or is a symlink)");
    }

    @Test
    void aStateRootOthersCanWriteToIsNotUsedAndOneLineSaysWhereOutputGoes() throws Exception {
        Path open = Files.createDirectory(temp.resolve("open"));
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"));
        Path home = Files.createDirectory(temp.resolve("home"));
        Path fallback = home.resolve(".local/state/procsh");
        try (SessionDirectory dir = SessionDirectory.create(open.toString(), home)) {
            assertThat(dir.root().getParent()).isEqualTo(fallback);
            assertThat(dir.warning()).isEqualTo("$XDG_STATE_HOME (" + open + ") is writable by others (mode rwxrwxrwx): job output goes to "
                    + fallback + " instead");
        }
        assertThat(open.resolve("procsh")).doesNotExist();
        assertThat(mode(home.resolve(".local/state"))).isEqualTo("rwx------");
    }

    @Test
    void whenTheHomeStateDirectoryIsOpenTooAFreshPrivateTemporaryOneIsUsed() throws Exception {
        Path open = Files.createDirectory(temp.resolve("open"));
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"));
        Path state = Files.createDirectories(temp.resolve("home/.local/state"));
        Files.setPosixFilePermissions(state, PosixFilePermissions.fromString("rwxrwxrwx"));
        Path used;
        try (SessionDirectory dir = SessionDirectory.create(open.toString(), temp.resolve("home"))) {
            used = dir.root().getParent();
            assertThat(dir.warning()).isEqualTo("$XDG_STATE_HOME (" + open + ") is writable by others (mode rwxrwxrwx), and " + state
                    + " is writable by others (mode rwxrwxrwx): job output goes to " + used + " instead");
        }
        try {
            assertThat(used.getFileName().toString()).startsWith("procsh-");
            assertThat(mode(used)).isEqualTo("rwx------");
            assertThat(state.resolve("procsh")).doesNotExist();
        } finally {
            try (var files = Files.walk(used)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }
}
