package bench;

import com.bridgeai.infra.config.EnvConfig;
import com.bridgeai.infra.config.EnvConfigLoader;
import com.bridgeai.infra.guardrails.GuardRails;
import com.bridgeai.infra.stacks.EnvironmentStacks;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.hashicorp.cdktf.App;
import com.hashicorp.cdktf.AppConfig;
import com.hashicorp.cdktf.Aspects;
import com.hashicorp.cdktf.IAspect;
import com.hashicorp.cdktf.TerraformResource;
import com.hashicorp.cdktf.TerraformStack;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import software.constructs.IConstruct;

/**
 * The project's synth (every env selected by BRIDGEAI_ENVS, default test) with the guard rails
 * done one of three ways, for bench/run --guardrails (BENCH_GUARDRAILS):
 * <ul>
 *   <li>{@code none}: no check (the floor of this comparison);</li>
 *   <li>{@code json}: what the app does — GuardRails.check over the synthesized JSON, in Java;</li>
 *   <li>{@code aspect}: a cdktf Aspect that sees what the JSON check sees: it is called back from
 *       the jsii kernel for every construct, and asks every resource for its JSON
 *       ({@code toTerraform()}, overrides included — typed getters would miss them), then runs
 *       the same rules on it.</li>
 * </ul>
 * Both checking modes must find the same violations (none for the committed envs); the probe
 * prints the count so a run that checks nothing would show. Not part of the app.
 */
public final class GuardRailsProbe {
    public static void main(String[] args) throws Exception {
        String mode = System.getenv().getOrDefault("BENCH_GUARDRAILS", "json");
        Path outdir = Path.of(System.getenv().getOrDefault("BRIDGEAI_OUTDIR", "cdktf.out")).toAbsolutePath();
        Set<String> only = Set.of(System.getenv().getOrDefault("BRIDGEAI_ENVS", "test").split(","));
        List<EnvConfig> envs = EnvConfigLoader.loadAll(Path.of(System.getenv().getOrDefault("BRIDGEAI_ENV_ROOT", "env")), only);
        App app = new App(AppConfig.builder().outdir(outdir.toString()).build());
        envs.forEach(env -> EnvironmentStacks.add(app, env));
        ResourceJsonAspect aspect = new ResourceJsonAspect();
        if (mode.equals("aspect")) {
            // per stack: cdktf 0.19 invokes aspects from each stack down, not from the App
            for (IConstruct child : app.getNode().getChildren()) {
                if (child instanceof TerraformStack stack) {
                    Aspects.of(stack).add(aspect);
                }
            }
        }
        long cpu0 = treeCpuMillis();
        long t0 = System.nanoTime();
        app.synth();
        long t1 = System.nanoTime();
        int violations = -1;
        if (mode.equals("json")) {
            violations = GuardRails.check(outdir).size();
        } else if (mode.equals("aspect")) {
            violations = 0;
            for (Map.Entry<String, ObjectNode> stack : aspect.stacks.entrySet()) {
                List<GuardRails.Violation> found = GuardRails.checkStack(stack.getKey(), stack.getValue());
                violations += found.size();
                if (System.getenv("BENCH_GUARDRAILS_VERBOSE") != null) {
                    found.forEach(v -> System.err.println("  aspect: " + v));
                }
            }
        }
        long t2 = System.nanoTime();
        long cpu = treeCpuMillis() - cpu0;
        // what the modes differ in: app.synth() (where an Aspect runs) plus the check. On a busy
        // machine the CPU time of the process tree (java + the node jsii kernel) is the steadier figure
        System.err.println("bridgeai-timing synth_check_wall " + (t2 - t0) / 1_000_000);
        System.err.println("bridgeai-timing synth_check_cpu " + cpu);
        System.err.printf("guardrails-probe mode=%s constructs=%d resources=%d violations=%d synth_ms=%d check_ms=%d%n",
                mode, aspect.visited, aspect.resources, violations, (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000);
    }

    /** CPU time (user + system) of this JVM and its child processes (the jsii kernel), in ms. */
    static long treeCpuMillis() {
        ProcessHandle self = ProcessHandle.current();
        return Stream.concat(Stream.of(self), self.descendants())
                .mapToLong(p -> p.info().totalCpuDuration().map(d -> d.toMillis()).orElse(0L)).sum();
    }

    /** Collects every resource's JSON per stack, as an Aspect would have to (one jsii call each). */
    static final class ResourceJsonAspect implements IAspect {
        static final ObjectMapper JSON = new ObjectMapper();
        final Map<String, ObjectNode> stacks = new LinkedHashMap<>();
        int visited;
        int resources;

        @Override
        public void visit(IConstruct node) {
            visited++;
            if (node instanceof TerraformResource r) {
                resources++;
                String stack = TerraformStack.of(r).getNode().getId();
                JsonNode json = JSON.valueToTree(r.toTerraform()); // {"resource": {type: {name: config}}}
                ObjectNode merged = stacks.computeIfAbsent(stack, s -> JSON.createObjectNode());
                json.path("resource").fields().forEachRemaining(t -> ((ObjectNode) merged.with("resource").with(t.getKey()))
                        .setAll((ObjectNode) t.getValue()));
            }
        }
    }
}
