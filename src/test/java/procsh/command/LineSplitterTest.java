package procsh.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import procsh.core.ProcshException;

class LineSplitterTest {

    @Test
    void wordsQuotesAndEscapesReadAsInAShell() {
        assertThat(LineSplitter.split("spawn  printf '%s $X' \"a \\\"b\\\" \\\\ $Y\" c\\ d e\\'f")).containsExactly(
                List.of("spawn", "printf", "%s $X", "a \"b\" \\ $Y", "c d", "e'f"));
        assertThat(LineSplitter.split("a\"b\"'c'")).containsExactly(List.of("abc"));
        assertThat(LineSplitter.split("echo ''")).containsExactly(List.of("echo", ""));
    }

    @Test
    void semicolonsSeparateCommandsAndHashStartsAComment() {
        assertThat(LineSplitter.split("a 1; b 2;; c # d; e")).containsExactly(List.of("a", "1"), List.of("b", "2"), List.of("c"));
        assertThat(LineSplitter.split("a#b '#c'")).containsExactly(List.of("a#b", "#c"));
        assertThat(LineSplitter.split("   ")).isEmpty();
        assertThat(LineSplitter.split("# only a comment")).isEmpty();
    }

    @Test
    void shellOperatorsAreRefusedUnlessQuoted() {
        assertThatThrownBy(() -> LineSplitter.split("spawn a || b")).isInstanceOf(ProcshException.class)
                .hasMessageStartingWith("'||': pipelines are not supported here");
        assertThatThrownBy(() -> LineSplitter.split("spawn a 2>err")).hasMessageStartingWith("'>': redirections");
        assertThatThrownBy(() -> LineSplitter.split("spawn a && b")).hasMessageStartingWith("'&&' is not supported");
        assertThat(LineSplitter.split("spawn a '|' \\> \"&\"")).containsExactly(List.of("spawn", "a", "|", ">", "&"));
    }

    @Test
    void unfinishedQuotesAndEscapesAreErrors() {
        assertThatThrownBy(() -> LineSplitter.split("a 'b")).hasMessageStartingWith("unclosed ' quote");
        assertThatThrownBy(() -> LineSplitter.split("a \"b")).hasMessageStartingWith("unclosed \" quote");
        assertThatThrownBy(() -> LineSplitter.split("a b\\")).hasMessageStartingWith("a line cannot end with a backslash");
    }
}
