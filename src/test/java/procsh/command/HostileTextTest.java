package procsh.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import procsh.core.OutputChannel;
import procsh.text.Escape;

/** Text a job controls (argv, cwd, env, child names, output) reaches a person escaped, through every command. */
class HostileTextTest extends ShellFixture {

    /** Sets the window title, clears the screen, reverses what follows; NEL is a C1 control. */
    static final String EVIL = "\u001b]0;pwned\u0007\u001b[2J\u202e\u0085";

    private final List<String> seen = new ArrayList<>();

    private String shown(String line) throws InterruptedException {
        run(line);
        seen.add(out.toString());
        seen.add(err.toString());
        return out.toString() + err;
    }

    @Test
    void everyHumanReadableCommandEscapesWhatTheJobControls() throws Exception {
        Path dir = Files.createDirectory(temp.resolve("d" + EVIL));
        // A child whose kernel name (comm, what tree shows) holds ESC and BEL: the name of the link it runs by.
        Path child = Files.createSymbolicLink(temp.resolve("c" + EVIL), Path.of("/bin/sleep"));
        String script = "printf 'out\\033[2J\\r\\n'; printf 'err\\033]0;t\\007\\n' >&2; \"$0\" 30";
        String spawned = shown("spawn --env 'K=v" + EVIL + "' --cwd '" + dir + "' sh -c \"" + script + "\" '" + child + "'");
        assertThat(spawned).contains("\\e]0;pwned\\a\\e[2J\\u202e");
        await().atMost(Duration.ofSeconds(5)).until(() -> shown("tree 1").contains("c\\e]0;pwned\\a\\e["));
        await().atMost(Duration.ofSeconds(5)).until(() -> table.get(1).output().size(OutputChannel.STDERR) > 0);
        for (String line : List.of("list", "ps", "info 1", "poll 1", "logs 1", "logs 1 --stderr", "logs 1 -n 1 --stdout")) {
            shown(line);
        }
        assertThat(shown("info 1")).contains("d\\e]0;pwned");
        assertThat(shown("logs 1")).contains("out\\e[2J\\r", "err\\e]0;t\\a");
        shown("kill 1");
        shown("wait 1");
        shown("logs 1 -f");
        shown("poll 1");
        shown("kill 1");
        shown("restart 1");
        shown("stop 2 --grace 1s");
        // Refusals quote what was typed: escaped too.
        assertThat(shown("spawn --name 'n" + EVIL + "' true")).contains("bad job name 'n\\e]0;pwned");
        shown("info 'x" + EVIL + "'");
        shown("kill 1 '-" + EVIL + "'");
        shown("spawn --env '" + EVIL + "' true");
        shown("setenv 'E=" + EVIL + "'");
        assertThat(shown("env E")).isEqualTo("E=\\e]0;pwned\\a\\e[2J\\u202e\\u0085\n");
        for (String text : seen) {
            text.lines().forEach(line -> assertThat(Escape.isPlain(line)).as(line).isTrue());
        }
    }

    @Test
    void rawLogsPassTheBytesThroughUnchanged() throws Exception {
        run("spawn sh -c \"printf 'a\\033[31mb\\377\\r\\n'\"");
        run("wait 1");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PassThroughWriter rawOut = new PassThroughWriter(bytes);
        assertThat(shell.run("logs 1 --raw", rawOut, new PrintWriter(new StringWriter()))).isZero();
        assertThat(bytes.toByteArray()).containsExactly('a', 0x1b, '[', '3', '1', 'm', 'b', 0xff, '\r', '\n');
        bytes.reset();
        shell.run("logs 1 --raw -f", rawOut, new PrintWriter(new StringWriter()));
        assertThat(bytes.toByteArray()).containsExactly('a', 0x1b, '[', '3', '1', 'm', 'b', 0xff, '\r', '\n');
    }

    @Test
    void listAlignsColumnsByScreenWidthWithWideCharacters() throws Exception {
        run("spawn --name 日本語 sleep 30");
        run("spawn --name abcdefgh sleep 30");
        run("list");
        List<Integer> stateColumns = out.toString().lines().skip(1)
                .map(l -> DisplayWidth.of(l.substring(0, l.indexOf("running")))).toList();
        assertThat(stateColumns).hasSize(2).containsOnly(stateColumns.get(0));
        run("stop 1 2 --grace 1s");
    }
}
