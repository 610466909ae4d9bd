package procsh.remote;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import procsh.command.JsonOutput;

/** The agent's protocol spoken directly, in this JVM (no ssh): what the other side must be able to rely on. */
class AgentProtocolTest {

    PrintStream toAgent;
    BufferedReader fromAgent;
    CompletableFuture<Integer> agent;

    @BeforeEach
    void start() throws IOException {
        PipedOutputStream requests = new PipedOutputStream();
        PipedInputStream agentIn = new PipedInputStream(requests, 1 << 16);
        PipedInputStream answers = new PipedInputStream(1 << 20);
        PipedOutputStream agentOut = new PipedOutputStream(answers);
        toAgent = new PrintStream(requests, true, StandardCharsets.UTF_8);
        fromAgent = new BufferedReader(new InputStreamReader(answers, StandardCharsets.UTF_8));
        agent = CompletableFuture.supplyAsync(() -> Agent.run(agentIn, agentOut));
    }

    @AfterEach
    void end() throws Exception {
        toAgent.close(); // its input ends: it stops what still runs and returns
        assertThat(agent.get(20, TimeUnit.SECONDS)).isZero();
    }

    void send(Object... keysAndValues) {
        Map<String, Object> line = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            line.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        toAgent.println(JsonOutput.write(line));
    }

    /** The next line that is the answer to {@code op} or an event, skipping the others. */
    Map<String, Object> next(String key, String value) throws IOException {
        while (true) {
            String line = fromAgent.readLine();
            assertThat(line).as("the agent's output ended").isNotNull();
            Map<String, Object> message = JsonLine.parse(line);
            if (value.equals(message.get(key))) {
                return message;
            }
        }
    }

    @Test
    void anotherProtocolVersionIsRefusedWithOneLine() throws IOException {
        send("op", "hello", "tag", 1, "version", "1");
        Map<String, Object> answer = next("re", "hello");
        assertThat(answer.get("error")).isEqualTo("procsh there speaks protocol " + Agent.PROTOCOL + ", this one 1:"
                + " install the same procsh version on both hosts");
    }

    @Test
    void stdinAndOutputKeepTheirBytesExactly() throws IOException {
        send("op", "hello", "tag", 1, "version", Agent.PROTOCOL);
        assertThat(next("re", "hello").get("found")).isEqualTo(java.util.List.of());
        send("op", "spawn", "tag", 2, "argv", java.util.List.of("od", "-An", "-tx1"), "stdin", true);
        int job = ((Number) next("re", "spawn").get("job")).intValue();
        byte[] hostile = {(byte) 0xff, (byte) 0xfe, 0, 0x1b, '\n'};
        send("op", "stdin", "tag", 3, "job", job, "data", Base64.getEncoder().encodeToString(hostile));
        assertThat(next("re", "stdin").get("written")).isEqualTo(5L);
        send("op", "close_stdin", "tag", 4, "job", job);
        StringBuilder out = new StringBuilder();
        Map<String, Object> event;
        while (!"ended".equals((event = nextMessage()).get("ev"))) {
            if ("out".equals(event.get("ev"))) {
                out.append(new String(Base64.getDecoder().decode((String) event.get("data")), StandardCharsets.UTF_8));
            }
        }
        assertThat(event.get("code")).isEqualTo(0L);
        assertThat(out.toString().strip()).isEqualTo("ff fe 00 1b 0a");
    }

    /** The next event or answer, whatever it is. */
    Map<String, Object> nextMessage() throws IOException {
        String line = fromAgent.readLine();
        assertThat(line).isNotNull();
        return JsonLine.parse(line);
    }

    @Test
    void aClientThatComesBackIsSentTheRestFromWhereItWas() throws IOException {
        send("op", "hello", "tag", 1, "version", Agent.PROTOCOL);
        next("re", "hello");
        send("op", "spawn", "tag", 2, "argv", java.util.List.of("printf", "abcdef"));
        int job = ((Number) next("re", "spawn").get("job")).intValue();
        next("ev", "ended");
        // As a client that had 4 of those bytes when its connection dropped says on its way back.
        send("op", "hello", "tag", 3, "version", Agent.PROTOCOL, "jobs", java.util.List.of(Map.of("job", job, "out", 4, "err", 0)));
        assertThat(next("re", "hello").get("found")).isEqualTo(java.util.List.of((long) job));
        Map<String, Object> out = next("ev", "out");
        assertThat(out.get("at")).isEqualTo(4L);
        assertThat(new String(Base64.getDecoder().decode((String) out.get("data")), StandardCharsets.UTF_8)).isEqualTo("ef");
        assertThat(next("ev", "ended").get("code")).isEqualTo(0L);
    }
}
