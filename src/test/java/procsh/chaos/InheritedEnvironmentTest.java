package procsh.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import procsh.testing.ProcshProcess;

/** A job gets the environment procsh inherited byte for byte, whatever the locale makes of it. */
class InheritedEnvironmentTest {

    @TempDir
    Path temp;

    @ParameterizedTest(name = "{0} backend, LC_ALL={1}")
    @CsvSource({"native, C.UTF-8", "native, C", "jdk, C.UTF-8", "jdk, C"})
    void bytesThatAreNotTextInTheLocaleReachTheJobUnchanged(String backend, String locale) throws Exception {
        Map<String, byte[]> env = new LinkedHashMap<>();
        env.put("LC_ALL", locale.getBytes(StandardCharsets.US_ASCII));
        env.put("ODD", new byte[] {(byte) 0xff, (byte) 0xfe}); // not UTF-8
        env.put("LATIN", new byte[] {'c', 'a', 'f', (byte) 0xe9}); // "café" in Latin-1
        env.put("UTF", "é".getBytes(StandardCharsets.UTF_8)); // not ASCII
        ProcshProcess.Run run = ProcshProcess.run(temp, env, "--backend", backend,
                "-c", "spawn sh -c 'printf %s \"$ODD|$LATIN|$UTF\" | od -An -tx1'", "-c", "wait 1", "-c", "logs 1");
        assertThat(run.status()).as(run.err()).isZero();
        assertThat(run.out().replaceAll("\\s+", " ")).contains("ff fe 7c 63 61 66 e9 7c c3 a9");
    }
}
