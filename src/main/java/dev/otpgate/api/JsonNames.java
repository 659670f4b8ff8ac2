package dev.otpgate.api;


import com.fasterxml.jackson.annotation.JsonProperty;

/** The JSON name of a record component, so that errors speak the envelope's words, not Java's. */
final class JsonNames {

    private JsonNames() {
    }

    static String of(Class<?> type, String component) {
        try { // @JsonProperty is not a record-component annotation: it lands on the field
            JsonProperty p = type.getDeclaredField(component).getAnnotation(JsonProperty.class);
            return p == null ? component : p.value();
        } catch (NoSuchFieldException e) {
            return component;
        }
    }
}
