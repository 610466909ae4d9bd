package procsh.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import procsh.os.Signal;
import procsh.os.Signals;

/** The signal table is the running OS's: checked against bash's own kill -l. */
class SignalsTest {

    @Test
    void numbersMatchTheShellsOnThisMachine() throws IOException, InterruptedException {
        for (String name : new String[] {"HUP", "INT", "KILL", "USR1", "USR2", "TERM", "CHLD", "STOP", "CONT", "WINCH"}) {
            Process p = new ProcessBuilder("bash", "-c", "kill -l " + name).start();
            String bash = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            p.waitFor(5, TimeUnit.SECONDS);
            Signal s = Signals.os().parse(name).orElseThrow();
            assertThat(s.number()).as(name).isEqualTo(Integer.parseInt(bash));
            assertThat(s.name()).isEqualTo("SIG" + name);
        }
    }

    @Test
    void realTimeSignalsAreNamedAsBashNamesThem() {
        Signal rtmin = Signals.os().parse("RTMIN").orElseThrow();
        assertThat(Signals.os().parse("RTMIN+2").orElseThrow().number()).isEqualTo(rtmin.number() + 2);
        assertThat(Signals.os().parse("SIGRTMAX").orElseThrow().number()).isGreaterThan(rtmin.number());
    }

    @Test
    void aliasesAndSpellingsAreAccepted() {
        assertThat(Signals.os().parse("IOT").orElseThrow().name()).isEqualTo("SIGABRT");
        assertThat(Signals.os().parse("sigcld").orElseThrow().name()).isEqualTo("SIGCHLD");
        assertThat(Signals.os().parse("0")).isEmpty();
        assertThat(Signals.os().parse("")).isEmpty();
        assertThat(Signals.os().parse("-")).isEmpty();
        assertThat(Signals.os().parse("99999999999999")).isEmpty();
    }
}
