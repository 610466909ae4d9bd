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
        SessionDirectory dir = SessionDirectory.create(temp.resolve("procsh"));
        assertThat(mode(temp.resolve("procsh"))).isEqualTo("rwx------");
        assertThat(mode(dir.root())).isEqualTo("rwx------");
    }

    @Test
    void twoSessionsInOneJvmGetDifferentIds() {
        assertThat(SessionDirectory.create(temp.resolve("procsh")).sessionId())
                .isNotEqualTo(SessionDirectory.create(temp.resolve("procsh")).sessionId());
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

    private static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }
}
