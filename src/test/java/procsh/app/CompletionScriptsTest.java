package procsh.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The committed completion scripts are what the option model generates, and each one, loaded in
 * its own shell, offers procsh's options for {@code procsh --<TAB>} and scripts for a path.
 */
class CompletionScriptsTest {

    static final Path COMMITTED = Path.of("completions").toAbsolutePath();
    static final List<String> OPTIONS = List.of("--backend", "--command", "--debug", "--grace", "--help", "--version");

    @TempDir
    Path work;

    @BeforeEach
    void files() throws IOException {
        Files.createDirectory(work.resolve("scripts"));
        Files.createFile(work.resolve("scripts/fan-out.groovy"));
        Files.createFile(work.resolve("run.groovy"));
        Files.createFile(work.resolve("notes.txt"));
    }

    @Test
    void committedScriptsMatchTheGeneratedOnes() throws IOException {
        for (Map.Entry<String, String> script : CompletionScripts.all().entrySet()) {
            assertThat(Files.readString(COMMITTED.resolve(script.getKey())))
                    .as(script.getKey() + " is stale: regenerate with java -cp target/procsh.jar procsh.app.CompletionScripts completions")
                    .isEqualTo(script.getValue());
        }
    }

    @Test
    void bashOffersOptionsAndFiles() throws Exception {
        assumeTrue(installed("bash"));
        String call = "source " + COMMITTED.resolve("procsh.bash") + " 2>/dev/null; COMP_LINE=\"$1\"; read -ra COMP_WORDS <<< \"$1\";"
                + " [[ $1 == *' ' ]] && COMP_WORDS+=(''); COMP_CWORD=$((${#COMP_WORDS[@]}-1)); COMP_POINT=${#COMP_LINE};"
                + " _complete_procsh procsh \"${COMP_WORDS[-1]}\" procsh 2>/dev/null; printf '%s\\n' \"${COMPREPLY[@]}\"";
        assertThat(run(List.of("bash", "-c", call, "bash", "procsh --"))).containsExactlyInAnyOrderElementsOf(OPTIONS);
        assertThat(run(List.of("bash", "-c", call, "bash", "procsh --backend "))).containsExactlyInAnyOrder("auto", "native", "jdk");
        assertThat(run(List.of("bash", "-c", call, "bash", "procsh scr"))).containsExactly("scripts");
        assertThat(run(List.of("bash", "-c", call, "bash", "procsh run.groovy no"))).containsExactly("notes.txt");
    }

    @Test
    void zshOffersOptionsAndGroovyScripts() throws Exception {
        assumeTrue(installed("zsh"));
        Path capture = Path.of("src/test/resources/completion/zsh-capture.zsh").toAbsolutePath();
        List<String> base = List.of("timeout", "60", "zsh", "-f", capture.toString(), COMMITTED.toString(), work.toString());
        assertThat(run(concat(base, "procsh --"))).containsExactlyInAnyOrderElementsOf(OPTIONS);
        assertThat(run(concat(base, "procsh "))).containsExactlyInAnyOrder("run.groovy", "scripts");
    }

    @Test
    void fishOffersOptionsAndGroovyScripts() throws Exception {
        assumeTrue(installed("fish"));
        String source = "source " + COMMITTED.resolve("procsh.fish") + "; complete -C $argv[1]";
        List<String> options = run(List.of("fish", "--no-config", "-c", source, "procsh --")).stream().map(l -> l.split("\t")[0]).toList();
        assertThat(options).containsExactlyInAnyOrderElementsOf(OPTIONS);
        assertThat(run(List.of("fish", "--no-config", "-c", source, "procsh ")).stream().map(l -> l.split("\t")[0]).toList())
                .startsWith("run.groovy", "scripts/");
    }

    private List<String> run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).directory(work.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        return out.lines().filter(l -> !l.isBlank()).toList();
    }

    private static List<String> concat(List<String> base, String last) {
        List<String> all = new ArrayList<>(base);
        all.add(last);
        return all;
    }

    private static boolean installed(String shell) {
        return Files.isExecutable(Path.of("/usr/bin", shell)) || Files.isExecutable(Path.of("/bin", shell));
    }
}
