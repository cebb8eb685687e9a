package dev.ferry.benchmark;

import java.util.Map;

/**
 * One run of every phase: the timings by phase name ({@link Report} prints them), the two dumps' sizes, and the
 * size of the dump by each compression measured (pg_dump's --compress value to bytes).
 */
record Run(Map<String, Timed> phases, long runbookDumpBytes, long ferryDumpBytes, Map<String, Long> compressedBytes) {}
