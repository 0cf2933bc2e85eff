package io.telltale.core.failure;

/**
 * What became of one resolved address when an attempt tried to connect to a name: connected, failed (with its
 * catalogue code), abandoned because another address connected first, or never tried.
 *
 * @param address the address as text
 * @param result what became of it
 * @param code the catalogue code of its failure, or null unless it failed
 * @param atMillis when it was tried, in milliseconds from the request's arrival, or -1 when it was not
 * @param millis how long it was tried, or -1 when it was not
 */
public record AddressOutcome(String address, Result result, FailureCode code, long atMillis, long millis) {
    /** What became of an address. */
    public enum Result {
        /** The connection to it was established. */
        CONNECTED,
        /** Connecting to it failed. */
        FAILED,
        /** Another address connected first, so its connect was cancelled. */
        ABANDONED,
        /** The connect timeout ran out before its turn came. */
        NOT_TRIED
    }

    /** Returns the outcome in words: {@code 127.0.0.2 OriginConnectionRefused after 1 ms}. */
    public String describe() {
        return switch (result) {
            case CONNECTED -> address + " connected after " + millis + " ms";
            case FAILED -> address + " " + code.code() + " after " + millis + " ms";
            case ABANDONED -> address + " abandoned after " + millis + " ms (another address connected first)";
            case NOT_TRIED -> address + " not tried (the connect timeout ran out first)";
        };
    }
}
