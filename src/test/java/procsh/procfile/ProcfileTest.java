package procsh.procfile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import procsh.core.ProcshException;

class ProcfileTest {

    private static final Path FILE = Path.of("Procfile");

    @Test
    void readsNamesAndCommandsSkippingCommentsAndBlankLines() {
        Procfile p = Procfile.parse(FILE, List.of("# the app", "", "web: python -m http.server $PORT",
                "worker:   sh -c 'while true; do date; sleep 1; done'", "  clock_2: echo tick && sleep 5  "));
        assertThat(p.entries()).extracting(Procfile.Entry::name).containsExactly("web", "worker", "clock_2");
        assertThat(p.entries().get(0).command()).isEqualTo("python -m http.server $PORT");
        assertThat(p.entries().get(1).command()).isEqualTo("sh -c 'while true; do date; sleep 1; done'");
        assertThat(p.entries().get(2).line()).isEqualTo(5);
    }

    @Test
    void badLinesAreNamedByNumber() {
        assertThatThrownBy(() -> Procfile.parse(FILE, List.of("web: ok", "just words")))
                .isInstanceOf(ProcshException.class).hasMessage("Procfile line 2: 'just words' is not 'name: command'");
        assertThatThrownBy(() -> Procfile.parse(FILE, List.of("web:")))
                .hasMessage("Procfile line 1: 'web' has no command");
        assertThatThrownBy(() -> Procfile.parse(FILE, List.of("web: a", "web: b")))
                .hasMessage("Procfile line 2: 'web' is defined twice");
        assertThatThrownBy(() -> Procfile.parse(FILE, List.of("# nothing")))
                .hasMessageContaining("defines no process");
        assertThatThrownBy(() -> Procfile.parse(FILE, List.of("w\u001b[2Jeb x")))
                .hasMessageContaining("w\\e[2Jeb x").hasMessageNotContaining("\u001b");
    }

    @Test
    void dotEnvReadsTheFormsForemanAndComposeAccept() {
        var vars = DotEnv.parse(".env", List.of("# secrets", "export API_TOKEN=s3cret", "PLAIN = some value # comment",
                "SINGLE='lit $HOME \\n'", "DOUBLE=\"a\\nb \\\"q\\\"\"", "EMPTY=", "HASH=a#b"));
        assertThat(vars).containsExactly(
                java.util.Map.entry("API_TOKEN", "s3cret"), java.util.Map.entry("PLAIN", "some value"),
                java.util.Map.entry("SINGLE", "lit $HOME \\n"), java.util.Map.entry("DOUBLE", "a\nb \"q\""),
                java.util.Map.entry("EMPTY", ""), java.util.Map.entry("HASH", "a#b"));
    }

    @Test
    void dotEnvErrorsNeverShowAValue() {
        assertThatThrownBy(() -> DotEnv.parse(".env", List.of("TOKEN=\"s3cret")))
                .hasMessage(".env line 1 (TOKEN): the value's double quote is never closed").hasMessageNotContaining("s3cret");
        assertThatThrownBy(() -> DotEnv.parse(".env", List.of("1BAD=s3cret")))
                .hasMessage(".env line 1: '1BAD' is not a variable name (letters, digits, '_')");
    }
}
