package dev.ferry.kube;

import java.util.Locale;

/** The kinds of workload Ferry scales: Onyx runs its writers as Deployments, a few installs as StatefulSets. */
public enum WorkloadKind {
    DEPLOYMENT("Deployment"),
    STATEFUL_SET("StatefulSet");

    private final String kind;

    WorkloadKind(String kind) {
        this.kind = kind;
    }

    /** The Kubernetes kind, as in {@code kind: Deployment}. */
    public String kind() {
        return kind;
    }

    public static WorkloadKind of(String kind) {
        for (WorkloadKind candidate : values()) {
            if (candidate.kind.equalsIgnoreCase(kind)) {
                return candidate;
            }
        }
        throw new IllegalArgumentException("not a scalable workload kind: " + kind);
    }

    @Override
    public String toString() {
        return kind.toLowerCase(Locale.ROOT);
    }
}
