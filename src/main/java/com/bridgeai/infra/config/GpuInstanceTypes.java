package com.bridgeai.infra.config;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The EC2 instance types with NVIDIA GPUs a Karpenter GPU pool of this project may name, with their
 * GPU count and CPU architecture (Amazon EC2 User Guide, "Accelerated computing instances": the
 * G4dn, G5, G5g, G6, G6e, Gr6, P3, P4, P5 tables). The count turns {@code max_size} into the GPU
 * limit of the pool; the architecture must match the node image's. G4ad (AMD GPUs), Inf/Trn
 * (Neuron) and the fractional-GPU G6f are not here on purpose: the NVIDIA device plugin and the
 * NVIDIA node images do not serve them. A type missing from the table is refused at synth with
 * this list; add it here with its row of the user guide.
 */
public final class GpuInstanceTypes {
    /** One row: GPUs per instance and the CPU architecture ({@code amd64} / {@code arm64}, Kubernetes' spelling). */
    public record GpuInstanceType(String name, int gpus, String architecture) {}

    private static final Map<String, GpuInstanceType> TYPES = new LinkedHashMap<>();

    static {
        // T4, A10G, L4, L40S: 1 GPU up to 16xlarge, 4 at 12x/24x, 8 at 48x/metal
        family("g4dn", "amd64", "xlarge", 1, "2xlarge", 1, "4xlarge", 1, "8xlarge", 1, "16xlarge", 1, "12xlarge", 4, "metal", 8);
        family("g5", "amd64", "xlarge", 1, "2xlarge", 1, "4xlarge", 1, "8xlarge", 1, "16xlarge", 1, "12xlarge", 4,
                "24xlarge", 4, "48xlarge", 8);
        family("g5g", "arm64", "xlarge", 1, "2xlarge", 1, "4xlarge", 1, "8xlarge", 1, "16xlarge", 2, "metal", 2);
        family("g6", "amd64", "xlarge", 1, "2xlarge", 1, "4xlarge", 1, "8xlarge", 1, "16xlarge", 1, "12xlarge", 4,
                "24xlarge", 4, "48xlarge", 8);
        family("g6e", "amd64", "xlarge", 1, "2xlarge", 1, "4xlarge", 1, "8xlarge", 1, "16xlarge", 1, "12xlarge", 4,
                "24xlarge", 4, "48xlarge", 8);
        family("gr6", "amd64", "4xlarge", 1, "8xlarge", 1);
        family("p3", "amd64", "2xlarge", 1, "8xlarge", 4, "16xlarge", 8);
        family("p3dn", "amd64", "24xlarge", 8);
        family("p4d", "amd64", "24xlarge", 8);
        family("p4de", "amd64", "24xlarge", 8);
        family("p5", "amd64", "4xlarge", 1, "48xlarge", 8);
        family("p5e", "amd64", "48xlarge", 8);
        family("p5en", "amd64", "48xlarge", 8);
    }

    private GpuInstanceTypes() {}

    private static void family(String family, String architecture, Object... sizesAndGpus) {
        for (int i = 0; i < sizesAndGpus.length; i += 2) {
            String name = family + "." + sizesAndGpus[i];
            TYPES.put(name, new GpuInstanceType(name, (Integer) sizesAndGpus[i + 1], architecture));
        }
    }

    public static Optional<GpuInstanceType> of(String instanceType) {
        return Optional.ofNullable(TYPES.get(instanceType));
    }

    /** The families in the table, for error messages. */
    public static String families() {
        return String.join(", ", TYPES.keySet().stream().map(t -> t.substring(0, t.indexOf('.'))).distinct().toList());
    }
}
