package procsh.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import procsh.core.Job;
import procsh.core.JobListener;
import procsh.core.JobState;
import procsh.core.JobTable;
import procsh.core.ProcshException;
import procsh.core.SpawnRequest;
import procsh.testing.Leftovers;
import procsh.testing.TableFixture;

/** When the agent itself dies (killed, or its host restarted), its jobs' ends can never be known: said so, once, not waited for. */
class AgentGoneTest {

    @RegisterExtension
    static final AgentSshd SSHD = new AgentSshd();

    @Test
    void aTerminatedAgentStopsItsJobsAndLeavesNoFile(@TempDir Path temp) throws Exception {
        JobTable table = TableFixture.open("native", temp);
        Job job = table.spawn(SpawnRequest.of("sleep", "30").host("127.0.0.1"));
        String id = ((SshLauncher) table.hosts().get(0)).agentId();
        ProcessHandle agent = RemoteJobsTest.agents().stream().filter(p -> p.info().commandLine().orElse("").contains("--agent-daemon " + id))
                .findFirst().orElseThrow();
        procsh.os.OsSignals.kill(agent.pid(), table.signal("TERM"));
        await().atMost(Duration.ofSeconds(10)).until(() -> !agent.isAlive() && !Leftovers.alive(job.pid()));
        try (var files = java.nio.file.Files.list(AgentPaths.of(id).dir())) {
            assertThat(files.map(f -> f.getFileName().toString())).noneMatch(name -> name.startsWith(id));
        }
        assertThat(TableFixture.closeAndFindLeftovers(table)).isEmpty();
        await().atMost(Duration.ofSeconds(10)).until(() -> RemoteJobsTest.agents().isEmpty());
    }

    @Test
    void theFilesOfAnAgentKilledLongAgoAreSweptByTheNextOne(@TempDir Path temp) throws Exception {
        AgentPaths old = AgentPaths.of("procsh-0-sweepme");
        for (Path f : List.of(old.lock(), old.socket(), old.log())) {
            java.nio.file.Files.writeString(f, "");
        }
        java.nio.file.Files.setLastModifiedTime(old.lock(), java.nio.file.attribute.FileTime.from(java.time.Instant.now().minus(Duration.ofDays(2))));
        JobTable table = TableFixture.open("native", temp);
        table.waitFor(table.spawn(SpawnRequest.of("true").host("127.0.0.1")), Duration.ofSeconds(20)); // a new agent there sweeps
        assertThat(List.of(old.lock(), old.socket(), old.log())).allMatch(f -> !java.nio.file.Files.exists(f));
        assertThat(TableFixture.closeAndFindLeftovers(table)).isEmpty();
    }

    @Test
    void jobsOfAKilledAgentAreUnknownForGood(@TempDir Path temp) throws Exception {
        JobTable table = TableFixture.open("native", temp);
        List<String> news = new java.util.concurrent.CopyOnWriteArrayList<>();
        table.addListener(new JobListener() {
            @Override
            public void jobEnded(Job job) {
            }

            @Override
            public void hostBack(String host, int readopted, int gone) {
                news.add("back " + readopted + " " + gone);
            }
        });
        Job job = table.spawn(SpawnRequest.of("sleep", "30").host("127.0.0.1"));
        try {
            ProcessHandle agent = RemoteJobsTest.agents().stream().filter(p -> p.info().commandLine().orElse("").contains("--agent-daemon"))
                    .findFirst().orElseThrow();
            agent.destroyForcibly(); // no goodbye: its socket closes, the relay and the connection end
            await().atMost(Duration.ofSeconds(20)).until(() -> news.contains("back 0 1"));
            assertThat(job.state()).isEqualTo(JobState.UNKNOWN);
            assertThatThrownBy(() -> table.kill(job)).isInstanceOf(ProcshException.class)
                    .hasMessageContaining("its agent on 127.0.0.1 ended while procsh was away: how the job ended is unknown (rm forgets it)");
            assertThatThrownBy(() -> table.stop(job, Duration.ofSeconds(1))).isInstanceOf(ProcshException.class)
                    .hasMessage("stop of job 1 failed: its agent on 127.0.0.1 ended while procsh was away: how the job ended is unknown (rm forgets it)");
            table.remove(job);
            assertThat(table.jobs()).isEmpty();
        } finally {
            ProcessHandle.of(job.pid()).ifPresent(ProcessHandle::destroyForcibly); // orphaned by the kill -9 of its agent
        }
        assertThat(TableFixture.closeAndFindLeftovers(table)).isEmpty();
        await().atMost(Duration.ofSeconds(10)).until(() -> RemoteJobsTest.agents().isEmpty() && !Leftovers.alive(job.pid()));
    }
}
