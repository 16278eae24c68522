package com.bridgeai.infra.modules.gitops;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A pin's date and source, written on the constant that pins it: a {@link ChartPin}, or a
 * {@code String} holding a version or an image reference (a {@code List} of pins is listed one
 * line per element). {@code bin/pins} lists every such field of the project's classes, with its
 * age, and flags the old ones (docs/pins.md).
 *
 * <p>Exactly one of {@link #released} and {@link #verified}: the pinned version's release date at
 * its source where it could be read (a tag's date, the registry), otherwise the day the pin was
 * last checked against its source. Whoever changes the version changes the date (a Renovate pull
 * request does not: its body says so).
 *
 * <p>The attributes keep this order ({@code name}, {@code renovate}, then the rest): renovate.json's
 * custom manager for these annotations reads them with a regular expression.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.FIELD)
public @interface Pinned {
    /** What is pinned, as its source names it ("hashicorp/aws", "burakince/mlflow"); empty for a ChartPin (its chart). */
    String name() default "";

    /**
     * The Renovate datasource that proposes new versions ("docker", "terraform-provider",
     * "github-releases"); empty when only a person can move it (no datasource, or a ChartPin, which
     * renovate.json's ChartPin managers update).
     */
    String renovate() default "";

    /** Where new versions are published: a registry or repository URL; empty for a ChartPin (its repository). */
    String source() default "";

    /** The pinned version's release date at its source, YYYY-MM-DD. */
    String released() default "";

    /** The day the pin was last checked against its source, YYYY-MM-DD (when no release date could be read). */
    String verified() default "";

    /** The pin this one is derived from and moves with (e.g. {@code FluxOperator.VERSION}); empty if none. */
    String follows() default "";
}
