package procsh.remote;

import java.util.LinkedHashMap;
import java.util.Map;
import procsh.core.Launcher;
import procsh.core.SpawnRequest;
import procsh.os.OsProcess;
import procsh.os.SpawnException;
import procsh.os.SpawnPlan;

/** Jobs on one other host, through one ssh connection to {@code procsh --agent} there, made on first use. */
public final class SshLauncher implements Launcher {

    private final String host;
    private SshConnection connection;

    public SshLauncher(String host) {
        this.host = host;
    }

    @Override
    public String host() {
        return host;
    }

    /** The agent runs its jobs on the native backend where it can, which sees the exact wait status. */
    @Override
    public boolean exactExitStatus() {
        return true;
    }

    @Override
    public synchronized void ready() throws SpawnException {
        if (connection == null || !"connected".equals(connection.state())) {
            if (connection != null) {
                connection.close();
            }
            connection = null;
            connection = SshConnection.open(host);
        }
    }

    @Override
    public OsProcess start(SpawnPlan plan, SpawnRequest request) throws SpawnException {
        ready();
        SshConnection c;
        synchronized (this) {
            c = connection;
        }
        Map<String, Object> spawn = new LinkedHashMap<>();
        spawn.put("op", "spawn");
        spawn.put("argv", request.argv());
        spawn.put("cwd", request.cwd() == null ? null : request.cwd().toString());
        spawn.put("env", request.env());
        spawn.put("unset", request.unset());
        spawn.put("stdin", request.stdin());
        spawn.put("python_unbuffered", request.pythonUnbuffered());
        return RemoteProcess.start(c, plan, spawn);
    }

    @Override
    public synchronized String state() {
        return connection == null ? "not connected" : connection.state();
    }

    @Override
    public synchronized long connectionPid() {
        return connection == null ? -1 : connection.pid();
    }

    /** Jobs still running there, as this side knows. */
    public synchronized int jobs() {
        return connection == null ? 0 : connection.jobs();
    }

    /** The directory of the master connection's socket, for {@code ssh -S}. */
    public synchronized java.nio.file.Path controlDir() {
        return connection == null ? null : connection.controlDir();
    }

    /** An ssh command line through this host's master connection (as {@code ssh -S}), for figures and checks. */
    public synchronized java.util.List<String> sharedSsh(String... command) {
        java.util.List<String> ssh = SshConnection.sshCommand(host, connection.controlDir());
        ssh.addAll(java.util.List.of(command));
        return ssh;
    }

    @Override
    public synchronized void close() {
        if (connection != null) {
            connection.close();
        }
    }
}
