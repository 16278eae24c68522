package com.bridgeai.infra.stacks;

import com.bridgeai.infra.Timings;
import com.bridgeai.infra.config.EnvConfig;
import java.util.Optional;
import com.hashicorp.cdktf.providers.aws.iam_role.IamRole;
import software.constructs.Construct;
import software.constructs.IConstruct;

/**
 * Builds every stack of one environment. Deploy order state → (ci) → vpc → eks follows from the
 * cross-stack references (eks reads the vpc stack's outputs); the state stack must exist
 * before any other stack can initialise its backend, hence the explicit dependency.
 * github → flux come after eks (GitOpsStacks), only for envs with github_owner. The ci stack
 * (only with ci_github_repository) comes right after state: the eks stack gives its plan role
 * read access to the cluster, so the role must exist first.
 */
public record EnvironmentStacks(StateStack state, Optional<CiStack> ci, VpcStack vpc, EksStack eks,
        Optional<GitOpsStacks> gitops) {

    public static EnvironmentStacks add(Construct app, EnvConfig env) {
        StateStack state = new StateStack(app, env);
        Timings.mark("stack:" + state.unit.id());
        Optional<CiStack> ci = env.ci().map(c -> new CiStack(app, env));
        ci.ifPresent(c -> {
            c.addDependency(state);
            Timings.mark("stack:" + c.unit.id());
        });
        VpcStack vpc = new VpcStack(app, env);
        vpc.addDependency(state);
        ci.ifPresent(vpc::addDependency);
        Timings.mark("stack:" + vpc.unit.id());
        EksStack eks = new EksStack(app, env, vpc, ci);
        eks.addDependency(vpc);
        ci.ifPresent(eks::addDependency);
        Timings.mark("stack:" + eks.unit.id());
        Optional<GitOpsStacks> gitops = GitOpsStacks.add(app, env, eks.clusterRefs(), eks);
        Timings.mark("stack:gitops");
        // last: GitOpsStacks adds the apps' IRSA roles to the eks stack
        if (ci.isPresent()) {
            bound(vpc, env.ciBoundaryArn());
            bound(eks, env.ciBoundaryArn());
        }
        return new EnvironmentStacks(state, ci, vpc, eks, gitops);
    }

    /**
     * Every IAM role of the stack gets the CI apply role's permissions boundary, which refuses that
     * role to create a role without it (CiStack.BOUNDARY_DENIES "NewRolesCarryTheBoundary"): so the
     * apply job can create the cluster's, nodes' and IRSA roles, and none of them is a way around
     * the boundary. The boundary allows everything else, so the roles keep what their policies grant.
     * Hence these stacks come after the ci stack, which creates the boundary.
     */
    // (getPermissionsBoundary() is the attribute's token; the Input getter is what was configured)
    private static void bound(Construct stack, String boundaryArn) {
        for (IConstruct c : stack.getNode().findAll()) {
            if (c instanceof IamRole role && role.getPermissionsBoundaryInput() == null) {
                role.setPermissionsBoundary(boundaryArn);
            }
        }
    }
}
