package io.telltale.core.failure;

import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.unix.Errors;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.PrematureChannelClosureException;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.timeout.ReadTimeoutException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.channels.ClosedChannelException;
import java.util.Locale;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import javax.net.ssl.SSLException;

/**
 * Maps a real exception from the origin path to a catalogue {@link Failure}, by exception type and
 * errno, never by message text.
 *
 * <p>What the transports raise (Netty 4.2): NIO reports a refusal as {@link ConnectException},
 * EHOSTUNREACH as {@link NoRouteToHostException} and ENETUNREACH as a plain {@link SocketException};
 * epoll reports both unreachable errnos as {@link NoRouteToHostException}, every other connect errno as
 * {@link ConnectException}, and read or write errors as {@link Errors.NativeIoException} carrying the
 * negative errno. Netty wraps connect failures in subclasses of the same types, so {@code instanceof}
 * holds. TLS and DNS failures are classified where they happen and arrive as a {@link FailureException},
 * which passes through unchanged.
 */
public final class FailureClassifier {
    private FailureClassifier() {
    }

    /**
     * Classifies an exception raised while serving a request from an origin.
     *
     * @param phase the step that was running when it was raised
     * @param cause the exception as raised (wrappers are looked through)
     * @param responseStarted whether the response status line was already sent to the client
     * @param origin the origin the request was going to
     */
    public static Failure classify(Phase phase, Throwable cause, boolean responseStarted, OriginHop origin) {
        Throwable t = unwrap(cause);
        if (t instanceof FailureException fe) {
            return fe.failure();
        }
        if (t instanceof OriginResponseTimeoutException || t instanceof ReadTimeoutException
                || (t instanceof SocketTimeoutException && phase == Phase.RESPONSE)) {
            return responseTimeout(t, responseStarted, origin);
        }
        if (t instanceof ConnectTimeoutException || t instanceof SocketTimeoutException) {
            return build(FailureCode.ORIGIN_CONNECT_TIMEOUT, null, t, null, responseStarted, origin,
                    "Connecting to " + describe(origin) + " timed out: no answer to the TCP SYN.");
        }
        // NoRouteToHostException and ConnectException both extend SocketException: test them first.
        if (t instanceof NoRouteToHostException) {
            return unreachable(t, null, responseStarted, origin);
        }
        if (t instanceof ConnectException) {
            return refused(t, null, responseStarted, origin);
        }
        if (t instanceof Errors.NativeIoException nativeIo) {
            return nativeError(phase, nativeIo, responseStarted, origin);
        }
        if (t instanceof TooLongHttpHeaderException || t instanceof TooLongHttpLineException) {
            return headerTooBig(t, responseStarted, origin);
        }
        if (t instanceof PrematureChannelClosureException || t instanceof ClosedChannelException) {
            return closed(t, null, responseStarted, origin);
        }
        if (t instanceof DecoderException) {
            return invalidResponse(t, responseStarted, origin);
        }
        if (t instanceof SSLException) {
            return build(FailureCode.ORIGIN_SSL_HANDSHAKE_FAILED, null, t, null, responseStarted, origin,
                    "TLS with " + describe(origin) + " failed.");
        }
        if (t instanceof IOException) {
            // Without an errno, an I/O error while connecting means the network would not carry it
            // (NIO's ENETUNREACH, EPERM from a local firewall); later it means the connection broke.
            return phase == Phase.CONNECT
                    ? unreachable(t, null, responseStarted, origin)
                    : closed(t, null, responseStarted, origin);
        }
        return build(FailureCode.GATEWAY_INTERNAL_ERROR, null, t, null, responseStarted, origin,
                "The gateway failed while " + phase.label() + " for " + describe(origin) + ".");
    }

    /**
     * Classifies a failed {@code DecoderResult} of the origin's response: a status line or header section
     * over the limit is {@link FailureCode#ORIGIN_HEADER_TOO_BIG}, anything else the codec rejected
     * (status line, header syntax, chunk size) is {@link FailureCode#ORIGIN_INVALID_RESPONSE}.
     *
     * @param decoderCause {@code decoderResult().cause()} of the message the client codec produced
     * @param responseStarted whether the response status line was already sent to the client
     * @param origin the origin the response came from
     */
    public static Failure classifyDecoderFailure(Throwable decoderCause, boolean responseStarted, OriginHop origin) {
        if (decoderCause instanceof TooLongHttpHeaderException || decoderCause instanceof TooLongHttpLineException) {
            return headerTooBig(decoderCause, responseStarted, origin);
        }
        return invalidResponse(decoderCause, responseStarted, origin);
    }

    private static Failure nativeError(Phase phase, Errors.NativeIoException e, boolean responseStarted, OriginHop origin) {
        // A NativeIoException exists only once Errors initialised its errno table from the native
        // library, so reading Errors' constants here cannot fail to link.
        int err = e.expectedErr();
        String errno = errnoName(err);
        if (err == Errors.ERROR_ECONNREFUSED_NEGATIVE) {
            return refused(e, errno, responseStarted, origin);
        }
        if (err == Errors.ERROR_ENETUNREACH_NEGATIVE || err == Errors.ERROR_EHOSTUNREACH_NEGATIVE) {
            return unreachable(e, errno, responseStarted, origin);
        }
        if (phase == Phase.CONNECT && err != Errors.ERRNO_ECONNRESET_NEGATIVE && err != Errors.ERRNO_EPIPE_NEGATIVE) {
            return unreachable(e, errno, responseStarted, origin);
        }
        return closed(e, errno, responseStarted, origin);
    }

    private static String errnoName(int negativeErrno) {
        if (negativeErrno == Errors.ERRNO_ECONNRESET_NEGATIVE) {
            return "ECONNRESET";
        }
        if (negativeErrno == Errors.ERRNO_EPIPE_NEGATIVE) {
            return "EPIPE";
        }
        if (negativeErrno == Errors.ERROR_ECONNREFUSED_NEGATIVE) {
            return "ECONNREFUSED";
        }
        if (negativeErrno == Errors.ERROR_ENETUNREACH_NEGATIVE) {
            return "ENETUNREACH";
        }
        if (negativeErrno == Errors.ERROR_EHOSTUNREACH_NEGATIVE) {
            return "EHOSTUNREACH";
        }
        return "errno " + (-negativeErrno);
    }

    private static Failure refused(Throwable t, String errno, boolean responseStarted, OriginHop origin) {
        return build(FailureCode.ORIGIN_CONNECTION_REFUSED, null, t, errno, responseStarted, origin,
                "Connecting to " + describe(origin) + " was refused: nothing accepts connections on that port.");
    }

    private static Failure unreachable(Throwable t, String errno, boolean responseStarted, OriginHop origin) {
        return build(FailureCode.ORIGIN_UNREACHABLE, null, t, errno, responseStarted, origin,
                "There is no route from the gateway to " + describe(origin) + ".");
    }

    private static Failure closed(Throwable t, String errno, boolean responseStarted, OriginHop origin) {
        return build(FailureCode.ORIGIN_CONNECTION_CLOSED, null, t, errno, responseStarted, origin,
                describe(origin) + " closed the connection " + (responseStarted ? "in the middle of" : "before sending")
                        + " its response" + (errno == null ? "." : " (" + errno + ")."));
    }

    private static Failure responseTimeout(Throwable t, boolean responseStarted, OriginHop origin) {
        // RFC 9209: once the response is under way the timeout is between reads, not to the first byte.
        return build(FailureCode.ORIGIN_RESPONSE_TIMEOUT, responseStarted ? "connection_read_timeout" : null, t, null,
                responseStarted, origin, describe(origin) + (responseStarted
                        ? " stopped sending its response for longer than the response timeout."
                        : " sent no response within the response timeout."));
    }

    private static Failure headerTooBig(Throwable t, boolean responseStarted, OriginHop origin) {
        return build(FailureCode.ORIGIN_HEADER_TOO_BIG, null, t, null, responseStarted, origin,
                describe(origin) + " sent a " + (t instanceof TooLongHttpLineException ? "status line" : "header section")
                        + " larger than the gateway accepts.");
    }

    private static Failure invalidResponse(Throwable t, boolean responseStarted, OriginHop origin) {
        return build(FailureCode.ORIGIN_INVALID_RESPONSE, null, t, null, responseStarted, origin,
                describe(origin) + " sent a response that is not valid HTTP/1.1.");
    }

    private static Failure build(FailureCode code, String proxyStatusError, Throwable t, String errno,
            boolean responseStarted, OriginHop origin, String detail) {
        Evidence evidence = Evidence.builder()
                .put("origin.host", origin.host())
                .put("origin.port", origin.port())
                .put("origin.address", origin.addressText())
                .put("exception", t.getClass().getName())
                .put("errno", errno)
                .put("message", message(t))
                .put("responseStarted", responseStarted)
                .build();
        return new Failure(code, proxyStatusError, null, detail, evidence, code.ownerAdvice(evidence));
    }

    /**
     * Returns the exception's message; Netty adds the address to a message the native transport left empty
     * ("null: /192.0.2.1:80"), which names what failed by the exception's class instead.
     */
    private static String message(Throwable t) {
        String message = t.getMessage();
        if (message == null || !message.startsWith("null: ")) {
            return message;
        }
        String name = t.getClass().getSimpleName().replace("Annotated", "").replace("Exception", "");
        return name.replaceAll("([a-z])([A-Z])", "$1 $2").toLowerCase(Locale.ROOT) + message.substring(4);
    }

    private static String describe(OriginHop origin) {
        String address = origin.addressText();
        return address == null || address.equals(origin.host())
                ? "the origin " + origin.nextHop()
                : "the origin " + origin.nextHop() + " (" + address + ")";
    }

    private static Throwable unwrap(Throwable cause) {
        Throwable t = cause;
        for (int depth = 0; depth < 8 && t != null; depth++) {
            if (t instanceof FailureException) {
                return t;
            }
            Throwable next = t.getCause();
            boolean wrapper = t instanceof CompletionException || t instanceof ExecutionException
                    || (t.getClass() == DecoderException.class && next != null);
            if (!wrapper) {
                // A FailureException deeper in the chain still wins: it was classified where it happened.
                Throwable inner = next;
                for (int d = 0; d < 8 && inner != null; d++, inner = inner.getCause()) {
                    if (inner instanceof FailureException) {
                        return inner;
                    }
                }
                return t;
            }
            t = next;
        }
        return t == null ? cause : t;
    }
}
