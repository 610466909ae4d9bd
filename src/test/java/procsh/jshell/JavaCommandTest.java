package procsh.jshell;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import procsh.app.ProcshSession;
import procsh.app.Sessions;
import procsh.command.ShellSession;
import procsh.core.Job;
import procsh.core.JobTable;
import procsh.testing.TableFixture;

/** Java snippets through jshell, reaching the session's table: one engine for the class (it takes ~1 s to start). */
class JavaCommandTest {

    @TempDir
    static Path temp;
    static JobTable table;
    static ProcshSession session;

    @BeforeAll
    static void open() {
        table = TableFixture.open("native", temp);
        session = Sessions.withEngines(new ProcshSession(table, ShellSession.plain(table)));
    }

    @AfterAll
    static void close() {
        assertThat(TableFixture.closeAndFindLeftovers(table)).isEmpty();
    }

    record Result(int status, String out, String err) {
    }

    static Result run(String line) throws InterruptedException {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = session.run(line, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(status, out.toString(), err.toString());
    }

    @Test
    void aSnippetSpawnsThroughTheTableAndVariablesPersist() throws Exception {
        Result spawn = run("java var j = Procsh.spawn(\"sh\", \"-c\", \"exit 5\"); var id = j.id();");
        assertThat(spawn.err()).isEmpty();
        assertThat(spawn.status()).isZero();
        Job job = table.jobs().get(table.jobs().size() - 1);
        assertThat(spawn.out()).contains("j ==> [" + job.id() + "] " + job.pid() + " sh -c exit 5");
        Result waited = run("java Procsh.table().waitFor(j, Duration.ofSeconds(5)).describe()");
        assertThat(waited.out()).matches("\\$\\d+ ==> \"exited 5\"\n");
        assertThat(job.ending().describe()).isEqualTo("exited 5");
        assertThat(run("java id == " + job.id()).out()).endsWith("==> true\n");
    }

    @Test
    void aCompileErrorIsOneReadableLine() throws Exception {
        Result r = run("java int x = \"text\";");
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("java: incompatible types: java.lang.String cannot be converted to int at column 9: int x = \"text\";\n");
    }

    @Test
    void aThrownExceptionIsNamedWithItsMessage() throws Exception {
        Result r = run("java throw new IllegalStateException(\"boom\")");
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("java: IllegalStateException: boom\n");
    }

    @Test
    void anOpenBraceAsksForMoreLines() throws Exception {
        assertThat(session.isIncomplete("java void hello() {")).isTrue();
        assertThat(session.isIncomplete("java void hello() { }")).isFalse();
        assertThat(run("java int twice(int n) {\n  return 2 * n;\n}").status()).isZero();
        assertThat(run("java twice(21)").out()).endsWith("==> 42\n");
    }

    @Test
    void commandsAreReachableFromSnippets() throws Exception {
        Result r = run("java Procsh.sh(\"kill -l 9\")");
        assertThat(r.err()).isEmpty();
        assertThat(r.status()).isZero();
    }
}
