package procsh.command;

import java.util.ArrayList;
import java.util.Arrays;
import procsh.core.RestartPolicy;

/** What {@code --restart} takes, for TAB: on-failure, always, no. */
public final class RestartModeNames extends ArrayList<String> {
    private static final long serialVersionUID = 1L;

    public RestartModeNames() {
        Arrays.stream(RestartPolicy.Mode.values()).map(RestartPolicy.Mode::label).forEach(this::add);
    }
}
