package dev.ferry.scaleup;

import dev.ferry.core.StepFailure;
import dev.ferry.core.manifest.Manifest;
import dev.ferry.core.workspace.Workspace;
import dev.ferry.kube.Workload;
import dev.ferry.kube.WorkloadKind;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The replica count each workload goes back to, and where that count came from: the freeze record
 * on the workspace, the manifest that travelled with the dump, the annotations freeze left on the
 * workloads, then explicit overrides on top.
 */
public final class RestorePlan {

    /** One workload to bring back. */
    public record Target(WorkloadKind kind, String name, int replicas, String source) {
        String id() {
            return kind.kind() + "/" + name;
        }
    }

    private RestorePlan() {}

    public static List<Target> resolve(
            ScaleUpConfig.Source from, Path workdir, List<Workload> inNamespace, Optional<String> overrides) {
        Map<String, Target> targets = new LinkedHashMap<>();
        recorded(from, workdir, inNamespace).forEach(t -> targets.put(t.id(), t));
        for (Map.Entry<String, Integer> override : parseOverrides(overrides).entrySet()) {
            Workload workload = byKey(override.getKey(), inNamespace);
            targets.put(
                    workload.id(),
                    new Target(
                            workload.kind(),
                            workload.name(),
                            override.getValue(),
                            "FERRY_SCALE_UP_REPLICAS " + override.getKey()));
        }
        return new ArrayList<>(targets.values());
    }

    private static List<Target> recorded(ScaleUpConfig.Source from, Path workdir, List<Workload> inNamespace) {
        Workspace workspace = Workspace.at(workdir);
        if (from == ScaleUpConfig.Source.AUTO || from == ScaleUpConfig.Source.FREEZE_FILE) {
            Optional<Manifest.Freeze> file = workspace.readFreezeRecord();
            if (file.isPresent()) {
                return fromRecord(file.get(), workspace.freezeRecordFile().toString());
            }
        }
        if (from == ScaleUpConfig.Source.AUTO || from == ScaleUpConfig.Source.MANIFEST) {
            if (workspace.hasManifest()) {
                Manifest manifest = workspace.readManifest();
                if (manifest.freeze() != null && !manifest.freeze().workloads().isEmpty()) {
                    return fromRecord(
                            manifest.freeze(), workspace.manifestFile().toString());
                }
            }
        }
        if (from == ScaleUpConfig.Source.AUTO || from == ScaleUpConfig.Source.ANNOTATIONS) {
            List<Target> annotated = new ArrayList<>();
            for (Workload workload : inNamespace) {
                workload.recordedOriginalReplicas()
                        .ifPresent(replicas -> annotated.add(new Target(
                                workload.kind(),
                                workload.name(),
                                replicas,
                                "annotation " + Workload.ORIGINAL_REPLICAS)));
            }
            return annotated;
        }
        return List.of();
    }

    private static List<Target> fromRecord(Manifest.Freeze record, String source) {
        return record.workloads().stream()
                .map(w -> new Target(WorkloadKind.of(w.kind()), w.name(), w.replicas(), source))
                .toList();
    }

    static Map<String, Integer> parseOverrides(Optional<String> overrides) {
        Map<String, Integer> parsed = new LinkedHashMap<>();
        if (overrides.isEmpty() || overrides.get().isBlank()) {
            return parsed;
        }
        for (String entry : overrides.get().split(",")) {
            if (entry.isBlank()) {
                continue;
            }
            String[] parts = entry.split("=", 2);
            try {
                int replicas = Integer.parseInt(parts.length == 2 ? parts[1].trim() : "");
                if (replicas < 0 || parts[0].isBlank()) {
                    throw new NumberFormatException();
                }
                parsed.put(parts[0].trim(), replicas);
            } catch (NumberFormatException e) {
                throw StepFailure.badConfiguration("FERRY_SCALE_UP_REPLICAS entry '" + entry.trim()
                        + "' is not name=count with a count of 0 or more");
            }
        }
        return parsed;
    }

    /** The full name, else the one workload whose name ends in {@code -key} (release prefixes vary). */
    private static Workload byKey(String key, List<Workload> inNamespace) {
        List<Workload> exact =
                inNamespace.stream().filter(w -> w.name().equals(key)).toList();
        if (exact.size() == 1) {
            return exact.get(0);
        }
        List<Workload> suffix =
                inNamespace.stream().filter(w -> w.name().endsWith("-" + key)).toList();
        if (suffix.size() == 1) {
            return suffix.get(0);
        }
        throw StepFailure.badConfiguration("FERRY_SCALE_UP_REPLICAS names " + key + ", which matches "
                + (suffix.isEmpty()
                        ? "no workload"
                        : suffix.size() + " workloads "
                                + suffix.stream().map(Workload::name).toList())
                + "; use the full name");
    }
}
