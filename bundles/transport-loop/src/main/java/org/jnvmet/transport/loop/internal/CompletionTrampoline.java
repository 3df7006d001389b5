package org.jnvmet.transport.loop.internal;

import java.util.ArrayDeque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per-thread hand-off of host callbacks. A command's completion often happens on the submitting thread, inside the
 * target's {@code init}/{@code execute} and under the queue's lock. Calling the host there would let host code
 * (which may submit more commands, to this or another queue) run under that lock and recurse without bound, so
 * completions produced on a thread that is inside {@code submit} are queued here and delivered once the outermost
 * {@code submit} returns. Completions on other threads (backend I/O threads) are delivered at once. Completed
 * commands are linked through their slots: no allocation per command.
 */
final class CompletionTrampoline {
    private static final Logger LOG = LoggerFactory.getLogger(CompletionTrampoline.class);
    private static final ThreadLocal<CompletionTrampoline> CURRENT = ThreadLocal.withInitial(CompletionTrampoline::new);

    private int depth;
    private boolean draining;
    private LoopSlot head;
    private LoopSlot tail;
    private ArrayDeque<Runnable> rare;

    /** Marks the start of a submit on this thread. */
    static CompletionTrampoline enter() {
        CompletionTrampoline t = CURRENT.get();
        t.depth++;
        return t;
    }

    /** Marks the end of a submit; the outermost one delivers what was deferred. */
    void exit() {
        if (--depth == 0 && !draining) {
            drain();
        }
    }

    /** Delivers a completed slot's callback now or, inside a submit or a delivery on this thread, after it. */
    static void deliver(LoopSlot slot) {
        CompletionTrampoline t = CURRENT.get();
        if (t.tail == null) {
            t.head = slot;
        } else {
            t.tail.nextDeferred = slot;
        }
        t.tail = slot;
        if (t.depth == 0 && !t.draining) {
            t.drain();
        }
    }

    /** Like {@link #deliver} for infrequent notifications (channel failures). */
    static void deliver(Runnable notification) {
        CompletionTrampoline t = CURRENT.get();
        if (t.rare == null) {
            t.rare = new ArrayDeque<>();
        }
        t.rare.add(notification);
        if (t.depth == 0 && !t.draining) {
            t.drain();
        }
    }

    private void drain() {
        draining = true;
        try {
            for (;;) {
                LoopSlot slot = head;
                if (slot != null) {
                    head = slot.nextDeferred;
                    if (head == null) {
                        tail = null;
                    }
                    slot.nextDeferred = null;
                    run(slot);
                } else if (rare != null && !rare.isEmpty()) {
                    run(rare.poll());
                } else {
                    return;
                }
            }
        } finally {
            draining = false;
        }
    }

    private static void run(LoopSlot slot) {
        try {
            slot.deliver();
        } catch (RuntimeException e) {
            LOG.error("host completion callback failed", e);
        }
    }

    private static void run(Runnable notification) {
        try {
            notification.run();
        } catch (RuntimeException e) {
            LOG.error("host failure callback failed", e);
        }
    }
}
