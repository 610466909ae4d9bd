package procsh.os;

import com.sun.jna.LastErrorException;
import java.io.IOException;

/** kill(2) and killpg(2) for what ProcessHandle cannot send. */
public final class OsSignals {

    private OsSignals() {
    }

    /** @return false when no such process exists (ESRCH) */
    public static boolean kill(long pid, Signal signal) throws IOException {
        try {
            Libc.get().kill(Math.toIntExact(pid), signal.number());
            return true;
        } catch (LastErrorException e) {
            if (e.getErrorCode() == Errno.ESRCH) {
                return false;
            }
            throw new IOException("cannot send " + signal.name() + " to " + pid + ": " + Errno.describe(e.getErrorCode()));
        }
    }

    /** @return false when the group has no member left (ESRCH) */
    public static boolean killGroup(long pgid, Signal signal) throws IOException {
        try {
            Libc.get().killpg(Math.toIntExact(pgid), signal.number());
            return true;
        } catch (LastErrorException e) {
            if (e.getErrorCode() == Errno.ESRCH) {
                return false;
            }
            throw new IOException("cannot send " + signal.name() + " to group " + pgid + ": " + Errno.describe(e.getErrorCode()));
        }
    }
}
