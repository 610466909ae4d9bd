package procsh.fuzz;

import procsh.os.Backend;
import procsh.os.OsProcess;
import procsh.os.SpawnException;
import procsh.os.SpawnPlan;

/**
 * A real backend behind a gate: while the gate is shut every start is refused, as a backend
 * refuses a program it cannot start. Fuzzed input then exercises every path up to the start of a
 * process (parsing, names, PATH lookup, directories) without ever running one: random words must
 * not run {@code kill -9 -1} as root.
 */
final class GatedBackend implements Backend {

    private final Backend real;
    private volatile boolean open = true;
    private volatile int refused;

    GatedBackend(Backend real) {
        this.real = real;
    }

    void shut() {
        open = false;
    }

    int refused() {
        return refused;
    }

    @Override
    public String name() {
        return real.name();
    }

    @Override
    public boolean exactExitStatus() {
        return real.exactExitStatus();
    }

    @Override
    public boolean ownSession() {
        return real.ownSession();
    }

    @Override
    public OsProcess start(SpawnPlan plan) throws SpawnException {
        if (!open) {
            refused++;
            throw new SpawnException("not starting " + plan.argv().get(0) + ": starting processes is switched off in this test");
        }
        return real.start(plan);
    }
}
