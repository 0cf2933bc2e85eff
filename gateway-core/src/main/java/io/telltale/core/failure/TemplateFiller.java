package io.telltale.core.failure;

import java.util.List;
import java.util.function.Function;

/**
 * Fills {@code {name}} placeholders in remediation templates from evidence.
 *
 * <p>A placeholder with no value is written as {@code <name>}, so the command still reads as a
 * template the owner completes by hand rather than as a wrong literal. Braces right after {@code $} or
 * {@code %} are left alone: they are edge-rule variables and curl format fields, not placeholders.
 */
public final class TemplateFiller {
    private TemplateFiller() {
    }

    /** Returns the template with each {@code {name}} replaced by the evidence fact of that name. */
    public static String fill(String template, Evidence evidence) {
        return fill(template, evidence::get);
    }

    /** Returns every template filled from the evidence. */
    public static List<String> fillAll(List<String> templates, Evidence evidence) {
        return templates.stream().map(t -> fill(t, evidence)).toList();
    }

    /** Returns the template with each {@code {name}} replaced by the looked-up value. */
    public static String fill(String template, Function<String, Object> values) {
        int open = template.indexOf('{');
        if (open < 0) {
            return template;
        }
        StringBuilder out = new StringBuilder(template.length() + 32);
        int from = 0;
        while (open >= 0) {
            int close = template.indexOf('}', open + 1);
            if (close < 0) {
                break;
            }
            if (open > 0 && (template.charAt(open - 1) == '$' || template.charAt(open - 1) == '%')) {
                open = template.indexOf('{', close + 1);
                continue;
            }
            out.append(template, from, open);
            String name = template.substring(open + 1, close);
            Object value = values.apply(name);
            if (value == null) {
                out.append('<').append(name).append('>');
            } else {
                out.append(value);
            }
            from = close + 1;
            open = template.indexOf('{', from);
        }
        return out.append(template, from, template.length()).toString();
    }
}
