package com.bridgeai.infra.stacks;

/**
 * The deployable units of one environment, in deploy order. A stack is named
 * {@code <env>-<unit>} (e.g. {@code test-vpc}) and keeps its state under
 * {@code <env>/<unit>/terraform.tfstate} in the env's bucket (the state unit keeps it locally).
 */
public enum StackUnit {
    STATE("state"),
    /** GitHub's OIDC provider and the CI roles; only with ci_github_repository. */
    CI("ci"),
    VPC("vpc"),
    EKS("eks"),
    GITHUB("github"),
    FLUX("flux");

    private final String id;

    StackUnit(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    public String stackName(String environment) {
        return environment + "-" + id;
    }

    public String stateKey(String environment) {
        return environment + "/" + id + "/terraform.tfstate";
    }
}
