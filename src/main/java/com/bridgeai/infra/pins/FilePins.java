package com.bridgeai.infra.pins;

import com.bridgeai.infra.config.EksVersionCalendar;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The pins written outside the Java code, read from the repository's files: the npm packages of
 * package.json and src/test/node/package.json, the versions of the root pom.xml (its
 * {@code *.version} properties and its plugins), the GitHub Actions the workflows and the
 * composite action use ({@code uses: owner/name@<commit> # <tag>}), and the EKS version calendar.
 * Their dates come from {@code pin-dates.yaml} (next to this class), the calendar's from its as_of.
 */
public final class FilePins {
    static final String DATES = "pin-dates.yaml";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** {@code uses: owner/name[/path]@<40 hex> # <tag>}: local actions (./...) have no @. */
    private static final Pattern USES = Pattern.compile("uses:\\s*([\\w.-]+/[\\w./-]+)@([0-9a-f]{40})(?:\\s*#\\s*(\\S+))?");

    private final Path root;
    private final Map<String, Map<String, Map<String, Map<String, String>>>> dates;

    public FilePins(Path root) {
        this.root = root;
        this.dates = loadDates();
    }

    public List<Pin> all() {
        List<Pin> pins = new ArrayList<>();
        pins.addAll(npm("package.json", "devDependencies"));
        pins.addAll(npm("src/test/node/package.json", "dependencies"));
        pins.addAll(maven("pom.xml"));
        pins.addAll(actions());
        pins.add(calendar());
        return pins;
    }

    public List<Pin> npm(String file, String section) {
        List<Pin> pins = new ArrayList<>();
        JsonNode deps = readJson(file).path(section);
        for (Iterator<Map.Entry<String, JsonNode>> it = deps.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            pins.add(dated("npm", file, e.getKey(), e.getValue().asText(), "https://www.npmjs.com/package/" + e.getKey(),
                    file + " " + section, "Renovate (npm)"));
        }
        return pins;
    }

    public List<Pin> maven(String file) {
        List<Pin> pins = new ArrayList<>();
        Document pom = readXml(file);
        Element properties = child(pom.getDocumentElement(), "properties");
        Map<String, String> artifactOfProperty = new TreeMap<>();
        NodeList dependencies = pom.getElementsByTagName("dependency");
        for (int i = 0; i < dependencies.getLength(); i++) {
            Element d = (Element) dependencies.item(i);
            String version = text(d, "version");
            if (version != null && version.startsWith("${")) {
                artifactOfProperty.putIfAbsent(version.substring(2, version.length() - 1), text(d, "groupId") + ":" + text(d, "artifactId"));
            }
        }
        for (Node n = properties == null ? null : properties.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().endsWith(".version")) {
                String artifact = artifactOfProperty.get(e.getTagName());
                String source = artifact == null ? "Maven Central"
                        : "https://central.sonatype.com/artifact/" + artifact.replace(':', '/');
                pins.add(dated("maven", file, e.getTagName(), e.getTextContent().strip(), source, file + " <properties>",
                        artifact != null && artifact.startsWith("com.hashicorp:") ? "with package.json (bindings/)" : "Renovate (maven)"));
            }
        }
        NodeList plugins = pom.getElementsByTagName("plugin");
        for (int i = 0; i < plugins.getLength(); i++) {
            Element p = (Element) plugins.item(i);
            String version = text(p, "version");
            if (version == null) {
                continue;
            }
            String group = text(p, "groupId") == null ? "org.apache.maven.plugins" : text(p, "groupId");
            String artifact = text(p, "artifactId");
            pins.add(dated("maven", file, artifact, version, "https://central.sonatype.com/artifact/" + group + "/" + artifact,
                    file + " <plugins>", "Renovate (maven)"));
        }
        return pins;
    }

    /** One pin per action and commit, naming every file that uses it. */
    public List<Pin> actions() {
        Map<String, TreeSet<String>> files = new TreeMap<>();
        Map<String, String> tags = new LinkedHashMap<>();
        Path github = root.resolve(".github");
        if (!Files.isDirectory(github)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(github)) {
            for (Path file : (Iterable<Path>) walk.filter(f -> f.toString().matches(".*\\.ya?ml$")).sorted()::iterator) {
                Matcher m = USES.matcher(Files.readString(file));
                while (m.find()) {
                    String key = m.group(1) + "@" + m.group(2);
                    files.computeIfAbsent(key, k -> new TreeSet<>()).add(root.relativize(file).toString());
                    tags.putIfAbsent(key, m.group(3) == null ? "" : m.group(3));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Pin> pins = new ArrayList<>();
        files.forEach((key, where) -> {
            String action = key.substring(0, key.indexOf('@'));
            String sha = key.substring(key.indexOf('@') + 1);
            Pin p = dated("github-actions", ".github", action, sha, "https://github.com/" + action + "/releases",
                    String.join(", ", where), "Renovate (github-actions)");
            String tag = tags.get(key);
            pins.add(new Pin("github action", p.name(), (tag.isEmpty() ? "" : tag + " ") + sha.substring(0, 12), p.dateKind(), p.date(),
                    p.source(), p.declaredIn(), p.updatedBy()));
        });
        return pins;
    }

    public Pin calendar() {
        EksVersionCalendar calendar = EksVersionCalendar.bundled();
        String newest = "1." + calendar.versions().lastKey();
        String source = calendar.source().split(" ")[0];
        return new Pin("eks calendar", "EKS Kubernetes versions (newest listed)", newest, Pin.AS_OF, calendar.asOf(), source,
                EksVersionCalendar.PROJECT_PATH, "by hand");
    }

    /** A pin dated by its row of pin-dates.yaml ("no date" when the row is missing or for another version). */
    private Pin dated(String ecosystem, String file, String name, String version, String source, String where, String updatedBy) {
        Map<String, String> row = dates.getOrDefault(ecosystem, Map.of()).getOrDefault(file, Map.of()).get(name);
        String kind = ecosystem.equals("github-actions") ? "github action" : ecosystem;
        if (row == null || !version.equals(row.get("version"))) {
            String note = row == null ? "" : " (" + DATES + " dates " + row.get("version") + ")";
            return new Pin(kind, name, version, Pin.NO_DATE, null, source + note, where, updatedBy);
        }
        if (row.containsKey("source")) {
            source = row.get("source");
        }
        String dateKind = row.containsKey(Pin.RELEASED) ? Pin.RELEASED : Pin.VERIFIED;
        if (row.containsKey(Pin.RELEASED) == row.containsKey(Pin.VERIFIED)) {
            throw new IllegalStateException(DATES + ": " + ecosystem + " " + file + " " + name + ": exactly one of released, verified");
        }
        return new Pin(kind, name, version, dateKind, LocalDate.parse(row.get(dateKind)), source, where, updatedBy);
    }

    /** ecosystem → file → name → {version, released|verified, source}. */
    @SuppressWarnings("unchecked")
    private static Map<String, Map<String, Map<String, Map<String, String>>>> loadDates() {
        try (InputStream in = FilePins.class.getResourceAsStream(DATES)) {
            if (in == null) {
                throw new IllegalStateException(DATES + " is not on the class path");
            }
            Map<String, Object> raw = new Yaml(new SafeConstructor(new LoaderOptions())).load(in);
            Map<String, Map<String, Map<String, Map<String, String>>>> out = new TreeMap<>();
            raw.forEach((ecosystem, files) -> ((Map<String, Object>) files).forEach((file, rows) ->
                    ((Map<String, Object>) rows).forEach((name, row) -> {
                        Map<String, String> fields = new TreeMap<>();
                        ((Map<String, Object>) row).forEach((k, v) -> fields.put(k, String.valueOf(v)));
                        out.computeIfAbsent(ecosystem, k -> new TreeMap<>()).computeIfAbsent(file, k -> new TreeMap<>()).put(name, fields);
                    })));
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private JsonNode readJson(String file) {
        try {
            return JSON.readTree(root.resolve(file).toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + file, e);
        }
    }

    private Document readXml(String file) {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            return f.newDocumentBuilder().parse(root.resolve(file).toFile());
        } catch (Exception e) {
            throw new IllegalStateException("reading " + file + ": " + e, e);
        }
    }

    private static Element child(Element parent, String name) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(name)) {
                return e;
            }
        }
        return null;
    }

    private static String text(Element parent, String name) {
        Element e = child(parent, name);
        return e == null ? null : e.getTextContent().strip();
    }
}
