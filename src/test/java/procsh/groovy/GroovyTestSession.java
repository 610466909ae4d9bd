package procsh.groovy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import procsh.core.JobTable;
import procsh.testing.TableFixture;

/** A table and a Groovy engine over it in a temporary directory, with the output captured. */
final class GroovyTestSession implements AutoCloseable {

    final JobTable table;
    final GroovyEngine engine;
    private final StringWriter outText = new StringWriter();
    private final StringWriter errText = new StringWriter();
    final PrintWriter out = new PrintWriter(outText, true);
    final PrintWriter err = new PrintWriter(errText, true);

    GroovyTestSession(Path temp) {
        table = TableFixture.open("native", temp);
        engine = new GroovyEngine(table);
    }

    /** Evaluates input that must succeed. */
    Object eval(String source) throws InterruptedException {
        try {
            return engine.eval(source, out, err);
        } catch (ScriptError e) {
            return fail("evaluating %s failed: %s", source, e.getMessage());
        }
    }

    /** Evaluates input that must fail; returns the message shown. */
    String error(String source) throws InterruptedException {
        try {
            Object result = engine.eval(source, out, err);
            return fail("expected %s to fail, it gave %s", source, result);
        } catch (ScriptError e) {
            return e.getMessage();
        }
    }

    String out() {
        synchronized (outText) {
            return outText.toString();
        }
    }

    String err() {
        synchronized (errText) {
            return errText.toString();
        }
    }

    @Override
    public void close() {
        engine.close();
        assertThat(TableFixture.closeAndFindLeftovers(table)).as("processes left running").isEmpty();
    }
}
