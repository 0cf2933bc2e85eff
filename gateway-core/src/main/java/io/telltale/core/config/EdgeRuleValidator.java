package io.telltale.core.config;

import java.util.List;

/** Checks a site's header rules: the header may be changed, and the value fits the action and uses known variables. */
final class EdgeRuleValidator {
    private static final String VARIABLES_EXPECTED = "only the variables ${client.address}, ${request.host},"
            + " ${request.path}, ${request.id} and ${request.header.NAME}";

    private EdgeRuleValidator() {
    }

    /** Checks both rule lists of a site's rules at {@code path}. */
    static void check(EdgeRulesConfig rules, String path, Problems problems) {
        if (rules == null) {
            return;
        }
        checkList(rules.viewerRequest(), Problems.child(path, "viewerRequest"), problems);
        checkList(rules.originResponse(), Problems.child(path, "originResponse"), problems);
    }

    private static void checkList(List<EdgeRule> rules, String path, Problems problems) {
        for (int i = 0; i < ConfigValidator.orEmpty(rules).size(); i++) {
            checkRule(rules.get(i), Problems.element(path, i), problems);
        }
    }

    private static void checkRule(EdgeRule rule, String path, Problems problems) {
        String headerPath = Problems.child(path, "header");
        String header = rule.header();
        if (header == null || !HeaderRules.isToken(header)) {
            problems.add(headerPath, header == null ? "missing" : Problems.shorten(header),
                    "a header name such as X-Forwarded-Proto");
        } else if (HeaderRules.readOnly(header) != null) {
            problems.add(headerPath, header,
                    "a header an edge rule may change; " + HeaderRules.readOnly(header) + " is read-only");
        }
        String valuePath = Problems.child(path, "value");
        String action = RecordBinder.kebab(rule.action());
        if (rule.action() == RuleAction.REMOVE) {
            if (rule.value() != null) {
                problems.add(valuePath, Problems.shorten(rule.value()), "no value, since action remove deletes the header");
            }
        } else if (rule.value() == null) {
            problems.missing(valuePath, "a value for action " + action);
        } else {
            checkValue(rule.value(), valuePath, problems);
        }
    }

    private static void checkValue(String value, String path, Problems problems) {
        if (value.chars().anyMatch(c -> c < 0x20 && c != '\t' || c == 0x7f)) {
            problems.add(path, Problems.shorten(value), "a header value without control characters");
            return;
        }
        int from = 0;
        while ((from = value.indexOf("${", from)) >= 0) {
            int close = value.indexOf('}', from);
            if (close < 0 || !HeaderRules.isVariable(value.substring(from + 2, close))) {
                String variable = close < 0 ? value.substring(from) : value.substring(from, close + 1);
                problems.add(path, Problems.shorten(value),
                        VARIABLES_EXPECTED + "; " + Problems.shorten(variable) + " is not one");
                return;
            }
            from = close + 1;
        }
    }
}
