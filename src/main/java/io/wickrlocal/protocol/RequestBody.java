package io.wickrlocal.protocol;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.eclipse.jetty.io.Content;

/**
 * Reads a request body without holding a thread, and without letting a caller that has not yet
 * proved who it is make the server hold much memory.
 *
 * <p>The body is copied out of Jetty's network buffers as it arrives (a retained buffer per chunk
 * would let a client that sends one byte at a time pin a whole buffer per byte). At most
 * {@code limit} bytes are kept. Past the limit the rest is read and dropped, up to
 * {@link #DRAIN_FACTOR} times the limit, so that a client still sending gets its answer rather than a
 * reset connection; a body larger than that ends the read at once. Dropped bytes cost no memory.
 *
 * <p>The first {@link #FREE_BYTES} of every body cost nothing; every byte kept beyond them is
 * taken from one {@link Budget} shared by all requests in flight, and given back when the request
 * is answered. When the budget is spent, a further large body is refused at once with
 * {@link Outcome#BUSY}, so slow clients trickling large bodies bound the server's memory at
 * (connections x {@code FREE_BYTES}) + budget, whatever their number.
 */
final class RequestBody implements Runnable {
    /** What each body may keep without drawing on the shared budget. */
    static final int FREE_BYTES = 64 * 1024;
    /** How far past the limit a body is still read (and dropped) to answer it cleanly. */
    static final int DRAIN_FACTOR = 4;

    /**
     * How the read ended: the whole body kept; the whole body read but more than could be kept;
     * the read stopped before the end (past the drain limit, or the budget spent), so the connection
     * must close after the answer; the client's stream failed.
     */
    enum Outcome { COMPLETE, TOO_LARGE, ABORTED_TOO_LARGE, BUSY, FAILED }

    /** The bytes kept for request bodies beyond their free part, shared by every request. */
    static final class Budget {
        private final long capacity;
        private final AtomicLong used = new AtomicLong();

        Budget(long capacity) {
            this.capacity = capacity;
        }

        boolean take(long bytes) {
            while (true) {
                long now = used.get();
                if (now + bytes > capacity) {
                    return false;
                }
                if (used.compareAndSet(now, now + bytes)) {
                    return true;
                }
            }
        }

        void give(long bytes) {
            used.addAndGet(-bytes);
        }

        long capacity() {
            return capacity;
        }

        long used() {
            return used.get();
        }
    }

    /** The result: the body when complete, else why not. {@link #release()} once answered. */
    static final class Read {
        final Outcome outcome;
        final byte[] body;
        final Throwable failure;
        private final Budget budget;
        private long borrowed;

        private Read(Outcome outcome, byte[] body, Throwable failure, Budget budget, long borrowed) {
            this.outcome = outcome;
            this.body = body;
            this.failure = failure;
            this.budget = budget;
            this.borrowed = borrowed;
        }

        /** Gives the bytes this body took from the budget back; idempotent. */
        synchronized void release() {
            if (borrowed > 0) {
                budget.give(borrowed);
                borrowed = 0;
            }
        }
    }

    private final Content.Source source;
    private final int limit;
    private final long readLimit;
    private final Budget budget;
    private final Consumer<Read> done;
    private byte[] buffer;
    private int kept;
    private long seen;
    private long borrowed;
    private boolean finished;

    private RequestBody(Content.Source source, int limit, long readLimit, long declaredLength, Budget budget,
                        Consumer<Read> done) {
        this.source = source;
        this.limit = limit;
        this.readLimit = readLimit;
        this.budget = budget;
        this.done = done;
        // Sized by what the client declared, but never more than the free part up front: a client that
        // declares a megabyte and sends nothing costs no more than one that declares nothing.
        int initial = declaredLength >= 0 ? (int) Math.min(declaredLength, Math.min(limit, FREE_BYTES)) : 1024;
        this.buffer = new byte[Math.max(initial, 0)];
    }

    /**
     * Starts reading, keeping at most {@code limit} bytes and reading (dropping) up to
     * {@link #DRAIN_FACTOR} times that; {@code done} is called once, on whichever thread the last
     * chunk arrives.
     *
     * @param declaredLength the Content-Length, or -1 when the client did not say
     */
    static void read(Content.Source source, int limit, long declaredLength, Budget budget, Consumer<Read> done) {
        new RequestBody(source, limit, (long) DRAIN_FACTOR * limit, declaredLength, budget, done).run();
    }

    /**
     * Reads and drops a body of up to {@code readLimit} bytes, keeping nothing: for a request already
     * refused, so that the client, still sending, gets the answer.
     */
    static void drain(Content.Source source, long readLimit, Consumer<Read> done) {
        new RequestBody(source, 0, readLimit, 0, new Budget(0), done).run();
    }

    @Override
    public void run() {
        while (!finished) {
            Content.Chunk chunk = source.read();
            if (chunk == null) {
                source.demand(this);
                return;
            }
            if (Content.Chunk.isFailure(chunk)) {
                Throwable failure = chunk.getFailure();
                chunk.release();
                finish(Outcome.FAILED, failure);
                return;
            }
            ByteBuffer bytes = chunk.getByteBuffer();
            int n = bytes.remaining();
            seen += n;
            Outcome refusal = null;
            if (seen > readLimit) {
                refusal = Outcome.ABORTED_TOO_LARGE;
            } else if (seen <= limit && !keep(bytes, n)) {
                refusal = Outcome.BUSY;
            }
            boolean last = chunk.isLast();
            chunk.release();
            if (refusal != null) {
                finish(refusal, null);
                return;
            }
            if (last) {
                finish(seen > limit ? Outcome.TOO_LARGE : Outcome.COMPLETE, null);
                return;
            }
        }
    }

    private boolean keep(ByteBuffer bytes, int n) {
        if (kept + n > buffer.length) {
            int capacity = (int) Math.min(limit, Math.max((long) buffer.length * 2, (long) kept + n));
            long beyondFree = Math.max(0, capacity - FREE_BYTES) - Math.max(0, buffer.length - FREE_BYTES);
            if (beyondFree > 0) {
                if (!budget.take(beyondFree)) {
                    return false;
                }
                borrowed += beyondFree;
            }
            buffer = Arrays.copyOf(buffer, capacity);
        }
        bytes.get(buffer, kept, n);
        kept += n;
        return true;
    }

    private void finish(Outcome outcome, Throwable failure) {
        finished = true;
        byte[] body = outcome == Outcome.COMPLETE
                ? (kept == buffer.length ? buffer : Arrays.copyOf(buffer, kept)) : null;
        buffer = null;
        Read read = new Read(outcome, body, failure, budget, borrowed);
        if (outcome != Outcome.COMPLETE) {
            read.release();
        }
        done.accept(read);
    }
}
