package io.wickrlocal.protocol;

/** Whether the node can serve calls now: what {@code /_local/ready} answers, and when calls are refused. */
public interface Readiness {
    /** Always ready, never refusing: a store that cannot fail to answer. */
    Readiness ALWAYS = new Readiness() {
        @Override
        public String notReady() {
            return null;
        }

        @Override
        public String refusal() {
            return null;
        }
    };

    /** Null when the node can serve calls now; otherwise why not, in one sentence fit for any caller. */
    String notReady();

    /**
     * Null when calls should run; otherwise why they are refused at once with 503, before anything of
     * them runs. Must be cheap: it is asked before every call that reaches the store.
     */
    String refusal();
}
