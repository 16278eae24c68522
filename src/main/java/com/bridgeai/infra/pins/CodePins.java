package com.bridgeai.infra.pins;

import com.bridgeai.infra.modules.flux.FluxRelease;
import com.bridgeai.infra.modules.gitops.ChartPin;
import com.bridgeai.infra.modules.gitops.Pinned;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.List;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * The pins the Java code declares, found without a list of them: every static field of the
 * project's classes ({@code com.bridgeai.infra.*} on the class path: the app and every module)
 * that is a {@link ChartPin} or carries {@link Pinned}. A class is only loaded when its class
 * file names one of the two types, and only classes that declare such a field are initialized.
 */
public final class CodePins {
    static final String PACKAGE_PATH = "com/bridgeai/infra/";
    /** The order of the listing. */
    static final List<String> KINDS = List.of("chart", "image", "artifact", "flux", "terraform provider", "version");
    private static final byte[] CHART_PIN = "com/bridgeai/infra/modules/gitops/ChartPin".getBytes(StandardCharsets.UTF_8);
    private static final byte[] PINNED = "com/bridgeai/infra/modules/gitops/Pinned".getBytes(StandardCharsets.UTF_8);

    private CodePins() {
    }

    /** Every pin of the classes on this JVM's class path, sorted by kind and name. */
    public static List<Pin> all() {
        List<Pin> pins = new ArrayList<>();
        for (String className : candidateClasses()) {
            pins.addAll(of(load(className)));
        }
        pins.sort(Comparator.comparing((Pin p) -> KINDS.indexOf(p.kind())).thenComparing(Pin::name).thenComparing(Pin::version));
        return pins;
    }

    /** The pins one class declares (its static ChartPin or @Pinned fields). */
    public static List<Pin> of(Class<?> type) {
        List<Pin> pins = new ArrayList<>();
        for (Field field : type.getDeclaredFields()) {
            Pinned pinned = field.getAnnotation(Pinned.class);
            boolean chart = field.getType() == ChartPin.class;
            if (!Modifier.isStatic(field.getModifiers()) || (!chart && pinned == null)) {
                continue;
            }
            field.setAccessible(true);
            Object value;
            try {
                value = field.get(null);
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
            String where = declaredIn(type) + "." + field.getName();
            if (value instanceof List<?> list) {
                for (Object item : list) {
                    pins.add(pin(item, pinned, where));
                }
            } else {
                pins.add(pin(value, pinned, where));
            }
        }
        return pins;
    }

    private static Pin pin(Object value, Pinned pinned, String where) {
        String dateKind = Pin.NO_DATE;
        LocalDate date = null;
        if (pinned != null && !pinned.released().isEmpty() && !pinned.verified().isEmpty()) {
            throw new IllegalStateException(where + ": @Pinned has both released and verified; keep one");
        }
        if (pinned != null && !pinned.released().isEmpty()) {
            dateKind = Pin.RELEASED;
            date = LocalDate.parse(pinned.released());
        } else if (pinned != null && !pinned.verified().isEmpty()) {
            dateKind = Pin.VERIFIED;
            date = LocalDate.parse(pinned.verified());
        }
        String renovate = pinned == null ? "" : pinned.renovate();
        if (value instanceof ChartPin chart) {
            boolean oci = chart.repositoryUrl().startsWith("oci://");
            return new Pin("chart", chart.chart(), chart.version(), dateKind, date, chart.repositoryUrl(), where,
                    "Renovate (" + (oci ? "docker" : "helm") + ")");
        }
        if (value instanceof FluxRelease release) {
            String range = "1." + release.minKubernetesMinor()
                    + (release.maxKubernetesMinor() == release.minKubernetesMinor() ? "" : "-1." + release.maxKubernetesMinor());
            return new Pin("flux", pinned.name() + " (Kubernetes " + range + ")", release.fluxVersion(), dateKind, date,
                    pinned.source(), where, updatedBy(pinned));
        }
        if (!(value instanceof String text) || pinned == null) {
            throw new IllegalStateException(where + ": @Pinned on a " + (value == null ? "null" : value.getClass().getSimpleName())
                    + "; expected a String, a ChartPin or a list of them");
        }
        String name = pinned.name().isEmpty() ? where : pinned.name();
        String kind;
        String version = text;
        int colon = text.lastIndexOf(':');
        if (text.startsWith("oci://")) {
            kind = "artifact";
            version = text.substring(colon + 1);
        } else if ("terraform-provider".equals(renovate)) {
            kind = "terraform provider";
        } else if (text.startsWith(name + ":")) {
            kind = "image";
            version = text.substring(colon + 1);
        } else {
            kind = "version";
        }
        return new Pin(kind, name, version, dateKind, date, pinned.source(), where, updatedBy(pinned));
    }

    private static String updatedBy(Pinned pinned) {
        if (!pinned.follows().isEmpty()) {
            return "with " + pinned.follows();
        }
        return pinned.renovate().isEmpty() ? "by hand" : "Renovate (" + pinned.renovate() + ")";
    }

    /** "Airflow", or "EnvConfig.Karpenter" for a nested class. */
    private static String declaredIn(Class<?> type) {
        return type.getEnclosingClass() == null ? type.getSimpleName() : declaredIn(type.getEnclosingClass()) + "." + type.getSimpleName();
    }

    private static Class<?> load(String className) {
        try {
            return Class.forName(className, false, CodePins.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            throw new IllegalStateException("cannot load " + className + ": " + e, e);
        }
    }

    /** Class names under com.bridgeai.infra whose class file names ChartPin or Pinned. */
    static TreeSet<String> candidateClasses() {
        TreeSet<String> names = new TreeSet<>();
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            Path path = Path.of(entry);
            try {
                if (Files.isDirectory(path)) {
                    Path root = path.resolve(PACKAGE_PATH);
                    if (!Files.isDirectory(root)) {
                        continue;
                    }
                    try (Stream<Path> files = Files.walk(root)) {
                        for (Path file : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".class"))::iterator) {
                            if (mentionsPins(Files.readAllBytes(file))) {
                                names.add(className(path.relativize(file).toString().replace(java.io.File.separatorChar, '/')));
                            }
                        }
                    }
                } else if (entry.endsWith(".jar") && Files.isRegularFile(path)) {
                    try (JarFile jar = new JarFile(path.toFile())) {
                        Enumeration<JarEntry> entries = jar.entries();
                        while (entries.hasMoreElements()) {
                            JarEntry e = entries.nextElement();
                            if (e.getName().startsWith(PACKAGE_PATH) && e.getName().endsWith(".class")) {
                                try (InputStream in = jar.getInputStream(e)) {
                                    if (mentionsPins(in.readAllBytes())) {
                                        names.add(className(e.getName()));
                                    }
                                }
                            }
                        }
                    }
                }
            } catch (IOException e) {
                throw new IllegalStateException("reading " + path + ": " + e, e);
            }
        }
        return names;
    }

    private static String className(String classFile) {
        return classFile.substring(0, classFile.length() - ".class".length()).replace('/', '.');
    }

    private static boolean mentionsPins(byte[] classFile) {
        return contains(classFile, CHART_PIN) || contains(classFile, PINNED);
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
