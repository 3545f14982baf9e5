package cambench.api;

/**
 * One parameter an objective accepts.
 *
 * @param name key as in docs/losses.md, e.g. {@code alpha}, {@code center_alpha}
 * @param defaultValue default as text, or null when the parameter is required
 * @param description one line for {@code cambench list objectives}
 */
public record ParamSpec(String name, String defaultValue, String description) {

    /** A parameter with a default. */
    public static ParamSpec of(String name, Object defaultValue, String description) {
        return new ParamSpec(name, String.valueOf(defaultValue), description);
    }

    /** A parameter without a default (must be given). */
    public static ParamSpec required(String name, String description) {
        return new ParamSpec(name, null, description);
    }
}
