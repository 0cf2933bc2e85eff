package io.telltale.core.rules;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import io.telltale.core.config.EdgeRule;
import io.telltale.core.config.EdgeRulesConfig;
import io.telltale.core.config.HeaderRules;
import io.telltale.core.config.RuleAction;
import io.telltale.core.failure.Evidence;
import io.telltale.core.failure.Failure;
import io.telltale.core.failure.FailureCode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A site's edge rules, parsed once, applied to the viewer request's and the origin response's headers.
 *
 * <p>Rules run in order. A value that comes out unsendable at request time (a control character, or over
 * 8 KiB) stops the request with a {@link FailureCode#FUNCTION_VALIDATION_ERROR} naming the rule and the
 * variable, returned rather than thrown. Headers that frame or route the message cannot be changed, as in
 * CloudFront's read-only headers.
 */
public final class EdgeRuleEngine {
    private static final EdgeRuleEngine EMPTY = new EdgeRuleEngine(List.of(), List.of());

    private final List<CompiledRule> viewerRequest;
    private final List<CompiledRule> originResponse;

    private EdgeRuleEngine(List<CompiledRule> viewerRequest, List<CompiledRule> originResponse) {
        this.viewerRequest = viewerRequest;
        this.originResponse = originResponse;
    }

    /**
     * Returns the engine for a site's rules.
     *
     * @throws IllegalArgumentException naming the rule's field ({@code viewerRequest[0].value: ...}) when a
     *     header name, action, value or variable is invalid
     */
    public static EdgeRuleEngine of(EdgeRulesConfig config) {
        if (config == null) {
            return EMPTY;
        }
        List<CompiledRule> viewer = compile("viewerRequest", config.viewerRequest());
        List<CompiledRule> origin = compile("originResponse", config.originResponse());
        return viewer.isEmpty() && origin.isEmpty() ? EMPTY : new EdgeRuleEngine(viewer, origin);
    }

    /** Returns whether there are no rules, so callers may skip building a context. */
    public boolean isEmpty() {
        return viewerRequest.isEmpty() && originResponse.isEmpty();
    }

    /** Applies the viewer-request rules to the headers going to the origin; returns null or the failure. */
    public Failure applyViewerRequest(HttpHeaders headers, RuleContext ctx) {
        return apply(viewerRequest, headers, ctx);
    }

    /** Applies the origin-response rules to the headers going to the client; returns null or the failure. */
    public Failure applyOriginResponse(HttpHeaders headers, RuleContext ctx) {
        return apply(originResponse, headers, ctx);
    }

    private static Failure apply(List<CompiledRule> rules, HttpHeaders headers, RuleContext ctx) {
        for (int i = 0; i < rules.size(); i++) {
            CompiledRule rule = rules.get(i);
            if (rule.action == RuleAction.REMOVE) {
                headers.remove(rule.header);
                continue;
            }
            Outcome outcome = new Outcome();
            rule.value.render(ctx, outcome);
            if (outcome.problem != null) {
                return failure(rule, outcome.problem);
            }
            if (rule.action == RuleAction.SET) {
                headers.set(rule.header, outcome.value);
            } else {
                headers.add(rule.header, outcome.value);
            }
        }
        return null;
    }

    private static Failure failure(CompiledRule rule, ValueTemplate.Problem problem) {
        Evidence evidence = Evidence.builder()
                .put("rule", rule.label)
                .put("header", rule.header.toString())
                .put("variable", problem.variable())
                .put("reason", problem.reason())
                .build();
        String detail = "The edge rule " + rule.label + " could not set " + rule.header + ": the value from "
                + problem.variable() + " is invalid because " + problem.reason() + ".";
        return new Failure(FailureCode.FUNCTION_VALIDATION_ERROR, null, null, detail, evidence, null);
    }

    private static List<CompiledRule> compile(String list, List<EdgeRule> rules) {
        if (rules == null || rules.isEmpty()) {
            return List.of();
        }
        List<CompiledRule> out = new ArrayList<>(rules.size());
        for (int i = 0; i < rules.size(); i++) {
            out.add(CompiledRule.of(list + "[" + i + "]", rules.get(i)));
        }
        return List.copyOf(out);
    }

    /** Checks an HTTP field name (RFC 9110 token); {@code field} names it in the error. */
    static void checkHeaderName(String field, String name) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException(field + ": empty header name (expected: an HTTP field name)");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean tchar = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
            if (!tchar) {
                throw new IllegalArgumentException(field + ": " + name + " (expected: an HTTP field name)");
            }
        }
    }

    private static final class Outcome implements ValueTemplate.Sink {
        private String value;
        private ValueTemplate.Problem problem;

        @Override
        public void value(String value) {
            this.value = value;
        }

        @Override
        public void problem(ValueTemplate.Problem problem) {
            this.problem = problem;
        }
    }

    private record CompiledRule(String label, AsciiString header, RuleAction action, ValueTemplate value) {
        static CompiledRule of(String path, EdgeRule rule) {
            String label = rule.name() == null || rule.name().isBlank() ? path : rule.name();
            checkHeaderName(path + ".header", rule.header());
            if (HeaderRules.readOnly(rule.header()) != null) {
                throw new IllegalArgumentException(path + ".header: " + rule.header()
                        + " (expected: a header that does not frame or route the message)");
            }
            RuleAction action = rule.action() == null ? RuleAction.SET : rule.action();
            ValueTemplate value = null;
            if (action == RuleAction.REMOVE) {
                if (rule.value() != null) {
                    throw new IllegalArgumentException(path + ".value: " + rule.value() + " (expected: none for remove)");
                }
            } else {
                if (rule.value() == null) {
                    throw new IllegalArgumentException(path + ".value: missing (expected: a value for " + action.name().toLowerCase(Locale.ROOT) + ")");
                }
                value = ValueTemplate.parse(path + ".value", rule.value());
            }
            return new CompiledRule(label, AsciiString.cached(rule.header()), action, value);
        }
    }
}
