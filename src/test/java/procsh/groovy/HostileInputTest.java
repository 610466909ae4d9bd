package procsh.groovy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Input that once froze procsh for minutes or filled gigabytes: now refused at once, in one short line. */
class HostileInputTest extends GroovyFixture {

    private static final Duration QUICK = Duration.ofSeconds(8);


    @Test
    void deepNestingIsRefusedQuicklyAtThePromptAndInScripts() throws Exception {
        String braces = "{".repeat(6000);
        String parens = "(".repeat(20_000) + "1" + ")".repeat(20_000);
        String open = "source(" + "(".repeat(100_000);
        assertTimeoutPreemptively(QUICK, () -> {
            assertThat(s.engine.isIncomplete(braces)).isFalse();
            assertThat(s.error(braces)).isEqualTo("brackets or strings nest more than 100 deep (line 1, column 101): "
                    + "procsh does not parse that; flatten the code");
            assertThat(s.error(parens)).startsWith("brackets or strings nest more than 100 deep");
            assertThat(s.engine.isIncomplete(open)).isFalse();
            assertThat(s.error(open)).startsWith("the input is 100007 characters; procsh takes at most 100000");
            Path script = Files.writeString(temp.resolve("deep.groovy"), "println 'never'\n" + parens);
            assertThat(s.engine.source(script, List.of(), s.out, s.err)).isEqualTo(1);
        });
        assertThat(s.err()).startsWith("deep.groovy: brackets or strings nest more than 100 deep (line 2, column 101)");
        assertThat(s.out()).doesNotContain("never");
        // Nesting a person writes still runs, and an open bracket still asks for more.
        assertThat(s.eval("(".repeat(90) + "1" + ")".repeat(90))).isEqualTo(1);
        assertThat(s.engine.isIncomplete("[".repeat(90))).isTrue();
        assertThat(s.engine.isIncomplete("def s = \"${[1, {\n")).isTrue();
        assertThat(s.engine.isIncomplete("x = '(' + \"[\" + '''{'''")).isFalse();
    }

    @Test
    void errorLinesAreShortAndShowControlCharactersEscaped() throws Exception {
        String word = "q".repeat(20_000);
        String unknown = s.error(word);
        assertThat(unknown).startsWith("line 1: unknown variable 'qqq").endsWith("q\u2026'").hasSizeLessThan(130);
        String backslashes = s.error("x = \"" + "\\".repeat(20_000));
        assertThat(backslashes.lines()).hasSize(3).allSatisfy(l -> assertThat(l).hasSizeLessThan(200));
        // A syntax error shows the offending line with its control characters escaped, the caret still under the fault.
        assertThat(s.error("x = 1 \u001b[2J\u0007 )").lines())
                .containsExactly("line 1, column 7: Unexpected character: '\\e'", "  x = 1 \\e[2J\\a )", "        ^");
    }
}
