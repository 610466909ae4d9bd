package procsh.os;

import java.nio.channels.spi.AbstractInterruptibleChannel;

/**
 * Lets {@link Thread#interrupt()} wake a lead blocked in epoll_wait with no timeout. The JDK's
 * interrupt closes the channel a thread has said it is blocked on ({@link #begin()}); closing
 * this one kicks the exit set instead of closing anything. A timeout of a few ms to look at the
 * interrupt flag now and then would arm a timer at each wait, which measured 2-5 us slower per
 * kill-then-wait on this VM (each arming can reprogram the CPU's timer, a VM exit).
 * One per wait: a channel closes once.
 */
final class InterruptKick extends AbstractInterruptibleChannel {

    private final ExitEpoll exits;

    InterruptKick(ExitEpoll exits) {
        this.exits = exits;
    }

    /** From here to {@link #leave}, an interrupt of this thread kicks the lead. */
    void enter() {
        begin();
    }

    /** No more kicks; the thread's interrupt flag still says whether it was interrupted. */
    void leave() {
        try {
            end(true);
        } catch (java.nio.channels.AsynchronousCloseException interrupted) {
            // An interrupt closed it: the thread's interrupt flag stays set, for the caller to see.
        }
    }

    @Override
    protected void implCloseChannel() {
        exits.kickLead();
    }
}
