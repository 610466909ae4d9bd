package procsh.chaos;

/**
 * The hostile children on the JDK backend (ProcessBuilder + setsid). The JDK keeps one "process
 * reaper" thread per live child, pooled for 60 s after it, so those are counted apart and not held
 * to their baseline; every other thread and every descriptor is. Fewer jobs under load than on the
 * native backend, for the same reason.
 */
class JdkHostileChildrenTest extends HostileChildrenContract {

    @Override
    String backend() {
        return "jdk";
    }

    @Override
    int loadJobs() {
        return 400;
    }
}
