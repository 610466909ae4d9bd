package procsh.core;

import java.time.Instant;
import procsh.os.Signal;

/** One signal procsh sent to a job: which, when, by whom, to what. */
public record SignalRecord(Signal signal, Instant at, Sender sender, Scope scope) {
}
