package procsh.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import procsh.core.JobTable;
import procsh.testing.TableFixture;

/** A shell over a native table of its own, with no terminal; after each test nothing it started is left. */
public abstract class ShellFixture {

    @TempDir
    protected Path temp;
    protected JobTable table;
    protected Shell shell;
    protected StringWriter out;
    protected StringWriter err;

    @BeforeEach
    void openShell() {
        table = TableFixture.open("native", temp);
        shell = new Shell(ShellSession.plain(table));
    }

    @AfterEach
    void closeShell() {
        assertThat(TableFixture.closeAndFindLeftovers(table)).isEmpty();
    }

    /** Runs a line; returns its status, with its stdout and stderr in {@link #out} and {@link #err}. */
    protected int run(String line) throws InterruptedException {
        out = new StringWriter();
        err = new StringWriter();
        return shell.run(line, new PrintWriter(out, true), new PrintWriter(err, true));
    }
}
