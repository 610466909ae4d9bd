package procsh.remote;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The hosts named in the ssh client configuration procsh uses ({@code PROCSH_SSH_CONFIG}, else
 * {@code ~/.ssh/config}): each {@code Host} line's names, patterns left out. For TAB on {@code --host}.
 */
public final class SshConfigHosts {

    private SshConfigHosts() {
    }

    public static List<String> named() {
        Set<String> hosts = new LinkedHashSet<>();
        for (String line : configLines()) {
            String[] words = line.strip().split("\\s+");
            if (words.length < 2 || !words[0].toLowerCase(Locale.ROOT).equals("host")) {
                continue;
            }
            for (int i = 1; i < words.length; i++) {
                if (words[i].matches("[A-Za-z0-9_.@:-]+") && !words[i].startsWith("-")) {
                    hosts.add(words[i]); // *, ?, ! make a pattern, not a host one can name
                }
            }
        }
        return new ArrayList<>(hosts);
    }

    private static List<String> configLines() {
        String config = SshConnection.setting(SshConnection.CONFIG_PROPERTY, SshConnection.CONFIG_ENV);
        Path file = config != null ? Path.of(config) : Path.of(System.getProperty("user.home"), ".ssh", "config");
        try {
            return Files.size(file) > 1 << 20 ? List.of() : Files.readAllLines(file);
        } catch (IOException | RuntimeException e) {
            return List.of(); // no configuration: nothing to offer
        }
    }
}
