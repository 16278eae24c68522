package com.bridgeai.infra.config;

import com.bridgeai.infra.config.EnvConfig.Addon;
import com.bridgeai.infra.config.EnvConfig.Addons;
import com.bridgeai.infra.modules.aws.eks.AddonCatalog;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.SequenceNode;

/** The env file's EKS add-on keys: {@code enable_addons} and the {@code addons} list. */
record AddonKeys(YamlFields f, List<ConfigError> errors) {
    static final List<String> KEYS = List.of("enable_addons", "addons");
    /** The keys of one {@code addons} entry. */
    static final Set<String> ADDON_KEYS = Set.of("addon_name", "addon_version", "service_account_role_arn");
    /** What addon_version accepts, for messages: the three forms. */
    static final String ADDON_VERSION_FORMS = "a pinned version like \"v1.32.0-eksbuild.1\", \"" + EnvConfig.ADDON_DEFAULT
            + "\" (the version AWS marks default for the cluster's Kubernetes version) or \"" + EnvConfig.ADDON_LATEST
            + "\" (the newest AWS offers for it), both resolved at plan time";

    private static final Pattern ADDON_NAME = Pattern.compile("[a-z0-9][a-z0-9-]*");
    private static final Pattern ADDON_VERSION = Pattern.compile("v\\d+\\.\\d+\\.\\d+-eksbuild\\.\\d+");
    private static final Pattern ROLE_ARN =
            // role/<optional path segments>/<name>: IAM names are 1-64 characters, path segments non-empty
            Pattern.compile("arn:aws(-[a-z]+)*:iam::(\\d{12}|<aws_account_id>):role/([A-Za-z0-9_+=,.@-]+/){0,20}[A-Za-z0-9_+=,.@-]{1,64}");

    /** The add-ons: the valid entries of the list (an entry with an error is left out and reported). */
    Addons read() {
        boolean enabled = f.bool("enable_addons", true).orElse(false);
        int errorsBeforeAddons = errors.size();
        List<Addon> addons = f.mappings("addons", false, this::addon).orElse(Addons.DEFAULT_LIST);
        if (enabled && addons.isEmpty() && errors.size() == errorsBeforeAddons) {
            Node node = f.node("addons");
            f.invalid("enable_addons", "expected at least one entry in addons while enable_addons is true, found "
                    + (!f.has("addons") ? "no addons key" : node instanceof SequenceNode ? "an empty list" : "no value")
                    + " (set enable_addons: false for a cluster without managed add-ons)");
        }
        Set<String> seen = new HashSet<>();
        for (Addon a : addons) {
            if (!seen.add(a.name())) {
                f.invalid("addons", "expected each addon_name once, found \"" + a.name() + "\" twice");
            }
        }
        return new Addons(enabled, addons);
    }

    private Addon addon(YamlFields a) {
        a.rejectUnknownKeys(ADDON_KEYS);
        Optional<String> name = a.string("addon_name", true).filter(v -> {
            if (ADDON_NAME.matcher(v).matches()) return true;
            a.invalid("addon_name", "expected an EKS add-on name like \"aws-ebs-csi-driver\", found \"" + v + "\"");
            return false;
        });
        Optional<String> version = a.string("addon_version", true).filter(v -> {
            if (ADDON_VERSION.matcher(v).matches() || v.equals(EnvConfig.ADDON_DEFAULT) || v.equals(EnvConfig.ADDON_LATEST)) {
                return true;
            }
            a.invalid("addon_version", "expected " + ADDON_VERSION_FORMS + ", found \"" + v + "\"");
            return false;
        });
        boolean arnOk = true;
        Optional<String> arn = a.string("service_account_role_arn", false);
        if (arn.isPresent() && !ROLE_ARN.matcher(arn.get()).matches()) {
            a.invalid("service_account_role_arn", "expected an IAM role ARN like "
                    + "\"arn:aws:iam::<aws_account_id>:role/Name\" (12-digit account or the placeholder, an optional "
                    + "path like role/service-role/Name, a name of 1-64 characters), found \""
                    + arn.get() + "\"");
            arnOk = false;
        }
        if (name.isPresent() && arn.isEmpty() && !AddonCatalog.known(name.get())) {
            a.invalid("addon_name", "expected service_account_role_arn for add-on \"" + name.get()
                    + "\": no IRSA role is known for it (known add-ons: " + String.join(", ", AddonCatalog.names())
                    + "), found no service_account_role_arn");
            arnOk = false;
        }
        return name.isPresent() && version.isPresent() && arnOk ? new Addon(name.get(), version.get(), arn) : null;
    }
}
