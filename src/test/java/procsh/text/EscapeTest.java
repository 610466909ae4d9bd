package procsh.text;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EscapeTest {

    @Test
    void terminalControlsBecomeVisible() {
        String hostile = "sleep\u001b]0;pwned\u0007\u001b[2J\r\n\t\u009b31m\u007f\u202e";
        String shown = Escape.field(hostile);
        assertThat(shown).isEqualTo("sleep\\e]0;pwned\\a\\e[2J\\r\\n\\t\\u009b31m\\x7f\\u202e");
        assertThat(shown.chars()).noneMatch(c -> c < 0x20 || c == 0x7f || c >= 0x80 && c < 0xa0);
    }

    @Test
    void plainTextIsReturnedAsIs() {
        String plain = "python3 script.py --name=w\u00e9b \u65e5\u672c \ud83d\ude00 C:\\dir";
        assertThat(Escape.field(plain)).isSameAs(plain);
        assertThat(Escape.isPlain(plain)).isTrue();
    }

    @Test
    void outputKeepsTabsOnly() {
        assertThat(Escape.outputLine("a\tb\u001b[31m")).isEqualTo("a\tb\\e[31m");
    }

    @Test
    void loneSurrogatesAreEscaped() {
        assertThat(Escape.field("x\ud800y\udc00")).isEqualTo("x\\ud800y\\udc00");
    }

    @Test
    void echoIsCutWithAnEllipsisNeverInsideAnEscape() {
        assertThat(Escape.echo("w".repeat(20_000))).hasSize(101).endsWith("\u2026");
        String cut = Escape.echo("w".repeat(98) + "\u001bxyz");
        assertThat(cut).isEqualTo("w".repeat(98) + "\\e\u2026");
        String cutHex = Escape.echo("w".repeat(98) + "\u007f");
        assertThat(cutHex).isEqualTo("w".repeat(98) + "\u2026");
        String pair = Escape.echo("w".repeat(99) + "\ud83d\ude00z");
        assertThat(pair).isEqualTo("w".repeat(99) + "\u2026");
    }
}
