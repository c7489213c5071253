package io.wickrlocal.protocol;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.eclipse.jetty.io.Content;

/**
 * Reads a request body without holding a thread, and without letting a caller that has not yet
 * proved who it is make the server hold much memory.
 *
 * <p>The body is copied out of Jetty's network buffers as it arrives (a retained buffer per chunk
 * would let a client that sends one byte at a time pin a whole buffer per byte), into blocks added as
 * it grows, so memory follows what arrived, not what the client declared. At most
 * {@code limit} bytes are kept. Past the limit the rest is read and dropped, up to
 * {@link #DRAIN_FACTOR} times the limit, so that a client still sending gets its answer rather than a
 * reset connection; a body larger than that ends the read at once. Dropped bytes cost no memory.
 *
 * <p>The first {@link #FREE_BYTES} of every body cost nothing; every byte kept beyond them is
 * taken from one {@link Budget} shared by all requests in flight, and given back when the request
 * is answered. When the budget is spent, a further large body is refused at once with
 * {@link Outcome#BUSY}, so slow clients trickling large bodies bound the server's memory at
 * (connections x {@code FREE_BYTES}) + budget, whatever their number. The bodies of one account may
 * hold at most half of the budget, so one account cannot spend what another's large bodies need.
 */
final class RequestBody implements Runnable {
    /** What each body may keep without drawing on the shared budget. */
    static final int FREE_BYTES = 64 * 1024;
    /** How far past the limit a body is still read (and dropped) to answer it cleanly. */
    static final int DRAIN_FACTOR = 4;
    /** Bodies are kept in blocks of this size as they arrive, so a growing body copies nothing. */
    static final int BLOCK = 16 * 1024;

    /**
     * How the read ended: the whole body kept; the whole body read but more than could be kept;
     * the read stopped before the end (past the drain limit, or the budget spent), so the connection
     * must close after the answer; the client's stream failed.
     */
    enum Outcome { COMPLETE, TOO_LARGE, ABORTED_TOO_LARGE, BUSY, FAILED }

    /**
     * The bytes kept for request bodies beyond their free part, shared by every request, and the
     * blocks bodies are kept in: a block given back is used again by the next body instead of
     * becoming garbage, so clients that start bodies and drop them cost the heap nothing more.
     */
    static final class Budget {
        private final long capacity;
        private final AtomicLong used = new AtomicLong();
        /** What each account's bodies hold; as many entries as there are credentials. */
        private final java.util.concurrent.ConcurrentHashMap<String, AtomicLong> byOwner =
                new java.util.concurrent.ConcurrentHashMap<>();
        private final java.util.concurrent.ConcurrentLinkedQueue<byte[]> spare =
                new java.util.concurrent.ConcurrentLinkedQueue<>();
        private final java.util.concurrent.atomic.AtomicInteger spareCount = new java.util.concurrent.atomic.AtomicInteger();
        private final int maxSpare;

        Budget(long capacity) {
            this.capacity = capacity;
            this.maxSpare = (int) Math.min(Integer.MAX_VALUE, capacity / BLOCK);
        }

        byte[] block() {
            byte[] b = spare.poll();
            if (b == null) {
                return new byte[BLOCK];
            }
            spareCount.decrementAndGet();
            return b;
        }

        void recycle(byte[] block) {
            if (block.length == BLOCK && spareCount.incrementAndGet() <= maxSpare) {
                spare.offer(block);
            } else if (block.length == BLOCK) {
                spareCount.decrementAndGet();
            }
        }

        /**
         * Takes bytes for a body of {@code owner}'s (the account the request names), which may hold at most
         * half of the budget: one account's large bodies never spend what another's need.
         */
        boolean take(String owner, long bytes) {
            AtomicLong mine = byOwner.computeIfAbsent(owner, k -> new AtomicLong());
            if (!reserve(mine, bytes, capacity / 2)) {
                return false;
            }
            if (!reserve(used, bytes, capacity)) {
                mine.addAndGet(-bytes);
                return false;
            }
            return true;
        }

        private static boolean reserve(AtomicLong counter, long bytes, long bound) {
            while (true) {
                long now = counter.get();
                if (now + bytes > bound) {
                    return false;
                }
                if (counter.compareAndSet(now, now + bytes)) {
                    return true;
                }
            }
        }

        void give(String owner, long bytes) {
            used.addAndGet(-bytes);
            AtomicLong mine = byOwner.get(owner);
            if (mine != null) {
                mine.addAndGet(-bytes);
            }
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
        private final Budget budget;
        private final String owner;
        private long borrowed;

        private Read(Outcome outcome, byte[] body, Budget budget, String owner, long borrowed) {
            this.outcome = outcome;
            this.body = body;
            this.budget = budget;
            this.owner = owner;
            this.borrowed = borrowed;
        }

        /** Gives the bytes this body took from the budget back; idempotent. */
        synchronized void release() {
            if (borrowed > 0) {
                budget.give(owner, borrowed);
                borrowed = 0;
            }
        }
    }


    private final Content.Source source;
    private final int limit;
    private final long readLimit;
    private final long declaredLength;
    private final Budget budget;
    private final String owner;
    private final Consumer<Read> done;
    private final java.util.ArrayList<byte[]> blocks = new java.util.ArrayList<>(4);
    private int kept;
    private int room;
    private long seen;
    private long borrowed;
    private boolean finished;

    private RequestBody(Content.Source source, int limit, long readLimit, long declaredLength, Budget budget,
                        String owner, Consumer<Read> done) {
        this.source = source;
        this.limit = limit;
        this.readLimit = readLimit;
        this.declaredLength = declaredLength;
        this.budget = budget;
        this.owner = owner;
        this.done = done;
    }

    /**
     * Starts reading, keeping at most {@code limit} bytes and reading (dropping) up to
     * {@link #DRAIN_FACTOR} times that; {@code done} is called once, on whichever thread the last
     * chunk arrives.
     *
     * @param declaredLength the Content-Length, or -1 when the client did not say
     * @param owner          the account the request names, whose bodies may hold half of the budget at most
     */
    static void read(Content.Source source, int limit, long declaredLength, Budget budget, String owner,
                     Consumer<Read> done) {
        new RequestBody(source, limit, (long) DRAIN_FACTOR * limit, declaredLength, budget, owner, done).run();
    }

    /**
     * Reads and drops a body of up to {@code readLimit} bytes, keeping nothing: for a request already
     * refused, so that the client, still sending, gets the answer.
     */
    static void drain(Content.Source source, long readLimit, Consumer<Read> done) {
        new RequestBody(source, 0, readLimit, 0, new Budget(0), "", done).run();
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
                chunk.release();
                finish(Outcome.FAILED);
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
                finish(refusal);
                return;
            }
            if (last) {
                finish(seen > limit ? Outcome.TOO_LARGE : Outcome.COMPLETE);
                return;
            }
        }
    }

    /**
     * Copies the chunk into the blocks, adding blocks as needed; a body the client declared small gets
     * one block of its size. Bytes kept beyond the first {@link #FREE_BYTES} are taken from the budget.
     */
    private boolean keep(ByteBuffer bytes, int n) {
        if (kept + n > FREE_BYTES) {
            long beyondFree = kept + n - Math.max(FREE_BYTES, kept);
            if (!budget.take(owner, beyondFree)) {
                return false;
            }
            borrowed += beyondFree;
        }
        while (n > 0) {
            if (room == 0) {
                // A body declared smaller than a block gets an array of its size; others share blocks.
                long expected = declaredLength >= 0 ? declaredLength - kept : BLOCK;
                byte[] block = expected >= BLOCK || n >= BLOCK || expected < n ? budget.block()
                        : new byte[(int) Math.max(expected, 1)];
                blocks.add(block);
                room = block.length;
            }
            byte[] block = blocks.get(blocks.size() - 1);
            int take = Math.min(room, n);
            bytes.get(block, block.length - room, take);
            room -= take;
            kept += take;
            n -= take;
        }
        return true;
    }

    /** The kept bytes as one array: the single block itself when it is exactly full. */
    private byte[] assembled() {
        if (blocks.size() == 1 && room == 0) {
            return blocks.get(0);
        }
        byte[] out = new byte[kept];
        int at = 0;
        for (byte[] block : blocks) {
            int used = Math.min(block.length, kept - at);
            System.arraycopy(block, 0, out, at, used);
            at += used;
        }
        return out;
    }

    private void finish(Outcome outcome) {
        finished = true;
        byte[] body = outcome == Outcome.COMPLETE ? assembled() : null;
        for (byte[] block : blocks) {
            if (block != body) {
                budget.recycle(block);
            }
        }
        blocks.clear();
        Read read = new Read(outcome, body, budget, owner, borrowed);
        if (outcome != Outcome.COMPLETE) {
            read.release();
        }
        done.accept(read);
    }
}
