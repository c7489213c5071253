package io.wickrlocal.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.io.content.AsyncContent;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.Test;

/** What a body costs the server before the request is authenticated: at most the limit, per request. */
class RequestBodyTest {

    private static RequestBody.Read read(int limit, long declared, RequestBody.Budget budget, byte[]... chunks)
            throws Exception {
        return read("111111111111", limit, declared, budget, chunks);
    }

    private static RequestBody.Read read(String account, int limit, long declared, RequestBody.Budget budget,
                                         byte[]... chunks) throws Exception {
        AsyncContent content = new AsyncContent();
        CompletableFuture<RequestBody.Read> done = new CompletableFuture<>();
        RequestBody.read(content, limit, declared, budget, account, done::complete);
        for (byte[] c : chunks) {
            content.write(false, ByteBuffer.wrap(c), Callback.NOOP);
        }
        content.close();
        return done.get(10, TimeUnit.SECONDS);
    }

    private static byte[] bytes(int n, int seed) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 31 + seed);
        }
        return b;
    }

    @Test
    void aBodyArrivingInPiecesIsKeptWhole() throws Exception {
        byte[] a = bytes(1, 1);
        byte[] b = bytes(40_000, 2);
        byte[] c = bytes(100_001, 3);
        RequestBody.Budget budget = new RequestBody.Budget(1 << 20);
        RequestBody.Read r = read(1 << 20, -1, budget, a, b, c);
        assertThat(r.outcome).isEqualTo(RequestBody.Outcome.COMPLETE);
        byte[] whole = new byte[a.length + b.length + c.length];
        System.arraycopy(a, 0, whole, 0, a.length);
        System.arraycopy(b, 0, whole, a.length, b.length);
        System.arraycopy(c, 0, whole, a.length + b.length, c.length);
        assertThat(r.body).isEqualTo(whole);
        assertThat(budget.used()).as("what it kept beyond the free part").isEqualTo(whole.length - RequestBody.FREE_BYTES);
        r.release();
        assertThat(budget.used()).isZero();
        assertThat(read(1024, 3, budget, "abc".getBytes()).body).isEqualTo("abc".getBytes());
        assertThat(read(1024, 0, budget).body).isEmpty();
    }

    @Test
    void pastTheLimitNothingMoreIsKeptAndPastTheDrainLimitReadingStops() throws Exception {
        RequestBody.Budget budget = new RequestBody.Budget(1 << 20);
        RequestBody.Read over = read(2048, -1, budget, bytes(2000, 1), bytes(2000, 2));
        assertThat(over.outcome).isEqualTo(RequestBody.Outcome.TOO_LARGE);
        assertThat(over.body).isNull();
        RequestBody.Read far = read(2048, -1, budget, bytes(2048 * RequestBody.DRAIN_FACTOR + 1, 1));
        assertThat(far.outcome).isEqualTo(RequestBody.Outcome.ABORTED_TOO_LARGE);
        assertThat(budget.used()).isZero();
    }

    @Test
    void oneAccountsBodiesHoldAtMostHalfOfTheBudgetSoAnothersStillFit() throws Exception {
        RequestBody.Budget budget = new RequestBody.Budget(200_000);
        RequestBody.Read a1 = read("111111111111", 1 << 20, -1, budget, bytes(RequestBody.FREE_BYTES + 90_000, 1));
        assertThat(a1.outcome).isEqualTo(RequestBody.Outcome.COMPLETE);
        assertThat(read("111111111111", 1 << 20, -1, budget, bytes(RequestBody.FREE_BYTES + 20_000, 1)).outcome)
                .as("past half of the budget for one account").isEqualTo(RequestBody.Outcome.BUSY);
        RequestBody.Read b1 = read("222222222222", 1 << 20, -1, budget, bytes(RequestBody.FREE_BYTES + 90_000, 1));
        assertThat(b1.outcome).as("another account's body still fits").isEqualTo(RequestBody.Outcome.COMPLETE);
        a1.release();
        b1.release();
        assertThat(budget.used()).isZero();
    }

    @Test
    void whenTheSharedBudgetIsSpentALargeBodyIsRefusedAndSmallOnesStillPass() throws Exception {
        RequestBody.Budget budget = new RequestBody.Budget(200_000);
        RequestBody.Read first = read("111111111111", 1 << 20, -1, budget, bytes(RequestBody.FREE_BYTES + 95_000, 1));
        RequestBody.Read second = read("222222222222", 1 << 20, -1, budget, bytes(RequestBody.FREE_BYTES + 95_000, 1));
        assertThat(first.outcome).isEqualTo(RequestBody.Outcome.COMPLETE);
        assertThat(second.outcome).isEqualTo(RequestBody.Outcome.COMPLETE);
        assertThat(read("333333333333", 1 << 20, -1, budget, bytes(RequestBody.FREE_BYTES + 20_000, 1)).outcome)
                .as("the budget is spent").isEqualTo(RequestBody.Outcome.BUSY);
        assertThat(read("333333333333", 1 << 20, -1, budget, bytes(RequestBody.FREE_BYTES, 2)).outcome)
                .as("a body within the free part needs no budget").isEqualTo(RequestBody.Outcome.COMPLETE);
        first.release();
        first.release();
        assertThat(budget.used()).isEqualTo(95_000);
        assertThat(read("333333333333", 1 << 20, -1, budget, bytes(RequestBody.FREE_BYTES + 20_000, 1)).outcome)
                .isEqualTo(RequestBody.Outcome.COMPLETE);
        second.release();
    }

    @Test
    void aDrainedBodyKeepsNothing() throws Exception {
        AsyncContent content = new AsyncContent();
        CompletableFuture<RequestBody.Read> done = new CompletableFuture<>();
        RequestBody.drain(content, 10_000, done::complete);
        content.write(false, ByteBuffer.wrap(bytes(5000, 1)), Callback.NOOP);
        content.close();
        RequestBody.Read r = done.get(10, TimeUnit.SECONDS);
        assertThat(r.outcome).isEqualTo(RequestBody.Outcome.TOO_LARGE);
        assertThat(r.body).isNull();
    }
}
