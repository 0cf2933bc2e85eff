package io.telltale.core.failure;

import java.util.List;
import java.util.Map;

/**
 * What one error response may show, after the detail policy is applied; every body format renders this.
 *
 * <p>Deciding visibility once, here, keeps the three formats from disagreeing about what a public
 * visitor sees: for an untrusted client the detail is the catalogue's generic meaning and the origin,
 * evidence, remediation and timings are absent.
 *
 * @param code the catalogue entry
 * @param status the HTTP status
 * @param detail the occurrence's detail, or the generic meaning for untrusted clients
 * @param requestId the request id
 * @param host the request's Host, as the client sent it
 * @param gatewayName the gateway's name
 * @param trusted whether evidence is shown
 * @param site the site's name, or null (always null for untrusted clients)
 * @param origin the origin's {@code host:port}, or null (always null for untrusted clients)
 * @param evidence the facts (empty for untrusted clients)
 * @param remediation the owner's filled steps (empty for untrusted clients)
 * @param steps the hop strip; millis are -1 for untrusted clients
 * @param attempts every origin attempt in order (empty for untrusted clients)
 */
public record ErrorView(
        FailureCode code,
        int status,
        String detail,
        String requestId,
        String host,
        String gatewayName,
        boolean trusted,
        String site,
        String origin,
        Map<String, Object> evidence,
        List<String> remediation,
        List<HopStrip.Step> steps,
        List<AttemptRecord> attempts) {

    /** Returns the view of a failure for a request, applying the detail policy. */
    public static ErrorView of(Failure failure, ErrorContext ctx) {
        FailureCode code = failure.code();
        List<HopStrip.Step> steps = HopStrip.steps(code, ctx.timeline());
        if (!ctx.trusted()) {
            List<HopStrip.Step> bare = steps.stream().map(s -> new HopStrip.Step(s.name(), s.state(), -1)).toList();
            return new ErrorView(code, code.status(), code.meaning(), ctx.requestId(), ctx.host(), ctx.gatewayName(),
                    false, null, null, Map.of(), List.of(), bare, List.of());
        }
        List<String> remediation = failure.remediation().isEmpty()
                ? code.ownerAdvice().stream().map(t -> TemplateFiller.fill(t, name -> lookup(name, failure, ctx))).toList()
                : failure.remediation();
        String detail = failure.detail().isEmpty() ? code.meaning() : failure.detail();
        return new ErrorView(code, code.status(), detail, ctx.requestId(), ctx.host(), ctx.gatewayName(), true,
                ctx.site(), ctx.nextHop(), failure.evidence().facts(), remediation, steps, ctx.attempts());
    }

    private static Object lookup(String name, Failure failure, ErrorContext ctx) {
        Object fact = failure.evidence().get(name);
        if (fact != null) {
            return fact;
        }
        return switch (name) {
            case "request.host" -> ctx.host();
            case "request.id" -> ctx.requestId();
            case "request.path" -> ctx.path();
            case "site" -> ctx.site();
            default -> null;
        };
    }

    /** Returns the catalogue page address for this entry, the problem details {@code type}. */
    public String typeUri() {
        return ErrorResponseRenderer.CATALOGUE_PATH + code.code();
    }
}
