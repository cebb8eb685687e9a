package dev.ferry.kube;

import dev.ferry.core.ExitCode;
import dev.ferry.core.StepFailure;
import io.fabric8.kubernetes.client.KubernetesClientException;

/**
 * Turns the Kubernetes API failures a user fixes with a setting or a Role (API server unreachable,
 * forbidden, namespace missing) into one-line exit-2 messages; anything else stays unexpected.
 */
public final class KubeFailures {

    private KubeFailures() {}

    /** {@code roleFile} names the Role manifest that grants the step what it needs. */
    public static StepFailure explain(KubernetesClientException e, String namespace, String roleFile) {
        String detail = e.getStatus() != null && e.getStatus().getMessage() != null
                ? e.getStatus().getMessage()
                : rootMessage(e);
        if (e.getCode() <= 0 && causedByIo(e)) {
            return new StepFailure(
                    ExitCode.BAD_CONFIGURATION,
                    "cannot reach the Kubernetes API server: " + detail + " (run in a cluster, or set KUBECONFIG)",
                    e);
        }
        return switch (e.getCode()) {
            case 401 ->
                new StepFailure(
                        ExitCode.BAD_CONFIGURATION,
                        "the Kubernetes API rejected the credentials (service account token or KUBECONFIG): " + detail,
                        e);
            case 403 ->
                new StepFailure(
                        ExitCode.BAD_CONFIGURATION,
                        "the Kubernetes API refused an operation in namespace " + namespace + ": " + detail
                                + " (bind the Role in " + roleFile + " to the step's service account)",
                        e);
            case 404 ->
                new StepFailure(
                        ExitCode.BAD_CONFIGURATION,
                        "not found in namespace " + namespace + ": " + detail + " (check FERRY_NAMESPACE)",
                        e);
            default ->
                new StepFailure(
                        ExitCode.UNEXPECTED,
                        "Kubernetes API error " + e.getCode() + " in namespace " + namespace + ": " + detail,
                        e);
        };
    }

    /** No HTTP answer at all: connection refused, unknown host, TLS failure. */
    private static boolean causedByIo(Throwable e) {
        for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
            if (t instanceof java.io.IOException) {
                return true;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t == e ? String.valueOf(e.getMessage()) : e.getMessage() + ": " + t;
    }
}
