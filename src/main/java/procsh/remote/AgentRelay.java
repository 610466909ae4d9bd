package procsh.remote;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code procsh --agent --session ID}, what ssh runs: joins the ssh channel (stdin, stdout) to the
 * detached agent {@code ID} on this host, starting that agent first if none serves the id. The
 * agent outlives the relay, so when the connection drops only the relay ends, and the next
 * connection finds the agent and its jobs where they were.
 */
public final class AgentRelay {

    private static final long START_TIMEOUT_MS = 30_000;

    private AgentRelay() {
    }

    public static int run(String id, InputStream in, OutputStream out) {
        AgentPaths paths;
        SocketChannel channel;
        try {
            paths = AgentPaths.of(id);
            channel = connectOrStart(paths);
        } catch (IOException e) {
            System.err.println("procsh agent: " + e.getMessage());
            return 1;
        }
        Thread up = new Thread(() -> {
            try (OutputStream toAgent = UnixSocketStreams.out(channel)) {
                toAgent.write(introduction());
                in.transferTo(toAgent);
            } catch (IOException e) {
                // The agent closed this connection: the copy below ends too.
            }
        }, "procsh-relay-in");
        up.setDaemon(true);
        up.start();
        // Ends when the agent closes the connection: after this side's input ended, or for a newer connection.
        try (InputStream fromAgent = UnixSocketStreams.in(channel)) {
            byte[] buffer = new byte[64 * 1024];
            int n;
            while ((n = fromAgent.read(buffer)) > 0) {
                out.write(buffer, 0, n);
                out.flush();
                if (out instanceof java.io.PrintStream print && print.checkError()) {
                    break; // ssh is gone (a PrintStream keeps its EPIPE to itself): the agent resends from what arrived
                }
            }
        } catch (IOException e) {
            // The ssh side or the agent went away.
        }
        try {
            channel.close();
        } catch (IOException ignored) {
            // Ending anyway.
        }
        return 0;
    }

    /** The first line to the agent: this ssh session's variables, for the jobs started through it. */
    private static byte[] introduction() {
        java.util.Map<String, Object> env = new java.util.TreeMap<>();
        for (String name : Agent.CONNECTION_VARIABLES) {
            String value = System.getenv(name);
            if (value != null) {
                env.put(name, value);
            }
        }
        return (procsh.command.JsonOutput.write(java.util.Map.of("op", "relay", "env", env)) + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    private static SocketChannel connectOrStart(AgentPaths paths) throws IOException {
        try {
            return AgentSocket.connect(paths);
        } catch (IOException none) {
            // No agent serves the id yet: start one.
        }
        Process agent = startAgent(paths);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(START_TIMEOUT_MS);
        while (true) {
            boolean alive = agent.isAlive();
            try {
                return AgentSocket.connect(paths);
            } catch (IOException notYet) {
                if (!alive) {
                    throw new IOException("the agent did not start: " + lastLine(paths.log()));
                }
                if (System.nanoTime() > deadline) {
                    throw new IOException("the agent did not start within " + START_TIMEOUT_MS / 1000 + "s: " + lastLine(paths.log()));
                }
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while starting the agent");
                }
            }
        }
    }

    /**
     * This very procsh (same JDK, flags and class path) as {@code --agent-daemon ID}, in a session of
     * its own and with no tie to the ssh channel, so the channel's end ends neither it nor the wait
     * of sshd for the channel's output.
     */
    private static Process startAgent(AgentPaths paths) throws IOException {
        ProcessHandle.Info self = ProcessHandle.current().info();
        List<String> command = new ArrayList<>();
        command.add(self.command().orElseThrow(() -> new IOException("cannot tell which java runs this procsh")));
        String[] arguments = self.arguments().orElseThrow(() -> new IOException("cannot read this procsh's command line"));
        int agent = List.of(arguments).lastIndexOf(AgentCommandLine.AGENT);
        if (agent < 0) {
            throw new IOException("cannot find " + AgentCommandLine.AGENT + " in this procsh's command line");
        }
        command.addAll(List.of(arguments).subList(0, agent));
        command.add(AgentCommandLine.DAEMON);
        command.add(paths.id());
        return new ProcessBuilder(NewSession.of(command))
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(paths.log().toFile()))
                .start();
    }

    private static String lastLine(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            for (int i = lines.size() - 1; i >= 0; i--) {
                if (!lines.get(i).isBlank()) {
                    return procsh.text.Escape.echo(lines.get(i).strip());
                }
            }
        } catch (IOException | RuntimeException e) {
            // Nothing said.
        }
        return "it said nothing";
    }
}
