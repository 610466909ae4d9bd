package procsh.core;

import procsh.os.Backend;
import procsh.os.OsProcess;
import procsh.os.SpawnException;
import procsh.os.SpawnPlan;

/** This machine's jobs: exactly the backend. */
final class LocalLauncher implements Launcher {

    private final Backend backend;

    LocalLauncher(Backend backend) {
        this.backend = backend;
    }

    @Override
    public String host() {
        return null;
    }

    @Override
    public boolean exactExitStatus() {
        return backend.exactExitStatus();
    }

    @Override
    public OsProcess start(SpawnPlan plan, SpawnRequest request) throws SpawnException {
        return backend.start(plan);
    }
}
