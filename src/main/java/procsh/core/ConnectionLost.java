package procsh.core;

import java.io.IOException;

/**
 * What a job on another host could not be asked because the connection to its host is down for
 * now (procsh is reconnecting): unlike other failures, worth waiting out. An attach drops the keys
 * typed meanwhile, as a terminal that takes nothing would.
 */
public final class ConnectionLost extends IOException {
    private static final long serialVersionUID = 1L;

    public ConnectionLost(String message) {
        super(message);
    }

    public ConnectionLost(String message, Throwable cause) {
        super(message, cause);
    }
}
