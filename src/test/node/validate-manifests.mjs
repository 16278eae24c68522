// Validates Kubernetes objects against the schemas of well-kept model packages: the Flux CRDs
// (@kubernetes-models/flux-cd), the External Secrets CRDs (@kubernetes-models/external-secrets,
// external-secrets.io/v1), Karpenter's v1 API (@kubernetes-models/karpenter: karpenter.sh/v1 NodePool,
// karpenter.k8s.aws/v1 EC2NodeClass; its schemas lag the pinned Karpenter 1.14.1 a little, e.g. no
// consolidationPolicy "Balanced", so KarpenterCrdTest also checks them against that release's CRDs)
// and the Kubernetes API (kubernetes-models), all pinned in this
// folder's package-lock.json. Input (stdin): a JSON array of {"file": "...", "object": {...}}.
// Output (stdout): a JSON array of {"file", "kind", "error"} for every object that fails, and for
// every apiVersion/kind this script has no schema for (never silently passed). Exit code 0 when
// every object validates, 1 otherwise.
import { readFileSync } from "node:fs";
import { ConfigMap, Namespace, ServiceAccount } from "kubernetes-models/v1";
import { CronJob, Job } from "kubernetes-models/batch/v1";
import { ClusterSecretStore, ExternalSecret } from "@kubernetes-models/external-secrets/external-secrets.io/v1";
import { StorageClass } from "kubernetes-models/storage.k8s.io/v1";
import { HelmRelease } from "@kubernetes-models/flux-cd/helm.toolkit.fluxcd.io/v2";
import { HelmRepository, GitRepository, OCIRepository } from "@kubernetes-models/flux-cd/source.toolkit.fluxcd.io/v1";
import { NodePool } from "@kubernetes-models/karpenter/karpenter.sh/v1";
import { EC2NodeClass } from "@kubernetes-models/karpenter/karpenter.k8s.aws/v1";
import { Kustomization } from "@kubernetes-models/flux-cd/kustomize.toolkit.fluxcd.io/v1";

const MODELS = new Map(
  [Namespace, ServiceAccount, ConfigMap, CronJob, Job, StorageClass, HelmRelease, HelmRepository, GitRepository,
    Kustomization, ClusterSecretStore, ExternalSecret, OCIRepository, NodePool, EC2NodeClass].map((m) => [
    `${m.apiVersion}/${m.kind}`,
    m,
  ]),
);

const input = JSON.parse(readFileSync(0, "utf8"));
const problems = [];
for (const { file, object } of input) {
  const key = `${object.apiVersion}/${object.kind}`;
  const Model = MODELS.get(key);
  if (!Model) {
    problems.push({ file, kind: key, error: `no schema for ${key} (known: ${[...MODELS.keys()].join(", ")})` });
    continue;
  }
  try {
    new Model(object).validate();
  } catch (e) {
    problems.push({ file, kind: key, error: String(e.message ?? e) });
  }
}
process.stdout.write(JSON.stringify(problems));
process.exit(problems.length === 0 ? 0 : 1);
