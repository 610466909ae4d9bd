package procsh.os;

/** One signal as the running OS numbers it, e.g. {@code Signal(9, "SIGKILL")}. */
public record Signal(int number, String name) {

    /** The name without its {@code SIG} prefix, as {@code kill -l} prints it. */
    public String shortName() {
        return name.startsWith("SIG") ? name.substring(3) : name;
    }

    @Override
    public String toString() {
        return name;
    }
}
