package dev.ferry.freeze;

import dev.ferry.kube.Workload;
import java.util.Optional;

/**
 * Recognises workloads a GitOps controller reconciles: Argo CD or Flux would put the replicas back
 * while the dump runs, so freezing them silently would be a lie. Plain Helm also sets
 * {@code app.kubernetes.io/instance}, so that label alone is not taken as Argo CD.
 */
public final class GitOpsGuard {

    private GitOpsGuard() {}

    public static Optional<String> controller(Workload workload) {
        var labels = workload.labels();
        var annotations = workload.annotations();
        if (annotations.containsKey("argocd.argoproj.io/tracking-id")) {
            return Optional.of("Argo CD (annotation argocd.argoproj.io/tracking-id="
                    + annotations.get("argocd.argoproj.io/tracking-id") + ")");
        }
        if (labels.containsKey("argocd.argoproj.io/instance")) {
            return Optional.of(
                    "Argo CD (label argocd.argoproj.io/instance=" + labels.get("argocd.argoproj.io/instance") + ")");
        }
        if (labels.containsKey("kustomize.toolkit.fluxcd.io/name")) {
            return Optional.of("Flux Kustomization " + labels.get("kustomize.toolkit.fluxcd.io/name"));
        }
        if (labels.containsKey("helm.toolkit.fluxcd.io/name")) {
            return Optional.of("Flux HelmRelease " + labels.get("helm.toolkit.fluxcd.io/name"));
        }
        return Optional.empty();
    }
}
