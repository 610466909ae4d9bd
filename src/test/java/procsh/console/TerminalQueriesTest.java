package procsh.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.jline.terminal.Terminal;
import org.junit.jupiter.api.Test;

/**
 * The terminal is asked nothing at start: a reply that came late (device attributes, "[?1;2c")
 * landed in the first line typed. Built as the console builds it, over streams instead of the TTY.
 */
class TerminalQueriesTest {

    @Test
    void buildingTheTerminalSendsNoQuery() throws Exception {
        ByteArrayOutputStream sent = new ByteArrayOutputStream();
        try (Terminal terminal = Console.terminalBuilder().system(false).type("xterm-256color")
                .streams(new ByteArrayInputStream(new byte[0]), sent).build()) {
            terminal.flush();
        }
        String text = sent.toString(StandardCharsets.ISO_8859_1);
        assertThat(text).as("device attributes query").doesNotContain("\u001b[c");
        assertThat(text).as("mode query (DECRQM)").doesNotContainPattern("\u001b\\[\\?\\d+\\$p");
    }
}
