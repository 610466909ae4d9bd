package procsh.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** procsh run as a separate process from the test classes, with an environment of the test's choosing. */
public final class ProcshProcess {

    public record Run(int status, String out, String err) {
    }

    private ProcshProcess() {
    }

    /**
     * Runs {@code procsh ARGS} in {@code dir}, its environment the test JVM's plus {@code env}
     * (values as raw bytes, set by a shell script, so no String holds them; quotes not allowed).
     */
    public static Run run(Path dir, Map<String, byte[]> env, String... args) throws IOException, InterruptedException {
        Process p = start(dir, env, args);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("procsh ended").isTrue();
        return new Run(p.exitValue(), Files.readString(dir.resolve("out.txt")), Files.readString(dir.resolve("err.txt")));
    }

    /** As {@link #run}, but returns at once: stdout and stderr go to out.txt and err.txt in {@code dir}. */
    public static Process start(Path dir, Map<String, byte[]> env, String... args) throws IOException {
        Path script = Files.createTempFile(dir, "env", ".sh");
        // The bytes go through a file: a Java String argument would be encoded, which is the very loss tested.
        try (var out = Files.newOutputStream(script)) {
            for (Map.Entry<String, byte[]> e : env.entrySet()) {
                out.write(("export " + e.getKey() + "='").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                out.write(e.getValue());
                out.write("'\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            }
            out.write("exec \"$@\"\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        }
        List<String> command = new ArrayList<>(List.of("sh", script.toString(),
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "--enable-native-access=ALL-UNNAMED",
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto", "-cp", System.getProperty("java.class.path"), "procsh.Main"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
        builder.environment().put("XDG_STATE_HOME", dir.resolve("state").toString());
        Path out = dir.resolve("out.txt");
        Path err = dir.resolve("err.txt");
        builder.redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        return builder.start();
    }
}
