package dev.ferry.freeze;

import dev.ferry.kube.Workload;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Decides which workloads are Onyx writers to freeze, and says why for each. By default it knows
 * the names of every Onyx chart generation (ONYX.md); explicit names/globs or a label selector
 * (applied by the API server before this class sees the list) replace that rule. The database
 * itself is never selected, whatever the rule says.
 */
public final class WriterSelection {

    /** A workload chosen for freezing and the rule that chose it. */
    public record Selected(Workload workload, String reason) {}

    /** What the rule chose, and what it refused to touch because it looks like the database. */
    public record Result(List<Selected> selected, List<Selected> excludedDatabases, List<String> unmatchedPatterns) {}

    private final Optional<List<String>> patterns;
    private final Optional<String> selector;

    public WriterSelection(Optional<List<String>> patterns, Optional<String> selector) {
        this.patterns = patterns.map(list -> list.stream()
                        .map(String::trim)
                        .filter(s -> !s.isEmpty())
                        .toList())
                .filter(list -> !list.isEmpty());
        this.selector = selector.filter(s -> !s.isBlank());
    }

    public Result select(List<Workload> candidates) {
        List<Selected> selected = new ArrayList<>();
        List<Selected> databases = new ArrayList<>();
        List<String> unmatched = new ArrayList<>(patterns.orElse(List.of()));
        for (Workload workload : candidates) {
            Optional<String> reason = reason(workload, unmatched);
            if (reason.isEmpty()) {
                continue;
            }
            Optional<String> database = databaseReason(workload);
            if (database.isPresent()) {
                databases.add(new Selected(workload, database.get()));
            } else {
                selected.add(new Selected(workload, reason.get()));
            }
        }
        return new Result(selected, databases, unmatched);
    }

    private Optional<String> reason(Workload workload, List<String> unmatched) {
        if (patterns.isPresent()) {
            for (String pattern : patterns.get()) {
                if (glob(pattern).matcher(workload.name()).matches()) {
                    unmatched.remove(pattern);
                    return Optional.of("matches FERRY_FREEZE_WORKLOADS entry " + pattern);
                }
            }
            return Optional.empty();
        }
        if (selector.isPresent()) {
            return Optional.of("matches FERRY_FREEZE_SELECTOR " + selector.get());
        }
        return onyxWriterReason(workload.name());
    }

    /** The default rule: names every Onyx chart generation gives its Postgres writers. */
    static Optional<String> onyxWriterReason(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        if (n.endsWith("api-server") || n.endsWith("api-server-deployment")) {
            return Optional.of("Onyx API server (connects as 'web')");
        }
        if (n.endsWith("celery-beat") || n.endsWith("celery-beat-deployment")) {
            return Optional.of("Onyx celery beat scheduler (connects as 'celery_beat')");
        }
        if (n.contains("celery-worker-")) {
            return Optional.of("Onyx celery worker (connects as 'celery_worker_*')");
        }
        // The chat bots run onyx/onyxbot/<platform> with the chart's Postgres credentials (onyx.envSecrets).
        // The plain manifests (deployment/kubernetes/slackbot-service-deployment.yaml) name it slack-bot-deployment.
        if (n.endsWith("slackbot")
                || n.endsWith("slackbot-deployment")
                || n.endsWith("slack-bot")
                || n.endsWith("slack-bot-deployment")
                || n.endsWith("discordbot")
                || n.endsWith("discordbot-deployment")
                || n.endsWith("teamsbot")) {
            return Optional.of("Onyx chat bot (writes chat sessions)");
        }
        if (n.endsWith("background") || n.endsWith("background-deployment")) {
            return Optional.of("Onyx background workers of the old manifests (all celery processes)");
        }
        return Optional.empty();
    }

    /** Freezing the database would make the dump impossible: keep it out even when a glob matches it. */
    static Optional<String> databaseReason(Workload workload) {
        String n = workload.name().toLowerCase(Locale.ROOT);
        if (workload.labels().containsKey("cnpg.io/cluster")) {
            return Optional.of("CloudNativePG instance (label cnpg.io/cluster)");
        }
        String appName = workload.labels().getOrDefault("app.kubernetes.io/name", "");
        if (appName.equals("postgresql") || appName.equals("postgres")) {
            return Optional.of("PostgreSQL server (label app.kubernetes.io/name=" + appName + ")");
        }
        if (n.contains("postgres")
                || n.endsWith("-pg")
                || n.contains("cloudnative-pg")
                || n.contains("relational-db")) {
            return Optional.of("PostgreSQL server (by name)");
        }
        return Optional.empty();
    }

    /** Shell-style glob: {@code *} any run of characters, {@code ?} one character, the rest literal. */
    static Pattern glob(String glob) {
        StringBuilder regex = new StringBuilder();
        for (char c : glob.toCharArray()) {
            switch (c) {
                case '*' -> regex.append(".*");
                case '?' -> regex.append('.');
                default -> regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString());
    }
}
