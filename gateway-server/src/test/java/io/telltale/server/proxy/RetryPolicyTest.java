package io.telltale.server.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.telltale.core.failure.Evidence;
import io.telltale.core.failure.Failure;
import io.telltale.core.failure.FailureCode;
import io.telltale.core.origin.Http2Failures;
import io.telltale.server.proxy.RetryPolicy.Decision;
import io.telltale.server.proxy.RetryPolicy.Situation;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
    private static Failure failure(FailureCode code) {
        return Failure.of(code, "test", Evidence.empty());
    }

    /** A GET without body that can still be answered, on a site with another origin. */
    private static Situation get(boolean connected, boolean reused) {
        return new Situation(connected, reused, true, false, true, false, true, false, false, false, true);
    }

    @Test
    void failsOverToTheNextOriginWhenConnectingFailed() {
        assertThat(RetryPolicy.decide(failure(FailureCode.ORIGIN_CONNECTION_REFUSED), get(false, false)))
                .isEqualTo(Decision.NEXT_ORIGIN);
        assertThat(RetryPolicy.decide(failure(FailureCode.ORIGIN_CONNECT_TIMEOUT), get(false, false)))
                .isEqualTo(Decision.NEXT_ORIGIN);
    }

    @Test
    void givesUpWhenNoOriginIsLeftOrTheGatewaysOwnBudgetIsFull() {
        Situation last = new Situation(false, false, true, false, true, false, false, false, false, false, true);
        assertThat(RetryPolicy.decide(failure(FailureCode.ORIGIN_CONNECTION_REFUSED), last)).isEqualTo(Decision.GIVE_UP);
        assertThat(RetryPolicy.decide(failure(FailureCode.ORIGIN_CONNECTION_LIMIT), get(false, false)))
                .isEqualTo(Decision.GIVE_UP);
    }

    @Test
    void retriesOnceOnAFreshConnectionWhenAPooledOneBroke() {
        assertThat(RetryPolicy.decide(failure(FailureCode.ORIGIN_CONNECTION_CLOSED), get(true, true)))
                .isEqualTo(Decision.FRESH_CONNECTION);
        Situation again = new Situation(true, true, true, false, true, false, true, true, false, false, true);
        assertThat(RetryPolicy.decide(failure(FailureCode.ORIGIN_CONNECTION_CLOSED), again)).isEqualTo(Decision.GIVE_UP);
    }

    @Test
    void neverRetriesANewConnectionATimeoutABodyOrANonIdempotentRequest() {
        assertThat(RetryPolicy.decide(failure(FailureCode.ORIGIN_CONNECTION_CLOSED), get(true, false)))
                .isEqualTo(Decision.GIVE_UP);
        assertThat(RetryPolicy.decide(failure(FailureCode.ORIGIN_RESPONSE_TIMEOUT), get(true, true)))
                .isEqualTo(Decision.GIVE_UP);
        Situation withBody = new Situation(true, true, true, false, true, true, true, false, false, false, true);
        assertThat(RetryPolicy.decide(failure(FailureCode.ORIGIN_CONNECTION_CLOSED), withBody)).isEqualTo(Decision.GIVE_UP);
        Situation post = new Situation(true, true, true, false, false, false, true, false, false, false, true);
        assertThat(RetryPolicy.decide(failure(FailureCode.ORIGIN_CONNECTION_CLOSED), post)).isEqualTo(Decision.GIVE_UP);
    }

    @Test
    void neverRetriesOnceTheCacheFillTookTheResponseHead() {
        Situation taken = new Situation(true, true, true, true, true, false, true, false, false, false, true);
        assertThat(RetryPolicy.decide(failure(FailureCode.ORIGIN_CONNECTION_CLOSED), taken)).isEqualTo(Decision.GIVE_UP);
    }

    @Test
    void neverRetriesOnceTheClientSawTheResponseBegin() {
        Situation started = new Situation(false, false, false, false, true, false, true, false, false, false, true);
        assertThat(RetryPolicy.decide(failure(FailureCode.ORIGIN_CONNECTION_REFUSED), started)).isEqualTo(Decision.GIVE_UP);
    }

    @Test
    void sendsAStreamTheOriginNeverProcessedAgainWhateverItsMethodWhileItsBodyIsUnsent() {
        Failure refused = Failure.of(FailureCode.ORIGIN_STREAM_RESET, "test",
                Evidence.builder().put(Http2Failures.UNPROCESSED, true).build());
        Situation post = new Situation(true, false, true, false, false, false, false, false, false, false, false);
        assertThat(RetryPolicy.decide(refused, post)).isEqualTo(Decision.FRESH_CONNECTION);
        Situation postBeforeSending = new Situation(false, false, true, false, false, true, false, false, false, false, false);
        assertThat(RetryPolicy.decide(refused, postBeforeSending)).isEqualTo(Decision.FRESH_CONNECTION);

        Situation bodySent = new Situation(true, false, true, false, false, true, false, false, false, false, false);
        assertThat(RetryPolicy.decide(refused, bodySent)).isEqualTo(Decision.GIVE_UP);
        Situation again = new Situation(true, false, true, false, false, false, false, true, false, false, false);
        assertThat(RetryPolicy.decide(refused, again)).isEqualTo(Decision.GIVE_UP);
        assertThat(RetryPolicy.decide(failure(FailureCode.ORIGIN_STREAM_RESET), post)).isEqualTo(Decision.GIVE_UP);
    }
}
