package io.telltale.core.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Binds a YAML tree to config records by reflection: keys are component names, and every problem is collected in
 * {@link Problems} instead of stopping at the first, with a placeholder bound in place of the broken value.
 */
final class RecordBinder {
    private final Problems problems;
    private final Function<String, JsonNode> defaults;

    /**
     * Creates a binder that reports into {@code problems} and reads {@link Default} texts with {@code defaults}.
     */
    RecordBinder(Problems problems, Function<String, JsonNode> defaults) {
        this.problems = problems;
        this.defaults = defaults;
    }

    /** Binds a mapping to a record, or returns null (having reported why) when the node is not a mapping. */
    <T extends Record> T bindRecord(Class<T> type, JsonNode node, String path) {
        if (!node.isObject()) {
            problems.add(path, Problems.display(node, false), "a mapping of " + describeRecord(type));
            return null;
        }
        RecordComponent[] components = type.getRecordComponents();
        reportUnknownKeys(components, node, path);
        Object[] values = new Object[components.length];
        Class<?>[] types = new Class<?>[components.length];
        for (int i = 0; i < components.length; i++) {
            types[i] = components[i].getType();
            values[i] = bindComponent(components[i], node.get(components[i].getName()), path);
        }
        return construct(type, types, values, path);
    }

    private void reportUnknownKeys(RecordComponent[] components, JsonNode node, String path) {
        List<String> known = Arrays.stream(components).map(RecordComponent::getName).collect(Collectors.toList());
        for (Iterator<String> keys = node.fieldNames(); keys.hasNext(); ) {
            String key = keys.next();
            if (!known.contains(key)) {
                String suggestion = KeySuggestions.nearest(key, known);
                problems.addWritten(Problems.child(path, key) + ": unknown key (expected one of: "
                        + String.join(", ", known)
                        + (suggestion == null ? "" : "; did you mean " + suggestion + "?") + ")");
            }
        }
    }

    private Object bindComponent(RecordComponent component, JsonNode node, String parent) {
        String path = Problems.child(parent, component.getName());
        if (node != null && !node.isNull()) {
            return bindValue(component, component.getGenericType(), node, path);
        }
        Default preset = component.getAnnotation(Default.class);
        if (preset != null) {
            return bindValue(component, component.getGenericType(), defaults.apply(preset.value()), path);
        }
        Class<?> type = component.getType();
        if (component.isAnnotationPresent(Optional.class)) {
            return null;
        }
        if (type == List.class) {
            return List.of();
        }
        if (type.isRecord() && type != DataSize.class) {
            return bindValue(component, type, JsonNodeFactory.instance.objectNode(), path);
        }
        problems.missing(path, describe(component, type));
        return placeholder(type);
    }

    private Object bindValue(RecordComponent component, Type genericType, JsonNode node, String path) {
        Class<?> type = rawType(genericType);
        if (type == List.class) {
            return bindList(component, ((ParameterizedType) genericType).getActualTypeArguments()[0], node, path);
        }
        if (type.isRecord() && type != DataSize.class) {
            return bindRecord(type.asSubclass(Record.class), node, path);
        }
        Object value = bindScalar(component, type, node);
        if (value == null) {
            String description = describe(component, type);
            boolean quoteText = type != String.class && !type.isEnum() && type != Duration.class
                    && type != DataSize.class;
            problems.add(path, Problems.display(node, quoteText), description);
            return placeholder(type);
        }
        return value;
    }

    private List<Object> bindList(RecordComponent component, Type elementType, JsonNode node, String path) {
        if (!node.isArray()) {
            problems.add(path, Problems.display(node, false), describe(component, List.class));
            return List.of();
        }
        List<Object> values = new ArrayList<>(node.size());
        for (int i = 0; i < node.size(); i++) {
            Object value = bindValue(component, elementType, node.get(i), Problems.element(path, i));
            if (value != null) {
                values.add(value);
            }
        }
        return List.copyOf(values);
    }

    /** Returns the bound value, or null when the node cannot be read as the type or breaks the field's rule. */
    private static Object bindScalar(RecordComponent component, Class<?> type, JsonNode node) {
        if (!node.isValueNode()) {
            return null;
        }
        if (type == String.class) {
            String text = node.asText();
            return FieldRules.isLowerCased(component) ? text.toLowerCase(Locale.ROOT) : text;
        }
        if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
            if (!node.isIntegralNumber() || !node.canConvertToLong()
                    || !FieldRules.integerRule(component, type).accepts().test(node.longValue())) {
                return null;
            }
            return type == long.class || type == Long.class ? (Object) node.longValue() : (Object) node.intValue();
        }
        if (type == boolean.class || type == Boolean.class) {
            return node.isBoolean() ? node.booleanValue() : null;
        }
        if (type.isEnum()) {
            return node.isTextual() ? enumConstant(type, node.textValue()) : null;
        }
        return parseText(type, node);
    }

    private static Object parseText(Class<?> type, JsonNode node) {
        if (!node.isTextual() && !node.isIntegralNumber()) {
            return null;
        }
        try {
            if (type == Duration.class) {
                return Durations.parse(node.asText());
            }
            if (type == DataSize.class) {
                return DataSizes.parse(node.asText());
            }
        } catch (IllegalArgumentException e) {
            return null;
        }
        throw new IllegalStateException("config records may not use the type " + type.getName());
    }

    private static Object enumConstant(Class<?> type, String text) {
        for (Object constant : type.getEnumConstants()) {
            if (kebab((Enum<?>) constant).equals(text)) {
                return constant;
            }
        }
        return null;
    }

    /** Returns an enum constant as it is written in YAML, e.g. {@code HTTP_ONLY} as {@code http-only}. */
    static String kebab(Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Returns how a value of this component (or of each of its list elements) is described in messages. */
    static String describe(RecordComponent component, Class<?> type) {
        if (type == List.class) {
            Type element = ((ParameterizedType) component.getGenericType()).getActualTypeArguments()[0];
            return "a list, each " + describe(component, rawType(element));
        }
        if (type == String.class) {
            String description = FieldRules.description(component);
            return description != null ? description : "a string";
        }
        if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
            return FieldRules.integerRule(component, type).expected();
        }
        if (type == boolean.class || type == Boolean.class) {
            return "true or false";
        }
        if (type.isEnum()) {
            return Arrays.stream(type.getEnumConstants()).map(c -> kebab((Enum<?>) c))
                    .collect(Collectors.collectingAndThen(Collectors.toList(), RecordBinder::alternatives));
        }
        if (type == Duration.class) {
            return Durations.EXPECTED;
        }
        if (type == DataSize.class) {
            return DataSizes.EXPECTED;
        }
        return "a mapping of " + describeRecord(type);
    }

    /** Joins choices as {@code a, b or c}. */
    static String alternatives(List<String> choices) {
        if (choices.size() == 1) {
            return choices.get(0);
        }
        return String.join(", ", choices.subList(0, choices.size() - 1)) + " or " + choices.get(choices.size() - 1);
    }

    private static String describeRecord(Class<?> type) {
        return Arrays.stream(type.getRecordComponents()).map(RecordComponent::getName)
                .collect(Collectors.joining(", ", "keys among ", ""));
    }

    private static Class<?> rawType(Type type) {
        return type instanceof ParameterizedType ? (Class<?>) ((ParameterizedType) type).getRawType() : (Class<?>) type;
    }

    private static Object placeholder(Class<?> type) {
        if (type == int.class) {
            return 0;
        }
        if (type == long.class) {
            return 0L;
        }
        if (type == boolean.class) {
            return false;
        }
        return null;
    }

    private static <T extends Record> T construct(Class<T> type, Class<?>[] types, Object[] values, String path) {
        try {
            Constructor<T> canonical = type.getDeclaredConstructor(types);
            return canonical.newInstance(values);
        } catch (InvocationTargetException e) {
            throw new IllegalStateException("cannot build " + type.getSimpleName() + " at " + path, e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot build " + type.getSimpleName() + " at " + path, e);
        }
    }
}
