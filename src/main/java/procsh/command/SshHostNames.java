package procsh.command;

import java.util.Iterator;

/** What {@code --host} takes, for TAB: the hosts ssh's configuration names, read on each TAB so an edit shows at once. */
public final class SshHostNames implements Iterable<String> {

    @Override
    public Iterator<String> iterator() {
        return procsh.remote.SshConfigHosts.named().iterator();
    }
}
