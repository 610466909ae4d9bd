package procsh.os;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The environment a child gets: built once, varied by one variable per spawn, bytes shared with its base. */
class EnvironmentTest {

    private static List<String> decoded(Environment env) {
        return Arrays.stream(env.encoded()).map(b -> new String(b, StandardCharsets.UTF_8)).toList();
    }

    @Test
    void aVariantAddsOrReplacesOneVariableAndKeepsTheRestSorted() {
        Environment base = Environment.of(Map.of("PATH", "/bin", "HOME", "/root", "TERM", "xterm"));
        base.encoded(); // as after a first spawn: the variants take their bytes from here
        Environment added = base.with("PROCSH_JOB", "s:1");
        assertThat(decoded(added)).containsExactly("HOME=/root", "PATH=/bin", "PROCSH_JOB=s:1", "TERM=xterm");
        assertThat(added.variables()).containsEntry("PROCSH_JOB", "s:1").hasSize(4);
        // procsh started as a job of another procsh: its own marker is replaced, not doubled.
        Environment nested = Environment.of(Map.of("PROCSH_JOB", "outer:3", "A", "1", "Z", "2"));
        assertThat(decoded(nested.with("PROCSH_JOB", "inner:1"))).containsExactly("A=1", "PROCSH_JOB=inner:1", "Z=2");
        assertThat(decoded(nested.with("AA", "x"))).containsExactly("A=1", "AA=x", "PROCSH_JOB=outer:3", "Z=2");
        assertThat(decoded(nested.with("0", "first"))).containsExactly("0=first", "A=1", "PROCSH_JOB=outer:3", "Z=2");
        assertThat(decoded(nested)).as("the base is untouched").containsExactly("A=1", "PROCSH_JOB=outer:3", "Z=2");
        // Unchanged entries are the base's own arrays, not copies.
        assertThat(added.encoded()[0]).isSameAs(base.encoded()[0]);
    }

    @Test
    void settingAndUnsettingMakeANewEnvironmentOnlyWhenSomethingChanges() {
        Environment base = Environment.of(Map.of("A", "1", "B", "2"));
        assertThat(base.with(Map.of("A", "1"), Set.of("C"))).isSameAs(base);
        Environment changed = base.with(Map.of("A", "9", "C", "3"), Set.of("B"));
        assertThat(changed.variables()).isEqualTo(Map.of("A", "9", "C", "3"));
        assertThat(changed.get("A")).isEqualTo("9");
        assertThat(changed.get("B")).isNull();
        assertThat(decoded(changed)).containsExactly("A=9", "C=3");
    }
}
