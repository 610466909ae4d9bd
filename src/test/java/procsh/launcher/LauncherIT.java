package procsh.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The launcher the build produces (target/procsh), started the ways users start it. */
class LauncherIT {

    static final Path LAUNCHER = Path.of(System.getProperty("procsh.jar")).resolveSibling("procsh");

    @TempDir
    Path temp;

    record Run(int status, String out, String err) {
    }

    Run run(Path launcher, Map<String, String> env, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(launcher.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(temp.toFile());
        builder.environment().put("XDG_STATE_HOME", temp.resolve("state").toString());
        builder.environment().putAll(env);
        Path out = temp.resolve("out.txt");
        Path err = temp.resolve("err.txt");
        Process p = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }

    @Test
    void worksThroughASymlinkFromAnotherDirectory() throws Exception {
        Path link = Files.createSymbolicLink(temp.resolve("procsh"), LAUNCHER.toAbsolutePath());
        Run r = run(link, Map.of(), "-c", "spawn sh -c 'exit 3'; wait 1");
        assertThat(r.err()).isEmpty();
        assertThat(r.status()).isEqualTo(3);
        assertThat(r.out()).endsWith("[1] exited 3  sh -c exit 3\n");
    }

    @Test
    void findsJavaOnPathWhenJavaHomeIsWrong() throws Exception {
        Run r = run(LAUNCHER, Map.of("JAVA_HOME", temp.resolve("no-jdk-here").toString()), "--version");
        assertThat(r.status()).isZero();
        assertThat(r.out()).startsWith("procsh 0.1.0");
        assertThat(r.err()).isEmpty();
    }

    @Test
    void aStaleOrForeignArchivePrintsNoWarnings() throws Exception {
        // A copy of the launcher, jar and archive elsewhere: the archive names the other jar, so the JVM rejects it.
        Path dir = Files.createDirectory(temp.resolve("copy"));
        try (var files = Files.list(LAUNCHER.getParent())) {
            for (Path f : files.filter(f -> f.getFileName().toString().matches("procsh|procsh\\.jar|procsh-.*\\.jsa")).toList()) {
                Files.copy(f, dir.resolve(f.getFileName()), StandardCopyOption.COPY_ATTRIBUTES);
            }
        }
        try (var archives = Files.list(dir)) {
            for (Path a : archives.filter(f -> f.toString().endsWith(".jsa")).toList()) {
                Files.setLastModifiedTime(a, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 60_000));
            }
        }
        Run r = run(dir.resolve("procsh"), Map.of("PROCSH_NO_CDS", "1"), "-c", "pwd");
        assertThat(r.err()).isEmpty();
        assertThat(r.out()).isEqualTo(temp + "\n");
    }

    @Test
    void aMissingJarIsOneClearLine() throws Exception {
        Path lone = Files.copy(LAUNCHER, temp.resolve("procsh"));
        Run r = run(lone, Map.of(), "--version");
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).startsWith("procsh: ").contains("procsh.jar is missing").hasLineCount(1);
    }
}
