package dev.ferry.core.workspace;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;

/**
 * {@code restore.json}, written by a restore that succeeded: which database it filled and with which
 * options, so that validate knows what to expect (without owners and grants, none can be compared).
 */
@RegisterForReflection
@JsonIgnoreProperties(ignoreUnknown = true)
public record RestoreRecord(String migrationId, String database, boolean noOwner, boolean clean, Instant restoredAt) {}
