package procsh.testing;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import procsh.core.JobTable;
import procsh.core.SessionContext;
import procsh.core.SessionDirectory;
import procsh.os.Backends;

/** A fresh table in a temporary state directory, on the named backend, for one test. */
public final class TableFixture {

    private TableFixture() {
    }

    public static JobTable open(String backend, Path stateDir) {
        JobTable table = new JobTable(Backends.byName(backend), SessionDirectory.create(stateDir.resolve("procsh")),
                new SessionContext(stateDir, System.getenv()));
        table.defaultGrace(Duration.ofSeconds(2));
        return table;
    }

    /** Stops everything the test left and checks the session left nothing behind. */
    public static List<Long> closeAndFindLeftovers(JobTable table) {
        table.defaultGrace(Duration.ofMillis(500));
        table.close();
        return Leftovers.of(table);
    }
}
