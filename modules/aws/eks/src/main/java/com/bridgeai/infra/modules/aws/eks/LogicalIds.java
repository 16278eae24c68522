package com.bridgeai.infra.modules.aws.eks;

import com.hashicorp.cdktf.TerraformStack;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import software.constructs.Construct;
import software.constructs.IConstruct;

/**
 * The logical id (the name in a Terraform address) cdktf gives a resource with construct id
 * {@code id} directly under {@code scope}: cdktf 0.21's {@code makeUniqueId} — the path's ids
 * below the stack joined by "_" (a component the previous one ends with is dropped), plus the
 * first 8 hex digits of the MD5 of the path joined by "/", upper case; a resource directly under
 * the stack keeps its id.
 *
 * <p>Why: moving a resource into a construct of its own changes its path and so its address, and
 * Terraform would destroy and re-create it (a node group, a launch template). Computing the
 * address it had lets the new construct keep it ({@code overrideLogicalId}). EksModuleTest checks
 * this function against the ids cdktf itself allocates.
 */
public final class LogicalIds {
    private LogicalIds() {}

    public static String of(Construct scope, String id) {
        List<String> components = new ArrayList<>();
        boolean belowStack = false;
        for (IConstruct c : scope.getNode().getScopes()) {
            if (belowStack) {
                components.add(c.getNode().getId());
            } else if (c instanceof TerraformStack) {
                belowStack = true;
            }
        }
        components.add(id);
        components.removeIf("Default"::equals);
        if (components.size() == 1) {
            return clean(components.get(0));
        }
        List<String> human = new ArrayList<>();
        for (String component : components) {
            if (human.isEmpty() || !human.get(human.size() - 1).endsWith(component)) {
                human.add(component);
            }
        }
        human.removeIf("Resource"::equals);
        String readable = String.join("_", human.stream().map(LogicalIds::clean).toList());
        if (readable.length() > 240) {
            readable = readable.substring(0, 240);
        }
        return readable + "_" + md5(String.join("/", components)).substring(0, 8).toUpperCase();
    }

    private static String clean(String s) {
        return s.replaceAll("[^A-Za-z0-9_-]", "");
    }

    private static String md5(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
