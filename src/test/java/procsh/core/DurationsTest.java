package procsh.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {

    @Test
    void readsTheFormsUsersWrite() {
        assertThat(Durations.parse("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(Durations.parse("2s")).isEqualTo(Duration.ofSeconds(2));
        assertThat(Durations.parse("1.5s")).isEqualTo(Duration.ofMillis(1500));
        assertThat(Durations.parse("1m")).isEqualTo(Duration.ofMinutes(1));
        assertThat(Durations.parse("3")).isEqualTo(Duration.ofSeconds(3));
        assertThat(Durations.parse(" 2 S ")).isEqualTo(Duration.ofSeconds(2));
        assertThat(Durations.of(250)).isEqualTo(Duration.ofMillis(250));
        assertThat(Durations.of("1h")).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void refusesWhatIsNotADuration() {
        for (String bad : new String[] {"", "-1s", "soon", "1x", "1e9", "99999999999s", "1.2.3s"}) {
            assertThatThrownBy(() -> Durations.parse(bad)).as(bad).isInstanceOf(ProcshException.class)
                    .hasMessageContaining("write it like 500ms, 2s");
        }
    }

    @Test
    void writesThemBackReadably() {
        assertThat(Durations.format(Duration.ofMillis(450))).isEqualTo("450ms");
        assertThat(Durations.format(Duration.ofMillis(2000))).isEqualTo("2s");
        assertThat(Durations.format(Duration.ofMillis(3240))).isEqualTo("3.2s");
        assertThat(Durations.format(Duration.ofSeconds(200))).isEqualTo("3m 20s");
        assertThat(Durations.format(Duration.ofMinutes(125))).isEqualTo("2h 5m");
    }
}
