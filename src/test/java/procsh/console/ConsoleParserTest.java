package procsh.console;

import static org.assertj.core.api.Assertions.assertThat;

import org.jline.reader.ParsedLine;
import org.jline.reader.Parser.ParseContext;
import org.junit.jupiter.api.Test;

/** The console's line splitting, on lines a paste can bring. */
class ConsoleParserTest {

    @Test
    void aLongRunOfBackslashesIsOneWordNotAStackOverflow() {
        // JLine's escape check recursed once per backslash in a row: pasting 20,000 ended procsh.
        // On a thread with the stack of procsh's main thread (the JVM's default, 1 MB), where it happened.
        String line = "x = \"" + "\\".repeat(200_000);
        java.util.concurrent.atomic.AtomicReference<Object> result = new java.util.concurrent.atomic.AtomicReference<>();
        Thread reader = new Thread(null, () -> {
            try {
                result.set(new ConsoleParser(() -> null).parse(line, line.length(), ParseContext.SPLIT_LINE));
            } catch (Throwable t) {
                result.set(t);
            }
        }, "reader", 1 << 20);
        reader.start();
        assertThat(org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(10), () -> {
            reader.join();
            return result.get();
        })).isInstanceOf(ParsedLine.class);
        assertThat(((ParsedLine) result.get()).line()).isEqualTo(line);
    }

    @Test
    void ordinaryLinesAreSplitAsBefore() {
        ParsedLine parsed = new ConsoleParser(() -> null).parse("spawn sh -c 'a b' x\\ y", 10, ParseContext.SPLIT_LINE);
        assertThat(parsed.words()).hasSize(5).startsWith("spawn", "sh", "-c");
    }
}
